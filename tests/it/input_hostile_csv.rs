//! Hostile CSV (issue 16): a quote left open must not swallow the rest of a
//! file, and a field cannot grow without bound.

use whoclicked::input::{LoadError, LoadOptions, LoadProgress, read_into};
use whoclicked::model::{Campaign, parse_zone};

use crate::support::logs::native_csv;

fn read_bytes(bytes: &[u8]) -> (Campaign, Result<(), LoadError>) {
    let options = LoadOptions {
        zone: parse_zone("Asia/Tokyo").unwrap(),
        ..LoadOptions::default()
    };
    let mut c = Campaign::new();
    let r = read_into(&mut c, "t.csv", bytes, &options, &LoadProgress::default());
    (c, r)
}

/// The file's rows, accesses and skipped rows.
fn counts(c: &Campaign) -> (u64, u64, u64) {
    let f = &c.files[0];
    (f.rows, f.accesses, f.skipped)
}

/// `rows` plain native rows (no quotes), numbered from `from`.
fn plain_rows(from: usize, rows: usize) -> String {
    (from..from + rows)
        .map(|i| {
            format!(
                "2026-10-01 09:{:02}:{:02},10.0.{}.{},u{i}@example.com,Mozilla/5.0\n",
                i / 60 % 60,
                i % 60,
                i / 250,
                i % 250 + 1
            )
        })
        .collect()
}

/// The reported case: `"Moz` left open on the first row, then 1,000 good rows.
#[test]
fn an_unclosed_quote_costs_its_own_row_only() {
    let text = format!(
        "time,ip,email,user_agent\n2026-10-01 09:00:00,10.9.9.9,x@example.com,\"Moz\n{}",
        plain_rows(0, 1_000)
    );
    let (c, r) = read_bytes(text.as_bytes());
    r.unwrap();
    assert_eq!(counts(&c), (1_001, 1_000, 1));
    let longest = c
        .accesses
        .iter()
        .map(|a| c.user_agent(a.user_agent).len())
        .max();
    assert_eq!(longest, Some("Mozilla/5.0".len()));
    assert_eq!(c.issues.len(), 1, "{:?}", c.issues);
    let issue = &c.issues[0];
    assert_eq!(issue.line, 2);
    assert_eq!(
        issue.reason,
        "a quote opened on this line is never closed (the 1,000 line(s) after it would have \
         been one field); the line was skipped and the lines after it read as rows"
    );
}

/// A quote that a later one closes makes a row of the wrong width: only the
/// opening line is lost, not the lines between.
#[test]
fn a_quote_closed_by_a_later_one_costs_one_row() {
    let rows = plain_rows(0, 100).replacen("u50@", "u\"50@", 1);
    let text = format!(
        "time,ip,email,user_agent\n2026-10-01 09:00:00,10.9.9.9,x@example.com,\"Moz\n{rows}"
    );
    let (c, r) = read_bytes(text.as_bytes());
    r.unwrap();
    let reasons: Vec<(u64, &str)> = c
        .issues
        .iter()
        .map(|i| (i.line, i.reason.as_str()))
        .collect();
    assert_eq!(
        reasons,
        vec![(
            2,
            "a quote opened on this line closes only on line 53, making a row of 5 fields \
             where the header has 4; the line was skipped and the lines after it read as rows"
        )]
    );
    assert_eq!(counts(&c), (101, 100, 1));
}

/// GoPhish quotes every details field, so a runaway quote there closes on
/// the next line; both are read apart.
#[test]
fn a_gophish_details_quote_left_open_costs_its_row() {
    let row = |i: usize, details: &str| {
        format!(
            "7,u{i}@example.com,2026-10-01T01:00:{:02}Z,Clicked Link,{details}\r\n",
            i % 60
        )
    };
    let good = |i: usize| {
        row(
            i,
            &format!(
                "\"{{\"\"payload\"\":{{\"\"rid\"\":[\"\"R{i}\"\"]}},\"\"browser\"\":\
                 {{\"\"address\"\":\"\"10.0.0.{}\"\",\"\"user-agent\"\":\"\"Mozilla\"\"}}}}\"",
                i + 1
            ),
        )
    };
    let mut text = String::from("campaign_id,email,time,message,details\r\n");
    text.push_str(&good(0));
    text.push_str(&row(1, "\"{\"\"payload"));
    for i in 2..60 {
        text.push_str(&good(i));
    }
    let (c, r) = read_bytes(text.as_bytes());
    r.unwrap();
    let reasons: Vec<(u64, &str)> = c
        .issues
        .iter()
        .map(|i| (i.line, i.reason.as_str()))
        .collect();
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    assert_eq!(reasons[0].0, 3);
    assert!(
        reasons[0]
            .1
            .starts_with("a quote opened on this line closes only on line 4,")
    );
    assert_eq!(counts(&c), (60, 59, 1));
}

/// A quoted field of endless bytes is cut at 1 MiB, the line skipped, and
/// the file goes on.
#[test]
fn a_huge_field_is_capped_and_the_rest_loads() {
    let mut text = native_csv(3);
    let header_end = text.find('\n').unwrap() + 1;
    let mut zeros = String::from("2026-10-01 09:00:00,10.0.0.1,x@example.com,R1,\"");
    zeros.push_str(&"\0".repeat(3 << 20));
    zeros.push('\n');
    text.insert_str(header_end, &zeros);
    let (c, r) = read_bytes(text.as_bytes());
    r.unwrap();
    assert_eq!(counts(&c), (4, 3, 1));
    assert_eq!(c.issues[0].line, 2);
    assert_eq!(
        c.issues[0].reason,
        "the line is longer than 1,048,576 bytes; it was skipped"
    );
}

/// A 1,000-row CP932 export, as Excel in Japan writes it.
fn cp932_rows(rows: usize) -> Vec<u8> {
    let mut text = String::from("アクセス日時,接続元IP,社員番号,部署\r\n");
    for i in 0..rows {
        text.push_str(&format!(
            "2026/10/1 9:{:02},10.0.{}.{},A-{i},ソフト開発部\r\n",
            i % 60,
            i / 250,
            i % 250 + 1
        ));
    }
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&text);
    assert!(!unmappable);
    bytes.into_owned()
}

/// The reported case: two stray bytes and a cut inside the last character
/// made the file "not a log whoclicked can read".
#[test]
fn stray_bytes_do_not_make_a_shift_jis_file_unreadable() {
    let mut bytes = cp932_rows(1_000);
    let dept = encoding_rs::SHIFT_JIS.encode("ソフト開発部").0.into_owned();
    let at = |bytes: &[u8], n: usize| {
        bytes
            .windows(dept.len())
            .enumerate()
            .filter(|(_, w)| *w == &dept[..])
            .nth(n)
            .unwrap()
            .0
    };
    let first = at(&bytes, 10);
    bytes.insert(first, 0xff);
    let second = at(&bytes, 500);
    bytes.insert(second + 2, 0xa0);
    bytes.truncate(bytes.len() - 3); // inside the last row's 部 (and its CRLF)
    let (c, r) = read_bytes(&bytes);
    r.unwrap();
    assert_eq!(c.files[0].encoding, "Shift_JIS");
    assert_eq!(counts(&c), (1_000, 1_000, 0));
    let extras = |i: usize| c.extras(&c.accesses[i]).next().unwrap().1.to_string();
    assert_eq!(extras(0), "ソフト開発部");
    assert_eq!(c.issues.len(), 1, "{:?}", c.issues);
    assert_eq!(c.issues[0].line, 12);
    assert!(
        c.issues[0]
            .reason
            .starts_with("the text is not all valid Shift_JIS: 3 field(s) had unreadable bytes"),
        "{}",
        c.issues[0].reason
    );
}

/// A UTF-8 row pasted into a Shift_JIS file is read as UTF-8 and said.
#[test]
fn a_utf8_row_in_a_shift_jis_file_is_reported_not_garbled() {
    let mut bytes = cp932_rows(20);
    bytes.extend_from_slice("2026/10/1 10:00,10.9.9.9,B-1,営業部\r\n".as_bytes());
    let (c, r) = read_bytes(&bytes);
    r.unwrap();
    assert_eq!(c.files[0].encoding, "Shift_JIS");
    let last = c
        .accesses
        .iter()
        .find(|a| c.recipient_name(a) == "B-1")
        .unwrap();
    assert_eq!(c.extras(last).next().unwrap().1, "営業部");
    let reasons: Vec<(u64, &str)> = c
        .issues
        .iter()
        .map(|i| (i.line, i.reason.as_str()))
        .collect();
    assert_eq!(
        reasons,
        vec![(
            22,
            "1 field(s) of this Shift_JIS file are UTF-8 (the first on this line); they were \
             read as UTF-8"
        )]
    );
}

/// When the header cannot be read at all, the refusal names --encoding.
#[test]
fn a_header_in_an_unknown_encoding_names_the_encoding_option() {
    let text = "日時,接続元\n2026-10-01 09:00:00,10.0.0.1\n";
    let (bytes, _, _) = encoding_rs::EUC_JP.encode(text);
    let (_, r) = read_bytes(&bytes);
    let message = r.unwrap_err().to_string();
    assert!(
        message.contains("name the file's encoding with --encoding (e.g. --encoding shift_jis)"),
        "{message}"
    );
}

/// Two columns of one name: the first is read, and the header is reported.
#[test]
fn duplicate_column_names_are_reported() {
    let text = "time,ip,email,IP,dept,dept\n\
                2026-10-01 09:00:00,10.0.0.1,a@example.com,10.0.0.2,sales,hr\n";
    let (c, r) = read_bytes(text.as_bytes());
    r.unwrap();
    assert_eq!(c.ip(c.accesses[0].ip).to_string(), "10.0.0.1");
    let reasons: Vec<(u64, Option<&str>, &str)> = c
        .issues
        .iter()
        .map(|i| (i.line, i.field.as_deref(), i.reason.as_str()))
        .collect();
    assert_eq!(
        reasons,
        vec![
            (
                1,
                Some("ip"),
                "the header names \"ip\" 2 times (columns 2, 4); the first is read, the others \
                 are kept as extra columns"
            ),
            (
                1,
                Some("dept"),
                "the header names \"dept\" 2 times (columns 5, 6); the first is read, the \
                 others are kept as extra columns"
            ),
        ]
    );
    assert_eq!(counts(&c), (1, 1, 0));
}
