//! `report --queue`: the review queue instead of the accesses — the
//! recipients left unsure, the one whose decision can move the human click
//! rate most first (`review::review_queue`), each with where to look: its
//! unsure clicks' addresses, their owner, and the least sure suggestion's
//! reasons. As a table, CSV or JSON, like the rest of the report.

use std::borrow::Cow;
use std::io::{self, Write};

use serde::Serialize;

use super::csv_out::{neutralise, start_csv};
use super::summary::Summary;
use crate::review::{QueueEntry, ReviewContext, review_queue};
use crate::text::{escape_controls, fit_to_width};

/// One row of the queue as the report writes it.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct QueueRow {
    pub rank: usize,
    pub recipient: String,
    /// Unsure recipients deciding this one's addresses settles (itself included).
    pub impact: usize,
    /// How far that can move the human click rate, in percentage points of
    /// the delivered recipients; `None` when delivery is unknown.
    pub points: Option<f64>,
    pub unsure_clicks: usize,
    pub ips: Vec<String>,
    pub owner: String,
    /// The least sure suggestion among its unsure clicks: its reasons.
    pub reasons: String,
}

/// The queue's rows, most impact first.
pub fn queue_rows(ctx: &ReviewContext<'_>) -> Vec<QueueRow> {
    let campaign = &ctx.analysis.campaign;
    let delivered = campaign.delivered_count();
    review_queue(ctx)
        .into_iter()
        .enumerate()
        .map(|(n, e): (usize, QueueEntry)| QueueRow {
            rank: n + 1,
            recipient: campaign
                .strings
                .get(campaign.recipient(e.recipient).name)
                .to_string(),
            impact: e.impact,
            points: (delivered > 0).then(|| e.impact as f64 * 100.0 / delivered as f64),
            unsure_clicks: e.accesses.len(),
            ips: e
                .ips
                .iter()
                .map(|&ip| campaign.ip(ip).to_string())
                .collect(),
            owner: ctx.owner_label(ctx.ip_of(e.first_look)).into_owned(),
            reasons: ctx.reasons_line(e.first_look),
        })
        .collect()
}

const HEADER: [&str; 8] = [
    "rank",
    "recipient",
    "impact",
    "points",
    "unsure_clicks",
    "ips",
    "owner",
    "reasons",
];

fn points_text(points: Option<f64>) -> String {
    points.map(|p| format!("{p:.1}")).unwrap_or_default()
}

pub fn write_queue_csv(
    ctx: &ReviewContext<'_>,
    excel: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let rows = queue_rows(ctx);
    start_csv(excel, out, &HEADER, |w| {
        for r in &rows {
            let cells = [
                r.rank.to_string(),
                neutralise(Cow::Borrowed(&r.recipient)).into_owned(),
                r.impact.to_string(),
                points_text(r.points),
                r.unsure_clicks.to_string(),
                r.ips.join(" "),
                neutralise(Cow::Borrowed(&r.owner)).into_owned(),
                neutralise(Cow::Borrowed(&r.reasons)).into_owned(),
            ];
            w.write_record(&cells).map_err(super::csv_out::into_io)?;
        }
        Ok(())
    })
}

#[derive(Serialize)]
struct QueueJson<'a> {
    queue: &'a [QueueRow],
    summary: &'a Summary,
}

pub fn write_queue_json(
    ctx: &ReviewContext<'_>,
    summary: &Summary,
    out: &mut dyn Write,
) -> io::Result<()> {
    let rows = queue_rows(ctx);
    serde_json::to_writer_pretty(
        &mut *out,
        &QueueJson {
            queue: &rows,
            summary,
        },
    )?;
    out.write_all(b"\n")?;
    out.flush()
}

/// The queue as aligned text, then the summary's headline.
pub fn write_queue_table(
    ctx: &ReviewContext<'_>,
    summary: &Summary,
    out: &mut dyn Write,
) -> io::Result<()> {
    let rows = queue_rows(ctx);
    writeln!(
        out,
        "review queue: {} unsure recipients, the decision that can move the human click rate \
         most first",
        rows.len()
    )?;
    writeln!(
        out,
        "{:>4}  {:<28}  {:>6}  {:>6}  {:>6}  {:<39}  {:<24}  reasons",
        "rank", "recipient", "impact", "points", "clicks", "ips", "owner"
    )?;
    for r in &rows {
        let ips = match r.ips.as_slice() {
            [one] => one.clone(),
            [first, rest @ ..] => format!("{first} +{}", rest.len()),
            [] => String::new(),
        };
        writeln!(
            out,
            "{:>4}  {}  {:>6}  {:>6}  {:>6}  {}  {}  {}",
            r.rank,
            fit_to_width(&escape_controls(&r.recipient), 28),
            r.impact,
            points_text(r.points),
            r.unsure_clicks,
            fit_to_width(&ips, 39),
            fit_to_width(&escape_controls(&r.owner), 24),
            escape_controls(&r.reasons)
        )?;
    }
    writeln!(out)?;
    write!(out, "{summary}")?;
    out.flush()
}
