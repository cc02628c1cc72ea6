//! One decision or fact recorded in the knowledge base, with who made it,
//! when, and in which campaign. Entries are never edited: a change of mind
//! is a newer entry for the same slot, a removal is a tombstone entry.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;

use super::fingerprint::{Fingerprint, fingerprint};
use super::key::{Key, KeyError, Kind, Slot, Verdict};
use super::owner_cache::CachedOwner;
use crate::model::{Access, Campaign, Event, Timestamp};

/// Who records entries, and for which campaign.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Author {
    analyst: Arc<str>,
    campaign: Option<Arc<str>>,
}

impl Author {
    /// `analyst` is `--analyst`; when absent or blank the login name is used.
    /// `campaign` is any name the caller gives the campaign (blank is none).
    pub fn new(analyst: Option<&str>, campaign: Option<&str>) -> Author {
        let analyst = analyst
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map_or_else(login_name, str::to_string);
        Author {
            analyst: analyst.into(),
            campaign: nonblank(campaign),
        }
    }

    pub fn analyst(&self) -> &str {
        &self.analyst
    }

    pub fn campaign(&self) -> Option<&str> {
        self.campaign.as_deref()
    }
}

pub use super::account::login_name;

fn nonblank(text: Option<&str>) -> Option<Arc<str>> {
    text.map(str::trim).filter(|t| !t.is_empty()).map(Arc::from)
}

/// What an access looked like, stored with its verdict so `kb list` and
/// `kb history` can show which access a fingerprint stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessFacts {
    /// The access time, truncated to whole seconds as the fingerprint has it.
    pub time: Timestamp,
    pub ip: IpAddr,
    pub recipient: Arc<str>,
    pub event: Event,
    pub user_agent: Arc<str>,
}

impl AccessFacts {
    pub fn of(campaign: &Campaign, access: &Access) -> AccessFacts {
        AccessFacts {
            time: Timestamp::from_seconds(access.time.as_seconds()).unwrap_or(access.time),
            ip: campaign.ip(access.ip).to_canonical(),
            recipient: campaign.recipient_name(access).trim().into(),
            event: access.event,
            user_agent: campaign.user_agent(access.user_agent).trim().into(),
        }
    }

    pub fn fingerprint(&self) -> Fingerprint {
        Fingerprint::from_parts(
            self.time,
            self.ip,
            &self.recipient,
            self.event,
            &self.user_agent,
        )
    }
}

/// A free-text owner note, optionally telling the suggestions which way it points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnerNote {
    pub text: Arc<str>,
    pub hint: Option<Verdict>,
}

/// What an entry states about its key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryChange {
    /// Human or scanner; for an access the access's facts ride along.
    Verdict {
        verdict: Verdict,
        access: Option<Box<AccessFacts>>,
    },
    Note(OwnerNote),
    Owner(Box<CachedOwner>),
    /// A tombstone: the slot of this kind holds nothing from now on.
    Removed(Kind),
}

impl EntryChange {
    pub fn kind(&self) -> Kind {
        match self {
            EntryChange::Verdict { .. } => Kind::Verdict,
            EntryChange::Note(_) => Kind::Note,
            EntryChange::Owner(_) => Kind::Owner,
            EntryChange::Removed(kind) => *kind,
        }
    }

    /// Whether two changes decide the same thing (the facts riding along
    /// with an access verdict are not part of the decision).
    pub fn same_decision(&self, other: &EntryChange) -> bool {
        match (self, other) {
            (EntryChange::Verdict { verdict: a, .. }, EntryChange::Verdict { verdict: b, .. }) => {
                a == b
            }
            (a, b) => a == b,
        }
    }
}

impl fmt::Display for EntryChange {
    /// A short description: `scanner`, `note "VPN" (hint human)`, `owner AS8075 …`, `removed`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EntryChange::Verdict { verdict, .. } => write!(f, "{verdict}"),
            EntryChange::Note(note) => {
                write!(f, "note {:?}", note.text)?;
                match note.hint {
                    Some(hint) => write!(f, " (hint {hint})"),
                    None => Ok(()),
                }
            }
            EntryChange::Owner(owner) => write!(f, "owner {}", owner.to_owner()),
            EntryChange::Removed(_) => f.write_str("removed"),
        }
    }
}

/// Where an entry stands among the entries of its slot: the newest rank is
/// in force, ties going to the later line. Its time (`at` in the files),
/// then a sequence number that only a local change sets.
pub(crate) type Rank = (jiff::Timestamp, u64);

/// One line of the knowledge base.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    key: Key,
    change: EntryChange,
    note: Option<Arc<str>>,
    analyst: Arc<str>,
    /// The time the entry ranks by (`at`). For a decision made here it is
    /// when it was made, unless the decision it replaced is dated later
    /// (an entry from a clock running ahead): then it takes that one's time,
    /// the next `seq`, and the real time goes in `made`.
    time: jiff::Timestamp,
    /// When it was really made, where that is not `time`.
    made: Option<jiff::Timestamp>,
    seq: u64,
    campaign: Option<Arc<str>>,
}

impl Entry {
    /// A verdict: on an access, or a rule for an IP, network or AS.
    pub fn verdict(author: &Author, key: Key, verdict: Verdict) -> Entry {
        Entry::stamped(
            author,
            key,
            EntryChange::Verdict {
                verdict,
                access: None,
            },
        )
    }

    /// A verdict on one access of `campaign`, keeping what the access looked like.
    pub fn access_verdict(
        author: &Author,
        campaign: &Campaign,
        access: &Access,
        verdict: Verdict,
    ) -> Entry {
        let facts = AccessFacts::of(campaign, access);
        debug_assert_eq!(facts.fingerprint(), fingerprint(campaign, access));
        Entry::stamped(
            author,
            Key::Access(facts.fingerprint()),
            EntryChange::Verdict {
                verdict,
                access: Some(Box::new(facts)),
            },
        )
    }

    /// An owner note on an IP or a network.
    pub fn owner_note(
        author: &Author,
        key: Key,
        text: &str,
        hint: Option<Verdict>,
    ) -> Result<Entry, KeyError> {
        Slot::new(Kind::Note, key)?;
        let text = text.trim();
        if text.is_empty() {
            return Err(KeyError::EmptyNote);
        }
        Ok(Entry::stamped(
            author,
            key,
            EntryChange::Note(OwnerNote {
                text: text.into(),
                hint,
            }),
        ))
    }

    /// The owner facts of an address, for the owner cache.
    pub fn owner(author: &Author, ip: IpAddr, owner: CachedOwner) -> Entry {
        Entry::stamped(
            author,
            Key::from_ip(ip),
            EntryChange::Owner(Box::new(owner)),
        )
    }

    /// A tombstone: from now on `slot` holds nothing.
    pub fn removal(author: &Author, slot: Slot) -> Entry {
        Entry::stamped(author, slot.key, EntryChange::Removed(slot.kind))
    }

    /// The same decision made again now by `author`: how undo and redo put
    /// an earlier state back without rewriting history.
    pub fn reissue(&self, author: &Author) -> Entry {
        Entry {
            note: self.note.clone(),
            ..Entry::stamped(author, self.key, self.change.clone())
        }
    }

    /// Adds the analyst's reason (blank is none).
    pub fn with_note(mut self, note: Option<&str>) -> Entry {
        self.note = nonblank(note);
        self
    }

    fn stamped(author: &Author, key: Key, change: EntryChange) -> Entry {
        Entry {
            key,
            change,
            note: None,
            analyst: author.analyst.clone(),
            time: now(),
            made: None,
            seq: 0,
            campaign: author.campaign.clone(),
        }
    }

    /// Reassembles an entry read from a file; checks that the kind fits the key.
    pub(crate) fn from_parts(
        key: Key,
        change: EntryChange,
        note: Option<Arc<str>>,
        analyst: Arc<str>,
        time: jiff::Timestamp,
        campaign: Option<Arc<str>>,
    ) -> Result<Entry, KeyError> {
        Slot::new(change.kind(), key)?;
        if let EntryChange::Verdict {
            access: Some(facts),
            ..
        } = &change
            && key != Key::Access(facts.fingerprint())
        {
            return Err(KeyError::FactsMismatch(key));
        }
        Ok(Entry {
            key,
            change,
            note,
            analyst,
            time,
            made: None,
            seq: 0,
            campaign,
        })
    }

    /// Sets the rank fields read from a file (`made` and `seq`).
    pub(crate) fn with_rank_fields(mut self, made: Option<jiff::Timestamp>, seq: u64) -> Entry {
        self.made = made.filter(|&m| m != self.time);
        self.seq = seq;
        self
    }

    /// Ranks a new local entry after `current` (the rank of the entry it
    /// replaces), so it takes effect whatever that entry's date: after an
    /// older one by its own time; after one dated ahead of this clock by
    /// that one's time and the next sequence number, keeping its real time
    /// in `made`. It never overflows: the sequence saturates, and an equal
    /// rank goes to the later line, which this entry is.
    pub(crate) fn rank_after(&mut self, current: Rank) {
        let real = self.made.unwrap_or(self.time);
        if current < (real, 0) {
            (self.time, self.seq, self.made) = (real, 0, None);
        } else {
            (self.time, self.seq, self.made) = (current.0, current.1.saturating_add(1), Some(real));
        }
    }

    /// The entry's place in its slot's order.
    pub(crate) fn rank(&self) -> Rank {
        (self.time, self.seq)
    }

    /// The time it ranks by (`at`), where it differs from [`Entry::time`].
    pub(crate) fn rank_time(&self) -> jiff::Timestamp {
        self.time
    }

    /// The real time, when the entry ranks by another (see [`Entry::rank_after`]).
    pub(crate) fn made(&self) -> Option<jiff::Timestamp> {
        self.made
    }

    pub(crate) fn seq(&self) -> u64 {
        self.seq
    }

    pub fn key(&self) -> Key {
        self.key
    }

    pub fn change(&self) -> &EntryChange {
        &self.change
    }

    pub fn kind(&self) -> Kind {
        self.change.kind()
    }

    pub fn slot(&self) -> Slot {
        Slot {
            kind: self.change.kind(),
            key: self.key,
        }
    }

    /// The verdict this entry states, if it is a verdict.
    pub fn verdict_value(&self) -> Option<Verdict> {
        match self.change {
            EntryChange::Verdict { verdict, .. } => Some(verdict),
            _ => None,
        }
    }

    pub fn is_removal(&self) -> bool {
        matches!(self.change, EntryChange::Removed(_))
    }

    /// The analyst's reason given with the decision.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    pub(crate) fn note_arc(&self) -> Option<&Arc<str>> {
        self.note.as_ref()
    }

    pub fn analyst(&self) -> &str {
        &self.analyst
    }

    pub(crate) fn analyst_arc(&self) -> &Arc<str> {
        &self.analyst
    }

    /// When the decision was made (what people are shown).
    pub fn time(&self) -> jiff::Timestamp {
        self.made.unwrap_or(self.time)
    }

    pub fn campaign(&self) -> Option<&str> {
        self.campaign.as_deref()
    }
}

/// Entry times are kept to the millisecond: plenty to order decisions, and
/// the lines stay readable.
pub(crate) fn now() -> jiff::Timestamp {
    let now = jiff::Timestamp::now();
    jiff::Timestamp::from_millisecond(now.as_millisecond()).unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn author() -> Author {
        Author::new(Some(" sato "), Some("2026-10"))
    }

    #[test]
    fn author_falls_back_to_login_name() {
        assert_eq!(author().analyst(), "sato");
        assert_eq!(Author::new(Some("  "), None).analyst(), login_name());
        assert_eq!(Author::new(None, Some(" ")).campaign(), None);
    }

    #[test]
    fn notes_only_on_addresses_and_networks() {
        let a = author();
        assert!(Entry::owner_note(&a, Key::Asn(8075), "Microsoft", None).is_err());
        assert_eq!(
            Entry::owner_note(&a, Key::ip("10.0.0.1").unwrap(), "  ", None),
            Err(KeyError::EmptyNote)
        );
        let e = Entry::owner_note(
            &a,
            Key::net("10.0.0.0/8").unwrap(),
            " head office ",
            Some(Verdict::Human),
        )
        .unwrap();
        assert_eq!(e.slot().kind, Kind::Note);
        assert_eq!(e.change().to_string(), r#"note "head office" (hint human)"#);
    }

    #[test]
    fn reissue_keeps_the_decision_and_restamps() {
        let e = Entry::verdict(&author(), Key::Asn(8075), Verdict::Scanner)
            .with_note(Some("Safe Links"));
        let other = Author::new(Some("tanaka"), None);
        let again = e.reissue(&other);
        assert_eq!(again.change(), e.change());
        assert_eq!(again.note(), Some("Safe Links"));
        assert_eq!(again.analyst(), "tanaka");
        assert_eq!(again.campaign(), None);
        assert!(again.time() >= e.time());
    }

    #[test]
    fn same_decision_ignores_riding_facts() {
        let facts = AccessFacts {
            time: Timestamp::from_seconds(1).unwrap(),
            ip: "192.0.2.1".parse().unwrap(),
            recipient: "a".into(),
            event: Event::Click,
            user_agent: "ua".into(),
        };
        let with = EntryChange::Verdict {
            verdict: Verdict::Human,
            access: Some(Box::new(facts)),
        };
        let without = EntryChange::Verdict {
            verdict: Verdict::Human,
            access: None,
        };
        assert!(with.same_decision(&without));
        assert!(!with.same_decision(&EntryChange::Removed(Kind::Verdict)));
    }
}
