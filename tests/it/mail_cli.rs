//! `whoclicked headers` through the binary: files of every kind (.eml,
//! Outlook .msg built with cfb, mbox, pasted on stdin), owners from the
//! databases and the knowledge base, --tz, JSON and CSV, and bad input.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::support::mmdb::asn_db;

/// A temporary home for one test: its knowledge base and files.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Home {
        let home = Home {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        std::fs::write(home.path("asn.mmdb"), asn_db()).unwrap();
        home
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn command(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_whoclicked"));
        cmd.env("WHOCLICKED_KB", self.path("kb"))
            .env("WHOCLICKED_NO_DEFAULT_MMDB", "1")
            .env_remove("WHOCLICKED_MMDB")
            .env("LC_ALL", "C")
            .arg("--mmdb")
            .arg(self.path("asn.mmdb"));
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().expect("run whoclicked")
    }

    fn run_stdin(&self, args: &[&str], input: &[u8]) -> Output {
        let mut child = self
            .command()
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        child.stdin.take().unwrap().write_all(input).unwrap();
        child.wait_with_output().expect("wait")
    }

    fn write(&self, name: &str, bytes: &[u8]) -> String {
        let path = self.path(name);
        std::fs::write(&path, bytes).unwrap();
        path.to_str().unwrap().to_string()
    }
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/mail")
        .join(name)
        .to_str()
        .unwrap()
        .to_string()
}

/// A client on a Rakuten Mobile address (in the test ASN database) sending
/// through Gmail with authenticated SMTP.
const PHONE: &str = "Received: from mail-sor-f41.google.com (mail-sor-f41.google.com. [209.85.220.41])\n\
\tby mx.google.com with SMTPS id q12sor;\n\tWed, 04 Mar 2026 01:02:04 +0000\n\
Received: from [10.0.0.2] ([133.106.40.7])\n\tby smtp.gmail.com with ESMTPSA id w4sm;\n\tWed, 04 Mar 2026 01:02:03 +0000\n\
From: taro@example.co.jp\nSubject: invoice\nMessage-ID: <x1@example.co.jp>\n\nbody\n";

#[test]
fn verdict_first_with_owner_and_zone() {
    let home = Home::new();
    let file = home.write("phone.eml", PHONE.as_bytes());
    let o = home.run(&["headers", "--tz", "+09:00", &file]);
    assert!(o.status.success(), "{}", err(&o));
    let text = out(&o);
    let second = text.lines().nth(1).unwrap();
    assert_eq!(
        second,
        "The sending client was 133.106.40.7 (AS138384 Rakuten Mobile, Inc.), recorded by smtp.gmail.com at 2026-03-04 10:02:03 +09:00 (authenticated SMTP)."
    );
    assert!(text.contains("HOP  FROM"), "{text}");
}

#[test]
fn stdin_paste_and_looked_up_owners_stock_the_knowledge_base() {
    let home = Home::new();
    let quoted: String = PHONE.lines().map(|l| format!("> {l}\r\n")).collect();
    let o = home.run_stdin(&["headers", "--tz", "UTC", "-"], quoted.as_bytes());
    assert!(o.status.success(), "{}", err(&o));
    assert!(out(&o).contains("== standard input"), "{}", out(&o));
    assert!(
        out(&o).contains("The sending client was 133.106.40.7"),
        "{}",
        out(&o)
    );
    // The owner cache now answers without the database.
    let o = Command::new(env!("CARGO_BIN_EXE_whoclicked"))
        .env("WHOCLICKED_KB", home.path("kb"))
        .env("WHOCLICKED_NO_DEFAULT_MMDB", "1")
        .env_remove("WHOCLICKED_MMDB")
        .args(["lookup", "--json", "133.106.40.7"])
        .output()
        .unwrap();
    assert!(out(&o).contains("\"asn\":138384"), "{}{}", out(&o), err(&o));
}

#[test]
fn a_kb_note_shows_and_can_mark_a_network_trusted() {
    let home = Home::new();
    let file = home.write("phone.eml", PHONE.as_bytes());
    let o = home.run(&["kb", "note", "133.106.40.0/24", "attacker VPN exit"]);
    assert!(o.status.success(), "{}", err(&o));
    let o = home.run(&["headers", "--tz", "UTC", &file]);
    assert!(
        out(&o).contains("note \"attacker VPN exit\""),
        "{}",
        out(&o)
    );
    // A note calling it ours makes the walk trust it (and go below).
    let o = home.run(&["kb", "note", "133.106.40.0/24", "our branch office"]);
    assert!(o.status.success(), "{}", err(&o));
    let o = home.run(&["headers", "--format", "json", &file]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let hop = &json["messages"][0]["hops"][0];
    assert_eq!(hop["class"], "provider", "{hop}");
    assert_eq!(json["messages"][0]["verdict"]["kind"], "inside");
}

#[test]
fn json_has_every_hop_owner_flag_and_verdict() {
    let home = Home::new();
    let file = home.write("phone.eml", PHONE.as_bytes());
    let o = home.run(&[
        "headers",
        "--format",
        "json",
        "--tz",
        "Asia/Tokyo",
        &file,
        &fixture("forged-below-webmail.eml"),
    ]);
    assert!(o.status.success(), "{}", err(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let m = &json["messages"][0];
    assert_eq!(m["verdict"]["kind"], "client");
    assert_eq!(m["verdict"]["how"], "authenticated-smtp");
    assert_eq!(m["origin"], "133.106.40.7");
    assert_eq!(m["origin_owner"]["asn"], 138384);
    assert_eq!(m["hops"][0]["time_local"], "2026-03-04 10:02:03 +09:00");
    assert_eq!(m["hops"][1]["delay_seconds"], 1);
    assert!(
        m["sentence"]
            .as_str()
            .unwrap()
            .starts_with("The sending client was")
    );
    let forged = &json["messages"][1];
    assert_eq!(forged["verdict"]["kind"], "not-in-headers");
    assert_eq!(forged["hops"][0]["status"], "forged");
    assert_eq!(forged["hops"][0]["flags"][0]["code"], "below-submission");
    assert_eq!(json["origins"][0]["ip"], "133.106.40.7");
    assert_eq!(json["zone"], "Asia/Tokyo");
}

#[test]
fn csv_is_one_row_per_hop_with_formulas_guarded() {
    let home = Home::new();
    let hostile = "Received: =HYPERLINK(\"http://x.example\") from a (a [192.0.2.1]) by mx.example.net with ESMTP; Wed, 04 Mar 2026 01:02:03 +0000\nSubject: x\n";
    let file = home.write("hostile.eml", hostile.as_bytes());
    let o = home.run(&[
        "headers",
        "--format",
        "csv",
        &file,
        &fixture("gmail-web.eml"),
    ]);
    assert!(o.status.success(), "{}", err(&o));
    let text = out(&o);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1 + 3, "{text}");
    assert!(rows[0][18].starts_with("'=HYPERLINK"), "{text}");
    assert_eq!(&rows[1][1], "not-in-headers");
}

#[test]
fn escape_sequences_never_reach_the_terminal() {
    let home = Home::new();
    let file = home.write(
        "esc.eml",
        b"Received: from \x1b]0;pwned\x07host (host [192.0.2.1]) by mx.example.net with ESMTP; Wed, 04 Mar 2026 01:02:03 +0000\nSubject: \x1b[2J\n",
    );
    let o = home.run(&["headers", &file]);
    assert!(o.status.success(), "{}", err(&o));
    let text = out(&o);
    assert!(!text.contains('\x1b'), "{text:?}");
    assert!(text.contains("\\x1b[2J"), "{text}");
}

/// An Outlook .msg with the transport headers as UTF-16LE (or none).
fn msg_file(headers: Option<&str>) -> Vec<u8> {
    let mut file = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    {
        let mut subject = file.create_stream("/__substg1.0_0037001F").unwrap();
        subject.write_all(&utf16("invoice")).unwrap();
    }
    if let Some(text) = headers {
        let mut stream = file.create_stream("/__substg1.0_007D001F").unwrap();
        stream.write_all(&utf16(text)).unwrap();
    }
    file.flush().unwrap();
    file.into_inner().into_inner()
}

fn utf16(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

#[test]
fn outlook_msg_header_stream_and_msg_without_headers() {
    let home = Home::new();
    let crlf = PHONE.replace('\n', "\r\n");
    let with = home.write("sent.msg", &msg_file(Some(&crlf)));
    let o = home.run(&["headers", "--tz", "UTC", &with]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(
        out(&o).contains("sent.msg (transport headers)"),
        "{}",
        out(&o)
    );
    assert!(
        out(&o).contains("The sending client was 133.106.40.7"),
        "{}",
        out(&o)
    );

    let without = home.write("draft.msg", &msg_file(None));
    let o = home.run(&["headers", &without]);
    assert!(!o.status.success());
    let e = err(&o);
    assert!(
        e.contains("draft.msg: Outlook .msg: no transport headers"),
        "{e}"
    );
    assert!(e.contains("recipient's copy"), "{e}");
}

#[test]
fn bad_inputs_name_file_and_line_and_the_rest_is_analysed() {
    let home = Home::new();
    let empty = home.write("empty.eml", b"");
    let binary = home.write("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00");
    let prose = home.write("notes.txt", b"Dear team,\nplease find the mail below.\n");
    let cut = home.write(
        "cut.eml",
        b"Subject: x\nReceived: from a (a [192.0.2.1])\n by b (Postfix\n",
    );
    let good = fixture("postfix.eml");
    let o = home.run(&["headers", &empty, &binary, &prose, &cut, &good]);
    assert!(!o.status.success());
    let e = err(&o);
    assert!(e.contains("empty.eml: the file is empty"), "{e}");
    assert!(e.contains("photo.jpg: binary data"), "{e}");
    assert!(
        e.contains("notes.txt: line 1: not a mail header: \"Dear team,\""),
        "{e}"
    );
    assert!(e.contains("3 of 5 file(s) could not be read"), "{e}");
    let text = out(&o);
    assert!(text.contains("cut.eml"), "{text}");
    assert!(
        text.contains("line 2: Received ends inside a parenthesis"),
        "{text}"
    );
    assert!(text.contains("postfix.eml"), "{text}");
    assert!(text.contains("== Origins of 2 messages"), "{text}");
}

#[test]
fn a_mail_given_as_a_campaign_log_points_to_headers() {
    let home = Home::new();
    let pasted = home.write("forwarded.txt", PHONE.as_bytes());
    // The review screen opens mails (one row per hop); `report` does not.
    for args in [
        vec!["report".to_string(), fixture("postfix.eml")],
        vec!["report".to_string(), pasted.clone()],
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = home.run(&args);
        assert!(!o.status.success());
        let e = err(&o);
        assert!(
            e.contains("is a mail, not a campaign log: `whoclicked headers "),
            "{e}"
        );
    }
}

#[test]
fn mails_and_campaign_logs_together_are_refused_before_the_screen() {
    let home = Home::new();
    let log = home.write(
        "campaign.csv",
        b"time,ip,recipient\n2026-10-01 09:00:00,192.0.2.1,a@example.jp\n",
    );
    let mail = fixture("postfix.eml");
    let o = home.run(&[mail.as_str(), log.as_str()]);
    assert!(!o.status.success());
    let e = err(&o);
    assert!(e.contains("mails and campaign logs given together"), "{e}");
}

#[test]
fn subject_and_sender_are_shown_decoded_in_every_output() {
    // Japanese mail writes both as RFC 2047 words, often in ISO-2022-JP.
    let home = Home::new();
    let mail = home.write(
        "jp.eml",
        b"Received: from a.example (a.example [198.51.100.7]) by mx.example with ESMTPS; Tue, 4 Mar 2025 01:02:03 +0000\r\n\
From: =?ISO-2022-JP?B?GyRCOzNFRBsoQg==?= <taro@example.co.jp>\r\n\
Subject: =?UTF-8?B?44CQ6Iez5oCl44CR6KuL5rGC5pu4?=\r\n\
Message-ID: <1@a.example>\r\n\r\nbody\r\n",
    );
    let out = home.run(&["headers", &mail]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Subject: 【至急】請求書"), "{text}");
    assert!(text.contains("From: 山田 <taro@example.co.jp>"), "{text}");
    let out = home.run(&["headers", "--format", "json", &mail]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = json.to_string();
    assert!(text.contains("【至急】請求書"), "{text}");
}
