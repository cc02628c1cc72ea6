//! GoPhish's "Raw Events" CSV export: one row per campaign event. Sends,
//! send errors and reports update the recipient; opens, clicks and form
//! submissions become accesses.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Read;

use csv::ByteRecord;

use crate::model::{Access, Event, Screen, Sym, Timestamp, recipient_raw};

use crate::input::bytes::csv_records::{self, Dialect, io_error, text};
use crate::input::cache::Memo;
use crate::input::error::LoadError;
use crate::input::file_ctx::{FileCtx, excerpt, line_excerpt};
use crate::input::formats::gophish_details::{self, Payload};
use crate::input::formats::native_columns::normalize;
use crate::input::recipients::{mark_reported, mark_send_error, mark_sent, resolve};
use crate::input::values::fields::{parse_ip, parse_screen, screen_from_parts};

/// Normalized names of the columns GoPhish has always written.
const REQUIRED: [&str; 4] = ["email", "time", "message", "details"];

/// Whether a header (already normalized) is GoPhish's Raw Events export.
pub fn is_events_header(normalized: &[String]) -> bool {
    REQUIRED.iter().all(|r| normalized.iter().any(|n| n == r))
}

/// GoPhish's other export, which holds each recipient's last state, not events.
pub fn is_results_header(normalized: &[String]) -> bool {
    ["id", "status", "ip", "latitude", "longitude", "email"]
        .iter()
        .all(|r| normalized.iter().any(|n| n == r))
}

struct Columns {
    email: usize,
    time: usize,
    message: usize,
    details: usize,
    /// `campaign_id` and any columns forks add, kept as extras.
    extras: Vec<usize>,
}

/// An ignored kind of event: the issue it was reported as and how many rows it had.
struct Ignored {
    issue: usize,
    rows: u64,
}

pub fn read(ctx: &mut FileCtx<'_>, input: impl Read, dialect: Dialect) -> Result<(), LoadError> {
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
    csv_records::warn_duplicate_names(ctx, &names, csv_records::line_of(&rec, &lines));
    let normalized: Vec<String> = names.iter().map(|n| normalize(n)).collect();
    let find = |want: &str| normalized.iter().position(|n| n == want);
    let (Some(email), Some(time), Some(message), Some(details)) = (
        find("email"),
        find("time"),
        find("message"),
        find("details"),
    ) else {
        return Err(LoadError::Unreadable {
            file: ctx.name.to_string(),
            format: ctx.format,
            failed_rows: Vec::new(),
            detail: format!(
                "read as GoPhish Raw Events: the header needs the columns \
                 campaign_id,email,time,message,details (campaign_id is optional); it was {}",
                line_excerpt(&names.join(","))
            ),
        });
    };
    let cols = Columns {
        email,
        time,
        message,
        details,
        extras: (0..names.len())
            .filter(|i| ![email, time, message, details].contains(i))
            .collect(),
    };
    let mut extra_names: Vec<Sym> = cols
        .extras
        .iter()
        .map(|&i| ctx.campaign.strings.intern(&names[i]))
        .collect();
    extra_names.push(ctx.campaign.strings.intern("payload"));
    if let Some(file) = ctx.campaign.files.get_mut(usize::from(ctx.file)) {
        file.extra_columns = extra_names;
    }

    let mut reader = Reader {
        width: names.len(),
        cols,
        names,
        ignored: HashMap::new(),
        ids: Memo::default(),
    };
    let mut row: u32 = 0;
    while rdr
        .read_byte_record(&mut rec)
        .map_err(|e| io_error(ctx.name, e))?
    {
        row = row.saturating_add(1);
        ctx.row_seen()?;
        let line = csv_records::line_of(&rec, &lines);
        reader.row(ctx, &rec, row, line);
        csv_records::report_skipped(ctx, &skips)?;
    }
    csv_records::report_skipped(ctx, &skips)?;
    reader.finish(ctx);
    Ok(())
}

struct Reader {
    cols: Columns,
    names: Vec<String>,
    width: usize,
    /// Messages that are no recipient event, by text.
    ignored: HashMap<String, Ignored>,
    ids: Memo,
}

impl Reader {
    fn row(&mut self, ctx: &mut FileCtx<'_>, rec: &ByteRecord, row: u32, line: u64) {
        if !csv_records::row_is_readable(ctx, rec, self.width, line) {
            return;
        }
        let message = text(rec, self.cols.message, &mut ctx.decoder, line);
        let event = match message.as_ref() {
            "Campaign Created" => return,
            "Email Sent" | "Error Sending Email" | "Email Reported" => None,
            "Email Opened" => Some(Event::Open),
            "Clicked Link" => Some(Event::Click),
            "Submitted Data" => Some(Event::Submit),
            other => {
                self.ignore(ctx, other, line);
                return;
            }
        };
        let email = text(rec, self.cols.email, &mut ctx.decoder, line);
        let time_text = text(rec, self.cols.time, &mut ctx.decoder, line);
        let time = match ctx.times.parse(&time_text) {
            Ok(t) => t,
            Err(e) => {
                let reason = format!("{} {}", excerpt(&time_text), e.describe());
                ctx.fail(line, Some(&self.names[self.cols.time]), reason);
                return;
            }
        };
        let details = text(rec, self.cols.details, &mut ctx.decoder, line);
        let row = Row {
            rec,
            row,
            line,
            email: &email,
            time,
            details: &details,
        };
        match event {
            Some(event) => self.access(ctx, &row, event),
            None => self.recipient_event(ctx, &row, &message),
        }
    }

    /// One issue per kind of ignored message, at its first row.
    fn ignore(&mut self, ctx: &mut FileCtx<'_>, message: &str, line: u64) {
        if let Some(seen) = self.ignored.get_mut(message) {
            seen.rows += 1;
            return;
        }
        let reason = format!("{} is no recipient event; ignored", excerpt(message));
        ctx.ignore(line, Some(&self.names[self.cols.message]), reason);
        let issue = ctx.campaign.issues.len().saturating_sub(1);
        self.ignored
            .insert(message.to_string(), Ignored { issue, rows: 1 });
    }

    /// Sends, send errors and reports: facts about the recipient, no access.
    fn recipient_event(&mut self, ctx: &mut FileCtx<'_>, row: &Row<'_>, message: &str) {
        match message {
            "Email Sent" => {
                let id = self.ids.recipient(row.email.as_bytes(), b"", || {
                    resolve(ctx.campaign, row.email, "")
                });
                if let Some(id) = id {
                    mark_sent(ctx.campaign, id, row.time);
                }
            }
            "Error Sending Email" => {
                if let Some(id) = resolve(ctx.campaign, row.email, "") {
                    mark_send_error(ctx.campaign, id);
                }
            }
            _ => {
                // IMAP reports carry no details; web reports carry the rid.
                let rid = if row.details.is_empty() {
                    None
                } else {
                    gophish_details::parse(row.details)
                        .ok()
                        .and_then(|d| d.payload)
                        .and_then(|p| p.rid)
                };
                if let Some(id) = resolve(ctx.campaign, row.email, rid.as_deref().unwrap_or("")) {
                    mark_reported(ctx.campaign, id);
                }
            }
        }
    }

    /// Opens, clicks and submissions, with the browser's address and agent.
    fn access(&mut self, ctx: &mut FileCtx<'_>, row: &Row<'_>, event: Event) {
        let line = row.line;
        let details_col = Some(self.names[self.cols.details].as_str());
        if row.details.is_empty() {
            let reason = "is empty: the event has no browser address".to_string();
            no_address(ctx, line, details_col, reason, event);
            return;
        }
        let details = match gophish_details::parse(row.details) {
            Ok(d) => d,
            Err(reason) => {
                let reason = format!("{} {reason}", excerpt(row.details));
                ctx.fail(line, details_col, reason);
                return;
            }
        };
        let browser = details.browser.unwrap_or_default();
        let address = browser.address.as_deref().unwrap_or("");
        if address.is_empty() {
            let reason = "has no browser address".to_string();
            no_address(ctx, line, details_col, reason, event);
            return;
        }
        let ip = match self.ids.ips.get(address.as_bytes()) {
            Some(id) => id,
            None => match parse_ip(address) {
                Ok(ip) => {
                    let id = ctx.campaign.intern_ip(ip);
                    self.ids.ips.insert(address.as_bytes(), id);
                    id
                }
                Err(reason) => {
                    ctx.fail(line, details_col, format!("browser.address: {reason}"));
                    return;
                }
            },
        };
        let payload = details.payload.unwrap_or_default();
        let screen = screen(ctx, &payload, line, details_col);
        let rid = payload.rid.as_deref().unwrap_or("");
        let recipient = self
            .ids
            .recipient(row.email.as_bytes(), rid.as_bytes(), || {
                resolve(ctx.campaign, row.email, rid)
            });
        let ua = browser.user_agent.as_deref().unwrap_or("");
        let user_agent = match self.ids.agents.get(ua.as_bytes()) {
            Some(id) => id,
            None => {
                let id = ctx.campaign.intern_user_agent(ua);
                self.ids.agents.insert(ua.as_bytes(), id);
                id
            }
        };
        let payload_text = payload.other_text();
        let mut values: Vec<Cow<'_, str>> = self
            .cols
            .extras
            .iter()
            .map(|&i| text(row.rec, i, &mut ctx.decoder, line))
            .collect();
        values.push(payload_text.into());
        let refs: Vec<&str> = values.iter().map(AsRef::as_ref).collect();
        let extra = ctx.campaign.push_extras(&refs);
        ctx.push_access(Access {
            time: row.time,
            ip,
            user_agent,
            recipient_raw: recipient_raw(recipient),
            method: Sym::EMPTY,
            extra,
            row: row.row,
            line: u32::try_from(line).unwrap_or(u32::MAX),
            screen,
            file: ctx.file,
            event,
        });
    }

    /// Says how many rows each ignored kind of message covered.
    fn finish(self, ctx: &mut FileCtx<'_>) {
        for seen in self.ignored.values().filter(|s| s.rows > 1) {
            if let Some(issue) = ctx.campaign.issues.get_mut(seen.issue) {
                issue.reason = format!("{} ({} rows like this one)", issue.reason, seen.rows);
            }
            if let Some(file) = ctx.campaign.files.get_mut(usize::from(ctx.file)) {
                file.skipped += seen.rows - 1;
            }
        }
    }
}

/// An event without an address is no usable access. For opens that is how
/// old GoPhish versions wrote them (before the fix for issue #427), so a file
/// full of them is still read right; a click or submission without one is a
/// broken row.
fn no_address(ctx: &mut FileCtx<'_>, line: u64, field: Option<&str>, reason: String, event: Event) {
    if event == Event::Open {
        ctx.ignore(line, field, format!("{reason}; the open is ignored"));
    } else {
        ctx.fail(line, field, reason);
    }
}

/// The cells of one event row that every kind of event needs.
struct Row<'r> {
    rec: &'r ByteRecord,
    row: u32,
    line: u64,
    email: &'r str,
    time: Timestamp,
    details: &'r str,
}

/// A screen size a landing-page beacon posted (`screen=390x844` or `sw`/`sh`).
fn screen(
    ctx: &mut FileCtx<'_>,
    payload: &Payload<'_>,
    line: u64,
    field: Option<&str>,
) -> Option<Screen> {
    let result = match (&payload.screen, &payload.width, &payload.height) {
        (Some(s), _, _) => parse_screen(s),
        (None, Some(w), Some(h)) => screen_from_parts(w, h),
        _ => return None,
    };
    result.unwrap_or_else(|reason| {
        ctx.warn(line, field, format!("payload screen: {reason}"));
        None
    })
}
