//! What can stop a load. Rows that cannot be read are not errors: they become
//! [`ReadIssue`](crate::model::ReadIssue)s and the rest of the file loads.

use std::io;

use crate::model::{LogFormat, ReadIssue};
use crate::text::escape_controls;

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {}: {source}", escape_controls(file))]
    Io {
        file: String,
        #[source]
        source: io::Error,
    },
    /// The file was taken for `format` but does not read as one.
    #[error("{}: {detail}", escape_controls(file))]
    Unreadable {
        file: String,
        format: LogFormat,
        detail: String,
        /// The file's rows that failed, with their reasons, so a screen
        /// can list them (empty when the header was the problem).
        failed_rows: Vec<ReadIssue>,
    },
    /// No format fits; `detail` says what each one expected.
    #[error("{}: not a log whoclicked can read: {detail}", escape_controls(file))]
    UnknownFormat { file: String, detail: String },
    /// An access log in which no request names a recipient: most likely the
    /// landing page uses another query parameter than `param`.
    #[error(
        "{}: read as an access log, but no request carries the recipient parameter \
         {param:?} ({seen}); name the right one with --rid-param",
        escape_controls(file)
    )]
    NoRecipientParameter {
        file: String,
        param: String,
        /// What the queries did hold, e.g. `query parameters seen: "id", "utm_source"`.
        seen: String,
    },
    /// Proxy or DHCP logs given without any log of the campaign's accesses:
    /// there is nothing to tie them to.
    #[error(
        "{} {} the company network's own (a proxy or DHCP log); they tie the campaign's \
         accesses to PCs, so name the campaign's log too (the GoPhish export, the landing \
         page's access log or a CSV of accesses), e.g. whoclicked report campaign.csv {}",
        escape_controls(&files.join(", ")),
        if files.len() == 1 { "is" } else { "are" },
        escape_controls(&files.join(" "))
    )]
    NetworkLogsAlone { files: Vec<String> },
    #[error("loading was cancelled")]
    Cancelled,
    /// `Access::file` is a `u16`, so one campaign holds at most this many files.
    #[error(
        "{}: too many input files (at most {max} per campaign)",
        escape_controls(file)
    )]
    TooManyFiles { file: String, max: usize },
}
