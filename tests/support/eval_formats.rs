//! The generated campaigns as the files an analyst would have (native CSV,
//! GoPhish Raw Events, a combined access log), loaded back into an
//! [`Analysis`] with the ground truth of every access.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use jiff::tz::TimeZone;
use whoclicked::analysis::Analysis;
use whoclicked::model::{Event, NewAccess, Screen, Timestamp};
use whoclicked::owner::Owner;

use super::eval_campaigns::{Actor, Format, Generated};

/// A loaded campaign with the actor (and so the truth) of every access,
/// indexed like `analysis.campaign.accesses`.
pub struct Labelled {
    pub name: &'static str,
    pub format: Format,
    pub analysis: Analysis,
    pub actors: Vec<Actor>,
}

fn rfc3339(nanos: i64) -> String {
    let t = Timestamp::from_nanos(nanos);
    t.format_rfc3339(&TimeZone::UTC)
}

fn screen_text(screen: Option<(u16, u16)>) -> String {
    screen.map_or(String::new(), |(w, h)| format!("{w}x{h}"))
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The log file of a generated campaign, and the actor of each data row
/// that is an access (`None` for delivery and report rows).
pub fn write_log(g: &Generated) -> (String, Vec<Option<Actor>>) {
    let mut out = String::new();
    let mut actors = Vec::new();
    match g.scenario.format {
        Format::Native { sent_at } => {
            out.push_str("time,recipient,ip,user_agent,screen,event,method");
            out.push_str(if sent_at { ",sent_at\n" } else { "\n" });
            for row in &g.rows {
                let recipient = row.recipient.map_or("", |r| g.recipients[r].1.as_str());
                let _ = write!(
                    out,
                    "{},{},{},{},{},{},{}",
                    rfc3339(row.nanos),
                    recipient,
                    row.ip,
                    csv_field(&row.ua),
                    screen_text(row.screen),
                    row.event.as_str(),
                    row.method
                );
                if sent_at {
                    let sent = row.recipient.map_or(String::new(), |r| rfc3339(g.sent[r]));
                    let _ = write!(out, ",{sent}");
                }
                out.push('\n');
                actors.push(Some(row.actor));
            }
        }
        Format::GoPhish => {
            out.push_str("campaign_id,email,time,message,details\n");
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
            for (_, line, actor) in lines {
                out.push_str(&line);
                out.push('\n');
                actors.push(actor);
            }
        }
        Format::Combined => {
            for row in &g.rows {
                let t = Timestamp::from_nanos(row.nanos).to_jiff();
                let when = t.strftime("%d/%b/%Y:%H:%M:%S +0000");
                let path = row
                    .recipient
                    .map_or("/".to_string(), |r| format!("/?rid={}", g.recipients[r].0));
                let ua = if row.ua.is_empty() {
                    "-"
                } else {
                    row.ua.as_str()
                };
                let _ = writeln!(
                    out,
                    "{} - - [{when}] \"{} {path} HTTP/1.1\" 200 {} \"-\" \"{}\"",
                    row.ip,
                    row.method,
                    if row.method == "HEAD" { 0 } else { 1834 },
                    ua.replace('"', "\\\"")
                );
                actors.push(Some(row.actor));
            }
        }
    }
    (out, actors)
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

/// The owners an ASN database would give the campaign's addresses.
pub fn owners(g: &Generated, analysis_ips: &[std::net::IpAddr]) -> Vec<Owner> {
    analysis_ips
        .iter()
        .map(|ip| match g.nets.get(ip) {
            Some(net) => Owner {
                network: net.prefix().parse().ok(),
                asn: Some(net.asn),
                as_org: Some(Arc::from(net.org)),
                country_code: Some(Arc::from(net.country)),
                ..Owner::default()
            },
            None => Owner::default(),
        })
        .collect()
}

/// Loads the generated campaign into an analysis, with the truth of each access.
pub fn load(g: &Generated) -> Labelled {
    let (_, actors_by_row) = write_log(g);
    let mut campaign = whoclicked::model::Campaign::new();
    let format = match g.scenario.format {
        Format::Native { .. } => whoclicked::model::LogFormat::Native,
        Format::GoPhish => whoclicked::model::LogFormat::GoPhish,
        Format::Combined => whoclicked::model::LogFormat::Combined,
    };
    let file = campaign.add_file(g.scenario.name, format);
    let delivery_known = matches!(
        g.scenario.format,
        Format::Native { sent_at: true } | Format::GoPhish
    );
    if delivery_known {
        for (r, &sent) in g.sent.iter().enumerate() {
            campaign.add_delivery(&g.recipients[r].1, Timestamp::from_nanos(sent));
        }
    }
    let mut actors = Vec::new();
    let mut row_actor: HashMap<usize, Actor> = HashMap::new();
    for row in &g.rows {
        if g.scenario.format == Format::GoPhish && row.recipient.is_none() {
            continue;
        }
        let screen = row
            .screen
            .and_then(|(w, h)| Screen::new(u32::from(w), u32::from(h)).ok());
        let recipient = row.recipient.map(|r| g.recipients[r].1.clone());
        let index = campaign.add_access(
            file,
            NewAccess {
                time: Timestamp::from_nanos(row.nanos),
                ip: row.ip,
                user_agent: &row.ua,
                recipient: recipient.as_deref(),
                event: row.event,
                screen,
                method: if g.scenario.format == Format::GoPhish {
                    ""
                } else {
                    row.method
                },
            },
        );
        row_actor.insert(index, row.actor);
    }
    debug_assert!(actors_by_row.iter().flatten().count() >= row_actor.len());
    for i in 0..campaign.accesses.len() {
        actors.push(row_actor[&i]);
    }
    let owners = owners(g, &campaign.ips);
    Labelled {
        name: g.scenario.name,
        format: g.scenario.format,
        analysis: Analysis::new(campaign, owners, TimeZone::UTC),
        actors,
    }
}
