//! Where each account was seen working in earlier investigations: the
//! networks (an AS, or a /24 or /48 without owner data) and countries it
//! used, with the days it used them. The sign-in judgement compares a new
//! log against this as well as against the log itself, so a network that
//! was the account's usual one last month is still known, and on the log's
//! first day something new can already be called new.
//!
//! Kept in `accounts.json` beside the journal, replaced whole under the
//! directory lock. Only what a judgement found usual is added (used on
//! several days, nothing suspicious from it): an attacker's network seen
//! in one investigation never becomes the account's own for the next.
//! Days are a set, so reading the same log twice adds nothing.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::KnowledgeBase;
use super::error::KbError;
use super::files::write_atomic;

pub(crate) const ACCOUNTS: &str = "accounts.json";
/// The file's format; a newer one is refused rather than overwritten.
const VERSION: u64 = 1;
/// Days kept per network or country: the most recent ones. A year and a
/// bit is more than any sign-in log's retention reaches back.
pub const DAYS_KEPT: usize = 400;

/// Accounts (lower case) and where they worked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountHistory {
    #[serde(default)]
    pub accounts: BTreeMap<String, AccountUse>,
}

/// One account's networks and countries, each with its days of use (days
/// since 1970-01-01 in the analyst's zone, ascending, no repeats).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountUse {
    /// `AS64500` or `203.0.113.0/24`.
    #[serde(default)]
    pub places: BTreeMap<String, Vec<i64>>,
    /// ISO country codes.
    #[serde(default)]
    pub countries: BTreeMap<String, Vec<i64>>,
}

#[derive(Serialize, Deserialize)]
struct OnDisk {
    whoclicked_accounts: u64,
    #[serde(flatten)]
    history: AccountHistory,
}

impl AccountHistory {
    /// The account's entry; account names are compared in lower case.
    pub fn get(&self, account: &str) -> Option<&AccountUse> {
        self.accounts.get(&account_key(account))
    }

    /// Adds `days` of use of `place` (or, with `country`, of a country).
    pub fn add(&mut self, account: &str, what: Used<'_>, days: impl IntoIterator<Item = i64>) {
        let entry = self.accounts.entry(account_key(account)).or_default();
        let (map, name) = match what {
            Used::Place(p) => (&mut entry.places, p),
            Used::Country(c) => (&mut entry.countries, c),
        };
        let list = map.entry(name.to_string()).or_default();
        list.extend(days);
        tidy(list);
    }

    /// Everything in `other` added to this history.
    pub fn merge(&mut self, other: &AccountHistory) {
        for (account, used) in &other.accounts {
            for (place, days) in &used.places {
                self.add(account, Used::Place(place), days.iter().copied());
            }
            for (country, days) in &used.countries {
                self.add(account, Used::Country(country), days.iter().copied());
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty()
    }
}

/// What an account used: a network or a country.
#[derive(Clone, Copy, Debug)]
pub enum Used<'a> {
    Place(&'a str),
    Country(&'a str),
}

fn account_key(account: &str) -> String {
    account.trim().to_lowercase()
}

/// Sorted, without repeats, the newest [`DAYS_KEPT`].
fn tidy(days: &mut Vec<i64>) {
    days.sort_unstable();
    days.dedup();
    if days.len() > DAYS_KEPT {
        days.drain(..days.len() - DAYS_KEPT);
    }
}

fn decode(path: &std::path::Path, bytes: &[u8]) -> Result<AccountHistory, KbError> {
    let damaged = |reason: String| KbError::Damaged {
        path: path.to_path_buf(),
        line: 1,
        reason,
    };
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| damaged(format!("not JSON ({e})")))?;
    match value.get("whoclicked_accounts").and_then(|v| v.as_u64()) {
        Some(v) if v > VERSION => {
            return Err(KbError::NewerFormat {
                path: path.to_path_buf(),
                found: v,
            });
        }
        Some(_) => {}
        None => return Err(damaged("no 'whoclicked_accounts' version".to_string())),
    }
    let mut on_disk: OnDisk =
        serde_json::from_value(value).map_err(|e| damaged(format!("unexpected content ({e})")))?;
    for used in on_disk.history.accounts.values_mut() {
        used.places.values_mut().for_each(tidy);
        used.countries.values_mut().for_each(tidy);
    }
    Ok(on_disk.history)
}

impl KnowledgeBase {
    /// The accounts' history from earlier investigations; empty when none
    /// was kept yet. A damaged file is an error naming it (nothing is
    /// written over it).
    pub fn account_history(&self) -> Result<AccountHistory, KbError> {
        let _lock = self.dir.shared()?;
        self.read_accounts()
    }

    fn read_accounts(&self) -> Result<AccountHistory, KbError> {
        let path = self.dir.file(ACCOUNTS);
        match std::fs::read(&path) {
            Ok(bytes) => decode(&path, &bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(AccountHistory::default()),
            Err(e) => Err(KbError::io("read", &path)(e)),
        }
    }

    /// Adds what an investigation found usual to the accounts' history;
    /// returns how many accounts it touched. Others' additions made
    /// meanwhile are kept: the file is read again under the lock.
    pub fn remember_accounts(&mut self, seen: &AccountHistory) -> Result<usize, KbError> {
        if seen.is_empty() {
            return Ok(0);
        }
        let _lock = self.dir.exclusive()?;
        let mut history = self.read_accounts()?;
        history.merge(seen);
        let on_disk = OnDisk {
            whoclicked_accounts: VERSION,
            history,
        };
        let bytes = serde_json::to_vec(&on_disk).map_err(|e| KbError::Damaged {
            path: self.dir.file(ACCOUNTS),
            line: 1,
            reason: format!("cannot be written ({e})"),
        })?;
        write_atomic(&self.dir.file(ACCOUNTS), &bytes)?;
        Ok(seen.accounts.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(account: &str, place: &str, days: &[i64]) -> AccountHistory {
        let mut h = AccountHistory::default();
        h.add(account, Used::Place(place), days.iter().copied());
        h.add(account, Used::Country("JP"), days.iter().copied());
        h
    }

    #[test]
    fn remembered_history_is_read_back_and_days_are_a_set() {
        let tmp = tempfile::tempdir().unwrap();
        let mut kb = KnowledgeBase::open(tmp.path()).unwrap();
        assert!(kb.account_history().unwrap().is_empty());
        kb.remember_accounts(&seen("Taro@Example.JP", "AS64500", &[3, 1, 2]))
            .unwrap();
        // The same log again, and a later one.
        kb.remember_accounts(&seen("taro@example.jp", "AS64500", &[1, 2, 3]))
            .unwrap();
        kb.remember_accounts(&seen("taro@example.jp", "203.0.113.0/24", &[9]))
            .unwrap();
        let again = KnowledgeBase::open(tmp.path()).unwrap();
        let h = again.account_history().unwrap();
        let taro = h
            .get(" TARO@example.jp")
            .expect("account kept in lower case");
        assert_eq!(taro.places["AS64500"], vec![1, 2, 3]);
        assert_eq!(taro.places["203.0.113.0/24"], vec![9]);
        assert_eq!(taro.countries["JP"], vec![1, 2, 3, 9]);
    }

    #[test]
    fn only_the_newest_days_are_kept() {
        let mut h = AccountHistory::default();
        h.add("a", Used::Place("AS1"), 0..(DAYS_KEPT as i64 + 50));
        let days = &h.get("a").unwrap().places["AS1"];
        assert_eq!(days.len(), DAYS_KEPT);
        assert_eq!(days[0], 50);
    }

    #[test]
    fn a_damaged_or_newer_file_is_refused_and_left_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let mut kb = KnowledgeBase::open(tmp.path()).unwrap();
        let path = tmp.path().join(ACCOUNTS);
        std::fs::write(&path, b"{\"whoclicked_accounts\":1,\"accounts\":").unwrap();
        let err = kb.account_history().unwrap_err().to_string();
        assert!(err.contains("accounts.json"), "{err}");
        assert!(
            kb.remember_accounts(&seen("a", "AS1", &[1])).is_err(),
            "a damaged history is not written over"
        );
        assert_eq!(
            std::fs::read(&path).unwrap(),
            b"{\"whoclicked_accounts\":1,\"accounts\":"
        );
        std::fs::write(&path, b"{\"whoclicked_accounts\":7,\"accounts\":{}}").unwrap();
        let err = kb.account_history().unwrap_err().to_string();
        assert!(err.contains("newer whoclicked"), "{err}");
    }

    #[test]
    fn nothing_seen_writes_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let mut kb = KnowledgeBase::open(tmp.path()).unwrap();
        assert_eq!(kb.remember_accounts(&AccountHistory::default()).unwrap(), 0);
        assert!(!tmp.path().join(ACCOUNTS).exists());
    }
}
