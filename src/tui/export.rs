//! The `e` key's CSV: the report's own columns (`report::Layout`), shaped for
//! Excel (UTF-8 BOM, CRLF, formula guards), with `verdict` and
//! `verdict_source` taken from the labels on screen — which are exactly what
//! the knowledge base holds, since every label is saved as it is made.

use std::borrow::Cow;
use std::io::{self, Write};

use crate::analysis::Analysis;
use crate::kb::describe_source;
use crate::report::{Layout, ReportColumn, write_csv_cells};
use crate::review::{Common, Field, LabelBook, ReviewContext};

/// `rule asn:8075 (2026-09-28, sato)` or `access (2026-10-02, sato)`, the
/// knowledge base's wording, with the date in the analysis's zone.
pub fn verdict_source(book: &LabelBook, analysis: &Analysis, i: u32) -> Option<String> {
    let (key, info) = book.resolve(analysis, i)?;
    let date = info
        .at
        .map(|at| at.to_jiff().to_zoned_datetime(analysis.zone.clone()).date());
    Some(describe_source(&key, date, info.analyst.as_deref()))
}

/// Writes the report CSV for Excel with the verdicts of `book`.
pub fn write_csv(analysis: &Analysis, book: &LabelBook, out: &mut dyn Write) -> io::Result<()> {
    let layout = Layout::new(analysis);
    // No verdicts in the context: both verdict columns are the book's.
    let ctx = ReviewContext::judged(analysis, &[]);
    write_csv_cells(analysis, &layout, true, out, |i, column| match column {
        ReportColumn::Field(Field::Common(Common::Verdict)) => Cow::Borrowed(
            book.resolve(analysis, i as u32)
                .map_or("", |(_, info)| info.verdict.as_str()),
        ),
        ReportColumn::Field(Field::Common(Common::VerdictSource)) => {
            Cow::Owned(verdict_source(book, analysis, i as u32).unwrap_or_default())
        }
        other => layout.cell(&ctx, i, other),
    })
}
