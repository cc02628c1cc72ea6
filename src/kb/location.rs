//! Where the knowledge base lives: `--kb DIR`, else `WHOCLICKED_KB`, else
//! the platform's data directory (`~/.local/share/whoclicked` on Linux).
//! One function, so the command line and the review screen agree.

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};

use super::error::KbError;

/// The environment variable naming the knowledge-base directory.
pub const ENV_VAR: &str = "WHOCLICKED_KB";

/// Where the location came from, for `kb path` and messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LocationSource {
    /// `--kb DIR`.
    Option,
    /// The `WHOCLICKED_KB` environment variable.
    Environment,
    /// The platform data directory.
    Default,
}

impl fmt::Display for LocationSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LocationSource::Option => "--kb",
            LocationSource::Environment => ENV_VAR,
            LocationSource::Default => "default",
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub dir: PathBuf,
    pub source: LocationSource,
}

/// The knowledge-base directory: `explicit` (`--kb`), else `WHOCLICKED_KB`
/// (when set and not empty), else the platform data directory.
pub fn locate(explicit: Option<&Path>) -> Result<Location, KbError> {
    let default =
        || directories::ProjectDirs::from("", "", "whoclicked").map(|d| d.data_dir().to_path_buf());
    locate_with(explicit, std::env::var_os(ENV_VAR), default)
}

fn locate_with(
    explicit: Option<&Path>,
    env: Option<OsString>,
    default: impl FnOnce() -> Option<PathBuf>,
) -> Result<Location, KbError> {
    if let Some(dir) = explicit.filter(|d| !d.as_os_str().is_empty()) {
        return Ok(Location {
            dir: dir.to_path_buf(),
            source: LocationSource::Option,
        });
    }
    if let Some(dir) = env.filter(|d| !d.is_empty()) {
        return Ok(Location {
            dir: PathBuf::from(dir),
            source: LocationSource::Environment,
        });
    }
    default()
        .map(|dir| Location {
            dir,
            source: LocationSource::Default,
        })
        .ok_or(KbError::NoLocation)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn option_beats_environment_beats_default() {
        let def = || Some(PathBuf::from("/home/a/.local/share/whoclicked"));
        let l = locate_with(Some(Path::new("/x")), Some("/y".into()), def).unwrap();
        assert_eq!(
            (l.dir, l.source),
            (PathBuf::from("/x"), LocationSource::Option)
        );
        let l = locate_with(None, Some("/y".into()), def).unwrap();
        assert_eq!(
            (l.dir, l.source),
            (PathBuf::from("/y"), LocationSource::Environment)
        );
        let l = locate_with(None, Some("".into()), def).unwrap();
        assert_eq!(l.source, LocationSource::Default);
        assert!(matches!(
            locate_with(None, None, || None),
            Err(KbError::NoLocation)
        ));
    }

    #[test]
    fn default_is_the_platform_data_dir() {
        if let Some(dirs) = directories::ProjectDirs::from("", "", "whoclicked") {
            let l = locate_with(None, None, || Some(dirs.data_dir().to_path_buf())).unwrap();
            assert!(l.dir.ends_with("whoclicked"), "{}", l.dir.display());
        }
    }
}
