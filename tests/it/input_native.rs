//! The native CSV reader through the public API: column aliases, encodings,
//! delimiters, extras, delivery rows and how bad rows are reported.

use std::io::Write;
use std::path::PathBuf;

use whoclicked::input::{LoadError, LoadOptions, LoadProgress, load, read_into};
use whoclicked::model::{Campaign, Event, LogFormat, ReadIssue, parse_zone};

fn tokyo() -> LoadOptions {
    LoadOptions {
        zone: parse_zone("Asia/Tokyo").unwrap(),
        ..LoadOptions::default()
    }
}

fn read_bytes(bytes: &[u8], options: &LoadOptions) -> (Campaign, Result<(), LoadError>) {
    let mut c = Campaign::new();
    let r = read_into(&mut c, "t.csv", bytes, options, &LoadProgress::default());
    (c, r)
}

fn read(text: &str) -> Campaign {
    let (c, r) = read_bytes(text.as_bytes(), &tokyo());
    r.unwrap();
    c
}

fn time(c: &Campaign, i: usize) -> String {
    c.accesses[i].time.to_string()
}

fn issue(line: u64, field: Option<&str>, reason: &str) -> ReadIssue {
    ReadIssue {
        file: 0,
        line,
        field: field.map(str::to_string),
        reason: reason.to_string(),
    }
}

#[test]
fn reads_a_plain_native_csv() {
    let c = read(
        "time,ip,email,user_agent,screen,event,method\n\
         2026-10-01 09:05:03,203.0.113.9,alice@example.com,Mozilla/5.0,390x844,click,get\n\
         2026-10-01T00:06:00Z,2001:db8::1,bob@example.com,curl/8.0,,open,\n",
    );
    assert_eq!(c.files[0].format, LogFormat::Native);
    assert_eq!(c.files[0].encoding, "UTF-8");
    assert_eq!(
        (c.files[0].rows, c.files[0].accesses, c.files[0].skipped),
        (2, 2, 0)
    );
    assert!(c.issues.is_empty(), "{:?}", c.issues);
    let a = &c.accesses[0];
    assert_eq!(time(&c, 0), "2026-10-01T00:05:03Z");
    assert_eq!(c.ip(a.ip).to_string(), "203.0.113.9");
    assert_eq!(c.recipient_name(a), "alice@example.com");
    assert_eq!(c.user_agent(a.user_agent), "Mozilla/5.0");
    assert_eq!(a.screen.map(|s| s.to_string()).as_deref(), Some("390x844"));
    assert_eq!(c.strings.get(a.method), "GET");
    assert_eq!((a.row, a.line, a.event), (1, 2, Event::Click));
    let b = &c.accesses[1];
    assert_eq!(
        (b.row, b.line, b.event, b.screen),
        (2, 3, Event::Open, None)
    );
    assert!(b.method.is_empty());
}

#[test]
fn finds_columns_by_alias_and_keeps_unknown_ones() {
    let c = read(
        "Clicked At;Client IP;E-Mail;RID;UA;Screen Width;Screen Height;Department;Note\n\
         2026/10/1 9:05;10.1.2.3;'=carol@example.com;Uep6fAo;Safari;1536;864;経理部;'@hello\n",
    );
    let a = &c.accesses[0];
    assert_eq!(time(&c, 0), "2026-10-01T00:05:00Z");
    assert_eq!(c.recipient_name(a), "=carol@example.com");
    let r = a.recipient().unwrap();
    assert_eq!(c.strings.get(c.recipient(r).rid), "Uep6fAo");
    assert_eq!(c.find_recipient("Uep6fAo"), Some(r));
    assert_eq!(a.screen.unwrap().to_string(), "1536x864");
    let extras: Vec<_> = c.extras(a).collect();
    assert_eq!(extras, vec![("Department", "経理部"), ("Note", "@hello")]);
}

#[test]
fn reads_shift_jis_with_japanese_headers() {
    let text = "アクセス日時,接続元IP,社員番号,ユーザーエージェント,画面サイズ,部署\r\n\
                2026/10/1 9:05,198.51.100.7,A-1001,Mozilla/5.0 (iPhone),390×844,営業部\r\n\
                2026/10/01 21:14:05,198.51.100.8,A-1002,Mozilla/5.0,1920x1080,ソフト開発部\r\n";
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!unmappable);
    let (c, r) = read_bytes(&bytes, &tokyo());
    r.unwrap();
    assert_eq!(c.files[0].encoding, "Shift_JIS");
    assert!(c.issues.is_empty(), "{:?}", c.issues);
    assert_eq!(c.accesses.len(), 2);
    assert_eq!(c.recipient_name(&c.accesses[0]), "A-1001");
    assert_eq!(c.accesses[0].screen.unwrap().to_string(), "390x844");
    assert_eq!(time(&c, 1), "2026-10-01T12:14:05Z");
    let extras: Vec<_> = c.extras(&c.accesses[1]).collect();
    assert_eq!(extras, vec![("部署", "ソフト開発部")]);
    // Named explicitly, the same bytes read the same.
    let options = LoadOptions {
        encoding: whoclicked::input::parse_encoding("cp932"),
        ..tokyo()
    };
    let (c2, r) = read_bytes(&bytes, &options);
    r.unwrap();
    assert_eq!(c2.recipient_name(&c2.accesses[1]), "A-1002");
}

#[test]
fn reads_tabs_and_a_bom() {
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend_from_slice(
        "日時\tIPアドレス\tメールアドレス\n2026-10-01 09:00:00\t10.0.0.1\ta@x.jp\n".as_bytes(),
    );
    let (c, r) = read_bytes(&bytes, &tokyo());
    r.unwrap();
    assert_eq!(c.accesses.len(), 1);
    assert_eq!(c.recipient_name(&c.accesses[0]), "a@x.jp");
    assert_eq!(time(&c, 0), "2026-10-01T00:00:00Z");
}

#[test]
fn epoch_and_split_date_time_columns() {
    let c = read("日付,時刻,ip\n2026/10/01,9:05:00,10.0.0.1\n2026/10/02,21:00,10.0.0.2\n");
    assert_eq!(time(&c, 0), "2026-10-01T00:05:00Z");
    assert_eq!(time(&c, 1), "2026-10-02T12:00:00Z");
    let c = read("timestamp,ip\n1790000000,10.0.0.1\n1790000000250,10.0.0.1\n");
    assert_eq!(time(&c, 0), "2026-09-21T14:13:20Z");
    assert_eq!(time(&c, 1), "2026-09-21T14:13:20.25Z");
}

#[test]
fn delivery_rows_and_columns_fill_recipients() {
    let c = read(
        "time,ip,email,event,sent_at\n\
         2026-10-01 09:00:00,,alice@example.com,sent,\n\
         ,,bob@example.com,,2026-10-01 09:00:30\n\
         2026-10-01 09:00:10,,carol@example.com,bounce,\n\
         2026-10-01 09:01:00,40.94.0.1,alice@example.com,click,2026-10-01 08:59:00\n\
         2026-10-01 10:00:00,10.0.0.5,bob@example.com,report,\n",
    );
    assert_eq!(c.accesses.len(), 2, "{:?}", c.issues);
    assert!(c.issues.is_empty(), "{:?}", c.issues);
    let alice = c.recipient(c.find_recipient("alice@example.com").unwrap());
    assert!(alice.delivered);
    // The earliest of the two delivery times counts.
    assert_eq!(alice.sent_at.unwrap().to_string(), "2026-09-30T23:59:00Z");
    let bob = c.recipient(c.find_recipient("bob@example.com").unwrap());
    assert_eq!(bob.sent_at.unwrap().to_string(), "2026-10-01T00:00:30Z");
    assert_eq!(bob.reports, 1);
    let carol = c.recipient(c.find_recipient("carol@example.com").unwrap());
    assert_eq!((carol.send_errors, carol.delivered), (1, false));
    assert_eq!(c.accesses[1].event, Event::Report);
    assert_eq!(c.seconds_after_sent(&c.accesses[0]), Some(120.0));
}

#[test]
fn bad_rows_are_reported_exactly_and_skipped() {
    let c = read(
        "time,ip,email,screen,event\n\
         2026-10-01 09:00:00,10.0.0.1,a@x,1920x1080,click\n\
         yesterday,10.0.0.2,b@x,,click\n\
         2026-10-01 09:00:02,10.0.0.999,c@x,,click\n\
         2026-10-01 09:00:03,10.0.0.4,d@x,huge,click\n\
         2026-10-01 09:00:04,10.0.0.5,e@x\n\
         \"2026-10-01 09:00:05\",10.0.0.6,\"multi\nline\",,teleport\n\
         ,,,,\n\
         2026-10-01 09:00:07,10.0.0.7,g@x,,\n\
         2026-10-01 09:00:08,10.0.0.7,g@x,,\n\
         2026-10-01 09:00:09,10.0.0.7,g@x,,\n",
    );
    assert_eq!(
        c.issues,
        vec![
            issue(
                3,
                Some("time"),
                "\"yesterday\" is not a date and time (expected e.g. 2026-10-01 09:05:00, \
                 2026/10/1 9:05, RFC 3339, or epoch seconds)"
            ),
            issue(4, Some("ip"), "\"10.0.0.999\" is not an IP address"),
            issue(
                5,
                Some("screen"),
                "\"huge\" is not a plausible screen size (expected WIDTHxHEIGHT, e.g. 1920x1080); left blank"
            ),
            issue(6, None, "the row has 3 fields but the header has 5"),
            issue(
                7,
                Some("event"),
                "\"teleport\" is not an event whoclicked knows (click, open, submit, report, sent, error)"
            ),
        ]
    );
    let f = &c.files[0];
    // Ten data rows, one of them blank; the bad screen kept its access.
    assert_eq!((f.rows, f.accesses, f.skipped), (10, 5, 4));
    let rows: Vec<(u32, u32)> = c.accesses.iter().map(|a| (a.row, a.line)).collect();
    assert_eq!(rows, vec![(1, 2), (4, 5), (8, 10), (9, 11), (10, 12)]);
    assert_eq!(c.accesses[1].screen, None);
}

#[test]
fn a_file_whose_rows_mostly_fail_is_unreadable() {
    let mut text = String::from("time,ip\n");
    for i in 0..10 {
        text.push_str(&format!("foo{i},10.0.0.1\n"));
    }
    text.push_str("2026-10-01 09:00:00,10.0.0.1\n");
    let (_, r) = read_bytes(text.as_bytes(), &tokyo());
    let err = r.unwrap_err();
    assert!(matches!(
        err,
        LoadError::Unreadable {
            format: LogFormat::Native,
            ..
        }
    ));
    assert_eq!(
        err.to_string(),
        "t.csv: read as native CSV: 10 of 11 rows failed; 10 of them in the `time` column, \
         e.g. line 2: \"foo0\" is not a date and time (expected e.g. 2026-10-01 09:05:00, \
         2026/10/1 9:05, RFC 3339, or epoch seconds)"
    );
}

#[test]
fn missing_columns_name_what_each_format_expected() {
    let (_, r) = read_bytes(b"when,who\n1,2\n", &tokyo());
    let msg = r.unwrap_err().to_string();
    assert!(
        msg.starts_with("t.csv: not a log whoclicked can read: the first line is \"when,who\""),
        "{msg}"
    );
    assert!(msg.contains("no column named time (or timestamp"), "{msg}");
    assert!(
        msg.contains("campaign_id,email,time,message,details"),
        "{msg}"
    );
    // With the format forced, the native reader says what it missed.
    let options = LoadOptions {
        format: Some(LogFormat::Native),
        ..tokyo()
    };
    let (_, r) = read_bytes(b"time,who\n1,2\n", &options);
    let msg = r.unwrap_err().to_string();
    assert!(
        msg.starts_with("t.csv: read as native CSV: no column named ip"),
        "{msg}"
    );
    assert!(msg.ends_with("the header was \"time,who\""), "{msg}");
}

#[test]
fn header_only_and_empty_files_load_empty() {
    let c = read("time,ip,email\n");
    assert_eq!((c.files[0].rows, c.accesses.len()), (0, 0));
    let (c, r) = read_bytes(b"", &tokyo());
    r.unwrap();
    assert_eq!(c.issues[0].reason, "the file is empty");
}

#[test]
fn several_files_are_one_campaign_in_time_order() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| -> PathBuf {
        let path = dir.path().join(name);
        std::fs::File::create(&path)
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        path
    };
    let newer = write(
        "b.csv",
        "time,ip,email\n2026-10-02 09:00:00,10.0.0.2,alice@x\n",
    );
    let older = write(
        "a.csv",
        "datetime,source_ip,mail,dept\n2026-10-01 09:00:00,10.0.0.1,alice@x,HR\n",
    );
    let progress = LoadProgress::default();
    let c = load(&[newer.clone(), older], &tokyo(), &progress).unwrap();
    assert_eq!(c.files.len(), 2);
    assert_eq!(c.recipients.len(), 1);
    assert_eq!(c.accesses.len(), 2);
    assert_eq!((c.accesses[0].file, c.accesses[1].file), (1, 0));
    assert_eq!(
        c.extras(&c.accesses[0]).collect::<Vec<_>>(),
        vec![("dept", "HR")]
    );
    assert_eq!(c.extras(&c.accesses[1]).count(), 0);
    let total = progress
        .total_bytes
        .load(std::sync::atomic::Ordering::Relaxed);
    assert_eq!(
        total,
        progress
            .bytes_read
            .load(std::sync::atomic::Ordering::Relaxed)
    );
    assert_eq!(progress.rows.load(std::sync::atomic::Ordering::Relaxed), 2);

    let missing = dir.path().join("nope.csv");
    let err = load(&[newer, missing], &tokyo(), &progress).unwrap_err();
    assert!(matches!(err, LoadError::Io { .. }));
    assert!(err.to_string().contains("nope.csv"), "{err}");
}

#[test]
fn cancel_stops_the_load() {
    let mut text = String::from("time,ip\n");
    for _ in 0..10_000 {
        text.push_str("2026-10-01 09:00:00,10.0.0.1\n");
    }
    let progress = LoadProgress::default();
    progress
        .cancel
        .store(true, std::sync::atomic::Ordering::Relaxed);
    let mut c = Campaign::new();
    let err = read_into(&mut c, "-", text.as_bytes(), &tokyo(), &progress).unwrap_err();
    assert!(matches!(err, LoadError::Cancelled));
}

#[test]
fn reads_excel_unicode_text() {
    let text = "アクセス日時\t接続元IP\tメールアドレス\r\n2026/10/1 9:05\t10.0.0.1\ta@x.jp\r\n";
    let mut bytes = vec![0xff, 0xfe];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let progress = LoadProgress::default();
    let mut c = Campaign::new();
    read_into(&mut c, "u.txt", &bytes[..], &tokyo(), &progress).unwrap();
    assert_eq!(c.files[0].encoding, "UTF-16LE");
    assert!(c.issues.is_empty(), "{:?}", c.issues);
    assert_eq!(c.recipient_name(&c.accesses[0]), "a@x.jp");
    assert_eq!(c.accesses[0].line, 2);
    assert_eq!(time(&c, 0), "2026-10-01T00:05:00Z");
    // Progress counts the file's own bytes, not the converted ones.
    assert_eq!(
        progress
            .bytes_read
            .load(std::sync::atomic::Ordering::Relaxed),
        bytes.len() as u64
    );
}

#[test]
fn skips_a_title_above_the_header() {
    let c = read(
        "標的型メール訓練 クリック記録\n\ntime,ip,email\n\
         2026-10-01 09:00:00,10.0.0.1,a@x\n\
         2026-10-01 09:00:01,bad,b@x\n",
    );
    assert_eq!(
        c.issues,
        vec![
            issue(
                3,
                None,
                "the header is on line 3; the 1 line(s) above it were skipped"
            ),
            issue(5, Some("ip"), "\"bad\" is not an IP address"),
        ]
    );
    assert_eq!((c.accesses[0].row, c.accesses[0].line), (1, 4));
    assert_eq!(c.files[0].rows, 2);
}

#[test]
fn shift_jis_that_starts_late_is_still_read() {
    let mut text = String::from("time,ip,dept\n");
    for _ in 0..3000 {
        text.push_str("2026-10-01 09:00:00,10.0.0.1,sales-and-marketing-division\n");
    }
    text.push_str("2026-10-01 10:00:00,10.0.0.2,経理部\n");
    let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
    assert!(bytes.len() > 64 * 1024);
    let (c, r) = read_bytes(&bytes, &tokyo());
    r.unwrap();
    assert_eq!(c.files[0].encoding, "Shift_JIS");
    let last = c.accesses.last().unwrap();
    assert_eq!(c.extras(last).collect::<Vec<_>>(), vec![("dept", "経理部")]);
    assert_eq!(
        c.issues,
        vec![issue(
            3002,
            None,
            "the start of the file is plain ASCII; text from this line on reads as Shift_JIS"
        )]
    );
}

#[test]
fn a_forwarded_for_column_names_the_client_behind_the_site_s_proxy() {
    let c = read(
        "time,ip,email,X-Forwarded-For\n\
         2026-11-10 09:00:00,10.0.0.5,a@example.jp,\"203.0.113.50, 10.0.0.9\"\n\
         2026-11-10 09:00:01,10.0.0.5,b@example.jp,\n\
         2026-11-10 09:00:02,192.0.2.9,c@example.jp,10.1.1.1\n",
    );
    let ips: Vec<String> = c
        .accesses
        .iter()
        .map(|a| c.ips[a.ip.index()].to_string())
        .collect();
    assert_eq!(ips, ["203.0.113.50", "10.0.0.5", "192.0.2.9"]);
    // The column itself stays beside the access.
    let extras: Vec<_> = c.extras(&c.accesses[0]).collect();
    assert_eq!(extras, vec![("X-Forwarded-For", "203.0.113.50, 10.0.0.9")]);
}
