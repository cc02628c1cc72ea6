//! The fields of a group row: accesses gathered by address, network, AS or
//! recipient, each shown with the numbers an analyst decides on. A group is
//! a row of its own kind, made of accesses: it has no single time, address
//! or verdict, so none of the common fields.

use std::cmp::{Ordering, Reverse};

use crate::model::RowKind;
use crate::review::context::ReviewContext;
use crate::review::group::{Group, GroupBy, GroupKey};
use crate::text::{escape_controls, format_delay};

/// A column of a group view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GroupField {
    /// What the group gathers by: its address, network, AS or recipient.
    Key,
    Owner,
    Accesses,
    Recipients,
    Human,
    Scanner,
    Unlabelled,
    First,
    Last,
    Fastest,
    TypicalUa,
    Screen,
    Suggestion,
    /// Unsure recipients a decision on the group settles.
    Impact,
}

impl GroupField {
    pub const ALL: [GroupField; 14] = [
        GroupField::Key,
        GroupField::Owner,
        GroupField::Accesses,
        GroupField::Recipients,
        GroupField::Human,
        GroupField::Scanner,
        GroupField::Unlabelled,
        GroupField::First,
        GroupField::Last,
        GroupField::Fastest,
        GroupField::TypicalUa,
        GroupField::Screen,
        GroupField::Suggestion,
        GroupField::Impact,
    ];

    pub fn title(self) -> &'static str {
        match self {
            GroupField::Key => "group",
            GroupField::Owner => "owner",
            GroupField::Accesses => "acc",
            GroupField::Recipients => "rcpt",
            GroupField::Human => "hum",
            GroupField::Scanner => "scan",
            GroupField::Unlabelled => "unlab",
            GroupField::First => "first",
            GroupField::Last => "last",
            GroupField::Fastest => "fastest",
            GroupField::TypicalUa => "typical UA",
            GroupField::Screen => "screen",
            GroupField::Suggestion => "suggest",
            GroupField::Impact => "impact",
        }
    }

    /// Whether the field says anything in a view grouped `by`: a
    /// recipient's group has no one owner, and one recipient.
    pub fn applies_to(self, by: GroupBy) -> bool {
        !matches!(
            (self, by),
            (
                GroupField::Owner | GroupField::Recipients,
                GroupBy::Recipient
            )
        )
    }

    /// Whether groups of rows of `kind` have the field: the fastest time
    /// after delivery, the typical User-Agent and screen, the suggestion
    /// and the review queue's impact are a click's; a mail's hops have none.
    pub fn applies_to_rows(self, kind: RowKind) -> bool {
        kind == RowKind::Access
            || !matches!(
                self,
                GroupField::Fastest
                    | GroupField::TypicalUa
                    | GroupField::Screen
                    | GroupField::Suggestion
                    | GroupField::Impact
                    | GroupField::Human
                    | GroupField::Scanner
            )
    }

    /// The fields of a view of rows of `kind` grouped `by`, in display order.
    pub fn exported(by: GroupBy, kind: RowKind) -> Vec<GroupField> {
        GroupField::ALL
            .into_iter()
            .filter(|f| f.applies_to(by) && f.applies_to_rows(kind))
            .collect()
    }

    /// The title in a view of rows of `kind` grouped `by`: the key is named
    /// for what it is, and a mail's hops are counted as hops of mails.
    pub fn title_for(self, by: GroupBy, kind: RowKind) -> &'static str {
        match (self, by, kind) {
            (GroupField::Accesses, _, RowKind::Hop) => "hops",
            (GroupField::Recipients, _, RowKind::Hop) => "mails",
            (GroupField::Key, GroupBy::Recipient, RowKind::Hop) => "mail",
            _ => self.title_in(by),
        }
    }

    /// The title in a view grouped `by`: the key is named for what it is.
    pub fn title_in(self, by: GroupBy) -> &'static str {
        match (self, by) {
            (GroupField::Key, GroupBy::Ip) => "ip",
            (GroupField::Key, GroupBy::Network) => "network",
            (GroupField::Key, GroupBy::Asn) => "as",
            (GroupField::Key, GroupBy::Recipient) => "recipient",
            _ => self.title(),
        }
    }

    /// The text of this field for `group` (not yet escaped for a terminal).
    pub fn text(self, ctx: &ReviewContext<'_>, group: &Group) -> String {
        let campaign = &ctx.analysis.campaign;
        let zone = &ctx.analysis.zone;
        let s = &group.stats;
        match self {
            GroupField::Key => group.label(ctx),
            GroupField::Owner => group.owner_label(ctx),
            GroupField::Accesses => s.accesses.to_string(),
            GroupField::Recipients => s.recipients.to_string(),
            GroupField::Human => s.human.to_string(),
            GroupField::Scanner => s.scanner.to_string(),
            GroupField::Unlabelled => s.unlabelled.to_string(),
            // No member has a time: nothing to show rather than a made-up one.
            GroupField::First | GroupField::Last if s.first > s.last => String::new(),
            GroupField::First => s.first.format_short(zone),
            GroupField::Last => s.last.format_short(zone),
            GroupField::Fastest => s.fastest.map(format_delay).unwrap_or_default(),
            GroupField::TypicalUa => s
                .typical_ua
                .map(|ua| campaign.user_agent(ua).to_string())
                .unwrap_or_default(),
            GroupField::Screen => s.typical_screen.map(|v| v.to_string()).unwrap_or_default(),
            GroupField::Suggestion => s.suggestion.as_str().to_string(),
            GroupField::Impact => s.impact.to_string(),
        }
    }

    /// How two groups compare by this field; missing values last.
    pub fn compare(self, ctx: &ReviewContext<'_>, a: &Group, b: &Group) -> Ordering {
        let (x, y) = (&a.stats, &b.stats);
        match self {
            GroupField::Key => key_order(ctx, &a.key, &b.key),
            GroupField::Owner => a
                .owner_label(ctx)
                .to_lowercase()
                .cmp(&b.owner_label(ctx).to_lowercase()),
            GroupField::Accesses => x.accesses.cmp(&y.accesses),
            GroupField::Recipients => x.recipients.cmp(&y.recipients),
            GroupField::Human => x.human.cmp(&y.human),
            GroupField::Scanner => x.scanner.cmp(&y.scanner),
            GroupField::Unlabelled => x.unlabelled.cmp(&y.unlabelled),
            GroupField::First => x.first.cmp(&y.first),
            GroupField::Last => x.last.cmp(&y.last),
            GroupField::Fastest => match (x.fastest, y.fastest) {
                (Some(p), Some(q)) => p.total_cmp(&q),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            },
            GroupField::TypicalUa => typical_ua(ctx, a).cmp(&typical_ua(ctx, b)),
            GroupField::Screen => x
                .typical_screen
                .map(Reverse)
                .cmp(&y.typical_screen.map(Reverse))
                .reverse(),
            GroupField::Suggestion => x.suggestion.cmp(&y.suggestion),
            GroupField::Impact => x.impact.cmp(&y.impact),
        }
    }
}

fn typical_ua(ctx: &ReviewContext<'_>, g: &Group) -> String {
    g.stats
        .typical_ua
        .map(|ua| escape_controls(ctx.analysis.campaign.user_agent(ua)).to_lowercase())
        .unwrap_or_default()
}

fn key_order(ctx: &ReviewContext<'_>, a: &GroupKey, b: &GroupKey) -> Ordering {
    let campaign = &ctx.analysis.campaign;
    match (a, b) {
        (GroupKey::Ip(x), GroupKey::Ip(y)) => campaign.ip(*x).cmp(&campaign.ip(*y)),
        (GroupKey::Network { network: x, .. }, GroupKey::Network { network: y, .. }) => {
            x.ip().cmp(&y.ip()).then(x.prefix().cmp(&y.prefix()))
        }
        // Unknown AS last.
        (GroupKey::Asn(x), GroupKey::Asn(y)) => x.map(Reverse).cmp(&y.map(Reverse)).reverse(),
        (GroupKey::Recipient(x), GroupKey::Recipient(y)) => {
            let name = |r: &Option<crate::model::RecipientId>| {
                r.map(|r| {
                    campaign
                        .strings
                        .get(campaign.recipient(r).name)
                        .to_lowercase()
                })
            };
            name(x).map(Reverse).cmp(&name(y).map(Reverse)).reverse()
        }
        _ => Ordering::Equal,
    }
}
