//! Built without the review screen (`--no-default-features`): the arguments
//! that would open it are still understood, so the refusal can say why
//! instead of calling a log name an unexpected argument.

use std::path::PathBuf;

use anyhow::bail;
use clap::Args;

use super::GlobalArgs;
use super::load::LoadArgs;

/// What the review screen would open.
#[derive(Debug, Clone, Args)]
pub struct ReviewArgs {
    /// Campaign logs to review. This whoclicked was built without the review
    /// screen: `whoclicked report LOG...` gives the same analysis.
    #[arg(value_name = "LOG")]
    pub logs: Vec<PathBuf>,

    #[command(flatten)]
    pub load: LoadArgs,
}

impl ReviewArgs {
    /// Whether any argument of the review screen was given.
    pub fn given(&self) -> bool {
        self.load.demo || !self.logs.is_empty()
    }
}

pub fn run(_args: ReviewArgs, _global: &GlobalArgs) -> anyhow::Result<()> {
    bail!(
        "this whoclicked was built without the review screen (cargo feature `tui`); \
         `whoclicked report` writes the same analysis as a table, CSV or JSON, and \
         `whoclicked --help` lists the commands"
    )
}
