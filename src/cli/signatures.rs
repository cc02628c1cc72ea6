//! `whoclicked signatures`: the scanner signatures and weights in force,
//! and where each part came from.

use std::fmt::Write as _;
use std::io::Write;

use clap::Args;

use jiff::civil::Date;
use whoclicked::signals::{BUILTIN, ENV_VAR, Origin, Signatures, default_user_file, user_file};
use whoclicked::signals::{Tunable, Weight};

#[derive(Debug, Args)]
pub struct SignaturesArgs {
    /// Print where the user signature file is read from, and nothing else.
    #[arg(long, conflicts_with = "builtin")]
    pub path: bool,
    /// Print the built-in signature file (a start for your own).
    #[arg(long)]
    pub builtin: bool,
    /// The campaign date whose browser releases to show (YYYY-MM-DD; today
    /// if not given).
    #[arg(long, value_name = "DATE")]
    pub date: Option<jiff::civil::Date>,
    /// A decoy link pattern to list as `report --decoy` would add it
    /// (repeatable).
    #[arg(long = "decoy", value_name = "PATTERN")]
    pub decoys: Vec<String>,
}

pub fn run(args: &SignaturesArgs) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    if args.builtin {
        out.write_all(BUILTIN.as_bytes())?;
        return Ok(());
    }
    if args.path {
        let path = user_file()
            .or_else(default_user_file)
            .ok_or_else(|| anyhow::anyhow!("no config directory on this system; set {ENV_VAR}"))?;
        writeln!(out, "{}", path.display())?;
        return Ok(());
    }
    let mut sigs = Signatures::load()?;
    sigs.decoys.extend(args.decoys.iter().cloned());
    let date = args.date.unwrap_or_else(|| {
        jiff::Timestamp::now()
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .date()
    });
    out.write_all(render(&sigs, date).as_bytes())?;
    Ok(())
}

/// Marks what a user file set; built-in parts carry no mark.
fn mark(origin: &Origin) -> String {
    match origin {
        Origin::Builtin(_) => String::new(),
        Origin::User(path) => format!("  [{}]", path.display()),
    }
}

/// The listing, as text.
pub fn render(sigs: &Signatures, date: Date) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "sources");
    for source in &sigs.sources {
        let what = match &source.origin {
            Origin::Builtin(_) => "embedded in this binary".to_string(),
            Origin::User(path) if source.replaces_builtin => {
                format!("user file {} (replaces the built-in lists)", path.display())
            }
            Origin::User(path) => format!("user file {}", path.display()),
        };
        let version = if source.version.is_empty() {
            String::new()
        } else {
            format!(" version {}", source.version)
        };
        let _ = writeln!(s, "  {what}{version}");
    }
    if sigs.sources.len() == 1 {
        let place = default_user_file()
            .map_or_else(|| "(no config dir)".into(), |p| p.display().to_string());
        let _ = writeln!(s, "  no user file (would be {place}, or {ENV_VAR})");
    } else {
        let _ = writeln!(s, "  what the user file set is marked with its path");
    }
    let _ = writeln!(
        s,
        "\nWeights are evidence: + leans scanner, - leans human; an access's weights are summed,\n\
         and the sum is compared with threshold_scanner and threshold_human (see tuning)."
    );

    let kind_width = sigs
        .networks
        .iter()
        .map(|n| n.kind.name().len())
        .max()
        .unwrap_or(0);
    let _ = writeln!(
        s,
        "\nnetworks  (kind, weight, entry: AS numbers and prefixes)"
    );
    for n in &sigs.networks {
        let mut keys: Vec<String> = n.asns.iter().map(|a| format!("AS{a}")).collect();
        keys.extend(n.prefixes.iter().map(|p| p.to_string()));
        let _ = writeln!(
            s,
            "  {:<kind_width$}  {:+5.1}  {}: {}{}",
            n.kind.name(),
            n.weight(&sigs.weights),
            n.name,
            keys.join(" "),
            mark(&n.origin)
        );
        if !n.note.is_empty() {
            let _ = writeln!(s, "  {:<kind_width$}         {}", "", n.note);
        }
    }
    let kind_width = sigs
        .agents
        .iter()
        .map(|a| a.kind.name().len())
        .max()
        .unwrap_or(0);
    let _ = writeln!(
        s,
        "\nUser-Agents  (kind, weight, entry: ^prefix or substring, any case)"
    );
    for a in &sigs.agents {
        let mut patterns: Vec<String> = a.starts_with.iter().map(|p| format!("^{p}")).collect();
        patterns.extend(a.contains.iter().cloned());
        let _ = writeln!(
            s,
            "  {:<kind_width$}  {:+5.1}  {}: {}{}",
            a.kind.name(),
            a.weight(&sigs.weights),
            a.name,
            patterns.join(", "),
            mark(&a.origin)
        );
        if !a.note.is_empty() {
            let _ = writeln!(s, "  {:<kind_width$}         {}", "", a.note);
        }
    }
    let _ = writeln!(
        s,
        "\ndecoy links  (an access whose URL holds one is decided scanner; `*` is any text;\n\
         \x20 `--decoy PATTERN` adds more for one run of report or review)"
    );
    if sigs.decoys.is_empty() {
        let _ = writeln!(s, "  none");
    }
    for (i, pattern) in sigs.decoys.iter().enumerate() {
        let origin = sigs
            .decoy_origins
            .get(i)
            .map_or_else(|| "  [--decoy]".to_string(), mark);
        let _ = writeln!(s, "  {pattern}{origin}");
    }
    let _ = writeln!(
        s,
        "\nbrowser releases assumed for {date}  (how far a version lags; --date to change)"
    );
    for b in &sigs.browsers {
        let extended = if b.extended.is_empty() {
            String::new()
        } else {
            let majors: Vec<String> = b.extended.iter().map(u32::to_string).collect();
            format!(", extended support {}", majors.join(" "))
        };
        let known = match (b.releases.first(), b.releases.last()) {
            (Some(first), Some(last)) => format!(
                "{} releases known, {} ({}) to {} ({})",
                b.releases.len(),
                first.0,
                first.1,
                last.0,
                last.1
            ),
            _ => "no releases known".into(),
        };
        let assumed = match b.assumed(date) {
            None => "none known by then".to_string(),
            Some(a) if a.extrapolated == 0 => {
                format!("{} (released {})", a.major, a.known_on)
            }
            Some(a) => format!(
                "{} (extrapolated: {} of {} plus {} at a major every {:.0} days)",
                a.major, a.known, a.known_on, a.extrapolated, b.every_days
            ),
        };
        let _ = writeln!(
            s,
            "  {}: {assumed}; {known}{extended}{}",
            b.family,
            mark(&b.origin)
        );
    }
    let _ = writeln!(s, "\ntiming  (time from delivery to the access → weight)");
    let mut from = 0.0;
    for band in &sigs.timing {
        let span = if band.below.is_infinite() {
            format!("{} or later", seconds(from))
        } else {
            format!("{} to {}", seconds(from), seconds(band.below))
        };
        let _ = writeln!(s, "  {span:<18} {:+5.1}", band.weight);
        from = band.below;
    }
    let name_width = Weight::ALL
        .iter()
        .map(|w| w.name().len())
        .max()
        .unwrap_or(0);
    let _ = writeln!(s, "\nweights");
    for &w in Weight::ALL {
        let _ = writeln!(
            s,
            "  {:<name_width$}  {:+5.1}  {}{}",
            w.name(),
            sigs.weight(w),
            w.about(),
            mark(&sigs.weight_origins[w as usize])
        );
    }
    let name_width = Tunable::ALL
        .iter()
        .map(|t| t.name().len())
        .max()
        .unwrap_or(0);
    let _ = writeln!(s, "\ntuning");
    for &t in Tunable::ALL {
        let _ = writeln!(
            s,
            "  {:<name_width$}  {:>6}  {}{}",
            t.name(),
            sigs.tuning(t),
            t.about(),
            mark(&sigs.tuning_origins[t as usize])
        );
    }
    s
}

/// `0 s`, `90 s`, `10 min`, `1 h`: band limits as people say them.
fn seconds(s: f32) -> String {
    if s >= 3600.0 && s % 3600.0 == 0.0 {
        format!("{} h", s / 3600.0)
    } else if s >= 120.0 && s % 60.0 == 0.0 {
        format!("{} min", s / 60.0)
    } else {
        format!("{s} s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_listing_explains_itself_and_marks_user_settings() {
        let user = "format = 1\n[weights]\nnetwork_cloud = 0.8\n\
                    [[network]]\nname = \"Head office proxy\"\nkind = \"residential\"\nasn = [64500]\n";
        let path = std::path::Path::new("/etc/whoclicked/signatures.toml");
        let sigs = Signatures::with_user_text(user, path).unwrap();
        let text = render(&sigs, "2026-08-10".parse().unwrap());
        assert!(text.contains("user file /etc/whoclicked/signatures.toml"));
        assert!(text.contains("Head office proxy: AS64500  [/etc/whoclicked/signatures.toml]"));
        assert!(text.contains("network_cloud"));
        let cloud = text
            .lines()
            .find(|l| l.trim_start().starts_with("network_cloud "))
            .unwrap();
        assert!(cloud.contains("+0.8") && cloud.ends_with("[/etc/whoclicked/signatures.toml]"));
        // Built-in parts carry no mark; every weight says what it is for.
        let head = text
            .lines()
            .find(|l| l.trim_start().starts_with("method_head "))
            .unwrap();
        assert!(
            head.contains("a link check") && !head.contains('['),
            "{head}"
        );
        assert!(text.contains("0 s to 10 s"), "{text}");
        assert!(text.contains("1 h or later"), "{text}");
        // The release each browser family is assumed at on the date.
        assert!(
            text.contains("  Chrome: 151 (released 2026-07-15); "),
            "{text}"
        );
        // Kinds line up: every network line's weight starts in one column.
        let columns: std::collections::BTreeSet<usize> = text
            .lines()
            .skip_while(|l| !l.starts_with("networks"))
            .skip(1)
            .take_while(|l| !l.is_empty())
            .filter(|l| l.contains(": "))
            .filter_map(|l| l.find("  +").or_else(|| l.find("  -")))
            .collect();
        assert_eq!(columns.len(), 1, "{columns:?}");
    }

    #[test]
    fn the_listing_names_the_decoys_in_force_and_where_each_came_from() {
        let none = render(
            &Signatures::builtin().unwrap(),
            "2026-08-10".parse().unwrap(),
        );
        let section = |text: &str| -> Vec<String> {
            text.lines()
                .skip_while(|l| !l.starts_with("decoy links"))
                .skip(2)
                .take_while(|l| !l.is_empty())
                .map(str::to_string)
                .collect()
        };
        assert_eq!(section(&none), ["  none"], "{none}");
        let user = "format = 1\ndecoys = [\"/t/hidden\", \"/t/*/px\"]\n";
        let path = std::path::Path::new("/etc/whoclicked/signatures.toml");
        let mut sigs = Signatures::with_user_text(user, path).unwrap();
        // As `report --decoy /x/trap` adds it.
        sigs.decoys.push("/x/trap".into());
        let text = render(&sigs, "2026-08-10".parse().unwrap());
        assert_eq!(
            section(&text),
            [
                "  /t/hidden  [/etc/whoclicked/signatures.toml]",
                "  /t/*/px  [/etc/whoclicked/signatures.toml]",
                "  /x/trap  [--decoy]",
            ],
            "{text}"
        );
    }
}
