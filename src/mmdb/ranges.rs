//! Free IP-to-ASN range lists, for building a database without a MaxMind
//! account. Two formats, told apart by the first data line:
//!
//! * ip-location-db CSV (`@ip-location-db/asn`, `asn-ipv4.csv`,
//!   `asn-ipv6.csv`): `start,end,asn,org`, the org quoted when it holds a comma.
//! * iptoasn TSV (`ip2asn-v4.tsv`, `ip2asn-v6.tsv`, `ip2asn-combined.tsv`):
//!   `start<TAB>end<TAB>asn<TAB>country<TAB>org`.
//!
//! Rows for AS0 (iptoasn's "Not routed") name no owner and are left out and
//! counted. Any other malformed line stops the read with the file, line and
//! reason: a database built from a half-understood list would answer
//! wrongly without saying so.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;
use std::io::Read;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use thiserror::Error;

use crate::owner::parse_asn;

/// One range of addresses and its owner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AsnRange {
    pub start: IpAddr,
    pub end: IpAddr,
    pub asn: u32,
    /// May be empty (the record then has no organisation).
    pub org: Arc<str>,
    /// ISO 3166-1 alpha-2, upper case, when the list has one (iptoasn).
    pub country: Option<Arc<str>>,
    /// 1-based line in the source, for messages.
    pub line: u64,
}

/// The two supported list formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RangeFormat {
    IpLocationDbCsv,
    IptoasnTsv,
}

impl fmt::Display for RangeFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RangeFormat::IpLocationDbCsv => "ip-location-db CSV (start,end,asn,org)",
            RangeFormat::IptoasnTsv => "iptoasn TSV (start end asn country org)",
        })
    }
}

/// A parsed list with what was left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedRanges {
    pub format: RangeFormat,
    pub ranges: Vec<AsnRange>,
    /// AS0 rows left out.
    pub not_routed: usize,
}

#[derive(Debug, Error)]
pub enum RangeError {
    #[error("cannot read {}: {source}", crate::text::path_text(path))]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{source_name}:{line}: {reason}")]
    Line {
        source_name: String,
        line: u64,
        reason: String,
    },
    #[error("{source_name}: no ranges found (expected ip-location-db CSV or iptoasn TSV)")]
    Empty { source_name: String },
}

/// Reads the ranges of a file (see [`read_ranges_detailed`] for the counts).
pub fn read_ranges(path: &Path) -> Result<Vec<AsnRange>, RangeError> {
    read_ranges_detailed(path).map(|parsed| parsed.ranges)
}

/// Reads a file and reports its format and the AS0 rows left out.
pub fn read_ranges_detailed(path: &Path) -> Result<ParsedRanges, RangeError> {
    let file = std::fs::File::open(path).map_err(|source| RangeError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse_ranges(file, &path.display().to_string()).map_err(|err| match err {
        RangeError::Io { source, .. } => RangeError::Io {
            path: path.to_path_buf(),
            source,
        },
        other => other,
    })
}

/// Parses a list from any reader; `source_name` names it in errors.
pub fn parse_ranges(mut input: impl Read, source_name: &str) -> Result<ParsedRanges, RangeError> {
    let mut bytes = Vec::new();
    input
        .read_to_end(&mut bytes)
        .map_err(|source| RangeError::Io {
            path: PathBuf::from(source_name),
            source,
        })?;
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let format = detect(text).ok_or_else(|| RangeError::Empty {
        source_name: source_name.to_string(),
    })?;
    let mut parsed = ParsedRanges {
        format,
        ranges: Vec::new(),
        not_routed: 0,
    };
    let mut strings = Strings::default();
    let mut first = true;
    let error = |line: u64, reason: String| RangeError::Line {
        source_name: source_name.to_string(),
        line,
        reason,
    };
    let (lines, numbers) = data_lines(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(match format {
            RangeFormat::IpLocationDbCsv => b',',
            RangeFormat::IptoasnTsv => b'\t',
        })
        // iptoasn quotes nothing: a `"` there is part of a name.
        .quoting(format == RangeFormat::IpLocationDbCsv)
        // A lone `\r` is data, as it always was.
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(lines.as_slice());
    let mut record = csv::ByteRecord::new();
    // Every data line is one record (the first that is not ends the read
    // below), so the n-th record is the n-th data line.
    for &line in &numbers {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(error(line, e.to_string())),
        }
        // Fields never hold a line break in these lists: one that does is
        // a quote left open, which swallowed the lines after it.
        if record.iter().any(|field| field.contains(&b'\n')) {
            return Err(error(
                line,
                "a quoted field is not closed on this line".to_string(),
            ));
        }
        let fields: Vec<Cow<'_, str>> = record.iter().map(String::from_utf8_lossy).collect();
        if std::mem::take(&mut first) && is_header(&fields) {
            continue;
        }
        match parse_row(&fields, format, line, &mut strings).map_err(|why| error(line, why))? {
            Some(range) => parsed.ranges.push(range),
            None => parsed.not_routed += 1,
        }
    }
    if parsed.ranges.is_empty() && parsed.not_routed == 0 {
        return Err(RangeError::Empty {
            source_name: source_name.to_string(),
        });
    }
    Ok(parsed)
}

/// The lines the CSV reader is to see, each ended by `\n` with its `\r`
/// cut, and the line number of each in the file. Blank and comment lines
/// are left out here, not left to the reader: a `"` in a comment would open
/// a quoted field, a line of tabs would be a row, and the reader's own line
/// count passes over blank lines.
fn data_lines(text: &[u8]) -> (Vec<u8>, Vec<u64>) {
    let mut kept = Vec::with_capacity(text.len() + 1);
    let mut numbers = Vec::new();
    for (index, raw) in text.split(|&b| b == b'\n').enumerate() {
        let line = raw.strip_suffix(b"\r").unwrap_or(raw);
        if line.trim_ascii().is_empty() || line.trim_ascii_start().starts_with(b"#") {
            continue;
        }
        kept.extend_from_slice(line);
        // Also ends the last line, so a quote left open there is seen.
        kept.push(b'\n');
        numbers.push(index as u64 + 1);
    }
    (kept, numbers)
}

/// The format of the first line that is neither blank nor a comment.
fn detect(text: &[u8]) -> Option<RangeFormat> {
    let line = text
        .split(|&b| b == b'\n')
        .map(<[u8]>::trim_ascii)
        .find(|line| !line.is_empty() && !line.starts_with(b"#"))?;
    Some(if line.contains(&b'\t') {
        RangeFormat::IptoasnTsv
    } else {
        RangeFormat::IpLocationDbCsv
    })
}

/// A first line like `start,end,asn,org`: its first field is no address
/// and has no digits (`::` has none either, but parses as an address).
fn is_header(fields: &[Cow<'_, str>]) -> bool {
    let first = fields.first().map_or("", |f| f.trim());
    first.parse::<IpAddr>().is_err() && !first.bytes().any(|b| b.is_ascii_digit())
}

/// Interned organisation and country strings: a list names a few ten
/// thousand owners across half a million ranges.
#[derive(Default)]
struct Strings(HashSet<Arc<str>>);

impl Strings {
    fn get(&mut self, s: &str) -> Arc<str> {
        if let Some(existing) = self.0.get(s) {
            return Arc::clone(existing);
        }
        let new: Arc<str> = Arc::from(s);
        self.0.insert(Arc::clone(&new));
        new
    }
}

/// One data row; `Ok(None)` for an AS0 row.
fn parse_row(
    record: &[Cow<'_, str>],
    format: RangeFormat,
    line: u64,
    strings: &mut Strings,
) -> Result<Option<AsnRange>, String> {
    let expected = match format {
        RangeFormat::IpLocationDbCsv => 4,
        RangeFormat::IptoasnTsv => 5,
    };
    if record.len() != expected {
        return Err(format!(
            "expected {expected} fields ({}), found {}",
            match format {
                RangeFormat::IpLocationDbCsv => "start,end,asn,org",
                RangeFormat::IptoasnTsv => "start, end, asn, country, org separated by tabs",
            },
            record.len()
        ));
    }
    let field = |i: usize| record[i].trim();
    let start = parse_ip(field(0), "start")?;
    let end = parse_ip(field(1), "end")?;
    if start.is_ipv4() != end.is_ipv4() {
        return Err(format!(
            "start {start} and end {end} are not the same IP version"
        ));
    }
    if start > end {
        return Err(format!("start {start} is after end {end}"));
    }
    let asn_text = field(2);
    let asn =
        parse_asn(asn_text).ok_or_else(|| format!("AS number {asn_text:?} is not a number"))?;
    let (country, org) = match format {
        RangeFormat::IpLocationDbCsv => (None, field(3)),
        RangeFormat::IptoasnTsv => (parse_country(field(3))?, field(4)),
    };
    if asn == 0 {
        return Ok(None);
    }
    Ok(Some(AsnRange {
        start,
        end,
        asn,
        org: strings.get(org),
        country: country.map(|c| strings.get(&c)),
        line,
    }))
}

fn parse_ip(text: &str, what: &str) -> Result<IpAddr, String> {
    text.parse()
        .map_err(|_| format!("{what} {text:?} is not an IP address"))
}

/// iptoasn writes `None` (or `Unknown`) where it has no country.
fn parse_country(text: &str) -> Result<Option<String>, String> {
    if text.is_empty()
        || text.eq_ignore_ascii_case("none")
        || text.eq_ignore_ascii_case("unknown")
        || text == "-"
    {
        return Ok(None);
    }
    if text.len() == 2 && text.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Ok(Some(text.to_ascii_uppercase()));
    }
    Err(format!("country {text:?} is not a two-letter code"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<ParsedRanges, RangeError> {
        parse_ranges(text.as_bytes(), "test.csv")
    }

    #[test]
    fn ip_location_db_csv() {
        let parsed = parse(
            "1.0.0.0,1.0.0.255,13335,\"Cloudflare, Inc.\"\n\
             2001:4860::,2001:4860:ffff:ffff:ffff:ffff:ffff:ffff,15169,Google LLC\n",
        )
        .expect("parses");
        assert_eq!(parsed.format, RangeFormat::IpLocationDbCsv);
        assert_eq!(parsed.ranges.len(), 2);
        assert_eq!(&*parsed.ranges[0].org, "Cloudflare, Inc.");
        assert_eq!(parsed.ranges[0].asn, 13335);
        assert_eq!(parsed.ranges[1].line, 2);
        assert!(parsed.ranges[1].start.is_ipv6());
        assert_eq!(parsed.ranges[0].country, None);
    }

    #[test]
    fn iptoasn_tsv_with_not_routed_rows() {
        let parsed = parse(
            "1.0.0.0\t1.0.0.255\t13335\tUS\tCLOUDFLARENET\n\
             1.0.1.0\t1.0.3.255\t0\tNone\tNot routed\n\
             133.106.32.0\t133.106.63.255\t138384\tjp\tRakuten Mobile, Inc.\n",
        )
        .expect("parses");
        assert_eq!(parsed.format, RangeFormat::IptoasnTsv);
        assert_eq!(parsed.not_routed, 1);
        assert_eq!(parsed.ranges.len(), 2);
        assert_eq!(parsed.ranges[1].country.as_deref(), Some("JP"));
        assert_eq!(&*parsed.ranges[1].org, "Rakuten Mobile, Inc.");
        assert_eq!(parsed.ranges[1].line, 3);
    }

    #[test]
    fn header_comments_blank_lines_and_bom() {
        let parsed =
            parse("\u{feff}start,end,asn,org\n# note\n\n8.8.8.0,8.8.8.255,AS15169,Google LLC\n")
                .expect("parses");
        assert_eq!(parsed.ranges.len(), 1);
        assert_eq!(parsed.ranges[0].asn, 15169);
        assert_eq!(parsed.ranges[0].line, 4);
    }

    #[test]
    fn csv_quoting() {
        let parsed = parse(
            "1.0.0.0,1.0.0.255,\"13335\",\"b, \"\"c\"\"\"\n\
             1.0.1.0,1.0.1.255,1,\n\
             1.0.2.0,1.0.2.255,2,say \"hi\"\n",
        )
        .expect("parses");
        let orgs: Vec<&str> = parsed.ranges.iter().map(|r| &*r.org).collect();
        assert_eq!(orgs, [r#"b, "c""#, "", r#"say "hi""#]);
        assert_eq!(parsed.ranges[0].asn, 13335);
    }

    #[test]
    fn line_numbers_count_comments_blank_lines_and_crlf() {
        let parsed = parse(
            "# a \"quoted, comment\r\n\
             \r\n\
             \x20\x20# indented, \"with a quote\n\
             1.0.0.0,1.0.0.255,1,A\r\n\
             \n\
             1.0.1.0,1.0.1.255,2,\"B\"",
        )
        .expect("parses");
        let lines: Vec<u64> = parsed.ranges.iter().map(|r| r.line).collect();
        assert_eq!(lines, [4, 6]);
        assert_eq!(&*parsed.ranges[1].org, "B");
        let tsv = parse("# c\n\t\t\n1.0.0.0\t1.0.0.255\t1\tUS\tA \"B\"\n").expect("parses");
        assert_eq!(tsv.ranges[0].line, 3);
        assert_eq!(&*tsv.ranges[0].org, "A \"B\"");
    }

    #[test]
    fn bad_lines_name_line_and_reason() {
        let cases = [
            (
                "1.0.0.0,1.0.0.255,13335,A\n1.0.0.x,1.0.0.9,1,B\n",
                2,
                "not an IP address",
            ),
            ("1.0.0.9,1.0.0.0,1,B\n", 1, "is after end"),
            ("1.0.0.0,::1,1,B\n", 1, "not the same IP version"),
            ("1.0.0.0,1.0.0.1,ASX,B\n", 1, "is not a number"),
            ("1.0.0.0,1.0.0.1,1\n", 1, "expected 4 fields"),
            ("1.0.0.0\t1.0.0.1\t1\tJPN\tX\n", 1, "two-letter code"),
            ("1.0.0.0,1.0.0.1,1,\"open\n", 1, "not closed"),
            ("1.0.0.0,1.0.0.1,1,\"open", 1, "not closed"),
            (
                "1.0.0.0,1.0.0.1,1,A\n1.0.0.2,1.0.0.3,1,\"open\n# c\n1.0.0.4,1.0.0.5,1,\"B\"\n",
                2,
                "not closed",
            ),
        ];
        for (text, line, reason) in cases {
            match parse(text) {
                Err(RangeError::Line {
                    line: got,
                    reason: why,
                    source_name,
                }) => {
                    assert_eq!(got, line, "{text}");
                    assert!(why.contains(reason), "{why} should say {reason}");
                    assert_eq!(source_name, "test.csv");
                }
                other => panic!("{text}: expected a line error, got {other:?}"),
            }
        }
        let err = parse("# only a comment\n").expect_err("empty");
        assert!(err.to_string().contains("no ranges found"));
    }
}
