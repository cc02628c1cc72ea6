//! The facts only a mail's Received hop has (`model::HopRow`): its mail,
//! its number in the chain, who handed it over and who wrote the line, the
//! protocol, the class of the sender's address, the delay since the
//! previous hop, where it stands relative to the trust boundary, the flags,
//! and the raw line. The time, the address, its owner and the verdict are
//! the [`Common`](super::Common) fields.

use std::borrow::Cow;

use super::rank::{MISSING, ranked_per_value};
use super::{CellKind, Form, Subject};
use crate::model::HopRow;
use crate::review::context::ReviewContext;
use crate::text::format_delay;

/// A fact of a hop.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HopField {
    /// The mail the hop belongs to (`#1 subject`), its row's recipient.
    Message,
    /// 1 is the sender's end.
    Number,
    /// HELO and reverse DNS of the sender.
    From,
    By,
    /// The protocol.
    With,
    /// `provider`, `internal`, `external`.
    Class,
    /// Seconds since the previous hop; negative ones are flagged.
    Delay,
    /// `origin`, `trusted`, `below-trust`, `forged`.
    Place,
    Flags,
    /// The Received line as written (unfolded).
    Received,
}

impl HopField {
    pub const ALL: [HopField; 10] = [
        HopField::Message,
        HopField::Number,
        HopField::From,
        HopField::By,
        HopField::With,
        HopField::Class,
        HopField::Delay,
        HopField::Place,
        HopField::Flags,
        HopField::Received,
    ];

    /// The key in CSV headers and JSON objects.
    pub fn name(self) -> &'static str {
        match self {
            HopField::Message => "message",
            HopField::Number => "hop",
            HopField::From => "from",
            HopField::By => "by",
            HopField::With => "with",
            HopField::Class => "class",
            HopField::Delay => "delay_seconds",
            HopField::Place => "place",
            HopField::Flags => "hop_flags",
            HopField::Received => "received",
        }
    }

    /// The column header of a table.
    pub fn title(self) -> &'static str {
        match self {
            HopField::Message => "mail",
            HopField::Number => "hop",
            HopField::From => "from",
            HopField::By => "by",
            HopField::With => "with",
            HopField::Class => "class",
            HopField::Delay => "delay",
            HopField::Place => "place",
            HopField::Flags => "flags",
            HopField::Received => "received",
        }
    }

    /// The names a filter term may use (`place:origin`, `delay:<0`).
    pub fn filter_names(self) -> &'static [&'static str] {
        match self {
            HopField::Message => &["mail", "message", "msg", "subject"],
            HopField::Number => &["hop"],
            HopField::From => &["from", "helo"],
            HopField::By => &["by"],
            HopField::With => &["with", "proto", "protocol"],
            HopField::Class => &["class"],
            HopField::Delay => &["delay"],
            HopField::Place => &["place"],
            HopField::Flags => &["flag", "flags"],
            HopField::Received => &["received", "line"],
        }
    }

    pub fn kind(self) -> CellKind {
        match self {
            HopField::Number | HopField::Delay => CellKind::Number,
            HopField::Class | HopField::Place | HopField::Flags => CellKind::Fixed,
            HopField::Message
            | HopField::From
            | HopField::By
            | HopField::With
            | HopField::Received => CellKind::Text,
        }
    }

    pub fn subject(self) -> Subject {
        match self {
            HopField::Message => Subject::Recipient,
            HopField::Received => Subject::UserAgent,
            _ => Subject::Row,
        }
    }

    /// The text of this fact for hop row `i` (not yet escaped for a terminal).
    pub fn text<'a>(self, ctx: &ReviewContext<'a>, i: u32, form: Form) -> Cow<'a, str> {
        let campaign = &ctx.analysis.campaign;
        match self {
            HopField::Message => return Cow::Borrowed(campaign.recipient_name(ctx.access(i))),
            HopField::Received => {
                return Cow::Borrowed(campaign.user_agent(ctx.access(i).user_agent));
            }
            _ => {}
        }
        let Some(hop) = ctx.hop(i) else {
            return Cow::Borrowed("");
        };
        match self {
            HopField::Number => Cow::Owned(hop.number.to_string()),
            HopField::From => Cow::Borrowed(&hop.from),
            HopField::By => Cow::Borrowed(&hop.by),
            HopField::With => Cow::Borrowed(&hop.with),
            HopField::Class => Cow::Borrowed(hop.class),
            HopField::Delay => hop.delay.map_or(Cow::Borrowed(""), |d| {
                Cow::Owned(match form {
                    Form::Record => d.to_string(),
                    Form::Display => display_delay(d),
                })
            }),
            HopField::Place => Cow::Borrowed(hop.place),
            HopField::Flags => Cow::Owned(hop.flags.join(" ")),
            HopField::Message | HopField::Received => Cow::Borrowed(""),
        }
    }

    /// One sort key per row of `rows`. Mails keep their order in the batch
    /// (`#2` before `#10`); delays order by their signed value, the
    /// negative (flagged) first; missing values last.
    pub fn sort_keys(self, ctx: &ReviewContext<'_>, rows: &[u32]) -> Vec<u64> {
        let of = |f: &dyn Fn(&HopRow) -> u64| -> Vec<u64> {
            rows.iter()
                .map(|&i| ctx.hop(i).map_or(MISSING, f))
                .collect()
        };
        match self {
            HopField::Message => rows
                .iter()
                .map(|&i| {
                    ctx.access(i)
                        .recipient()
                        .map_or(MISSING, |r| r.index() as u64)
                })
                .collect(),
            HopField::Number => of(&|h| u64::from(h.number)),
            HopField::Delay => of(&|h| h.delay.map_or(MISSING, |d| (d as u64) ^ (1 << 63))),
            _ => ranked_per_value(
                rows,
                ctx.len(),
                |i| Some(i as usize),
                |i| self.text(ctx, i as u32, Form::Display),
            ),
        }
    }
}

/// A delay as the table shows it: `2s`, `4m10s`; a negative one (the
/// clocks disagree, or a line was forged) marked `!`.
fn display_delay(seconds: i64) -> String {
    let text = format_delay(seconds as f64);
    // Whole seconds: `2.0s` reads as false precision.
    let text = text
        .strip_suffix(".0s")
        .map_or(text.clone(), |t| format!("{t}s"));
    if seconds < 0 {
        format!("{text} !")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_read_whole_and_negative_ones_are_marked() {
        assert_eq!(display_delay(2), "2s");
        assert_eq!(display_delay(250), "4m10s");
        assert_eq!(display_delay(-5), "-5s !");
        assert_eq!(display_delay(0), "0s");
    }
}
