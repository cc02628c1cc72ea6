//! What the analyst has written about an address, as evidence. The knowledge
//! base owns owner notes; the suggestions only ask, once per distinct address,
//! through this trait, so any store (or a test closure) can answer.

use std::net::IpAddr;

use crate::model::Verdict;

/// A note about the owner of an address ("head office proxy"), with the
/// verdict it implies, if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteHint {
    pub verdict: Option<Verdict>,
    pub text: String,
}

/// Answers "what does the analyst know about this address?".
pub trait OwnerNotes {
    fn note_hint(&self, ip: IpAddr) -> Option<NoteHint>;
}

/// No notes at all.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoNotes;

impl OwnerNotes for NoNotes {
    fn note_hint(&self, _ip: IpAddr) -> Option<NoteHint> {
        None
    }
}

impl<F> OwnerNotes for F
where
    F: Fn(IpAddr) -> Option<NoteHint>,
{
    fn note_hint(&self, ip: IpAddr) -> Option<NoteHint> {
        self(ip)
    }
}
