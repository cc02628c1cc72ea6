//! What the review screen opens: `whoclicked LOG...` or `whoclicked --demo`.
//! One definition, whether or not the screen is built in (`no_screen`
//! refuses these arguments with a reason instead of calling a log name an
//! unexpected argument).

use std::path::PathBuf;

use clap::Args;

use super::load::LoadArgs;

/// What the review screen opens.
#[derive(Debug, Clone, Args)]
pub struct ReviewArgs {
    /// Campaign logs to review: native CSV, GoPhish "Raw Events" CSV or the
    /// landing page's Apache/nginx access log; several are read as one
    /// campaign. Without a command, whoclicked opens the review screen.
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
