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
    /// The line was longer than [`MAX_LINE`] and `text` holds its start only.
    cut: bool,
}

/// Addresses looked up, cached and written together. The input is read,
/// looked up and written in batches of this many, so memory stays bounded
/// however long the input is; the text table takes its column widths from
/// each batch (one batch is one table).
const BATCH: usize = 4096;

/// Bytes of one input line kept: an address is far shorter, and a bad line
/// of megabytes is quoted by its start only anyway.
const MAX_LINE: usize = 1024;

pub fn run(global: &GlobalArgs, args: &LookupArgs) -> anyhow::Result<()> {
    let databases = setup::open_databases(global)?;
    let integrity = whoclicked::owner::check_integrity(databases.infos());
    let mut kb = if args.no_kb {
        None
    } else {
        Some(setup::open_kb(global, false)?)
    };
    let author = setup::author(global, None);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut writer = Writer {
        json: args.json,
        tables: 0,
        any_sources: false,
        any_cached: false,
    };
    let mut bad = 0u64;
    let mut batch: Vec<(String, IpAddr)> = Vec::with_capacity(BATCH);
    let mut take = |input: Input, batch: &mut Vec<(String, IpAddr)>| {
        let ip = if input.cut {
            None
        } else {
            whoclicked::input::parse_address(&input.text)
        };
        match ip {
            Some(ip) => batch.push((input.text, ip)),
            None => {
                bad += 1;
                // A bad line may be long: quote its start only.
                let shown = whoclicked::text::truncate_to_width(&input.text, 60);
                eprintln!(
                    "whoclicked: {}: \"{}\" is not an IP address",
                    input.place,
                    whoclicked::text::escape_controls(&shown)
                );
            }
        }
    };
    if args.ips.is_empty() {
        let mut lines = StdinLines::new(std::io::stdin().lock());
        while let Some(input) = lines.next_input()? {
            take(input, &mut batch);
            if batch.len() >= BATCH {
                writer
                    .batch(&mut out, &batch, &databases, &mut kb, &author)
                    .map_err(stdout_error)?;
                batch.clear();
            }
        }
    } else {
        for (i, text) in args.ips.iter().enumerate() {
            let input = Input {
                place: format!("argument {}", i + 1),
                text: text.trim().to_string(),
                cut: false,
            };
            take(input, &mut batch);
            if batch.len() >= BATCH {
                writer
                    .batch(&mut out, &batch, &databases, &mut kb, &author)
                    .map_err(stdout_error)?;
                batch.clear();
            }
        }
    }
    if !batch.is_empty() || writer.tables == 0 {
        writer
            .batch(&mut out, &batch, &databases, &mut kb, &author)
            .map_err(stdout_error)?;
    }
    writer.finish(&mut out, &databases).map_err(stdout_error)?;
    out.flush().map_err(|err| stdout_error(err.into()))?;
    drop(out);

    for damaged in integrity.finish() {
        eprintln!("whoclicked: warning: {damaged}");
    }
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

/// A failed write to standard output as a [`StdoutError`], so a reader that
/// closed the pipe (`lookup | head -1`) ends the command quietly.
fn stdout_error(err: anyhow::Error) -> anyhow::Error {
    match err.downcast::<std::io::Error>() {
        Ok(err) => super::stdout::StdoutError(err).into(),
        Err(err) => err,
    }
}

/// Writes the answers batch by batch and remembers what the closing list
/// of sources needs.
struct Writer {
    json: bool,
    /// Tables written so far (a blank line separates them).
    tables: usize,
    any_sources: bool,
    any_cached: bool,
}

impl Writer {
    /// Looks up one batch, caches what the databases said, writes the answers.
    fn batch(
        &mut self,
        out: &mut impl Write,
        batch: &[(String, IpAddr)],
        databases: &OwnerDatabases,
        kb: &mut Option<KnowledgeBase>,
        author: &whoclicked::kb::Author,
    ) -> anyhow::Result<()> {
        let ips: Vec<IpAddr> = batch.iter().map(|(_, ip)| *ip).collect();
        let looked_up = look_up_owners(&ips, databases, kb.as_ref(), &Default::default());
        // Remember what the databases said, so a machine without them still knows.
        if let Some(kb) = kb.as_mut()
            && !looked_up.to_cache.is_empty()
            && let Err(err) = cache_owners(kb, author, &looked_up.to_cache)
        {
            eprintln!("whoclicked: warning: owner facts not cached: {err}");
        }
        let found = Found {
            inputs: batch,
            owners: &looked_up.owners,
            cached: &looked_up.cached,
            kb: kb.as_ref(),
            databases,
        };
        if self.json {
            write_json(out, &found)?;
        } else {
            if self.tables > 0 {
                if batch.is_empty() {
                    return Ok(());
                }
                writeln!(out)?;
            }
            self.tables += 1;
            self.any_sources |= write_table(out, &found)?;
            self.any_cached |= looked_up.cached.iter().any(|&c| c);
        }
        // Written as it goes: a reader sees the answers while more are read.
        out.flush()?;
        Ok(())
    }

    /// The list of databases the SOURCES numbers refer to, after the tables.
    fn finish(&self, out: &mut impl Write, databases: &OwnerDatabases) -> anyhow::Result<()> {
        if self.json || !self.any_sources {
            return Ok(());
        }
        writeln!(out)?;
        writeln!(out, "sources:")?;
        if self.any_cached {
            writeln!(out, "  kb  {CACHE_SOURCE} (facts from an earlier lookup)")?;
        }
        for (i, info) in databases.infos().iter().enumerate() {
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
        Ok(())
    }
}

/// Whether `text` reads as an address at all (bad ones are reported later).
fn line_is_address(text: &str) -> bool {
    let text = text.trim_matches('"');
    whoclicked::input::parse_address(text).is_some()
        || text
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || b"./:%".contains(&b))
}

/// The inputs of standard input, one line at a time, each cut to
/// [`MAX_LINE`] bytes, so neither many lines nor one huge line fill memory.
struct StdinLines<R> {
    reader: R,
    buf: Vec<u8>,
    line: u64,
    first: bool,
}

impl<R: BufRead> StdinLines<R> {
    fn new(reader: R) -> Self {
        StdinLines {
            reader,
            buf: Vec::with_capacity(MAX_LINE),
            line: 0,
            first: true,
        }
    }

    /// Reads one line into `buf` (its first [`MAX_LINE`] bytes); whether it was
    /// cut, or `None` at the end of the input.
    fn read_line(&mut self) -> std::io::Result<Option<bool>> {
        self.buf.clear();
        let mut any = false;
        let mut cut = false;
        loop {
            let available = match self.reader.fill_buf() {
                Ok(available) => available,
                Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(err) => return Err(err),
            };
            if available.is_empty() {
                return Ok(any.then_some(cut));
            }
            any = true;
            let (part, used, done) = match available.iter().position(|&b| b == b'\n') {
                Some(at) => (&available[..at], at + 1, true),
                None => (available, available.len(), false),
            };
            let room = MAX_LINE - self.buf.len();
            if part.len() > room {
                cut = true;
            }
            self.buf.extend_from_slice(&part[..part.len().min(room)]);
            self.reader.consume(used);
            if done {
                return Ok(Some(cut));
            }
        }
    }

    /// The next input to look up, skipping blank lines, comments and a heading.
    fn next_input(&mut self) -> anyhow::Result<Option<Input>> {
        while let Some(cut) = self.read_line()? {
            self.line += 1;
            let text = String::from_utf8_lossy(&self.buf);
            let text = text.trim();
            if text.is_empty() || text.starts_with('#') {
                continue;
            }
            // A column cut from a CSV starts with its heading (`ip`,
            // `IPアドレス`): a first line that is no address is skipped.
            let heading = std::mem::replace(&mut self.first, false) && !line_is_address(text);
            if heading {
                continue;
            }
            return Ok(Some(Input {
                place: format!("line {}", self.line),
                text: text.to_string(),
                cut,
            }));
        }
        Ok(None)
    }
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
            .and_then(|kb| kb.cached_owner(*ip));
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
        serde_json::to_writer(&mut *out, &record).map_err(std::io::Error::from)?;
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

/// An aligned table of the columns that have any value; whether it has a
/// SOURCES column (then the list of databases follows the last table).
fn write_table(out: &mut impl Write, found: &Found<'_>) -> anyhow::Result<bool> {
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
    Ok(columns.iter().any(|(h, _)| *h == "SOURCES"))
}
