//! Analysed messages as rows of the review screen: one hop row
//! (`model::RowKind::Hop`) per hop with a sender address. Each row's access
//! record carries what every kind of row has (the address, the time, the
//! mail as its recipient, the raw Received line as its client text), so the
//! screen's owners, sorting, filters and knowledge-base labels work on hops
//! unchanged; the hop's own facts (number, from, by, protocol, class, delay,
//! place relative to the trust boundary, flags) go in `Campaign::hops`,
//! which the catalogue's hop fields (`review::HopField`) read.

use super::trace::MessageReport;
use crate::model::{Campaign, HopRow, LogFormat, NewAccess, RowKind, Timestamp};

/// One campaign of hop rows for all `reports`, one source per report file.
/// Hops without a sender address (local deliveries) are left out: there is
/// nothing to look up or label. A hop with no readable date has no time
/// (its record holds a placeholder the screen never shows): neither the
/// mail's `Date:` nor any other time is put in its place.
pub fn hop_campaign(reports: &[MessageReport]) -> Campaign {
    let mut campaign = Campaign::new();
    campaign.kind = RowKind::Hop;
    for (n, report) in reports.iter().enumerate() {
        let file = campaign.add_file(&report.source, LogFormat::Mail);
        let message = message_name(n, report);
        for hop in report.hops.iter().rev() {
            let Some(ip) = hop.hop.ip else { continue };
            let time = hop
                .hop
                .time
                .and_then(|t| Timestamp::from_seconds(t.as_second()));
            let with = hop.hop.with.clone().unwrap_or_default();
            // Unfolded: the folds' tabs would show as escapes on screen.
            let raw = hop.hop.raw.split_whitespace().collect::<Vec<_>>().join(" ");
            let i = campaign.add_access(
                file,
                NewAccess {
                    time: time.unwrap_or_default(),
                    ip,
                    user_agent: &raw,
                    recipient: Some(&message),
                    method: &with,
                    ..NewAccess::default()
                },
            );
            campaign.accesses[i].line = hop.hop.line as u32;
            campaign.hops.push(HopRow {
                number: hop.number as u32,
                time,
                from: super::output::sender_names(&hop.hop),
                by: hop.hop.by.clone().unwrap_or_default(),
                with,
                class: hop.class.as_ref().map_or("", |c| c.class.name()),
                delay: hop.delay,
                place: place(hop.status),
                flags: hop.flags.iter().map(|f| f.code).collect(),
            });
        }
    }
    campaign
}

/// Where a hop stands: `origin`, `trusted`, or `below-trust` for a hop the
/// sender's side wrote (it may be forged; `forged` when it sits below a
/// webmail or MAPI submission where no hop can exist).
fn place(status: super::HopStatus) -> &'static str {
    match status {
        super::HopStatus::Trusted => "trusted",
        super::HopStatus::Origin => "origin",
        super::HopStatus::Unverified => "below-trust",
        super::HopStatus::Forged => "forged",
    }
}

/// A message's name on screen: its number in the batch and its subject
/// (or source), so a dozen mails can be told apart and sorted together.
fn message_name(n: usize, report: &MessageReport) -> String {
    let what = report
        .subject
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or(&report.source);
    format!("#{} {what}", n + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mail::{self, Trust};

    const EXIM: &str = include_str!("../../tests/fixtures/mail/exim.eml");

    #[test]
    fn each_hop_with_an_address_is_a_row_with_its_line_and_facts() {
        let parsed = mail::parse(mail::read("exim.eml", EXIM.as_bytes()).unwrap());
        let hops: usize = parsed
            .iter()
            .map(|p| p.hops.iter().filter(|h| h.ip.is_some()).count())
            .sum();
        let reports = mail::analyse_all(parsed, &Default::default(), &Trust::default());
        let campaign = hop_campaign(&reports);
        assert_eq!(campaign.accesses.len(), hops);
        assert_eq!(campaign.hops.len(), hops);
        assert_eq!(campaign.kind, RowKind::Hop);
        assert!(hops > 0);
        let first = &campaign.accesses[0];
        assert!(campaign.user_agent(first.user_agent).starts_with("from "));
        assert_eq!(campaign.files[0].format, LogFormat::Mail);
        assert_eq!(campaign.extras(first).count(), 0);
        let hop = &campaign.hops[0];
        assert!(["origin", "trusted", "below-trust", "forged"].contains(&hop.place));
        assert!(hop.time.is_some());
        assert!(campaign.recipient_name(first).starts_with("#1 "));
    }
}
