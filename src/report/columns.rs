//! The report's columns: the catalogue's fields it writes, in CSV and JSON
//! order, then the columns the log had that whoclicked does not interpret.
//! CSV, JSON and the screen's export all read cells through [`Layout`], so
//! they never disagree.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::analysis::Analysis;
use crate::model::{RowKind, Sym};
use crate::review::{AccessField, CellKind, Common, Field, Form, HopField, ReviewContext};

/// The fields of a report's record, in CSV and JSON order.
pub const RECORD: [Field; 35] = [
    Field::Access(AccessField::Row),
    Field::Access(AccessField::File),
    Field::Common(Common::Time),
    Field::Access(AccessField::Recipient),
    Field::Access(AccessField::Event),
    Field::Access(AccessField::Method),
    Field::Common(Common::Ip),
    Field::Common(Common::Network),
    Field::Common(Common::Asn),
    Field::Common(Common::AsOrg),
    Field::Common(Common::Isp),
    Field::Common(Common::Country),
    Field::Common(Common::City),
    Field::Access(AccessField::UserAgent),
    Field::Access(AccessField::Browser),
    Field::Access(AccessField::BrowserVersion),
    Field::Access(AccessField::Os),
    Field::Access(AccessField::OsVersion),
    Field::Access(AccessField::Category),
    Field::Access(AccessField::Screen),
    Field::Access(AccessField::AfterSent),
    Field::Access(AccessField::InternalIp),
    Field::Access(AccessField::Pc),
    Field::Access(AccessField::Mac),
    Field::Access(AccessField::ProxyUser),
    Field::Access(AccessField::OtherMachine),
    Field::Common(Common::Suggestion),
    Field::Common(Common::Confidence),
    Field::Common(Common::Reasons),
    Field::Common(Common::Verdict),
    Field::Common(Common::VerdictSource),
    Field::Common(Common::Organization),
    Field::Common(Common::ConnectionType),
    Field::Common(Common::UserType),
    Field::Common(Common::OwnerFlags),
];

/// The fields of a mail hop's record (the screen's export of hops).
pub const HOP_RECORD: [Field; 21] = [
    Field::Hop(HopField::Message),
    Field::Hop(HopField::Number),
    Field::Common(Common::Time),
    Field::Hop(HopField::From),
    Field::Common(Common::Ip),
    Field::Common(Common::Network),
    Field::Common(Common::Asn),
    Field::Common(Common::AsOrg),
    Field::Common(Common::Isp),
    Field::Common(Common::Organization),
    Field::Common(Common::Country),
    Field::Hop(HopField::By),
    Field::Hop(HopField::With),
    Field::Hop(HopField::Class),
    Field::Hop(HopField::Delay),
    Field::Hop(HopField::Place),
    Field::Hop(HopField::Flags),
    Field::Common(Common::Verdict),
    Field::Common(Common::VerdictSource),
    Field::Common(Common::OwnerFlags),
    Field::Hop(HopField::Received),
];

/// The fields of a record of rows of `kind`.
pub fn record_of(kind: RowKind) -> &'static [Field] {
    match kind {
        RowKind::Access => &RECORD,
        RowKind::Hop => &HOP_RECORD,
    }
}

/// One column of the report: a field of the catalogue, or a column the log
/// had that whoclicked does not interpret (kept, shown after the fields).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReportColumn {
    Field(Field),
    Extra { name: String, index: usize },
}

impl ReportColumn {
    pub fn name(&self) -> &str {
        match self {
            ReportColumn::Field(f) => f.name(),
            ReportColumn::Extra { name, .. } => name,
        }
    }

    pub fn kind(&self) -> CellKind {
        match self {
            ReportColumn::Field(f) => f.kind(),
            ReportColumn::Extra { .. } => CellKind::Text,
        }
    }
}

/// The columns of one report, and the mapping from each file's extra columns
/// to the report's, worked out once rather than per cell.
#[derive(Clone, Debug)]
pub struct Layout {
    pub columns: Vec<ReportColumn>,
    /// For each file, for each report extra column: the file's own position of it.
    extra_positions: Vec<Vec<Option<usize>>>,
}

impl Layout {
    pub fn new(analysis: &Analysis) -> Self {
        let campaign = &analysis.campaign;
        let several_files = campaign.files.len() > 1;
        // The chain behind the egress only when proxy or DHCP logs were read.
        let chain = analysis.network.active;
        let mut columns: Vec<ReportColumn> = record_of(campaign.kind)
            .iter()
            .filter(|&&f| f != Field::Access(AccessField::File) || several_files)
            .filter(|&&f| {
                chain || !matches!(f, Field::Access(a) if AccessField::CHAIN.contains(&a))
            })
            .map(|&f| ReportColumn::Field(f))
            .collect();

        // Extra columns: the union over files, in order of first appearance.
        let mut extra_syms: Vec<Sym> = Vec::new();
        let mut position_of: HashMap<Sym, usize> = HashMap::new();
        for file in &campaign.files {
            for &sym in &file.extra_columns {
                position_of.entry(sym).or_insert_with(|| {
                    extra_syms.push(sym);
                    extra_syms.len() - 1
                });
            }
        }
        let taken: Vec<String> = columns.iter().map(|c| c.name().to_string()).collect();
        for (index, &sym) in extra_syms.iter().enumerate() {
            let raw = campaign.strings.get(sym);
            // A log column named like one of ours (`status`, `ip`) must not shadow it.
            let name = if taken.iter().any(|t| t.eq_ignore_ascii_case(raw)) {
                format!("log_{raw}")
            } else {
                raw.to_string()
            };
            columns.push(ReportColumn::Extra { name, index });
        }
        let extra_positions = campaign
            .files
            .iter()
            .map(|file| {
                extra_syms
                    .iter()
                    .map(|sym| file.extra_columns.iter().position(|s| s == sym))
                    .collect()
            })
            .collect();
        Layout {
            columns,
            extra_positions,
        }
    }

    /// The text of one cell, the record form of its field. Empty means "no value".
    pub fn cell<'a>(
        &self,
        ctx: &ReviewContext<'a>,
        index: usize,
        column: &ReportColumn,
    ) -> Cow<'a, str> {
        match column {
            ReportColumn::Field(f) => f.text(ctx, index as u32, Form::Record),
            ReportColumn::Extra { index: extra, .. } => {
                let campaign = &ctx.analysis.campaign;
                let access = &campaign.accesses[index];
                let position = self
                    .extra_positions
                    .get(usize::from(access.file))
                    .and_then(|positions| positions[*extra]);
                match position {
                    Some(p) if access.extra != crate::model::NO_EXTRA => {
                        let sym = campaign.extra_values[access.extra as usize + p];
                        Cow::Borrowed(campaign.strings.get(sym))
                    }
                    _ => Cow::Borrowed(""),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_names_are_unique() {
        let mut names: Vec<&str> = RECORD.iter().map(|f| f.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), RECORD.len());
    }

    #[test]
    fn each_record_holds_only_fields_its_rows_have() {
        for kind in [RowKind::Access, RowKind::Hop] {
            for f in record_of(kind) {
                assert!(f.applies_to(kind), "{f:?} in the record of {kind:?}");
            }
        }
        assert!(HOP_RECORD.contains(&Field::Hop(HopField::Place)));
    }
}
