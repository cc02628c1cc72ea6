//! The `e` key's CSV: the report's own columns (`report::Layout`), shaped for
//! Excel (UTF-8 BOM, CRLF, formula guards), with `verdict` and
//! `verdict_source` taken from the labels on screen — which are exactly what
//! the knowledge base holds, since every label is saved as it is made.

use std::borrow::Cow;
use std::io::{self, Write};

use crate::analysis::Analysis;
use crate::report::{CellKind, Column, Layout, ReportColumn, neutralise};
use crate::review::{LabelBook, LabelKey};

/// `rule asn:8075 (2026-09-28, sato)` or `access (2026-10-02, sato)`, the
/// knowledge base's wording, with the date in the analysis's zone.
pub fn verdict_source(book: &LabelBook, analysis: &Analysis, i: u32) -> Option<String> {
    let (key, info) = book.resolve(analysis, i)?;
    let mut when_who = Vec::new();
    if let Some(at) = info.at {
        when_who.push(
            at.to_jiff()
                .to_zoned_datetime(analysis.zone.clone())
                .date()
                .to_string(),
        );
    }
    if let Some(analyst) = &info.analyst {
        when_who.push(analyst.to_string());
    }
    let what = match key {
        LabelKey::Access(_) => "access".to_string(),
        rule => format!("rule {rule}"),
    };
    Some(if when_who.is_empty() {
        what
    } else {
        format!("{what} ({})", when_who.join(", "))
    })
}

/// Writes the report CSV for Excel with the verdicts of `book`.
pub fn write_csv(analysis: &Analysis, book: &LabelBook, out: &mut dyn Write) -> io::Result<()> {
    // Excel reads a BOM-less CSV as the ANSI code page (CP932 in Japan).
    out.write_all("\u{feff}".as_bytes())?;
    let layout = Layout::new(analysis);
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    writer
        .write_record(layout.columns.iter().map(|c| c.name()))
        .map_err(into_io)?;
    let mut record: Vec<Cow<'_, str>> = Vec::with_capacity(layout.columns.len());
    for i in 0..analysis.campaign.accesses.len() {
        record.clear();
        let resolved = book.resolve(analysis, i as u32);
        for column in &layout.columns {
            let value = match column {
                ReportColumn::Fixed(Column::Verdict) => {
                    Cow::Borrowed(resolved.map_or("", |(_, info)| info.verdict.as_str()))
                }
                ReportColumn::Fixed(Column::VerdictSource) => {
                    Cow::Owned(verdict_source(book, analysis, i as u32).unwrap_or_default())
                }
                other => layout.cell(analysis, i, other),
            };
            record.push(match column.kind() {
                CellKind::Text => neutralise(value),
                CellKind::Number | CellKind::Fixed => value,
            });
        }
        writer
            .write_record(record.iter().map(|c| c.as_bytes()))
            .map_err(into_io)?;
    }
    writer.flush()
}

fn into_io(err: csv::Error) -> io::Error {
    match err.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}
