//! The report as an aligned text table for people at a terminal: the columns
//! that matter at a glance, every value escaped and fitted by display width.

use std::io::{self, Write};

use super::summary::Summary;
use crate::analysis::Analysis;
use crate::model::Access;
use crate::text::{display_width, escape_controls, fit_to_width, format_delay};

struct TableColumn {
    header: &'static str,
    /// Widest the column may grow; longer values are cut with `…`.
    max: usize,
    right_aligned: bool,
    cell: fn(&Analysis, &Access, usize) -> String,
}

const COLUMNS: &[TableColumn] = &[
    TableColumn {
        header: "time",
        max: 19,
        right_aligned: false,
        cell: |a, x, _| x.time.format_short(&a.zone),
    },
    TableColumn {
        header: "recipient",
        max: 28,
        right_aligned: false,
        cell: |a, x, _| a.campaign.recipient_name(x).to_string(),
    },
    TableColumn {
        header: "event",
        max: 6,
        right_aligned: false,
        cell: |_, x, _| x.event.as_str().to_string(),
    },
    TableColumn {
        header: "ip",
        max: 39,
        right_aligned: false,
        cell: |a, x, _| a.campaign.ip(x.ip).to_string(),
    },
    TableColumn {
        header: "owner",
        max: 34,
        right_aligned: false,
        cell: |a, x, _| a.owner(x).to_string(),
    },
    TableColumn {
        header: "cc",
        max: 2,
        right_aligned: false,
        cell: |a, x, _| a.owner(x).country_code.as_deref().unwrap_or("").to_string(),
    },
    TableColumn {
        header: "browser",
        max: 22,
        right_aligned: false,
        cell: |a, x, _| browser_label(a, x),
    },
    TableColumn {
        header: "os",
        max: 16,
        right_aligned: false,
        cell: |a, x, _| a.ua(x).os.clone(),
    },
    TableColumn {
        header: "device",
        max: 11,
        right_aligned: false,
        cell: |a, x, _| a.ua(x).category.as_str().to_string(),
    },
    TableColumn {
        header: "screen",
        max: 9,
        right_aligned: false,
        cell: |_, x, _| x.screen.map(|s| s.to_string()).unwrap_or_default(),
    },
    TableColumn {
        header: "after",
        max: 7,
        right_aligned: true,
        cell: |a, x, _| {
            a.campaign
                .seconds_after_sent(x)
                .map(format_delay)
                .unwrap_or_default()
        },
    },
    TableColumn {
        header: "suggest",
        max: 7,
        right_aligned: false,
        cell: |a, _, i| {
            a.suggestion(i)
                .map(|s| s.label.as_str().to_string())
                .unwrap_or_default()
        },
    },
    TableColumn {
        header: "verdict",
        max: 7,
        right_aligned: false,
        cell: |a, _, i| {
            a.verdict(i)
                .map(|r| r.verdict.as_str().to_string())
                .unwrap_or_default()
        },
    },
];

fn browser_label(analysis: &Analysis, access: &Access) -> String {
    let ua = analysis.ua(access);
    match ua.major_version() {
        Some(major) => format!("{} {major}", ua.browser),
        None => ua.browser.clone(),
    }
}

pub fn write_table(analysis: &Analysis, summary: &Summary, out: &mut dyn Write) -> io::Result<()> {
    let accesses = &analysis.campaign.accesses;
    // Two passes: widths first, so a million rows still line up without holding their text.
    let mut widths: Vec<usize> = COLUMNS.iter().map(|c| display_width(c.header)).collect();
    for (index, access) in accesses.iter().enumerate() {
        for (i, column) in COLUMNS.iter().enumerate() {
            let w = display_width(&escape_controls(&(column.cell)(analysis, access, index)));
            widths[i] = widths[i].max(w.min(column.max));
        }
    }
    let line = |cells: Vec<String>| -> String {
        let mut row = String::new();
        for (i, (cell, column)) in cells.iter().zip(COLUMNS).enumerate() {
            if i > 0 {
                row.push_str("  ");
            }
            let fitted = fit_to_width(&escape_controls(cell), widths[i]);
            if column.right_aligned {
                let trimmed = fitted.trim_end();
                row.push_str(&" ".repeat(widths[i] - display_width(trimmed)));
                row.push_str(trimmed);
            } else {
                row.push_str(&fitted);
            }
        }
        row.truncate(row.trim_end().len());
        row.push('\n');
        row
    };
    out.write_all(line(COLUMNS.iter().map(|c| c.header.to_string()).collect()).as_bytes())?;
    for (index, access) in accesses.iter().enumerate() {
        let cells = COLUMNS
            .iter()
            .map(|c| (c.cell)(analysis, access, index))
            .collect();
        out.write_all(line(cells).as_bytes())?;
    }
    writeln!(out)?;
    write!(out, "{summary}")?;
    out.flush()
}
