//! Built without the review screen (`--no-default-features`): the arguments
//! that would open it are still understood, so the refusal can say why
//! instead of calling a log name an unexpected argument.

use anyhow::bail;

use super::GlobalArgs;
use super::review_args::ReviewArgs;

pub fn run(args: ReviewArgs, _global: &GlobalArgs) -> anyhow::Result<()> {
    super::load::refuse_mail(&args.logs)?;
    bail!(
        "this whoclicked was built without the review screen (cargo feature `tui`); \
         `whoclicked report` writes the same analysis as a table, CSV or JSON, and \
         `whoclicked --help` lists the commands"
    )
}
