//! Every writer (`report -o`, `kb export`, `mmdb build --out`) writes through
//! what it should write into, made in a temporary directory (never the
//! system's files): a symlink's target is replaced and the link stays, a
//! FIFO's reader gets the data, a device node stays a device; and a failed
//! write names the path.

#![cfg(unix)]

use std::fs;
use std::io::Read;
use std::os::unix::fs::FileTypeExt;
use std::path::Path;
use std::process::{Command, Stdio};

fn whoclicked(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_whoclicked"))
        .args(args)
        .env_remove("WHOCLICKED_KB")
        .env("USER", "sato")
        .env("TZ", "UTC")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// The three writers, each writing to `out`.
fn writers(tmp: &Path, out: &str) -> Vec<Vec<String>> {
    let kb = tmp.join("kb");
    let ranges = tmp.join("ranges.csv");
    fs::write(&ranges, "8.8.8.0,8.8.8.255,15169,Google LLC\n").unwrap();
    let ok = whoclicked(&[
        "kb",
        "--kb",
        kb.to_str().unwrap(),
        "add",
        "asn",
        "8075",
        "scanner",
    ]);
    assert!(ok.status.success());
    let s = |v: &[&str]| v.iter().map(|a| a.to_string()).collect::<Vec<_>>();
    vec![
        s(&["report", "--demo", "--no-kb", "--format", "csv", "-o", out]),
        s(&["kb", "--kb", kb.to_str().unwrap(), "export", out]),
        s(&[
            "mmdb",
            "build",
            "--from",
            ranges.to_str().unwrap(),
            "--out",
            out,
        ]),
    ]
}

fn run(args: &[String]) -> std::process::Output {
    whoclicked(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

#[test]
fn a_symlink_keeps_pointing_at_its_replaced_target() {
    let tmp = tempfile::tempdir().unwrap();
    let real = tmp.path().join("real.out");
    let link = tmp.path().join("link.out");
    std::os::unix::fs::symlink("real.out", &link).unwrap();
    for args in writers(tmp.path(), link.to_str().unwrap()) {
        fs::write(&real, "old").unwrap();
        let out = run(&args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink(),
            "{args:?}"
        );
        assert_ne!(fs::read(&real).unwrap(), b"old", "{args:?}");
    }
}

#[test]
fn a_fifo_reader_gets_what_was_written() {
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("pipe");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    for args in writers(tmp.path(), fifo.to_str().unwrap()) {
        let path = fifo.clone();
        let reader = std::thread::spawn(move || {
            let mut got = Vec::new();
            fs::File::open(path).unwrap().read_to_end(&mut got).unwrap();
            got
        });
        let out = run(&args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let got = reader.join().unwrap();
        assert!(
            got.len() > 16,
            "{args:?}: the reader got {} bytes",
            got.len()
        );
        assert!(
            fs::metadata(&fifo).unwrap().file_type().is_fifo(),
            "{args:?}"
        );
    }
}

#[test]
fn a_device_node_stays_a_device() {
    if !rustix::process::geteuid().is_root() {
        eprintln!("skipped: only root can make a device node");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let null = tmp.path().join("null");
    // The null device (1, 3), made here: the system's is never touched.
    let made = Command::new("mknod")
        .arg(&null)
        .args(["c", "1", "3"])
        .status()
        .expect("mknod runs");
    assert!(made.success());
    for args in writers(tmp.path(), null.to_str().unwrap()) {
        let out = run(&args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            fs::metadata(&null).unwrap().file_type().is_char_device(),
            "{args:?}"
        );
    }
}

#[test]
fn a_failed_write_names_the_path() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("no/such/dir/out.bin");
    let missing = missing.to_str().unwrap();
    for args in writers(tmp.path(), missing) {
        let out = run(&args);
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("no/such/dir"), "{args:?}: {err}");
    }
}
