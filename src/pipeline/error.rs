//! What can stop [`prepare`](super::prepare): the errors of the steps it
//! runs, unchanged where they already say enough, with the place added where
//! they do not.

use std::path::PathBuf;

use crate::input::LoadError;
use crate::kb::KbError;
use crate::owner::OwnerDbError;
use crate::signals::SignatureError;

#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// The campaign could not be read.
    #[error(transparent)]
    Read(#[from] LoadError),
    /// An owner database the user named could not be opened.
    #[error(transparent)]
    Databases(#[from] OwnerDbError),
    /// No place for the knowledge base could be worked out.
    #[error(transparent)]
    Locate(KbError),
    #[error("cannot open the knowledge base in {}", dir.display())]
    KnowledgeBase {
        dir: PathBuf,
        #[source]
        source: KbError,
    },
    /// A thread holding the shared knowledge base panicked.
    #[error("the knowledge base is unusable after an earlier crash")]
    KnowledgeBasePoisoned,
    /// The user's signature file is wrong.
    #[error(transparent)]
    Signatures(#[from] SignatureError),
    #[error("loading was cancelled")]
    Cancelled,
}

impl PipelineError {
    /// The message and every cause after it, `: `-separated, as the command
    /// line prints errors (for the review screen, which cannot print).
    pub fn with_causes(&self) -> String {
        let mut text = self.to_string();
        let mut cause = std::error::Error::source(self);
        while let Some(err) = cause {
            text.push_str(": ");
            text.push_str(&err.to_string());
            cause = err.source();
        }
        text
    }
}
