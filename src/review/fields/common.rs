//! The facts every kind of reviewed row has: when it happened, the address
//! it came from and who owns that address, and how it was judged. They are
//! read through the context's row accessors (`time_of`, `ip_of`, `verdict`,
//! `suggested`, `reasons_line`, `verdict_source`) and the address's facts
//! through its [`IpId`], never through an access.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::sync::Arc;

use super::rank::{MISSING, rank_by, ranked_per_value, time_key};
use super::{CellKind, Form, Subject};
use crate::model::{IpId, RowKind};
use crate::review::context::ReviewContext;

/// How a row without a time shows it.
pub const NO_DATE: &str = "no date";

/// A fact common to every kind of reviewed row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Common {
    Time,
    Ip,
    Network,
    Asn,
    AsOrg,
    Isp,
    Organization,
    Country,
    City,
    ConnectionType,
    UserType,
    OwnerFlags,
    /// The owner as the report states it: `AS8075 Microsoft Corporation`,
    /// `internal (private)`, `unknown`.
    Owner,
    /// The owner as the analyst knows it: their note, else the
    /// organisation or ISP, else the AS organisation, else the internal reason.
    OwnerLabel,
    Suggestion,
    /// How sure the suggestion is: the calibrated probability that it is
    /// right (`0.93` in a record, `93%` on screen).
    Confidence,
    /// Why the suggestion leans the way it does.
    Reasons,
    Verdict,
    /// Where the verdict came from (`rule asn:8075 (2026-09-28, sato)`).
    VerdictSource,
}

impl Common {
    pub const ALL: [Common; 19] = [
        Common::Time,
        Common::Ip,
        Common::Network,
        Common::Asn,
        Common::AsOrg,
        Common::Isp,
        Common::Organization,
        Common::Country,
        Common::City,
        Common::ConnectionType,
        Common::UserType,
        Common::OwnerFlags,
        Common::Owner,
        Common::OwnerLabel,
        Common::Suggestion,
        Common::Confidence,
        Common::Reasons,
        Common::Verdict,
        Common::VerdictSource,
    ];

    /// Whether rows of `kind` have this fact. The suggestion and its
    /// reasons come from the click signals (User-Agent, screen, timing after
    /// delivery…), which say nothing of a mail's hop.
    pub fn applies_to(self, kind: RowKind) -> bool {
        match kind {
            RowKind::Access => true,
            RowKind::Hop => !matches!(
                self,
                Common::Suggestion | Common::Reasons | Common::Confidence
            ),
            // A sign-in is judged by its own fields (`SignInField::Judgement`, `Why`).
            RowKind::SignIn => !matches!(
                self,
                Common::Suggestion | Common::Reasons | Common::Confidence
            ),
        }
    }

    /// The key in the report's CSV header and JSON objects.
    pub fn name(self) -> &'static str {
        match self {
            Common::Time => "time",
            Common::Ip => "ip",
            Common::Network => "network",
            Common::Asn => "asn",
            Common::AsOrg => "as_org",
            Common::Isp => "isp",
            Common::Organization => "organization",
            Common::Country => "country",
            Common::City => "city",
            Common::ConnectionType => "connection_type",
            Common::UserType => "user_type",
            Common::OwnerFlags => "owner_flags",
            Common::Owner => "owner",
            Common::OwnerLabel => "owner_label",
            Common::Suggestion => "suggestion",
            Common::Confidence => "confidence",
            Common::Reasons => "reasons",
            Common::Verdict => "verdict",
            Common::VerdictSource => "verdict_source",
        }
    }

    /// The column header of a table.
    pub fn title(self) -> &'static str {
        match self {
            Common::Time => "time",
            Common::Ip => "ip",
            Common::Network => "network",
            Common::Asn => "asn",
            Common::AsOrg => "as org",
            Common::Isp => "isp",
            Common::Organization => "organization",
            Common::Country => "cc",
            Common::City => "city",
            Common::ConnectionType => "connection",
            Common::UserType => "user type",
            Common::OwnerFlags => "flags",
            Common::Owner | Common::OwnerLabel => "owner",
            Common::Suggestion => "suggest",
            Common::Confidence => "conf",
            Common::Reasons => "reasons",
            Common::Verdict => "verdict",
            Common::VerdictSource => "source",
        }
    }

    /// The names a filter term may use (`org:microsoft`); none for a field
    /// the filter does not offer.
    pub fn filter_names(self) -> &'static [&'static str] {
        match self {
            Common::Time => &["time", "date"],
            Common::Ip => &["ip", "addr"],
            Common::Network => &["net", "network"],
            Common::Asn => &["asn", "as"],
            Common::Country => &["country", "cc"],
            Common::City => &["city"],
            Common::OwnerLabel => &["org", "owner", "isp", "note"],
            Common::Suggestion => &["suggest", "suggestion", "sugg"],
            Common::Verdict => &["verdict", "label"],
            Common::AsOrg
            | Common::Isp
            | Common::Organization
            | Common::ConnectionType
            | Common::UserType
            | Common::OwnerFlags
            | Common::Owner
            | Common::Confidence
            | Common::Reasons
            | Common::VerdictSource => &[],
        }
    }

    pub fn kind(self) -> CellKind {
        match self {
            Common::Asn | Common::Confidence => CellKind::Number,
            Common::Time
            | Common::Ip
            | Common::Network
            | Common::OwnerFlags
            | Common::Suggestion
            | Common::Verdict => CellKind::Fixed,
            Common::AsOrg
            | Common::Isp
            | Common::Organization
            | Common::Country
            | Common::City
            | Common::ConnectionType
            | Common::UserType
            | Common::Owner
            | Common::OwnerLabel
            | Common::Reasons
            | Common::VerdictSource => CellKind::Text,
        }
    }

    pub fn subject(self) -> Subject {
        match self {
            Common::Time
            | Common::Suggestion
            | Common::Confidence
            | Common::Reasons
            | Common::Verdict
            | Common::VerdictSource => Subject::Row,
            _ => Subject::Address,
        }
    }

    /// The text of this fact for row `i` (not yet escaped for a terminal).
    pub fn text<'a>(self, ctx: &ReviewContext<'a>, i: u32, form: Form) -> Cow<'a, str> {
        let zone = &ctx.analysis.zone;
        match self {
            Common::Time => match (ctx.time_of(i), form) {
                (Some(t), Form::Record) => Cow::Owned(t.format_rfc3339(zone)),
                (Some(t), Form::Display) => Cow::Owned(t.format_short(zone)),
                // A hop whose Received line has no date: never a made-up time.
                (None, Form::Record) => Cow::Borrowed(""),
                (None, Form::Display) => Cow::Borrowed(NO_DATE),
            },
            Common::Suggestion => Cow::Borrowed(ctx.suggested(i).map_or("", |l| l.as_str())),
            Common::Confidence => ctx
                .confidence(i)
                .map_or(Cow::Borrowed(""), |p| Cow::Owned(confidence_text(p, form))),
            Common::Reasons => Cow::Owned(ctx.reasons_line(i)),
            Common::Verdict => Cow::Borrowed(ctx.verdict(i).map_or("", |v| v.as_str())),
            Common::VerdictSource => ctx.verdict_source(i).map_or(Cow::Borrowed(""), Cow::Owned),
            _ => self.of_address(ctx, ctx.ip_of(i), form),
        }
    }

    /// The text of an address's fact for address `ip`; empty for the facts
    /// that are not the address's ([`Subject::Row`]).
    pub fn of_address<'a>(self, ctx: &ReviewContext<'a>, ip: IpId, form: Form) -> Cow<'a, str> {
        let analysis = ctx.analysis;
        let owner = &analysis.owners[ip.index()];
        let opt = |value: &'a Option<Arc<str>>| Cow::Borrowed(value.as_deref().unwrap_or(""));
        match self {
            Common::Ip => Cow::Owned(analysis.campaign.ip(ip).to_string()),
            Common::Network => owner
                .network
                .map_or(Cow::Borrowed(""), |n| Cow::Owned(n.to_string())),
            Common::Asn => owner.asn.map_or(Cow::Borrowed(""), |n| {
                Cow::Owned(match form {
                    Form::Record => n.to_string(),
                    Form::Display => format!("AS{n}"),
                })
            }),
            Common::AsOrg => match owner.internal {
                Some(why) if owner.as_org.is_none() => Cow::Owned(format!("internal ({why})")),
                _ => opt(&owner.as_org),
            },
            Common::Isp => opt(&owner.isp),
            Common::Organization => opt(&owner.organization),
            Common::Country => opt(&owner.country_code),
            Common::City => opt(&owner.city),
            Common::ConnectionType => opt(&owner.connection_type),
            Common::UserType => opt(&owner.user_type),
            Common::OwnerFlags => {
                let names: Vec<&str> = owner.flags.names().collect();
                Cow::Owned(names.join(" "))
            }
            Common::Owner => Cow::Owned(owner.to_string()),
            Common::OwnerLabel => ctx.owner_label(ip),
            Common::Time
            | Common::Suggestion
            | Common::Confidence
            | Common::Reasons
            | Common::Verdict
            | Common::VerdictSource => Cow::Borrowed(""),
        }
    }

    /// One sort key per row of `rows`: comparing keys orders the rows by
    /// this fact. An address's facts are ranked once per distinct address.
    pub fn sort_keys(self, ctx: &ReviewContext<'_>, rows: &[u32]) -> Vec<u64> {
        let analysis = ctx.analysis;
        let per_address = |ranks: Vec<u64>| -> Vec<u64> {
            rows.iter().map(|&i| ranks[ctx.ip_of(i).index()]).collect()
        };
        match self {
            Common::Time => rows.iter().map(|&i| time_key(ctx, i)).collect(),
            Common::Suggestion => rows.iter().map(|&i| ctx.suggestion(i) as u64).collect(),
            // Per mille, so that 93.4% and 93.0% order as they read.
            Common::Confidence => rows
                .iter()
                .map(|&i| {
                    ctx.confidence(i)
                        .map_or(MISSING, |p| (p * 1000.0).round() as u64)
                })
                .collect(),
            Common::Verdict => rows
                .iter()
                .map(|&i| ctx.verdict(i).map_or(MISSING, |v| v as u64))
                .collect(),
            Common::Reasons | Common::VerdictSource => ranked_per_value(
                rows,
                ctx.len(),
                |i| Some(i as usize),
                |i| self.text(ctx, i as u32, Form::Display),
            ),
            Common::Asn => rows
                .iter()
                .map(|&i| {
                    analysis.owners[ctx.ip_of(i).index()]
                        .asn
                        .map_or(MISSING, u64::from)
                })
                .collect(),
            Common::Ip => per_address(rank_by(&analysis.campaign.ips, |a, b| a.cmp(b))),
            Common::Network => {
                // Ranked once per distinct owner, then read per address.
                let owners = &analysis.owners;
                let ranks = rank_by(owners.distinct(), |a, b| match (&a.network, &b.network) {
                    (Some(x), Some(y)) => x.ip().cmp(&y.ip()).then(x.prefix().cmp(&y.prefix())),
                    (Some(_), None) => Ordering::Less,
                    (None, Some(_)) => Ordering::Greater,
                    (None, None) => Ordering::Equal,
                });
                per_address(
                    (0..owners.len())
                        .map(|ip| ranks[owners.distinct_index(ip)])
                        .collect(),
                )
            }
            // The text of each distinct address, ranked.
            _ => ranked_per_value(
                rows,
                analysis.campaign.ips.len(),
                |i| Some(ctx.ip_of(i).index()),
                |ip| self.of_address(ctx, IpId(ip as u32), Form::Display),
            ),
        }
    }
}

/// A confidence as a record writes it (`0.93`, two decimals: finer reads
/// more precision than the calibration has) or as a person reads it
/// (`93%`). Rounded down, so that a near-certain suggestion never reads
/// as certain (`1.00`, `100%`).
pub fn confidence_text(p: f32, form: Form) -> String {
    let hundredths = (p * 100.0).floor().min(99.0);
    if !(0.0..=99.0).contains(&hundredths) {
        // Not a probability: said as it is rather than hidden.
        return match form {
            Form::Record => format!("{:.2}", hundredths / 100.0),
            Form::Display => format!("{hundredths:.0}%"),
        };
    }
    // A whole number of hundredths from 0 to 99: integer formatting, which
    // a report of a million rows notices (float formatting was not free).
    let h = hundredths as u8;
    match form {
        Form::Record => format!("0.{h:02}"),
        Form::Display => format!("{h}%"),
    }
}
