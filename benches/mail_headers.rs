//! `whoclicked headers` speed: 10,000 messages' headers (the corpus's real
//! shapes, repeated, as one mbox) read, parsed, walked and written as the
//! text report; and one message of 10,000 Received lines.
//! `cargo bench --bench mail_headers`.

use std::collections::HashMap;
use std::time::Instant;

use whoclicked::mail::{self, Trust, output};

const MESSAGES: usize = 10_000;

const SHAPES: &[&str] = &[
    "exo-mapi.eml",
    "exchange-internal.eml",
    "gmail-web.eml",
    "gmail-esmtpsa-v4.eml",
    "postfix.eml",
    "exim.eml",
    "sendmail.eml",
    "qmail.eml",
];

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mail");
    let shapes: Vec<String> = SHAPES
        .iter()
        .map(|name| std::fs::read_to_string(dir.join(name)).unwrap())
        .collect();
    let mut mbox = String::new();
    for i in 0..MESSAGES {
        mbox.push_str("From MAILER-DAEMON Wed Mar  5 10:00:02 2025\n");
        mbox.push_str(&shapes[i % shapes.len()]);
        mbox.push('\n');
    }
    measure("10,000 messages", mbox.as_bytes(), MESSAGES);

    let mut long = String::new();
    for i in 0..10_000 {
        long.push_str(&format!(
            "Received: from h{i}.example (h{i}.example [10.0.{}.{}]) by h{}.example with ESMTP; Wed, 5 Mar 2025 10:00:00 +0000\n",
            (i / 256) % 256,
            i % 256,
            i + 1
        ));
    }
    long.push_str("Subject: loop\n");
    measure("1 message of 10,000 Received lines", long.as_bytes(), 1);
}

fn measure(what: &str, bytes: &[u8], expected: usize) {
    let start = Instant::now();
    let messages = mail::read("bench", bytes).unwrap();
    let parsed = mail::parse(messages);
    let ips = mail::distinct_addresses(&parsed);
    let reports = mail::analyse_all(parsed, &HashMap::new(), &Trust::default());
    let analysed = start.elapsed().as_secs_f64();
    let zone = jiff::tz::TimeZone::UTC;
    let facts = HashMap::new();
    let ctx = output::Context {
        facts: &facts,
        zone: &zone,
    };
    let mut out = Vec::new();
    output::write_text(&mut out, &reports, &ctx).unwrap();
    let total = start.elapsed().as_secs_f64();
    assert_eq!(reports.len(), expected);
    let hops: usize = reports.iter().map(|r| r.hops.len()).sum();
    println!(
        "{what}: {:.1} MB, {hops} hops, {} distinct addresses: analysed in {analysed:.2} s, with the text report ({:.1} MB) {total:.2} s",
        bytes.len() as f64 / 1e6,
        ips.len(),
        out.len() as f64 / 1e6
    );
}
