//! `whoclicked report LOG...`: the whole pipeline, headless, as a table, CSV
//! (Excel-friendly with --excel) or JSON, for scripts and spreadsheets.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use anyhow::bail;
use clap::{Args, ValueEnum};
use whoclicked::atomic_file::{self, FileMode, WriteError};
use whoclicked::input::LoadProgress;
use whoclicked::pipeline::{self, PrepareOptions};
use whoclicked::report::{OutputFormat, ReportOptions, write_report};

use super::GlobalArgs;
use super::load::LoadArgs;
use super::setup::{Stderr, author};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// Aligned columns for reading at a terminal, then the summary.
    Table,
    /// One row per access (RFC 4180).
    Csv,
    /// Accesses, summary and unreadable rows as one JSON document.
    Json,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The campaign's log files (several make one campaign, e.g. rotated
    /// logs); `-` reads standard input.
    #[arg(value_name = "LOG")]
    pub logs: Vec<PathBuf>,
    #[command(flatten)]
    pub load: LoadArgs,
    /// Output format [default: from the -o file's extension, else table].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<FormatArg>,
    /// Write to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// CSV for Excel: UTF-8 BOM and CRLF line ends (implies --format csv).
    #[arg(long)]
    pub excel: bool,
    /// Write the review queue instead of the accesses: the recipients left
    /// unsure, the one whose decision can move the human click rate most
    /// first (impact: the unsure recipients its addresses settle).
    #[arg(long)]
    pub queue: bool,
    /// Sign-in and audit logs: the moment the question starts (e.g. when the
    /// odd mail was sent); a log that starts later is said to miss it.
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// The campaign's name in the knowledge base's history [default: the first log's name].
    #[arg(long, value_name = "NAME")]
    pub campaign: Option<String>,
}

impl ReportArgs {
    fn output_format(&self) -> anyhow::Result<OutputFormat> {
        let from_extension = || {
            let ext = self
                .output
                .as_deref()?
                .extension()?
                .to_str()?
                .to_ascii_lowercase();
            Some(ext)
        };
        let by_extension = || -> anyhow::Result<OutputFormat> {
            match from_extension().as_deref() {
                None | Some("txt" | "text" | "table" | "log" | "out") => Ok(OutputFormat::Table),
                Some("csv" | "tsv") => Ok(OutputFormat::Csv),
                Some("json") => Ok(OutputFormat::Json),
                // An .xlsx full of aligned text would open as garbage, or not at all.
                Some(other) => bail!(
                    "cannot write .{other} files: the report is a table (.txt), CSV (.csv) or \
                     JSON (.json); for Excel, -o report.csv --excel (or name the format with \
                     --format)"
                ),
            }
        };
        let format = match self.format {
            Some(FormatArg::Table) => OutputFormat::Table,
            Some(FormatArg::Csv) => OutputFormat::Csv,
            Some(FormatArg::Json) => OutputFormat::Json,
            None if self.excel => OutputFormat::Csv,
            None => by_extension()?,
        };
        if self.excel && format != OutputFormat::Csv {
            bail!("--excel shapes CSV for Excel; it does not go with --format {format:?}");
        }
        Ok(format)
    }

    /// The name entries in the knowledge base record as their campaign.
    fn campaign_name(&self) -> String {
        if let Some(name) = &self.campaign {
            return name.clone();
        }
        if self.load.demo {
            return "demo".to_string();
        }
        self.logs
            .first()
            .and_then(|p| p.file_stem())
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "stdin".to_string())
    }
}

pub fn run(global: &GlobalArgs, args: &ReportArgs) -> anyhow::Result<()> {
    let format = args.output_format()?;
    // A bad zone is reported before anything else about the options.
    args.load.zone()?;
    if let Some(source) = args.load.signin_source(&args.logs)? {
        return super::signins::run(global, args, source, format);
    }
    let load = args.load.options()?;
    let campaign = args.load.source(&args.logs)?;
    let campaign_name = args.campaign_name();
    let options = PrepareOptions {
        campaign,
        load,
        mmdb: global.mmdb.clone(),
        kb: args.load.knowledge_source(global.kb.clone()),
        author: author(global, Some(&campaign_name)),
        // The demo's owners come from its bundled database: nothing to remember.
        cache_owners: !args.load.demo,
        decoys: args.load.decoys.clone(),
        network: args.load.network()?,
    };
    let analysis = pipeline::prepare(&options, &LoadProgress::default(), &mut Stderr)?.analysis;
    let campaign = &analysis.campaign;
    if let Some(why) = campaign.nothing_read() {
        // Silence and a zero status would read as "nobody clicked".
        let see = if campaign.files.iter().any(|f| f.rows > 0) {
            " (see above why)"
        } else {
            ""
        };
        bail!("nothing to report: {why}{see}");
    }

    let options = ReportOptions {
        format,
        excel: args.excel,
        queue: args.queue,
    };
    let written = match &args.output {
        Some(path) => atomic_file::write(path, FileMode::Usual, |out| {
            write_report(&analysis, &options, out)
        }),
        None => {
            let stdout = io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            write_report(&analysis, &options, &mut out)
                .and_then(|()| out.flush())
                .map_err(|source| WriteError::new("standard output", source))
        }
    };
    match written {
        // `report | head` closes the pipe early; that is not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(()),
        Err(e) => bail!(
            "cannot write the report to {}: {}",
            whoclicked::text::path_text(&e.path),
            e.source
        ),
        Ok(()) => {}
    }
    if let Some(path) = &args.output {
        eprintln!(
            "whoclicked: wrote {} to {}",
            if args.queue {
                "the review queue".to_string()
            } else {
                format!("{} accesses", analysis.campaign.accesses.len())
            },
            whoclicked::text::path_text(path)
        );
    }
    Ok(())
}
