//! The knowledge-base directory on disk: its files, the lock that orders
//! readers and writers, private permissions, and crash-safe whole-file writes.
//!
//! Locking uses a separate, never-replaced `lock` file: compaction replaces
//! the journal and snapshot by rename, and a lock taken on a file that is
//! then renamed away would protect nothing. Readers take it shared (so they
//! never see a compaction half done), writers exclusive, for as short as
//! one append.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::error::{KbError, KbWarning};
use crate::atomic_file::{self, FileMode};

pub(crate) const JOURNAL: &str = "journal.jsonl";
pub(crate) const SNAPSHOT: &str = "snapshot.jsonl";
const LOCK: &str = "lock";

/// An open knowledge-base directory.
#[derive(Debug)]
pub(crate) struct Dir {
    path: PathBuf,
    /// `None` when the directory is read-only and has no lock file: nothing
    /// can write there, so it is read without one.
    lock: Option<Arc<File>>,
    /// This process may read but not write here (a read-only mount, or a
    /// base the user may read but not change).
    read_only: bool,
}

/// Holds the directory lock until dropped. It owns a handle to the lock file
/// (not a borrow of the [`Dir`]) so the holder can update its state meanwhile.
#[derive(Debug)]
pub(crate) struct Locked(Option<Arc<File>>);

impl Drop for Locked {
    fn drop(&mut self) {
        // Closing the descriptor would release it too; an error here leaves
        // nothing to repair.
        if let Some(lock) = &self.0 {
            let _ = lock.unlock();
        }
    }
}

impl Dir {
    /// Opens `path`, creating it (0700) and its lock file (0600) if needed.
    /// A directory this process may only read is opened read-only, with a
    /// warning that labels cannot be saved.
    pub(crate) fn open(path: &Path) -> Result<(Dir, Vec<KbWarning>), KbError> {
        let mut warnings = Vec::new();
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                warnings.extend(open_to_others(path, &meta));
                warnings.extend(owned_by_other(path, &meta));
            }
            Ok(_) => {
                return Err(KbError::Io {
                    action: "use",
                    path: path.to_path_buf(),
                    source: io::Error::other("it is not a directory"),
                });
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                refuse_dangling_link(path)?;
                create_private_dir(path)?;
            }
            Err(e) => return Err(KbError::io("read", path)(e)),
        }
        let lock_path = path.join(LOCK);
        let (lock, read_only) = match private_options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock_path)
        {
            Ok(lock) => (Some(lock), false),
            Err(e) if cannot_write(&e) => match File::open(&lock_path) {
                // Readers still take the shared lock, so they never see a
                // compaction by the owner half done.
                Ok(lock) => (Some(lock), true),
                Err(e) if e.kind() == io::ErrorKind::NotFound => (None, true),
                Err(e) => return Err(KbError::io("open", &lock_path)(e)),
            },
            Err(e) => return Err(KbError::io("open", &lock_path)(e)),
        };
        if read_only {
            warnings.push(KbWarning::ReadOnly {
                path: path.to_path_buf(),
            });
        }
        Ok((
            Dir {
                path: path.to_path_buf(),
                lock: lock.map(Arc::new),
                read_only,
            },
            warnings,
        ))
    }

    pub(crate) fn read_only(&self) -> bool {
        self.read_only
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn file(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }

    pub(crate) fn shared(&self) -> Result<Locked, KbError> {
        if let Some(lock) = &self.lock {
            lock.lock_shared()
                .map_err(KbError::io("lock", self.file(LOCK)))?;
        }
        Ok(Locked(self.lock.clone()))
    }

    /// The lock for a write; refused up front on a read-only knowledge base.
    pub(crate) fn exclusive(&self) -> Result<Locked, KbError> {
        let lock = match &self.lock {
            Some(lock) if !self.read_only => lock,
            _ => {
                return Err(KbError::ReadOnly {
                    path: self.path.clone(),
                });
            }
        };
        lock.lock().map_err(KbError::io("lock", self.file(LOCK)))?;
        Ok(Locked(Some(lock.clone())))
    }
}

/// Whether an open failed because this process may not write there.
fn cannot_write(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem
    )
}

/// A `--kb` that is a symbolic link to nothing: creating the directory would
/// fail with a bare "File exists", so say what is wrong.
fn refuse_dangling_link(path: &Path) -> Result<(), KbError> {
    let Ok(meta) = fs::symlink_metadata(path) else {
        return Ok(());
    };
    if !meta.file_type().is_symlink() {
        return Ok(());
    }
    let target = fs::read_link(path).unwrap_or_default();
    Err(KbError::Io {
        action: "use",
        path: path.to_path_buf(),
        source: io::Error::other(format!(
            "it is a symbolic link to {}, which does not exist; create that directory or give another --kb",
            crate::text::escape_controls(&target.to_string_lossy())
        )),
    })
}

#[cfg(unix)]
fn owned_by_other(path: &Path, meta: &fs::Metadata) -> Option<KbWarning> {
    use std::os::unix::fs::MetadataExt;
    let me = rustix::process::geteuid().as_raw();
    (meta.uid() != me).then(|| KbWarning::OwnedByOther {
        path: path.to_path_buf(),
        owner: meta.uid(),
    })
}

#[cfg(not(unix))]
fn owned_by_other(_path: &Path, _meta: &fs::Metadata) -> Option<KbWarning> {
    None
}

/// Options that create files readable by the owner only: the knowledge base
/// holds employee identifiers. The mode is given at creation, so the file is
/// never readable by others, not even for a moment.
pub(crate) fn private_options() -> OpenOptions {
    #[allow(unused_mut)]
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
}

fn create_private_dir(path: &Path) -> Result<(), KbError> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(path).map_err(KbError::io("create", path))?;
    if let Some(parent) = path.parent() {
        sync_dir(parent)?;
    }
    Ok(())
}

#[cfg(unix)]
fn open_to_others(path: &Path, meta: &fs::Metadata) -> Option<KbWarning> {
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode() & 0o7777;
    (mode & 0o077 != 0).then(|| KbWarning::OpenToOthers {
        path: path.to_path_buf(),
        mode,
    })
}

#[cfg(not(unix))]
fn open_to_others(_path: &Path, _meta: &fs::Metadata) -> Option<KbWarning> {
    None
}

/// Makes a rename or creation in `dir` durable.
pub(crate) fn sync_dir(dir: &Path) -> Result<(), KbError> {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    atomic_file::sync_dir(dir).map_err(KbError::io("sync", dir))
}

/// Replaces `path` with `bytes` so that a crash leaves either the old file
/// or the new one, never a mix: a private (0600) temporary file beside it,
/// fsynced, renamed over it, the directory fsynced.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), KbError> {
    atomic_file::write_bytes(path, FileMode::Private, bytes).map_err(|e| KbError::Io {
        action: "write",
        path: e.path,
        source: e.source,
    })
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &Path) -> u32 {
        fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn creates_private_directory_and_files() {
        let tmp = tempfile::tempdir().unwrap();
        let kb = tmp.path().join("a/b/kb");
        let (dir, warnings) = Dir::open(&kb).unwrap();
        assert!(warnings.is_empty());
        assert_eq!(mode(&kb), 0o700);
        assert_eq!(mode(&kb.join(LOCK)), 0o600);
        let file = dir.file(JOURNAL);
        write_atomic(&file, b"x\n").unwrap();
        assert_eq!(mode(&file), 0o600);
        assert_eq!(fs::read(&file).unwrap(), b"x\n");
        // No temporary file is left beside it.
        let mut names: Vec<_> = fs::read_dir(&kb)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        assert_eq!(names, [JOURNAL, LOCK]);
    }

    #[test]
    fn warns_about_a_directory_others_can_read() {
        let tmp = tempfile::tempdir().unwrap();
        fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o755)).unwrap();
        let (_, warnings) = Dir::open(tmp.path()).unwrap();
        assert!(matches!(
            warnings.as_slice(),
            [KbWarning::OpenToOthers { mode: 0o755, .. }]
        ));
    }

    #[test]
    fn refuses_a_file_as_directory() {
        let tmp = tempfile::tempdir().unwrap();
        let f = tmp.path().join("f");
        fs::write(&f, "").unwrap();
        assert!(
            Dir::open(&f)
                .unwrap_err()
                .to_string()
                .contains("not a directory")
        );
    }
}
