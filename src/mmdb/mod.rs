//! Writing and describing MaxMind DB (`.mmdb`) files.
//!
//! [`writer`] writes any records (tests build fixture databases of every
//! schema with it); [`build_asn_database`] turns a free range list read by
//! [`ranges`] into a GeoLite2-ASN-schema file; [`describe`] says what a file
//! is, with the same schema recognition the owner lookups use.

mod asn;
mod cidr;
mod describe;
#[cfg(feature = "update")]
pub mod download;
mod encode;
pub mod ranges;
mod tree;
mod value;
pub mod writer;

pub use asn::{ASN_DATABASE_TYPE, AsnBuild, BuildOptions, build_asn_database};
pub use describe::{describe, verify};
pub use ranges::{AsnRange, ParsedRanges, RangeError, RangeFormat, read_ranges};
pub use value::{Map, Value};
pub use writer::{BuildError, RecordId, WriteStats, Writer, WriterOptions, Written};
