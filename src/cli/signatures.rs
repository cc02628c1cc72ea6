//! `whoclicked signatures`: the scanner signatures and weights in force,
//! and where each part came from.

use std::fmt::Write as _;
use std::io::Write;

use clap::Args;

use whoclicked::signals::params::{T, W};
use whoclicked::signals::{BUILTIN, ENV_VAR, Origin, Signatures, default_user_file, user_file};

#[derive(Debug, Args)]
pub struct SignaturesArgs {
    /// Print where the user signature file is read from, and nothing else.
    #[arg(long, conflicts_with = "builtin")]
    pub path: bool,
    /// Print the built-in signature file (a start for your own).
    #[arg(long)]
    pub builtin: bool,
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
    let sigs = Signatures::load()?;
    out.write_all(render(&sigs).as_bytes())?;
    Ok(())
}

/// The listing, as text.
pub fn render(sigs: &Signatures) -> String {
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
    }
    let _ = writeln!(
        s,
        "\nnetworks  (kind, weight, entry, AS numbers and prefixes, from)"
    );
    for n in &sigs.networks {
        let mut keys: Vec<String> = n.asns.iter().map(|a| format!("AS{a}")).collect();
        keys.extend(n.prefixes.iter().map(|p| p.to_string()));
        let _ = writeln!(
            s,
            "  {:<14} {:+5.1}  {}: {}  [{}]",
            n.kind.name(),
            n.weight(&sigs.weights),
            n.name,
            keys.join(" "),
            n.origin
        );
    }
    let _ = writeln!(s, "\nagents  (kind, weight, entry, patterns, from)");
    for a in &sigs.agents {
        let mut patterns: Vec<String> = a.starts_with.iter().map(|p| format!("^{p}")).collect();
        patterns.extend(a.contains.iter().cloned());
        let weight = a.weight(&sigs.weights);
        let _ = writeln!(
            s,
            "  {:<14} {:+5.1}  {}: {}  [{}]",
            a.kind.name(),
            weight,
            a.name,
            patterns.join(", "),
            a.origin
        );
    }
    let _ = writeln!(s, "\nbrowser cadences");
    for b in &sigs.browsers {
        let extended = if b.extended.is_empty() {
            String::new()
        } else {
            let majors: Vec<String> = b.extended.iter().map(u32::to_string).collect();
            format!(", extended support {}", majors.join(" "))
        };
        let _ = writeln!(
            s,
            "  {} {} on {}, a major every {} days{extended}  [{}]",
            b.family, b.release, b.released, b.every_days, b.origin
        );
    }
    let _ = writeln!(s, "\ntiming  (seconds after delivery below → weight)");
    for band in &sigs.timing {
        let _ = writeln!(s, "  < {:<8} {:+5.1}", band.below, band.weight);
    }
    let _ = writeln!(s, "\nweights");
    for &w in W::ALL {
        let _ = writeln!(
            s,
            "  {:<24} {:+6.2}  [{}]",
            w.name(),
            sigs.w(w),
            sigs.weight_origins[w as usize]
        );
    }
    let _ = writeln!(s, "\ntuning");
    for &t in T::ALL {
        let _ = writeln!(
            s,
            "  {:<26} {:>6}  [{}]",
            t.name(),
            sigs.t(t),
            sigs.tuning_origins[t as usize]
        );
    }
    s
}
