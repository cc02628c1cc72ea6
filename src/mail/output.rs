//! The analysis written out: the aligned text (verdict first, then the hop
//! table, the other evidence and the flags), JSON (everything), and CSV
//! (one row per hop, formula cells guarded). Text from the mail is
//! untrusted: every cell and line goes through `escape_controls`.

use std::collections::HashMap;
use std::io::{self, Write};
use std::net::IpAddr;

use jiff::tz::TimeZone;
use serde::Serialize;

use super::trace::{HopReport, MessageReport};
use super::trust::IpFacts;
use super::verdict::{owner_text, sentence, time_text};
use crate::report::{neutralise, start_csv};
use crate::text::{display_width, escape_controls, format_delay, truncate_to_width};

/// What every writer needs besides the reports.
pub struct Context<'a> {
    pub facts: &'a HashMap<IpAddr, IpFacts>,
    pub zone: &'a TimeZone,
}

/// Widest a name column gets in the text table.
const NAME_WIDTH: usize = 42;

fn clean(text: &str) -> String {
    escape_controls(text).into_owned()
}

/// The FROM cell: the name the hop's sender went by and the address seen.
pub fn from_cell(h: &HopReport) -> String {
    truncate_to_width(&sender_names(&h.hop), NAME_WIDTH).into_owned()
}

/// The names a hop's sender went by: its HELO, then the receiver's reverse
/// DNS in brackets where it differs (`(local)` for a local delivery).
pub fn sender_names(hop: &super::Hop) -> String {
    let mut parts = Vec::new();
    if let Some(helo) = &hop.helo {
        parts.push(helo.clone());
    }
    if let Some(rdns) = &hop.rdns
        && hop.helo.as_deref() != Some(rdns.as_str())
    {
        parts.push(format!("({rdns})"));
    }
    if parts.is_empty() && hop.local {
        parts.push("(local)".into());
    }
    parts.join(" ")
}

/// The delay cell: `+2.0s`, `-1m05s !`.
pub fn delay_cell(h: &HopReport) -> String {
    match h.delay {
        Some(d) if d < 0 => format!("{} !", format_delay(d as f64)),
        Some(d) => format!("+{}", format_delay(d as f64)),
        None => String::new(),
    }
}

/// Writes the text form of every message, then a summary of origins when
/// there are several.
pub fn write_text(
    out: &mut dyn Write,
    reports: &[MessageReport],
    ctx: &Context<'_>,
) -> io::Result<()> {
    for (n, r) in reports.iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        write_message(out, r, ctx)?;
    }
    if reports.len() > 1 {
        writeln!(out)?;
        write_origins(out, reports, ctx)?;
    }
    Ok(())
}

fn write_message(out: &mut dyn Write, r: &MessageReport, ctx: &Context<'_>) -> io::Result<()> {
    writeln!(out, "== {}", clean(&r.source))?;
    writeln!(out, "{}", clean(&sentence(r, ctx.facts, ctx.zone)))?;
    for (name, value) in [
        ("From", r.from.as_deref()),
        ("Subject", r.subject.as_deref()),
        ("Message-ID", r.message_id.as_deref()),
    ] {
        if let Some(v) = value {
            writeln!(out, "{name}: {}", clean(v))?;
        }
    }
    if let Some(d) = r.date {
        writeln!(out, "Date: {}", time_text(d, ctx.zone))?;
    }
    if r.hops.is_empty() {
        return write_rest(out, r, ctx);
    }
    writeln!(out)?;
    let header = [
        "HOP", "FROM", "IP", "OWNER", "CLASS", "BY", "WITH", "TIME", "DELAY", "STATUS",
    ];
    let mut rows: Vec<Vec<String>> = Vec::with_capacity(r.hops.len());
    for h in &r.hops {
        let hop = &h.hop;
        rows.push(vec![
            h.number.to_string(),
            from_cell(h),
            hop.ip.map(|ip| ip.to_string()).unwrap_or_default(),
            hop.ip
                .map(|ip| owner_text(ip, ctx.facts))
                .unwrap_or_default(),
            h.class
                .as_ref()
                .map(|c| c.class.name().to_string())
                .unwrap_or_default(),
            truncate_to_width(hop.by.as_deref().unwrap_or_default(), NAME_WIDTH).into_owned(),
            hop.with.clone().unwrap_or_default(),
            hop.time
                .map(|t| time_text(t, ctx.zone))
                .unwrap_or_else(|| "-".into()),
            delay_cell(h),
            h.status.name().to_string(),
        ]);
    }
    write_aligned(out, &header, &rows)?;
    write_rest(out, r, ctx)
}

fn write_rest(out: &mut dyn Write, r: &MessageReport, ctx: &Context<'_>) -> io::Result<()> {
    if !r.evidence.is_empty() {
        writeln!(out)?;
        writeln!(out, "Other evidence:")?;
        for e in &r.evidence {
            let owner =
                e.ip.map(|ip| format!(" [{ip}: {}]", owner_text(ip, ctx.facts)))
                    .unwrap_or_default();
            writeln!(
                out,
                "  {} (line {}): {}{}",
                clean(&e.header),
                e.line,
                clean(&e.meaning),
                clean(&owner)
            )?;
        }
    }
    let hop_flags = r
        .hops
        .iter()
        .flat_map(|h| h.flags.iter().map(move |f| (Some(h), f)));
    let flags: Vec<_> = r.flags.iter().map(|f| (None, f)).chain(hop_flags).collect();
    if !flags.is_empty() {
        writeln!(out)?;
        writeln!(out, "Flags:")?;
        for (hop, f) in flags {
            match hop {
                Some(h) => writeln!(
                    out,
                    "  hop {} (line {}): {}: {}",
                    h.number,
                    h.hop.line,
                    f.code,
                    clean(&f.text)
                )?,
                None => writeln!(out, "  {}: {}", f.code, clean(&f.text))?,
            }
        }
    }
    if !r.issues.is_empty() {
        writeln!(out)?;
        writeln!(out, "Problems reading it:")?;
        for i in &r.issues {
            writeln!(out, "  line {}: {}", i.line, clean(&i.text))?;
        }
    }
    Ok(())
}

/// Every origin address over all messages, with how many messages and its owner.
pub fn origins(reports: &[MessageReport]) -> Vec<(IpAddr, usize)> {
    let mut counts: Vec<(IpAddr, usize)> = Vec::new();
    for r in reports {
        if let Some(ip) = r.verdict.origin() {
            match counts.iter_mut().find(|(i, _)| *i == ip) {
                Some((_, n)) => *n += 1,
                None => counts.push((ip, 1)),
            }
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    counts
}

fn write_origins(
    out: &mut dyn Write,
    reports: &[MessageReport],
    ctx: &Context<'_>,
) -> io::Result<()> {
    let list = origins(reports);
    let without = reports
        .iter()
        .filter(|r| r.verdict.origin().is_none())
        .count();
    writeln!(out, "== Origins of {} messages", reports.len())?;
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|(ip, n)| vec![ip.to_string(), n.to_string(), owner_text(*ip, ctx.facts)])
        .collect();
    if !rows.is_empty() {
        write_aligned(out, &["IP", "MESSAGES", "OWNER"], &rows)?;
    }
    if without > 0 {
        writeln!(
            out,
            "{without} message(s) name no origin address (see each verdict)."
        )?;
    }
    Ok(())
}

/// Columns padded to their widest cell (display width), cells escaped.
fn write_aligned(out: &mut dyn Write, header: &[&str], rows: &[Vec<String>]) -> io::Result<()> {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| clean(c)).collect())
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| display_width(h)).collect();
    for row in &rows {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(display_width(c));
        }
    }
    let head: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    for row in std::iter::once(&head).chain(&rows) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            line.push_str(cell);
            if i + 1 < row.len() {
                line.push_str(&" ".repeat(widths[i].saturating_sub(display_width(cell))));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonOwner<'a> {
    asn: Option<u32>,
    organization: Option<&'a str>,
    country: Option<&'a str>,
    internal: Option<&'static str>,
    network: Option<String>,
    note: Option<&'a str>,
    text: String,
}

fn json_owner<'a>(ip: IpAddr, ctx: &'a Context<'_>) -> JsonOwner<'a> {
    let f = ctx.facts.get(&ip);
    let o = f.map(|f| &f.owner);
    JsonOwner {
        asn: o.and_then(|o| o.asn),
        organization: o.and_then(|o| o.display_name()),
        country: o.and_then(|o| o.country_code.as_deref()),
        internal: o.and_then(|o| o.internal),
        network: o.and_then(|o| o.network.map(|n| n.to_string())),
        note: f.and_then(|f| f.note.as_ref().map(|n| &*n.text)),
        text: owner_text(ip, ctx.facts),
    }
}

#[derive(Serialize)]
struct JsonHop<'a> {
    hop: usize,
    line: usize,
    helo: Option<&'a str>,
    rdns: Option<&'a str>,
    ip: Option<IpAddr>,
    owner: Option<JsonOwner<'a>>,
    class: Option<&'static str>,
    class_why: Option<&'a str>,
    by: Option<&'a str>,
    by_ip: Option<IpAddr>,
    with: Option<&'a str>,
    id: Option<&'a str>,
    time: Option<String>,
    time_local: Option<String>,
    date_text: Option<&'a str>,
    delay_seconds: Option<i64>,
    status: &'static str,
    flags: &'a [super::Flag],
    raw: &'a str,
}

#[derive(Serialize)]
struct JsonEvidence<'a> {
    #[serde(flatten)]
    evidence: &'a super::evidence::Evidence,
    owner: Option<JsonOwner<'a>>,
}

#[derive(Serialize)]
struct JsonMessage<'a> {
    source: &'a str,
    sentence: String,
    verdict: &'a super::Verdict,
    origin: Option<IpAddr>,
    origin_owner: Option<JsonOwner<'a>>,
    from: Option<&'a str>,
    subject: Option<&'a str>,
    message_id: Option<&'a str>,
    date: Option<String>,
    generator: Option<&'a super::evidence::Generator>,
    hops: Vec<JsonHop<'a>>,
    evidence: Vec<JsonEvidence<'a>>,
    flags: &'a [super::Flag],
    issues: &'a [super::MailIssue],
}

#[derive(Serialize)]
struct JsonOrigin<'a> {
    ip: IpAddr,
    messages: usize,
    owner: JsonOwner<'a>,
}

#[derive(Serialize)]
struct JsonAll<'a> {
    zone: String,
    messages: Vec<JsonMessage<'a>>,
    origins: Vec<JsonOrigin<'a>>,
}

/// One JSON document: every message (every hop, every address with its
/// owner, the flags, the verdict) and the origins over all of them.
pub fn write_json(
    out: &mut dyn Write,
    reports: &[MessageReport],
    ctx: &Context<'_>,
) -> io::Result<()> {
    let messages = reports
        .iter()
        .map(|r| JsonMessage {
            source: &r.source,
            sentence: sentence(r, ctx.facts, ctx.zone),
            verdict: &r.verdict,
            origin: r.verdict.origin(),
            origin_owner: r.verdict.origin().map(|ip| json_owner(ip, ctx)),
            from: r.from.as_deref(),
            subject: r.subject.as_deref(),
            message_id: r.message_id.as_deref(),
            date: r.date.map(|d| d.to_string()),
            generator: r.generator.as_ref(),
            hops: r
                .hops
                .iter()
                .map(|h| JsonHop {
                    hop: h.number,
                    line: h.hop.line,
                    helo: h.hop.helo.as_deref(),
                    rdns: h.hop.rdns.as_deref(),
                    ip: h.hop.ip,
                    owner: h.hop.ip.map(|ip| json_owner(ip, ctx)),
                    class: h.class.as_ref().map(|c| c.class.name()),
                    class_why: h
                        .class
                        .as_ref()
                        .map(|c| c.why.as_str())
                        .filter(|w| !w.is_empty()),
                    by: h.hop.by.as_deref(),
                    by_ip: h.hop.by_ip,
                    with: h.hop.with.as_deref(),
                    id: h.hop.id.as_deref(),
                    time: h.hop.time.map(|t| t.to_string()),
                    time_local: h.hop.time.map(|t| time_text(t, ctx.zone)),
                    date_text: h.hop.date_text.as_deref(),
                    delay_seconds: h.delay,
                    status: h.status.name(),
                    flags: &h.flags,
                    raw: &h.hop.raw,
                })
                .collect(),
            evidence: r
                .evidence
                .iter()
                .map(|e| JsonEvidence {
                    evidence: e,
                    owner: e.ip.map(|ip| json_owner(ip, ctx)),
                })
                .collect(),
            flags: &r.flags,
            issues: &r.issues,
        })
        .collect();
    let all = JsonAll {
        zone: zone_name(ctx.zone),
        messages,
        origins: origins(reports)
            .into_iter()
            .map(|(ip, messages)| JsonOrigin {
                ip,
                messages,
                owner: json_owner(ip, ctx),
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &all)?;
    writeln!(out)
}

fn zone_name(zone: &TimeZone) -> String {
    zone.iana_name().map(str::to_string).unwrap_or_else(|| {
        jiff::Timestamp::now()
            .to_zoned_datetime(zone.clone())
            .strftime("%:z")
            .to_string()
    })
}

/// CSV, one row per hop (a message without hops gets one row with its verdict).
pub fn write_csv(
    out: &mut dyn Write,
    reports: &[MessageReport],
    ctx: &Context<'_>,
    excel: bool,
) -> io::Result<()> {
    let header = [
        "source",
        "verdict",
        "origin",
        "hop",
        "line",
        "helo",
        "rdns",
        "ip",
        "asn",
        "owner",
        "country",
        "class",
        "by",
        "with",
        "time",
        "delay_seconds",
        "status",
        "flags",
        "received",
    ];
    start_csv(excel, out, &header, |w| {
        for r in reports {
            let origin = r
                .verdict
                .origin()
                .map(|ip| ip.to_string())
                .unwrap_or_default();
            let base = [r.source.clone(), r.verdict.kind().to_string(), origin];
            let rows: Vec<Option<&HopReport>> = if r.hops.is_empty() {
                vec![None]
            } else {
                r.hops.iter().map(Some).collect()
            };
            for h in rows {
                let mut cells: Vec<(String, bool)> =
                    base.iter().map(|c| (c.clone(), true)).collect();
                let facts = h.and_then(|h| h.hop.ip).and_then(|ip| ctx.facts.get(&ip));
                let hop_cells: Vec<(String, bool)> = match h {
                    None => vec![(String::new(), false); 16],
                    Some(h) => vec![
                        (h.number.to_string(), false),
                        (h.hop.line.to_string(), false),
                        (h.hop.helo.clone().unwrap_or_default(), true),
                        (h.hop.rdns.clone().unwrap_or_default(), true),
                        (h.hop.ip.map(|i| i.to_string()).unwrap_or_default(), true),
                        (
                            facts
                                .and_then(|f| f.owner.asn)
                                .map(|a| a.to_string())
                                .unwrap_or_default(),
                            false,
                        ),
                        (
                            h.hop
                                .ip
                                .map(|ip| owner_text(ip, ctx.facts))
                                .unwrap_or_default(),
                            true,
                        ),
                        (
                            facts
                                .and_then(|f| f.owner.country_code.as_deref())
                                .unwrap_or_default()
                                .to_string(),
                            true,
                        ),
                        (
                            h.class
                                .as_ref()
                                .map(|c| c.class.name())
                                .unwrap_or_default()
                                .to_string(),
                            true,
                        ),
                        (h.hop.by.clone().unwrap_or_default(), true),
                        (h.hop.with.clone().unwrap_or_default(), true),
                        (
                            h.hop
                                .time
                                .map(|t| time_text(t, ctx.zone))
                                .unwrap_or_default(),
                            false,
                        ),
                        (h.delay.map(|d| d.to_string()).unwrap_or_default(), false),
                        (h.status.name().to_string(), true),
                        (
                            h.flags.iter().map(|f| f.code).collect::<Vec<_>>().join(" "),
                            true,
                        ),
                        (h.hop.raw.clone(), true),
                    ],
                };
                cells.extend(hop_cells);
                let record: Vec<String> = cells
                    .into_iter()
                    .map(|(c, text)| {
                        if text {
                            neutralise(c.into()).into_owned()
                        } else {
                            c
                        }
                    })
                    .collect();
                w.write_record(&record).map_err(io::Error::other)?;
            }
        }
        Ok(())
    })
}
