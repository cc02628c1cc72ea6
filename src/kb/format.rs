//! The text format of knowledge-base files: JSON lines, one entry per line,
//! after a header line naming the format, its version and the file's role.
//!
//! ```text
//! {"format":"whoclicked-kb","version":1,"file":"journal","generation":0}
//! {"op":"verdict","key":"asn:8075","verdict":"scanner","note":"Safe Links","by":"sato","at":"2026-09-28T01:02:03.456Z","campaign":"2026-09"}
//! {"op":"verdict","key":"ip:40.94.25.7","verdict":"human","note":"AVD pool","by":"sato","at":"2026-09-28T01:03:00Z"}
//! {"op":"verdict","key":"access:20261001T001403Z-1a2b3c4d5e6f7a8b","verdict":"scanner","access":{"time":"2026-10-01T00:14:03Z","ip":"40.94.25.7","recipient":"alice@example.com","event":"click","ua":"Mozilla/5.0 …"},"by":"sato","at":"…"}
//! {"op":"note","key":"net:192.0.2.0/24","text":"head office proxy","hint":"human","by":"sato","at":"…"}
//! {"op":"owner","key":"ip:40.94.25.7","owner":{"network":"40.94.0.0/16","asn":8075,"as_org":"MICROSOFT-CORP-MSN-AS-BLOCK","sources":[{"database":"GeoLite2-ASN","built":"2026-09-01T00:00:00Z"}]},"by":"sato","at":"…"}
//! {"op":"remove","what":"verdict","key":"ip:40.94.25.7","by":"sato","at":"…"}
//! ```
//!
//! `at` is the time an entry ranks by: the entry in force for a key is the
//! one with the latest `at`, then the highest `seq` (absent: 0), then the
//! later line. A change made here over an entry dated ahead of this clock
//! takes that entry's `at` and the next `seq`, and keeps its real time in
//! `made`; a reader that knows neither field still ranks it right (equal
//! `at`, later line).
//!
//! JSON lines because a line is one decision (diffs and `grep` read well),
//! any text (notes, User-Agents) escapes safely, and a torn write is a line
//! that does not parse. Fields a reader of this version does not know are
//! ignored; anything that changes meaning bumps [`FORMAT_VERSION`].

use std::borrow::Cow;
use std::net::IpAddr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::entry::{AccessFacts, Entry, EntryChange, OwnerNote};
use super::key::{Key, Kind, Verdict};
use super::line_scan;
use super::owner_cache::CachedOwner;
use crate::fasthash::FastMap;
use crate::model::{Event, Timestamp};

/// The `format` value of every header.
pub const FORMAT_NAME: &str = "whoclicked-kb";
/// The newest format version this build reads and the one it writes.
pub const FORMAT_VERSION: u64 = 1;

/// The role of a file, stated in its header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileRole {
    /// Appended to, one entry per decision.
    Journal,
    /// Written whole by compaction; the journal continues from it.
    Snapshot,
    /// Written whole by `kb export`, read by `kb import`.
    Export,
}

impl FileRole {
    pub fn as_str(self) -> &'static str {
        match self {
            FileRole::Journal => "journal",
            FileRole::Snapshot => "snapshot",
            FileRole::Export => "export",
        }
    }
}

/// What a header line says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    pub role: FileRole,
    /// Counts compactions: a journal continues the snapshot of its generation.
    pub generation: u64,
}

/// Why a header cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HeaderProblem {
    /// Not a whoclicked knowledge-base file at all.
    Foreign(String),
    /// Written by a newer whoclicked.
    Newer(u64),
}

#[derive(Serialize, Deserialize)]
struct HeaderLine<'a> {
    #[serde(borrow)]
    format: Option<Cow<'a, str>>,
    version: Option<u64>,
    #[serde(borrow)]
    file: Option<Cow<'a, str>>,
    generation: Option<u64>,
}

/// The header line for a file of `role`, with its newline.
pub fn header_line(role: FileRole, generation: u64) -> String {
    let line = HeaderLine {
        format: Some(FORMAT_NAME.into()),
        version: Some(FORMAT_VERSION),
        file: Some(role.as_str().into()),
        generation: Some(generation),
    };
    let mut text = serde_json::to_string(&line).unwrap_or_default();
    text.push('\n');
    text
}

/// Reads a header line (without its newline). The version is checked before
/// anything else, so a newer file is refused rather than misread.
pub fn parse_header(line: &[u8]) -> Result<Header, HeaderProblem> {
    let foreign = |why: &str| HeaderProblem::Foreign(why.to_string());
    let head: HeaderLine<'_> = serde_json::from_slice(line)
        .map_err(|_| foreign("the first line is not a whoclicked-kb header"))?;
    if head.format.as_deref() != Some(FORMAT_NAME) {
        return Err(foreign("the first line is not a whoclicked-kb header"));
    }
    match head.version {
        Some(v) if v > FORMAT_VERSION => return Err(HeaderProblem::Newer(v)),
        Some(v) if v >= 1 => {}
        _ => return Err(foreign("the header has no valid version")),
    }
    let role = match head.file.as_deref() {
        Some("journal") => FileRole::Journal,
        Some("snapshot") => FileRole::Snapshot,
        Some("export") => FileRole::Export,
        _ => return Err(foreign("the header names no known file role")),
    };
    Ok(Header {
        role,
        generation: head.generation.unwrap_or(0),
    })
}

#[derive(Serialize, Deserialize)]
pub(super) struct Line<'a> {
    #[serde(borrow)]
    pub(super) op: Cow<'a, str>,
    #[serde(borrow)]
    pub(super) key: Cow<'a, str>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) verdict: Option<Verdict>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) what: Option<Kind>,
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub(super) text: Option<Text<'a>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) hint: Option<Verdict>,
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub(super) access: Option<AccessLine<'a>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) owner: Option<Cow<'a, CachedOwner>>,
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub(super) note: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) by: Cow<'a, str>,
    #[serde(borrow)]
    pub(super) at: Cow<'a, str>,
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub(super) made: Option<Text<'a>>,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub(super) seq: u64,
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub(super) campaign: Option<Text<'a>>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

#[derive(Serialize, Deserialize)]
pub(super) struct AccessLine<'a> {
    #[serde(borrow)]
    pub(super) time: Cow<'a, str>,
    #[serde(borrow)]
    pub(super) ip: Cow<'a, str>,
    #[serde(borrow)]
    pub(super) recipient: Cow<'a, str>,
    #[serde(borrow)]
    pub(super) event: Cow<'a, str>,
    #[serde(borrow)]
    pub(super) ua: Cow<'a, str>,
}

/// Appends `entry` as one line, newline included.
pub fn write_entry(entry: &Entry, out: &mut Vec<u8>) {
    let made = entry.made().map(|m| m.to_string());
    let mut line = Line {
        op: "".into(),
        key: entry.key().to_string().into(),
        verdict: None,
        what: None,
        text: None,
        hint: None,
        access: None,
        owner: None,
        note: entry.note().map(Text::from),
        by: entry.analyst().into(),
        at: entry.rank_time().to_string().into(),
        made: made.as_deref().map(Text::from),
        seq: entry.seq(),
        campaign: entry.campaign().map(Text::from),
    };
    match entry.change() {
        EntryChange::Verdict { verdict, access } => {
            line.op = "verdict".into();
            line.verdict = Some(*verdict);
            line.access = access.as_deref().map(|f| AccessLine {
                time: f.time.to_string().into(),
                ip: f.ip.to_string().into(),
                recipient: Cow::Borrowed(&f.recipient),
                event: f.event.as_str().into(),
                ua: Cow::Borrowed(&f.user_agent),
            });
        }
        EntryChange::Note(note) => {
            line.op = "note".into();
            line.text = Some(Text::from(&*note.text));
            line.hint = note.hint;
        }
        EntryChange::Owner(owner) => {
            line.op = "owner".into();
            line.owner = Some(Cow::Borrowed(owner));
        }
        EntryChange::Removed(kind) => {
            line.op = "remove".into();
            line.what = Some(*kind);
        }
    }
    // Serialising plain strings, numbers and maps into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, &line);
    out.push(b'\n');
}

/// Shares one allocation per distinct analyst or campaign name while loading:
/// a knowledge base of 100,000 entries has a few analysts and at most some
/// hundreds of campaigns.
#[derive(Default)]
pub struct Names {
    names: FastMap<Arc<str>, ()>,
    /// The last time read, as written and as read: a label on a group or
    /// a colleague's import writes many lines with the same `at`.
    last_time: Option<(String, jiff::Timestamp)>,
}

impl Names {
    fn time(&mut self, text: &str) -> Result<jiff::Timestamp, String> {
        if let Some((last, time)) = &self.last_time
            && last == text
        {
            return Ok(*time);
        }
        let time: jiff::Timestamp = text
            .parse()
            .map_err(|e| format!("bad time {text:?}: {e}"))?;
        self.last_time = Some((text.to_string(), time));
        Ok(time)
    }

    fn get(&mut self, name: &str) -> Arc<str> {
        if let Some((arc, ())) = self.names.get_key_value(name) {
            return arc.clone();
        }
        let arc: Arc<str> = Arc::from(name);
        // Past some thousands of names (an import of many colleagues' work)
        // stop remembering: sharing is an economy, not a requirement.
        if self.names.len() < 4096 {
            self.names.insert(arc.clone(), ());
        }
        arc
    }
}

/// Reads one entry line (without its newline); the error says what is wrong.
pub fn parse_entry(bytes: &[u8], names: &mut Names) -> Result<Entry, String> {
    let line: Line<'_> = match line_scan::scan(bytes) {
        Some(line) => line,
        None => serde_json::from_slice(bytes).map_err(|e| json_reason(&e))?,
    };
    line_entry(line, names)
}

/// The entry a line states, or what is wrong with it.
pub(super) fn line_entry(line: Line<'_>, names: &mut Names) -> Result<Entry, String> {
    let key: Key = line.key.parse().map_err(|e| format!("bad key: {e}"))?;
    let missing = |field: &str| format!("a {} entry needs {field:?}", line.op);
    let change = match line.op.as_ref() {
        "verdict" => EntryChange::Verdict {
            verdict: line.verdict.ok_or_else(|| missing("verdict"))?,
            access: line.access.map(parse_access).transpose()?.map(Box::new),
        },
        "note" => EntryChange::Note(OwnerNote {
            text: line
                .text
                .as_ref()
                .ok_or_else(|| missing("text"))?
                .0
                .as_ref()
                .into(),
            hint: line.hint,
        }),
        "owner" => EntryChange::Owner(Box::new(
            line.owner.ok_or_else(|| missing("owner"))?.into_owned(),
        )),
        "remove" => EntryChange::Removed(line.what.ok_or_else(|| missing("what"))?),
        other => return Err(format!("unknown op {other:?}")),
    };
    if line.by.trim().is_empty() {
        return Err("the analyst (\"by\") is empty".to_string());
    }
    let at = names.time(&line.at)?;
    let made = match &line.made {
        Some(m) => Some(
            m.0.parse::<jiff::Timestamp>()
                .map_err(|e| format!("bad time {:?}: {e}", m.0))?,
        ),
        None => None,
    };
    Entry::from_parts(
        key,
        change,
        line.note.as_ref().map(|n| Arc::from(n.0.as_ref())),
        names.get(&line.by),
        at,
        line.campaign.as_ref().map(|c| names.get(&c.0)),
    )
    .map(|e| e.with_rank_fields(made, line.seq))
    .map_err(|e| e.to_string())
}

/// serde_json's message without its "at line 1 column N" (always line 1
/// here, and the caller names the file's line); the column only where the
/// text itself is broken.
fn json_reason(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let message = text
        .rsplit_once(" at line ")
        .map_or(text.as_str(), |(m, _)| m);
    match e.classify() {
        serde_json::error::Category::Data => message.to_string(),
        _ => format!("not valid JSON at column {}: {message}", e.column()),
    }
}

fn parse_access(a: AccessLine<'_>) -> Result<AccessFacts, String> {
    let time = a
        .time
        .parse::<jiff::Timestamp>()
        .ok()
        .and_then(Timestamp::from_jiff)
        .ok_or_else(|| format!("bad access time {:?}", a.time))?;
    let ip =
        a.ip.parse::<IpAddr>()
            .map_err(|_| format!("bad access ip {:?}", a.ip))?;
    let event = a.event.parse::<Event>()?;
    Ok(AccessFacts {
        time,
        ip: ip.to_canonical(),
        recipient: a.recipient.as_ref().into(),
        event,
        user_agent: a.ua.as_ref().into(),
    })
}

/// A string field that borrows from the line when it has no escapes.
/// (serde borrows a bare `Cow<str>` field only, not one inside an `Option`,
/// and allocating every optional string made loading markedly slower.)
#[derive(Debug)]
pub(super) struct Text<'a>(pub(super) Cow<'a, str>);

impl<'a> From<&'a str> for Text<'a> {
    fn from(s: &'a str) -> Text<'a> {
        Text(Cow::Borrowed(s))
    }
}

impl Serialize for Text<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Text<'a>, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        d.deserialize_str(Visit)
    }
}

/// Verdicts and kinds travel as their lower-case names.
mod names_serde {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::super::key::{Kind, Verdict};

    macro_rules! by_name {
        ($ty:ty) => {
            impl Serialize for $ty {
                fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    s.serialize_str(self.as_str())
                }
            }
            impl<'de> Deserialize<'de> for $ty {
                fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    struct Visit;
                    impl serde::de::Visitor<'_> for Visit {
                        type Value = $ty;
                        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                            f.write_str(concat!("a ", stringify!($ty)))
                        }
                        // Files hold exactly the canonical names; anything else is damage.
                        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$ty, E> {
                            <$ty>::from_str_exact(v).ok_or_else(|| {
                                E::custom(format!(
                                    "unknown {} {:?}",
                                    stringify!($ty).to_ascii_lowercase(),
                                    v
                                ))
                            })
                        }
                    }
                    d.deserialize_str(Visit)
                }
            }
        };
    }

    impl Verdict {
        /// Exactly the name files hold (`human`, `scanner`), nothing looser.
        pub(in crate::kb) fn from_str_exact(s: &str) -> Option<Verdict> {
            match s {
                "human" => Some(Verdict::Human),
                "scanner" => Some(Verdict::Scanner),
                _ => None,
            }
        }
    }

    impl Kind {
        pub(in crate::kb) fn from_str_exact(s: &str) -> Option<Kind> {
            s.parse().ok()
        }
    }

    by_name!(Verdict);
    by_name!(Kind);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::entry::Author;
    use crate::kb::owner_cache::CachedSource;

    fn round_trip(entry: &Entry) -> Entry {
        let mut out = Vec::new();
        write_entry(entry, &mut out);
        assert_eq!(out.last(), Some(&b'\n'));
        assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), 1, "one line");
        parse_entry(&out[..out.len() - 1], &mut Names::default()).unwrap()
    }

    #[test]
    fn every_change_round_trips() {
        let a = Author::new(Some("佐藤"), Some("2026-10 訓練"));
        let owner = CachedOwner {
            asn: Some(8075),
            network: Some("40.94.0.0/16".parse().unwrap()),
            sources: vec![CachedSource::new(
                "GeoLite2-ASN",
                Some("2026-09-01T00:00:00Z".parse().unwrap()),
            )],
            ..CachedOwner::default()
        };
        let facts = AccessFacts {
            time: Timestamp::from_seconds(1_790_000_000).unwrap(),
            ip: "2001:db8::1".parse().unwrap(),
            recipient: "alice@example.com".into(),
            event: Event::Submit,
            user_agent: "evil\u{1b}]0;title\u{7}\nnext line\"".into(),
        };
        let entries = [
            Entry::verdict(&a, Key::Asn(8075), Verdict::Scanner)
                .with_note(Some("Safe Links\nsecond line")),
            Entry::from_parts(
                Key::Access(facts.fingerprint()),
                EntryChange::Verdict {
                    verdict: Verdict::Human,
                    access: Some(Box::new(facts)),
                },
                None,
                "sato".into(),
                "2026-10-02T03:04:05.678Z".parse().unwrap(),
                None,
            )
            .unwrap(),
            Entry::owner_note(
                &a,
                Key::net("192.0.2.0/24").unwrap(),
                "proxy",
                Some(Verdict::Human),
            )
            .unwrap(),
            Entry::owner(&a, "40.94.0.1".parse().unwrap(), owner),
            Entry::removal(&a, crate::kb::key::Slot::verdict(Key::Asn(8075))),
        ];
        for e in &entries {
            assert_eq!(&round_trip(e), e);
        }
    }

    #[test]
    fn headers_are_checked() {
        let line = header_line(FileRole::Journal, 3);
        assert_eq!(
            line,
            "{\"format\":\"whoclicked-kb\",\"version\":1,\"file\":\"journal\",\"generation\":3}\n"
        );
        assert_eq!(
            parse_header(line.trim_end().as_bytes()),
            Ok(Header {
                role: FileRole::Journal,
                generation: 3
            })
        );
        let newer = br#"{"format":"whoclicked-kb","version":2,"file":"journal","whatever":[1]}"#;
        assert_eq!(parse_header(newer), Err(HeaderProblem::Newer(2)));
        assert!(matches!(
            parse_header(b"key,verdict"),
            Err(HeaderProblem::Foreign(_))
        ));
        assert!(matches!(
            parse_header(br#"{"format":"whoclicked-kb","version":1,"file":"diary"}"#),
            Err(HeaderProblem::Foreign(_))
        ));
    }

    #[test]
    fn bad_lines_say_why() {
        let mut names = Names::default();
        let cases: [(&[u8], &str); 6] = [
            (br#"{"op":"verdict","key":"asn:8075","by":"s","at":"2026-01-01T00:00:00Z"}"#, "needs \"verdict\""),
            (br#"{"op":"verdict","key":"asn:0","verdict":"human","by":"s","at":"2026-01-01T00:00:00Z"}"#, "AS0"),
            (br#"{"op":"verdict","key":"ip:1.2.3.4","verdict":"maybe","by":"s","at":"2026-01-01T00:00:00Z"}"#, "unknown verdict"),
            (br#"{"op":"note","key":"asn:1","text":"x","by":"s","at":"2026-01-01T00:00:00Z"}"#, "cannot be stated"),
            (br#"{"op":"frob","key":"ip:1.2.3.4","by":"s","at":"2026-01-01T00:00:00Z"}"#, "unknown op"),
            (br#"{"op":"verdict","key":"ip:1.2.3.4","verdict":"hu"#, "not valid JSON"),
        ];
        for (line, want) in cases {
            let err = parse_entry(line, &mut names).unwrap_err();
            assert!(err.contains(want), "{err:?} should mention {want:?}");
        }
    }
}
