//! Entra ID sign-ins as the portal's CSV download (interactive and
//! non-interactive share one header). Columns are found by their trimmed
//! name; missing ones read as empty and extra ones are ignored, since the
//! columns change between releases. Only a time and an account or address
//! are required.

use std::io::Read;

use super::client_ip::{ClientIp, parse_client_ip};
use super::csv_table::{CsvTable, field, row_text};
use super::event::{OpKind, Outcome};
use super::sink::Sink;
use crate::input::file_ctx::excerpt;

const TIME: &[&str] = &["date (utc)", "date", "created date time", "createddatetime"];
const ACCOUNT: &[&str] = &[
    "username",
    "user principal name",
    "userprincipalname",
    "sign-in identifier",
    "user",
];
const IP: &[&str] = &["ip address", "ipaddress", "ip"];

/// Whether normalised header names are an Entra sign-in export.
pub fn is_header(names: &[String]) -> bool {
    let has = |list: &[&str]| names.iter().any(|n| list.contains(&n.as_str()));
    has(TIME) && has(IP) && (has(&["request id", "correlation id"]) || has(ACCOUNT))
}

pub fn read<R: Read>(sink: &mut Sink<'_>, mut table: CsvTable<R>) -> Result<(), String> {
    let time = table.find(TIME).ok_or_else(|| {
        format!(
            "no time column (expected \"Date (UTC)\"); the header has {}",
            table.header.join(", ")
        )
    })?;
    let account = table.find(ACCOUNT);
    let ip = table.find(IP);
    if account.is_none() && ip.is_none() {
        return Err("no account (\"Username\") and no \"IP address\" column".to_string());
    }
    let app = table.find(&["application", "app display name"]);
    let resource = table.find(&["resource"]);
    let location = table.find(&["location"]);
    let status = table.find(&["status"]);
    let code = table.find(&["sign-in error code"]);
    let reason = table.find(&["failure reason"]);
    let client = table.find(&["client app"]);
    let ua = table.find(&["user agent"]);
    let os = table.find(&["operating system"]);
    let browser = table.find(&["browser"]);
    let device = table.find(&["device id"]);
    let mfa = table.find(&["multifactor authentication result"]);
    let session = table.find(&["session id", "correlation id"]);
    let asn = table.find(&["autonomous system number"]);
    let header = table.header.clone();
    while let Some((line, record)) = table.next_row(sink)? {
        let record = record.clone();
        let d = &mut table.decoder;
        let time_text = field(&record, Some(time), d, line);
        let when = match sink.time(&time_text) {
            Ok(t) => t,
            Err(why) => {
                sink.issue(line, Some("Date (UTC)"), format!("the time {why}"));
                continue;
            }
        };
        let who = field(&record, account, d, line);
        let mut event = sink.event(line, when, &who);
        event.kind = OpKind::SignIn;
        event.operation = sink.text("Sign-in");
        let ip_text = field(&record, ip, d, line);
        match parse_client_ip(&ip_text) {
            ClientIp::Address(a) => event.ip = Some(a),
            ClientIp::Absent => {}
            ClientIp::Unreadable => sink.issue(
                line,
                Some("IP address"),
                format!(
                    "{} is not an IP address; the sign-in is kept without one",
                    excerpt(&ip_text)
                ),
            ),
        }
        let app_text = field(&record, app, d, line);
        let resource_text = field(&record, resource, d, line);
        event.app = sink.text(if app_text.is_empty() {
            &resource_text
        } else {
            &app_text
        });
        let status_text = field(&record, status, d, line);
        event.outcome = outcome(&status_text);
        if event.outcome != Outcome::Success {
            let c = field(&record, code, d, line);
            let r = field(&record, reason, d, line);
            let text = format!("{c} {r}").trim().to_string();
            event.failure = (!text.is_empty() && c != "0").then_some(text);
        }
        event.client = sink.text(&field(&record, client, d, line));
        event.user_agent = sink.text(&field(&record, ua, d, line));
        let dev = [
            field(&record, os, d, line),
            field(&record, browser, d, line),
            field(&record, device, d, line),
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
        event.device = sink.text(&dev);
        let loc = field(&record, location, d, line);
        event.log_country = country_of_location(&loc).map(|c| sink.text(&c));
        event.location = sink.text(&loc);
        event.mfa = sink.text(&field(&record, mfa, d, line));
        event.session = sink.text(&field(&record, session, d, line));
        event.log_asn = field(&record, asn, d, line)
            .trim()
            .parse()
            .ok()
            .filter(|&a| a != 0);
        if sink.keep_raw {
            event.raw = Some(row_text(&header, &record, d, line).into());
        }
        sink.events.push(event);
    }
    Ok(())
}

/// Entra's status words (English portal).
pub fn outcome(text: &str) -> Outcome {
    match text.trim().to_ascii_lowercase().as_str() {
        "success" | "0" => Outcome::Success,
        "failure" | "failed" => Outcome::Failure,
        "interrupted" => Outcome::Interrupted,
        _ => Outcome::Unknown,
    }
}

/// `Tokyo, Tokyo, JP` → `JP`: the last part when it is a two-letter code.
pub fn country_of_location(text: &str) -> Option<String> {
    let last = text.rsplit(',').next()?.trim();
    (last.len() == 2 && last.bytes().all(|b| b.is_ascii_alphabetic()))
        .then(|| last.to_ascii_uppercase())
}
