//! Command-line interface: argument parsing and the glue from arguments to
//! library calls. Every subcommand lives in its own file.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

mod signatures;

/// Tells who really clicked in a phishing-awareness campaign, and which
/// accesses were mail-security scanners.
#[derive(Debug, Parser)]
#[command(name = "whoclicked", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

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
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the scanner signatures and weights in force, and where they came from.
    Signatures(signatures::SignaturesArgs),
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result: anyhow::Result<()> = match cli.command {
        None => Err(anyhow::anyhow!("no command given; see whoclicked --help")),
        Some(command) => match command {
            Command::Signatures(args) => signatures::run(&args),
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("whoclicked: {err:#}");
            ExitCode::FAILURE
        }
    }
}
