//! [`Field`]: a field of an access row, common or the access's own, with
//! everything the catalogue says about it.

use std::borrow::Cow;

use super::access::AccessField;
use super::common::Common;
use super::{CellKind, Form, Subject};
use crate::review::context::ReviewContext;

/// A field of an access row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Common(Common),
    Access(AccessField),
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
    /// Every field: the common ones, then the access's own.
    pub fn all() -> impl Iterator<Item = Field> {
        Common::ALL
            .into_iter()
            .map(Field::Common)
            .chain(AccessField::ALL.into_iter().map(Field::Access))
    }

    /// The key in the report's CSV header and JSON objects.
    pub fn name(self) -> &'static str {
        match self {
            Field::Common(f) => f.name(),
            Field::Access(f) => f.name(),
        }
    }

    /// The column header of a table.
    pub fn title(self) -> &'static str {
        match self {
            Field::Common(f) => f.title(),
            Field::Access(f) => f.title(),
        }
    }

    /// The names a filter term may use for this field (`org:microsoft`).
    pub fn filter_names(self) -> &'static [&'static str] {
        match self {
            Field::Common(f) => f.filter_names(),
            Field::Access(f) => f.filter_names(),
        }
    }

    pub fn from_filter_name(name: &str) -> Option<Field> {
        let lower = name.to_ascii_lowercase();
        Field::all().find(|f| f.filter_names().contains(&lower.as_str()))
    }

    /// How the report's CSV and JSON type this field's cells.
    pub fn kind(self) -> CellKind {
        match self {
            Field::Common(f) => f.kind(),
            Field::Access(f) => f.kind(),
        }
    }

    pub fn subject(self) -> Subject {
        match self {
            Field::Common(f) => f.subject(),
            Field::Access(f) => f.subject(),
        }
    }

    /// The text of this field for access `i` in `form` (not yet escaped for
    /// a terminal). Empty means "no value".
    pub fn text<'a>(self, ctx: &ReviewContext<'a>, i: u32, form: Form) -> Cow<'a, str> {
        match self {
            Field::Common(f) => f.text(ctx, i, form),
            Field::Access(f) => f.text(ctx, i, form),
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
    fn each_filter_name_belongs_to_one_field() {
        let mut seen = HashSet::new();
        for field in Field::all() {
            for &name in field.filter_names() {
                assert!(seen.insert(name), "{name} names two fields");
                assert_eq!(Field::from_filter_name(name), Some(field));
            }
        }
    }

    #[test]
    fn filter_names_resolve() {
        assert_eq!(
            Field::from_filter_name("ORG"),
            Some(Field::Common(Common::OwnerLabel))
        );
        assert_eq!(
            Field::from_filter_name("dt"),
            Some(Field::Access(AccessField::AfterSent))
        );
        assert_eq!(Field::from_filter_name("nope"), None);
        assert_eq!(Field::from_filter_name("as_org"), None);
    }
}
