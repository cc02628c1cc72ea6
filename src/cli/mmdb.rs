//! `whoclicked mmdb build` and `whoclicked mmdb info`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use whoclicked::atomic_file::{self, FileMode};
use whoclicked::mmdb::{self, BuildOptions};
use whoclicked::owner::DatabaseInfo;

#[derive(Debug, Subcommand)]
pub enum MmdbCommand {
    /// Build an IP-to-ASN database (GeoLite2-ASN schema) from a free range
    /// list, for use without a MaxMind account.
    Build(BuildArgs),
    /// Describe database files: type, build date, layout, and which owner
    /// fields whoclicked takes from them.
    Info(InfoArgs),
    /// Download the current free ASN range list and build an ASN database
    /// from it into whoclicked's data directory, where it is used instead of
    /// the bundled one.
    Update(UpdateArgs),
}

#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// A range list to download (ip-location-db CSV or iptoasn TSV); repeat
    /// for several. Default: the ip-location-db ASN lists for IPv4 and IPv6
    /// (CC BY 4.0, RouteViews, DB-IP.com, NRO), which the bundled data came from.
    #[arg(
        long,
        value_name = "URL",
        env = "WHOCLICKED_MMDB_UPDATE_URL",
        value_delimiter = ' '
    )]
    pub url: Vec<String>,
    /// Where to write the database. Default: asn.mmdb in whoclicked's data
    /// directory for databases (~/.local/share/whoclicked/mmdb on Linux).
    #[arg(long, value_name = "FILE.mmdb")]
    pub out: Option<PathBuf>,
    /// The build date recorded in the file (UTC). Default: SOURCE_DATE_EPOCH
    /// if set, else today.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub build_date: Option<jiff::civil::Date>,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// A range list: ip-location-db CSV (start,end,asn,org) or iptoasn TSV
    /// (start, end, asn, country, org), told apart by content. Repeat for
    /// several (e.g. asn-ipv4.csv and asn-ipv6.csv); for the same network a
    /// later file or line wins, a more specific network always wins.
    #[arg(long, value_name = "RANGES", required = true)]
    pub from: Vec<PathBuf>,
    /// Where to write the database.
    #[arg(long, value_name = "FILE.mmdb")]
    pub out: PathBuf,
    /// The build date recorded in the file (UTC). Default: SOURCE_DATE_EPOCH
    /// if set, else today. Same input and date give the same bytes.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub build_date: Option<jiff::civil::Date>,
}

#[derive(Debug, Args)]
pub struct InfoArgs {
    /// Database files to describe.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// Skip the full integrity check of the search tree and data section.
    #[arg(long)]
    pub no_verify: bool,
}

pub fn run(command: MmdbCommand) -> anyhow::Result<()> {
    match command {
        MmdbCommand::Build(args) => build(&args),
        MmdbCommand::Info(args) => info(&args),
        MmdbCommand::Update(args) => update(&args),
    }
}

fn build(args: &BuildArgs) -> anyhow::Result<()> {
    build_from(&args.from, &args.out, args.build_date)
}

/// Downloads each list into a temporary directory, then builds from them as
/// `mmdb build` does; the database is replaced only once it is complete.
#[cfg(feature = "update")]
fn update(args: &UpdateArgs) -> anyhow::Result<()> {
    use whoclicked::mmdb::download::{DEFAULT_ASN_URLS, download};
    let urls: Vec<String> = if args.url.is_empty() {
        DEFAULT_ASN_URLS.iter().map(|u| u.to_string()).collect()
    } else {
        args.url.clone()
    };
    let out = match &args.out {
        Some(out) => out.clone(),
        None => whoclicked::owner::user_mmdb_dir()
            .context("no data directory for databases on this system: name one with --out")?
            .join("asn.mmdb"),
    };
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create {}", whoclicked::text::path_text(dir)))?;
    }
    let scratch = tempfile::tempdir().context("cannot make a temporary directory")?;
    let mut lists = Vec::new();
    for (n, url) in urls.iter().enumerate() {
        let name = url
            .rsplit('/')
            .next()
            .filter(|s| !s.is_empty() && !s.contains(['?', '#']))
            .unwrap_or("ranges.csv");
        let path = scratch.path().join(format!("{n}-{name}"));
        eprintln!("whoclicked: downloading {url}");
        let bytes = download(url, &path)?;
        eprintln!("whoclicked: {}: {}", url, whoclicked::text::bytes(bytes));
        lists.push(path);
    }
    build_from(&lists, &out, args.build_date)?;
    eprintln!(
        "whoclicked: {} is used from now on wherever no other database gives AS numbers \
         (it is in the data directory's mmdb/, which whoclicked searches)",
        whoclicked::text::path_text(&out)
    );
    Ok(())
}

#[cfg(not(feature = "update"))]
fn update(_args: &UpdateArgs) -> anyhow::Result<()> {
    bail!(
        "this whoclicked was built without downloads (cargo feature `update`): download the \
         range lists yourself (see the README) and run whoclicked mmdb build --from FILE --out \
         FILE.mmdb"
    )
}

fn build_from(
    from: &[PathBuf],
    out: &std::path::Path,
    build_date: Option<jiff::civil::Date>,
) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let mut ranges = Vec::new();
    let mut not_routed = 0;
    for path in from {
        let parsed = mmdb::ranges::read_ranges_detailed(path)?;
        eprintln!(
            "whoclicked: {}: {} ranges, {}{}",
            whoclicked::text::path_text(path),
            parsed.ranges.len(),
            parsed.format,
            if parsed.not_routed > 0 {
                format!(", {} AS0 / not-routed rows left out", parsed.not_routed)
            } else {
                String::new()
            }
        );
        not_routed += parsed.not_routed;
        ranges.extend(parsed.ranges);
    }
    if ranges.is_empty() {
        bail!("no ranges with an AS number to build from ({not_routed} not-routed rows)");
    }
    let build_date = match build_date {
        Some(date) => date,
        None => default_build_date()?,
    };
    let built = mmdb::build_asn_database(&ranges, &BuildOptions::new(build_date))?;
    atomic_file::write_bytes(out, FileMode::Usual, &built.bytes)?;
    let stats = &built.stats;
    eprintln!(
        "whoclicked: wrote {}: {} ranges as {} networks, {} distinct owners, {} nodes, \
         {}-bit records, {} bytes, build date {build_date}, in {:.1?}",
        whoclicked::text::path_text(out),
        ranges.len(),
        stats.blocks,
        stats.records,
        stats.node_count,
        stats.record_size,
        built.bytes.len(),
        started.elapsed()
    );
    if stats.skipped > 0 {
        eprintln!(
            "whoclicked: left out {} range(s) in 6to4 space (2002::/16 is answered from the \
             IPv4 data it embeds), e.g. {}",
            stats.skipped,
            stats.skipped_examples.join("; ")
        );
    }
    Ok(())
}

/// SOURCE_DATE_EPOCH (reproducible-builds convention) if set, else today, in UTC.
fn default_build_date() -> anyhow::Result<jiff::civil::Date> {
    let now = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(text) => {
            let secs: i64 = text
                .trim()
                .parse()
                .with_context(|| format!("SOURCE_DATE_EPOCH {text:?} is not a number"))?;
            jiff::Timestamp::from_second(secs)
                .with_context(|| format!("SOURCE_DATE_EPOCH {text:?} is out of range"))?
        }
        Err(_) => jiff::Timestamp::now(),
    };
    Ok(now.to_zoned_datetime(jiff::tz::TimeZone::UTC).date())
}

fn info(args: &InfoArgs) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut described = 0;
    // With one file its error is the command's error, said once; with
    // several each is said as it comes and the count closes.
    let single = args.files.len() == 1;
    let mut failed = 0;
    let mut report = |err: anyhow::Error, out: &mut std::io::StdoutLock<'_>| {
        failed += 1;
        if single {
            return Err(err);
        }
        out.flush()?;
        eprintln!("whoclicked: {err}");
        Ok(())
    };
    for path in &args.files {
        match mmdb::describe(path) {
            Ok(info) => {
                if described > 0 {
                    writeln!(out)?;
                }
                described += 1;
                print_info(&mut out, &info)?;
                if !args.no_verify {
                    let verified = mmdb::verify(path);
                    whoclicked::owner::remember_check(path, &verified);
                    match verified {
                        Ok(()) => writeln!(out, "  integrity:     ok")?,
                        Err(err) => {
                            writeln!(out, "  integrity:     FAILED")?;
                            report(err.into(), &mut out)?;
                        }
                    }
                }
            }
            Err(err) => report(err.into(), &mut out)?,
        }
    }
    out.flush()?;
    if failed > 0 {
        bail!(
            "{failed} of {} files could not be read or are damaged",
            args.files.len()
        );
    }
    Ok(())
}

fn print_info(out: &mut impl Write, info: &DatabaseInfo) -> std::io::Result<()> {
    writeln!(out, "{}", whoclicked::text::path_text(&info.path))?;
    writeln!(
        out,
        "  type:          {} ({}, recognised by {})",
        info.database_type, info.kind, info.recognised_by
    )?;
    writeln!(out, "  build date:    {} (UTC)", info.build_date())?;
    writeln!(out, "  IP version:    {}", info.ip_version)?;
    writeln!(out, "  nodes:         {}", info.node_count)?;
    writeln!(out, "  record size:   {} bits", info.record_size)?;
    let languages = if info.languages.is_empty() {
        "(none)".to_string()
    } else {
        info.languages.join(", ")
    };
    writeln!(out, "  languages:     {languages}")?;
    writeln!(
        out,
        "  description:   {}",
        info.description.as_deref().unwrap_or("(none)")
    )?;
    match &info.unsupported {
        Some(reason) => writeln!(out, "  owner fields:  none: {reason}")?,
        None => writeln!(out, "  owner fields:  {}", info.fields.join(", "))?,
    }
    Ok(())
}
