//! The campaign data model: compact accesses and the shared tables they point into.

mod access;
mod campaign;
mod intern;
mod network;
mod new_access;
mod rows;
mod time;
mod verdict;

pub use access::{Access, Event, IpId, NO_EXTRA, NO_RECIPIENT, RecipientId, Screen, UaId};
pub use campaign::{Campaign, LogFormat, ReadIssue, Recipient, SourceFile, recipient_raw};
pub use intern::{Interner, Sym};
pub use network::{Lease, NetworkLog, ProxyRecord, normalize_mac};
pub use new_access::NewAccess;
pub use rows::{HopRow, RowKind};
pub use time::{Timestamp, UnknownZone, parse_offset, parse_zone, zone_label, zone_offset_label};
pub use verdict::{Leaning, Verdict};
