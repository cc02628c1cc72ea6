//! Writing a whole file: the one way every file this program makes is
//! written (a report, an exported knowledge base, a built database, the
//! knowledge base's own files).
//!
//! A regular file is replaced whole: the content goes to a temporary file
//! beside it, is flushed to disk, and is renamed over the old one, so a
//! reader (Excel, another whoclicked) never sees half a file and a failed
//! write leaves the old file as it was. A symbolic link is followed and its
//! target replaced, so the link stays a link. Anything that is not a regular
//! file (a device such as `/dev/null`, a FIFO, the descriptor behind
//! `/dev/stdout`) is written through: replacing it would put a regular file
//! where the system's device was, or leave the reader of a FIFO with nothing.

use std::ffi::OsString;
use std::fs::{self, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Who may read a file that is created or replaced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileMode {
    /// Like any new file (0666 less the umask); a replaced file keeps its
    /// permissions.
    Usual,
    /// The owner only (0600), whatever the replaced file allowed: the
    /// knowledge base holds employee identifiers. The mode is set when the
    /// file is created, so it is never readable by others, not even briefly.
    Private,
}

/// A write that failed; the old file, if any, is untouched (a file written
/// through may hold part of the new content).
#[derive(Debug, thiserror::Error)]
#[error("cannot write {}: {source}", path.display())]
pub struct WriteError {
    /// The path as the caller gave it (a symbolic link's own name).
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

impl WriteError {
    pub fn new(path: impl Into<PathBuf>, source: io::Error) -> WriteError {
        WriteError {
            path: path.into(),
            source,
        }
    }

    /// What went wrong, as the system said it (a reader that stopped early
    /// is a broken pipe, which callers may take as no error).
    pub fn kind(&self) -> io::ErrorKind {
        self.source.kind()
    }
}

/// Writes what `write` produces to `path` (see the module documentation
/// for how). `write` gets a buffered writer.
pub fn write(
    path: &Path,
    file_mode: FileMode,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), WriteError> {
    let written = match destination(path) {
        Ok(Destination::Through) => write_through(path, write),
        Ok(Destination::Replace(target)) => replace(&target, file_mode, write),
        Err(source) => Err(source),
    };
    written.map_err(|source| WriteError::new(path, source))
}

/// Writes `bytes` to `path`, as [`write`] does.
pub fn write_bytes(path: &Path, file_mode: FileMode, bytes: &[u8]) -> Result<(), WriteError> {
    write(path, file_mode, |out| out.write_all(bytes))
}

/// Where the bytes for a path go.
#[derive(Debug, PartialEq, Eq)]
enum Destination {
    /// Open the path and write into it.
    Through,
    /// Replace this regular file (the path itself or the end of its links),
    /// or create it.
    Replace(PathBuf),
}

/// Linux's own limit on links followed in one lookup.
const MAX_LINKS: usize = 40;

fn destination(path: &Path) -> io::Result<Destination> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        let meta = match fs::symlink_metadata(&current) {
            Ok(meta) => meta,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Ok(Destination::Replace(current));
            }
            Err(e) => return Err(e),
        };
        if meta.is_file() {
            return Ok(Destination::Replace(current));
        }
        if !meta.file_type().is_symlink() {
            return Ok(Destination::Through);
        }
        let dir = parent_dir(&current);
        // A link in /proc (what /dev/stdout and /dev/fd/N lead to) stands for
        // a descriptor this process already has open: its "target" is no
        // place to put a new file.
        if fs::canonicalize(dir)?.starts_with("/proc") {
            return Ok(Destination::Through);
        }
        current = dir.join(fs::read_link(&current)?);
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// The directory a path is in; `.` for a bare name.
fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

fn write_through(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    // Truncation means nothing to a device or a FIFO; it matters for a
    // regular file reached through a descriptor's link.
    let file = OpenOptions::new().write(true).truncate(true).open(path)?;
    let mut out = BufWriter::new(file);
    write(&mut out)?;
    out.flush()
}

fn replace(
    target: &Path,
    file_mode: FileMode,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let dir = parent_dir(target);
    // Hidden and named after the target, so a leftover (after a power cut)
    // says where it came from.
    let mut prefix = OsString::from(".");
    prefix.push(target.file_name().unwrap_or_default());
    prefix.push(".");
    // Made with our own options, not tempfile's defaults: the mode is set
    // at creation, and errors stay the system's own (tempfile's name the
    // temporary file, which means nothing to the user).
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(match file_mode {
            FileMode::Usual => 0o666,
            FileMode::Private => 0o600,
        });
    }
    let temp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".tmp")
        .make_in(dir, |path| options.open(path))?;
    #[cfg(unix)]
    if file_mode == FileMode::Usual {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(old) = fs::metadata(target) {
            let mode = old.permissions().mode() & 0o777;
            temp.as_file()
                .set_permissions(fs::Permissions::from_mode(mode))?;
        }
    }
    #[cfg(not(unix))]
    let _ = file_mode;
    // On any error below, dropping `temp` removes the temporary file.
    let mut out = BufWriter::new(temp.as_file());
    write(&mut out)?;
    out.flush()?;
    drop(out);
    temp.as_file().sync_all()?;
    temp.persist(target).map_err(|e| e.error)?;
    sync_dir(dir)
}

/// Makes a rename or creation in `dir` durable.
pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    fs::File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    /// Everything in `dir`, to prove no temporary file is left behind.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_a_file_whole_and_keeps_its_permissions() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("report.csv");
        write_bytes(&path, FileMode::Usual, b"first\n").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"first\n");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        write_bytes(&path, FileMode::Usual, b"second\n").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"second\n");
        assert_eq!(mode(&path), 0o640);
        assert_eq!(names(tmp.path()), ["report.csv"]);
    }

    #[test]
    fn private_files_are_for_the_owner_only_whatever_they_were() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("journal.jsonl");
        write_bytes(&path, FileMode::Private, b"x\n").unwrap();
        assert_eq!(mode(&path), 0o600);
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        write_bytes(&path, FileMode::Private, b"y\n").unwrap();
        assert_eq!(mode(&path), 0o600);
        assert_eq!(fs::read(&path).unwrap(), b"y\n");
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_names_the_path() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("out.csv");
        fs::write(&path, "old\n").unwrap();
        let err = write(&path, FileMode::Usual, |out| {
            out.write_all(b"half")?;
            Err(io::Error::other("the disk is full"))
        })
        .unwrap_err();
        assert_eq!(fs::read(&path).unwrap(), b"old\n");
        assert_eq!(names(tmp.path()), ["out.csv"]);
        assert_eq!(err.path, path);
        assert_eq!(
            err.to_string(),
            format!("cannot write {}: the disk is full", path.display())
        );
    }

    #[test]
    fn a_missing_directory_is_an_error_naming_the_path() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("no/such/dir/out.csv");
        let err = write_bytes(&path, FileMode::Usual, b"x").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
        assert!(
            err.to_string()
                .starts_with(&format!("cannot write {}: ", path.display())),
            "{err}"
        );
    }

    #[test]
    fn a_symlink_is_written_through_to_its_target() {
        let tmp = tempfile::tempdir().unwrap();
        let real = tmp.path().join("real.csv");
        fs::write(&real, "old\n").unwrap();
        // A relative link, resolved against the link's own directory.
        let link = tmp.path().join("link.csv");
        std::os::unix::fs::symlink("real.csv", &link).unwrap();
        // And a link to the link, given as an absolute path.
        let outer = tmp.path().join("outer.csv");
        std::os::unix::fs::symlink(&link, &outer).unwrap();
        write_bytes(&outer, FileMode::Usual, b"new\n").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(
            fs::symlink_metadata(&outer)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(&real).unwrap(), b"new\n");
        assert_eq!(names(tmp.path()), ["link.csv", "outer.csv", "real.csv"]);
    }

    #[test]
    fn a_dangling_symlink_creates_its_target() {
        let tmp = tempfile::tempdir().unwrap();
        let link = tmp.path().join("link.csv");
        std::os::unix::fs::symlink("made.csv", &link).unwrap();
        write_bytes(&link, FileMode::Usual, b"x\n").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(tmp.path().join("made.csv")).unwrap(), b"x\n");
    }

    #[test]
    fn a_symlink_loop_is_an_error_not_a_hang() {
        let tmp = tempfile::tempdir().unwrap();
        let a = tmp.path().join("a");
        std::os::unix::fs::symlink("b", &a).unwrap();
        std::os::unix::fs::symlink("a", tmp.path().join("b")).unwrap();
        let err = write_bytes(&a, FileMode::Usual, b"x").unwrap_err();
        assert!(err.to_string().contains("symbolic links"), "{err}");
    }

    #[test]
    fn a_fifo_reader_gets_the_data() {
        let tmp = tempfile::tempdir().unwrap();
        let fifo = tmp.path().join("pipe");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo runs");
        assert!(made.success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || fs::read(fifo).unwrap())
        };
        write_bytes(&fifo, FileMode::Usual, b"through the pipe\n").unwrap();
        assert_eq!(reader.join().unwrap(), b"through the pipe\n");
        assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());
        assert_eq!(names(tmp.path()), ["pipe"]);
    }

    #[test]
    fn a_device_is_written_through_not_replaced() {
        // Safe on a real system: /dev/null is opened and written, never renamed over.
        write_bytes(Path::new("/dev/null"), FileMode::Usual, b"nothing").unwrap();
        assert!(
            fs::metadata("/dev/null")
                .unwrap()
                .file_type()
                .is_char_device()
        );
        assert_eq!(
            destination(Path::new("/dev/null")).unwrap(),
            Destination::Through
        );
    }

    #[test]
    fn descriptor_links_are_written_through() {
        for path in ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"] {
            if fs::symlink_metadata(path).is_ok() {
                assert_eq!(
                    destination(Path::new(path)).unwrap(),
                    Destination::Through,
                    "{path}"
                );
            }
        }
    }

    #[test]
    fn a_directory_is_refused_by_name() {
        let tmp = tempfile::tempdir().unwrap();
        let err = write_bytes(tmp.path(), FileMode::Usual, b"x").unwrap_err();
        assert_eq!(err.path, tmp.path());
        assert!(tmp.path().is_dir());
    }
}
