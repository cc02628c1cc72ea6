//! An investigation written out: an aligned table (one row per event, then
//! the summary per account and the warnings), CSV (one row per event,
//! formula cells guarded, `--excel` BOM and CRLF) and JSON (everything,
//! the raw records included). Log text is untrusted: control characters
//! are escaped everywhere.

use std::collections::HashMap;
use std::io::{self, Write};
use std::net::IpAddr;

use jiff::tz::TimeZone;
use serde_json::{Value, json};

use super::Investigation;
use super::event::Event;
use super::judge::{AddressFacts, Judged};
use super::summary::{self, AccountSummary, SentBy};
use crate::model::zone_offset_label;
use crate::report::{neutralise, start_csv};
use crate::text::{escape_controls, truncate_to_width};

/// What every writer needs.
pub struct Context<'a> {
    pub investigation: &'a Investigation,
    pub judged: &'a [Judged],
    pub facts: &'a HashMap<IpAddr, AddressFacts>,
    pub zone: &'a TimeZone,
    pub warnings: &'a [String],
    /// Mails' Message-IDs found in the logs.
    pub sent: &'a [SentBy],
}

/// The columns of the CSV, in order.
pub const COLUMNS: [&str; 27] = [
    "file",
    "line",
    "time",
    "account",
    "operation",
    "kind",
    "result",
    "failure",
    "ip",
    "network",
    "asn",
    "as_org",
    "country",
    "connection",
    "location",
    "app",
    "client",
    "user_agent",
    "device",
    "session",
    "message_id",
    "subject",
    "rule",
    "suggestion",
    "score",
    "reasons",
    "note",
];

fn clean(text: &str) -> String {
    escape_controls(text).into_owned()
}

/// Every column of one event as text.
fn cells(ctx: &Context<'_>, e: &Event, j: &Judged) -> Vec<String> {
    let f = e.ip.and_then(|ip| ctx.facts.get(&ip));
    let o = f.map(|f| &f.owner);
    let country = e
        .log_country
        .as_deref()
        .or(o.and_then(|o| o.country_code.as_deref()))
        .unwrap_or("");
    let connection = o
        .map(|o| {
            let mut parts: Vec<String> = [&o.connection_type, &o.user_type]
                .into_iter()
                .flatten()
                .map(|s| s.to_string())
                .collect();
            let flags = o.flags;
            parts.extend(flags.names().map(str::to_string));
            parts.join(" ")
        })
        .unwrap_or_default();
    vec![
        ctx.investigation.files[usize::from(e.file)].name.clone(),
        e.line.to_string(),
        e.time.format_rfc3339(ctx.zone),
        e.account.to_string(),
        e.operation_text(),
        e.kind.as_str().to_string(),
        e.outcome.as_str().to_string(),
        e.failure.clone().unwrap_or_default(),
        e.ip.map(|ip| ip.to_string()).unwrap_or_default(),
        o.and_then(|o| o.network)
            .map(|n| n.to_string())
            .unwrap_or_default(),
        o.and_then(|o| o.asn)
            .or(e.log_asn)
            .map(|a| a.to_string())
            .unwrap_or_default(),
        o.and_then(|o| o.display_name()).unwrap_or("").to_string(),
        country.to_string(),
        connection,
        e.location.to_string(),
        e.app.to_string(),
        e.client.to_string(),
        e.user_agent.to_string(),
        e.device.to_string(),
        e.session.to_string(),
        e.message_id.clone().unwrap_or_default(),
        e.subject.clone().unwrap_or_default(),
        e.rule.as_ref().map(|r| r.describe()).unwrap_or_default(),
        j.suggestion().as_str().to_string(),
        format!("{:.1}", j.score),
        j.reasons_text(),
        f.and_then(|f| f.note.as_ref())
            .map(|n| n.text.to_string())
            .unwrap_or_default(),
    ]
}

pub fn write_csv(out: &mut dyn Write, ctx: &Context<'_>, excel: bool) -> io::Result<()> {
    start_csv(excel, out, &COLUMNS, |w| {
        for (e, j) in ctx.investigation.events.iter().zip(ctx.judged) {
            let row: Vec<String> = cells(ctx, e, j)
                .into_iter()
                .map(|c| neutralise(c.into()).into_owned())
                .collect();
            w.write_record(&row).map_err(io::Error::other)?;
        }
        Ok(())
    })
}

fn summary_json(s: &AccountSummary, zone: &TimeZone) -> Value {
    json!({
        "account": s.account,
        "events": s.events,
        "first": s.first.format_rfc3339(zone),
        "last": s.last.format_rfc3339(zone),
        "sign_ins": s.sign_ins,
        "failed_sign_ins": s.failures,
        "countries": s.countries,
        "networks": s.networks,
        "new_networks": s.new_networks.iter().map(|(n, t)| json!({"network": n, "first": t.format_rfc3339(zone)})).collect::<Vec<_>>(),
        "suspicious": s.suspicious,
        "unsure": s.unsure,
        "expected": s.expected,
    })
}

pub fn write_json(out: &mut dyn Write, ctx: &Context<'_>) -> io::Result<()> {
    let inv = ctx.investigation;
    let events: Vec<Value> = inv
        .events
        .iter()
        .zip(ctx.judged)
        .map(|(e, j)| {
            let mut map = serde_json::Map::new();
            for (k, v) in COLUMNS.iter().zip(cells(ctx, e, j)) {
                if *k == "reasons" || *k == "score" || *k == "line" {
                    continue;
                }
                map.insert((*k).to_string(), Value::String(v));
            }
            map.insert("line".into(), json!(e.line));
            map.insert("score".into(), json!(j.score));
            map.insert(
                "reasons".into(),
                Value::Array(
                    j.reasons
                        .iter()
                        .map(|r| json!({"code": r.code, "weight": r.weight, "text": r.text}))
                        .collect(),
                ),
            );
            if let Some(raw) = &e.raw {
                map.insert("raw".into(), Value::String(raw.to_string()));
            }
            Value::Object(map)
        })
        .collect();
    let accounts = summary::accounts(inv, ctx.judged, ctx.facts);
    let doc = json!({
        "files": inv.files.iter().map(|f| json!({"name": f.name, "format": f.kind.label(), "records": f.records, "events": f.events})).collect::<Vec<_>>(),
        "events": events,
        "accounts": accounts.iter().map(|s| summary_json(s, ctx.zone)).collect::<Vec<_>>(),
        "sent": ctx.sent.iter().map(|s| json!({
            "message_id": s.message_id,
            "line": inv.events[s.send].line,
            "text": summary::sent_by_text(s, &inv.events, ctx.facts, ctx.zone),
        })).collect::<Vec<_>>(),
        "warnings": ctx.warnings,
        "issues": inv.issues.iter().map(|i| json!({
            "file": inv.files.get(usize::from(i.file)).map(|f| f.name.as_str()),
            "line": i.line,
            "column": i.column,
            "reason": i.reason,
        })).collect::<Vec<_>>(),
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

/// Widest cells of the text table, so a row stays on one line.
const WIDTHS: [usize; 9] = [19, 28, 34, 11, 39, 40, 4, 10, 200];

pub fn write_table(out: &mut dyn Write, ctx: &Context<'_>) -> io::Result<()> {
    let inv = ctx.investigation;
    let at = inv
        .events
        .first()
        .map(|e| e.time.to_jiff())
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let time_head = format!("time ({})", zone_offset_label(ctx.zone, at));
    let header = [
        time_head.as_str(),
        "account",
        "operation",
        "result",
        "ip",
        "owner",
        "cc",
        "suggestion",
        "reasons",
    ];
    let mut rows: Vec<Vec<String>> = Vec::with_capacity(inv.events.len());
    for (e, j) in inv.events.iter().zip(ctx.judged) {
        let c = cells(ctx, e, j);
        let owner = match (c[10].as_str(), c[11].as_str()) {
            ("", o) => o.to_string(),
            (a, "") => format!("AS{a}"),
            (a, o) => format!("AS{a} {o}"),
        };
        let result = match (c[6].as_str(), e.failure.as_deref()) {
            ("failure", Some(f)) => format!("fail {}", f.split_whitespace().next().unwrap_or("")),
            (r, _) => r.to_string(),
        };
        rows.push(vec![
            e.time.format_short(ctx.zone),
            c[3].clone(),
            c[4].clone(),
            result,
            c[8].clone(),
            owner,
            c[12].clone(),
            c[23].clone(),
            c[25].clone(),
        ]);
    }
    let mut widths: Vec<usize> = header
        .iter()
        .map(|h| crate::text::display_width(h))
        .collect();
    for row in &rows {
        for (i, cell) in row.iter().enumerate() {
            let w = crate::text::display_width(&clean(cell)).min(WIDTHS[i]);
            widths[i] = widths[i].max(w);
        }
    }
    let line = |cells: &[String]| -> String {
        let mut s = String::new();
        for (i, cell) in cells.iter().enumerate() {
            let text = truncate_to_width(&clean(cell), WIDTHS[i]).into_owned();
            if i + 1 == cells.len() {
                s.push_str(&text);
            } else {
                s.push_str(&crate::text::fit_to_width(&text, widths[i]));
                s.push_str("  ");
            }
        }
        s.trim_end().to_string()
    };
    writeln!(
        out,
        "{}",
        line(&header.iter().map(|h| h.to_string()).collect::<Vec<_>>())
    )?;
    for row in &rows {
        writeln!(out, "{}", line(row))?;
    }
    writeln!(out)?;
    for s in summary::accounts(inv, ctx.judged, ctx.facts) {
        writeln!(
            out,
            "{}: {} events {} – {}, {} sign-ins ({} failed); {} suspicious, {} unsure, {} expected",
            clean(&s.account),
            s.events,
            s.first.format_short(ctx.zone),
            s.last.format_short(ctx.zone),
            s.sign_ins,
            s.failures,
            s.suspicious,
            s.unsure,
            s.expected
        )?;
        let countries: Vec<String> = s
            .countries
            .iter()
            .map(|(c, n)| format!("{c} {n}"))
            .collect();
        if !countries.is_empty() {
            writeln!(out, "  countries: {}", clean(&countries.join(", ")))?;
        }
        let mut nets: Vec<(&String, &usize)> = s.networks.iter().collect();
        nets.sort_by(|a, b| b.1.cmp(a.1));
        let nets: Vec<String> = nets
            .iter()
            .take(6)
            .map(|(n, c)| format!("{n} {c}"))
            .collect();
        if !nets.is_empty() {
            writeln!(out, "  networks: {}", clean(&nets.join(", ")))?;
        }
        for (n, t) in &s.new_networks {
            writeln!(
                out,
                "  first seen: {} at {}",
                clean(n),
                t.format_short(ctx.zone)
            )?;
        }
    }
    for s in ctx.sent {
        writeln!(
            out,
            "{}",
            clean(&summary::sent_by_text(s, &inv.events, ctx.facts, ctx.zone))
        )?;
    }
    for w in ctx.warnings {
        writeln!(out, "note: {}", clean(w))?;
    }
    Ok(())
}
