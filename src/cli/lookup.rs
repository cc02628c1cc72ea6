//! `whoclicked lookup IP...`: owner facts per address, offline, in bulk.

use std::io::{BufRead, Write};
use std::net::IpAddr;

use anyhow::bail;
use clap::Args;
use serde::Serialize;
use whoclicked::kb::KnowledgeBase;
use whoclicked::owner::{Owner, OwnerDatabases};
use whoclicked::pipeline::{cache_owners, look_up_owners};

use super::table::Table;
use super::{GlobalArgs, setup};

#[derive(Debug, Args)]
pub struct LookupArgs {
    /// Addresses to look up. Without any, one per line from standard input
    /// (blank lines and lines starting with '#' are skipped).
    #[arg(value_name = "IP")]
    pub ips: Vec<String>,
    /// One JSON object per address, one per line (JSON Lines), instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Do not use the knowledge base's owner cache (neither read nor write it).
    #[arg(long = "no-kb")]
    pub no_kb: bool,
}

/// One input: where it came from (for messages) and its text.
struct Input {
    place: String,
    text: String,
}

pub fn run(global: &GlobalArgs, args: &LookupArgs) -> anyhow::Result<()> {
    let inputs = if args.ips.is_empty() {
        read_stdin()?
    } else {
        args.ips
            .iter()
            .enumerate()
            .map(|(i, text)| Input {
                place: format!("argument {}", i + 1),
                text: text.trim().to_string(),
            })
            .collect()
    };
    let mut bad = 0;
    let mut good: Vec<(String, IpAddr)> = Vec::with_capacity(inputs.len());
    for input in inputs {
        match whoclicked::input::parse_address(&input.text) {
            Some(ip) => good.push((input.text, ip)),
            None => {
                bad += 1;
                // A bad line may be megabytes long: quote its start only.
                let shown = whoclicked::text::truncate_to_width(&input.text, 60);
                eprintln!(
                    "whoclicked: {}: \"{}\" is not an IP address",
                    input.place,
                    whoclicked::text::escape_controls(&shown)
                );
            }
        }
    }

    let databases = setup::open_databases(global)?;
    let mut kb = if args.no_kb {
        None
    } else {
        Some(setup::open_kb(global, false)?)
    };
    let ips: Vec<IpAddr> = good.iter().map(|(_, ip)| *ip).collect();
    let looked_up = look_up_owners(&ips, &databases, kb.as_ref(), &Default::default());
    // Remember what the databases said, so a machine without them still knows.
    if let Some(kb) = kb.as_mut()
        && !looked_up.to_cache.is_empty()
    {
        let author = setup::author(global, None);
        if let Err(err) = cache_owners(kb, &author, &looked_up.to_cache) {
            eprintln!("whoclicked: warning: owner facts not cached: {err}");
        }
    }
    let found = Found {
        inputs: &good,
        owners: &looked_up.owners,
        cached: &looked_up.cached,
        kb: kb.as_ref(),
        databases: &databases,
    };

    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        write_json(&mut out, &found)?;
    } else {
        write_table(&mut out, &found)?;
    }
    out.flush()?;
    drop(out);

    for failed in databases.lookup_errors() {
        eprintln!(
            "whoclicked: warning: {} lookup(s) failed in {} (corrupt data?): {}",
            failed.count,
            whoclicked::text::path_text(&failed.path),
            failed.first
        );
    }
    if bad > 0 {
        bail!("{bad} input(s) were not IP addresses; the others were looked up");
    }
    Ok(())
}

/// Whether `text` reads as an address at all (bad ones are reported later).
fn line_is_address(text: &str) -> bool {
    let text = text.trim_matches('"');
    whoclicked::input::parse_address(text).is_some()
        || text
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || b"./:%".contains(&b))
}

fn read_stdin() -> anyhow::Result<Vec<Input>> {
    let mut inputs = Vec::new();
    let mut stdin = std::io::stdin().lock();
    let mut buf = Vec::new();
    let mut line = 0u64;
    let mut first = true;
    loop {
        buf.clear();
        if stdin.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        line += 1;
        let text = String::from_utf8_lossy(&buf);
        let text = text.trim();
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        // A column cut from a CSV starts with its heading (`ip`,
        // `IPアドレス`): a first line that is no address is skipped.
        let heading = first && !line_is_address(text);
        first = false;
        if heading {
            continue;
        }
        inputs.push(Input {
            place: format!("line {line}"),
            text: text.to_string(),
        });
    }
    Ok(inputs)
}

/// The answers, with what is needed to say where each came from.
struct Found<'a> {
    inputs: &'a [(String, IpAddr)],
    owners: &'a [Owner],
    /// Per answer: it came from the knowledge base's owner cache.
    cached: &'a [bool],
    kb: Option<&'a KnowledgeBase>,
    databases: &'a OwnerDatabases,
}

#[derive(Serialize)]
struct JsonSource<'a> {
    database_type: &'a str,
    file: String,
    build_date: String,
}

#[derive(Serialize)]
struct JsonOwner<'a> {
    input: &'a str,
    ip: String,
    internal: Option<&'static str>,
    network: Option<String>,
    asn: Option<u32>,
    as_org: Option<&'a str>,
    isp: Option<&'a str>,
    organization: Option<&'a str>,
    country_code: Option<&'a str>,
    country_name: Option<&'a str>,
    city: Option<&'a str>,
    connection_type: Option<&'a str>,
    user_type: Option<&'a str>,
    domain: Option<&'a str>,
    flags: Vec<&'static str>,
    sources: Vec<JsonSource<'a>>,
}

fn write_json(out: &mut impl Write, found: &Found<'_>) -> anyhow::Result<()> {
    let infos = found.databases.infos();
    for (n, ((input, ip), owner)) in found.inputs.iter().zip(found.owners).enumerate() {
        let cached = found
            .kb
            .filter(|_| found.cached[n])
            .and_then(|kb| kb.cached_owner(*ip))
            .map(|(cached, _)| cached);
        let record = JsonOwner {
            input,
            ip: ip.to_canonical().to_string(),
            internal: owner.internal,
            network: owner.network.map(|n| n.to_string()),
            asn: owner.asn,
            as_org: owner.as_org.as_deref(),
            isp: owner.isp.as_deref(),
            organization: owner.organization.as_deref(),
            country_code: owner.country_code.as_deref(),
            country_name: owner.country_name.as_deref(),
            city: owner.city.as_deref(),
            connection_type: owner.connection_type.as_deref(),
            user_type: owner.user_type.as_deref(),
            domain: owner.domain.as_deref(),
            flags: owner.flags.names().collect(),
            sources: match cached {
                Some(cached) => cached
                    .sources
                    .iter()
                    .map(|source| JsonSource {
                        database_type: &source.database,
                        file: CACHE_SOURCE.to_string(),
                        build_date: source
                            .built
                            .map(|t| t.strftime("%Y-%m-%d").to_string())
                            .unwrap_or_default(),
                    })
                    .collect(),
                None => owner
                    .sources
                    .iter()
                    .filter_map(|&i| infos.get(usize::from(i)))
                    .map(|info| JsonSource {
                        database_type: &info.database_type,
                        file: info.path.display().to_string(),
                        build_date: info.build_date(),
                    })
                    .collect(),
            },
        };
        serde_json::to_writer(&mut *out, &record)?;
        writeln!(out)?;
    }
    Ok(())
}

/// A table column: heading and the cell of one row.
struct Column {
    heading: &'static str,
    cell: fn(&Owner) -> String,
}

fn text(value: &Option<std::sync::Arc<str>>) -> String {
    value.as_deref().unwrap_or_default().to_string()
}

const COLUMNS: &[Column] = &[
    Column {
        heading: "OWNER",
        cell: |o| o.to_string(),
    },
    Column {
        heading: "NETWORK",
        cell: |o| o.network.map(|n| n.to_string()).unwrap_or_default(),
    },
    // AS ORG and ISP are shown where they differ from the name in OWNER.
    Column {
        heading: "AS ORG",
        cell: |o| match (&o.as_org, o.display_name()) {
            (Some(org), Some(name)) if &**org != name => org.to_string(),
            _ => String::new(),
        },
    },
    Column {
        heading: "ISP",
        cell: |o| match (&o.isp, o.display_name()) {
            (Some(isp), Some(name)) if &**isp != name => isp.to_string(),
            _ => String::new(),
        },
    },
    Column {
        heading: "COUNTRY",
        cell: |o| match (&o.country_code, &o.country_name) {
            (Some(code), Some(name)) => format!("{code} {name}"),
            (Some(code), None) => code.to_string(),
            (None, Some(name)) => name.to_string(),
            (None, None) => String::new(),
        },
    },
    Column {
        heading: "CITY",
        cell: |o| text(&o.city),
    },
    Column {
        heading: "CONNECTION",
        cell: |o| text(&o.connection_type),
    },
    Column {
        heading: "USER TYPE",
        cell: |o| text(&o.user_type),
    },
    Column {
        heading: "DOMAIN",
        cell: |o| text(&o.domain),
    },
    Column {
        heading: "FLAGS",
        cell: |o| o.flags.names().collect::<Vec<_>>().join(","),
    },
];

/// Where a cached answer says it came from.
const CACHE_SOURCE: &str = "knowledge-base owner cache";

/// The SOURCES cell: database numbers, or `kb` for the owner cache.
fn sources_cell(owner: &Owner, cached: bool) -> String {
    if cached {
        return "kb".to_string();
    }
    owner
        .sources
        .iter()
        .map(|i| (u32::from(*i) + 1).to_string())
        .collect::<Vec<_>>()
        .join(",")
}

/// An aligned table of the columns that have any value, then the list of
/// databases the SOURCES numbers refer to.
fn write_table(out: &mut impl Write, found: &Found<'_>) -> anyhow::Result<()> {
    let inputs = found.inputs;
    let mut columns: Vec<(&'static str, Vec<String>)> = vec![(
        "IP",
        inputs.iter().map(|(input, _)| input.clone()).collect(),
    )];
    for column in COLUMNS {
        let cells: Vec<String> = found.owners.iter().map(|o| (column.cell)(o)).collect();
        if column.heading == "OWNER" || cells.iter().any(|c| !c.is_empty()) {
            columns.push((column.heading, cells));
        }
    }
    let sources: Vec<String> = found
        .owners
        .iter()
        .zip(found.cached)
        .map(|(o, &cached)| sources_cell(o, cached))
        .collect();
    if sources.iter().any(|c| !c.is_empty()) {
        columns.push(("SOURCES", sources));
    }
    let mut table = Table::new(&columns.iter().map(|(h, _)| *h).collect::<Vec<_>>());
    for r in 0..inputs.len() {
        table.row(columns.iter().map(|(_, cells)| cells[r].clone()).collect());
    }
    out.write_all(table.render().as_bytes())?;
    if columns.iter().any(|(h, _)| *h == "SOURCES") {
        writeln!(out)?;
        writeln!(out, "sources:")?;
        if found.cached.iter().any(|&c| c) {
            writeln!(out, "  kb  {CACHE_SOURCE} (facts from an earlier lookup)")?;
        }
        for (i, info) in found.databases.infos().iter().enumerate() {
            writeln!(
                out,
                "  {}  {} ({}), built {}, {}",
                i + 1,
                info.database_type,
                info.kind,
                info.build_date(),
                whoclicked::text::path_text(&info.path)
            )?;
        }
    }
    Ok(())
}
