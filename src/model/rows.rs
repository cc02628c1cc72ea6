//! What kind of event a campaign's rows are. Every reviewed row is stored as
//! an [`Access`](super::Access) record (its time, address, the recipient or
//! message it belongs to, its raw client text), so the owners, the label
//! book and the knowledge base's keys treat every kind alike; a kind's own
//! facts live beside the records, one per row, in the campaign
//! (`Campaign::hops` for [`RowKind::Hop`]). The review catalogue
//! (`review::Field`) says which fields each kind has.

/// The kind of a campaign's rows; one campaign holds one kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum RowKind {
    /// An access to a training link (the click log's rows).
    #[default]
    Access,
    /// A hop of a mail's Received chain (`mail::rows`).
    Hop,
}

impl RowKind {
    /// What one row is called, and many.
    pub fn nouns(self) -> (&'static str, &'static str) {
        match self {
            RowKind::Access => ("access", "accesses"),
            RowKind::Hop => ("hop", "hops"),
        }
    }

    /// What the rows' recipient column holds: the person a training mail
    /// went to, or the mail a hop belongs to.
    pub fn recipient_nouns(self) -> (&'static str, &'static str) {
        match self {
            RowKind::Access => ("recipient", "recipients"),
            RowKind::Hop => ("mail", "mails"),
        }
    }
}

/// A hop's own facts. Its address, its time (when it has one) and its mail
/// (as the recipient, `#1 subject`) are in its access record, its raw
/// Received line in the record's client text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HopRow {
    /// 1 is the sender's end.
    pub number: u32,
    /// The Received line's time stamp; `None` when it has none or it cannot
    /// be read (the record's time is then a placeholder nothing shows).
    pub time: Option<super::Timestamp>,
    /// The name the sender gave (HELO) and the receiver's reverse DNS.
    pub from: String,
    /// The server that wrote the line.
    pub by: String,
    /// The protocol (`esmtps`, `mapi`, `http`…).
    pub with: String,
    /// `provider`, `internal`, `external`, or empty.
    pub class: &'static str,
    /// Seconds since the previous hop; negative when the clocks disagree.
    pub delay: Option<i64>,
    /// `origin`, `trusted`, `below-trust` or `forged`.
    pub place: &'static str,
    /// The flags' codes (`by-mismatch`, `no-date`…).
    pub flags: Vec<&'static str>,
}
