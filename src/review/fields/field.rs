//! [`Field`]: a field of a reviewed row, common to every kind or a kind's
//! own, with everything the catalogue says about it, and which kinds of row
//! ([`RowKind`]) have it.

use std::borrow::Cow;

use super::access::AccessField;
use super::common::Common;
use super::hop::HopField;
use super::{CellKind, Form, Subject};
use crate::model::RowKind;
use crate::review::context::ReviewContext;

/// A field of a reviewed row: common to every kind of row, or one kind's
/// own. A new kind of row adds a variant here with its own enum (described
/// the same five ways), and an arm in [`Field::applies_to`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Common(Common),
    Access(AccessField),
    Hop(HopField),
}

impl From<HopField> for Field {
    fn from(field: HopField) -> Self {
        Field::Hop(field)
    }
}

impl From<Common> for Field {
    fn from(field: Common) -> Self {
        Field::Common(field)
    }
}

impl From<AccessField> for Field {
    fn from(field: AccessField) -> Self {
        Field::Access(field)
    }
}

impl Field {
    /// Every field of every kind: the common ones, then each kind's own.
    pub fn all() -> impl Iterator<Item = Field> {
        Common::ALL
            .into_iter()
            .map(Field::Common)
            .chain(AccessField::ALL.into_iter().map(Field::Access))
            .chain(HopField::ALL.into_iter().map(Field::Hop))
    }

    /// Whether rows of `kind` have this field.
    pub fn applies_to(self, kind: RowKind) -> bool {
        match self {
            Field::Common(f) => f.applies_to(kind),
            Field::Access(_) => kind == RowKind::Access,
            Field::Hop(_) => kind == RowKind::Hop,
        }
    }

    /// The fields rows of `kind` have, common ones first.
    pub fn of_kind(kind: RowKind) -> impl Iterator<Item = Field> {
        Field::all().filter(move |f| f.applies_to(kind))
    }

    /// The key in the report's CSV header and JSON objects.
    pub fn name(self) -> &'static str {
        match self {
            Field::Common(f) => f.name(),
            Field::Access(f) => f.name(),
            Field::Hop(f) => f.name(),
        }
    }

    /// The column header of a table.
    pub fn title(self) -> &'static str {
        match self {
            Field::Common(f) => f.title(),
            Field::Access(f) => f.title(),
            Field::Hop(f) => f.title(),
        }
    }

    /// The names a filter term may use for this field (`org:microsoft`).
    pub fn filter_names(self) -> &'static [&'static str] {
        match self {
            Field::Common(f) => f.filter_names(),
            Field::Access(f) => f.filter_names(),
            Field::Hop(f) => f.filter_names(),
        }
    }

    /// The field of rows of `kind` a filter term's name means: `delay:` is
    /// the time after delivery for an access, the delay since the previous
    /// hop for a hop.
    pub fn from_filter_name(kind: RowKind, name: &str) -> Option<Field> {
        let lower = name.to_ascii_lowercase();
        Field::of_kind(kind).find(|f| f.filter_names().contains(&lower.as_str()))
    }

    /// How the report's CSV and JSON type this field's cells.
    pub fn kind(self) -> CellKind {
        match self {
            Field::Common(f) => f.kind(),
            Field::Access(f) => f.kind(),
            Field::Hop(f) => f.kind(),
        }
    }

    pub fn subject(self) -> Subject {
        match self {
            Field::Common(f) => f.subject(),
            Field::Access(f) => f.subject(),
            Field::Hop(f) => f.subject(),
        }
    }

    /// The text of this field for row `i` in `form` (not yet escaped for
    /// a terminal). Empty means "no value".
    pub fn text<'a>(self, ctx: &ReviewContext<'a>, i: u32, form: Form) -> Cow<'a, str> {
        match self {
            Field::Common(f) => f.text(ctx, i, form),
            Field::Access(f) => f.text(ctx, i, form),
            Field::Hop(f) => f.text(ctx, i, form),
        }
    }

    /// One sort key per access of `rows`: comparing keys orders the accesses
    /// by this field. Text is ranked once per distinct value (address,
    /// User-Agent, recipient), so sorting a million rows compares integers,
    /// not strings. Missing values sort last.
    pub fn sort_keys(self, ctx: &ReviewContext<'_>, rows: &[u32]) -> Vec<u64> {
        match self {
            Field::Common(f) => f.sort_keys(ctx, rows),
            Field::Access(f) => f.sort_keys(ctx, rows),
            Field::Hop(f) => f.sort_keys(ctx, rows),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn record_names_are_unique() {
        let names: HashSet<&str> = Field::all().map(Field::name).collect();
        assert_eq!(names.len(), Field::all().count());
    }

    #[test]
    fn each_filter_name_belongs_to_one_field_of_each_kind() {
        for kind in [RowKind::Access, RowKind::Hop] {
            let mut seen = HashSet::new();
            for field in Field::of_kind(kind) {
                for &name in field.filter_names() {
                    assert!(seen.insert(name), "{name} names two fields of {kind:?}");
                    assert_eq!(Field::from_filter_name(kind, name), Some(field));
                }
            }
        }
    }

    #[test]
    fn each_kind_has_its_own_fields_and_the_common_ones() {
        let hop: Vec<Field> = Field::of_kind(RowKind::Hop).collect();
        assert!(hop.contains(&Field::Common(Common::Ip)));
        assert!(hop.contains(&Field::Common(Common::Verdict)));
        assert!(hop.contains(&Field::Hop(HopField::Place)));
        // Click-only: no suggestion from click signals, no screen, no timing after delivery.
        assert!(!hop.contains(&Field::Common(Common::Suggestion)));
        assert!(!hop.iter().any(|f| matches!(f, Field::Access(_))));
        let access: Vec<Field> = Field::of_kind(RowKind::Access).collect();
        assert!(!access.iter().any(|f| matches!(f, Field::Hop(_))));
        assert!(access.contains(&Field::Common(Common::Suggestion)));
    }

    #[test]
    fn filter_names_resolve() {
        let access = RowKind::Access;
        assert_eq!(
            Field::from_filter_name(access, "ORG"),
            Some(Field::Common(Common::OwnerLabel))
        );
        assert_eq!(
            Field::from_filter_name(access, "dt"),
            Some(Field::Access(AccessField::AfterSent))
        );
        assert_eq!(Field::from_filter_name(access, "nope"), None);
        assert_eq!(Field::from_filter_name(access, "as_org"), None);
        // The same name means each kind's own field; a kind's names are not another's.
        assert_eq!(
            Field::from_filter_name(access, "delay"),
            Some(Field::Access(AccessField::AfterSent))
        );
        assert_eq!(
            Field::from_filter_name(RowKind::Hop, "delay"),
            Some(Field::Hop(HopField::Delay))
        );
        assert_eq!(Field::from_filter_name(access, "place"), None);
        assert_eq!(Field::from_filter_name(RowKind::Hop, "dt"), None);
        assert_eq!(Field::from_filter_name(RowKind::Hop, "suggest"), None);
    }
}
