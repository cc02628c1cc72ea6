//! A 200k-line input loads completely and correctly (speed is measured in
//! `benches/input_speed.rs`, not here).

use crate::support::logs;

use std::sync::atomic::Ordering;

use whoclicked::input::{LoadOptions, LoadProgress, read_into};
use whoclicked::model::{Campaign, Event, LogFormat, parse_zone};

fn options() -> LoadOptions {
    LoadOptions {
        zone: parse_zone("+09:00").unwrap(),
        ..LoadOptions::default()
    }
}

#[test]
fn loads_200k_combined_lines() {
    let lines = 200_000;
    let text = logs::combined_log(lines);
    let progress = LoadProgress::default();
    let mut c = Campaign::new();
    read_into(&mut c, "access.log", text.as_bytes(), &options(), &progress).unwrap();
    assert_eq!(c.files[0].format, LogFormat::Combined);
    assert!(
        c.issues.is_empty(),
        "{:?}",
        &c.issues[..c.issues.len().min(3)]
    );
    assert_eq!(c.accesses.len(), logs::combined_accesses(lines));
    // Stylesheet lines (every fifth) happen to cover a fifth of the rids.
    assert_eq!(c.recipients.len(), logs::RECIPIENTS * 4 / 5);
    assert_eq!(c.files[0].rows, lines as u64);
    assert_eq!(progress.rows.load(Ordering::Relaxed), lines as u64);
    assert_eq!(
        progress.bytes_read.load(Ordering::Relaxed),
        text.len() as u64
    );
    let last = c.accesses.last().unwrap();
    // The very last line is a stylesheet.
    assert_eq!(last.line as usize, lines - 1);
    assert_eq!(last.time.to_string(), "2026-10-02T22:33:18Z");
    let heads = c
        .accesses
        .iter()
        .filter(|a| c.strings.get(a.method) == "HEAD")
        .count();
    assert!(heads > 10_000, "{heads}");
    assert!(c.accesses.iter().filter(|a| a.screen.is_some()).count() > 20_000);
}

#[test]
fn loads_200k_native_rows() {
    let rows = 200_000;
    let text = logs::native_csv(rows);
    let mut c = Campaign::new();
    read_into(
        &mut c,
        "clicks.csv",
        text.as_bytes(),
        &options(),
        &LoadProgress::default(),
    )
    .unwrap();
    assert!(
        c.issues.is_empty(),
        "{:?}",
        &c.issues[..c.issues.len().min(3)]
    );
    assert_eq!(c.accesses.len(), rows);
    assert_eq!(c.recipients.len(), logs::RECIPIENTS);
    let last = c.accesses.last().unwrap();
    assert_eq!((last.row as usize, last.line as usize), (rows, rows + 1));
    assert_eq!(last.time.to_string(), "2026-10-02T22:33:19Z");
    assert_eq!(c.extras(last).next().map(|(k, _)| k), Some("department"));
    let opens = c.accesses.iter().filter(|a| a.event == Event::Open).count();
    assert_eq!(opens, rows.div_ceil(13));
    let r = c.find_recipient("R000031").unwrap();
    assert_eq!(c.strings.get(c.recipient(r).name), "user31@example.co.jp");
}

#[test]
fn loads_200k_gophish_events() {
    let rows = 200_000;
    let text = logs::gophish_events(rows);
    let mut c = Campaign::new();
    read_into(
        &mut c,
        "events.csv",
        text.as_bytes(),
        &options(),
        &LoadProgress::default(),
    )
    .unwrap();
    assert_eq!(c.files[0].format, LogFormat::GoPhish);
    assert!(
        c.issues.is_empty(),
        "{:?}",
        &c.issues[..c.issues.len().min(3)]
    );
    assert_eq!(c.accesses.len(), rows - logs::RECIPIENTS);
    assert_eq!(c.recipients.len(), logs::RECIPIENTS);
    assert_eq!(c.delivered_count(), logs::RECIPIENTS);
    let submits: Vec<_> = c
        .accesses
        .iter()
        .filter(|a| a.event == Event::Submit)
        .collect();
    assert!(
        submits
            .iter()
            .all(|a| a.screen.is_some_and(|s| s.width == 390))
    );
    let last = c.accesses.last().unwrap();
    assert_eq!((last.row as usize, last.line as usize), (rows, rows + 1));
    let r = c.recipient(last.recipient().unwrap());
    assert_eq!(c.find_recipient(c.strings.get(r.rid)), last.recipient());
}
