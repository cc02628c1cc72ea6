//! From a file's bytes to lines, CSV records and decoded text fields.

pub(super) mod csv_records;
pub(super) mod encoding;
pub(super) mod framing;
pub(super) mod line_index;
pub(super) mod lines;
pub(super) mod transcode;
