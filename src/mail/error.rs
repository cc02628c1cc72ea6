//! What can go wrong reading a mail: every error names the file and, where
//! there is one, the line.

/// A file that holds no mail headers whole enough to analyse.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MailError {
    #[error("{file}: the file is empty; expected mail headers (.eml, .msg, mbox or pasted)")]
    Empty { file: String },
    #[error(
        "{file}: binary data (byte {offset}), not a mail: expected .eml, Outlook .msg, mbox or pasted headers"
    )]
    Binary { file: String, offset: usize },
    #[error("{file}: line {line}: not a mail header: {found:?} (expected `Name: value`)")]
    NotMail {
        file: String,
        line: usize,
        found: String,
    },
    #[error("{file}: Outlook .msg: {reason}")]
    Msg { file: String, reason: String },
}

/// Something odd in a message that still leaves it readable.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct MailIssue {
    /// The line in the file (or in the .msg's header stream).
    pub line: usize,
    pub text: String,
}
