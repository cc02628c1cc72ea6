//! From a file's bytes to lines, CSV records and decoded text fields.

pub(crate) mod csv_records;
pub(crate) mod encoding;
pub(crate) mod framing;
pub(crate) mod line_index;
pub(crate) mod lines;
pub(crate) mod pipelined;
pub(crate) mod transcode;
