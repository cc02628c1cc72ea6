//! Describing a database file for `whoclicked mmdb info`.

use std::path::Path;

use crate::owner::{DatabaseInfo, OwnerDbError, inspect_file};

/// What a file is: metadata, the schema whoclicked recognises and the owner
/// fields it takes (none for a database it has no use for). Uses the same
/// recognition as the lookups, so `info` never disagrees with `lookup`.
pub fn describe(path: &Path) -> Result<DatabaseInfo, OwnerDbError> {
    inspect_file(path)
}

/// A full structural check (search tree, data section, metadata): slower
/// than [`describe`], which reads only the first records.
pub fn verify(path: &Path) -> Result<(), OwnerDbError> {
    let reader = maxminddb::Reader::open_readfile(path)
        .map_err(|err| OwnerDbError::from_reader(path.to_path_buf(), err))?;
    reader.verify().map_err(|err| OwnerDbError::Corrupt {
        path: path.to_path_buf(),
        message: err.to_string(),
    })
}
