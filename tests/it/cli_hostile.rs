//! The command line against awkward and hostile input (issue 16, item 11):
//! arguments, file names and data that once were taken silently or raw.

use std::path::Path;
use std::process::{Command, Output};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/report/clicks.csv"
);

/// Runs the binary with no database, knowledge base or config found by itself.
fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_whoclicked"))
        .args(args)
        .env("WHOCLICKED_NO_DEFAULT_MMDB", "1")
        .env_remove("WHOCLICKED_MMDB")
        .env_remove("WHOCLICKED_KB")
        .env_remove("WHOCLICKED_SIGNATURES")
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .env("LC_ALL", "C")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_negative_zone_needs_no_equals_sign() {
    let dir = tempfile::tempdir().unwrap();
    let spaced = run(
        dir.path(),
        &[
            "report", FIXTURE, "--no-kb", "--format", "csv", "--tz", "-12:00",
        ],
    );
    assert!(spaced.status.success(), "{}", stderr(&spaced));
    let joined = run(
        dir.path(),
        &[
            "report",
            FIXTURE,
            "--no-kb",
            "--format",
            "csv",
            "--tz=-12:00",
        ],
    );
    assert_eq!(stdout(&spaced), stdout(&joined));
    assert!(stdout(&spaced).contains("-12:00"), "{}", stdout(&spaced));
}

/// U+2028 broke the table's line and a zero-width space hid in a name: both
/// are shown as escapes, and every row of the table is as wide as the others.
#[test]
fn separators_and_invisible_characters_are_shown_in_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("clicks.csv");
    std::fs::write(
        &log,
        "time,ip,email,user_agent\n\
         2026-10-01 09:00:00,10.0.0.1,a\u{200b}lice@example.com,Evil\u{2028}Bot\u{2029}/1.0\n\
         2026-10-01 09:01:00,10.0.0.2,b\u{2028}ob@example.com,Mozilla/5.0\n",
    )
    .unwrap();
    let out = run(
        dir.path(),
        &[
            "report",
            log.to_str().unwrap(),
            "--no-kb",
            "--format",
            "table",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let table = stdout(&out);
    assert!(table.contains("b\\u{2028}ob@"), "{table}");
    assert!(table.contains("a\\u{200b}lice@"), "{table}");
    for c in ['\u{2028}', '\u{2029}', '\u{200b}'] {
        assert!(!table.contains(c), "{c:?} reached the table:\n{table}");
    }
    let rows: Vec<&str> = table.lines().filter(|l| l.contains("10.0.0.")).collect();
    assert_eq!(rows.len(), 2, "{table}");
}

/// `fe80::1%eth0` (an address with its interface) was read by `report` but
/// refused by `lookup` and `kb`: all three read it as `fe80::1`.
#[test]
fn a_zoned_ipv6_address_reads_the_same_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let kb = dir.path().join("kb");
    let kb = kb.to_str().unwrap();
    let log = dir.path().join("clicks.csv");
    std::fs::write(
        &log,
        "time,ip,email\n2026-10-01 09:00:00,fe80::1%eth0,a@example.com\n",
    )
    .unwrap();
    let report = run(
        dir.path(),
        &[
            "report",
            log.to_str().unwrap(),
            "--no-kb",
            "--format",
            "csv",
        ],
    );
    assert!(report.status.success(), "{}", stderr(&report));
    assert!(stdout(&report).contains(",fe80::1,"), "{}", stdout(&report));
    let lookup = run(dir.path(), &["lookup", "--no-kb", "fe80::1%eth0"]);
    assert!(lookup.status.success(), "{}", stderr(&lookup));
    assert!(stdout(&lookup).contains("fe80::1"), "{}", stdout(&lookup));
    let add = run(
        dir.path(),
        &[
            "kb",
            "--kb",
            kb,
            "add",
            "ip",
            "fe80::1%eth0",
            "scanner",
            "--analyst",
            "e2e",
        ],
    );
    assert!(add.status.success(), "{}", stderr(&add));
    let list = run(dir.path(), &["kb", "--kb", kb, "list"]);
    assert!(
        stdout(&list).contains("ip    fe80::1  scanner"),
        "{}",
        stdout(&list)
    );
}

/// A file name can carry escape sequences and line breaks like any log line:
/// every message naming a file shows them escaped.
#[test]
fn file_names_are_escaped_in_messages() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = "x\u{1b}]0;pwned\u{7}\ny";
    let escaped = "x\\x1b]0;pwned\\x07\\x0ay";
    let clean = |o: &Output| {
        let text = format!("{}{}", stdout(o), stderr(o));
        assert!(!text.contains('\u{1b}'), "a raw escape:\n{text:?}");
        text
    };
    // cannot read PATH
    let missing = dir.path().join(format!("{hostile}.csv"));
    let out = run(
        dir.path(),
        &["report", missing.to_str().unwrap(), "--no-kb"],
    );
    assert!(!out.status.success());
    let text = clean(&out);
    assert!(
        text.contains("cannot read /") && text.contains(&format!("{escaped}.csv: ")),
        "{text}"
    );
    // wrote … to PATH
    let report = dir.path().join(format!("{hostile}.csv"));
    let out = run(
        dir.path(),
        &["report", FIXTURE, "--no-kb", "-o", report.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        clean(&out).contains(&format!("{escaped}.csv")),
        "{}",
        stderr(&out)
    );
    // mmdb build and mmdb info
    let ranges = dir.path().join(format!("{hostile}.tsv"));
    std::fs::write(
        &ranges,
        "40.94.0.0\t40.94.255.255\t8075\tUS\tMicrosoft Corporation\n",
    )
    .unwrap();
    let db = dir.path().join(format!("{hostile}.mmdb"));
    let out = run(
        dir.path(),
        &[
            "mmdb",
            "build",
            "--build-date",
            "2026-09-01",
            "--from",
            ranges.to_str().unwrap(),
            "--out",
            db.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        clean(&out).contains(&format!("{escaped}.mmdb")),
        "{}",
        stderr(&out)
    );
    let out = run(dir.path(), &["mmdb", "info", db.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        clean(&out).contains(&format!("{escaped}.mmdb")),
        "{}",
        stdout(&out)
    );
    // lookup's list of sources
    let out = run(
        dir.path(),
        &[
            "lookup",
            "--no-kb",
            "--mmdb",
            db.to_str().unwrap(),
            "40.94.1.1",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        clean(&out).contains(&format!("{escaped}.mmdb")),
        "{}",
        stdout(&out)
    );
}

/// A bad line of `lookup`'s input is quoted by its start, escaped, not whole.
#[test]
fn lookup_quotes_only_the_start_of_a_long_bad_line() {
    use std::io::Write;
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_whoclicked"))
        .args(["lookup", "--no-kb"])
        .env("WHOCLICKED_NO_DEFAULT_MMDB", "1")
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        stdin.write_all(b"10.0.0.1\n").unwrap();
        stdin.write_all(&vec![b'z'; 1 << 20]).unwrap();
        stdin.write_all(b"\x1b[2J\n10.0.0.2\n").unwrap();
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let err = stderr(&out);
    assert!(!out.status.success());
    assert!(err.len() < 1000, "{} bytes of messages", err.len());
    assert!(err.contains("line 2: \"zzzz"), "{err}");
    assert!(err.contains("1 input(s) were not IP addresses"), "{err}");
    assert!(stdout(&out).contains("10.0.0.2"), "{}", stdout(&out));
}

/// `lookup` reads, looks up and writes in batches: across a batch boundary the
/// order is kept, a bad line is still named by its number, and a reader that
/// closes the pipe early ends it quietly.
#[test]
fn lookup_streams_in_order_across_batches() {
    use std::io::Write;
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    let spawn = |json: bool| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_whoclicked"));
        command.args(["lookup", "--no-kb"]);
        if json {
            command.arg("--json");
        }
        command
            .env("WHOCLICKED_NO_DEFAULT_MMDB", "1")
            .env("XDG_CONFIG_HOME", dir.path().join("config"))
            .env("XDG_DATA_HOME", dir.path().join("data"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let mut input = String::new();
    for n in 0..10_000u32 {
        if n == 9_000 {
            input.push_str("not-an-ip\n");
        }
        input.push_str(&format!("10.{}.{}.1\n", n / 256, n % 256));
    }
    let mut child = spawn(true);
    let mut stdin = child.stdin.take().unwrap();
    let text = input.clone();
    let writer = std::thread::spawn(move || stdin.write_all(text.as_bytes()).unwrap());
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let err = stderr(&out);
    assert!(err.contains("line 9001: \"not-an-ip\""), "{err}");
    let inputs: Vec<String> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["input"].to_string())
        .collect();
    assert_eq!(inputs.len(), 10_000);
    for (n, input) in inputs.iter().enumerate() {
        assert_eq!(*input, format!("\"10.{}.{}.1\"", n / 256, n % 256));
    }

    // The table output closes its reader's pipe after one line: quiet, exit 0.
    let mut child = spawn(false);
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout_pipe = child.stdout.take().unwrap();
    let writer = std::thread::spawn(move || {
        // The command may stop reading once its output is gone.
        let _ = stdin.write_all(input.as_bytes());
    });
    let mut first = [0u8; 2];
    std::io::Read::read_exact(&mut stdout_pipe, &mut first).unwrap();
    drop(stdout_pipe);
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert!(
        out.status.success() || stderr(&out).contains("not IP"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("Broken pipe"), "{}", stderr(&out));
}

/// A database that opens but fails `mmdb info`'s full check was used by
/// `report` and `lookup` without a word.
#[test]
fn a_database_that_fails_its_integrity_check_is_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let damaged = dir.path().join("damaged.mmdb");
    std::fs::write(&damaged, whoclicked::owner::damaged_database_for_tests()).unwrap();
    let damaged = damaged.to_str().unwrap();
    let warning = "damaged.mmdb failed its integrity check";

    let report = run(
        dir.path(),
        &[
            "--mmdb", damaged, "report", FIXTURE, "--no-kb", "--format", "csv",
        ],
    );
    assert!(report.status.success(), "{}", stderr(&report));
    assert_eq!(
        stderr(&report).matches(warning).count(),
        1,
        "{}",
        stderr(&report)
    );

    // Remembered from the first check; said again every time it is used.
    let lookup = run(
        dir.path(),
        &["--mmdb", damaged, "lookup", "--no-kb", "11.1.0.5"],
    );
    assert!(stdout(&lookup).contains("AS64500"), "{}", stdout(&lookup));
    assert_eq!(
        stderr(&lookup).matches(warning).count(),
        1,
        "{}",
        stderr(&lookup)
    );

    // `mmdb info`'s own check is remembered for the commands that follow.
    let copy = dir.path().join("copy.mmdb");
    std::fs::copy(damaged, &copy).unwrap();
    let info = run(dir.path(), &["mmdb", "info", copy.to_str().unwrap()]);
    assert!(
        stdout(&info).contains("integrity:     FAILED"),
        "{}",
        stdout(&info)
    );
    let memo =
        std::fs::read_to_string(dir.path().join("cache/whoclicked/mmdb-checked.jsonl")).unwrap();
    assert!(memo.contains("copy.mmdb"), "{memo}");

    // A whole database: no warning.
    let whole = dir.path().join("whole.mmdb");
    std::fs::write(&whole, whoclicked::demo::ASN_DATABASE).unwrap();
    let report = run(
        dir.path(),
        &[
            "--mmdb",
            whole.to_str().unwrap(),
            "report",
            FIXTURE,
            "--no-kb",
            "--format",
            "csv",
        ],
    );
    assert!(report.status.success(), "{}", stderr(&report));
    assert!(
        !stderr(&report).contains("integrity"),
        "{}",
        stderr(&report)
    );
}
