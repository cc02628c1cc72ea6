//! ISC dhcpd's lease database (`dhcpd.leases`): `lease ADDRESS { … }` blocks
//! with `starts`/`ends` (UTC, `W YYYY/MM/DD HH:MM:SS`, or `epoch N` with
//! `db-time-format local`), `hardware ethernet` and `client-hostname`. The
//! file is append-only: a renewal writes the lease again with later times,
//! and an expired or released lease stays with its old times, which is
//! exactly the history needed. Other blocks (`host`, `failover`, IPv6
//! `ia-na`) are passed over.

use std::io::BufRead;

use crate::input::bytes::lines::{LineReader, MAX_LINE};
use crate::input::error::LoadError;
use crate::input::file_ctx::{FileCtx, excerpt, line_excerpt};
use crate::input::values::fields::parse_ip;
use crate::model::{Lease, Sym, Timestamp, normalize_mac};

/// Whether a line opens a lease block (used by detection).
pub fn is_lease_line(line: &str) -> bool {
    let mut words = line.split_whitespace();
    words.next() == Some("lease")
        && words.next().is_some_and(|ip| parse_ip(ip).is_ok())
        && words.next() == Some("{")
}

/// A lease block being read.
struct Open {
    line: u64,
    ip: std::net::IpAddr,
    start: Option<Timestamp>,
    end: Option<Timestamp>,
    host: Sym,
    mac: Sym,
    /// A statement could not be read: the lease is dropped at its end.
    failed: bool,
}

pub fn read(ctx: &mut FileCtx<'_>, input: impl BufRead) -> Result<(), LoadError> {
    let mut lines = LineReader::new(input);
    let mut buf = Vec::with_capacity(256);
    let mut line_no: u64 = 0;
    let mut open: Option<Open> = None;
    // Depth of a block that is no lease, skipped whole.
    let mut skipping = 0usize;
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
        let text = ctx.decoder.decode(&buf, line_no).into_owned();
        let statement = text.split('#').next().unwrap_or("").trim();
        if statement.is_empty() {
            continue;
        }
        if truncated {
            ctx.row_seen()?;
            let reason = format!("the line is longer than {MAX_LINE} bytes");
            ctx.fail(line_no, None, reason);
            continue;
        }
        if skipping > 0 {
            skipping += statement.matches('{').count();
            skipping -= statement.matches('}').count().min(skipping);
            continue;
        }
        let Some(lease) = open.as_mut() else {
            if is_lease_line(statement) {
                ctx.row_seen()?;
                let ip = statement
                    .split_whitespace()
                    .nth(1)
                    .and_then(|s| parse_ip(s).ok());
                open = ip.map(|ip| Open {
                    line: line_no,
                    ip: ip.to_canonical(),
                    start: None,
                    end: None,
                    host: Sym::EMPTY,
                    mac: Sym::EMPTY,
                    failed: false,
                });
            } else if statement.starts_with("lease ") {
                ctx.row_seen()?;
                let reason = format!(
                    "not a lease block opening (`lease 10.0.0.5 {{`): {}",
                    line_excerpt(statement)
                );
                ctx.fail(line_no, Some("lease"), reason);
                skipping = usize::from(statement.ends_with('{'));
            } else if statement.ends_with('{') {
                skipping = 1;
            }
            continue;
        };
        if statement == "}" {
            let lease = open.take().expect("open lease");
            finish(ctx, lease);
            continue;
        }
        let body = statement.trim_end_matches(';').trim();
        if let Some(rest) = body.strip_prefix("starts ") {
            match lease_time(rest) {
                Ok(t) => lease.start = t,
                Err(reason) => {
                    ctx.fail(line_no, Some("starts"), reason);
                    lease.failed = true;
                }
            }
        } else if let Some(rest) = body.strip_prefix("ends ") {
            match lease_time(rest) {
                Ok(t) => lease.end = t,
                Err(reason) => {
                    ctx.fail(line_no, Some("ends"), reason);
                    lease.failed = true;
                }
            }
        } else if let Some(rest) = body.strip_prefix("hardware ethernet ") {
            match normalize_mac(rest) {
                Some(mac) => lease.mac = ctx.campaign.strings.intern(&mac),
                None => {
                    let reason = format!("{} is not a MAC address", excerpt(rest));
                    ctx.warn(line_no, Some("hardware ethernet"), reason);
                }
            }
        } else if let Some(rest) = body.strip_prefix("client-hostname ") {
            let name = rest.trim().trim_matches('"');
            lease.host = ctx.campaign.strings.intern(name);
        } else if body.ends_with('{') {
            skipping = 1;
        }
    }
    if let Some(lease) = open {
        let reason = format!(
            "the lease block for {} is not closed with `}}` before the end of the file",
            lease.ip
        );
        ctx.fail(lease.line, Some("lease"), reason);
    }
    Ok(())
}

fn finish(ctx: &mut FileCtx<'_>, lease: Open) {
    if lease.failed {
        return;
    }
    let Some(start) = lease.start else {
        let reason = format!("the lease for {} has no `starts` time", lease.ip);
        ctx.fail(lease.line, Some("starts"), reason);
        return;
    };
    ctx.push_lease(Lease {
        ip: lease.ip,
        start,
        end: lease.end,
        host: lease.host,
        mac: lease.mac,
        file: ctx.file,
        line: u32::try_from(lease.line).unwrap_or(u32::MAX),
    });
}

/// `4 2026/12/03 00:00:01` (UTC), `epoch 1796256001`, or `never` (`None`).
fn lease_time(text: &str) -> Result<Option<Timestamp>, String> {
    let text = text.trim();
    if text == "never" {
        return Ok(None);
    }
    let bad = || {
        format!(
            "{} is not a lease time (expected e.g. `4 2026/12/03 00:00:01` or `epoch 1796256001`)",
            excerpt(text)
        )
    };
    if let Some(seconds) = text.strip_prefix("epoch ") {
        let seconds: i64 = seconds.trim().parse().map_err(|_| bad())?;
        return Timestamp::from_seconds(seconds).map(Some).ok_or_else(bad);
    }
    let mut words = text.split_whitespace();
    let (Some(_weekday), Some(date), Some(time)) = (words.next(), words.next(), words.next())
    else {
        return Err(bad());
    };
    let civil = jiff::civil::DateTime::strptime("%Y/%m/%d %H:%M:%S", format!("{date} {time}"))
        .map_err(|_| bad())?;
    let instant = jiff::tz::Offset::UTC
        .to_timestamp(civil)
        .map_err(|_| bad())?;
    Timestamp::from_jiff(instant).map(Some).ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_lease_times() {
        let t = lease_time("4 2026/12/03 00:00:01").unwrap().unwrap();
        assert_eq!(
            t.format_rfc3339(&jiff::tz::TimeZone::UTC),
            "2026-12-03T00:00:01Z"
        );
        assert_eq!(
            lease_time("epoch 1796256001").unwrap(),
            Timestamp::from_seconds(1_796_256_001)
        );
        assert_eq!(lease_time("never").unwrap(), None);
        assert!(lease_time("4 2026/13/03 00:00:01").is_err());
        assert!(is_lease_line("lease 10.1.2.3 {"));
        assert!(!is_lease_line("host printer {"));
    }
}
