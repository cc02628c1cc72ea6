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
