//! The `e` key's CSV: the report's own columns (`report::Layout`), shaped for
//! Excel (UTF-8 BOM, CRLF, formula guards), with `verdict` and
//! `verdict_source` taken from the labels on screen — which are exactly what
//! the knowledge base holds, since every label is saved as it is made. It
//! holds every access, the accesses the view shows, or, from a group view,
//! the groups shown with the group view's columns.

use std::borrow::Cow;
use std::io::{self, Write};
use std::sync::Arc;

use crate::analysis::Analysis;
use crate::kb::describe_source_at;
use crate::report::{Layout, ReportColumn, neutralise, start_csv, write_csv_cells, write_csv_rows};
use crate::review::{
    Common, Field, Group, GroupBy, GroupField, LabelBook, ReviewContext, group_rule,
};
use crate::text::count;
use crate::tui::data::Snapshot;

/// `rule asn:8075 (2026-09-28 14:05 +09:00, sato)` or `access (2026-10-02
/// 09:03 +09:00, sato)`, the report's wording: the moment in the analysis's
/// zone, named.
pub fn verdict_source(book: &LabelBook, analysis: &Analysis, i: u32) -> Option<String> {
    let (key, info) = book.resolve(analysis, i)?;
    let when = info.at.map(|at| at.format_minute_zoned(&analysis.zone));
    Some(describe_source_at(&key, when, info.analyst.as_deref()))
}

/// Which rows the export holds.
#[derive(Clone, Debug)]
pub enum ExportRows {
    /// Every access of the campaign.
    All,
    /// These accesses, in this order (the rows a view shows).
    Accesses(Arc<[u32]>),
    /// These groups, one row each, with the group view's columns.
    Groups(GroupBy, Arc<[Group]>),
}

impl ExportRows {
    /// How many rows it writes, and what they are: `32 accesses`, `12 groups`.
    pub fn describe(&self, analysis: &Analysis) -> String {
        let (one, many) = analysis.campaign.kind.nouns();
        match self {
            ExportRows::All => count(analysis.campaign.accesses.len(), one, many),
            ExportRows::Accesses(rows) => count(rows.len(), one, many),
            ExportRows::Groups(_, groups) => count(groups.len(), "group", "groups"),
        }
    }
}

/// Writes `rows` of the campaign on screen as CSV for Excel with the
/// verdicts of `book`.
pub fn write_csv(
    snapshot: &Snapshot,
    book: &LabelBook,
    rows: &ExportRows,
    out: &mut dyn Write,
) -> io::Result<()> {
    let analysis = &*snapshot.analysis;
    let layout = Layout::new(analysis);
    // No verdicts in the context: both verdict columns are the book's.
    let ctx = ReviewContext::judged(analysis, &[]);
    let cell = |i: usize, column: &ReportColumn| match column {
        ReportColumn::Field(Field::Common(Common::Verdict)) => Cow::Borrowed(
            book.resolve(analysis, i as u32)
                .map_or("", |(_, info)| info.verdict.as_str()),
        ),
        ReportColumn::Field(Field::Common(Common::VerdictSource)) => {
            Cow::Owned(verdict_source(book, analysis, i as u32).unwrap_or_default())
        }
        other => layout.cell(&ctx, i, other),
    };
    match rows {
        ExportRows::All => write_csv_cells(analysis, &layout, true, out, cell),
        ExportRows::Accesses(rows) => {
            write_csv_rows(&layout, true, out, rows.iter().map(|&i| i as usize), cell)
        }
        ExportRows::Groups(by, groups) => write_groups(&snapshot.ctx(), book, *by, groups, out),
    }
}

/// One row per group: the group view's columns, then the group's own rule.
fn write_groups(
    ctx: &ReviewContext<'_>,
    book: &LabelBook,
    by: GroupBy,
    groups: &[Group],
    out: &mut dyn Write,
) -> io::Result<()> {
    let analysis = ctx.analysis;
    let kind = ctx.kind();
    let fields = GroupField::exported(by, kind);
    // The first and last times carry no offset: their headings name the zone.
    let at = groups
        .iter()
        .find(|g| g.stats.first <= g.stats.last)
        .map_or_else(jiff::Timestamp::now, |g| g.stats.first.to_jiff());
    let zone = crate::model::zone_label(&analysis.zone, at);
    let titles: Vec<String> = fields
        .iter()
        .map(|f| match f {
            GroupField::First | GroupField::Last => {
                format!("{} ({zone})", f.title_for(by, kind))
            }
            _ => f.title_for(by, kind).to_string(),
        })
        .collect();
    let mut header: Vec<&str> = titles.iter().map(String::as_str).collect();
    header.push("rule");
    start_csv(true, out, &header, |writer| {
        for group in groups {
            let mut record: Vec<String> = fields
                .iter()
                .map(|f| neutralise(Cow::Owned(f.text(ctx, group))).into_owned())
                .collect();
            record.push(
                group_rule(analysis, &group.key)
                    .and_then(|key| {
                        book.get(key)
                            .map(|info| format!("{} {}", info.verdict, key))
                    })
                    .unwrap_or_default(),
            );
            writer
                .write_record(&record)
                .map_err(|e| io::Error::other(e.to_string()))?;
        }
        Ok(())
    })
}
