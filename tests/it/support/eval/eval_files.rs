//! The generated campaigns as the files an analyst would have: a native
//! CSV (deliveries in a `sent_at` column, in `sent` rows, or not at all), a
//! GoPhish Raw Events export, or the landing page's combined access log.
//! Each file keeps the actor of every data row, so the accesses the readers
//! make of it can be traced back to the truth by file and row.

use std::fmt::Write as _;

use jiff::tz::TimeZone;
use whoclicked::model::{Event, Timestamp};

use super::eval_campaigns::{Actor, Format, Generated, NativeDelivery};

/// One log file, as written.
pub struct LogFile {
    pub name: String,
    pub text: String,
    /// The actor of each data row in order (row 1 first); `None` for rows
    /// that record a delivery or a report rather than an access.
    pub rows: Vec<Option<Actor>>,
}

impl LogFile {
    /// The actor of the access read from 1-based data row `row`.
    pub fn actor(&self, row: u32) -> Option<Actor> {
        self.rows
            .get((row as usize).checked_sub(1)?)
            .copied()
            .flatten()
    }

    /// How many data rows are accesses.
    pub fn access_rows(&self) -> usize {
        self.rows.iter().flatten().count()
    }
}

fn rfc3339(nanos: i64) -> String {
    Timestamp::from_nanos(nanos).format_rfc3339(&TimeZone::UTC)
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The files of a generated campaign.
pub fn write_files(g: &Generated) -> Vec<LogFile> {
    let name = g.scenario.name;
    let file = match g.scenario.format {
        Format::Native { delivery } => LogFile {
            name: format!("{name}.csv"),
            ..native(g, delivery)
        },
        Format::GoPhish => LogFile {
            name: format!("{name}-raw-events.csv"),
            ..gophish(g)
        },
        Format::Combined => LogFile {
            name: format!("{name}-access.log"),
            ..combined(g)
        },
    };
    vec![file]
}

fn native(g: &Generated, delivery: NativeDelivery) -> LogFile {
    let mut text = String::from("time,recipient,ip,user_agent,screen,event,method");
    text.push_str(if delivery == NativeDelivery::Column {
        ",sent_at\n"
    } else {
        "\n"
    });
    // Sent rows first: a kit writes its send log before the clicks.
    let mut lines: Vec<(i64, String, Option<Actor>)> = Vec::new();
    if delivery == NativeDelivery::Rows {
        for (r, &sent) in g.sent.iter().enumerate() {
            let line = format!("{},{},,,,sent,", rfc3339(sent), g.recipients[r].1);
            lines.push((sent, line, None));
        }
    }
    for row in &g.rows {
        let recipient = row.recipient.map_or("", |r| g.recipients[r].1.as_str());
        let mut line = format!(
            "{},{},{},{},{},{},{}",
            rfc3339(row.nanos),
            recipient,
            row.ip,
            csv_field(&row.ua),
            row.screen
                .map_or(String::new(), |(w, h)| format!("{w}x{h}")),
            row.event.as_str(),
            row.method
        );
        if delivery == NativeDelivery::Column {
            let sent = row.recipient.map_or(String::new(), |r| rfc3339(g.sent[r]));
            let _ = write!(line, ",{sent}");
        }
        lines.push((row.nanos, line, Some(row.actor)));
    }
    lines.sort_by_key(|(t, _, _)| *t);
    finish(text, lines)
}

fn gophish(g: &Generated) -> LogFile {
    let text = String::from("campaign_id,email,time,message,details\n");
    let mut lines: Vec<(i64, String, Option<Actor>)> = Vec::new();
    for (r, &sent) in g.sent.iter().enumerate() {
        let line = format!("7,{},{},Email Sent,", g.recipients[r].1, rfc3339(sent));
        lines.push((sent, line, None));
    }
    for &(r, at) in &g.reported {
        let details = gophish_details(&g.recipients[r].0, None);
        let line = format!(
            "7,{},{},Email Reported,{}",
            g.recipients[r].1,
            rfc3339(at),
            csv_field(&details)
        );
        lines.push((at, line, None));
    }
    for row in &g.rows {
        // GoPhish only logs what reaches a recipient's tracked link.
        let Some(r) = row.recipient else { continue };
        let message = match row.event {
            Event::Open => "Email Opened",
            Event::Submit => "Submitted Data",
            _ => "Clicked Link",
        };
        let details = gophish_details(&g.recipients[r].0, Some((row.ip, &row.ua)));
        let line = format!(
            "7,{},{},{message},{}",
            g.recipients[r].1,
            rfc3339(row.nanos),
            csv_field(&details)
        );
        lines.push((row.nanos, line, Some(row.actor)));
    }
    lines.sort_by_key(|(t, _, _)| *t);
    finish(text, lines)
}

fn finish(mut text: String, lines: Vec<(i64, String, Option<Actor>)>) -> LogFile {
    let mut rows = Vec::with_capacity(lines.len());
    for (_, line, actor) in lines {
        text.push_str(&line);
        text.push('\n');
        rows.push(actor);
    }
    LogFile {
        name: String::new(),
        text,
        rows,
    }
}

fn combined(g: &Generated) -> LogFile {
    let mut text = String::new();
    let mut rows = Vec::new();
    for row in &g.rows {
        let when = Timestamp::from_nanos(row.nanos)
            .to_jiff()
            .strftime("%d/%b/%Y:%H:%M:%S +0000");
        let path = row
            .recipient
            .map_or("/".to_string(), |r| format!("/?rid={}", g.recipients[r].0));
        let ua = if row.ua.is_empty() {
            "-"
        } else {
            row.ua.as_str()
        };
        let _ = writeln!(
            text,
            "{} - - [{when}] \"{} {path} HTTP/1.1\" 200 {} \"-\" \"{}\"",
            row.ip,
            row.method,
            if row.method == "HEAD" { 0 } else { 1834 },
            ua.replace('"', "\\\"")
        );
        // The reader keeps only requests that carry the recipient
        // parameter: the rest of the site's traffic is no campaign access.
        rows.push(row.recipient.map(|_| row.actor));
    }
    LogFile {
        name: String::new(),
        text,
        rows,
    }
}

fn gophish_details(rid: &str, browser: Option<(std::net::IpAddr, &str)>) -> String {
    let mut json = format!("{{\"payload\":{{\"rid\":[\"{rid}\"]}}");
    if let Some((ip, ua)) = browser {
        let ua = serde_json::to_string(ua).unwrap_or_default();
        let _ = write!(
            json,
            ",\"browser\":{{\"address\":\"{ip}\",\"user-agent\":{ua}}}"
        );
    }
    json.push('}');
    json
}
