//! JSON of the report: `{"accesses": [...], "summary": {...}, "issues": [...]}`,
//! written row by row so a million accesses never sit in memory as values.

use std::io::{self, Write};

use serde::Serialize;

use super::columns::Layout;
use super::summary::Summary;
use crate::review::{CellKind, ReviewContext};

#[derive(Serialize)]
struct IssueJson<'a> {
    file: &'a str,
    line: u64,
    field: Option<&'a str>,
    reason: &'a str,
}

pub fn write_json(
    ctx: &ReviewContext<'_>,
    layout: &Layout,
    summary: &Summary,
    out: &mut dyn Write,
) -> io::Result<()> {
    let campaign = &ctx.analysis.campaign;
    out.write_all(b"{\"accesses\":[")?;
    for index in 0..campaign.accesses.len() {
        out.write_all(if index == 0 { b"\n{" } else { b",\n{" })?;
        for (j, column) in layout.columns.iter().enumerate() {
            if j > 0 {
                out.write_all(b",")?;
            }
            serde_json::to_writer(&mut *out, column.name())?;
            out.write_all(b":")?;
            let value = layout.cell(ctx, index, column);
            if value.is_empty() {
                out.write_all(b"null")?;
            } else if column.kind() == CellKind::Number {
                // Numbers came from our own formatting, never from the log.
                out.write_all(value.as_bytes())?;
            } else {
                serde_json::to_writer(&mut *out, value.as_ref())?;
            }
        }
        out.write_all(b"}")?;
    }
    out.write_all(b"\n],\n\"summary\":")?;
    serde_json::to_writer_pretty(&mut *out, summary)?;
    out.write_all(b",\n\"issues\":[")?;
    for (i, issue) in campaign.issues.iter().enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(
            &mut *out,
            &IssueJson {
                file: campaign.file_name(issue.file),
                line: issue.line,
                field: issue.field.as_deref(),
                reason: &issue.reason,
            },
        )?;
    }
    out.write_all(b"\n]}\n")?;
    out.flush()
}
