//! The owner cache in its own file: knowledge bases of the landed version
//! (owner lines in the journal) migrate on open without losing anything, and
//! the listing, statistics and export leave the cache out unless asked.

use std::fs;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::Command;

use whoclicked::kb::{Category, Key, KnowledgeBase, Verdict};

/// A journal written by the version before this change (`whoclicked lookup`
/// of four addresses, rules, a removal, a note, one more lookup): 11 lines,
/// five of them owner facts of three networks.
const LANDED: &str = include_str!("../fixtures/kb/landed_journal.jsonl");

fn landed(tmp: &tempfile::TempDir) -> PathBuf {
    let dir = tmp.path().join("kb");
    fs::create_dir(&dir).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o700)).unwrap();
    }
    fs::write(dir.join("journal.jsonl"), LANDED).unwrap();
    dir
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn asn(kb: &KnowledgeBase, addr: &str) -> Option<u32> {
    kb.cached_owner(ip(addr)).and_then(|o| o.asn)
}

fn owner_lines(dir: &Path) -> usize {
    ["journal.jsonl", "snapshot.jsonl"]
        .iter()
        .filter_map(|f| fs::read_to_string(dir.join(f)).ok())
        .map(|text| text.matches(r#""op":"owner""#).count())
        .sum()
}

/// What the knowledge base knows, decisions and notes with their history.
fn knowledge(kb: &KnowledgeBase) -> Vec<String> {
    let mut out: Vec<String> = kb
        .entries()
        .iter()
        .map(|e| format!("{} {} {} {}", e.key(), e.change(), e.analyst(), e.time()))
        .collect();
    out.sort();
    out
}

#[test]
fn a_landed_journal_migrates_on_open_and_loses_nothing() {
    assert_eq!(LANDED.matches(r#""op":"owner""#).count(), 5);
    let tmp = tempfile::tempdir().unwrap();
    let dir = landed(&tmp);
    let kb = KnowledgeBase::open(&dir).unwrap();
    // Every decision and note, with its history (the replaced IP verdict,
    // the removed network rule), is still there.
    let known = knowledge(&kb);
    assert_eq!(known.len(), 6, "{known:#?}");
    let net_rule = Key::net("61.200.9.0/24").unwrap();
    assert_eq!(kb.history(&net_rule).len(), 2);
    assert_eq!(kb.history(&Key::ip("61.200.3.4").unwrap()).len(), 2);
    let r = kb.resolve_ip(ip("61.200.3.4"), Some(2516)).unwrap();
    assert_eq!(r.verdict, Verdict::Scanner);
    assert_eq!(kb.list(None).len(), 3);
    assert_eq!(kb.note_for(ip("61.200.7.7")).unwrap().text, "本社プロキシ");
    // The owner facts are in the cache, one record per network.
    assert_eq!(kb.cached_networks(), 3);
    assert_eq!(asn(&kb, "40.94.200.1"), Some(8075));
    assert_eq!(asn(&kb, "61.200.3.9"), Some(2516));
    assert_eq!(asn(&kb, "2400:4050::1"), Some(4713));
    assert!(kb.cached_owner(ip("8.8.8.8")).is_none());
    // The last lookup (suzuki's) is the one kept for its network.
    let kyoto = kb
        .owner_entries()
        .into_iter()
        .find(|e| e.key() == Key::net("61.200.0.0/16").unwrap())
        .unwrap();
    assert_eq!(kyoto.analyst(), "suzuki");
    // On disk: no owner line left in the journal or snapshot, the cache in its file.
    assert_eq!(owner_lines(&dir), 0);
    assert!(dir.join("owners.bin").is_file());
    drop(kb);
    let again = KnowledgeBase::open(&dir).unwrap();
    assert_eq!(knowledge(&again), known);
    assert_eq!(again.cached_networks(), 3);
    assert_eq!(asn(&again, "40.94.0.1"), Some(8075));
    assert_eq!(
        again
            .stats()
            .live
            .iter()
            .find(|(c, _)| *c == Category::Owner),
        Some(&(Category::Owner, 3))
    );
}

#[test]
fn a_damaged_or_deleted_cache_costs_only_the_cache() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = landed(&tmp);
    let known = knowledge(&KnowledgeBase::open(&dir).unwrap());
    let cache = dir.join("owners.bin");
    let mut bytes = fs::read(&cache).unwrap();
    bytes.truncate(bytes.len() / 2);
    fs::write(&cache, bytes).unwrap();
    let mut kb = KnowledgeBase::open(&dir).unwrap();
    let warnings: Vec<String> = kb.take_warnings().iter().map(|w| w.to_string()).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("owners.bin") && w.contains("it ends early")),
        "{warnings:?}"
    );
    assert_eq!(knowledge(&kb), known);
    assert_eq!(kb.cached_networks(), 0);
    fs::remove_file(&cache).unwrap();
    let mut kb = KnowledgeBase::open(&dir).unwrap();
    assert!(kb.take_warnings().is_empty());
    assert_eq!(knowledge(&kb), known);
}

fn cli(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_whoclicked"))
        .args(["kb", "--kb", dir.to_str().unwrap()])
        .args(args)
        .env_remove("WHOCLICKED_KB")
        .env("TZ", "UTC")
        .env("USER", "sato")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn list_stats_and_export_leave_the_cache_out_unless_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = landed(&tmp);
    let list = cli(&dir, &["list"]);
    assert_eq!(list.lines().count(), 1 + 3, "{list}");
    assert!(!list.contains("owner"), "{list}");
    let with = cli(&dir, &["list", "--owners"]);
    assert_eq!(with.lines().count(), 1 + 3 + 3, "{with}");
    assert!(with.contains("40.94.0.0/16"), "{with}");
    assert!(!cli(&dir, &["stats"]).contains("owner cache"));
    assert!(cli(&dir, &["stats", "--owners"]).contains("owner cache      3 networks"));

    let plain = tmp.path().join("plain.jsonl");
    let full = tmp.path().join("full.jsonl");
    cli(&dir, &["export", plain.to_str().unwrap()]);
    cli(&dir, &["export", "--owners", full.to_str().unwrap()]);
    let plain = fs::read_to_string(&plain).unwrap();
    assert_eq!(plain.matches(r#""op":"owner""#).count(), 0);
    assert_eq!(plain.lines().count(), 1 + 6);
    let full_text = fs::read_to_string(&full).unwrap();
    assert_eq!(full_text.matches(r#""op":"owner""#).count(), 3);

    // A colleague importing the full export gets the verdicts in the
    // journal and the owner facts in the cache.
    let theirs = tmp.path().join("theirs");
    let imported = cli(&theirs, &["import", full.to_str().unwrap()]);
    assert!(
        imported.contains("3 owner facts went into the owner cache"),
        "{imported}"
    );
    assert_eq!(owner_lines(&theirs), 0);
    let kb = KnowledgeBase::open(&theirs).unwrap();
    assert_eq!(kb.cached_networks(), 3);
    assert_eq!(kb.entries().len(), 6);
}

#[test]
fn addresses_of_one_network_queue_one_cache_record_and_all_read_it_back() {
    // Three addresses of Microsoft's /13 and one of Rakuten's /19: two
    // records to cache, not four, and afterwards, with no database, every
    // address finds its owner in the cache.
    let tmp = tempfile::tempdir().unwrap();
    let db = crate::support::mmdb::write(tmp.path(), "asn.mmdb", &crate::support::mmdb::asn_db());
    let databases = whoclicked::owner::OwnerDatabases::open(&[db]).unwrap();
    let addresses: Vec<IpAddr> = ["40.94.1.1", "40.90.2.2", "40.88.0.9", "133.106.34.58"]
        .into_iter()
        .map(ip)
        .collect();
    let mut kb = KnowledgeBase::open(tmp.path().join("kb")).unwrap();
    let progress = whoclicked::input::LoadProgress::default();
    let looked_up =
        whoclicked::pipeline::look_up_owners(&addresses, &databases, Some(&kb), &progress);
    assert_eq!(looked_up.to_cache.len(), 2, "{:?}", looked_up.to_cache);
    let author = whoclicked::kb::Author::new(Some("sato"), Some("test"));
    assert_eq!(
        whoclicked::pipeline::cache_owners(&mut kb, &author, &looked_up.to_cache).unwrap(),
        2
    );
    let reopened = KnowledgeBase::open(tmp.path().join("kb")).unwrap();
    for (addr, expected) in addresses.iter().zip([8075, 8075, 8075, 138384]) {
        assert_eq!(asn(&reopened, &addr.to_string()), Some(expected), "{addr}");
    }
    // Asked again, nothing has changed: nothing to cache.
    let again =
        whoclicked::pipeline::look_up_owners(&addresses, &databases, Some(&reopened), &progress);
    assert!(again.to_cache.is_empty(), "{:?}", again.to_cache);
}
