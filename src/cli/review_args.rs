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
    /// Mails (.eml, .msg, mbox) open the same screen with one row per hop
    /// of their Received chains.
    #[arg(value_name = "LOG")]
    pub logs: Vec<PathBuf>,

    /// The files are mails, whatever their names (one row per hop).
    #[arg(long)]
    pub headers: bool,

    /// With mails: a network, address, AS (AS64500) or domain whose servers
    /// are yours or your provider's, as for `whoclicked headers` (repeatable).
    #[arg(long, value_name = "CIDR|ASN|DOMAIN")]
    pub trust: Vec<String>,

    #[command(flatten)]
    pub load: LoadArgs,
}

impl ReviewArgs {
    /// Whether any argument of the review screen was given.
    pub fn given(&self) -> bool {
        self.load.demo || !self.logs.is_empty()
    }
}
