//! The table's columns, apart from drawing: which fields of the catalogue
//! (`review::Field`, `review::GroupField`) each view shows and in which
//! order they give way on a narrow terminal, how wide they may be, their
//! cells as the screen shows them (the fields' display text, escaped; times
//! without their year where room is short), and their natural widths
//! (measured once per view build on a sample of rows, where the rows are
//! built, never per frame). Where they go on screen is the drawing's
//! decision (`ui::placement`).

use std::borrow::Cow;

use crate::model::RowKind;
use crate::review::{
    AccessField, Common, Field, Form, Group, GroupBy, GroupField, HopField, LabelBook, LabelKey,
    ReviewContext, SignInField, ViewKind, ViewRows, group_rule,
};
use crate::text::{display_width, escape_controls};

/// A column of the accesses view or of a group view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Col {
    Access(Field),
    Group(GroupField),
    /// The group's own rule (IP, network or AS), when it has one.
    Rule,
}

const fn common(field: Common) -> Col {
    Col::Access(Field::Common(field))
}

const fn access(field: AccessField) -> Col {
    Col::Access(Field::Access(field))
}

const fn hop(field: HopField) -> Col {
    Col::Access(Field::Hop(field))
}

const fn signin(field: SignInField) -> Col {
    Col::Access(Field::SignIn(field))
}

/// Sign-in and audit events: their own judgement against the account's
/// history, not the click signals.
const SIGNIN_COLUMNS: &[Col] = &[
    common(Common::Time),
    signin(SignInField::Account),
    signin(SignInField::Operation),
    signin(SignInField::Result),
    common(Common::Ip),
    common(Common::OwnerLabel),
    common(Common::Asn),
    common(Common::Country),
    signin(SignInField::Client),
    signin(SignInField::Judgement),
    common(Common::Verdict),
    signin(SignInField::Why),
];

const SIGNIN_DROP: &[Col] = &[
    signin(SignInField::Why),
    signin(SignInField::Client),
    common(Common::Asn),
    common(Common::Country),
    signin(SignInField::Result),
    signin(SignInField::Account),
    common(Common::Time),
    common(Common::OwnerLabel),
];

const ACCESS_COLUMNS: &[Col] = &[
    common(Common::Time),
    access(AccessField::Recipient),
    common(Common::Ip),
    common(Common::OwnerLabel),
    common(Common::Country),
    access(AccessField::Browser),
    access(AccessField::Os),
    access(AccessField::Category),
    access(AccessField::Screen),
    access(AccessField::AfterSent),
    common(Common::Suggestion),
    common(Common::Confidence),
    common(Common::Verdict),
];

/// Dropped first to last when the terminal is too narrow.
const ACCESS_DROP: &[Col] = &[
    common(Common::Confidence),
    access(AccessField::Category),
    access(AccessField::Os),
    common(Common::Country),
    access(AccessField::Screen),
    access(AccessField::Browser),
    common(Common::Suggestion),
    access(AccessField::AfterSent),
    access(AccessField::Recipient),
    common(Common::Time),
    common(Common::OwnerLabel),
];

/// A mail's hops: the click signals' columns (browser, screen, time after
/// delivery, suggestion) say nothing of a hop and are not offered.
const HOP_COLUMNS: &[Col] = &[
    hop(HopField::Message),
    hop(HopField::Number),
    common(Common::Time),
    hop(HopField::From),
    common(Common::Ip),
    common(Common::OwnerLabel),
    common(Common::Asn),
    common(Common::Country),
    hop(HopField::By),
    hop(HopField::With),
    hop(HopField::Class),
    hop(HopField::Delay),
    hop(HopField::Place),
    hop(HopField::Flags),
    common(Common::Verdict),
];

const HOP_DROP: &[Col] = &[
    common(Common::Asn),
    hop(HopField::By),
    common(Common::Country),
    hop(HopField::With),
    hop(HopField::Flags),
    hop(HopField::From),
    hop(HopField::Delay),
    hop(HopField::Class),
    common(Common::Time),
    hop(HopField::Message),
    hop(HopField::Number),
    common(Common::OwnerLabel),
];

/// Hops gathered by address, network or AS: how many, of how many mails,
/// labelled or not, when.
const HOP_GROUP_COLUMNS: &[Col] = &[
    Col::Group(GroupField::Key),
    Col::Group(GroupField::Owner),
    Col::Group(GroupField::Accesses),
    Col::Group(GroupField::Recipients),
    Col::Group(GroupField::Unlabelled),
    Col::Group(GroupField::First),
    Col::Group(GroupField::Last),
    Col::Rule,
];

/// Hops gathered by mail.
const HOP_MAIL_COLUMNS: &[Col] = &[
    Col::Group(GroupField::Key),
    Col::Group(GroupField::Accesses),
    Col::Group(GroupField::Unlabelled),
    Col::Group(GroupField::First),
    Col::Group(GroupField::Last),
    Col::Rule,
];

const HOP_GROUP_DROP: &[Col] = &[
    Col::Group(GroupField::Last),
    Col::Group(GroupField::First),
    Col::Group(GroupField::Recipients),
    Col::Group(GroupField::Unlabelled),
    Col::Group(GroupField::Owner),
];

const GROUP_COLUMNS: &[Col] = &[
    Col::Group(GroupField::Key),
    Col::Group(GroupField::Owner),
    Col::Group(GroupField::Accesses),
    Col::Group(GroupField::Recipients),
    Col::Group(GroupField::Human),
    Col::Group(GroupField::Scanner),
    Col::Group(GroupField::Unlabelled),
    Col::Group(GroupField::First),
    Col::Group(GroupField::Last),
    Col::Group(GroupField::Fastest),
    Col::Group(GroupField::TypicalUa),
    Col::Group(GroupField::Screen),
    Col::Group(GroupField::Suggestion),
    Col::Rule,
];

const GROUP_DROP: &[Col] = &[
    Col::Group(GroupField::Screen),
    Col::Group(GroupField::Last),
    Col::Group(GroupField::TypicalUa),
    Col::Group(GroupField::First),
    Col::Group(GroupField::Recipients),
    Col::Group(GroupField::Unlabelled),
    Col::Group(GroupField::Suggestion),
    Col::Group(GroupField::Fastest),
    Col::Group(GroupField::Human),
    Col::Group(GroupField::Scanner),
    Col::Group(GroupField::Impact),
    Col::Group(GroupField::Owner),
];

/// A recipient's group has no one owner and always one recipient; its
/// impact (unsure recipients deciding its addresses settles) orders the
/// review queue.
const RECIPIENT_GROUP_COLUMNS: &[Col] = &[
    Col::Group(GroupField::Key),
    Col::Group(GroupField::Impact),
    Col::Group(GroupField::Accesses),
    Col::Group(GroupField::Human),
    Col::Group(GroupField::Scanner),
    Col::Group(GroupField::Unlabelled),
    Col::Group(GroupField::First),
    Col::Group(GroupField::Last),
    Col::Group(GroupField::Fastest),
    Col::Group(GroupField::TypicalUa),
    Col::Group(GroupField::Screen),
    Col::Group(GroupField::Suggestion),
    Col::Rule,
];

/// The columns of view `kind` over rows of kind `rows`. Every field
/// column is one the catalogue gives that kind of row
/// (`Field::applies_to`).
pub fn columns(rows: RowKind, kind: ViewKind) -> &'static [Col] {
    match (rows, kind) {
        (RowKind::Access, ViewKind::Accesses) => ACCESS_COLUMNS,
        (RowKind::Access, ViewKind::Grouped(GroupBy::Recipient)) => RECIPIENT_GROUP_COLUMNS,
        (RowKind::Access, ViewKind::Grouped(_)) => GROUP_COLUMNS,
        (RowKind::Hop, ViewKind::Accesses) => HOP_COLUMNS,
        (RowKind::Hop, ViewKind::Grouped(GroupBy::Recipient)) => HOP_MAIL_COLUMNS,
        (RowKind::Hop, ViewKind::Grouped(_)) => HOP_GROUP_COLUMNS,
        (RowKind::SignIn, ViewKind::Accesses) => SIGNIN_COLUMNS,
        // Grouped like a mail's hops: how many, of how many accounts, labelled, when.
        (RowKind::SignIn, ViewKind::Grouped(GroupBy::Recipient)) => HOP_MAIL_COLUMNS,
        (RowKind::SignIn, ViewKind::Grouped(_)) => HOP_GROUP_COLUMNS,
    }
}

/// The columns of `kind` that give way first to last when the terminal is too narrow.
pub fn drop_order(rows: RowKind, kind: ViewKind) -> &'static [Col] {
    match (rows, kind) {
        (RowKind::Access, ViewKind::Accesses) => ACCESS_DROP,
        (RowKind::Access, ViewKind::Grouped(_)) => GROUP_DROP,
        (RowKind::Hop, ViewKind::Accesses) => HOP_DROP,
        (RowKind::Hop, ViewKind::Grouped(_)) => HOP_GROUP_DROP,
        (RowKind::SignIn, ViewKind::Accesses) => SIGNIN_DROP,
        (RowKind::SignIn, ViewKind::Grouped(_)) => HOP_GROUP_DROP,
    }
}

impl Col {
    /// The heading in view `kind` of rows of kind `rows`: a group's
    /// counts are of hops and mails for a mail's hops.
    pub fn title(self, rows: RowKind, kind: ViewKind) -> &'static str {
        match (self, kind, rows) {
            (Col::Access(f), _, _) => f.title(),
            (Col::Rule, _, _) => "rule",
            (Col::Group(g), ViewKind::Grouped(by), rows) => g.title_for(by, rows),
            (Col::Group(g), ViewKind::Accesses, _) => g.title(),
        }
    }

    /// Columns that take what room is left and may be cut short.
    pub fn flexible(self) -> bool {
        matches!(
            self,
            Col::Access(
                Field::Common(Common::OwnerLabel)
                    | Field::Access(AccessField::Recipient)
                    | Field::Hop(HopField::Message | HopField::From | HopField::By)
                    | Field::SignIn(
                        SignInField::Account
                            | SignInField::Operation
                            | SignInField::Result
                            | SignInField::Why
                    )
            ) | Col::Group(GroupField::Owner | GroupField::TypicalUa)
        )
    }

    /// The narrowest a column gets, and the widest it is allowed to be.
    pub fn bounds(self) -> (u16, u16) {
        match self {
            Col::Access(Field::Common(Common::OwnerLabel)) | Col::Group(GroupField::Owner) => {
                (12, 34)
            }
            Col::Access(Field::Access(AccessField::Recipient)) => (12, 30),
            Col::Access(Field::Hop(HopField::Message)) => (10, 30),
            Col::Access(Field::Hop(HopField::From | HopField::By)) => (8, 30),
            Col::Access(Field::Hop(HopField::Flags)) => (5, 30),
            Col::Access(Field::SignIn(SignInField::Account)) => (10, 28),
            Col::Access(Field::SignIn(SignInField::Operation)) => (8, 40),
            Col::Access(Field::SignIn(SignInField::Why)) => (10, 120),
            Col::Access(Field::SignIn(SignInField::Client)) => (6, 28),
            // `success`, or a failure's code and reason: the word is enough
            // when room is short.
            Col::Access(Field::SignIn(SignInField::Result)) => (7, 24),
            Col::Group(GroupField::Key) => (12, 40),
            Col::Group(GroupField::TypicalUa) => (12, 60),
            Col::Access(Field::Access(AccessField::Browser)) => (6, 20),
            Col::Access(Field::Access(AccessField::Os)) => (5, 16),
            Col::Access(Field::Common(Common::Ip)) => (15, 39),
            _ => (1, 24),
        }
    }
}

/// The verdict column's text: a letter, and for a rule where it comes from.
/// `H`/`S` is the access's own verdict; `h·ip`, `s·net`, `s·as` a rule.
pub fn verdict_tag(
    book: &LabelBook,
    ctx: &ReviewContext<'_>,
    i: u32,
) -> Option<(crate::model::Verdict, String)> {
    let (key, info) = book.resolve(ctx.analysis, i)?;
    Some((info.verdict, tag(info.verdict, key)))
}

pub fn tag(verdict: crate::model::Verdict, key: LabelKey) -> String {
    let letter = match verdict {
        crate::model::Verdict::Human => 'h',
        crate::model::Verdict::Scanner => 's',
    };
    match key {
        LabelKey::Access(_) => letter.to_ascii_uppercase().to_string(),
        _ => format!("{letter}·{}", key.tag()),
    }
}

/// The text of an access cell (escaped; the verdict column is drawn apart).
pub fn access_text<'a>(
    ctx: &ReviewContext<'a>,
    field: Field,
    i: u32,
    compact_time: bool,
) -> Cow<'a, str> {
    let text = field.text(ctx, i, Form::Display);
    let text = match (field, compact_time) {
        // `2026-10-01 09:14:03` → `10-01 09:14:03`.
        (Field::Common(Common::Time), true) if text.len() > 5 => Cow::Owned(text[5..].to_string()),
        _ => text,
    };
    match escape_controls(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(s) => Cow::Owned(s),
    }
}

/// The text of a group cell (escaped).
pub fn group_text(ctx: &ReviewContext<'_>, book: &LabelBook, group: &Group, col: Col) -> String {
    let text = match col {
        // `2026-10-01 09:14` → `10-01 09:14`: the year is the campaign's.
        Col::Group(f @ (GroupField::First | GroupField::Last)) => {
            let time = f.text(ctx, group);
            time.get(5..).unwrap_or(&time).to_string()
        }
        Col::Group(f) => f.text(ctx, group),
        Col::Rule => group_rule(ctx.analysis, &group.key)
            .and_then(|key| book.get(key).map(|info| tag(info.verdict, key)))
            .unwrap_or_default(),
        Col::Access(_) => String::new(),
    };
    escape_controls(&text).into_owned()
}

/// Natural widths of `kind`'s columns over a sample of `rows` (at most a few
/// hundred rows, spread over the view), so a view of a million rows is
/// measured in microseconds and never per frame.
pub fn natural_widths(ctx: &ReviewContext<'_>, rows: &ViewRows, kind: ViewKind) -> Vec<u16> {
    const SAMPLE: usize = 200;
    let cols = columns(ctx.kind(), kind);
    let mut widths: Vec<u16> = cols
        .iter()
        .map(|c| match c {
            // The table names the zone in this heading: `time (+09:00)`.
            Col::Access(Field::Common(Common::Time)) => display_width("time (+00:00)") as u16 + 1,
            _ => display_width(c.title(ctx.kind(), kind)) as u16 + 1,
        })
        .collect();
    let n = rows.len();
    let step = (n / SAMPLE).max(1);
    let picks = (0..n.min(SAMPLE)).chain((SAMPLE..n).step_by(step));
    let book = LabelBook::new();
    for pos in picks {
        for (w, &col) in widths.iter_mut().zip(cols) {
            let text_w = match (rows, col) {
                (ViewRows::Accesses(r), Col::Access(Field::Common(Common::Verdict))) => {
                    let _ = r;
                    5
                }
                (ViewRows::Accesses(r), Col::Access(f)) => {
                    display_width(&access_text(ctx, f, r[pos], false))
                }
                (ViewRows::Groups(_), Col::Rule) => 5,
                (ViewRows::Groups(g), c) => display_width(&group_text(ctx, &book, &g[pos], c)),
                _ => 0,
            };
            *w = (*w).max(text_w as u16);
        }
    }
    for (w, col) in widths.iter_mut().zip(cols) {
        // The lower bound is how far a flexible column may shrink, not a
        // width to pad short values to.
        let (_, max) = col.bounds();
        *w = (*w).min(max);
        if *col == Col::Access(Field::Common(Common::Ip)) {
            // Any IPv4 address fits, even one the sample did not see.
            *w = (*w).max(15);
        }
    }
    widths
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table offers only what the catalogue gives its kind of row: no
    /// click column (browser, screen, time after delivery, suggestion) over
    /// a mail's hops.
    #[test]
    fn every_column_is_one_the_rows_have() {
        for rows in [RowKind::Access, RowKind::Hop] {
            for kind in ViewKind::CYCLE {
                for col in columns(rows, kind) {
                    match *col {
                        Col::Access(f) => assert!(f.applies_to(rows), "{f:?} over {rows:?}"),
                        Col::Group(g) => {
                            assert!(g.applies_to_rows(rows), "{g:?} over {rows:?}")
                        }
                        Col::Rule => {}
                    }
                }
                for col in drop_order(rows, kind) {
                    if let Col::Access(f) = col {
                        assert!(f.applies_to(rows), "{f:?} dropped over {rows:?}");
                    }
                }
            }
        }
        let hop = columns(RowKind::Hop, ViewKind::Accesses);
        assert!(hop.contains(&Col::Access(Field::Hop(HopField::Place))));
        assert!(!hop.contains(&Col::Access(Field::Common(Common::Suggestion))));
    }
}
