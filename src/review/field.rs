//! The facts of an access the review screen shows, filters and sorts by.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use super::context::ReviewContext;
use crate::model::Sym;
use crate::text::format_delay;

/// A column of the accesses table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Time,
    Recipient,
    Ip,
    Owner,
    Country,
    Browser,
    Os,
    Category,
    Screen,
    AfterSent,
    Suggestion,
    Verdict,
    Event,
    Method,
    Network,
    Asn,
    City,
    UserAgent,
}

impl Field {
    pub const ALL: [Field; 18] = [
        Field::Time,
        Field::Recipient,
        Field::Ip,
        Field::Owner,
        Field::Country,
        Field::Browser,
        Field::Os,
        Field::Category,
        Field::Screen,
        Field::AfterSent,
        Field::Suggestion,
        Field::Verdict,
        Field::Event,
        Field::Method,
        Field::Network,
        Field::Asn,
        Field::City,
        Field::UserAgent,
    ];

    /// The column header.
    pub fn title(self) -> &'static str {
        match self {
            Field::Time => "time",
            Field::Recipient => "recipient",
            Field::Ip => "ip",
            Field::Owner => "owner",
            Field::Country => "cc",
            Field::Browser => "browser",
            Field::Os => "os",
            Field::Category => "device",
            Field::Screen => "screen",
            Field::AfterSent => "after",
            Field::Suggestion => "suggest",
            Field::Verdict => "verdict",
            Field::Event => "event",
            Field::Method => "method",
            Field::Network => "network",
            Field::Asn => "asn",
            Field::City => "city",
            Field::UserAgent => "user agent",
        }
    }

    /// The names a filter term may use for this field (`org:microsoft`).
    pub fn filter_names(self) -> &'static [&'static str] {
        match self {
            Field::Time => &["time", "date"],
            Field::Recipient => &["recipient", "rcpt", "to", "user", "email"],
            Field::Ip => &["ip", "addr"],
            Field::Owner => &["org", "owner", "isp", "note"],
            Field::Country => &["country", "cc"],
            Field::Browser => &["browser", "br"],
            Field::Os => &["os"],
            Field::Category => &["cat", "category", "device"],
            Field::Screen => &["screen"],
            Field::AfterSent => &["dt", "after", "delay"],
            Field::Suggestion => &["suggest", "suggestion", "sugg"],
            Field::Verdict => &["verdict", "label"],
            Field::Event => &["event"],
            Field::Method => &["method"],
            Field::Network => &["net", "network"],
            Field::Asn => &["asn", "as"],
            Field::City => &["city"],
            Field::UserAgent => &["ua", "agent"],
        }
    }

    pub fn from_filter_name(name: &str) -> Option<Field> {
        let lower = name.to_ascii_lowercase();
        Field::ALL
            .into_iter()
            .find(|f| f.filter_names().contains(&lower.as_str()))
    }

    /// The text of this field for access `i`, as shown in the table (not yet
    /// escaped for the terminal).
    pub fn text<'a>(self, ctx: &ReviewContext<'a>, i: u32) -> Cow<'a, str> {
        let a = ctx.access(i);
        let analysis = ctx.analysis;
        let campaign = &analysis.campaign;
        match self {
            Field::Time => Cow::Owned(a.time.format_short(&analysis.zone)),
            Field::Recipient => Cow::Borrowed(campaign.recipient_name(a)),
            Field::Ip => Cow::Owned(campaign.ip(a.ip).to_string()),
            Field::Owner => ctx.owner_label(a.ip),
            Field::Country => {
                Cow::Borrowed(analysis.owner(a).country_code.as_deref().unwrap_or(""))
            }
            Field::Browser => {
                let ua = analysis.ua(a);
                match ua.major_version() {
                    Some(major) => Cow::Owned(format!("{} {major}", ua.browser)),
                    None => Cow::Borrowed(&ua.browser),
                }
            }
            Field::Os => Cow::Borrowed(&analysis.ua(a).os),
            Field::Category => Cow::Borrowed(analysis.ua(a).category.as_str()),
            Field::Screen => a
                .screen
                .map_or(Cow::Borrowed(""), |s| Cow::Owned(s.to_string())),
            Field::AfterSent => campaign
                .seconds_after_sent(a)
                .map_or(Cow::Borrowed(""), |s| Cow::Owned(format_delay(s))),
            Field::Suggestion => Cow::Borrowed(ctx.suggestion(i).as_str()),
            Field::Verdict => Cow::Borrowed(ctx.verdict(i).map_or("", |v| v.as_str())),
            Field::Event => Cow::Borrowed(a.event.as_str()),
            Field::Method => Cow::Borrowed(campaign.strings.get(a.method)),
            Field::Network => analysis
                .owner(a)
                .network
                .map_or(Cow::Borrowed(""), |n| Cow::Owned(n.to_string())),
            Field::Asn => analysis
                .owner(a)
                .asn
                .map_or(Cow::Borrowed(""), |n| Cow::Owned(format!("AS{n}"))),
            Field::City => Cow::Borrowed(analysis.owner(a).city.as_deref().unwrap_or("")),
            Field::UserAgent => Cow::Borrowed(campaign.user_agent(a.user_agent)),
        }
    }

    /// One sort key per access: comparing keys orders accesses by this field.
    /// Text fields are ranked once per distinct value, so sorting a million
    /// rows compares integers, not strings. Missing values sort last.
    pub fn sort_keys(self, ctx: &ReviewContext<'_>, rows: &[u32]) -> Vec<u64> {
        const MISSING: u64 = u64::MAX;
        let analysis = ctx.analysis;
        let campaign = &analysis.campaign;
        match self {
            Field::Time => rows.iter().map(|&i| time_key(ctx, i)).collect(),
            Field::AfterSent => rows
                .iter()
                .map(|&i| {
                    campaign
                        .seconds_after_sent(ctx.access(i))
                        .map_or(MISSING, ordered_f64)
                })
                .collect(),
            Field::Asn => rows
                .iter()
                .map(|&i| analysis.owner(ctx.access(i)).asn.map_or(MISSING, u64::from))
                .collect(),
            Field::Screen => rows
                .iter()
                .map(|&i| {
                    ctx.access(i).screen.map_or(MISSING, |s| {
                        (u64::from(s.width) << 16) | u64::from(s.height)
                    })
                })
                .collect(),
            Field::Suggestion => rows.iter().map(|&i| ctx.suggestion(i) as u64).collect(),
            Field::Verdict => rows
                .iter()
                .map(|&i| ctx.verdict(i).map_or(MISSING, |v| v as u64))
                .collect(),
            Field::Event => rows.iter().map(|&i| ctx.access(i).event as u64).collect(),
            Field::Ip => {
                let ranks = rank_by(&campaign.ips, |a, b| a.cmp(b));
                rows.iter()
                    .map(|&i| ranks[ctx.access(i).ip.index()])
                    .collect()
            }
            Field::Network => {
                let ranks = rank_by(&analysis.owners, |a, b| match (&a.network, &b.network) {
                    (Some(x), Some(y)) => x.ip().cmp(&y.ip()).then(x.prefix().cmp(&y.prefix())),
                    (Some(_), None) => Ordering::Less,
                    (None, Some(_)) => Ordering::Greater,
                    (None, None) => Ordering::Equal,
                });
                rows.iter()
                    .map(|&i| ranks[ctx.access(i).ip.index()])
                    .collect()
            }
            // Per-address text: rank the distinct addresses' labels.
            Field::Owner | Field::Country | Field::City => {
                let labels: Vec<Cow<'_, str>> = (0..campaign.ips.len() as u32)
                    .map(|ip| per_ip_text(self, ctx, ip))
                    .collect();
                let ranks = rank_text(&labels);
                rows.iter()
                    .map(|&i| ranks[ctx.access(i).ip.index()])
                    .collect()
            }
            Field::Browser | Field::Os | Field::Category | Field::UserAgent => {
                // The first access of each User-Agent stands for all of them.
                let mut sample: HashMap<u32, u32> = HashMap::new();
                for &i in rows {
                    sample.entry(ctx.access(i).user_agent.0).or_insert(i);
                }
                let mut labels: Vec<Cow<'_, str>> =
                    vec![Cow::Borrowed(""); campaign.user_agents.len()];
                for (&ua, &i) in &sample {
                    labels[ua as usize] = self.text(ctx, i);
                }
                let ranks = rank_text(&labels);
                rows.iter()
                    .map(|&i| ranks[ctx.access(i).user_agent.index()])
                    .collect()
            }
            Field::Recipient => {
                let labels: Vec<&str> = campaign
                    .recipients
                    .iter()
                    .map(|r| campaign.strings.get(r.name))
                    .collect();
                let ranks = rank_text(&labels);
                rows.iter()
                    .map(|&i| {
                        ctx.access(i)
                            .recipient()
                            .map_or(MISSING, |r| ranks[r.index()])
                    })
                    .collect()
            }
            Field::Method => {
                let mut names: Vec<(&str, Sym)> = rows
                    .iter()
                    .map(|&i| ctx.access(i).method)
                    .collect::<HashSet<_>>()
                    .into_iter()
                    .map(|sym| (campaign.strings.get(sym), sym))
                    .collect();
                names.sort();
                let rank: HashMap<Sym, u64> = names
                    .iter()
                    .enumerate()
                    .map(|(r, &(_, sym))| (sym, r as u64))
                    .collect();
                rows.iter()
                    .map(|&i| rank.get(&ctx.access(i).method).copied().unwrap_or(MISSING))
                    .collect()
            }
        }
    }
}

fn per_ip_text<'a>(field: Field, ctx: &ReviewContext<'a>, ip: u32) -> Cow<'a, str> {
    let owner = &ctx.analysis.owners[ip as usize];
    match field {
        Field::Owner => ctx.owner_label(crate::model::IpId(ip)),
        Field::Country => Cow::Borrowed(owner.country_code.as_deref().unwrap_or("")),
        _ => Cow::Borrowed(owner.city.as_deref().unwrap_or("")),
    }
}

/// The time key used everywhere as the tie-break.
pub fn time_key(ctx: &ReviewContext<'_>, i: u32) -> u64 {
    // Shift so that pre-1970 times still order correctly as unsigned.
    (ctx.access(i).time.as_nanos() as u64) ^ (1 << 63)
}

/// Maps an f64 to a u64 with the same order.
fn ordered_f64(v: f64) -> u64 {
    let bits = v.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    }
}

/// The rank of each item in sorted order (equal items share a rank).
fn rank_by<T>(items: &[T], cmp: impl Fn(&T, &T) -> Ordering) -> Vec<u64> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| cmp(&items[a], &items[b]));
    let mut ranks = vec![0u64; items.len()];
    let mut rank = 0u64;
    for (n, &idx) in order.iter().enumerate() {
        if n > 0 && cmp(&items[order[n - 1]], &items[idx]) != Ordering::Equal {
            rank += 1;
        }
        ranks[idx] = rank;
    }
    ranks
}

/// Case-insensitive text ranks; empty text ranks last.
fn rank_text<S: AsRef<str>>(labels: &[S]) -> Vec<u64> {
    let folded: Vec<String> = labels.iter().map(|s| s.as_ref().to_lowercase()).collect();
    let mut ranks = rank_by(&folded, |a, b| match (a.is_empty(), b.is_empty()) {
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        _ => a.cmp(b),
    });
    for (rank, label) in ranks.iter_mut().zip(&folded) {
        if label.is_empty() {
            *rank = u64::MAX;
        }
    }
    ranks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_keys_keep_order() {
        let values = [-5.5, -0.1, 0.0, 0.2, 3.0, 1e9];
        let keys: Vec<u64> = values.iter().map(|&v| ordered_f64(v)).collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn text_ranks_fold_case_and_put_empty_last() {
        let ranks = rank_text(&["b", "", "A", "a"]);
        assert_eq!(ranks, vec![1, u64::MAX, 0, 0]);
    }

    #[test]
    fn filter_names_resolve() {
        assert_eq!(Field::from_filter_name("ORG"), Some(Field::Owner));
        assert_eq!(Field::from_filter_name("dt"), Some(Field::AfterSent));
        assert_eq!(Field::from_filter_name("nope"), None);
    }
}
