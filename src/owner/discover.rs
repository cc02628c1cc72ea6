//! Finding owner databases: files named on the command line, the
//! `WHOCLICKED_MMDB` path list, and the usual directories.

use std::collections::HashSet;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use super::databases::identity;
use super::{OwnerDatabases, OwnerDbError};

/// Environment variable with extra database files or directories (OS path-list syntax).
pub const MMDB_ENV: &str = "WHOCLICKED_MMDB";

/// When set to a non-empty value, the default directories are not searched
/// (for reproducible runs and tests on machines with system GeoIP files).
pub const NO_DEFAULT_MMDB_ENV: &str = "WHOCLICKED_NO_DEFAULT_MMDB";

/// Databases found, and what was skipped on the way.
#[derive(Debug)]
pub struct Discovered {
    pub databases: OwnerDatabases,
    /// One line per broken or unusable file found in a default place.
    pub warnings: Vec<String>,
}

/// Where a candidate came from: the user's own choices fail loudly,
/// whatever happens to lie in a shared directory only warns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Origin {
    Chosen,
    Default,
}

/// whoclicked's own data directory for databases, e.g.
/// `~/.local/share/whoclicked/mmdb` on Linux.
pub fn user_mmdb_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "whoclicked").map(|d| d.data_dir().join("mmdb"))
}

/// The default places, in search order: the user's data directory, then the
/// directories `geoipupdate` and distributions use.
pub fn default_mmdb_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = user_mmdb_dir().into_iter().collect();
    dirs.extend(
        [
            "/usr/share/GeoIP",
            "/var/lib/GeoIP",
            "/usr/local/share/GeoIP",
        ]
        .iter()
        .map(PathBuf::from),
    );
    dirs
}

/// What to do when no owner database was found at all: where one can go,
/// and how to make one without a MaxMind account. The one wording every
/// command and the review screen use.
pub fn no_database_advice() -> String {
    let dirs: Vec<String> = default_mmdb_dirs()
        .iter()
        .map(|d| d.display().to_string())
        .collect();
    let places = match dirs.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    };
    format!(
        "no owner database found, so only internal addresses are recognised; add a .mmdb file \
         with --mmdb FILE or {MMDB_ENV} (a path list), or put one in {places}; without a \
         MaxMind account fetch and build one: whoclicked mmdb update (or from a range list \
         you have: whoclicked mmdb build --from RANGES --out FILE.mmdb)"
    )
}

/// Opens `explicit` (files or directories), then what `WHOCLICKED_MMDB`
/// names, then the `.mmdb` files of the default directories; when none of
/// them gives AS numbers, the bundled ASN database last. With
/// `WHOCLICKED_NO_DEFAULT_MMDB` set neither the default directories nor the
/// bundled database are used. Databases are consulted in that order.
pub fn discover(explicit: &[PathBuf]) -> Result<Discovered, OwnerDbError> {
    let env = std::env::var_os(MMDB_ENV);
    let no_defaults = std::env::var_os(NO_DEFAULT_MMDB_ENV).is_some_and(|v| !v.is_empty());
    let defaults = if no_defaults {
        Vec::new()
    } else {
        default_mmdb_dirs()
    };
    let mut found = discover_in(explicit, env.as_deref(), &defaults)?;
    // The shipped ASN data, when nothing found gives AS numbers (and the
    // user has not asked for no default databases).
    if !no_defaults && !found.databases.gives_asn() {
        found.databases.add_bundled()?;
    }
    Ok(found)
}

/// [`discover`] with the environment and default directories given (for tests).
pub fn discover_in(
    explicit: &[PathBuf],
    env: Option<&OsStr>,
    default_dirs: &[PathBuf],
) -> Result<Discovered, OwnerDbError> {
    let mut warnings = Vec::new();
    let mut candidates: Vec<(PathBuf, Origin)> = Vec::new();
    let chosen = explicit
        .iter()
        .cloned()
        .chain(
            env.map(|e| std::env::split_paths(e).collect::<Vec<_>>())
                .unwrap_or_default(),
        )
        .filter(|p| !p.as_os_str().is_empty());
    for path in chosen {
        if path.is_dir() {
            let files = mmdb_files(&path).map_err(|source| OwnerDbError::Io {
                path: path.clone(),
                source,
            })?;
            if files.is_empty() {
                warnings.push(format!("no .mmdb files in {}", path.display()));
            }
            candidates.extend(files.into_iter().map(|f| (f, Origin::Chosen)));
        } else {
            candidates.push((path, Origin::Chosen));
        }
    }
    for dir in default_dirs {
        if !dir.is_dir() {
            continue;
        }
        match mmdb_files(dir) {
            Ok(files) => candidates.extend(files.into_iter().map(|f| (f, Origin::Default))),
            Err(err) => warnings.push(format!("cannot list {}: {err}", dir.display())),
        }
    }

    let mut databases = OwnerDatabases::empty();
    let mut seen = HashSet::new();
    for (path, origin) in candidates {
        if !seen.insert(identity(&path)) {
            continue;
        }
        match databases.open_one(&path) {
            Ok(()) => {}
            Err(err) if origin == Origin::Default => {
                warnings.push(format!("ignored {err}"));
            }
            Err(err) => return Err(err),
        }
    }
    Ok(Discovered {
        databases,
        warnings,
    })
}

/// The `.mmdb` files directly in `dir`, sorted by name so the order (and so
/// which database wins a field) does not depend on the file system.
fn mmdb_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let is_mmdb = path
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("mmdb"));
        if is_mmdb && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}
