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

#[allow(dead_code)]
fn exists(p: &Path) -> bool {
    p.symlink_metadata().is_ok()
}
