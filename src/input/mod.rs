//! Reading campaign logs (native CSV, GoPhish Raw Events, Apache/nginx access
//! logs) into a [`Campaign`](crate::model::Campaign).
//!
//! Files stream: nothing holds a whole file, rows that cannot be read become
//! [`ReadIssue`](crate::model::ReadIssue)s, and a GUI thread can watch
//! [`LoadProgress`] and cancel through it.

mod cache;
mod combined;
mod combined_line;
mod context;
mod csv_source;
mod detect;
mod encoding;
mod error;
mod fields;
mod gophish;
mod gophish_details;
mod line_index;
mod lines;
mod native;
mod native_columns;
mod query;
mod recipients;
mod timestamp;
mod transcode;

use std::fs::File;
use std::io::{self, BufReader, Cursor, Read};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use encoding_rs::{Encoding, UTF_8};
use jiff::tz::TimeZone;

use crate::model::{Campaign, LogFormat, ReadIssue, SourceFile};

pub use encoding::parse_encoding;
pub use error::LoadError;
pub use timestamp::{TimeError, TimeParser};

use context::FileCtx;
use encoding::{FieldDecoder, SAMPLE_BYTES, detect_encoding};

/// How to read the inputs; the defaults detect everything.
#[derive(Clone, Debug)]
pub struct LoadOptions {
    /// `None` detects the format from each file's content.
    pub format: Option<LogFormat>,
    /// `None` detects UTF-8 (with or without BOM), else Shift_JIS/CP932.
    pub encoding: Option<&'static Encoding>,
    /// The zone of times written without an offset.
    pub zone: TimeZone,
    /// The query parameter holding the recipient id in access logs.
    pub rid_param: String,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            format: None,
            encoding: None,
            zone: TimeZone::system(),
            rid_param: "rid".to_string(),
        }
    }
}

/// Shared with a watching thread: the loader updates the counters every few
/// thousand rows and stops soon after `cancel` is set.
#[derive(Debug, Default)]
pub struct LoadProgress {
    pub bytes_read: AtomicU64,
    /// Sum of the input files' sizes, set before reading (stdin counts 0).
    pub total_bytes: AtomicU64,
    pub rows: AtomicU64,
    pub cancel: AtomicBool,
}

/// Reads every file into one campaign (rotated logs, or a GoPhish export plus
/// the landing page's log). `-` is standard input. The accesses come out in
/// time order, whatever order the files were named in.
pub fn load(
    paths: &[PathBuf],
    options: &LoadOptions,
    progress: &LoadProgress,
) -> Result<Campaign, LoadError> {
    let total: u64 = paths
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    progress.total_bytes.store(total, Ordering::Relaxed);
    let mut campaign = Campaign::new();
    // Rotated access logs may include a quiet one without campaign traffic:
    // that is only an error when no log at all names a recipient.
    let mut logs_with_recipients = 0;
    let mut first_without: Option<LoadError> = None;
    for path in paths {
        if progress.cancel.load(Ordering::Relaxed) {
            return Err(LoadError::Cancelled);
        }
        let name = path.display().to_string();
        let result = if path.as_os_str() == "-" {
            read_into(&mut campaign, &name, io::stdin().lock(), options, progress)
        } else {
            let file = File::open(path).map_err(|source| LoadError::Io {
                file: name.clone(),
                source,
            })?;
            read_into(&mut campaign, &name, file, options, progress)
        };
        match result {
            Err(e @ LoadError::NoRecipientParameter { .. }) => {
                let file = u16::try_from(campaign.files.len().saturating_sub(1)).unwrap_or(0);
                let message = e.to_string();
                let reason = message
                    .strip_prefix(&format!("{name}: "))
                    .unwrap_or(&message)
                    .to_string();
                campaign.issues.push(ReadIssue {
                    file,
                    line: 0,
                    field: None,
                    reason,
                });
                first_without.get_or_insert(e);
            }
            Err(e) => return Err(e),
            Ok(()) => {
                if campaign.files.last().map(|f| f.format) == Some(LogFormat::Combined) {
                    logs_with_recipients += 1;
                }
            }
        }
    }
    if logs_with_recipients == 0
        && let Some(e) = first_without
    {
        return Err(e);
    }
    // A stable sort keeps file order among equal times.
    if !campaign.accesses.is_sorted_by_key(|a| a.time) {
        campaign.accesses.sort_by_key(|a| a.time);
    }
    Ok(campaign)
}

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
        detect::detect(body, at_eof, detected.encoding, options.format).map_err(|detail| {
            LoadError::UnknownFormat {
                file: name.to_string(),
                detail,
            }
        })?;
    campaign
        .files
        .push(source_file(name, sniffed.format, encoding_name));
    let mut stream = Cursor::new(sample);
    stream.set_position(body_start as u64);
    let input = stream.chain(rest);
    let mut ctx = FileCtx::new(
        campaign,
        file,
        name,
        sniffed.format,
        FieldDecoder::new(detected.encoding),
        TimeParser::new(options.zone.clone()),
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
    let csv = csv_source::Dialect {
        delimiter: sniffed.delimiter,
        preamble_records: sniffed.preamble_lines,
    };
    let outcome = match sniffed.format {
        LogFormat::Native => native::read(&mut ctx, input, csv),
        LogFormat::GoPhish => gophish::read(&mut ctx, input, csv),
        LogFormat::Combined => combined::read(
            &mut ctx,
            BufReader::with_capacity(64 * 1024, input),
            &options.rid_param,
        ),
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

/// The reader's name for a format in messages.
pub fn format_label(format: LogFormat) -> &'static str {
    match format {
        LogFormat::Native => "native CSV",
        LogFormat::GoPhish => "GoPhish Raw Events",
        LogFormat::Combined => "an Apache/nginx access log",
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
fn read_sample(reader: &mut impl Read) -> io::Result<(Vec<u8>, bool)> {
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
