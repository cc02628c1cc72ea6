//! How each fact reads in the detail pane and the `reasons` column: one
//! line, concrete numbers, the owner and agent as the analyst knows them.

use std::fmt::Write;

use super::evidence::{Fact, Family};
use super::signatures::{AgentKind, Weight};
use super::suggestions::Suggestions;
use crate::enriched::Enriched;
use crate::model::{Access, Event};
use crate::text::escape_controls;

/// The longest piece of a User-Agent quoted in a reason.
const QUOTE_CHARS: usize = 48;

/// A fact as the analyst reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct Reason {
    pub weight: f32,
    pub family: Family,
    pub text: String,
}

/// How `fact`, weighing `weight`, reads for `access`.
pub fn describe(
    fact: &Fact,
    weight: f32,
    access: &Access,
    enriched: &Enriched,
    table: &Suggestions,
) -> String {
    let sigs = table.signatures();
    let owner = enriched.owner(access);
    let ua = enriched.ua(access);
    let campaign = &enriched.campaign;
    // Only the screen's reasons need its text (an allocation per reason otherwise).
    let screen = || access.screen.map(|s| s.to_string()).unwrap_or_default();
    match *fact {
        Fact::Head => "HEAD request: a link check, never a click".into(),
        Fact::OtherMethod(sym) => format!(
            "{} request: a client probing, not a page view",
            escape_controls(campaign.strings.get(sym))
        ),
        Fact::Reported => "the recipient reported the mail".into(),
        Fact::Submitted => "form submitted (scanners that run JavaScript submit too)".into(),
        Fact::Delay { seconds, estimated } => {
            let verb = if weight > 0.0 { "fetched " } else { "" };
            let when = human_duration(seconds);
            if estimated {
                let wave = access
                    .recipient()
                    .and_then(|r| table.wave_of(r))
                    .map(|w| w.start.format_short(&enriched.zone))
                    .unwrap_or_default();
                format!("{verb}{when} after the estimated delivery (send wave from {wave})")
            } else {
                format!("{verb}{when} after delivery")
            }
        }
        Fact::InWave { wave } => match table.waves().get(wave as usize) {
            Some(w) => {
                let span = w.end.as_nanos().saturating_sub(w.start.as_nanos()) as f32 / 1e9;
                let density = if w.density >= 1000.0 {
                    "over 1000".to_string()
                } else {
                    format!("{:.0}", w.density)
                };
                format!(
                    "came in the send wave of {} ({}): first accesses of {} recipients, {:.0}% of them machines, {density}× as dense as around it",
                    w.start.format_short(&enriched.zone),
                    human_duration(span),
                    w.recipients,
                    w.machine_share * 100.0,
                )
            }
            None => "came in a send wave".into(),
        },
        Fact::BeforeDelivery { seconds } => format!(
            "fetched {} before the logged delivery: scanned in transit",
            human_duration(seconds)
        ),
        Fact::Network { entry, prefix } => {
            let entry = &sigs.networks[entry as usize];
            let kind = entry.kind.describe();
            let text = match (prefix, owner.asn) {
                (Some(net), _) => format!("{net} {}: {kind}", entry.name),
                (None, Some(asn)) => {
                    let org = owner.as_org.as_deref().unwrap_or(&entry.name);
                    format!("AS{asn} {}: {kind}", escape_controls(org))
                }
                (None, None) => format!("{}: {kind}", entry.name),
            };
            set_aside(text, weight, entry.weight(&sigs.weights))
        }
        Fact::Database(class) => set_aside(
            format!("{}: {}", owner_name(enriched, access), class.describe()),
            weight,
            sigs.weight(Weight::NetworkHosting),
        ),
        Fact::LineAbroad { country } => format!(
            "a home or mobile line in {}, where almost none of this campaign's people are: \
             a rented residential proxy rather than a person's own line",
            String::from_utf8_lossy(&country)
        ),
        Fact::Anonymous => {
            let flags: Vec<&str> = owner.flags.names().collect();
            format!("anonymising network ({})", flags.join(", "))
        }
        Fact::Unlisted => format!(
            "{}: in no list of cloud, hosting or security networks",
            owner_name(enriched, access)
        ),
        Fact::AddressHistory {
            recipients,
            early,
            network,
        } => {
            let who = served_by(network, enriched, access);
            if early {
                format!(
                    "{who} served {recipients} recipients, all within minutes of delivery: a scanner pool"
                )
            } else {
                format!(
                    "{who} served {recipients} recipients, all long after delivery: people's shared egress"
                )
            }
        }
        Fact::AddressSpreadOut {
            recipients,
            hours,
            network,
        } => format!(
            "{} served {recipients} recipients over {}, never most of them at once: people's shared egress",
            served_by(network, enriched, access),
            human_duration(hours * 3600.0)
        ),
        Fact::Internal => format!(
            "internal address ({}): the company's own network",
            owner.internal.unwrap_or("reserved")
        ),
        Fact::ProxyTied {
            record,
            by,
            elsewhere,
        } => proxy_reason(enriched, access, record, by, elsewhere),
        Fact::Note => match enriched.owner_note(access.ip) {
            Some(note) => {
                let side = match note.hint {
                    Some(crate::model::Verdict::Human) => " (says human)",
                    Some(crate::model::Verdict::Scanner) => " (says scanner)",
                    None => "",
                };
                format!("owner note: {}{side}", escape_controls(&note.text))
            }
            None => "owner note".into(),
        },
        Fact::EmptyAgent => "no User-Agent".into(),
        Fact::Agent { entry, kind } => {
            let entry = &sigs.agents[entry as usize];
            let quoted = quote(campaign.user_agent(access.user_agent));
            if kind == AgentKind::OfficeClient && access.event == Event::Open && weight <= 0.0 {
                format!("{quoted}: Outlook loading the mail's images (the recipient opened it)")
            } else {
                format!("{quoted}: {} ({})", kind.describe(), entry.name)
            }
        }
        Fact::Crawler => format!(
            "{}: a crawler",
            quote(campaign.user_agent(access.user_agent))
        ),
        Fact::HttpLibrary => format!("{} {}: an HTTP library", ua.browser, ua.version),
        Fact::UnknownAgent => format!(
            "{}: a User-Agent no browser sends",
            quote(campaign.user_agent(access.user_agent))
        ),
        Fact::AncientOs => format!("{} {}: an obsolete system", ua.os, ua.os_version)
            .trim_end()
            .replace("  ", " "),
        Fact::AncientBrowser => format!("{} {}: an obsolete browser", ua.browser, ua.version),
        Fact::Impossible => format!("{} on {}: no real device has this", ua.browser, ua.os),
        Fact::Stale {
            major,
            reference,
            from_campaign,
            ..
        } => {
            let family = &ua.browser;
            let behind = reference.saturating_sub(major);
            if from_campaign {
                format!(
                    "{family} {major}: {behind} versions behind this campaign's {family} users ({reference})"
                )
            } else {
                format!(
                    "{family} {major}: {behind} versions behind the release expected by the campaign date ({reference})"
                )
            }
        }
        Fact::ScreenMissing { coverage } => format!(
            "no screen size while {:.0}% of this campaign's page views have one",
            coverage * 100.0
        ),
        Fact::ScreenPresent => format!("screen {} reported: JavaScript ran", screen()),
        Fact::ScreenHeadless => format!("screen {}: headless Chrome's default", screen()),
        Fact::ScreenVirtual => {
            format!(
                "screen {} with a desktop User-Agent: a virtual display's default",
                screen()
            )
        }
        Fact::ScreenMismatch { phone_agent: true } => {
            format!("desktop-sized screen {} with a phone User-Agent", screen())
        }
        Fact::ScreenMismatch { phone_agent: false } => {
            format!("phone-sized screen {} with a desktop User-Agent", screen())
        }
        Fact::IpSpread { recipients, window } => {
            format!("this address reached {recipients} recipients within ±{window} s")
        }
        Fact::RecipientBurst {
            accesses,
            addresses,
            window,
        } => format!(
            "{accesses} accesses for this recipient within ±{window} s from {addresses} addresses"
        ),
        Fact::PairedWithMachine { gap } => format!(
            "a machine fetch {} away for this recipient: the click-time check of a real click",
            human_duration(gap)
        ),
        Fact::Session { gap } => format!(
            "this address came back for the recipient {} apart: a person's visit (the link, then the form)",
            human_duration(gap)
        ),
        Fact::PairedWithHuman { gap } => format!(
            "{} from a person-looking access for this recipient: a click-time check",
            human_duration(gap)
        ),
    }
}

/// A network's reason, with a word on why it weighs nothing when its
/// weight was set aside for the address's own history.
fn set_aside(text: String, weight: f32, listed: f32) -> String {
    if weight == 0.0 && listed > 0.0 {
        format!("{text}; set aside, as this address's own history is people's")
    } else {
        text
    }
}

/// "this address", or the network by name when the history is its AS's.
fn served_by(network: bool, enriched: &Enriched, access: &Access) -> String {
    if network {
        format!("its network ({})", owner_name(enriched, access))
    } else {
        "this address".to_string()
    }
}

fn owner_name(enriched: &Enriched, access: &Access) -> String {
    escape_controls(&enriched.owner(access).to_string()).into_owned()
}

fn quote(ua: &str) -> String {
    let cut: String = ua.chars().take(QUOTE_CHARS).collect();
    let ellipsis = if cut.len() < ua.len() { "…" } else { "" };
    format!("\"{}{ellipsis}\"", escape_controls(&cut))
}

/// `3 s`, `4 min`, `2.5 h`, `3 days`: delays as people say them.
pub fn human_duration(seconds: f32) -> String {
    let s = seconds.abs();
    let mut out = String::new();
    if s < 90.0 {
        let _ = write!(out, "{} s", s.round() as i64);
    } else if s < 90.0 * 60.0 {
        let _ = write!(out, "{} min", (s / 60.0).round() as i64);
    } else if s < 36.0 * 3600.0 {
        let h = s / 3600.0;
        if h < 10.0 {
            let _ = write!(out, "{:.1} h", h);
        } else {
            let _ = write!(out, "{} h", h.round() as i64);
        }
    } else {
        let _ = write!(out, "{} days", (s / 86_400.0).round() as i64);
    }
    out
}

/// "the company's proxy log ties it to PC-TANAKA (10.1.2.3, user CORP\tanaka),
/// by the recipient's id, 0.4s apart".
fn proxy_reason(
    enriched: &Enriched,
    access: &Access,
    record: u32,
    by: crate::network::MatchedBy,
    elsewhere: bool,
) -> String {
    let campaign = &enriched.campaign;
    let Some(r) = campaign.network.proxy.get(record as usize) else {
        return "the company's proxy log ties it to a PC".to_string();
    };
    let host = enriched
        .network
        .ties()
        .find(|(_, t)| t.record == record)
        .map(|(_, t)| campaign.strings.get(t.host))
        .unwrap_or("");
    let mut who = vec![r.client.to_string()];
    let user = campaign.strings.get(r.user);
    if !user.is_empty() {
        who.push(format!("user {user}"));
    }
    let pc = if host.is_empty() {
        "a PC".to_string()
    } else {
        host.to_string()
    };
    let by = match by {
        crate::network::MatchedBy::Recipient => "the recipient's id in the URL",
        crate::network::MatchedBy::Path => "the landing page's host and path",
        crate::network::MatchedBy::Host => "the landing page's host",
    };
    let gap = r.time.seconds_since(access.time);
    let mut text = format!(
        "the company's proxy log ties it to {} ({}) by {by}, {} apart: a person at a PC",
        crate::text::escape_controls(&pc),
        crate::text::escape_controls(&who.join(", ")),
        crate::text::format_delay(gap.abs())
    );
    if elsewhere {
        text.push_str(", someone else's machine (forwarded mail?)");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(human_duration(3.2), "3 s");
        assert_eq!(human_duration(-12.0), "12 s");
        assert_eq!(human_duration(240.0), "4 min");
        assert_eq!(human_duration(2.0 * 3600.0 + 1800.0), "2.5 h");
        assert_eq!(human_duration(20.0 * 3600.0), "20 h");
        assert_eq!(human_duration(3.0 * 86_400.0), "3 days");
    }
}
