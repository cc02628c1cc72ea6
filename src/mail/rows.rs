//! Analysed messages as rows of the review screen: one row per hop with a
//! sender address, carried as an access of a campaign so the screen's
//! owners, sorting, filters and knowledge-base labels work on hops
//! unchanged. The hop's own facts (the message, by, protocol, class,
//! delay, place relative to the trust boundary, flags) go in the row's
//! extra columns; its raw Received line is kept as the row's client text,
//! which the detail pane shows whole.

use super::trace::MessageReport;
use crate::model::{Campaign, LogFormat, NewAccess, Timestamp};

/// The extra columns every hop row has, in order.
pub const HOP_COLUMNS: [&str; 8] = [
    "message", "hop", "by", "with", "class", "delay", "place", "flags",
];

/// One campaign of hop rows for all `reports`, one source per report file.
/// Hops without a sender address (local deliveries) are left out: there is
/// nothing to look up or label. A hop with no readable date takes the
/// message's `Date:`, else the epoch, so its row still shows.
pub fn hop_campaign(reports: &[MessageReport]) -> Campaign {
    let mut campaign = Campaign::new();
    for (n, report) in reports.iter().enumerate() {
        let file = campaign.add_file(&report.source, LogFormat::Mail);
        let columns: Vec<_> = HOP_COLUMNS
            .iter()
            .map(|c| campaign.strings.intern(c))
            .collect();
        campaign.files[usize::from(file)].extra_columns = columns;
        let message = message_name(n, report);
        for hop in report.hops.iter().rev() {
            let Some(ip) = hop.hop.ip else { continue };
            let time = hop
                .hop
                .time
                .or(report.date)
                .and_then(|t| Timestamp::from_seconds(t.as_second()))
                .unwrap_or_default();
            let with = hop.hop.with.clone().unwrap_or_default();
            // Unfolded: the folds' tabs would show as escapes on screen.
            let raw = hop.hop.raw.split_whitespace().collect::<Vec<_>>().join(" ");
            let i = campaign.add_access(
                file,
                NewAccess {
                    time,
                    ip,
                    user_agent: &raw,
                    recipient: Some(&message),
                    method: &with,
                    ..NewAccess::default()
                },
            );
            let flags: Vec<&str> = hop.flags.iter().map(|f| f.code).collect();
            let values = [
                message.as_str(),
                &hop.number.to_string(),
                hop.hop.by.as_deref().unwrap_or(""),
                &with,
                hop.class.as_ref().map_or("", |c| c.class.name()),
                &hop.delay.map_or(String::new(), |d| format!("{d}s")),
                place(hop.status),
                &flags.join(" "),
            ];
            let extra = campaign.push_extras(&values);
            let access = &mut campaign.accesses[i];
            access.extra = extra;
            access.line = hop.hop.line as u32;
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
        assert!(hops > 0);
        let first = &campaign.accesses[0];
        assert!(campaign.user_agent(first.user_agent).starts_with("from "));
        assert_eq!(campaign.files[0].format, LogFormat::Mail);
        let extras: Vec<_> = campaign.extras(first).map(|(k, _)| k).collect();
        assert_eq!(extras, HOP_COLUMNS);
        let place = campaign
            .extras(first)
            .find(|(k, _)| *k == "place")
            .unwrap()
            .1;
        assert!(["origin", "trusted", "below-trust", "forged"].contains(&place));
        assert!(campaign.recipient_name(first).starts_with("#1 "));
    }
}
