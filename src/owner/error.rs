//! Why an owner database could not be used.

use std::path::PathBuf;

use thiserror::Error;

/// An owner database that cannot be used, always naming the file.
#[derive(Debug, Error)]
pub enum OwnerDbError {
    /// The file or directory does not exist or cannot be read.
    #[error("cannot read {}: {source}", crate::text::path_text(path))]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file is not a MaxMind DB, or its metadata or search tree is broken.
    #[error("{} is not a usable MaxMind DB (.mmdb) file: {message}", path.display())]
    Invalid { path: PathBuf, message: String },
    /// The file opens but its records cannot be decoded.
    #[error("{} is corrupt: {message}", path.display())]
    Corrupt { path: PathBuf, message: String },
    /// A readable database that holds nothing whoclicked shows about an owner.
    #[error(
        "{}: database type {database_type:?} holds no owner facts whoclicked uses: {reason}",
        path.display()
    )]
    Unsupported {
        path: PathBuf,
        database_type: String,
        reason: String,
    },
    /// `Owner::sources` indexes databases with a `u16`.
    #[error("too many owner databases ({count}); at most {max} can be used at once")]
    TooMany { count: usize, max: usize },
}

impl OwnerDbError {
    /// Classifies an error of `Reader::open_readfile` / `from_source` for
    /// `path`: anything but an I/O error means the metadata or layout is broken.
    pub(crate) fn from_reader(path: PathBuf, err: maxminddb::MaxMindDbError) -> Self {
        match err {
            maxminddb::MaxMindDbError::Io(source) => OwnerDbError::Io { path, source },
            other => OwnerDbError::Invalid {
                path,
                message: other.to_string(),
            },
        }
    }

    /// The file the error is about, if it is about one file.
    pub fn path(&self) -> Option<&std::path::Path> {
        match self {
            OwnerDbError::Io { path, .. }
            | OwnerDbError::Invalid { path, .. }
            | OwnerDbError::Corrupt { path, .. }
            | OwnerDbError::Unsupported { path, .. } => Some(path),
            OwnerDbError::TooMany { .. } => None,
        }
    }
}
