//! The report as an aligned text table for people at a terminal: the fields
//! that matter at a glance, in their display form, every value escaped and
//! fitted by display width.

use std::io::{self, Write};

use super::summary::Summary;
use crate::model::zone_label;
use crate::review::{AccessField, Common, Field, Form, ReviewContext};
use crate::text::{display_width, escape_controls, fit_to_width};

struct TableColumn {
    field: Field,
    /// Widest the column may grow; longer values are cut with `…`.
    max: usize,
    right_aligned: bool,
}

const fn column(field: Field, max: usize) -> TableColumn {
    TableColumn {
        field,
        max,
        right_aligned: false,
    }
}

const COLUMNS: &[TableColumn] = &[
    column(Field::Common(Common::Time), 19),
    column(Field::Access(AccessField::Recipient), 28),
    column(Field::Access(AccessField::Event), 6),
    column(Field::Common(Common::Ip), 39),
    column(Field::Common(Common::Owner), 34),
    column(Field::Common(Common::Country), 2),
    column(Field::Access(AccessField::Browser), 22),
    column(Field::Access(AccessField::Os), 16),
    column(Field::Access(AccessField::Category), 11),
    column(Field::Access(AccessField::Screen), 9),
    TableColumn {
        right_aligned: true,
        ..column(Field::Access(AccessField::AfterSent), 7)
    },
    column(Field::Access(AccessField::InternalIp), 39),
    column(Field::Access(AccessField::Pc), 24),
    column(Field::Access(AccessField::ProxyUser), 20),
    column(Field::Access(AccessField::OtherMachine), 44),
    column(Field::Common(Common::Suggestion), 7),
    column(Field::Common(Common::Verdict), 7),
];

pub fn write_table(
    ctx: &ReviewContext<'_>,
    summary: &Summary,
    out: &mut dyn Write,
) -> io::Result<()> {
    let rows = ctx.len() as u32;
    // The chain behind the egress only when proxy or DHCP logs were read.
    let chain = ctx.analysis.network.active;
    let columns: Vec<&TableColumn> = COLUMNS
        .iter()
        .filter(|c| {
            chain || !matches!(c.field, Field::Access(a) if AccessField::CHAIN.contains(&a))
        })
        .collect();
    let cell = |column: &TableColumn, i: u32| column.field.text(ctx, i, Form::Display);
    // The times carry no offset: the heading names their zone (`time (UTC)`).
    let analysis = ctx.analysis;
    let at = analysis
        .campaign
        .accesses
        .first()
        .map_or_else(jiff::Timestamp::now, |a| a.time.to_jiff());
    let time_title = format!("time ({})", zone_label(&analysis.zone, at));
    let titles: Vec<&str> = columns
        .iter()
        .map(|c| match c.field {
            Field::Common(Common::Time) => time_title.as_str(),
            other => other.title(),
        })
        .collect();
    // Two passes: widths first, so a million rows still line up without holding their text.
    let mut widths: Vec<usize> = titles.iter().map(|t| display_width(t)).collect();
    for i in 0..rows {
        for (w, column) in widths.iter_mut().zip(&columns) {
            let text_w = display_width(&escape_controls(&cell(column, i)));
            *w = (*w).max(text_w.min(column.max));
        }
    }
    let line = |cells: &mut dyn Iterator<Item = &str>| -> String {
        let mut row = String::new();
        for (i, (cell, column)) in cells.zip(&columns).enumerate() {
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
    out.write_all(line(&mut titles.iter().copied()).as_bytes())?;
    for i in 0..rows {
        let cells: Vec<_> = columns.iter().map(|c| cell(c, i)).collect();
        out.write_all(line(&mut cells.iter().map(|c| c.as_ref())).as_bytes())?;
    }
    writeln!(out)?;
    write!(out, "{summary}")?;
    out.flush()
}
