//! The Windows DHCP server's audit log (`DhcpSrvLog-Wed.log`): a block of
//! text explaining the event IDs, then CSV-like lines under the header
//! `ID,Date,Time,Description,IP Address,Host Name,MAC Address,…` (in the
//! server's language: `ID,日付,時刻,説明,IP アドレス,ホスト名,MAC アドレス,…`
//! on a Japanese server). Event 10 (a new lease) and 11 (a renewal) give an
//! address to a host; 12 (a release) ends it; the rest say nothing about who
//! held an address and are passed over.
//!
//! Dates are written in the server's short format with a two-digit year:
//! month first (`12/03/26`) on an English server, year first (`26/12/03`)
//! on a Japanese one; the header's language decides, and a four-digit year
//! first (`2026/12/03`) is read as such. Times are the server's local time
//! (read in `--tz`).

use std::io::BufRead;

use crate::input::bytes::lines::{LineReader, MAX_LINE};
use crate::input::error::LoadError;
use crate::input::file_ctx::{FileCtx, excerpt};
use crate::input::formats::native_columns::normalize;
use crate::input::values::fields::parse_ip;
use crate::model::{Lease, Sym, normalize_mac};

/// Lines searched for the header below the explanation block.
pub const HEADER_SEARCH_LINES: usize = 80;

/// How the server writes its dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DateOrder {
    /// `12/03/26` (English servers).
    MonthDayYear,
    /// `26/12/03` (Japanese servers).
    YearMonthDay,
}

struct Columns {
    id: usize,
    date: usize,
    time: usize,
    ip: usize,
    host: usize,
    mac: usize,
    order: DateOrder,
}

fn columns(line: &str) -> Option<Columns> {
    let names: Vec<String> = line.split(',').map(normalize).collect();
    let find = |aliases: &[&str]| names.iter().position(|n| aliases.contains(&n.as_str()));
    let date = find(&["date", "日付"])?;
    let japanese = names[date] == "日付";
    let cols = Columns {
        id: find(&["id"]).filter(|&i| i == 0)?,
        date,
        time: find(&["time", "時刻"])?,
        ip: find(&["ipaddress", "ipアドレス"])?,
        host: find(&["hostname", "ホスト名"])?,
        mac: find(&["macaddress", "macアドレス"])?,
        order: if japanese {
            DateOrder::YearMonthDay
        } else {
            DateOrder::MonthDayYear
        },
    };
    Some(cols)
}

/// Whether a line is the audit log's header (used by detection).
pub fn is_header(line: &str) -> bool {
    columns(line).is_some()
}

/// Whether a line is the log's title.
pub fn is_title(line: &str) -> bool {
    line.contains("DHCP Service Activity Log") || line.contains("DHCP サービス アクティビティ ログ")
}

pub fn read(ctx: &mut FileCtx<'_>, input: impl BufRead) -> Result<(), LoadError> {
    let mut lines = LineReader::new(input);
    let mut buf = Vec::with_capacity(512);
    let mut line_no: u64 = 0;
    let mut cols: Option<Columns> = None;
    loop {
        let truncated = match lines.next_line(&mut buf) {
            Ok(Some(t)) => t,
            Ok(None) => break,
            Err(source) => {
                return Err(LoadError::Io {
                    file: ctx.name.to_string(),
                    source,
                });
            }
        };
        line_no += 1;
        let Some(c) = &cols else {
            // The explanation block above the header is no data.
            let text = ctx.decoder.decode(&buf, line_no).into_owned();
            cols = columns(&text);
            continue;
        };
        ctx.row_seen()?;
        if buf.iter().all(u8::is_ascii_whitespace) {
            ctx.row_was_blank();
            continue;
        }
        if truncated {
            let reason = format!("the line is longer than {MAX_LINE} bytes");
            ctx.fail(line_no, None, reason);
            continue;
        }
        let text = ctx.decoder.decode(&buf, line_no).into_owned();
        let fields: Vec<&str> = text.split(',').map(str::trim).collect();
        let field = |i: usize| fields.get(i).copied().unwrap_or("");
        let Ok(id) = field(c.id).parse::<u32>() else {
            let reason = format!("{} is no event ID", excerpt(field(c.id)));
            ctx.fail(line_no, Some("ID"), reason);
            continue;
        };
        if !matches!(id, 10..=12) {
            continue;
        }
        let Some((year, month, day)) = read_date(field(c.date), c.order) else {
            let order = match c.order {
                DateOrder::MonthDayYear => "month/day/year, as an English server writes it",
                DateOrder::YearMonthDay => "year/month/day, as a Japanese server writes it",
            };
            let reason = format!("{} is not a date read {order}", excerpt(field(c.date)));
            ctx.fail(line_no, Some("Date"), reason);
            continue;
        };
        let stamp = format!("{year:04}-{month:02}-{day:02} {}", field(c.time));
        let time = match ctx.times.parse(&stamp) {
            Ok(t) => t,
            Err(e) => {
                let reason = format!("{} {}", excerpt(field(c.time)), e.describe());
                ctx.fail(line_no, Some("Time"), reason);
                continue;
            }
        };
        let ip = match parse_ip(field(c.ip)) {
            Ok(ip) => ip.to_canonical(),
            Err(reason) => {
                ctx.fail(line_no, Some("IP Address"), reason);
                continue;
            }
        };
        let line = u32::try_from(line_no).unwrap_or(u32::MAX);
        if id == 12 {
            // A release: the address is no one's from now on.
            ctx.push_lease(Lease {
                ip,
                start: time,
                end: Some(time),
                host: Sym::EMPTY,
                mac: Sym::EMPTY,
                file: ctx.file,
                line,
            });
            continue;
        }
        let mac = match field(c.mac) {
            "" => Sym::EMPTY,
            raw => match normalize_mac(raw) {
                Some(mac) => ctx.campaign.strings.intern(&mac),
                None => {
                    let reason = format!("{} is not a MAC address", excerpt(raw));
                    ctx.warn(line_no, Some("MAC Address"), reason);
                    Sym::EMPTY
                }
            },
        };
        let host = ctx.campaign.strings.intern(field(c.host));
        ctx.push_lease(Lease {
            ip,
            start: time,
            end: None,
            host,
            mac,
            file: ctx.file,
            line,
        });
    }
    if cols.is_none() {
        return Err(LoadError::Unreadable {
            file: ctx.name.to_string(),
            format: ctx.format,
            failed_rows: Vec::new(),
            detail: format!(
                "read as a Windows DHCP audit log: no header line \
                 `ID,Date,Time,Description,IP Address,Host Name,MAC Address,…` in its first \
                 {HEADER_SEARCH_LINES} lines"
            ),
        });
    }
    Ok(())
}

/// `12/03/26` or `26/12/03` (by `order`), or `2026/12/03` whatever the order.
fn read_date(text: &str, order: DateOrder) -> Option<(i16, i8, i8)> {
    let parts: Vec<&str> = text.split(['/', '-', '.']).collect();
    let [a, b, c] = parts[..] else {
        return None;
    };
    let num = |s: &str| -> Option<i16> {
        (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (y, m, d) = if a.len() == 4 {
        (num(a)?, num(b)?, num(c)?)
    } else {
        match order {
            DateOrder::MonthDayYear => (num(c)?, num(a)?, num(b)?),
            DateOrder::YearMonthDay => (num(a)?, num(b)?, num(c)?),
        }
    };
    let year = if y < 100 { 2000 + y } else { y };
    let (month, day) = (i8::try_from(m).ok()?, i8::try_from(d).ok()?);
    jiff::civil::Date::new(year, month, day).ok()?;
    Some((year, month, day))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_servers_dates() {
        assert_eq!(
            read_date("12/03/26", DateOrder::MonthDayYear),
            Some((2026, 12, 3))
        );
        assert_eq!(
            read_date("26/12/03", DateOrder::YearMonthDay),
            Some((2026, 12, 3))
        );
        assert_eq!(
            read_date("2026/12/03", DateOrder::MonthDayYear),
            Some((2026, 12, 3))
        );
        assert_eq!(read_date("26/12/03", DateOrder::MonthDayYear), None);
        assert_eq!(read_date("12/03", DateOrder::MonthDayYear), None);
    }

    #[test]
    fn knows_the_header_in_both_languages() {
        assert!(is_header(
            "ID,Date,Time,Description,IP Address,Host Name,MAC Address,User Name, TransactionID"
        ));
        assert!(is_header(
            "ID,日付,時刻,説明,IP アドレス,ホスト名,MAC アドレス,ユーザー名"
        ));
        assert!(!is_header("time,ip,email"));
    }
}
