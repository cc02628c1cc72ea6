//! A secure web gateway's CSV export (Zscaler-style web insights): one row
//! per web request with its time, the authenticated user, the client's
//! internal address, the URL and the policy action. Columns are found by
//! name; a title above the header and a BOM are fine. Every row becomes a
//! [`ProxyRecord`], blocked requests too (a blocked click is still a click).

use std::io::Read;

use csv::ByteRecord;

use crate::input::bytes::csv_records::{self, Dialect, io_error, text};
use crate::input::error::LoadError;
use crate::input::file_ctx::{FileCtx, excerpt, line_excerpt};
use crate::input::formats::native_columns::normalize;
use crate::input::formats::proxy_url;
use crate::input::values::fields::parse_ip;
use crate::model::{ProxyRecord, Sym, Timestamp};

const TIME: &[&str] = &[
    "time",
    "loggedtime",
    "datetime",
    "timestamp",
    "eventtime",
    "日時",
    "時刻",
];
const USER: &[&str] = &["user", "username", "login", "ユーザー", "ユーザー名"];
const CLIENT: &[&str] = &[
    "clientip",
    "clientipaddress",
    "sourceip",
    "srcip",
    "internalip",
    "クライアントip",
    "送信元ip",
];
const URL: &[&str] = &["url", "requestedurl", "fullurl"];
const ACTION: &[&str] = &["action", "policyaction", "アクション"];

struct Columns {
    time: usize,
    user: Option<usize>,
    client: usize,
    url: usize,
}

fn columns(names: &[String]) -> Option<Columns> {
    let normalized: Vec<String> = names.iter().map(|n| normalize(n)).collect();
    let find = |aliases: &[&str]| {
        normalized
            .iter()
            .position(|n| aliases.contains(&n.as_str()))
    };
    let user = find(USER);
    if user.is_none() && find(ACTION).is_none() {
        return None;
    }
    Some(Columns {
        time: find(TIME)?,
        user,
        client: find(CLIENT)?,
        url: find(URL)?,
    })
}

/// Whether a header row is a gateway export's: time, client IP and URL, and
/// a user or action column (which no campaign log has).
pub fn is_header(names: &[String]) -> bool {
    columns(names).is_some()
}

pub fn read(
    ctx: &mut FileCtx<'_>,
    input: impl Read,
    dialect: Dialect,
    rid_param: &str,
) -> Result<(), LoadError> {
    let (mut rdr, lines, skips) = csv_records::open(input, dialect);
    let mut rec = ByteRecord::new();
    if !csv_records::read_header(&mut rdr, &mut rec, dialect).map_err(|e| io_error(ctx.name, e))? {
        ctx.warn(
            0,
            None,
            "the file has no header row and no data".to_string(),
        );
        return Ok(());
    }
    let names = csv_records::header_names(&rec, &mut ctx.decoder);
    let Some(cols) = columns(&names) else {
        return Err(LoadError::Unreadable {
            file: ctx.name.to_string(),
            format: ctx.format,
            failed_rows: Vec::new(),
            detail: format!(
                "read as a web gateway's CSV export: the header needs time, client IP and URL \
                 columns and a user or action column; it was {}",
                line_excerpt(&names.join(","))
            ),
        });
    };
    while rdr
        .read_byte_record(&mut rec)
        .map_err(|e| io_error(ctx.name, e))?
    {
        ctx.row_seen()?;
        let line = csv_records::line_of(&rec, &lines);
        if csv_records::row_is_readable(ctx, &rec, names.len(), line) {
            row(ctx, &rec, &cols, &names, line, rid_param);
        }
        csv_records::report_skipped(ctx, &skips)?;
    }
    csv_records::report_skipped(ctx, &skips)?;
    Ok(())
}

fn row(
    ctx: &mut FileCtx<'_>,
    rec: &ByteRecord,
    cols: &Columns,
    names: &[String],
    line: u64,
    rid_param: &str,
) {
    let time_text = text(rec, cols.time, &mut ctx.decoder, line).into_owned();
    let time = match ctx.times.parse(&time_text) {
        Ok(t) => t,
        Err(e) => match ctime(&time_text, ctx) {
            Some(t) => t,
            None => {
                let reason = format!("{} {}", excerpt(&time_text), e.describe());
                ctx.fail(line, Some(&names[cols.time]), reason);
                return;
            }
        },
    };
    let client_text = text(rec, cols.client, &mut ctx.decoder, line).into_owned();
    let client = match parse_ip(&client_text) {
        Ok(ip) => ip.to_canonical(),
        Err(reason) => {
            ctx.fail(line, Some(&names[cols.client]), reason);
            return;
        }
    };
    let url_text = text(rec, cols.url, &mut ctx.decoder, line).into_owned();
    let Some(url) = proxy_url::split(url_text.as_bytes(), rid_param) else {
        let reason = format!("{} names no host", excerpt(&url_text));
        ctx.fail(line, Some(&names[cols.url]), reason);
        return;
    };
    let user = match cols.user {
        Some(i) => {
            let u = text(rec, i, &mut ctx.decoder, line);
            if u.is_empty() || u == "-" {
                Sym::EMPTY
            } else {
                let u = u.into_owned();
                ctx.campaign.strings.intern(&u)
            }
        }
        None => Sym::EMPTY,
    };
    let host = ctx.campaign.strings.intern(&url.host);
    let path = url.path.map_or(Sym::EMPTY, |p| {
        ctx.campaign.strings.intern(&String::from_utf8_lossy(p))
    });
    let rid = url.rid.as_ref().map_or(Sym::EMPTY, |r| {
        ctx.campaign.strings.intern(&String::from_utf8_lossy(r))
    });
    ctx.push_proxy(ProxyRecord {
        time,
        client,
        user,
        host,
        path,
        rid,
        file: ctx.file,
        line: u32::try_from(line).unwrap_or(u32::MAX),
    });
}

/// `Thu Dec 03 09:00:05 2026` (some exports write times the C way), in the
/// zone of times without an offset.
fn ctime(text: &str, ctx: &FileCtx<'_>) -> Option<Timestamp> {
    let civil = jiff::civil::DateTime::strptime("%a %b %d %H:%M:%S %Y", text.trim()).ok()?;
    let instant = ctx
        .times
        .zone()
        .to_ambiguous_timestamp(civil)
        .compatible()
        .ok()?;
    Timestamp::from_jiff(instant)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn knows_a_gateway_header() {
        assert!(is_header(&names(&[
            "\u{feff}Logged Time",
            "User",
            "Department",
            "Client IP",
            "URL",
            "Policy Action"
        ])));
        assert!(is_header(&names(&[
            "日時",
            "ユーザー",
            "クライアントIP",
            "URL"
        ])));
        // A campaign export with a URL column is no gateway log.
        assert!(!is_header(&names(&["time", "ip", "email", "url"])));
    }
}
