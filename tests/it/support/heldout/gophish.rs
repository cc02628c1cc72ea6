//! The world as GoPhish's "Raw Events" export, the way GoPhish 0.12 writes
//! it (phishing-sim-anchors.md §1.1–1.2): header
//! `campaign_id,email,time,message,details`, CRLF, no newline after the last
//! row, times in UTC with Go's trimmed nanoseconds, `details` JSON with keys
//! in Go's order. A GET is `Clicked Link`, the form's POST `Submitted Data`
//! (with the username typed); a HEAD writes no event (GoPhish counts GET
//! only). GoPhish records no screen size. Reports via the mailbox (IMAP) are
//! `Email Reported` with null payload and browser.

use std::collections::BTreeMap;

use whoclicked::testing::Rng;

use super::clock;
use super::model::{Actor, Method, World};

const SANDBOX_USERNAMES: [&str; 3] = ["", "test@example.com", "admin"];
use super::native::csv_row;
use super::specs::Spec;
use super::truth::AccessTruth;

fn json_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string serialises")
}

fn browser_details(rid: &str, extra: &[(&str, &str)], address: &str, agent: &str) -> String {
    // url.Values: every key a list; encoding/json sorts the keys.
    let mut payload: Vec<(&str, &str)> = extra.to_vec();
    payload.push(("rid", rid));
    payload.sort_by_key(|(k, _)| *k);
    let payload: Vec<String> = payload
        .iter()
        .map(|(k, v)| format!("{}:[{}]", json_string(k), json_string(v)))
        .collect();
    format!(
        "{{\"payload\":{{{}}},\"browser\":{{\"address\":{},\"user-agent\":{}}}}}",
        payload.join(","),
        json_string(address),
        json_string(agent)
    )
}

enum Event {
    Created,
    Sent(usize),
    Visit(usize),
    Reported(usize),
}

/// The file's bytes, the truth by data row, and how many recipients the
/// file says were delivered.
pub fn write(
    spec: &Spec,
    world: &World,
    delivery: bool,
) -> (Vec<u8>, BTreeMap<u32, AccessTruth>, Option<usize>) {
    let mut events: Vec<(i64, Event)> = vec![(world.launched_ms, Event::Created)];
    for (i, r) in world.recipients.iter().enumerate() {
        // A failed send is logged whether or not sends are kept.
        if delivery || r.bounced {
            events.push((r.sent_ms, Event::Sent(i)));
        }
        if let Some(at) = r.reported_ms {
            events.push((at, Event::Reported(i)));
        }
    }
    for (i, v) in world.visits.iter().enumerate() {
        if v.method != Method::Head {
            events.push((v.at_ms, Event::Visit(i)));
        }
    }
    events.sort_by_key(|(at, _)| *at);

    // The sub-millisecond digits Go's clock adds; drawn, not meaningful.
    let mut digits = Rng::splitmix64(spec.seed ^ 0x0907_0151);
    let campaign_id = (spec.seed % 97 + 3).to_string();
    let mut out = String::new();
    csv_row(
        &mut out,
        &["campaign_id", "email", "time", "message", "details"],
        "\r\n",
    );
    let mut truth = BTreeMap::new();
    for (n, (at, event)) in events.iter().enumerate() {
        let data_row = u32::try_from(n + 1).expect("rows fit u32");
        let time = clock::gophish_utc(*at, digits.below(1_000_000) as u32 * u32::from(n % 3 != 0));
        match *event {
            Event::Created => {
                csv_row(
                    &mut out,
                    &[&campaign_id, "", &time, "Campaign Created", ""],
                    "\r\n",
                );
            }
            Event::Sent(i) => {
                let r = &world.recipients[i];
                if r.bounced {
                    let local = r.email.split('@').next().unwrap_or("");
                    let error = format!(
                        "{{\"error\":{}}}",
                        json_string(&format!(
                            "550 5.1.1 <{}>: Recipient address rejected: User unknown ({local})",
                            r.email
                        ))
                    );
                    csv_row(
                        &mut out,
                        &[&campaign_id, &r.email, &time, "Error Sending Email", &error],
                        "\r\n",
                    );
                } else {
                    csv_row(
                        &mut out,
                        &[&campaign_id, &r.email, &time, "Email Sent", ""],
                        "\r\n",
                    );
                }
            }
            Event::Reported(i) => {
                let r = &world.recipients[i];
                let details = "{\"payload\":null,\"browser\":null}";
                csv_row(
                    &mut out,
                    &[&campaign_id, &r.email, &time, "Email Reported", details],
                    "\r\n",
                );
            }
            Event::Visit(i) => {
                let v = &world.visits[i];
                let r = &world.recipients[v.recipient];
                let ip = v.ip.to_string();
                let (message, details) = if v.method == Method::Post {
                    // The page captures the username, not the password (GoPhish
                    // strips the field's name); a sandbox types junk or nothing.
                    let username = match v.family.actor() {
                        Actor::Human => r.email.as_str(),
                        Actor::Scanner => SANDBOX_USERNAMES[v.at_ms.rem_euclid(3) as usize],
                    };
                    let fields = [("username", username)];
                    (
                        "Submitted Data",
                        browser_details(&r.rid, &fields, &ip, &v.user_agent),
                    )
                } else {
                    (
                        "Clicked Link",
                        browser_details(&r.rid, &[], &ip, &v.user_agent),
                    )
                };
                csv_row(
                    &mut out,
                    &[&campaign_id, &r.email, &time, message, &details],
                    "\r\n",
                );
                truth.insert(data_row, AccessTruth::of(world, v, false));
            }
        }
    }
    // Papa Parse writes no line end after the last row.
    if out.ends_with("\r\n") {
        out.truncate(out.len() - 2);
    }
    let delivered = delivery.then(|| world.recipients.iter().filter(|r| !r.bounced).count());
    (out.into_bytes(), truth, delivered)
}
