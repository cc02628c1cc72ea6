//! The Unified Audit Log as CSV: Purview's export
//! (`RecordId,CreationDate,RecordType,Operation,UserId,AuditData,…`) and
//! `Search-UnifiedAuditLog | Export-Csv` (`…,CreationDate,UserIds,Operations,AuditData,…`).
//! Everything comes from the `AuditData` cell; the other columns stand in
//! where it is silent (a locale `CreationDate` like `9/20/2023 4:05:03 AM`
//! is read only with `--date-order mdy`, else reported).

use std::io::Read;

use super::audit::{Fallback, read_audit};
use super::csv_table::{CsvTable, field};
use super::sink::Sink;

/// Whether normalised header names are an audit-log export.
pub fn is_header(names: &[String]) -> bool {
    names.iter().any(|n| n == "auditdata")
}

pub fn read<R: Read>(sink: &mut Sink<'_>, mut table: CsvTable<R>) -> Result<(), String> {
    let audit = table
        .find(&["auditdata"])
        .ok_or("there is no AuditData column")?;
    let time = table.find(&["creationdate", "creationtime", "date"]);
    let user = table.find(&["userid", "userids", "user"]);
    let operation = table.find(&["operation", "operations"]);
    while let Some((line, record)) = table.next_row(sink)? {
        let record = record.clone();
        let decoder = &mut table.decoder;
        let json = field(&record, Some(audit), decoder, line);
        let time_text = field(&record, time, decoder, line);
        let user_text = field(&record, user, decoder, line);
        let op_text = field(&record, operation, decoder, line);
        if json.is_empty() {
            sink.issue(line, Some("AuditData"), "is empty; the row is skipped");
            continue;
        }
        let fallback = Fallback {
            time: Some(&time_text)
                .filter(|t| !t.is_empty())
                .map(String::as_str),
            user: Some(&user_text)
                .filter(|t| !t.is_empty())
                .map(String::as_str),
            operation: Some(&op_text).filter(|t| !t.is_empty()).map(String::as_str),
        };
        if let Some(event) = read_audit(sink, line, Some("AuditData"), &json, &fallback) {
            sink.events.push(event);
        }
    }
    Ok(())
}
