//! `whoclicked headers FILE…`: who really sent a mail, from its headers.

use std::io::{Read, Write};
use std::path::PathBuf;

use anyhow::{Context as _, bail};
use clap::{Args, ValueEnum};
use whoclicked::input::LoadProgress;
use whoclicked::mail::{self, Trust, output};
use whoclicked::model::parse_zone;
use whoclicked::pipeline::{cache_owners, ip_facts, look_up_owners};

use super::{GlobalArgs, setup};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum HeadersFormat {
    /// The verdict, the hop table, the evidence and the flags.
    Table,
    /// Everything, as one JSON document.
    Json,
    /// One row per hop.
    Csv,
}

#[derive(Debug, Args)]
pub struct HeadersArgs {
    /// Mail files: .eml, Outlook .msg, mbox. `-` reads headers pasted on
    /// standard input (quoted with `>`, CRLF or with the body after them).
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// Output: table, json or csv.
    #[arg(long, value_enum, default_value = "table")]
    pub format: HeadersFormat,
    /// CSV for Excel: UTF-8 with a BOM and CRLF line ends.
    #[arg(long)]
    pub excel: bool,
    /// A network, address, AS (AS64500) or domain whose servers are yours or
    /// your provider's: the walk down the Received chain trusts them (repeatable).
    /// Microsoft 365 and Google are trusted already.
    #[arg(long, value_name = "CIDR|ASN|DOMAIN")]
    pub trust: Vec<String>,
    /// Time zone for the times shown: +09:00, Asia/Tokyo, UTC or local [default: local].
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
    /// Do not use the knowledge base: no notes or cached owners, nothing written.
    #[arg(long = "no-kb")]
    pub no_kb: bool,
}

pub fn run(global: &GlobalArgs, args: &HeadersArgs) -> anyhow::Result<()> {
    let zone = match &args.tz {
        Some(text) => parse_zone(text)?,
        None => jiff::tz::TimeZone::system(),
    };
    let mut trust = Trust::default();
    for item in &args.trust {
        trust.add(item).map_err(anyhow::Error::msg)?;
    }

    let mut messages = Vec::new();
    let mut failed = 0usize;
    for path in &args.files {
        let (name, bytes) = if path.as_os_str() == "-" {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .context("reading standard input")?;
            ("standard input".to_string(), bytes)
        } else {
            let name = path.display().to_string();
            match std::fs::read(path) {
                Ok(bytes) => (name, bytes),
                Err(err) => {
                    eprintln!("whoclicked: {name}: {err}");
                    failed += 1;
                    continue;
                }
            }
        };
        match mail::read(&name, &bytes) {
            Ok(found) => messages.extend(found),
            Err(err) => {
                eprintln!(
                    "whoclicked: {}",
                    whoclicked::text::escape_controls(&err.to_string())
                );
                failed += 1;
            }
        }
    }

    let parsed = mail::parse(messages);
    let ips = mail::distinct_addresses(&parsed);
    let databases = setup::open_databases(global)?;
    let mut kb = if args.no_kb {
        None
    } else {
        Some(setup::open_kb(global, false)?)
    };
    let looked_up = look_up_owners(&ips, &databases, kb.as_ref(), &LoadProgress::default());
    // Stock the addresses looked up, as `lookup` does.
    if let Some(kb) = kb.as_mut()
        && !looked_up.to_cache.is_empty()
    {
        let author = setup::author(global, None);
        if let Err(err) = cache_owners(kb, &author, &looked_up.to_cache) {
            eprintln!("whoclicked: warning: owner facts not cached: {err}");
        }
    }
    let facts = ip_facts(&ips, looked_up.owners, kb.as_ref());
    let reports = mail::analyse_all(parsed, &facts, &trust);

    let ctx = output::Context {
        facts: &facts,
        zone: &zone,
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        HeadersFormat::Table => output::write_text(&mut out, &reports, &ctx)?,
        HeadersFormat::Json => output::write_json(&mut out, &reports, &ctx)?,
        HeadersFormat::Csv => output::write_csv(&mut out, &reports, &ctx, args.excel)?,
    }
    out.flush()?;
    if failed > 0 {
        bail!(
            "{failed} of {} file(s) could not be read; the others were analysed",
            args.files.len()
        );
    }
    Ok(())
}
