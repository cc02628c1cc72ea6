//! The knowledge base on disk: torn and damaged lines, permissions, format
//! versions, several instances at once, compaction, export and import.

use std::fs;
use std::io::Write;
use std::path::Path;

use whoclicked::kb::format::{FileRole, header_line};
use whoclicked::kb::{
    Author, CachedOwner, Category, Entry, KbError, KbWarning, Key, KnowledgeBase, Side, Slot,
    Verdict,
};

fn sato() -> Author {
    Author::new(Some("sato"), Some("2026-10"))
}

fn tanaka() -> Author {
    Author::new(Some("tanaka"), Some("2026-10"))
}

fn ip(n: u32) -> Key {
    Key::from_ip(std::net::Ipv4Addr::from(0xC000_0200 + n).into())
}

fn rule(kb: &KnowledgeBase, key: Key) -> Option<Verdict> {
    kb.current(&Slot::verdict(key))
        .and_then(Entry::verdict_value)
}

/// A knowledge base inside a temporary directory: created by the knowledge
/// base itself, so private (the temporary directory may be 0755).
fn kb_dir(tmp: &tempfile::TempDir) -> std::path::PathBuf {
    tmp.path().join("kb")
}

fn journal(dir: &Path) -> std::path::PathBuf {
    dir.join("journal.jsonl")
}

fn append_raw(path: &Path, bytes: &[u8]) {
    fs::OpenOptions::new()
        .append(true)
        .open(path)
        .unwrap()
        .write_all(bytes)
        .unwrap();
}

fn three_rules(dir: &Path) {
    let mut kb = KnowledgeBase::open(dir).unwrap();
    for n in 1..=3 {
        kb.record(Entry::verdict(&sato(), ip(n), Verdict::Scanner))
            .unwrap();
    }
}

#[test]
fn torn_tail_is_reported_ignored_and_cut_before_the_next_write() {
    for torn in [
        &b"{\"op\":\"verdict\",\"key\":\"ip:192.0.2.9\",\"verd"[..],
        b"{\"op\":\"verd\x00\x00\n",
        &[0u8; 300],
    ] {
        let tmp = tempfile::tempdir().unwrap();
        three_rules(&kb_dir(&tmp));
        append_raw(&journal(&kb_dir(&tmp)), torn);
        let mut kb = KnowledgeBase::open(kb_dir(&tmp)).unwrap();
        let warnings = kb.take_warnings();
        assert!(
            matches!(warnings.as_slice(), [KbWarning::TornTail { line: 5, .. }]),
            "{warnings:?}"
        );
        assert!(
            warnings[0]
                .to_string()
                .contains("journal.jsonl, line 5: ignored an incomplete last line")
        );
        assert_eq!(kb.entries().len(), 3);
        // Reported once, not on every refresh.
        kb.refresh().unwrap();
        assert!(kb.take_warnings().is_empty());
        kb.record(Entry::verdict(&sato(), ip(4), Verdict::Human))
            .unwrap();
        let text = fs::read_to_string(journal(&kb_dir(&tmp))).unwrap();
        assert_eq!(text.lines().count(), 5, "{text}");
        assert!(text.ends_with("\"}\n") || text.ends_with("}\n"));
        let mut again = KnowledgeBase::open(kb_dir(&tmp)).unwrap();
        assert!(again.take_warnings().is_empty());
        assert_eq!(again.entries().len(), 4);
        assert_eq!(rule(&again, ip(4)), Some(Verdict::Human));
    }
}

#[test]
fn damaged_middle_line_stops_loading_and_nothing_is_overwritten() {
    let tmp = tempfile::tempdir().unwrap();
    three_rules(&kb_dir(&tmp));
    let mut open_before = KnowledgeBase::open(kb_dir(&tmp)).unwrap();
    let path = journal(&kb_dir(&tmp));
    let text = fs::read_to_string(&path).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines[2] = r#"{"op":"verdict","key":"ip:192.0.2.2","verdict":"maybe","by":"x","at":"2026-01-01T00:00:00Z"}"#;
    let damaged = lines.join("\n") + "\n";
    fs::write(&path, &damaged).unwrap();

    let err = KnowledgeBase::open(kb_dir(&tmp)).unwrap_err();
    assert!(matches!(&err, KbError::Damaged { line: 3, .. }), "{err}");
    let msg = err.to_string();
    assert!(msg.contains("journal.jsonl, line 3: "), "{msg}");
    assert!(msg.contains("unknown verdict \"maybe\""), "{msg}");
    assert!(msg.contains("nothing in it was changed"), "{msg}");
    // A process that had it open before cannot write past the damage either.
    let err = open_before
        .record(Entry::verdict(&sato(), ip(9), Verdict::Human))
        .unwrap_err();
    assert!(matches!(err, KbError::Damaged { line: 3, .. }), "{err}");
    assert_eq!(fs::read_to_string(&path).unwrap(), damaged);
}

#[cfg(unix)]
#[test]
fn files_are_private_from_creation() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("nested/kb");
    let mut kb = KnowledgeBase::open(&dir).unwrap();
    kb.record(Entry::verdict(&sato(), ip(1), Verdict::Human))
        .unwrap();
    kb.compact().unwrap();
    kb.record(Entry::verdict(&sato(), ip(2), Verdict::Human))
        .unwrap();
    let export = tmp.path().join("export.jsonl");
    kb.export(&export, false).unwrap();
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&tmp.path().join("nested")), 0o700);
    for name in ["journal.jsonl", "snapshot.jsonl", "lock"] {
        assert_eq!(mode(&dir.join(name)), 0o600, "{name}");
    }
    assert_eq!(mode(&export), 0o600);
}

#[test]
fn newer_format_is_refused_and_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(kb_dir(&tmp)).unwrap();
    let newer = "{\"format\":\"whoclicked-kb\",\"version\":2,\"file\":\"journal\",\"generation\":0}\n{\"op\":\"verdict\",\"key\":\"ip:192.0.2.1\",\"verdict\":\"unsure\"}\n";
    fs::write(journal(&kb_dir(&tmp)), newer).unwrap();
    let err = KnowledgeBase::open(kb_dir(&tmp)).unwrap_err();
    assert!(
        matches!(err, KbError::NewerFormat { found: 2, .. }),
        "{err}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains(
            "written by a newer whoclicked (format version 2; this one reads up to version 1)"
        ),
        "{msg}"
    );
    assert_eq!(fs::read_to_string(journal(&kb_dir(&tmp))).unwrap(), newer);

    let other = tempfile::tempdir().unwrap();
    let mut kb = KnowledgeBase::open(kb_dir(&other)).unwrap();
    let err = kb.import(&journal(&kb_dir(&tmp))).unwrap_err();
    assert!(matches!(err, KbError::NewerFormat { .. }), "{err}");

    fs::write(journal(&kb_dir(&tmp)), "time,ip,verdict\n").unwrap();
    let err = KnowledgeBase::open(kb_dir(&tmp)).unwrap_err();
    assert!(
        err.to_string()
            .contains("is not a whoclicked knowledge-base file"),
        "{err}"
    );
}

#[test]
fn a_second_instance_sees_changes_on_refresh_and_after_compaction() {
    let tmp = tempfile::tempdir().unwrap();
    let mut a = KnowledgeBase::open(kb_dir(&tmp)).unwrap();
    let mut b = KnowledgeBase::open(kb_dir(&tmp)).unwrap();
    a.record(Entry::verdict(&sato(), ip(1), Verdict::Scanner))
        .unwrap();
    assert_eq!(rule(&b, ip(1)), None, "not before a refresh");
    let r = b.refresh().unwrap();
    assert_eq!((r.new_entries, r.reloaded), (1, false));
    assert_eq!(rule(&b, ip(1)), Some(Verdict::Scanner));

    // b overrides a's rule; a's next write reads b's first and still wins.
    b.record(Entry::verdict(&tanaka(), ip(1), Verdict::Human))
        .unwrap();
    a.record(Entry::verdict(&sato(), ip(2), Verdict::Human))
        .unwrap();
    assert_eq!(rule(&a, ip(1)), Some(Verdict::Human));

    b.compact().unwrap();
    let r = a.refresh().unwrap();
    assert!(r.reloaded);
    a.record(Entry::verdict(&sato(), ip(3), Verdict::Scanner))
        .unwrap();
    assert_eq!(b.refresh().unwrap().new_entries, 1);
    for kb in [&a, &b, &KnowledgeBase::open(kb_dir(&tmp)).unwrap()] {
        assert_eq!(rule(kb, ip(1)), Some(Verdict::Human));
        assert_eq!(rule(kb, ip(2)), Some(Verdict::Human));
        assert_eq!(rule(kb, ip(3)), Some(Verdict::Scanner));
        assert_eq!(kb.history(&ip(1)).len(), 2);
    }
}

#[test]
fn compaction_keeps_resolved_state_and_history() {
    let tmp = tempfile::tempdir().unwrap();
    let mut kb = KnowledgeBase::open(kb_dir(&tmp)).unwrap();
    let a = sato();
    let owner = |asn| CachedOwner {
        asn: Some(asn),
        ..CachedOwner::default()
    };
    let addr = |n: u32| std::net::IpAddr::from(std::net::Ipv4Addr::from(0xC000_0200 + n));
    for round in 0..3u32 {
        for n in 0..20 {
            let v = if (n + round) % 2 == 0 {
                Verdict::Human
            } else {
                Verdict::Scanner
            };
            kb.record_all(vec![
                Entry::verdict(&a, ip(n), v),
                Entry::owner(&a, addr(n), owner(64500 + round)),
            ])
            .unwrap();
        }
    }
    kb.record(Entry::removal(&a, Slot::verdict(ip(5)))).unwrap();
    kb.record(Entry::verdict(
        &a,
        Key::asn("AS64500").unwrap(),
        Verdict::Scanner,
    ))
    .unwrap();
    let probe = |kb: &KnowledgeBase| {
        (0..20)
            .map(|n| {
                let r = kb.resolve_ip(addr(n), Some(64500));
                let history: Vec<String> = kb
                    .history(&ip(n))
                    .iter()
                    .filter(|e| e.slot().category() != Category::Owner)
                    .map(|e| format!("{} {} {}", e.change(), e.analyst(), e.time()))
                    .collect();
                let cached = kb.cached_owner(addr(n)).map(|o| o.asn);
                (r.map(|r| (r.verdict, r.source)), history, cached)
            })
            .collect::<Vec<_>>()
    };
    let before = probe(&kb);
    let report = kb.compact().unwrap();
    // The owner facts live in the owner cache's file, not in the journal.
    assert_eq!(report.entries_before, 62);
    assert_eq!(report.entries_after, 62);
    assert_eq!(probe(&kb), before);
    let reopened = KnowledgeBase::open(kb_dir(&tmp)).unwrap();
    assert_eq!(probe(&reopened), before);
    assert_eq!(before[5].0.as_ref().map(|r| r.1.key), Some(Key::Asn(64500)));
    assert_eq!(before[5].1.len(), 4, "three verdicts and the removal");
    assert_eq!(
        fs::read_to_string(journal(&kb_dir(&tmp))).unwrap(),
        header_line(FileRole::Journal, 1)
    );
}

#[test]
fn interrupted_compaction_neither_loses_nor_doubles() {
    let tmp = tempfile::tempdir().unwrap();
    three_rules(&kb_dir(&tmp));
    // Crash after the snapshot was renamed into place, before the journal was replaced.
    let old_journal = fs::read_to_string(journal(&kb_dir(&tmp))).unwrap();
    let entries: String = old_journal
        .lines()
        .skip(1)
        .map(|l| format!("{l}\n"))
        .collect();
    fs::write(
        kb_dir(&tmp).join("snapshot.jsonl"),
        header_line(FileRole::Snapshot, 1) + &entries,
    )
    .unwrap();
    let mut kb = KnowledgeBase::open(kb_dir(&tmp)).unwrap();
    assert!(matches!(
        kb.take_warnings().as_slice(),
        [KbWarning::StaleJournal {
            generation: 0,
            snapshot: 1,
            ..
        }]
    ));
    assert_eq!(kb.entries().len(), 3);
    // Told once: that open finished the compaction with a fresh journal.
    let mut reopened = KnowledgeBase::open(kb_dir(&tmp)).unwrap();
    assert!(reopened.take_warnings().is_empty());
    assert_eq!(reopened.entries().len(), 3);
    assert_eq!(
        fs::read_to_string(journal(&kb_dir(&tmp))).unwrap(),
        header_line(FileRole::Journal, 1)
    );
    kb.record(Entry::verdict(&sato(), ip(4), Verdict::Human))
        .unwrap();
    let mut again = KnowledgeBase::open(kb_dir(&tmp)).unwrap();
    assert!(again.take_warnings().is_empty());
    assert_eq!(again.entries().len(), 4);

    // A journal ahead of its snapshot means the snapshot was lost: refuse.
    fs::remove_file(kb_dir(&tmp).join("snapshot.jsonl")).unwrap();
    let err = KnowledgeBase::open(kb_dir(&tmp)).unwrap_err();
    assert!(
        matches!(
            err,
            KbError::GenerationMismatch {
                journal: 1,
                snapshot: 0,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn one_batch_can_touch_a_slot_twice() {
    let tmp = tempfile::tempdir().unwrap();
    let mut kb = KnowledgeBase::open(kb_dir(&tmp)).unwrap();
    let a = sato();
    kb.record_all(vec![
        Entry::verdict(&a, ip(1), Verdict::Human),
        Entry::verdict(&a, ip(1), Verdict::Scanner),
        Entry::removal(&a, Slot::verdict(ip(2))),
        Entry::verdict(&a, ip(2), Verdict::Human),
    ])
    .unwrap();
    let kb = KnowledgeBase::open(kb_dir(&tmp)).unwrap();
    assert_eq!(rule(&kb, ip(1)), Some(Verdict::Scanner));
    assert_eq!(rule(&kb, ip(2)), Some(Verdict::Human));
}

fn sleep() {
    // Entry times have millisecond resolution; keep the two sides' decisions apart.
    std::thread::sleep(std::time::Duration::from_millis(3));
}

#[test]
fn import_merges_newest_wins_and_lists_conflicts() {
    let here = tempfile::tempdir().unwrap();
    let there = tempfile::tempdir().unwrap();
    let mut mine = KnowledgeBase::open(kb_dir(&here)).unwrap();
    let mut theirs = KnowledgeBase::open(kb_dir(&there)).unwrap();
    theirs
        .record(Entry::verdict(&tanaka(), ip(2), Verdict::Scanner))
        .unwrap();
    sleep();
    mine.record(Entry::verdict(&sato(), ip(1), Verdict::Human))
        .unwrap();
    mine.record(Entry::verdict(&sato(), ip(2), Verdict::Human))
        .unwrap();
    mine.record(Entry::verdict(&sato(), ip(3), Verdict::Scanner))
        .unwrap();
    sleep();
    theirs
        .record(
            Entry::verdict(&tanaka(), ip(1), Verdict::Scanner)
                .with_note(Some("saw it in the proxy log")),
        )
        .unwrap();
    theirs
        .record(Entry::verdict(&tanaka(), ip(3), Verdict::Scanner))
        .unwrap();
    theirs
        .record(Entry::verdict(&tanaka(), Key::Asn(8075), Verdict::Scanner))
        .unwrap();
    theirs
        .record(
            Entry::owner_note(
                &tanaka(),
                Key::net("192.0.2.0/24").unwrap(),
                "branch office",
                None,
            )
            .unwrap(),
        )
        .unwrap();
    let export = there.path().join("tanaka.jsonl");
    assert_eq!(theirs.export(&export, false).unwrap(), 5);

    let report = mine.import(&export).unwrap();
    assert_eq!((report.read, report.added, report.duplicates), (5, 5, 0));
    assert_eq!(report.in_force, 4, "ip 2 from tanaka is older than sato's");
    let conflicts: Vec<(String, String, String, Side)> = report
        .conflicts
        .iter()
        .map(|c| {
            (
                c.slot.key.to_string(),
                c.local.change().to_string(),
                c.theirs.change().to_string(),
                c.winner,
            )
        })
        .collect();
    assert_eq!(
        conflicts,
        vec![
            (
                "ip:192.0.2.1".into(),
                "human".into(),
                "scanner".into(),
                Side::Theirs
            ),
            (
                "ip:192.0.2.2".into(),
                "human".into(),
                "scanner".into(),
                Side::Local
            ),
        ]
    );
    assert_eq!(rule(&mine, ip(1)), Some(Verdict::Scanner));
    assert_eq!(rule(&mine, ip(2)), Some(Verdict::Human));
    assert_eq!(rule(&mine, Key::Asn(8075)), Some(Verdict::Scanner));
    // Nothing dropped: every colleague entry is in the history, as written.
    let reopened = KnowledgeBase::open(kb_dir(&here)).unwrap();
    for e in theirs.entries() {
        assert!(reopened.entries().contains(e), "{:?} missing", e.key());
    }
    let who: Vec<&str> = reopened
        .history(&ip(2))
        .iter()
        .map(|e| e.analyst())
        .collect();
    assert_eq!(who, ["sato", "tanaka"]);

    // Importing the same file again adds nothing and reports no conflict.
    let again = mine.import(&export).unwrap();
    assert_eq!(
        (again.added, again.duplicates, again.conflicts.len()),
        (0, 5, 0)
    );
    // Importing our own export adds nothing either.
    let own = here.path().join("own.jsonl");
    mine.export(&own, false).unwrap();
    let own_report = mine.import(&own).unwrap();
    assert_eq!((own_report.added, own_report.conflicts.len()), (0, 0));
}

#[test]
fn a_local_change_wins_over_an_imported_future_time() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("ahead.jsonl");
    // A colleague whose clock runs half an hour ahead (further is refused).
    let ahead = jiff::Timestamp::now() + jiff::SignedDuration::from_mins(30);
    let line = format!(
        r#"{{"op":"verdict","key":"ip:192.0.2.1","verdict":"scanner","by":"tanaka","at":"{ahead}"}}"#
    );
    fs::write(&file, header_line(FileRole::Export, 0) + &line + "\n").unwrap();
    let mut kb = KnowledgeBase::open(tmp.path().join("kb")).unwrap();
    kb.import(&file).unwrap();
    assert_eq!(rule(&kb, ip(1)), Some(Verdict::Scanner));
    kb.record(Entry::verdict(&sato(), ip(1), Verdict::Human))
        .unwrap();
    assert_eq!(rule(&kb, ip(1)), Some(Verdict::Human));
    let kb = KnowledgeBase::open(tmp.path().join("kb")).unwrap();
    assert_eq!(rule(&kb, ip(1)), Some(Verdict::Human));
}

#[test]
fn import_refuses_damaged_files_without_writing() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("bad.jsonl");
    let good = r#"{"op":"verdict","key":"ip:192.0.2.1","verdict":"scanner","by":"tanaka","at":"2026-01-01T00:00:00Z"}"#;
    fs::write(
        &file,
        header_line(FileRole::Export, 0) + good + "\n" + &good[..40],
    )
    .unwrap();
    let mut kb = KnowledgeBase::open(tmp.path().join("kb")).unwrap();
    let err = kb.import(&file).unwrap_err();
    assert!(matches!(err, KbError::Damaged { line: 3, .. }), "{err}");
    assert!(kb.entries().is_empty());
    assert!(!tmp.path().join("kb/journal.jsonl").exists());
}
