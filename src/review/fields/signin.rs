//! The facts only a sign-in or audit event has (`model::SignInRow`): its
//! account, operation, kind, result, the judgement against the account's
//! history and its reasons, the client, application, device and location
//! as the log gives them, the session, a sent mail's Message-ID, and the
//! raw record. The time, the address, its owner and the verdict are the
//! [`Common`](super::Common) fields.

use std::borrow::Cow;

use super::rank::{MISSING, ranked_per_value};
use super::{CellKind, Form, Subject};
use crate::review::context::ReviewContext;

/// A fact of a sign-in event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SignInField {
    /// The account (its row's recipient).
    Account,
    Operation,
    /// `sign-in`, `send`, `inbox-rule`…
    Kind,
    Result,
    /// `expected`, `unsure`, `suspicious`.
    Judgement,
    /// The judgement's total weight.
    Score,
    Why,
    Client,
    /// The User-Agent as the log gives it (its row's client text).
    UserAgent,
    App,
    Device,
    Location,
    Session,
    MessageId,
    Record,
}

impl SignInField {
    pub const ALL: [SignInField; 15] = [
        SignInField::Account,
        SignInField::Operation,
        SignInField::Kind,
        SignInField::Result,
        SignInField::Judgement,
        SignInField::Score,
        SignInField::Why,
        SignInField::Client,
        SignInField::UserAgent,
        SignInField::App,
        SignInField::Device,
        SignInField::Location,
        SignInField::Session,
        SignInField::MessageId,
        SignInField::Record,
    ];

    /// The key in CSV headers and JSON objects.
    pub fn name(self) -> &'static str {
        match self {
            SignInField::Account => "account",
            SignInField::Operation => "operation",
            SignInField::Kind => "op_kind",
            SignInField::Result => "result",
            SignInField::Judgement => "judgement",
            SignInField::Score => "score",
            SignInField::Why => "why",
            SignInField::Client => "client",
            SignInField::UserAgent => "event_user_agent",
            SignInField::App => "app",
            SignInField::Device => "device",
            SignInField::Location => "location",
            SignInField::Session => "session",
            SignInField::MessageId => "message_id",
            SignInField::Record => "record",
        }
    }

    /// The column header of a table.
    pub fn title(self) -> &'static str {
        match self {
            SignInField::Account => "account",
            SignInField::Operation => "operation",
            SignInField::Kind => "kind",
            SignInField::Result => "result",
            SignInField::Judgement => "judged",
            SignInField::Score => "score",
            SignInField::Why => "why",
            SignInField::Client => "client",
            SignInField::UserAgent => "user agent",
            SignInField::App => "app",
            SignInField::Device => "device",
            SignInField::Location => "location",
            SignInField::Session => "session",
            SignInField::MessageId => "message-id",
            SignInField::Record => "record",
        }
    }

    /// The names a filter term may use (`op:send`, `account:taro`, `result:fail`).
    pub fn filter_names(self) -> &'static [&'static str] {
        match self {
            SignInField::Account => &["account", "acct", "user", "upn"],
            SignInField::Operation => &["op", "operation"],
            SignInField::Kind => &["kind"],
            SignInField::Result => &["result", "res", "status"],
            SignInField::Judgement => &["judged", "judgement", "sugg", "suggestion", "suggest"],
            SignInField::Score => &["score"],
            SignInField::Why => &["why", "reason", "reasons"],
            SignInField::Client => &["client"],
            SignInField::UserAgent => &["ua", "agent"],
            SignInField::App => &["app", "application"],
            SignInField::Device => &["device", "os"],
            SignInField::Location => &["loc", "location"],
            SignInField::Session => &["session", "sid"],
            SignInField::MessageId => &["msgid", "message-id", "messageid"],
            SignInField::Record => &["record", "raw"],
        }
    }

    pub fn kind(self) -> CellKind {
        match self {
            SignInField::Score => CellKind::Number,
            SignInField::Kind | SignInField::Judgement => CellKind::Fixed,
            _ => CellKind::Text,
        }
    }

    pub fn subject(self) -> Subject {
        match self {
            SignInField::Account => Subject::Recipient,
            SignInField::UserAgent => Subject::UserAgent,
            _ => Subject::Row,
        }
    }

    /// The text of this fact for sign-in row `i` (not yet escaped for a terminal).
    pub fn text<'a>(self, ctx: &ReviewContext<'a>, i: u32, _form: Form) -> Cow<'a, str> {
        let campaign = &ctx.analysis.campaign;
        match self {
            SignInField::Account => return Cow::Borrowed(campaign.recipient_name(ctx.access(i))),
            SignInField::UserAgent => {
                return Cow::Borrowed(campaign.user_agent(ctx.access(i).user_agent));
            }
            _ => {}
        }
        let Some(row) = ctx.signin(i) else {
            return Cow::Borrowed("");
        };
        match self {
            SignInField::Operation => Cow::Borrowed(&row.operation),
            SignInField::Kind => Cow::Borrowed(row.kind),
            SignInField::Result => Cow::Borrowed(&row.result),
            SignInField::Judgement => Cow::Borrowed(row.judgement),
            SignInField::Score => Cow::Owned(format!("{:.1}", row.score)),
            SignInField::Why => Cow::Borrowed(&row.why),
            SignInField::Client => Cow::Borrowed(&row.client),
            SignInField::App => Cow::Borrowed(&row.app),
            SignInField::Device => Cow::Borrowed(&row.device),
            SignInField::Location => Cow::Borrowed(&row.location),
            SignInField::Session => Cow::Borrowed(&row.session),
            SignInField::MessageId => Cow::Borrowed(&row.message_id),
            SignInField::Record => Cow::Borrowed(&row.record),
            SignInField::Account | SignInField::UserAgent => Cow::Borrowed(""),
        }
    }

    /// One sort key per row of `rows`: the judgement from suspicious down,
    /// the score by value, the rest as text; missing values last.
    pub fn sort_keys(self, ctx: &ReviewContext<'_>, rows: &[u32]) -> Vec<u64> {
        match self {
            SignInField::Judgement => rows
                .iter()
                .map(|&i| {
                    ctx.signin(i).map_or(MISSING, |r| match r.judgement {
                        "suspicious" => 0,
                        "unsure" => 1,
                        "expected" => 2,
                        _ => MISSING,
                    })
                })
                .collect(),
            // Highest first: the order the analyst reads them in.
            SignInField::Score => rows
                .iter()
                .map(|&i| {
                    ctx.signin(i).map_or(MISSING, |r| {
                        u64::MAX / 2 - ((r.score * 100.0) as i64 as u64)
                    })
                })
                .collect(),
            _ => ranked_per_value(
                rows,
                ctx.len(),
                |i| Some(i as usize),
                |i| self.text(ctx, i as u32, Form::Display),
            ),
        }
    }
}
