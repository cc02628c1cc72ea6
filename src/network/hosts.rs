//! `--hosts FILE`: whose machine is whose. A CSV with the header
//! `host,recipient` or `user,recipient` (either order of rows, several rows
//! per person for someone with two PCs, several people per host for a shared
//! one). A host name matches with or without its domain (`PC-TANAKA` is
//! `PC-TANAKA.corp.example`); a user with or without a Windows domain
//! (`tanaka` is `CORP\tanaka`); both ignore case.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What the file maps: host names or proxy user names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyKind {
    Host,
    User,
}

/// Whose machine (or proxy account) is whose, from the analyst's table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HostMap {
    hosts: HashMap<String, Vec<String>>,
    users: HashMap<String, Vec<String>>,
}

#[derive(Debug, thiserror::Error)]
pub enum HostsError {
    #[error("cannot read the hosts table {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}, line {line}{}: {reason}", path.display(), field.as_ref().map(|f| format!(", {f}")).unwrap_or_default())]
    Bad {
        path: PathBuf,
        line: u64,
        field: Option<String>,
        reason: String,
    },
}

impl HostMap {
    /// Reads a hosts table; a row that cannot be read is an error naming its
    /// line and field (the table is short and hand-made: better fixed than
    /// half used).
    pub fn read(path: &Path) -> Result<HostMap, HostsError> {
        let bytes = std::fs::read(path).map_err(|source| HostsError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let text = decode(&bytes);
        HostMap::parse(&text).map_err(|(line, field, reason)| HostsError::Bad {
            path: path.to_path_buf(),
            line,
            field,
            reason,
        })
    }

    /// Reads the table's text; errors are (line, field, reason).
    pub fn parse(text: &str) -> Result<HostMap, (u64, Option<String>, String)> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut map = HostMap::default();
        let mut kinds: Option<(Option<KeyKind>, Option<KeyKind>)> = None;
        for record in rdr.records() {
            let record = record.map_err(|e| (0, None, e.to_string()))?;
            let line = record.position().map_or(0, |p| p.line());
            if record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let cell = |i: usize| {
                record
                    .get(i)
                    .unwrap_or("")
                    .trim()
                    .trim_start_matches('\u{feff}')
            };
            let Some((first, second)) = kinds else {
                let kind = |name: &str| match name.to_ascii_lowercase().as_str() {
                    "host" | "hostname" | "host name" | "ホスト名" => Some(Some(KeyKind::Host)),
                    "user" | "username" | "user name" | "ユーザー" | "ユーザー名" => {
                        Some(Some(KeyKind::User))
                    }
                    "recipient" | "email" | "e-mail" | "宛先" => Some(None),
                    _ => None,
                };
                let (Some(a), Some(b)) = (kind(cell(0)), kind(cell(1))) else {
                    return Err((
                        line,
                        None,
                        format!(
                            "the header should be host,recipient or user,recipient; it was {:?}",
                            record.iter().collect::<Vec<_>>().join(",")
                        ),
                    ));
                };
                if a.is_some() == b.is_some() {
                    return Err((
                        line,
                        None,
                        "the header should name one key column (host or user) and a recipient \
                         column"
                            .to_string(),
                    ));
                }
                kinds = Some((a, b));
                continue;
            };
            let (key_at, kind) = match (first, second) {
                (Some(kind), _) => (0, kind),
                (None, Some(kind)) => (1, kind),
                (None, None) => unreachable!("the header was checked"),
            };
            let key = cell(key_at);
            let recipient = cell(1 - key_at);
            let key_name = match kind {
                KeyKind::Host => "host",
                KeyKind::User => "user",
            };
            if key.is_empty() {
                return Err((line, Some(key_name.to_string()), "is empty".to_string()));
            }
            if recipient.is_empty() {
                return Err((line, Some("recipient".to_string()), "is empty".to_string()));
            }
            let (table, key) = match kind {
                KeyKind::Host => (&mut map.hosts, host_key(key)),
                KeyKind::User => (&mut map.users, user_key(key)),
            };
            let owners = table.entry(key).or_default();
            if !owners.iter().any(|o| o.eq_ignore_ascii_case(recipient)) {
                owners.push(recipient.to_string());
            }
        }
        if kinds.is_none() {
            return Err((0, None, "the file is empty".to_string()));
        }
        Ok(map)
    }

    /// Adds another table's rows (`--hosts` given twice: hosts and users).
    pub fn extend(&mut self, other: HostMap) {
        for (k, v) in other.hosts {
            self.hosts.entry(k).or_default().extend(v);
        }
        for (k, v) in other.users {
            self.users.entry(k).or_default().extend(v);
        }
    }

    /// The people a host belongs to (empty when the table does not say).
    pub fn host_owners(&self, host: &str) -> &[String] {
        self.hosts.get(&host_key(host)).map_or(&[], Vec::as_slice)
    }

    /// The people a proxy user is (empty when the table does not say).
    pub fn user_owners(&self, user: &str) -> &[String] {
        self.users.get(&user_key(user)).map_or(&[], Vec::as_slice)
    }

    pub fn is_empty(&self) -> bool {
        self.hosts.is_empty() && self.users.is_empty()
    }
}

/// `PC-TANAKA.corp.example` → `pc-tanaka`.
fn host_key(host: &str) -> String {
    host.trim().split('.').next().unwrap_or("").to_lowercase()
}

/// `CORP\tanaka` → `tanaka`; `tanaka@corp.example` stays whole.
fn user_key(user: &str) -> String {
    let user = user.trim();
    user.rsplit('\\').next().unwrap_or(user).to_lowercase()
}

/// UTF-8 (with or without BOM), else Shift_JIS (a table saved from Excel).
fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::SHIFT_JIS.decode(bytes).0.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_hosts_and_users() {
        let map = HostMap::parse(
            "host,recipient\nPC-TANAKA,tanaka@corp.example\npc-shared,a@x\nPC-SHARED.corp,b@x\n",
        )
        .unwrap();
        assert_eq!(
            map.host_owners("pc-tanaka.corp.example"),
            ["tanaka@corp.example"]
        );
        assert_eq!(map.host_owners("PC-SHARED"), ["a@x", "b@x"]);
        assert!(map.host_owners("PC-OTHER").is_empty());
        let users = HostMap::parse("recipient,user\ntanaka@corp.example,CORP\\tanaka\n").unwrap();
        assert_eq!(users.user_owners("tanaka"), ["tanaka@corp.example"]);
    }

    #[test]
    fn bad_tables_name_line_and_field() {
        assert_eq!(
            HostMap::parse("pc,person\n").unwrap_err().2,
            "the header should be host,recipient or user,recipient; it was \"pc,person\""
        );
        let (line, field, reason) =
            HostMap::parse("host,recipient\nPC-A,a@x\nPC-B,\n").unwrap_err();
        assert_eq!(
            (line, field.as_deref(), reason.as_str()),
            (3, Some("recipient"), "is empty")
        );
    }
}
