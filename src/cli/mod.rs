//! Command-line interface: argument parsing and the glue from arguments to
//! library calls. Every subcommand lives in its own file.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

mod followup;
mod headers;
mod kb;
mod kb_view;
mod load;
mod lookup;
mod mmdb;
#[cfg(not(feature = "tui"))]
mod no_screen;
mod report;
#[cfg(feature = "tui")]
mod review;
mod review_args;
#[cfg(not(feature = "tui"))]
use no_screen as review;
mod setup;
mod signatures;
mod signins;
mod stdout;
mod table;

/// Tells who really clicked in a phishing-awareness campaign, and which
/// accesses were mail-security scanners.
#[derive(Debug, Parser)]
#[command(name = "whoclicked", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Without a command: the review screen.
    #[command(flatten)]
    pub review: review_args::ReviewArgs,

    #[command(flatten)]
    pub global: GlobalArgs,
}

/// Options every command understands.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// A MaxMind-format owner database (.mmdb); repeat for several. Added to
    /// those in WHOCLICKED_MMDB and the default places.
    #[arg(long = "mmdb", value_name = "PATH", global = true)]
    pub mmdb: Vec<PathBuf>,

    /// The knowledge-base directory. Default: WHOCLICKED_KB, else the
    /// platform data directory (~/.local/share/whoclicked on Linux).
    #[arg(long = "kb", value_name = "DIR", global = true)]
    pub kb: Option<PathBuf>,

    /// Your name in the knowledge base's history. Default: the login name (USER,
    /// LOGNAME), else the account's name.
    #[arg(long = "analyst", value_name = "NAME", global = true)]
    pub analyst: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Every access of a campaign with its owner, User-Agent, screen, timing,
    /// suggestion and verdict: as a table, CSV (for Excel) or JSON.
    Report(report::ReportArgs),
    /// For each recipient, the facts of the log in plain words for the
    /// follow-up talk ("this looks like your phone"), in English or Japanese.
    Followup(followup::FollowupArgs),
    /// The knowledge base: verdicts, rules, owner notes and cached owners.
    Kb(kb::KbArgs),
    /// Who owns IP addresses: AS, organisation, country… from the owner
    /// databases, offline, as a table or JSON.
    Lookup(lookup::LookupArgs),
    /// Who really sent a mail: the Received chain of .eml, .msg, mbox or
    /// pasted headers walked to the origin, every address with its owner.
    Headers(headers::HeadersArgs),
    /// Build an ASN database from a free range list, or describe .mmdb files.
    #[command(subcommand)]
    Mmdb(mmdb::MmdbCommand),
    /// List the scanner signatures and weights in force, and where they came from.
    Signatures(signatures::SignaturesArgs),
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result: anyhow::Result<()> = match cli.command {
        None => review::run(cli.review, &cli.global),
        Some(_) if cli.review.given() => Err(anyhow::anyhow!(
            "LOG... and --demo open the review screen; they do not go with a command"
        )),
        Some(command) => match command {
            Command::Report(args) => report::run(&cli.global, &args),
            Command::Followup(args) => followup::run(&cli.global, &args),
            Command::Kb(args) => kb::run(args, &cli.global),
            Command::Lookup(args) => lookup::run(&cli.global, &args),
            Command::Headers(args) => headers::run(&cli.global, &args),
            Command::Mmdb(command) => mmdb::run(command),
            Command::Signatures(args) => signatures::run(&args),
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // `kb list | head -1`: the reader has what it wanted.
        Err(err) if stdout::closed_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("whoclicked: {}", describe(&err));
            ExitCode::FAILURE
        }
    }
}

/// The error and its causes joined by ": ", like anyhow's `{:#}`, except a
/// cause the message already ends with: many errors say their cause in
/// their own message and also give it as their source, and "No such file
/// or directory (os error 2)" once is enough.
fn describe(err: &anyhow::Error) -> String {
    let mut text = err.to_string();
    for cause in err.chain().skip(1) {
        let cause = cause.to_string();
        if !text.ends_with(&cause) {
            text.push_str(": ");
            text.push_str(&cause);
        }
    }
    text
}
