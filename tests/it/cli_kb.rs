//! `whoclicked kb …` through the real binary, each test in its own `--kb`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn whoclicked(args: &[&str], env: &[(&str, &str)]) -> Out {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_whoclicked"));
    cmd.args(args)
        .env_remove("WHOCLICKED_KB")
        .env("TZ", "UTC")
        .env("USER", "sato");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

struct Kb {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
}

impl Kb {
    fn new() -> Kb {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("kb");
        Kb { _tmp: tmp, dir }
    }

    /// `whoclicked kb --kb DIR ARGS…`, expected to succeed quietly on stderr.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
        assert_eq!(out.stderr, "", "{args:?}");
        out.stdout
    }

    fn run(&self, args: &[&str]) -> Out {
        let mut all = vec!["kb", "--kb", self.dir.to_str().unwrap()];
        all.extend_from_slice(args);
        whoclicked(&all, &[])
    }

    /// Expects failure with `code` and a message containing `want`.
    fn fails(&self, args: &[&str], code: i32, want: &str) {
        let out = self.run(args);
        assert_eq!(out.code, code, "{args:?}: {} {}", out.stdout, out.stderr);
        assert!(
            out.stderr.contains(want),
            "{args:?}: {:?} lacks {want:?}",
            out.stderr
        );
    }

    fn journal(&self) -> PathBuf {
        self.dir.join("journal.jsonl")
    }
}

#[test]
fn path_follows_option_then_environment_then_default() {
    let kb = Kb::new();
    let dir = kb.dir.to_str().unwrap();
    assert_eq!(
        whoclicked(&["kb", "--kb", dir, "path"], &[]).stdout,
        format!("{dir}\n")
    );
    // A global option may come before the subcommand too.
    assert_eq!(
        whoclicked(&["--kb", dir, "kb", "path"], &[]).stdout,
        format!("{dir}\n")
    );
    let env = whoclicked(&["kb", "path"], &[("WHOCLICKED_KB", "/srv/kb")]);
    assert_eq!(env.stdout, "/srv/kb\n");
    let home = kb._tmp.path().to_str().unwrap();
    let default = whoclicked(&["kb", "path"], &[("HOME", home), ("XDG_DATA_HOME", "")]);
    assert_eq!(
        default.stdout,
        format!("{home}/.local/share/whoclicked\n"),
        "{}",
        default.stderr
    );
    assert!(!kb.dir.exists(), "`kb path` creates nothing");
}

#[test]
fn add_list_and_json() {
    let kb = Kb::new();
    assert_eq!(
        kb.ok(&[
            "add",
            "asn",
            "AS8075",
            "scanner",
            "--note",
            "Safe Links",
            "--campaign",
            "2026-10 訓練"
        ]),
        "asn:8075 → scanner, saved\n"
    );
    kb.ok(&[
        "--analyst",
        "佐藤",
        "add",
        "ip",
        "::ffff:40.94.25.7",
        "human",
        "--note",
        "AVD pool",
    ]);
    kb.ok(&["add", "net", "40.94.0.0/16", "scanner"]);
    assert_eq!(
        kb.ok(&["add", "ip", "40.94.25.7", "scanner"]).trim_end(),
        format!(
            "ip:40.94.25.7 → scanner (was human, {}, 佐藤), saved",
            jiff::Timestamp::now()
                .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .date()
        )
    );
    let list = kb.ok(&["list"]);
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 4, "{list}");
    assert!(
        lines[0].starts_with("KIND  KEY           VERDICT  BY    DATE (UTC)  CAMPAIGN      DETAIL"),
        "{list}"
    );
    assert!(
        lines[1].starts_with("ip    40.94.25.7    scanner  sato  "),
        "{list}"
    );
    assert!(
        lines[2].starts_with("net   40.94.0.0/16  scanner  sato  "),
        "{list}"
    );
    assert!(
        lines[3].starts_with("asn   8075          scanner  sato  "),
        "{list}"
    );
    assert!(lines[3].ends_with("2026-10 訓練  Safe Links"), "{list}");

    let net_only = kb.ok(&["list", "--kind", "net"]);
    assert_eq!(net_only.lines().count(), 2, "{net_only}");
    let json: serde_json::Value = serde_json::from_str(&kb.ok(&["list", "--json"])).unwrap();
    let keys: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["ip:40.94.25.7", "net:40.94.0.0/16", "asn:8075"]);
    assert_eq!(json[2]["note"], "Safe Links");
    assert_eq!(json[2]["by"], "sato");
    let empty: serde_json::Value =
        serde_json::from_str(&kb.ok(&["list", "--kind", "access", "--json"])).unwrap();
    assert_eq!(empty, serde_json::json!([]));
}

#[test]
fn bad_keys_get_clear_errors_and_change_nothing() {
    let kb = Kb::new();
    kb.fails(
        &["add", "net", "40.94.1.2/16", "human"],
        1,
        "40.94.1.2/16 has host bits set; the network is 40.94.0.0/16",
    );
    kb.fails(
        &["add", "net", "40.94.0.0", "human"],
        1,
        "\"40.94.0.0\" is not a network in CIDR notation",
    );
    kb.fails(&["add", "asn", "AS0", "human"], 1, "AS0 is reserved");
    kb.fails(
        &["add", "asn", "Microsoft", "human"],
        1,
        "\"Microsoft\" is not an AS number (like AS8075 or 8075)",
    );
    kb.fails(
        &["add", "ip", "banana", "human"],
        1,
        "\"banana\" is not an IP address",
    );
    kb.fails(
        &["add", "ip", "10.0.0.0/8", "human"],
        1,
        "is not an IP address",
    );
    kb.fails(
        &["add", "ip", "10.0.0.1", "maybe"],
        2,
        "possible values: human, scanner",
    );
    kb.fails(
        &["add", "org", "10.0.0.1", "human"],
        2,
        "possible values: ip, net, asn",
    );
    kb.fails(
        &["note", "AS8075", "Microsoft"],
        1,
        "\"AS8075\" is not an IP address",
    );
    kb.fails(
        &["note", "10.0.0.1", "   "],
        1,
        "an owner note needs some text",
    );
    kb.fails(
        &["rm", "access", "20261001T001403Z"],
        1,
        "is not an access fingerprint",
    );
    kb.fails(
        &["rm", "ip", "192.0.2.1"],
        1,
        "nothing to remove: no IP rule for ip:192.0.2.1",
    );
    kb.fails(&["history", "hello"], 1, "\"hello\" is not a key");
    assert_eq!(
        kb.ok(&["list"]),
        format!("nothing in {}\n", kb.dir.display())
    );
    assert!(!kb.journal().exists(), "no write happened");
}

#[test]
fn notes_rm_and_history() {
    let kb = Kb::new();
    assert_eq!(
        kb.ok(&[
            "note",
            "192.0.2.0/24",
            "head office proxy",
            "--hint",
            "human"
        ]),
        "note on net:192.0.2.0/24 saved\n"
    );
    kb.ok(&["add", "ip", "192.0.2.7", "human"]);
    kb.ok(&[
        "--analyst",
        "tanaka",
        "add",
        "ip",
        "192.0.2.7",
        "scanner",
        "--note",
        "curl every hour",
    ]);
    let out = kb.ok(&["rm", "ip", "192.0.2.7", "--note", "was the monitoring box"]);
    assert!(
        out.starts_with("removed the IP rule for ip:192.0.2.7 (was scanner, "),
        "{out}"
    );
    kb.fails(&["rm", "ip", "192.0.2.7"], 1, "nothing to remove");
    let notes = kb.ok(&["list", "--kind", "note"]);
    assert!(notes.contains("192.0.2.0/24  (human)  sato"), "{notes}");
    assert!(notes.trim_end().ends_with("head office proxy"), "{notes}");

    let history = kb.ok(&["history", "192.0.2.7"]);
    let lines: Vec<&str> = history.lines().collect();
    assert_eq!(lines[0], "ip:192.0.2.7");
    assert!(
        lines[1].starts_with("TIME (UTC)           BY      CAMPAIGN  KIND     CHANGE   DETAIL"),
        "{history}"
    );
    assert!(
        lines[2].contains(" sato              verdict  human"),
        "{history}"
    );
    assert!(
        lines[3].contains(" tanaka            verdict  scanner  curl every hour"),
        "{history}"
    );
    assert!(
        lines[4].contains(" sato              verdict  removed  was the monitoring box"),
        "{history}"
    );
    assert_eq!(lines.len(), 5);
    // The prefixed spelling works too, and JSON lists the same entries.
    let json: serde_json::Value =
        serde_json::from_str(&kb.ok(&["history", "ip:192.0.2.7", "--json"])).unwrap();
    let ops: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["op"].as_str().unwrap())
        .collect();
    assert_eq!(ops, ["verdict", "verdict", "remove"]);
    assert_eq!(kb.ok(&["history", "AS64500"]), "no entries for asn:64500\n");

    kb.ok(&["rm", "note", "192.0.2.0/24"]);
    assert_eq!(
        kb.ok(&["list", "--kind", "note"]),
        format!("nothing in {}\n", kb.dir.display())
    );
}

#[test]
fn stats_compact_and_the_files_stay_private() {
    let kb = Kb::new();
    kb.ok(&["add", "asn", "8075", "scanner", "--campaign", "sept"]);
    kb.ok(&["add", "ip", "192.0.2.1", "human", "--campaign", "oct"]);
    kb.ok(&["add", "ip", "192.0.2.1", "scanner"]);
    kb.ok(&["note", "192.0.2.1", "VPN"]);
    let stats = kb.ok(&["stats"]);
    assert!(
        stats.contains(&format!(
            "location         {} (from --kb)",
            kb.dir.display()
        )),
        "{stats}"
    );
    assert!(
        stats.contains("IP rules         1 (0 human, 1 scanner)"),
        "{stats}"
    );
    assert!(
        stats.contains("AS rules         1 (0 human, 1 scanner)"),
        "{stats}"
    );
    assert!(stats.contains("owner notes      1"), "{stats}");
    assert!(
        stats.contains("history          4 entries by 1 analyst(s), 2 campaign(s)"),
        "{stats}"
    );
    let json: serde_json::Value = serde_json::from_str(&kb.ok(&["stats", "--json"])).unwrap();
    assert_eq!(json["in_force"]["ip"], 1);
    assert_eq!(json["entries"], 4);
    assert_eq!(json["generation"], 0);

    let before = kb.ok(&["list"]);
    let out = kb.ok(&["compact"]);
    assert!(out.starts_with("compacted: 4 → 4 entries, "), "{out}");
    assert!(out.trim_end().ends_with("(generation 1)"), "{out}");
    assert_eq!(kb.ok(&["list"]), before);
    assert_eq!(kb.ok(&["history", "192.0.2.1"]).lines().count(), 5);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&kb.dir), 0o700);
        assert_eq!(mode(&kb.journal()), 0o600);
        assert_eq!(mode(&kb.dir.join("snapshot.jsonl")), 0o600);
    }
}

#[test]
fn export_and_import_list_conflicts() {
    let mine = Kb::new();
    let theirs = Kb::new();
    mine.ok(&["add", "ip", "192.0.2.1", "human"]);
    mine.ok(&["add", "ip", "192.0.2.2", "scanner"]);
    std::thread::sleep(std::time::Duration::from_millis(5));
    theirs.ok(&["--analyst", "tanaka", "add", "ip", "192.0.2.1", "scanner"]);
    theirs.ok(&["--analyst", "tanaka", "add", "ip", "192.0.2.2", "scanner"]);
    theirs.ok(&["--analyst", "tanaka", "add", "asn", "8075", "scanner"]);
    let file = theirs._tmp.path().join("tanaka.jsonl");
    assert_eq!(
        theirs.ok(&["export", file.to_str().unwrap()]),
        format!("exported 3 entries to {}\n", file.display())
    );

    let out = mine.ok(&["import", file.to_str().unwrap()]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        format!(
            "imported {}: 3 entries read, 3 added (3 now in force, 0 older than decisions here and kept as history), 0 already present",
            file.display()
        )
    );
    assert_eq!(lines[1], "1 conflict(s); the newer decision is in force:");
    assert!(lines[2].starts_with("KEY           HERE"), "{out}");
    assert!(lines[3].starts_with("ip:192.0.2.1  human ("), "{out}");
    assert!(lines[3].contains(", sato)  scanner ("), "{out}");
    assert!(lines[3].ends_with(", tanaka)  theirs"), "{out}");
    assert_eq!(lines.len(), 4);

    let again: serde_json::Value =
        serde_json::from_str(&mine.ok(&["import", file.to_str().unwrap(), "--json"])).unwrap();
    assert_eq!(
        (again["added"].as_u64(), again["duplicates"].as_u64()),
        (Some(0), Some(3))
    );
    assert_eq!(again["conflicts"], serde_json::json!([]));
    let history = mine.ok(&["history", "192.0.2.2"]);
    assert!(
        history.contains(" sato ") && history.contains(" tanaka "),
        "{history}"
    );

    mine.fails(
        &["import", "/nonexistent/file.jsonl"],
        1,
        "cannot read /nonexistent/file.jsonl",
    );

    // An export through a link replaces the link's target, not the link;
    // a failed one names the path and gives the system's reason once.
    let link = theirs._tmp.path().join("link.jsonl");
    std::os::unix::fs::symlink(&file, &link).unwrap();
    theirs.ok(&["export", link.to_str().unwrap()]);
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read(&file).unwrap(), fs::read(&link).unwrap());
    let out = theirs.run(&["export", "/nonexistent/dir/out.jsonl"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("cannot write /nonexistent/dir/out.jsonl: No such file or directory"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stderr.matches("os error").count(), 1, "{}", out.stderr);
}

#[test]
fn damaged_newer_and_torn_files_are_reported() {
    let kb = Kb::new();
    for n in 1..=3 {
        kb.ok(&["add", "ip", &format!("192.0.2.{n}"), "human"]);
    }
    // A torn last line: a warning, the entries before it, then a clean append.
    let mut f = fs::OpenOptions::new()
        .append(true)
        .open(kb.journal())
        .unwrap();
    std::io::Write::write_all(&mut f, b"{\"op\":\"verdict\",\"ke").unwrap();
    let out = kb.run(&["list"]);
    assert_eq!(out.code, 0);
    assert_eq!(out.stdout.lines().count(), 4);
    assert!(
        out.stderr.starts_with("whoclicked: warning: "),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("journal.jsonl, line 5: ignored an incomplete last line"),
        "{}",
        out.stderr
    );
    kb.run(&["add", "ip", "192.0.2.4", "human"]);
    assert_eq!(kb.ok(&["list"]).lines().count(), 5);

    // A damaged middle line: a clear error naming file and line; nothing written.
    let text = fs::read_to_string(kb.journal()).unwrap();
    let damaged = text.replacen("\"verdict\":\"human\"", "\"verdict\":\"hmm\"", 2);
    fs::write(kb.journal(), &damaged).unwrap();
    let out = kb.run(&["add", "ip", "192.0.2.9", "scanner"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("journal.jsonl, line 2: unknown verdict \"hmm\""),
        "{}",
        out.stderr
    );
    assert_eq!(fs::read_to_string(kb.journal()).unwrap(), damaged);

    // A newer format: refused with a clear message.
    fs::write(
        kb.journal(),
        "{\"format\":\"whoclicked-kb\",\"version\":7,\"file\":\"journal\"}\n",
    )
    .unwrap();
    kb.fails(
        &["list"],
        1,
        "was written by a newer whoclicked (format version 7",
    );
}

#[test]
fn hostile_text_is_escaped_on_output() {
    let kb = Kb::new();
    kb.ok(&[
        "--analyst",
        "eve\u{1b}[2J",
        "note",
        "192.0.2.1",
        "proxy\u{1b}]0;owned\u{7}\nsecond line",
    ]);
    let out = kb.ok(&["list"]);
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
    assert!(
        out.contains("proxy\\x1b]0;owned\\x07\\x0asecond line"),
        "{out}"
    );
    assert!(out.contains("eve\\x1b[2J"), "{out}");
    let history = kb.ok(&["history", "192.0.2.1"]);
    assert!(!history.contains('\u{1b}'), "{history:?}");
}

#[test]
fn access_verdicts_and_owner_cache_show_what_they_are() {
    use whoclicked::kb::{Author, CachedOwner, CachedSource, Entry, KnowledgeBase, Verdict};
    use whoclicked::model::{Access, Campaign, Event, NO_EXTRA, Sym, Timestamp, recipient_raw};

    let kb = Kb::new();
    let mut c = Campaign::new();
    let ip = c.intern_ip("40.94.25.7".parse().unwrap());
    let user_agent = c.intern_user_agent("Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X)");
    let r = c.intern_recipient("alice@example.com");
    let access = Access {
        time: Timestamp::from_nanos(1_790_000_000_250_000_000),
        ip,
        user_agent,
        recipient_raw: recipient_raw(Some(r)),
        method: Sym::EMPTY,
        extra: NO_EXTRA,
        row: 1,
        line: 2,
        screen: None,
        file: 0,
        event: Event::Click,
    };
    let fp = whoclicked::kb::fingerprint(&c, &access);
    {
        let author = Author::new(Some("sato"), Some("2026-09"));
        let mut lib = KnowledgeBase::open(&kb.dir).unwrap();
        lib.record(
            Entry::access_verdict(&author, &c, &access, Verdict::Human)
                .with_note(Some("called her")),
        )
        .unwrap();
        let owner = CachedOwner {
            network: Some("40.94.0.0/16".parse().unwrap()),
            asn: Some(8075),
            as_org: Some("MICROSOFT-CORP-MSN-AS-BLOCK".into()),
            country_code: Some("US".into()),
            sources: vec![CachedSource::new(
                "GeoLite2-ASN",
                "2026-09-01T00:00:00Z".parse().ok(),
            )],
            ..CachedOwner::default()
        };
        lib.record(Entry::owner(&author, "40.94.25.7".parse().unwrap(), owner))
            .unwrap();
    }
    let access_list = kb.ok(&["list", "--kind", "access"]);
    let row = access_list.lines().nth(1).unwrap();
    assert!(
        row.starts_with(&format!("access  {fp}  human    sato  ")),
        "{access_list}"
    );
    assert!(
        row.ends_with(
            "click alice@example.com from 40.94.25.7 at 2026-09-21 14:13:20, UA Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) — called her"
        ),
        "{access_list}"
    );
    let owners = kb.ok(&["list", "--kind", "owner"]);
    assert!(
        owners.lines().nth(1).unwrap().ends_with(
            "AS8075 MICROSOFT-CORP-MSN-AS-BLOCK, US, 40.94.0.0/16 [GeoLite2-ASN 2026-09-01]"
        ),
        "{owners}"
    );
    // The cache is not knowledge: the default listing and the history leave it out.
    assert_eq!(kb.ok(&["list"]).lines().count(), 2);
    assert_eq!(kb.ok(&["list", "--owners"]).lines().count(), 3);
    let history = kb.ok(&["history", "40.94.25.7"]);
    assert!(!history.contains("looked up"), "{history}");
    assert_eq!(kb.ok(&["history", &fp.to_string()]).lines().count(), 3);

    let out = kb.ok(&["rm", "access", &format!("access:{fp}")]);
    assert!(
        out.starts_with(&format!(
            "removed the access verdict for access:{fp} (was human, "
        )),
        "{out}"
    );
    let out = kb.ok(&["rm", "owner", "40.94.25.7"]);
    assert!(
        out.starts_with("removed the cached owner of net:40.94.0.0/16 (was owner AS8075"),
        "{out}"
    );
    assert_eq!(
        kb.ok(&["list"]),
        format!("nothing in {}\n", kb.dir.display())
    );
}

#[test]
fn without_user_or_logname_the_analyst_is_the_accounts_name() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_whoclicked"))
        .args(["kb", "add", "ip", "1.2.3.4", "human", "--kb"])
        .arg(dir.path())
        .env_remove("USER")
        .env_remove("LOGNAME")
        .env_remove("USERNAME")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let id = Command::new("id").arg("-un").output().unwrap();
    let me = String::from_utf8(id.stdout).unwrap().trim().to_string();
    let listed = whoclicked(
        &["kb", "list", "--json", "--kb", dir.path().to_str().unwrap()],
        &[],
    );
    assert!(
        listed.stdout.contains(&format!("\"by\":\"{me}\"")),
        "expected {me}: {}",
        listed.stdout
    );
}

#[test]
fn kb_list_and_history_name_the_zone_and_take_tz() {
    let dir = tempfile::tempdir().unwrap();
    let kb = dir.path().to_str().unwrap();
    let added = whoclicked(&["kb", "add", "asn", "AS8075", "scanner", "--kb", kb], &[]);
    assert_eq!(added.code, 0, "{}", added.stderr);
    let list = whoclicked(&["kb", "list", "--kb", kb], &[]);
    assert!(list.stdout.contains("DATE (UTC)"), "{}", list.stdout);
    let history = whoclicked(
        &["kb", "history", "AS8075", "--kb", kb, "--tz", "+09:00"],
        &[],
    );
    assert!(
        history.stdout.contains("TIME (+09:00)"),
        "{}",
        history.stdout
    );
}
