//! The native CSV: one row per access (or per delivery), columns found by name.

use std::borrow::Cow;
use std::io::Read;
use std::net::{IpAddr, Ipv4Addr};

use csv::ByteRecord;

use crate::fasthash::FastMap;
use crate::model::{Access, Event, IpId, NO_EXTRA, Screen, Sym, Timestamp, recipient_raw};

use crate::input::bytes::csv_records::{self, Dialect, io_error, text};
use crate::input::bytes::encoding::strip_formula_escape;
use crate::input::bytes::framing::Skipped;
use crate::input::bytes::pipelined::pipelined;
use crate::input::cache::Memo;
use crate::input::error::LoadError;
use crate::input::file_ctx::{FileCtx, excerpt, line_excerpt};
use crate::input::formats::native_columns::Columns;
use crate::input::recipients::{mark_reported, mark_send_error, mark_sent, resolve};
use crate::input::values::fields::{parse_ip, parse_screen, plain_ipv4, screen_from_parts};
use crate::input::values::forwarded::{ForwardedMemo, TrustedProxies};
use crate::input::values::timestamp::TimeParser;

/// What a row records, from its `event` column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RowKind {
    Access(Event),
    /// The mail was sent to the recipient at the row's time (kit exports mix these in).
    Sent,
    SendError,
}

fn row_kind(event: &str) -> Result<RowKind, String> {
    let lower = event.trim().to_lowercase();
    // Checked before `Event::from_str`, which reads 送信 ("send") as a form submit.
    match lower.as_str() {
        "sent" | "email sent" | "mail sent" | "delivered" | "delivery" | "配信" | "配信済"
        | "配信済み" | "送信済" | "送信済み" | "メール送信" => {
            return Ok(RowKind::Sent);
        }
        "error"
        | "send error"
        | "error sending email"
        | "bounce"
        | "bounced"
        | "送信エラー"
        | "配信エラー"
        | "送信失敗"
        | "配信失敗" => return Ok(RowKind::SendError),
        _ => {}
    }
    event.parse::<Event>().map(RowKind::Access).map_err(|_| {
        format!(
            "{} is not an event whoclicked knows (click, open, submit, report, sent, error)",
            excerpt(event)
        )
    })
}

struct Reader<'o> {
    cols: Columns,
    names: Vec<String>,
    width: usize,
    /// Event texts repeat; remembering the last one saves a lowercase per row.
    last_event: Option<(String, Result<RowKind, String>)>,
    extras: Vec<String>,
    ids: Memo,
    /// Plain IPv4 addresses (most of them), by their 4 bytes: a smaller
    /// table than the raw-bytes memo, so fewer cache misses a row.
    v4: FastMap<u32, IpId>,
    forwarded: ForwardedMemo,
    trusted: &'o TrustedProxies,
}

pub fn read(
    ctx: &mut FileCtx<'_>,
    input: impl Read,
    dialect: Dialect,
    trusted: &TrustedProxies,
) -> Result<(), LoadError> {
    read_with(ctx, input, dialect, trusted, true)
}

/// [`read`], the records applied on a second thread or in line.
fn read_with(
    ctx: &mut FileCtx<'_>,
    input: impl Read,
    dialect: Dialect,
    trusted: &TrustedProxies,
    threaded: bool,
) -> Result<(), LoadError> {
    let io = |e: csv::Error| io_error(ctx.name, e);
    let (mut rdr, lines, skips) = csv_records::open(input, dialect);
    let mut rec = ByteRecord::new();
    if !csv_records::read_header(&mut rdr, &mut rec, dialect).map_err(io)? {
        ctx.warn(
            0,
            None,
            "the file has no header row and no data".to_string(),
        );
        return Ok(());
    }
    let names = csv_records::header_names(&rec, &mut ctx.decoder);
    csv_records::warn_duplicate_names(ctx, &names, csv_records::line_of(&rec, &lines));
    let cols = Columns::from_header(&names).map_err(|msg| LoadError::Unreadable {
        file: ctx.name.to_string(),
        format: ctx.format,
        failed_rows: Vec::new(),
        detail: format!(
            "read as native CSV: {msg}; the header was {}",
            line_excerpt(&names.join(","))
        ),
    })?;
    let extra_names: Vec<Sym> = cols
        .extras
        .iter()
        .map(|&i| ctx.campaign.strings.intern(&names[i]))
        .collect();
    if let Some(file) = ctx.campaign.files.get_mut(usize::from(ctx.file)) {
        file.extra_columns = extra_names;
    }
    let mut reader = Reader {
        width: names.len(),
        cols,
        names,
        last_event: None,
        extras: Vec::new(),
        ids: Memo::default(),
        v4: FastMap::default(),
        forwarded: ForwardedMemo::default(),
        trusted,
    };
    let mut row: u32 = 0;
    let (ip_col, time_col) = (reader.cols.ip, reader.cols.time);
    let mut times = ctx.times.clone();
    let (read, applied) = pipelined(
        threaded,
        |sink| {
            let mut batch = Records::default();
            loop {
                if batch.len == batch.records.len() {
                    batch.records.push(ByteRecord::new());
                }
                if !rdr.read_byte_record(&mut batch.records[batch.len])? {
                    batch.tail = skips.take();
                    sink.send(batch);
                    return Ok(());
                }
                let line = csv_records::line_of(&batch.records[batch.len], &lines);
                batch.lines.push(line);
                let ip = ip_col.and_then(|i| batch.records[batch.len].get(i));
                let time = time_col.and_then(|i| batch.records[batch.len].get(i));
                batch.early.push(Early {
                    v4: ip.and_then(plain_ipv4),
                    time: time.and_then(|raw| early_time(&mut times, raw)),
                });
                batch.skipped_after.push(skips.take());
                batch.len += 1;
                if batch.len == RECORDS_PER_BATCH {
                    let mut next = sink.spare().unwrap_or_default();
                    next.reset();
                    if !sink.send(std::mem::replace(&mut batch, next)) {
                        return Ok(());
                    }
                }
            }
        },
        |batch: &mut Records| {
            for (((rec, &line), &early), skipped) in batch.records[..batch.len]
                .iter()
                .zip(&batch.lines)
                .zip(&batch.early)
                .zip(&mut batch.skipped_after)
            {
                row = row.saturating_add(1);
                ctx.row_seen()?;
                reader.row(ctx, rec, (row, line), early);
                csv_records::report_left_out(ctx, std::mem::take(skipped))?;
            }
            csv_records::report_left_out(ctx, std::mem::take(&mut batch.tail))
        },
    );
    applied?;
    read.map_err(|e| io_error(ctx.name, e))
}

/// What the reading thread reads of a record on its own, so the applying
/// thread has less to do. Only what reads the same there as it would in
/// the row's own code: anything else is left to it.
#[derive(Clone, Copy, Default)]
struct Early {
    /// The address, when it is a plain IPv4 one (see `Reader::v4`).
    v4: Option<Ipv4Addr>,
    /// The time, when its cell is ASCII (which every encoding the reader
    /// takes decodes alike) and reads at the first try.
    time: Option<Timestamp>,
}

/// The time of a raw cell, as `Reader::time` reads it at its first try.
fn early_time(times: &mut TimeParser, raw: &[u8]) -> Option<Timestamp> {
    if !raw.is_ascii() {
        return None;
    }
    let text = std::str::from_utf8(raw).ok()?;
    times.parse(strip_formula_escape(text.trim())).ok()
}

/// Records per batch handed from the reading thread to the applying one.
const RECORDS_PER_BATCH: usize = 4096;

/// Records framed and split on the reading thread, to be applied on the
/// other (see `bytes::pipelined`); the records' buffers are reused.
#[derive(Default)]
struct Records {
    records: Vec<ByteRecord>,
    /// How many of `records` this batch holds.
    len: usize,
    lines: Vec<u64>,
    /// What the reading thread could already read of each record.
    early: Vec<Early>,
    /// The lines the framing left out while reading each record, reported
    /// after it, as they were when one thread did everything.
    skipped_after: Vec<Vec<Skipped>>,
    /// Those left out at the end of the file.
    tail: Vec<Skipped>,
}

impl Records {
    fn reset(&mut self) {
        self.len = 0;
        self.lines.clear();
        self.early.clear();
        self.skipped_after.clear();
        self.tail.clear();
    }
}

impl Reader<'_> {
    fn name(&self, col: usize) -> Option<&str> {
        self.names.get(col).map(String::as_str)
    }

    /// One record, numbered `row` and starting on `line`, with what the
    /// reading thread already read of it.
    fn row(
        &mut self,
        ctx: &mut FileCtx<'_>,
        rec: &ByteRecord,
        (row, line): (u32, u64),
        early: Early,
    ) {
        if !csv_records::row_is_readable(ctx, rec, self.width, line) {
            return;
        }
        let Some(kind) = self.kind(ctx, rec, line) else {
            return;
        };
        let c = &self.cols;
        let cell = Cell { rec, line };
        let name = cell.text(ctx, c.recipient);
        let rid = cell.text(ctx, c.rid);
        let time_text = cell.text(ctx, c.time);
        let sent_at = self.sent_at(ctx, cell);
        // A roster row: delivery facts only, no access.
        if kind != RowKind::SendError && time_text.is_empty() && sent_at.is_some() {
            let ip_blank = cell.text(ctx, self.cols.ip).is_empty();
            if ip_blank || kind == RowKind::Sent {
                if let (Some(id), Some(t)) = (resolve(ctx.campaign, &name, &rid), sent_at) {
                    mark_sent(ctx.campaign, id, t);
                }
                return;
            }
        }
        if kind == RowKind::SendError {
            match resolve(ctx.campaign, &name, &rid) {
                Some(id) => mark_send_error(ctx.campaign, id),
                None => ctx.fail(line, self.name_of_recipient(), no_recipient("send error")),
            }
            return;
        }
        let time = match early
            .time
            .map_or_else(|| self.time(ctx, rec, line, &time_text), Ok)
        {
            Ok(t) => t,
            Err(reason) => {
                ctx.fail(line, self.name(self.cols.time.unwrap_or(0)), reason);
                return;
            }
        };
        match kind {
            RowKind::Sent => match resolve(ctx.campaign, &name, &rid) {
                Some(id) => mark_sent(ctx.campaign, id, sent_at.unwrap_or(time).min(time)),
                None => ctx.fail(line, self.name_of_recipient(), no_recipient("delivery")),
            },
            RowKind::Access(event) => {
                let who = Who {
                    name: &name,
                    rid: &rid,
                    sent_at,
                };
                self.access(ctx, cell, (row, early.v4), time, event, who);
            }
            RowKind::SendError => {}
        }
    }

    /// What the row records, from its event column; `None` after reporting a
    /// spelling no one knows.
    fn kind(&mut self, ctx: &mut FileCtx<'_>, rec: &ByteRecord, line: u64) -> Option<RowKind> {
        let Some(col) = self.cols.event else {
            return Some(RowKind::Access(Event::Click));
        };
        let event = text(rec, col, &mut ctx.decoder, line);
        let kind = match &self.last_event {
            Some((last, kind)) if *last == *event => kind.clone(),
            _ => {
                let kind = row_kind(&event);
                self.last_event = Some((event.to_string(), kind.clone()));
                kind
            }
        };
        kind.map_err(|reason| ctx.fail(line, self.name(col), reason))
            .ok()
    }

    /// The delivery time column. A bad one is reported but does not make the
    /// access unreadable.
    fn sent_at(&self, ctx: &mut FileCtx<'_>, cell: Cell<'_>) -> Option<Timestamp> {
        let col = self.cols.sent_at?;
        let t = cell.text(ctx, Some(col));
        match ctx.times.parse(&t) {
            Ok(ts) => Some(ts),
            Err(e) => {
                if !t.is_empty() {
                    let reason = format!("{} {}; ignored", excerpt(&t), e.describe());
                    ctx.warn(cell.line, self.name(col), reason);
                }
                None
            }
        }
    }

    fn access(
        &mut self,
        ctx: &mut FileCtx<'_>,
        cell: Cell<'_>,
        (row, v4): (u32, Option<Ipv4Addr>),
        time: Timestamp,
        event: Event,
        who: Who<'_>,
    ) {
        let (rec, line) = (cell.rec, cell.line);
        let raw = |col: Option<usize>| col.and_then(|i| rec.get(i)).unwrap_or_default();
        let ip_col = self.cols.ip;
        let known = match v4 {
            Some(v4) => Some(
                *self
                    .v4
                    .entry(u32::from(v4))
                    .or_insert_with(|| ctx.campaign.intern_ip(IpAddr::V4(v4))),
            ),
            None => self.ids.ips.get(raw(ip_col)),
        };
        let ip = match known {
            Some(id) => id,
            None => match parse_ip(&cell.text(ctx, ip_col)) {
                Ok(ip) => {
                    let id = ctx.campaign.intern_ip(ip);
                    self.ids.ips.insert(raw(ip_col), id);
                    id
                }
                Err(reason) => {
                    ctx.fail(line, self.name(ip_col.unwrap_or(0)), reason);
                    return;
                }
            },
        };
        let ip = match self.cols.forwarded_for {
            Some(col) => self.forwarded.address(
                ctx,
                self.trusted,
                ip,
                raw(Some(col)),
                (line, &self.names[col]),
            ),
            None => ip,
        };
        let screen = self.screen(ctx, rec, line);
        let (ua_col, method_col) = (self.cols.user_agent, self.cols.method);
        let user_agent = match self.ids.agents.get(raw(ua_col)) {
            Some(id) => id,
            None => {
                let ua = cell.text(ctx, ua_col);
                let id = ctx
                    .campaign
                    .intern_user_agent(if ua == "-" { "" } else { &ua });
                self.ids.agents.insert(raw(ua_col), id);
                id
            }
        };
        let method = match self.ids.methods.get(raw(method_col)) {
            Some(sym) => sym,
            None => {
                let method = cell.text(ctx, method_col);
                let sym = ctx.campaign.strings.intern(&method.to_ascii_uppercase());
                self.ids.methods.insert(raw(method_col), sym);
                sym
            }
        };
        let recipient = self
            .ids
            .recipient(raw(self.cols.recipient), raw(self.cols.rid), || {
                resolve(ctx.campaign, who.name, who.rid)
            });
        if let Some(id) = recipient {
            if let Some(t) = who.sent_at {
                mark_sent(ctx.campaign, id, t);
            }
            if event == Event::Report {
                mark_reported(ctx.campaign, id);
            }
        }
        let extra = self.extras(ctx, rec, line);
        ctx.push_access(Access {
            time,
            ip,
            user_agent,
            recipient_raw: recipient_raw(recipient),
            method,
            extra,
            row,
            line: u32::try_from(line).unwrap_or(u32::MAX),
            screen,
            file: ctx.file,
            event,
        });
    }

    fn name_of_recipient(&self) -> Option<&str> {
        self.cols.recipient.and_then(|i| self.name(i))
    }

    /// The time column, or the date and time-of-day columns joined.
    fn time(
        &self,
        ctx: &mut FileCtx<'_>,
        rec: &ByteRecord,
        line: u64,
        time_text: &str,
    ) -> Result<Timestamp, String> {
        let first = ctx.times.parse(time_text);
        let err = match first {
            Ok(t) => return Ok(t),
            Err(e) => e,
        };
        if let Some(part_col) = self.cols.time_part {
            let part = text(rec, part_col, &mut ctx.decoder, line);
            for joined in [format!("{time_text} {part}"), format!("{part} {time_text}")] {
                if let Ok(t) = ctx.times.parse(&joined) {
                    return Ok(t);
                }
            }
        }
        Err(format!("{} {}", excerpt(time_text), err.describe()))
    }

    /// A nonsense screen is reported and left blank; the access stays.
    fn screen(&self, ctx: &mut FileCtx<'_>, rec: &ByteRecord, line: u64) -> Option<Screen> {
        let c = &self.cols;
        let (result, col) = if let Some(col) = c.screen {
            (parse_screen(&text(rec, col, &mut ctx.decoder, line)), col)
        } else if let (Some(w), Some(h)) = (c.screen_width, c.screen_height) {
            let width = text(rec, w, &mut ctx.decoder, line);
            let height = text(rec, h, &mut ctx.decoder, line);
            (screen_from_parts(&width, &height), w)
        } else {
            return None;
        };
        result.unwrap_or_else(|reason| {
            ctx.warn(line, self.name(col), reason);
            None
        })
    }

    fn extras(&mut self, ctx: &mut FileCtx<'_>, rec: &ByteRecord, line: u64) -> u32 {
        let n = self.cols.extras.len();
        if n == 0 {
            return NO_EXTRA;
        }
        // Reused buffers: the values are interned, so nothing per row needs to live on.
        self.extras.resize(n, String::new());
        for (buf, &i) in self.extras.iter_mut().zip(&self.cols.extras) {
            let value = rec
                .get(i)
                .map_or(Cow::Borrowed(""), |b| ctx.decoder.decode(b, line));
            buf.clear();
            buf.push_str(strip_formula_escape(value.trim()));
        }
        let mut refs = [""; 32];
        if n <= refs.len() {
            for (r, v) in refs.iter_mut().zip(&self.extras) {
                *r = v;
            }
            ctx.campaign.push_extras(&refs[..n])
        } else {
            let values: Vec<&str> = self.extras.iter().map(String::as_str).collect();
            ctx.campaign.push_extras(&values)
        }
    }
}

/// One row's record and where it starts, for reading its cells.
#[derive(Clone, Copy)]
struct Cell<'r> {
    rec: &'r ByteRecord,
    line: u64,
}

impl<'r> Cell<'r> {
    /// The text of column `col`; empty when the file has no such column.
    fn text(self, ctx: &mut FileCtx<'_>, col: Option<usize>) -> Cow<'r, str> {
        col.map_or(Cow::Borrowed(""), |i| {
            text(self.rec, i, &mut ctx.decoder, self.line)
        })
    }
}

/// Who an access row names, and when the mail reached them.
struct Who<'a> {
    name: &'a str,
    rid: &'a str,
    sent_at: Option<Timestamp>,
}

fn no_recipient(what: &str) -> String {
    format!("the {what} row names no recipient")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::formats::both_ways::{self, contents};
    use crate::model::LogFormat;

    /// Rows of every kind: accesses with a forwarded client and extras,
    /// deliveries, send errors, roster rows, bad times, events, screens and
    /// widths, an open quote that swallows lines, blank lines.
    fn messy_csv(copies: usize) -> String {
        let mut csv =
            String::from("time,event,recipient,ip,user_agent,screen,forwarded_for,dept\n");
        for i in 0..copies {
            let minute = i % 60;
            csv.push_str(&format!(
                "2026-10-01T09:{minute:02}:00Z,sent,r{i}@example.com,,,,,Sales\n\
                 2026-10-01T09:{minute:02}:30Z,clicked,r{i}@example.com,198.51.{}.{},Mozilla/5.0 Chrome/140.0,1920x1080,,Sales\n\
                 2026-10-01T09:{minute:02}:31Z,submitted,r{i}@example.com,10.0.0.5,\"python, requests\",0x0,203.0.113.9,\n\
                 ,error,bounce{i}@example.com,,,,,\n\
                 yesterday,clicked,r{i}@example.com,198.51.100.1,x,,,\n\
                 2026-10-01T09:00:00Z,teleport,r{i}@example.com,198.51.100.1,x,,,\n\
                 2026-10-01T09:00:00Z,clicked,r{i}@example.com\n\
                 \n",
                i % 200,
                i % 250
            ));
            if i % 700 == 0 {
                csv.push_str("2026-10-01T09:00:00Z,clicked,\"open quote,1.2.3.4,x,,,\n");
            }
        }
        csv
    }

    #[test]
    fn two_threads_read_exactly_what_one_does() {
        let csv = messy_csv(3_000);
        let dialect = Dialect {
            delimiter: b',',
            preamble_records: 0,
        };
        let [(one_read, one), (two_read, two)] =
            both_ways::read(LogFormat::Native, |ctx, threaded| {
                read_with(
                    ctx,
                    csv.as_bytes(),
                    dialect,
                    &TrustedProxies::default(),
                    threaded,
                )
            });
        assert_eq!(one_read, Ok(()));
        assert_eq!(two_read, Ok(()));
        assert_eq!(one.accesses.len(), 3_000 * 2);
        assert!(one.issues.len() > 3_000 * 4, "{}", one.issues.len());
        assert!(
            one.issues.iter().any(|i| i.reason.contains("quote")),
            "{:?}",
            &one.issues[..8]
        );
        assert_eq!(contents(&one), contents(&two));
    }

    #[test]
    fn classifies_event_words() {
        assert_eq!(row_kind(""), Ok(RowKind::Access(Event::Click)));
        assert_eq!(row_kind("Clicked Link"), Ok(RowKind::Access(Event::Click)));
        assert_eq!(row_kind("開封"), Ok(RowKind::Access(Event::Open)));
        assert_eq!(row_kind("Email Sent"), Ok(RowKind::Sent));
        assert_eq!(row_kind("配信済み"), Ok(RowKind::Sent));
        assert_eq!(row_kind("bounced"), Ok(RowKind::SendError));
        let err = row_kind("teleport").unwrap_err();
        assert!(err.starts_with("\"teleport\" is not an event"), "{err}");
    }
}
