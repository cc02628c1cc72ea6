//! `whoclicked followup LOG…`: for each recipient with an access (or the one
//! `--recipient` names), the facts told in plain words for the talk with
//! them, in English or Japanese: a folder of Markdown or text files, or one
//! CSV for a mail merge.

use std::collections::HashSet;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use whoclicked::atomic_file::{self, FileMode};
use whoclicked::followup::{self, Lang, Sheet};
use whoclicked::input::LoadProgress;
use whoclicked::pipeline::{self, PrepareOptions};

use super::GlobalArgs;
use super::load::LoadArgs;
use super::setup::{Stderr, author};

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum SheetFormat {
    /// One Markdown file per recipient.
    Md,
    /// One plain-text file per recipient.
    Txt,
    /// One CSV, a row per recipient, for a mail merge.
    Csv,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LangArg {
    En,
    Ja,
}

#[derive(Debug, Args)]
pub struct FollowupArgs {
    /// The campaign's log files (and proxy/DHCP logs); `-` reads standard input.
    #[arg(value_name = "LOG")]
    pub logs: Vec<PathBuf>,
    #[command(flatten)]
    pub load: LoadArgs,
    /// Only this recipient (e-mail or recipient id as the log names them),
    /// printed to standard output unless --out is given.
    #[arg(long, value_name = "RECIPIENT")]
    pub recipient: Option<String>,
    /// The sheets' language [default: ja when the system locale is Japanese, else en].
    #[arg(long, value_enum, value_name = "LANG")]
    pub lang: Option<LangArg>,
    /// md or txt: a file per recipient; csv: one file, a row per recipient.
    #[arg(long, value_enum, value_name = "FORMAT", default_value = "md")]
    pub format: SheetFormat,
    /// The folder for md/txt sheets [default: followup], or the CSV file
    /// [default: standard output].
    #[arg(short = 'o', long = "out", value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// CSV for Excel: UTF-8 BOM and CRLF line ends.
    #[arg(long)]
    pub excel: bool,
}

pub fn run(global: &GlobalArgs, args: &FollowupArgs) -> anyhow::Result<()> {
    args.load.zone()?;
    let load = args.load.options()?;
    let campaign = args.load.source(&args.logs)?;
    let options = PrepareOptions {
        campaign,
        load,
        mmdb: global.mmdb.clone(),
        kb: args.load.knowledge_source(global.kb.clone()),
        author: author(global, None),
        cache_owners: false,
        decoys: args.load.decoys.clone(),
        network: args.load.network()?,
    };
    let analysis = pipeline::prepare(&options, &LoadProgress::default(), &mut Stderr)?.analysis;
    if let Some(why) = analysis.campaign.nothing_read() {
        bail!("{why}");
    }
    let lang = match args.lang {
        Some(LangArg::En) => Lang::En,
        Some(LangArg::Ja) => Lang::Ja,
        None => Lang::from_env(),
    };
    let Some(sheets) = followup::sheets(&analysis, lang, args.recipient.as_deref()) else {
        bail!(
            "no recipient {:?} in the campaign (name them by e-mail or recipient id as the log does)",
            args.recipient.as_deref().unwrap_or_default()
        );
    };
    match args.format {
        SheetFormat::Csv => match &args.out {
            Some(path) => {
                atomic_file::write(path, FileMode::Private, |out| {
                    followup::write_csv(&sheets, args.excel, out)
                })?;
                eprintln!(
                    "whoclicked: {} sheet(s) written to {}",
                    sheets.len(),
                    path.display()
                );
            }
            None => {
                let stdout = std::io::stdout();
                followup::write_csv(&sheets, args.excel, &mut stdout.lock())?;
            }
        },
        format => {
            let render = |s: &Sheet| match format {
                SheetFormat::Txt => s.text(),
                _ => s.markdown(),
            };
            if args.recipient.is_some() && args.out.is_none() {
                for s in &sheets {
                    print!("{}", render(s));
                }
                return Ok(());
            }
            let dir = args
                .out
                .clone()
                .unwrap_or_else(|| PathBuf::from("followup"));
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create the folder {}", dir.display()))?;
            let ext = if format == SheetFormat::Txt {
                "txt"
            } else {
                "md"
            };
            let mut used = HashSet::new();
            for s in &sheets {
                let stem = followup::file_stem(&s.recipient);
                let mut name = format!("{stem}.{ext}");
                let mut n = 2;
                while !used.insert(name.clone()) {
                    name = format!("{stem}-{n}.{ext}");
                    n += 1;
                }
                let path = dir.join(&name);
                atomic_file::write_bytes(&path, FileMode::Private, render(s).as_bytes())?;
            }
            eprintln!(
                "whoclicked: {} sheet(s) written to {}",
                sheets.len(),
                dir.display()
            );
        }
    }
    Ok(())
}
