//! Generated logs for the size and speed tests: deterministic, realistic in
//! shape (thousands of recipients, a few thousand addresses, dozens of UAs).

use std::fmt::Write as _;

pub const RECIPIENTS: usize = 5_000;
const ADDRESSES: usize = 3_000;

const AGENTS: &[&str] = &[
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36",
    "python-requests/2.31.0",
    "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17029; Pro)",
];

fn ip(i: usize) -> String {
    let n = (i * 7919) % ADDRESSES;
    if n.is_multiple_of(10) {
        format!("2001:db8::{:x}", n)
    } else {
        format!("203.0.{}.{}", n / 250, n % 250 + 1)
    }
}

fn rid(i: usize) -> String {
    format!("R{:06}", (i * 31) % RECIPIENTS)
}

/// `lines` lines of a combined log; every fifth is a stylesheet request
/// without the rid, so it is no access.
pub fn combined_log(lines: usize) -> String {
    let mut out = String::with_capacity(lines * 220);
    for i in 0..lines {
        let second = i % 60;
        let minute = (i / 60) % 60;
        let hour = (i / 3600) % 24;
        let day = 1 + (i / 86_400) % 28;
        let ua = AGENTS[i % AGENTS.len()];
        let target = if i % 5 == 4 {
            "/static/site.css".to_string()
        } else if i.is_multiple_of(7) {
            format!("/login?rid={}&screen=390x844", rid(i))
        } else {
            format!("/?rid={}", rid(i))
        };
        let method = if i.is_multiple_of(11) { "HEAD" } else { "GET" };
        let _ = writeln!(
            out,
            "{} - - [{day:02}/Oct/2026:{hour:02}:{minute:02}:{second:02} +0900] \"{method} {target} HTTP/1.1\" 200 5120 \"-\" \"{ua}\"",
            ip(i)
        );
    }
    out
}

/// Accesses `combined_log(lines)` holds.
pub fn combined_accesses(lines: usize) -> usize {
    lines - lines / 5
}

/// A header and `rows` rows of native CSV with an extra column.
pub fn native_csv(rows: usize) -> String {
    let mut out = String::with_capacity(rows * 200);
    out.push_str("time,ip,email,rid,user_agent,screen,event,department\n");
    for i in 0..rows {
        let second = i % 60;
        let minute = (i / 60) % 60;
        let hour = (i / 3600) % 24;
        let day = 1 + (i / 86_400) % 28;
        let r = (i * 31) % RECIPIENTS;
        let screen = if i.is_multiple_of(3) { "" } else { "1920x1080" };
        let event = if i.is_multiple_of(13) {
            "open"
        } else {
            "click"
        };
        let _ = writeln!(
            out,
            "2026-10-{day:02} {hour:02}:{minute:02}:{second:02},{},user{r}@example.co.jp,R{r:06},\"{}\",{screen},{event},部署{}",
            ip(i),
            AGENTS[i % AGENTS.len()],
            r % 40
        );
    }
    out
}

/// A GoPhish Raw Events export of `rows` rows: a send per recipient, then
/// clicks (every ninth a form submission with a screen beacon).
pub fn gophish_events(rows: usize) -> String {
    let mut out = String::with_capacity(rows * 300);
    out.push_str("campaign_id,email,time,message,details\r\n");
    for i in 0..rows {
        let r = (i * 31) % RECIPIENTS;
        let second = i % 60;
        let minute = (i / 60) % 60;
        let hour = (i / 3600) % 24;
        let day = 1 + (i / 86_400) % 28;
        let time = format!(
            "2026-10-{day:02}T{hour:02}:{minute:02}:{second:02}.{:06}Z",
            i % 999_999
        );
        if i < RECIPIENTS {
            let _ = write!(out, "3,user{r}@example.co.jp,{time},Email Sent,\r\n");
            continue;
        }
        let (message, extra) = if i.is_multiple_of(9) {
            ("Submitted Data", ",\"\"screen\"\":[\"\"390x844\"\"]")
        } else {
            ("Clicked Link", "")
        };
        let _ = write!(
            out,
            "3,user{r}@example.co.jp,{time},{message},\"{{\"\"payload\"\":{{\"\"rid\"\":[\"\"R{r:06}\"\"]{extra}}},\"\"browser\"\":{{\"\"address\"\":\"\"{}\"\",\"\"user-agent\"\":\"\"{}\"\"}}}}\"\r\n",
            ip(i),
            AGENTS[i % AGENTS.len()]
        );
    }
    out
}
