//! One input, from its first bytes to its last row: sampling, refusing
//! containers, converting UTF-16, choosing encoding and format, and handing
//! the stream to the format's reader.

use std::io::{self, BufReader, Cursor, Read};
use std::sync::atomic::{AtomicU64, Ordering};

use encoding_rs::{Encoding, UTF_8};

use crate::model::{Campaign, LogFormat, ReadIssue, SourceFile};

use super::bytes::encoding::{self, FieldDecoder, SAMPLE_BYTES, detect_encoding};
use super::bytes::{csv_records, transcode};
use super::file_ctx::FileCtx;
use super::formats::{combined, dhcp_audit, dhcpd_leases, gateway, gophish, native, squid};
use super::{LoadError, LoadOptions, LoadProgress, TimeParser, detect};

/// Reads one source into `campaign`, as file number `campaign.files.len()`.
/// On error the campaign may hold part of this source; discard it.
pub fn read_into(
    campaign: &mut Campaign,
    name: &str,
    reader: impl Read,
    options: &LoadOptions,
    progress: &LoadProgress,
) -> Result<(), LoadError> {
    let io_error = |source| LoadError::Io {
        file: name.to_string(),
        source,
    };
    let mut raw = Counting {
        inner: reader,
        counter: &progress.bytes_read,
    };
    let (sample, at_eof) = read_sample(&mut raw).map_err(io_error)?;
    if options.encoding.is_none() {
        if let Some((utf16, bom)) = transcode::utf16_encoding(&sample) {
            let mut text = transcode::Utf8From::new(Cursor::new(sample).chain(raw), utf16, bom);
            let (sample, at_eof) = read_sample(&mut text).map_err(io_error)?;
            let source = Source {
                name,
                sample,
                at_eof,
                transcoded_from: Some(utf16),
            };
            return read_text(campaign, source, text, options, progress);
        }
        if let Some(why) = detect::refuse_container(&sample) {
            return Err(LoadError::UnknownFormat {
                file: name.to_string(),
                detail: why.to_string(),
            });
        }
    }
    let source = Source {
        name,
        sample,
        at_eof,
        transcoded_from: None,
    };
    read_text(campaign, source, raw, options, progress)
}

/// The start of one input, already read for detection.
struct Source<'a> {
    name: &'a str,
    sample: Vec<u8>,
    at_eof: bool,
    /// The file's own encoding when the stream was converted to UTF-8 first.
    transcoded_from: Option<&'static Encoding>,
}

/// Reads a text stream whose first bytes are `source.sample` and the rest `rest`.
fn read_text(
    campaign: &mut Campaign,
    source: Source<'_>,
    rest: impl Read,
    options: &LoadOptions,
    progress: &LoadProgress,
) -> Result<(), LoadError> {
    let Source {
        name,
        sample,
        at_eof,
        transcoded_from,
    } = source;
    let bom = sample.starts_with(b"\xef\xbb\xbf");
    let body_start = if bom { 3 } else { 0 };
    let body = &sample[body_start..];
    let detected = match (transcoded_from, options.encoding) {
        (Some(_), _) => encoding::Detected {
            encoding: UTF_8,
            lossy: false,
        },
        (None, Some(encoding)) => encoding::Detected {
            encoding,
            lossy: false,
        },
        (None, None) if bom => encoding::Detected {
            encoding: UTF_8,
            lossy: false,
        },
        (None, None) => detect_encoding(body, at_eof),
    };
    let encoding_name = transcoded_from.unwrap_or(detected.encoding).name();
    let file = u16::try_from(campaign.files.len())
        .ok()
        .filter(|&f| f < u16::MAX)
        .ok_or_else(|| LoadError::TooManyFiles {
            file: name.to_string(),
            max: usize::from(u16::MAX),
        })?;
    if detect::is_empty(body) && at_eof {
        let format = options.format.unwrap_or(LogFormat::Native);
        campaign
            .files
            .push(source_file(name, format, encoding_name));
        campaign.issues.push(ReadIssue {
            file,
            line: 0,
            field: None,
            reason: "the file is empty".to_string(),
        });
        return Ok(());
    }
    let sniffed =
        detect::detect(body, at_eof, detected.encoding, options.format).map_err(|mut detail| {
            // Text read in the wrong encoding hides every header name.
            if transcoded_from.is_none() && options.encoding.is_none() && !body.is_ascii() {
                detail.push_str(&format!(
                    "; the text was read as {}: if it looks garbled, name the file's encoding \
                     with --encoding (e.g. --encoding shift_jis)",
                    detected.encoding.name()
                ));
            }
            LoadError::UnknownFormat {
                file: name.to_string(),
                detail,
            }
        })?;
    campaign
        .files
        .push(source_file(name, sniffed.format, encoding_name));
    let decided = transcoded_from.is_some() || bom || options.encoding.is_some();
    let decoder = field_decoder(&detected, decided, body);
    let mut stream = Cursor::new(sample);
    stream.set_position(body_start as u64);
    let input = stream.chain(rest);
    let mut ctx = FileCtx::new(
        campaign,
        file,
        name,
        sniffed.format,
        decoder,
        TimeParser::new(options.zone.clone()).with_date_order(options.date_order),
        progress,
    );
    ctx.encoding_was_guessed_wrong = detected.lossy;
    if sniffed.preamble_lines > 0 {
        let reason = format!(
            "the header is on line {}; the {} line(s) above it were skipped",
            sniffed.header_line, sniffed.preamble_lines
        );
        ctx.warn(sniffed.header_line, None, reason);
    }
    let csv = csv_records::Dialect {
        delimiter: sniffed.delimiter,
        preamble_records: sniffed.preamble_lines,
    };
    let outcome = match sniffed.format {
        LogFormat::Native => native::read(&mut ctx, input, csv, &options.trusted_proxies),
        LogFormat::GoPhish => gophish::read(&mut ctx, input, csv),
        LogFormat::Combined => combined::read(
            &mut ctx,
            BufReader::with_capacity(64 * 1024, input),
            &options.rid_param,
            &options.trusted_proxies,
        ),
        LogFormat::Squid => squid::read(
            &mut ctx,
            BufReader::with_capacity(64 * 1024, input),
            &options.rid_param,
        ),
        LogFormat::Gateway => gateway::read(&mut ctx, input, csv, &options.rid_param),
        LogFormat::DhcpAudit => {
            dhcp_audit::read(&mut ctx, BufReader::with_capacity(64 * 1024, input))
        }
        LogFormat::DhcpLeases => {
            dhcpd_leases::read(&mut ctx, BufReader::with_capacity(64 * 1024, input))
        }
        // Mails are read by `pipeline::mail`, never sniffed as a log.
        LogFormat::Mail => Err(LoadError::UnknownFormat {
            file: name.to_string(),
            detail: "a mail is read with whoclicked headers".to_string(),
        }),
    };
    match outcome {
        // The file was read to the end; a verdict on its rows comes first.
        Err(e @ LoadError::NoRecipientParameter { .. }) => {
            ctx.finish()?;
            Err(e)
        }
        Err(e) => Err(e),
        Ok(()) => ctx.finish(),
    }
}

fn source_file(name: &str, format: LogFormat, encoding: &'static str) -> SourceFile {
    SourceFile {
        name: name.to_string(),
        format,
        encoding,
        rows: 0,
        accesses: 0,
        skipped: 0,
        extra_columns: Vec::new(),
    }
}

/// Up to [`SAMPLE_BYTES`] from the start, and whether that was all there is.
pub(super) fn read_sample(reader: &mut impl Read) -> io::Result<(Vec<u8>, bool)> {
    let mut sample = Vec::with_capacity(SAMPLE_BYTES);
    reader.take(SAMPLE_BYTES as u64).read_to_end(&mut sample)?;
    let at_eof = sample.len() < SAMPLE_BYTES;
    Ok((sample, at_eof))
}

/// Counts bytes as they are read, for [`LoadProgress::bytes_read`]. Reads come
/// in buffer-sized chunks, so this is one atomic add per 64 KiB or so.
struct Counting<'a, R> {
    inner: R,
    counter: &'a AtomicU64,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counter.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// The format a reader's content looks like, from its first bytes only;
/// `None` when that cannot be told (the full read will explain why).
pub(super) fn sniff_format(mut reader: impl Read, options: &LoadOptions) -> Option<LogFormat> {
    if let Some(format) = options.format {
        return Some(format);
    }
    let (sample, at_eof) = read_sample(&mut reader).ok()?;
    if transcode::utf16_encoding(&sample).is_some() {
        // Only spreadsheets write UTF-16; it is no access log.
        return Some(LogFormat::Native);
    }
    let body = sample.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&sample);
    let encoding = options
        .encoding
        .unwrap_or_else(|| detect_encoding(body, at_eof).encoding);
    detect::detect(body, at_eof, encoding, None)
        .ok()
        .map(|s| s.format)
}

/// The field decoder for a detected encoding. A file whose sample is all
/// ASCII may still be Shift_JIS further down (Japanese appearing only in late
/// rows), so UTF-8 is then held as a guess the first non-ASCII field can overturn.
fn field_decoder(detected: &encoding::Detected, decided: bool, sample: &[u8]) -> FieldDecoder {
    if !decided && detected.encoding == UTF_8 && !detected.lossy && sample.is_ascii() {
        FieldDecoder::guessing_utf8()
    } else {
        FieldDecoder::new(detected.encoding)
    }
}
