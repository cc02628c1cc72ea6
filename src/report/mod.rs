//! The report: one row per access with every enriched fact, as a table, CSV
//! or JSON, and the summary numbers beneath it.

mod columns;
mod csv_out;
mod json_out;
mod queue_out;
mod summary;
mod table_out;

use std::io::{self, Write};

pub use columns::{HOP_RECORD, Layout, RECORD, ReportColumn, record_of};
pub use csv_out::{neutralise, start_csv, write_csv_cells, write_csv_rows};
pub use queue_out::{QueueRow, queue_rows};
pub use summary::{EventCounts, FileSummary, Judgement, OwnerCount, Summary, TOP_OWNERS};

use crate::analysis::Analysis;
use crate::review::ReviewContext;

/// What the report is written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum OutputFormat {
    /// Aligned columns for a terminal, then the summary.
    #[default]
    Table,
    /// RFC 4180 CSV, one row per access.
    Csv,
    /// `{"accesses": [...], "summary": {...}, "issues": [...]}`.
    Json,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct ReportOptions {
    pub format: OutputFormat,
    /// CSV for Excel: UTF-8 BOM and CRLF line ends.
    pub excel: bool,
    /// The review queue (unsure recipients by impact) instead of the accesses.
    pub queue: bool,
}

/// Writes the whole report for `analysis` to `out`.
pub fn write_report(
    analysis: &Analysis,
    options: &ReportOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let verdicts = analysis.verdict_column();
    // What the knowledge base's verdicts teach the unlabelled accesses, as
    // the screen learns it (`review::learn`).
    let learned = crate::review::learn(analysis, &verdicts);
    let ctx = ReviewContext {
        suggestions: &learned.labels,
        learned: &learned.likes,
        ..ReviewContext::judged(analysis, &verdicts)
    };
    if options.queue {
        return match options.format {
            OutputFormat::Csv => queue_out::write_queue_csv(&ctx, options.excel, out),
            OutputFormat::Json => queue_out::write_queue_json(&ctx, &Summary::new(&ctx), out),
            OutputFormat::Table => queue_out::write_queue_table(&ctx, &Summary::new(&ctx), out),
        };
    }
    match options.format {
        OutputFormat::Csv => csv_out::write_csv(&ctx, &Layout::new(analysis), options.excel, out),
        OutputFormat::Json => {
            json_out::write_json(&ctx, &Layout::new(analysis), &Summary::new(&ctx), out)
        }
        OutputFormat::Table => table_out::write_table(&ctx, &Summary::new(&ctx), out),
    }
}
