//! Telling the formats apart from the first 64 KiB: an access log line starts
//! with an address and has a `[time]` and a `"request"`; a GoPhish export has
//! its fixed header; anything else with time and IP columns is native CSV.

use encoding_rs::Encoding;

use crate::model::LogFormat;

use super::bytes::csv_records::{self, detect_delimiter};
use super::bytes::encoding::FieldDecoder;
use super::file_ctx::line_excerpt;
use super::formats::native_columns::{Columns, normalize};
use super::formats::{combined_line, dhcp_audit, dhcpd_leases, gateway, gophish, squid};
use super::values::fields::parse_ip;
use super::values::timestamp::parse_clf;

/// Lines of the sample looked at to recognise an access log.
const PROBE_LINES: usize = 10;

/// A refusal for files that are no text log at all, saying what to do instead.
/// (UTF-16 text is converted before this is asked.)
pub fn refuse_container(sample: &[u8]) -> Option<&'static str> {
    Some(match sample {
        [0x1f, 0x8b, ..] => {
            "the file is gzip-compressed; decompress it first (e.g. `zcat access.log.2.gz | whoclicked … -`)"
        }
        [b'P', b'K', 3, 4, ..] => {
            "the file is a ZIP archive or an Excel workbook (.xlsx); save the sheet as CSV (UTF-8 or Shift_JIS) first"
        }
        [0xd0, 0xcf, 0x11, 0xe0, ..] => {
            "the file is an old Excel workbook (.xls); save the sheet as CSV (UTF-8 or Shift_JIS) first"
        }
        _ => return None,
    })
}

/// The format and, for CSV, the delimiter; or why no format fits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sniffed {
    pub format: LogFormat,
    pub delimiter: u8,
    /// Non-blank lines above a CSV header (a title, an export date), to skip.
    pub preamble_lines: usize,
    /// Physical line of the CSV header.
    pub header_line: u64,
}

/// Lines searched for a CSV header below a title or export note.
const HEADER_SEARCH_LINES: usize = 10;

/// Whether the sample holds nothing but whitespace.
pub fn is_empty(body: &[u8]) -> bool {
    body.iter().all(u8::is_ascii_whitespace)
}

pub fn detect(
    body: &[u8],
    at_eof: bool,
    encoding: &'static Encoding,
    forced: Option<LogFormat>,
) -> Result<Sniffed, String> {
    let mut lines: Vec<(u64, &[u8])> = body
        .split(|&b| b == b'\n')
        .enumerate()
        .map(|(i, l)| (i as u64 + 1, l.strip_suffix(b"\r").unwrap_or(l)))
        .collect();
    // The sample may end mid-line; that piece proves nothing.
    if !at_eof && lines.len() > 1 {
        lines.pop();
    }
    lines.retain(|(_, l)| !l.iter().all(u8::is_ascii_whitespace));
    let (first_line, first) = lines.first().copied().unwrap_or((1, &[][..]));
    let plain = |format, delimiter| Sniffed {
        format,
        delimiter,
        preamble_lines: 0,
        header_line: first_line,
    };
    let mut decoder = FieldDecoder::new(encoding);
    let probe = &lines[..lines.len().min(PROBE_LINES)];
    let good = probe.iter().filter(|(_, l)| is_log_line(l)).count();
    let looks_like_log = good > 0 && good * 2 > probe.len();
    // The company network's logs are told by content even when a campaign
    // format is forced: `--log-format` names the campaign's logs.
    if let Some(found) = network_format(&lines, probe, &mut decoder) {
        return Ok(found);
    }
    match forced {
        Some(LogFormat::Combined) => return Ok(plain(LogFormat::Combined, b',')),
        Some(format) => {
            // A forced CSV format still looks for its header below a title.
            let found = lines.iter().take(HEADER_SEARCH_LINES).enumerate().find_map(
                |(skip, &(at, line))| {
                    let delimiter = detect_delimiter(line);
                    let names = header_names(line, delimiter, &mut decoder);
                    header_format(&names).map(|_| (skip, at, delimiter))
                },
            );
            return Ok(match found {
                Some((skip, at, delimiter)) => Sniffed {
                    format,
                    delimiter,
                    preamble_lines: skip,
                    header_line: at,
                },
                None => plain(format, detect_delimiter(first)),
            });
        }
        None => {}
    }
    if looks_like_log {
        return Ok(plain(LogFormat::Combined, b','));
    }
    let first_names = header_names(first, detect_delimiter(first), &mut decoder);
    let normalized: Vec<String> = first_names.iter().map(|n| normalize(n)).collect();
    if gophish::is_results_header(&normalized) {
        return Err(
            "this is GoPhish's \"Results\" export, which keeps only each recipient's last \
             state; export \"Raw Events\" from the campaign instead"
                .to_string(),
        );
    }
    for (skip, &(at, line)) in lines.iter().take(HEADER_SEARCH_LINES).enumerate() {
        let delimiter = detect_delimiter(line);
        let names = header_names(line, delimiter, &mut decoder);
        if let Some(format) = header_format(&names) {
            return Ok(Sniffed {
                format,
                delimiter,
                preamble_lines: skip,
                header_line: at,
            });
        }
    }
    let native = Columns::from_header(&first_names).err().unwrap_or_default();
    let log_reason = match combined_line::parse(first) {
        Err(why) => why,
        Ok(_) => "the client address or [time] does not parse",
    };
    let first_text = decoder.decode(first, first_line);
    Err(format!(
        "the first line is {}; as an Apache/nginx access log: {log_reason} (expected e.g. \
         203.0.113.9 - - [10/Oct/2026:13:55:36 +0900] \"GET /?rid=abc HTTP/1.1\" 200 512); \
         as GoPhish Raw Events: the header should be campaign_id,email,time,message,details; \
         as native CSV: {native}",
        line_excerpt(&first_text)
    ))
}

/// Lines searched for a lease block below `dhcpd.leases`' comments.
const LEASE_SEARCH_LINES: usize = 200;

/// A proxy or DHCP log, told from its content: the DHCP audit log's title or
/// header, a `lease … {` block, Squid lines (native, or Apache-like with
/// absolute URLs), a gateway export's header.
fn network_format(
    lines: &[(u64, &[u8])],
    probe: &[(u64, &[u8])],
    decoder: &mut FieldDecoder,
) -> Option<Sniffed> {
    let plain = |format| Sniffed {
        format,
        delimiter: b',',
        preamble_lines: 0,
        header_line: lines.first().map_or(1, |l| l.0),
    };
    let audit = lines
        .iter()
        .take(dhcp_audit::HEADER_SEARCH_LINES)
        .any(|&(at, l)| {
            let text = decoder.decode(l, at);
            dhcp_audit::is_title(&text) || dhcp_audit::is_header(&text)
        });
    if audit {
        return Some(plain(LogFormat::DhcpAudit));
    }
    let leases = lines
        .iter()
        .take(LEASE_SEARCH_LINES)
        .any(|&(_, l)| dhcpd_leases::is_lease_line(&String::from_utf8_lossy(l)));
    if leases {
        return Some(plain(LogFormat::DhcpLeases));
    }
    let majority = |test: fn(&[u8]) -> bool| {
        let good = probe.iter().filter(|(_, l)| test(l)).count();
        good > 0 && good * 2 > probe.len()
    };
    if majority(squid::is_native_line) || majority(squid::is_common_line) {
        return Some(plain(LogFormat::Squid));
    }
    for (skip, &(at, line)) in lines.iter().take(HEADER_SEARCH_LINES).enumerate() {
        let delimiter = detect_delimiter(line);
        if gateway::is_header(&header_names(line, delimiter, decoder)) {
            return Some(Sniffed {
                format: LogFormat::Gateway,
                delimiter,
                preamble_lines: skip,
                header_line: at,
            });
        }
    }
    None
}

/// The CSV format a header row belongs to, if any.
fn header_format(names: &[String]) -> Option<LogFormat> {
    let normalized: Vec<String> = names.iter().map(|n| normalize(n)).collect();
    if gophish::is_events_header(&normalized) {
        Some(LogFormat::GoPhish)
    } else if Columns::from_header(names).is_ok() {
        Some(LogFormat::Native)
    } else {
        None
    }
}

fn header_names(line: &[u8], delimiter: u8, decoder: &mut FieldDecoder) -> Vec<String> {
    let mut rdr = csv_records::reader(line, delimiter);
    let mut record = csv::ByteRecord::new();
    match rdr.read_byte_record(&mut record) {
        Ok(true) => csv_records::header_names(&record, decoder),
        _ => Vec::new(),
    }
}

fn is_log_line(line: &[u8]) -> bool {
    combined_line::parse(line).is_ok_and(|l| {
        parse_ip(&String::from_utf8_lossy(l.host)).is_ok() && parse_clf(l.time).is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::UTF_8;

    fn sniff(text: &str) -> Result<LogFormat, String> {
        detect(text.as_bytes(), true, UTF_8, None).map(|s| s.format)
    }

    #[test]
    fn tells_formats_apart() {
        assert_eq!(
            sniff("203.0.113.9 - - [10/Oct/2026:13:55:36 +0900] \"GET /?rid=a HTTP/1.1\" 200 5\n"),
            Ok(LogFormat::Combined)
        );
        assert_eq!(
            sniff(
                "campaign_id,email,time,message,details\r\n1,a@x,2024-05-01T09:00:00Z,Email Sent,"
            ),
            Ok(LogFormat::GoPhish)
        );
        assert_eq!(
            sniff("email,time,message,details\n"),
            Ok(LogFormat::GoPhish)
        );
        assert_eq!(sniff("\n\ntime;ip\n"), Ok(LogFormat::Native));
        let d = detect(b"time\tip\n", true, UTF_8, None).unwrap();
        assert_eq!(d.delimiter, b'\t');
    }

    #[test]
    fn explains_when_nothing_fits() {
        let err = sniff("hello world\nfoo\n").unwrap_err();
        assert!(err.contains("\"hello world\""), "{err}");
        assert!(err.contains("as GoPhish Raw Events"), "{err}");
        assert!(err.contains("no column named time"), "{err}");
        let err = sniff("id,status,ip,latitude,longitude,send_date,reported,modified_date,email\n")
            .unwrap_err();
        assert!(err.contains("Raw Events"), "{err}");
    }

    #[test]
    fn refuses_containers() {
        assert!(
            refuse_container(&[0x1f, 0x8b, 8, 0])
                .unwrap()
                .contains("gzip")
        );
        assert!(
            refuse_container(b"PK\x03\x04rest")
                .unwrap()
                .contains(".xlsx")
        );
        assert!(
            refuse_container(&[0xd0, 0xcf, 0x11, 0xe0])
                .unwrap()
                .contains(".xls")
        );
        assert_eq!(refuse_container(b"time,ip\n"), None);
    }

    #[test]
    fn finds_a_header_below_a_title() {
        let d = detect(
            "標的型メール訓練 結果\n出力日: 2026/10/02\n\n日時;IPアドレス;メール\n".as_bytes(),
            true,
            UTF_8,
            None,
        )
        .unwrap();
        assert_eq!(
            d,
            Sniffed {
                format: LogFormat::Native,
                delimiter: b';',
                preamble_lines: 2,
                header_line: 4
            }
        );
    }
}
