//! The report's columns and how each cell is derived from an access. CSV,
//! JSON and the table all read cells through here, so they never disagree.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::analysis::Analysis;
use crate::model::Sym;

/// A fixed report column. Order here is the order in CSV and JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    Row,
    File,
    Time,
    Recipient,
    Event,
    Method,
    Ip,
    Network,
    Asn,
    AsOrg,
    Isp,
    Country,
    City,
    UserAgent,
    Browser,
    BrowserVersion,
    Os,
    OsVersion,
    Category,
    Screen,
    SecondsAfterSent,
    Suggestion,
    Reasons,
    Verdict,
    VerdictSource,
    Organization,
    ConnectionType,
    UserType,
    OwnerFlags,
}

/// How a cell is typed in JSON and whether CSV must guard it against formulas.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CellKind {
    /// Free text from the log or a database: may start with `=`, so CSV guards it.
    Text,
    /// A number (row, ASN, seconds): written as is.
    Number,
    /// Text whoclicked itself produced (time, IP, enum names): safe as is.
    Fixed,
}

impl Column {
    pub const ALL: [Column; 29] = [
        Column::Row,
        Column::File,
        Column::Time,
        Column::Recipient,
        Column::Event,
        Column::Method,
        Column::Ip,
        Column::Network,
        Column::Asn,
        Column::AsOrg,
        Column::Isp,
        Column::Country,
        Column::City,
        Column::UserAgent,
        Column::Browser,
        Column::BrowserVersion,
        Column::Os,
        Column::OsVersion,
        Column::Category,
        Column::Screen,
        Column::SecondsAfterSent,
        Column::Suggestion,
        Column::Reasons,
        Column::Verdict,
        Column::VerdictSource,
        Column::Organization,
        Column::ConnectionType,
        Column::UserType,
        Column::OwnerFlags,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Column::Row => "row",
            Column::File => "file",
            Column::Time => "time",
            Column::Recipient => "recipient",
            Column::Event => "event",
            Column::Method => "method",
            Column::Ip => "ip",
            Column::Network => "network",
            Column::Asn => "asn",
            Column::AsOrg => "as_org",
            Column::Isp => "isp",
            Column::Country => "country",
            Column::City => "city",
            Column::UserAgent => "user_agent",
            Column::Browser => "browser",
            Column::BrowserVersion => "browser_version",
            Column::Os => "os",
            Column::OsVersion => "os_version",
            Column::Category => "category",
            Column::Screen => "screen",
            Column::SecondsAfterSent => "seconds_after_sent",
            Column::Suggestion => "suggestion",
            Column::Reasons => "reasons",
            Column::Verdict => "verdict",
            Column::VerdictSource => "verdict_source",
            Column::Organization => "organization",
            Column::ConnectionType => "connection_type",
            Column::UserType => "user_type",
            Column::OwnerFlags => "owner_flags",
        }
    }

    pub fn kind(self) -> CellKind {
        match self {
            Column::Row | Column::Asn | Column::SecondsAfterSent => CellKind::Number,
            Column::Time
            | Column::Event
            | Column::Ip
            | Column::Network
            | Column::Category
            | Column::Screen
            | Column::Suggestion
            | Column::Verdict
            | Column::OwnerFlags => CellKind::Fixed,
            _ => CellKind::Text,
        }
    }
}

/// One column of the report: a fixed one, or a column the log had that
/// whoclicked does not interpret (kept, shown after the fixed ones).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReportColumn {
    Fixed(Column),
    Extra { name: String, index: usize },
}

impl ReportColumn {
    pub fn name(&self) -> &str {
        match self {
            ReportColumn::Fixed(c) => c.name(),
            ReportColumn::Extra { name, .. } => name,
        }
    }

    pub fn kind(&self) -> CellKind {
        match self {
            ReportColumn::Fixed(c) => c.kind(),
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
        let mut columns: Vec<ReportColumn> = Column::ALL
            .iter()
            .filter(|&&c| c != Column::File || several_files)
            .map(|&c| ReportColumn::Fixed(c))
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

    /// The text of one cell. Empty means "no value".
    pub fn cell<'a>(
        &self,
        analysis: &'a Analysis,
        index: usize,
        column: &ReportColumn,
    ) -> Cow<'a, str> {
        let access = &analysis.campaign.accesses[index];
        match column {
            ReportColumn::Fixed(c) => fixed_cell(analysis, index, *c),
            ReportColumn::Extra { index, .. } => {
                let campaign = &analysis.campaign;
                let position = self
                    .extra_positions
                    .get(usize::from(access.file))
                    .and_then(|positions| positions[*index]);
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

fn opt<'a>(value: &'a Option<std::sync::Arc<str>>) -> Cow<'a, str> {
    Cow::Borrowed(value.as_deref().unwrap_or(""))
}

fn fixed_cell(analysis: &Analysis, index: usize, column: Column) -> Cow<'_, str> {
    let campaign = &analysis.campaign;
    let access = &campaign.accesses[index];
    let owner = analysis.owner(access);
    let ua = analysis.ua(access);
    match column {
        Column::Row => Cow::Owned(access.row.to_string()),
        Column::File => Cow::Borrowed(campaign.file_name(access.file)),
        Column::Time => Cow::Owned(access.time.format_rfc3339(&analysis.zone)),
        Column::Recipient => Cow::Borrowed(campaign.recipient_name(access)),
        Column::Event => Cow::Borrowed(access.event.as_str()),
        Column::Method => Cow::Borrowed(campaign.strings.get(access.method)),
        Column::Ip => Cow::Owned(campaign.ip(access.ip).to_string()),
        Column::Network => match owner.network {
            Some(net) => Cow::Owned(net.to_string()),
            None => Cow::Borrowed(""),
        },
        Column::Asn => match owner.asn {
            Some(asn) => Cow::Owned(asn.to_string()),
            None => Cow::Borrowed(""),
        },
        Column::AsOrg => match owner.internal {
            Some(why) if owner.as_org.is_none() => Cow::Owned(format!("internal ({why})")),
            _ => opt(&owner.as_org),
        },
        Column::Isp => opt(&owner.isp),
        Column::Country => opt(&owner.country_code),
        Column::City => opt(&owner.city),
        Column::UserAgent => Cow::Borrowed(campaign.user_agent(access.user_agent)),
        Column::Browser => Cow::Borrowed(&ua.browser),
        Column::BrowserVersion => Cow::Borrowed(&ua.version),
        Column::Os => Cow::Borrowed(&ua.os),
        Column::OsVersion => Cow::Borrowed(&ua.os_version),
        Column::Category => Cow::Borrowed(ua.category.as_str()),
        Column::Screen => match access.screen {
            Some(s) => Cow::Owned(s.to_string()),
            None => Cow::Borrowed(""),
        },
        Column::SecondsAfterSent => match campaign.seconds_after_sent(access) {
            Some(s) => Cow::Owned(format_seconds(s)),
            None => Cow::Borrowed(""),
        },
        Column::Suggestion => match analysis.suggestion(index) {
            Some(s) => Cow::Borrowed(s.label.as_str()),
            None => Cow::Borrowed(""),
        },
        Column::Reasons => Cow::Owned(analysis.suggestions().reasons_line(analysis, index)),
        Column::Verdict => match analysis.verdict(index) {
            Some(r) => Cow::Borrowed(r.verdict.as_str()),
            None => Cow::Borrowed(""),
        },
        Column::VerdictSource => match analysis.verdict(index) {
            Some(r) => Cow::Owned(r.source.describe(&analysis.zone)),
            None => Cow::Borrowed(""),
        },
        Column::Organization => opt(&owner.organization),
        Column::ConnectionType => opt(&owner.connection_type),
        Column::UserType => opt(&owner.user_type),
        Column::OwnerFlags => {
            let names: Vec<&str> = owner.flags.names().collect();
            Cow::Owned(names.join(" "))
        }
    }
}

/// Seconds with at most millisecond precision and no trailing zeros: `3`, `3.25`, `-0.5`.
pub fn format_seconds(seconds: f64) -> String {
    let s = format!("{seconds:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_are_compact() {
        assert_eq!(format_seconds(3.0), "3");
        assert_eq!(format_seconds(3.25), "3.25");
        assert_eq!(format_seconds(-0.0001), "0");
        assert_eq!(format_seconds(12_345.678_9), "12345.679");
    }

    #[test]
    fn column_names_are_unique() {
        let mut names: Vec<&str> = Column::ALL.iter().map(|c| c.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Column::ALL.len());
    }
}
