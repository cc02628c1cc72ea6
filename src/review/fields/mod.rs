//! The catalogue of fields: every fact a reviewed row can show, described
//! once with its record name (the report's CSV and JSON key), its title (the
//! header of the report's table and of the screen's), the names a filter
//! term may use for it, how its CSV cell is typed, its text in the record
//! and the display [`Form`], and its sort keys. The report's CSV and JSON,
//! the report's table, the screen's table and the filter each pick the
//! fields they use from here and decide only how to lay them out.
//!
//! A [`Field`] is either [`Common`] to every kind of reviewed row (the
//! time, the address and its owner, the judgement) or one kind's own: an
//! access's ([`AccessField`]), a mail hop's ([`HopField`]). Which kind a
//! campaign's rows are is `model::RowKind`; [`Field::of_kind`] lists a
//! kind's fields and [`Field::from_filter_name`] reads a filter term's name
//! for that kind, so the screen's columns, its filter and its help never
//! offer a field the rows do not have. The common facts read a row only through
//! the context's row accessors (`time_of`, `ip_of`, `verdict`, `suggested`,
//! `reasons_line`, `verdict_source`), never the access itself. A group row
//! (accesses gathered by address, network, AS or recipient) has its own
//! fields, [`GroupField`].

mod access;
mod chain;
mod common;
mod field;
mod group;
mod hop;
#[cfg(test)]
mod hop_tests;
mod rank;
#[cfg(test)]
mod tests;

pub use access::AccessField;
pub use common::{Common, NO_DATE, confidence_text};
pub use field::Field;
pub use group::GroupField;
pub use hop::HopField;
pub use rank::time_key;

/// Which of a field's two texts is wanted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// For a program reading the report: full times, plain numbers, seconds
    /// (`2026-10-01T09:14:03+09:00`, `8075`, `3.25`).
    Record,
    /// For a person reading a table cell: short times, `AS8075`, `4m10s`,
    /// the browser with its major version.
    Display,
}

/// How a cell is typed in JSON and whether CSV must guard it against formulas.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CellKind {
    /// Free text from the log or a database: may start with `=`, so CSV guards it.
    Text,
    /// A number (row, ASN, seconds): written as is.
    Number,
    /// Text whoclicked itself produced (time, IP, enum names): safe as is.
    Fixed,
}

/// What a field's value is a fact of. Sorting ranks, and filtering tests,
/// once per distinct subject, so a row then costs a lookup.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    /// The row's address (its owner, network, country…).
    Address,
    /// The access's User-Agent.
    UserAgent,
    /// The access's recipient.
    Recipient,
    /// The row itself.
    Row,
}
