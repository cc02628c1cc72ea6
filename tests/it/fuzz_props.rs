//! Property tests standing in for `cargo fuzz` (which needs a nightly
//! toolchain): inputs seeded from `tests/fixtures` and mutated by proptest,
//! fed to every log reader (native CSV, GoPhish, combined access log, the
//! same bytes as Shift_JIS and UTF-16), the knowledge base's line parser,
//! a knowledge base opened on a mutated journal, and `kb import` of a
//! mutated export. Each must return a result or an error, never panic, and
//! what it returns must be sane and bounded.
//!
//! The number of cases per property is `WHOCLICKED_FUZZ_CASES` (default 256,
//! a few seconds in a debug build); `.ci/run` runs a larger bounded pass,
//! and an hour-long run is `WHOCLICKED_FUZZ_CASES=200000 cargo test --release
//! --test it fuzz_props`. A failing case is shrunk and printed by proptest.

use std::path::Path;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use whoclicked::input::{LoadOptions, LoadProgress, parse_encoding, read_into};
use whoclicked::kb::KnowledgeBase;
use whoclicked::kb::format::{Names, parse_entry};
use whoclicked::model::{Campaign, LogFormat, NO_EXTRA};

fn cases() -> u32 {
    std::env::var("WHOCLICKED_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    })
}

fn fixture(rel: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(rel),
    )
    .unwrap()
}

/// The seed corpus: the fixtures as they are, and re-encoded.
fn log_seeds() -> Vec<Vec<u8>> {
    let native = fixture("report/clicks.csv");
    let mut seeds = vec![
        native.clone(),
        fixture("input/gophish_events.csv"),
        fixture("input/gophish_events_v09.csv"),
        fixture("input/access.log"),
    ];
    let text = String::from_utf8_lossy(&native).into_owned();
    seeds.push(encoding_rs::SHIFT_JIS.encode(&text).0.into_owned());
    let mut utf16 = vec![0xff, 0xfe];
    for unit in text.encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    seeds.push(utf16);
    seeds
}

/// Bytes that matter to the parsers, plus Shift_JIS and UTF-8 lead bytes.
const SPICE: &[u8] = b",;\t\"'\r\n\\[]?&=%+-@:/ .xZ0129\x00\x81\x82\x83\xe3\xe6\xef\xff{}";

/// One edit of an input: (what, where, a byte, a length).
type Edit = (u8, usize, u8, usize);

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec((0u8..7, any::<usize>(), any::<u8>(), 0usize..96), 1..10)
}

fn mutate(seed: &[u8], edits: &[Edit], seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut out = seed.to_vec();
    for &(what, at, byte, len) in edits {
        let n = out.len();
        let i = if n == 0 { 0 } else { at % n };
        match what {
            0 if n > 0 => out[i] = SPICE[usize::from(byte) % SPICE.len()],
            1 => out.insert(at % (n + 1), SPICE[usize::from(byte) % SPICE.len()]),
            2 if n > 0 => drop(out.drain(i..(i + len).min(n))),
            3 if n > 0 => {
                let piece = out[i..(i + len).min(n)].to_vec();
                let to = at.rotate_left(17) % (n + 1);
                out.splice(to..to, piece);
            }
            4 => out.truncate(at % (n + 1)),
            5 if n > 0 => out[i] = byte,
            _ => {
                let other = &seeds[usize::from(byte) % seeds.len()];
                let take = (len * 8).min(other.len());
                let to = at % (n + 1);
                out.splice(to..to, other[..take].iter().copied());
            }
        }
    }
    out
}

/// Every id in the campaign points into its tables, and the counts are bounded.
fn check(c: &Campaign, input: &[u8]) {
    let lines = input.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    for a in &c.accesses {
        let file = &c.files[usize::from(a.file)];
        assert!(a.ip.index() < c.ips.len());
        assert!(a.user_agent.index() < c.user_agents.len());
        if let Some(r) = a.recipient() {
            assert!(r.index() < c.recipients.len());
        }
        assert!(a.method.index() < c.strings.len());
        if a.extra != NO_EXTRA {
            assert!(a.extra as usize + file.extra_columns.len() <= c.extra_values.len());
        }
        assert!(a.row >= 1 && a.line >= 1);
    }
    // A UTF-16 input has its line breaks in two bytes; count either way.
    let bound = lines.max(input.len() as u64 / 2 + 1);
    assert!(c.accesses.len() as u64 <= bound, "more accesses than lines");
    for f in &c.files {
        assert!(f.rows <= bound, "more rows than lines");
    }
    for issue in &c.issues {
        assert!(usize::from(issue.file) < c.files.len());
        assert!(
            !issue.reason.chars().any(char::is_control),
            "{:?}",
            issue.reason
        );
    }
}

fn option_sets() -> Vec<LoadOptions> {
    let base = LoadOptions::default();
    let mut sets = vec![base.clone()];
    for format in [LogFormat::Native, LogFormat::GoPhish, LogFormat::Combined] {
        sets.push(LoadOptions {
            format: Some(format),
            ..base.clone()
        });
    }
    for name in ["sjis", "utf-16"] {
        sets.push(LoadOptions {
            encoding: parse_encoding(name),
            ..base.clone()
        });
    }
    sets
}

#[test]
fn readers_take_mutated_logs() {
    let seeds = log_seeds();
    let sets = option_sets();
    let strategy = (0..seeds.len(), 0..sets.len(), edits());
    runner()
        .run(&strategy, |(seed, set, edits)| {
            let input = mutate(&seeds[seed], &edits, &seeds);
            let mut c = Campaign::new();
            if read_into(
                &mut c,
                "fuzz",
                &input[..],
                &sets[set],
                &LoadProgress::default(),
            )
            .is_ok()
            {
                check(&c, &input);
            }
            Ok(())
        })
        .unwrap();
}

/// A journal and an export as whoclicked writes them, every kind of line.
fn kb_seed(role: &str) -> Vec<u8> {
    let mut text = format!(
        "{{\"format\":\"whoclicked-kb\",\"version\":1,\"file\":\"{role}\",\"generation\":0}}\n"
    );
    text.push_str(concat!(
        "{\"op\":\"verdict\",\"key\":\"asn:8075\",\"verdict\":\"scanner\",\"note\":\"Safe Links\",\"by\":\"sato\",\"at\":\"2026-09-28T01:02:03.456Z\",\"campaign\":\"2026-09\"}\n",
        "{\"op\":\"verdict\",\"key\":\"ip:40.94.25.7\",\"verdict\":\"human\",\"by\":\"sato\",\"at\":\"2026-09-28T01:03:00Z\"}\n",
        "{\"op\":\"verdict\",\"key\":\"net:40.94.0.0/16\",\"verdict\":\"scanner\",\"by\":\"tanaka\",\"at\":\"2026-09-28T01:03:00Z\",\"made\":\"2026-09-28T01:00:00Z\",\"seq\":2}\n",
        "{\"op\":\"note\",\"key\":\"net:192.0.2.0/24\",\"text\":\"head office proxy\",\"hint\":\"human\",\"by\":\"sato\",\"at\":\"2026-09-29T00:00:00Z\"}\n",
        "{\"op\":\"owner\",\"key\":\"ip:40.94.25.7\",\"owner\":{\"network\":\"40.94.0.0/16\",\"asn\":8075,\"as_org\":\"MICROSOFT\",\"sources\":[{\"database\":\"GeoLite2-ASN\",\"built\":\"2026-09-01T00:00:00Z\"}]},\"by\":\"sato\",\"at\":\"2026-09-29T00:00:01Z\"}\n",
        "{\"op\":\"remove\",\"what\":\"verdict\",\"key\":\"ip:40.94.25.7\",\"by\":\"sato\",\"at\":\"2026-09-30T00:00:00Z\"}\n",
    ));
    text.into_bytes()
}

#[test]
fn the_journal_line_parser_takes_mutated_lines() {
    let seeds = vec![kb_seed("journal")];
    let lines: Vec<Vec<u8>> = seeds[0]
        .split(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect();
    runner()
        .run(&(0..lines.len(), edits()), |(line, edits)| {
            let input = mutate(&lines[line], &edits, &seeds);
            if let Err(reason) = parse_entry(&input, &mut Names::default()) {
                assert!(reason.len() < 600 + input.len(), "an unbounded reason");
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn a_knowledge_base_opens_on_a_mutated_journal() {
    let seeds = vec![kb_seed("journal")];
    runner()
        .run(&edits(), |edits| {
            let tmp = tempfile::tempdir().unwrap();
            let dir = tmp.path().join("kb");
            std::fs::create_dir(&dir).unwrap();
            let input = mutate(&seeds[0], &edits, &seeds);
            std::fs::write(dir.join("journal.jsonl"), &input).unwrap();
            if let Ok(kb) = KnowledgeBase::open(&dir) {
                let lines = input.iter().filter(|&&b| b == b'\n').count();
                assert!(kb.entries().len() <= lines);
                assert!(kb.list(None).len() <= kb.entries().len());
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn kb_import_takes_mutated_exports() {
    let seeds = vec![kb_seed("export"), kb_seed("journal")];
    runner()
        .run(&(0..seeds.len(), edits()), |(seed, edits)| {
            let tmp = tempfile::tempdir().unwrap();
            let file = tmp.path().join("theirs.jsonl");
            let input = mutate(&seeds[seed], &edits, &seeds);
            std::fs::write(&file, &input).unwrap();
            let mut kb = KnowledgeBase::open(tmp.path().join("kb")).unwrap();
            let before = kb.entries().len();
            match kb.import(&file) {
                Ok(r) => {
                    assert!(r.added + r.duplicates + r.owners == r.read && r.in_force <= r.added);
                    assert_eq!(kb.entries().len(), before + r.added);
                    // What was imported reads back the same.
                    let again = KnowledgeBase::open(tmp.path().join("kb")).unwrap();
                    assert_eq!(again.entries().len(), kb.entries().len());
                }
                // A refused import changes nothing.
                Err(_) => assert_eq!(kb.entries().len(), before),
            }
            Ok(())
        })
        .unwrap();
}
