//! The world as whoclicked's native CSV: one row per request for the page
//! (GET, HEAD, the form's POST), the screen the page's JavaScript reported
//! in the same row, and, with delivery times, a `sent` row per recipient
//! (`error` for a failed send). Rows in time order, as a kit logs them.
//!
//! English campaigns: UTF-8, `\n`, RFC 3339 times with the offset. Japanese
//! campaigns: what Excel in Japan saves, Shift_JIS, CRLF, Japanese headings
//! and event names, local times without an offset (read them with the
//! campaign's `--tz`).

use std::collections::BTreeMap;

use super::clock;
use super::model::{Method, World};
use super::specs::{NativeStyle, Spec};
use super::truth::AccessTruth;

/// A CSV cell, quoted when it must be.
pub fn csv_field(out: &mut String, field: &str) {
    if field.contains([',', '"', '\n', '\r']) || field.starts_with(' ') || field.ends_with(' ') {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

pub fn csv_row(out: &mut String, cells: &[&str], line_end: &str) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        csv_field(out, cell);
    }
    out.push_str(line_end);
}

struct Words {
    header: [&'static str; 7],
    sent: &'static str,
    error: &'static str,
    click: &'static str,
    submit: &'static str,
    line_end: &'static str,
}

const ENGLISH: Words = Words {
    header: [
        "time",
        "event",
        "email",
        "ip",
        "user_agent",
        "screen",
        "method",
    ],
    sent: "sent",
    error: "error",
    click: "click",
    submit: "submit",
    line_end: "\n",
};

const JAPANESE: Words = Words {
    header: [
        "日時",
        "種別",
        "メールアドレス",
        "IPアドレス",
        "ユーザーエージェント",
        "画面サイズ",
        "メソッド",
    ],
    sent: "配信",
    error: "配信エラー",
    click: "クリック",
    submit: "入力",
    line_end: "\r\n",
};

enum Row {
    Delivery { recipient: usize, at: i64 },
    Visit(usize),
}

/// The file's bytes, the truth by data row, and how many recipients the
/// file says were delivered.
pub fn write(
    spec: &Spec,
    world: &World,
    screens: bool,
    delivery: bool,
) -> (Vec<u8>, BTreeMap<u32, AccessTruth>, Option<usize>) {
    let words = match spec.native {
        NativeStyle::English => &ENGLISH,
        NativeStyle::JapaneseExcel => &JAPANESE,
    };
    let time = |at: i64| match spec.native {
        NativeStyle::English => clock::rfc3339_local(at, spec.offset_minutes),
        NativeStyle::JapaneseExcel => clock::excel_local(at, spec.offset_minutes),
    };
    let mut rows: Vec<(i64, Row)> = Vec::new();
    if delivery {
        for (i, r) in world.recipients.iter().enumerate() {
            rows.push((
                r.sent_ms,
                Row::Delivery {
                    recipient: i,
                    at: r.sent_ms,
                },
            ));
        }
    }
    for (i, v) in world.visits.iter().enumerate() {
        rows.push((v.at_ms, Row::Visit(i)));
    }
    // Deliveries and visits interleave by time; a stable sort keeps a
    // delivery ahead of a visit logged in the same millisecond.
    rows.sort_by_key(|(at, _)| *at);

    let mut out = String::new();
    csv_row(&mut out, &words.header, words.line_end);
    let mut truth = BTreeMap::new();
    for (n, (_, row)) in rows.iter().enumerate() {
        let data_row = u32::try_from(n + 1).expect("rows fit u32");
        match *row {
            Row::Delivery { recipient, at } => {
                let r = &world.recipients[recipient];
                let event = if r.bounced { words.error } else { words.sent };
                csv_row(
                    &mut out,
                    &[&time(at), event, &r.email, "", "", "", ""],
                    words.line_end,
                );
            }
            Row::Visit(i) => {
                let v = &world.visits[i];
                let r = &world.recipients[v.recipient];
                let event = if v.method == Method::Post {
                    words.submit
                } else {
                    words.click
                };
                let screen = match v.screen {
                    Some((w, h)) if screens => format!("{w}x{h}"),
                    _ => String::new(),
                };
                let ip = v.ip.to_string();
                let at = time(v.at_ms);
                let cells = [
                    at.as_str(),
                    event,
                    r.email.as_str(),
                    ip.as_str(),
                    v.user_agent.as_str(),
                    screen.as_str(),
                    v.method.as_str(),
                ];
                csv_row(&mut out, &cells, words.line_end);
                truth.insert(data_row, AccessTruth::of(world, v, false));
            }
        }
    }
    let bytes = match spec.native {
        NativeStyle::English => out.into_bytes(),
        NativeStyle::JapaneseExcel => {
            let (encoded, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&out);
            assert!(
                !unmappable,
                "the Japanese native CSV must be pure Shift_JIS"
            );
            encoded.into_owned()
        }
    };
    let delivered = delivery.then(|| world.recipients.iter().filter(|r| !r.bounced).count());
    (bytes, truth, delivered)
}
