//! RFC 4180 CSV of the report, optionally shaped for Excel (UTF-8 BOM, CRLF),
//! with every text cell guarded against formula injection.

use std::borrow::Cow;
use std::io::{self, Write};

use super::columns::{Layout, ReportColumn};
use crate::analysis::Analysis;
use crate::review::{CellKind, ReviewContext};
use crate::text::escape_controls;

/// Writes one header row and one row per access. The rows are formatted in
/// parts on rayon's threads and written in order: the same bytes as one
/// pass, with at most a few parts held in memory at once.
pub fn write_csv(
    ctx: &ReviewContext<'_>,
    layout: &Layout,
    excel: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use rayon::prelude::*;
    /// Rows per part: enough that a part is worth a task (a few
    /// milliseconds), few enough that the parts held at once stay small
    /// (about half a megabyte each; parts of 8,192 rows held 32 MB).
    const PART: usize = 1_024;
    let names: Vec<&str> = layout.columns.iter().map(|c| c.name()).collect();
    start_csv(excel, out, &names, |writer| writer.flush())?;
    let n = ctx.analysis.campaign.accesses.len();
    let batch = PART * rayon::current_num_threads().max(1) * 8;
    // Bytes per row seen so far, so a part's buffer is allocated once at
    // about its size rather than grown by doubling.
    let row_bytes = AtomicUsize::new(256);
    for start in (0..n).step_by(batch) {
        let parts: Vec<std::ops::Range<usize>> = (start..n.min(start + batch))
            .step_by(PART)
            .map(|p| p..n.min(p + PART))
            .collect();
        let formatted: Vec<io::Result<Vec<u8>>> = parts
            .into_par_iter()
            .map(|rows| {
                let count = rows.len();
                let guess = row_bytes.load(Ordering::Relaxed) * 9 / 8;
                let mut bytes = Vec::with_capacity(count * guess);
                let mut writer = csv_writer(excel, &mut bytes);
                write_records(&mut writer, layout, rows, |index, column| {
                    layout.cell(ctx, index, column)
                })?;
                writer.flush()?;
                drop(writer);
                row_bytes.store(bytes.len() / count.max(1) + 1, Ordering::Relaxed);
                Ok(bytes)
            })
            .collect();
        for part in formatted {
            out.write_all(&part?)?;
        }
    }
    Ok(())
}

fn csv_writer<W: Write>(excel: bool, out: W) -> csv::Writer<W> {
    let terminator = if excel {
        csv::Terminator::CRLF
    } else {
        csv::Terminator::Any(b'\n')
    };
    csv::WriterBuilder::new()
        .terminator(terminator)
        .from_writer(out)
}

/// One record per access of `rows`, text cells guarded.
fn write_records<'a, W: Write>(
    writer: &mut csv::Writer<W>,
    layout: &Layout,
    rows: impl IntoIterator<Item = usize>,
    mut cell: impl FnMut(usize, &ReportColumn) -> Cow<'a, str>,
) -> io::Result<()> {
    let mut record: Vec<Cow<'a, str>> = Vec::with_capacity(layout.columns.len());
    for index in rows {
        record.clear();
        for column in &layout.columns {
            let value = cell(index, column);
            record.push(match column.kind() {
                CellKind::Text => neutralise(value),
                CellKind::Number | CellKind::Fixed => value,
            });
        }
        writer
            .write_record(record.iter().map(|c| c.as_bytes()))
            .map_err(into_io)?;
    }
    Ok(())
}

/// [`write_csv`] with the cells taken from `cell(access index, column)`, for
/// a caller that knows some values better than the analysis (the review
/// screen's labels). Text cells are guarded here, whatever `cell` returns.
pub fn write_csv_cells<'a>(
    analysis: &'a Analysis,
    layout: &Layout,
    excel: bool,
    out: &mut dyn Write,
    cell: impl FnMut(usize, &ReportColumn) -> Cow<'a, str>,
) -> io::Result<()> {
    let all = 0..analysis.campaign.accesses.len();
    write_csv_rows(layout, excel, out, all, cell)
}

/// [`write_csv_cells`] for the accesses `rows` only, in that order (the
/// rows a screen shows).
pub fn write_csv_rows<'a>(
    layout: &Layout,
    excel: bool,
    out: &mut dyn Write,
    rows: impl IntoIterator<Item = usize>,
    cell: impl FnMut(usize, &ReportColumn) -> Cow<'a, str>,
) -> io::Result<()> {
    let names: Vec<&str> = layout.columns.iter().map(|c| c.name()).collect();
    start_csv(excel, out, &names, |writer| {
        write_records(writer, layout, rows, cell)
    })
}

/// A CSV with `header`, its rows written by `body`: BOM and CRLF for Excel.
pub fn start_csv(
    excel: bool,
    out: &mut dyn Write,
    header: &[&str],
    body: impl FnOnce(&mut csv::Writer<&mut dyn Write>) -> io::Result<()>,
) -> io::Result<()> {
    if excel {
        // Excel reads a BOM-less CSV as the ANSI code page (CP932 in Japan) and garbles UTF-8.
        out.write_all("\u{feff}".as_bytes())?;
    }
    let mut writer = csv_writer(excel, out);
    writer.write_record(header).map_err(into_io)?;
    body(&mut writer)?;
    writer.flush()
}

/// Makes a text cell inert in spreadsheets: control characters become visible
/// escapes, and a leading `=`, `+`, `-`, `@`, tab or CR gets a `'` so Excel
/// and LibreOffice show it as text instead of evaluating it.
pub fn neutralise(value: Cow<'_, str>) -> Cow<'_, str> {
    let dangerous = matches!(
        value.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    );
    let escaped = match escape_controls(&value) {
        Cow::Borrowed(_) => value,
        Cow::Owned(s) => Cow::Owned(s),
    };
    if dangerous {
        // Escaping turned a leading tab/CR into `\x09`; the quote still marks the cell as text.
        Cow::Owned(format!("'{escaped}"))
    } else {
        escaped
    }
}

pub(super) fn into_io(err: csv::Error) -> io::Error {
    match err.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(
            neutralise(Cow::Borrowed("=HYPERLINK(\"x\")")),
            "'=HYPERLINK(\"x\")"
        );
        assert_eq!(neutralise(Cow::Borrowed("+81 3")), "'+81 3");
        assert_eq!(neutralise(Cow::Borrowed("-1+1")), "'-1+1");
        assert_eq!(neutralise(Cow::Borrowed("@SUM(A1)")), "'@SUM(A1)");
        assert_eq!(neutralise(Cow::Borrowed("\tcmd")), "'\\x09cmd");
        assert_eq!(neutralise(Cow::Borrowed("Mozilla/5.0")), "Mozilla/5.0");
        assert_eq!(neutralise(Cow::Borrowed("a=b")), "a=b");
        assert_eq!(neutralise(Cow::Borrowed("x\x1b[2J")), "x\\x1b[2J");
    }
}
