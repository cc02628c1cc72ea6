//! The knowledge base against hostile conditions, through the real binary:
//! closed or full standard output, read-only and foreign directories,
//! dangling links, future-dated and too-wide imports.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// `whoclicked ARGS…` with `stdout` as its standard output (captured when `None`).
pub fn run_with(args: &[&str], stdout: Option<Stdio>) -> Out {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_whoclicked"));
    cmd.args(args)
        .env_remove("WHOCLICKED_KB")
        .env("TZ", "UTC")
        .env("USER", "sato")
        .stdin(Stdio::null());
    let given = stdout.is_some();
    if let Some(out) = stdout {
        cmd.stdout(out);
    }
    let out = cmd.output().unwrap();
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: if given {
            String::new()
        } else {
            String::from_utf8_lossy(&out.stdout).into_owned()
        },
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn run(args: &[&str]) -> Out {
    run_with(args, None)
}

/// A knowledge base in a temporary directory.
pub struct Kb {
    pub tmp: tempfile::TempDir,
    pub dir: PathBuf,
}

impl Kb {
    pub fn new() -> Kb {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("kb");
        Kb { tmp, dir }
    }

    pub fn args<'a>(&'a self, args: &[&'a str]) -> Vec<&'a str> {
        let mut all = vec!["kb", "--kb", self.dir.to_str().unwrap()];
        all.extend_from_slice(args);
        all
    }

    pub fn run(&self, args: &[&str]) -> Out {
        run(&self.args(args))
    }

    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
        out.stdout
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }
}

fn filled() -> Kb {
    let kb = Kb::new();
    for i in 1..=40 {
        kb.ok(&["add", "ip", &format!("192.0.2.{i}"), "scanner"]);
    }
    kb
}

/// A pipe whose reader is already gone: every write fails with EPIPE.
fn closed_pipe() -> Stdio {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    writer.into()
}

#[test]
fn kb_commands_on_a_closed_pipe_end_quietly() {
    let kb = filled();
    let export = kb.path("out.jsonl");
    let export = export.to_str().unwrap();
    for args in [
        &["path"][..],
        &["list"],
        &["list", "--json"],
        &["history", "192.0.2.1"],
        &["stats"],
        &["stats", "--json"],
        &["add", "asn", "AS8075", "scanner"],
        &["export", export],
    ] {
        let out = run_with(&kb.args(args), Some(closed_pipe()));
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
        assert!(!out.stderr.contains("panicked"), "{args:?}: {}", out.stderr);
        assert_eq!(out.stderr, "", "{args:?}");
    }
}

#[cfg(unix)]
#[test]
fn kb_commands_on_a_full_stdout_fail_saying_so() {
    let kb = filled();
    for args in [
        &["path"][..],
        &["list"],
        &["history", "192.0.2.1"],
        &["stats"],
    ] {
        let full = fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = run_with(&kb.args(args), Some(full.into()));
        assert_eq!(out.code, 1, "{args:?}: {}", out.stderr);
        assert!(!out.stderr.contains("panicked"), "{args:?}: {}", out.stderr);
        assert!(
            out.stderr
                .contains("cannot write to standard output: No space left on device"),
            "{args:?}: {}",
            out.stderr
        );
    }
}

#[cfg(unix)]
fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(unix)]
fn is_root() -> bool {
    rustix::process::geteuid().is_root()
}

/// Runs `whoclicked ARGS…` as a user who may read but not write what root
/// made: as `nobody` through setpriv when root (root may write anywhere),
/// else as this user after the caller took the write bits away.
#[cfg(unix)]
fn run_as_reader(args: &[&str]) -> Out {
    if !is_root() {
        return run(args);
    }
    let mut all = vec![
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
        env!("CARGO_BIN_EXE_whoclicked"),
    ];
    all.extend_from_slice(args);
    let out = Command::new("setpriv")
        .args(&all)
        .env_remove("WHOCLICKED_KB")
        .env("TZ", "UTC")
        .env("USER", "nobody")
        .env("HOME", "/nonexistent")
        .stdin(Stdio::null())
        .output()
        .expect("setpriv (util-linux) runs the binary as nobody");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Makes everything under `kb` readable by all and writable by no one else
/// (dirs 0755 / 0555, files 0644 / 0444).
#[cfg(unix)]
fn readable_not_writable(kb: &Kb, root_owned_dirs: u32, files: u32) {
    chmod(kb.tmp.path(), root_owned_dirs);
    chmod(&kb.dir, root_owned_dirs);
    for e in fs::read_dir(&kb.dir).unwrap() {
        chmod(&e.unwrap().path(), files);
    }
}

#[cfg(unix)]
#[test]
fn a_knowledge_base_that_may_only_be_read_is_read() {
    let kb = Kb::new();
    kb.ok(&["add", "asn", "AS8075", "scanner"]);
    kb.ok(&["add", "ip", "192.0.2.7", "human"]);
    readable_not_writable(&kb, 0o755, 0o644);
    if !is_root() {
        readable_not_writable(&kb, 0o555, 0o444);
    }
    let list = run_as_reader(&kb.args(&["list"]));
    assert_eq!(list.code, 0, "{}", list.stderr);
    assert!(list.stdout.contains("8075") && list.stdout.contains("192.0.2.7"));
    assert_eq!(
        list.stderr.matches("labels cannot be saved").count(),
        1,
        "said once: {}",
        list.stderr
    );
    let out = tempfile::tempdir().unwrap();
    chmod(out.path(), 0o777);
    let file = out.path().join("copy.jsonl");
    let export = run_as_reader(&kb.args(&["export", file.to_str().unwrap()]));
    assert_eq!(export.code, 0, "{}", export.stderr);
    assert!(fs::read_to_string(&file).unwrap().contains("asn:8075"));

    // A report uses the rules and says once that labels cannot be saved
    // (no second complaint about the owner cache).
    let report = run_as_reader(&[
        "report",
        "--demo",
        "--kb",
        kb.dir.to_str().unwrap(),
        "--format",
        "csv",
    ]);
    assert_eq!(report.code, 0, "{}", report.stderr);
    assert_eq!(
        report.stderr.matches("read-only").count(),
        1,
        "{}",
        report.stderr
    );

    let add = run_as_reader(&kb.args(&["add", "ip", "192.0.2.8", "scanner"]));
    assert_eq!(add.code, 1, "{}", add.stdout);
    assert!(
        add.stderr.contains("nothing can be saved"),
        "{}",
        add.stderr
    );
    assert!(!add.stdout.contains("saved"), "{}", add.stdout);
}

#[cfg(unix)]
#[test]
fn a_read_only_copy_without_a_lock_file_is_read() {
    let kb = Kb::new();
    kb.ok(&["add", "asn", "AS8075", "scanner"]);
    fs::remove_file(kb.dir.join("lock")).unwrap();
    readable_not_writable(&kb, 0o555, 0o444);
    let list = run_as_reader(&kb.args(&["list"]));
    chmod(&kb.dir, 0o700);
    assert_eq!(list.code, 0, "{}", list.stderr);
    assert!(list.stdout.contains("8075"), "{}", list.stdout);
    assert!(list.stderr.contains("labels cannot be saved"));
}

#[cfg(unix)]
#[test]
fn a_knowledge_base_of_another_user_is_named() {
    if !is_root() {
        eprintln!("skipped: only root can give a directory to another user");
        return;
    }
    let kb = Kb::new();
    kb.ok(&["add", "asn", "AS8075", "scanner"]);
    let status = Command::new("chown")
        .args(["-R", "65534:65534", kb.dir.to_str().unwrap()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = kb.run(&["list"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("belongs to another user (uid 65534)"),
        "{}",
        out.stderr
    );
}

#[cfg(unix)]
#[test]
fn a_dangling_link_as_knowledge_base_says_where_it_points() {
    let kb = Kb::new();
    let target = kb.path("gone");
    std::os::unix::fs::symlink(&target, &kb.dir).unwrap();
    let out = kb.run(&["list"]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stderr.contains("symbolic link to")
            && out.stderr.contains("gone, which does not exist"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("File exists"), "{}", out.stderr);
    assert!(!target.exists());
}

const EXPORT_HEADER: &str =
    "{\"format\":\"whoclicked-kb\",\"version\":1,\"file\":\"export\",\"generation\":0}\n";
const JOURNAL_HEADER: &str =
    "{\"format\":\"whoclicked-kb\",\"version\":1,\"file\":\"journal\",\"generation\":0}\n";

fn today() -> String {
    jiff::Timestamp::now().to_string()[..10].to_string()
}

#[test]
fn an_import_dated_in_the_future_is_refused_with_its_line() {
    let kb = Kb::new();
    kb.ok(&["add", "asn", "AS8075", "scanner"]);
    let file = kb.path("theirs.jsonl");
    fs::write(
        &file,
        format!(
            "{EXPORT_HEADER}{{\"op\":\"verdict\",\"key\":\"ip:192.0.2.1\",\"verdict\":\"human\",\"by\":\"tanaka\",\"at\":\"2026-01-01T00:00:00Z\"}}\n\n{{\"op\":\"verdict\",\"key\":\"asn:8075\",\"verdict\":\"human\",\"by\":\"mallory\",\"at\":\"9999-12-30T22:00:00.999999999Z\"}}\n"
        ),
    )
    .unwrap();
    let out = kb.run(&["import", file.to_str().unwrap()]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stderr
            .contains("theirs.jsonl, line 4: asn:8075 is dated 9999-12-30")
            && out.stderr.contains("nothing was imported"),
        "{}",
        out.stderr
    );
    let list = kb.ok(&["list"]);
    assert!(
        list.contains("scanner") && !list.contains("192.0.2.1"),
        "{list}"
    );
    // A little ahead (a clock a few minutes fast) is taken.
    let soon = jiff::Timestamp::now() + jiff::SignedDuration::from_mins(5);
    fs::write(
        &file,
        format!(
            "{EXPORT_HEADER}{{\"op\":\"verdict\",\"key\":\"asn:8075\",\"verdict\":\"human\",\"by\":\"tanaka\",\"at\":\"{soon}\"}}\n"
        ),
    )
    .unwrap();
    kb.ok(&["import", file.to_str().unwrap()]);
    assert!(kb.ok(&["list"]).contains("human"));
}

#[test]
fn a_local_change_takes_effect_over_an_entry_dated_in_the_future() {
    // As a knowledge base that imported a far-future entry before imports
    // refused them holds it: every later local change must still take effect.
    for far in ["9999-12-30T22:00:00.999999999Z", "9998-06-01T00:00:00Z"] {
        let kb = Kb::new();
        fs::create_dir_all(&kb.dir).unwrap();
        fs::write(
            kb.dir.join("journal.jsonl"),
            format!(
                "{JOURNAL_HEADER}{{\"op\":\"verdict\",\"key\":\"asn:8075\",\"verdict\":\"human\",\"by\":\"mallory\",\"at\":\"{far}\"}}\n"
            ),
        )
        .unwrap();
        let added = kb.ok(&["add", "asn", "AS8075", "scanner"]);
        assert!(added.contains("saved"), "{added}");
        let list = kb.ok(&["list", "--kind", "asn"]);
        assert!(
            list.contains("scanner") && !list.contains("human"),
            "{far}: {list}"
        );
        // The change is shown with the time it was made, not the far date.
        let history = kb.ok(&["history", "AS8075"]);
        let line = history.lines().find(|l| l.contains("scanner")).unwrap();
        assert!(line.contains(&today()), "{far}: {history}");
        kb.ok(&["rm", "asn", "AS8075"]);
        assert!(kb.ok(&["list"]).starts_with("nothing in"), "{far}");
        kb.ok(&["compact"]);
        assert!(kb.ok(&["list"]).starts_with("nothing in"), "{far}");
        kb.ok(&["add", "asn", "AS8075", "scanner"]);
        kb.ok(&["add", "asn", "AS8075", "human"]);
        kb.ok(&["add", "asn", "AS8075", "scanner"]);
        let list = kb.ok(&["list", "--kind", "asn"]);
        assert!(list.contains("scanner"), "{far}: {list}");
    }
}

#[test]
fn rules_wider_than_any_one_network_need_allow_wide() {
    let kb = Kb::new();
    kb.ok(&["add", "asn", "AS8075", "scanner"]);
    for net in ["0.0.0.0/0", "::/0", "10.0.0.0/7", "2000::/16"] {
        let out = kb.run(&["add", "net", net, "human"]);
        assert_eq!(out.code, 1, "{net}: {}", out.stdout);
        assert!(out.stderr.contains("--allow-wide"), "{net}: {}", out.stderr);
    }
    kb.ok(&["add", "net", "17.0.0.0/8", "human"]);
    kb.ok(&["add", "net", "2003::/19", "human"]);
    let file = kb.path("theirs.jsonl");
    fs::write(
        &file,
        format!(
            "{EXPORT_HEADER}{{\"op\":\"verdict\",\"key\":\"net:0.0.0.0/0\",\"verdict\":\"human\",\"by\":\"mallory\",\"at\":\"2026-01-01T00:00:00Z\"}}\n{{\"op\":\"verdict\",\"key\":\"net:::/0\",\"verdict\":\"human\",\"by\":\"mallory\",\"at\":\"2026-01-01T00:00:00Z\"}}\n"
        ),
    )
    .unwrap();
    let out = kb.run(&["import", file.to_str().unwrap()]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stderr
            .contains("line 2: net:0.0.0.0/0 human is a rule on a network wider than /8")
            && out.stderr.contains("nothing was imported"),
        "{}",
        out.stderr
    );
    assert!(!kb.ok(&["list"]).contains("0.0.0.0/0"));
    // Two addresses of an earlier campaign, AS8075 (scanner by rule) and
    // one of no rule: the wide human rule overturns both, and says so.
    let owner = |ip: &str| {
        format!(
            "{{\"op\":\"owner\",\"key\":\"ip:{ip}\",\"owner\":{{\"asn\":8075}},\"by\":\"sato\",\"at\":\"2026-01-01T00:00:00Z\"}}\n"
        )
    };
    let seen = kb.path("seen.jsonl");
    fs::write(
        &seen,
        format!(
            "{EXPORT_HEADER}{}{}",
            owner("40.94.1.1"),
            owner("40.94.1.2")
        ),
    )
    .unwrap();
    kb.ok(&["import", seen.to_str().unwrap()]);
    let imported = kb.ok(&["import", file.to_str().unwrap(), "--allow-wide"]);
    assert!(
        imported.contains("verdict changed for 2 of the 2 networks of earlier campaigns"),
        "{imported}"
    );
    kb.ok(&["add", "net", "0.0.0.0/0", "scanner", "--allow-wide"]);
    assert!(kb.ok(&["list"]).contains("0.0.0.0/0"));
}
