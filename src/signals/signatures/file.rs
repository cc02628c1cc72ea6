//! The signature file format (TOML) and where the files in force come from:
//! the list embedded in the binary, plus an optional user file from
//! `WHOCLICKED_SIGNATURES` or the config dir that adds entries (which take
//! precedence) and patches weights. TOML because analysts edit the user file
//! by hand: it takes comments (the built-in list cites its sources inline)
//! and its errors name a line.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use ipnetwork::IpNetwork;
use serde::Deserialize;
use toml::Spanned;

use super::params::{Tunable, Tuning, Weight, Weights};
use super::{
    AgentEntry, AgentKind, BrowserEntry, NetworkEntry, NetworkKind, Origin, Signatures, SourceInfo,
    TimingBand,
};

/// The built-in list, embedded at build time.
pub const BUILTIN: &str = include_str!("../../../assets/signatures.toml");

/// The built-in browser release table (the same format, `[[browser]]` only).
pub const BUILTIN_RELEASES: &str = include_str!("../../../assets/browser-releases.toml");

/// The newest `format` this build reads.
pub const FORMAT: u32 = 1;

/// The environment variable naming a user signature file.
pub const ENV_VAR: &str = "WHOCLICKED_SIGNATURES";

/// The user file's name inside the config dir.
pub const FILE_NAME: &str = "signatures.toml";

#[derive(Debug, thiserror::Error)]
pub enum SignatureError {
    #[error("{file}:{line}:{column}: {message}")]
    Invalid {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("cannot read signature file {file}: {source}")]
    Read {
        file: String,
        #[source]
        source: std::io::Error,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Doc {
    format: Spanned<u32>,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    builtin: Option<bool>,
    #[serde(default)]
    tuning: BTreeMap<Spanned<String>, Spanned<f32>>,
    #[serde(default)]
    weights: BTreeMap<Spanned<String>, Spanned<f32>>,
    #[serde(default)]
    timing: Vec<Spanned<BandDoc>>,
    #[serde(default)]
    network: Vec<Spanned<NetworkDoc>>,
    #[serde(default)]
    agent: Vec<Spanned<AgentDoc>>,
    #[serde(default)]
    browser: Vec<Spanned<BrowserDoc>>,
    /// Decoy link patterns (`signals::decoy`).
    #[serde(default)]
    decoys: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BandDoc {
    below: f32,
    weight: f32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NetworkDoc {
    name: String,
    kind: Spanned<String>,
    #[serde(default)]
    asn: Vec<u32>,
    #[serde(default)]
    prefix: Vec<Spanned<String>>,
    #[serde(default)]
    weight: Option<f32>,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AgentDoc {
    name: String,
    kind: Spanned<String>,
    #[serde(default)]
    contains: Vec<String>,
    #[serde(default)]
    starts_with: Vec<String>,
    #[serde(default)]
    weight: Option<f32>,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BrowserDoc {
    family: String,
    /// Known majors and their dates: `[[120, "2023-11-29"], …]`.
    #[serde(default)]
    releases: Vec<(u32, Spanned<String>)>,
    /// The older form: one known release and a fixed cadence.
    #[serde(default)]
    release: Option<u32>,
    #[serde(default)]
    released: Option<Spanned<String>>,
    #[serde(default)]
    every_days: Option<f32>,
    #[serde(default)]
    extended: Vec<u32>,
}

/// One parsed file, before it is combined with others.
struct Parsed {
    info: SourceInfo,
    networks: Vec<NetworkEntry>,
    agents: Vec<AgentEntry>,
    browsers: Vec<BrowserEntry>,
    timing: Option<Vec<TimingBand>>,
    weights: Vec<(Weight, f32)>,
    tuning: Vec<(Tunable, f32)>,
    decoys: Vec<String>,
}

/// Builds error values that point into one file's text.
struct Locator<'a> {
    file: &'a str,
    text: &'a str,
}

impl Locator<'_> {
    fn at(&self, span: Option<Range<usize>>, message: impl Into<String>) -> SignatureError {
        let start = span.map_or(0, |s| s.start.min(self.text.len()));
        let before = &self.text[..start];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        SignatureError::Invalid {
            file: self.file.to_string(),
            line,
            column,
            message: message.into(),
        }
    }
}

fn parse(text: &str, file: &str, origin: Origin) -> Result<Parsed, SignatureError> {
    let loc = Locator { file, text };
    let doc: Doc = toml::from_str(text).map_err(|e| loc.at(e.span(), e.message()))?;
    if *doc.format.get_ref() > FORMAT || *doc.format.get_ref() == 0 {
        return Err(loc.at(
            Some(doc.format.span()),
            format!(
                "signature format {} is not one this whoclicked reads (it reads 1 to {FORMAT}); update whoclicked",
                doc.format.get_ref()
            ),
        ));
    }
    let version = doc.version.unwrap_or_default();
    let origin = match origin {
        Origin::Builtin(_) => Origin::Builtin(version.clone()),
        user => user,
    };
    let mut weights = Vec::new();
    for (key, value) in &doc.weights {
        let w = Weight::from_name(key.get_ref()).ok_or_else(|| {
            loc.at(
                Some(key.span()),
                format!("unknown weight `{}`", key.get_ref()),
            )
        })?;
        weights.push((w, finite(&loc, value)?));
    }
    let mut tuning = Vec::new();
    for (key, value) in &doc.tuning {
        let t = Tunable::from_name(key.get_ref()).ok_or_else(|| {
            loc.at(
                Some(key.span()),
                format!("unknown tuning value `{}`", key.get_ref()),
            )
        })?;
        tuning.push((t, finite(&loc, value)?));
    }
    let timing = if doc.timing.is_empty() {
        None
    } else {
        let mut bands = Vec::new();
        for band in &doc.timing {
            let b = band.get_ref();
            if bands
                .last()
                .is_some_and(|prev: &TimingBand| prev.below >= b.below)
            {
                return Err(loc.at(
                    Some(band.span()),
                    "timing bands must be in increasing order of `below`",
                ));
            }
            bands.push(TimingBand {
                below: b.below,
                weight: b.weight,
            });
        }
        Some(bands)
    };
    let mut networks = Vec::new();
    for spanned in doc.network {
        let span = spanned.span();
        let n = spanned.into_inner();
        let kind = NetworkKind::from_name(n.kind.get_ref()).ok_or_else(|| {
            loc.at(
                Some(n.kind.span()),
                format!(
                    "unknown network kind `{}` (mail-security, security-vendor, cloud, security-proxy, residential or cellular)",
                    n.kind.get_ref()
                ),
            )
        })?;
        let mut prefixes = Vec::new();
        for p in &n.prefix {
            let net: IpNetwork = p.get_ref().parse().map_err(|e| {
                loc.at(Some(p.span()), format!("bad prefix `{}`: {e}", p.get_ref()))
            })?;
            if net.network() != net.ip() {
                return Err(loc.at(
                    Some(p.span()),
                    format!("prefix `{}` has host bits set", p.get_ref()),
                ));
            }
            prefixes.push(net);
        }
        if n.asn.is_empty() && prefixes.is_empty() {
            return Err(loc.at(
                Some(span),
                format!("network `{}` lists no asn and no prefix", n.name),
            ));
        }
        if n.asn.contains(&0) {
            return Err(loc.at(
                Some(span),
                format!("network `{}` lists AS0, which is no AS", n.name),
            ));
        }
        networks.push(NetworkEntry {
            name: n.name,
            kind,
            asns: n.asn,
            prefixes,
            weight: n.weight,
            note: n.note,
            origin: origin.clone(),
        });
    }
    let mut agents = Vec::new();
    for spanned in doc.agent {
        let span = spanned.span();
        let a = spanned.into_inner();
        let kind = AgentKind::from_name(a.kind.get_ref()).ok_or_else(|| {
            loc.at(
                Some(a.kind.span()),
                format!(
                    "unknown agent kind `{}` (library, headless, scanner, preview or office-client)",
                    a.kind.get_ref()
                ),
            )
        })?;
        let lower = |v: Vec<String>| -> Vec<String> {
            v.into_iter().map(|s| s.to_ascii_lowercase()).collect()
        };
        let (contains, starts_with) = (lower(a.contains), lower(a.starts_with));
        if contains.iter().chain(&starts_with).any(String::is_empty)
            || contains.is_empty() && starts_with.is_empty()
        {
            return Err(loc.at(
                Some(span),
                format!(
                    "agent `{}` needs non-empty `contains` or `starts_with` patterns",
                    a.name
                ),
            ));
        }
        agents.push(AgentEntry {
            name: a.name,
            kind,
            contains,
            starts_with,
            weight: a.weight,
            note: a.note,
            origin: origin.clone(),
        });
    }
    let mut browsers = Vec::new();
    for spanned in doc.browser {
        let span = spanned.span();
        let b = spanned.into_inner();
        let date = |text: &Spanned<String>| {
            text.get_ref().parse().map_err(|_| {
                loc.at(
                    Some(text.span()),
                    format!(
                        "a release date must be like 2023-12-05, not `{}`",
                        text.get_ref()
                    ),
                )
            })
        };
        let mut releases = Vec::new();
        for (major, on) in &b.releases {
            releases.push((*major, date(on)?));
        }
        if let (Some(major), Some(on)) = (b.release, &b.released) {
            releases.push((major, date(on)?));
        }
        if releases.is_empty() {
            return Err(loc.at(
                Some(span),
                format!(
                    "browser `{}` needs `releases = [[major, \"date\"], …]`",
                    b.family
                ),
            ));
        }
        browsers.push(BrowserEntry::new(
            b.family,
            releases,
            b.every_days,
            b.extended,
            origin.clone(),
        ));
    }
    Ok(Parsed {
        info: SourceInfo {
            origin,
            version,
            replaces_builtin: doc.builtin == Some(false),
        },
        networks,
        agents,
        browsers,
        timing,
        weights,
        tuning,
        decoys: doc.decoys,
    })
}

fn finite(loc: &Locator<'_>, value: &Spanned<f32>) -> Result<f32, SignatureError> {
    let v = *value.get_ref();
    if v.is_nan() {
        return Err(loc.at(Some(value.span()), "a weight cannot be nan"));
    }
    Ok(v)
}

/// Combines the built-in file with an optional user file (`user` is its path
/// and text). The user's entries come first so that they win lookups.
fn combine(builtin: Parsed, user: Option<Parsed>) -> Result<Signatures, SignatureError> {
    let base_origin = builtin.info.origin.clone();
    let builtin_error = |what: String| SignatureError::Invalid {
        file: "built-in signatures".into(),
        line: 1,
        column: 1,
        message: what,
    };
    if let Some(missing) = Weight::first_missing(&builtin.weights) {
        return Err(builtin_error(format!(
            "weight `{}` is missing",
            missing.name()
        )));
    }
    if let Some(missing) = Tunable::first_missing(&builtin.tuning) {
        return Err(builtin_error(format!(
            "tuning value `{}` is missing",
            missing.name()
        )));
    }
    let mut weights = Weights::zeroed();
    for &(key, value) in &builtin.weights {
        weights.set(key, value);
    }
    let mut tuning = Tuning::zeroed();
    for &(key, value) in &builtin.tuning {
        tuning.set(key, value);
    }
    let mut weight_origins = vec![base_origin.clone(); Weight::ALL.len()];
    let mut tuning_origins = vec![base_origin.clone(); Tunable::ALL.len()];
    let mut timing = builtin
        .timing
        .ok_or_else(|| builtin_error("no timing bands".into()))?;
    let mut sources = vec![builtin.info];
    let (mut networks, mut agents, mut browsers) =
        (builtin.networks, builtin.agents, builtin.browsers);
    let mut decoy_origins = vec![base_origin.clone(); builtin.decoys.len()];
    let mut decoys = builtin.decoys;
    if let Some(user) = user {
        decoy_origins.extend(std::iter::repeat_n(
            user.info.origin.clone(),
            user.decoys.len(),
        ));
        decoys.extend(user.decoys);
        let origin = user.info.origin.clone();
        for (key, value) in user.weights {
            weights.set(key, value);
            weight_origins[key as usize] = origin.clone();
        }
        for (key, value) in user.tuning {
            tuning.set(key, value);
            tuning_origins[key as usize] = origin.clone();
        }
        if let Some(bands) = user.timing {
            timing = bands;
        }
        if user.info.replaces_builtin {
            networks.clear();
            agents.clear();
            browsers.clear();
        }
        networks.splice(0..0, user.networks);
        agents.splice(0..0, user.agents);
        browsers.splice(0..0, user.browsers);
        sources.push(user.info);
    }
    let mut signatures = Signatures::assemble(
        sources,
        networks,
        agents,
        browsers,
        timing,
        (weights, weight_origins),
        (tuning, tuning_origins),
    );
    signatures.decoys = decoys;
    signatures.decoy_origins = decoy_origins;
    Ok(signatures)
}

/// The embedded list with the embedded release table's browsers.
fn builtin_parsed() -> Result<Parsed, SignatureError> {
    let mut builtin = parse(
        BUILTIN,
        "built-in signatures",
        Origin::Builtin(String::new()),
    )?;
    let releases = parse(
        BUILTIN_RELEASES,
        "built-in browser releases",
        Origin::Builtin(String::new()),
    )?;
    builtin.browsers.extend(releases.browsers);
    Ok(builtin)
}

impl Signatures {
    /// The embedded list alone.
    pub fn builtin() -> Result<Signatures, SignatureError> {
        combine(builtin_parsed()?, None)
    }

    /// The embedded list extended by the user file at `path`.
    pub fn with_user_file(path: &Path) -> Result<Signatures, SignatureError> {
        let text = std::fs::read_to_string(path).map_err(|source| SignatureError::Read {
            file: path.display().to_string(),
            source,
        })?;
        Signatures::with_user_text(&text, path)
    }

    /// The embedded list extended by a user file's `text` (read from `path`).
    pub fn with_user_text(text: &str, path: &Path) -> Result<Signatures, SignatureError> {
        let builtin = builtin_parsed()?;
        let user = parse(
            text,
            &path.display().to_string(),
            Origin::User(path.to_path_buf()),
        )?;
        combine(builtin, Some(user))
    }

    /// The signatures in force: the embedded list plus the user file named
    /// by `WHOCLICKED_SIGNATURES`, else `signatures.toml` in the config dir
    /// when it exists.
    pub fn load() -> Result<Signatures, SignatureError> {
        match user_file() {
            Some(path) => Signatures::with_user_file(&path),
            None => Signatures::builtin(),
        }
    }
}

/// The user signature file that [`Signatures::load`] reads, if any. A path
/// in `WHOCLICKED_SIGNATURES` is returned even when missing, so that a typo
/// there is an error rather than silently ignored.
pub fn user_file() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(ENV_VAR).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let path = default_user_file()?;
    path.is_file().then_some(path)
}

/// Where a user signature file goes when `WHOCLICKED_SIGNATURES` is unset.
pub fn default_user_file() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "whoclicked")
        .map(|dirs| dirs.config_dir().join(FILE_NAME))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(text: &str) -> Result<Signatures, SignatureError> {
        Signatures::with_user_text(text, Path::new("/home/a/signatures.toml"))
    }

    fn error_text(r: Result<Signatures, SignatureError>) -> String {
        match r {
            Err(e) => e.to_string(),
            Ok(_) => panic!("expected an error"),
        }
    }

    #[test]
    fn builtin_list_is_complete() {
        let s = Signatures::builtin().unwrap();
        assert!(s.networks.len() > 20);
        assert!(s.agents.len() >= 5);
        assert!(s.weight(Weight::MethodHead) > 0.0);
        assert!(s.tuning(Tunable::ThresholdScanner) > s.tuning(Tunable::ThresholdHuman));
        assert!(matches!(&s.sources[0].origin, Origin::Builtin(v) if !v.is_empty()));
    }

    #[test]
    fn user_entries_win_and_weights_patch() {
        let s = user(
            "format = 1\nversion = \"acme-1\"\n[weights]\nagent_empty = 9\n\n\
             [[network]]\nname = \"Head office proxy\"\nkind = \"residential\"\nasn = [26211]\n",
        )
        .unwrap();
        assert_eq!(s.weight(Weight::AgentEmpty), 9.0);
        assert_eq!(
            s.weight_origins[Weight::AgentEmpty as usize],
            Origin::User("/home/a/signatures.toml".into())
        );
        let (entry, _) = s
            .network_for("67.231.144.1".parse().unwrap(), Some(26211))
            .unwrap();
        assert_eq!(s.networks[entry].name, "Head office proxy");
        assert_eq!(s.sources.len(), 2);
        // Built-in entries stay unless the user drops them.
        assert!(s.networks.iter().any(|n| n.name.contains("Mimecast")));
        let bare = user("format = 1\nbuiltin = false\n").unwrap();
        assert!(bare.networks.is_empty() && bare.agents.is_empty());
        assert!(bare.weight(Weight::MethodHead) > 0.0);
    }

    #[test]
    fn the_release_table_is_built_in_and_a_user_entry_replaces_a_family() {
        let d = |s: &str| s.parse::<jiff::civil::Date>().unwrap();
        let s = Signatures::builtin().unwrap();
        for family in ["Chrome", "Edge", "Firefox", "Safari"] {
            let b = s.browser(family).unwrap_or_else(|| panic!("{family}"));
            assert!(b.releases.len() >= 4, "{family}");
        }
        // Chrome's real major in August 2026 (the fixed 28-day cadence from
        // 120 said 153).
        assert_eq!(
            s.browser("Chrome").unwrap().expected_major(d("2026-08-10")),
            Some(151)
        );
        assert!(s.browser("Firefox").unwrap().extended.contains(&140));
        let u = user(
            "format = 1\n[[browser]]\nfamily = \"Chrome\"\nreleases = [[160, \"2026-01-01\"]]\nevery_days = 30\n",
        )
        .unwrap();
        assert_eq!(
            u.browser("Chrome").unwrap().expected_major(d("2026-03-02")),
            Some(162)
        );
        // The older one-release form still reads.
        let old = user(
            "format = 1\n[[browser]]\nfamily = \"Chrome\"\nrelease = 120\nreleased = \"2023-12-05\"\nevery_days = 28\n",
        )
        .unwrap();
        assert_eq!(
            old.browser("Chrome")
                .unwrap()
                .expected_major(d("2024-01-02")),
            Some(121)
        );
        let e = error_text(user(
            "format = 1\n[[browser]]\nfamily = \"Chrome\"\nreleases = [[1, \"soon\"]]\n",
        ));
        assert!(
            e.contains("signatures.toml:4:") && e.contains("`soon`"),
            "{e}"
        );
    }

    #[test]
    fn malformed_user_files_name_file_and_line() {
        let e = error_text(user("format = 1\n\n[weights]\nagent_emptyy = 2\n"));
        assert_eq!(
            e,
            "/home/a/signatures.toml:4:1: unknown weight `agent_emptyy`"
        );
        let e = error_text(user(
            "format = 1\n[[network]]\nname = \"x\"\nkind = \"cloudy\"\nasn = [1]\n",
        ));
        assert!(
            e.starts_with("/home/a/signatures.toml:4:8: unknown network kind `cloudy`"),
            "{e}"
        );
        let e = error_text(user(
            "format = 1\n[[network]]\nname = \"x\"\nkind = \"cloud\"\nprefix = [\"10.0.0.1/8\"]\n",
        ));
        assert!(
            e.starts_with("/home/a/signatures.toml:5:11: prefix `10.0.0.1/8` has host bits"),
            "{e}"
        );
        let e = error_text(user(
            "format = 1\n[[network]]\nname = \"x\"\nkind = \"cloud\"\n",
        ));
        assert!(
            e.contains(":2:") && e.contains("no asn and no prefix"),
            "{e}"
        );
        let e = error_text(user("format = 1\n[weights\n"));
        assert!(e.starts_with("/home/a/signatures.toml:2:"), "{e}");
        let e = error_text(user("format = 7\n"));
        assert!(e.contains(":1:10: signature format 7"), "{e}");
        let e = error_text(user(
            "format = 1\n[[agent]]\nname = \"x\"\nkind = \"library\"\ncontains = [\"\"]\n",
        ));
        assert!(e.contains("non-empty"), "{e}");
        let e = error_text(user(
            "format = 1\n[[timing]]\nbelow = 10\nweight = 1\n[[timing]]\nbelow = 5\nweight = 1\n",
        ));
        assert!(e.contains(":5:") && e.contains("increasing"), "{e}");
    }

    #[test]
    fn missing_user_file_is_an_error() {
        let e = Signatures::with_user_file(Path::new("/nonexistent/whoclicked/signatures.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("cannot read signature file /nonexistent/whoclicked/signatures.toml")
        );
    }
}
