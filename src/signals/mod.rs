//! Suggestions: for every access, scanner, human or unsure, with a
//! confidence and the reasons behind it.
//!
//! The folders show the parts. `families/` is the evidence: one file per
//! signal family (method, owner, note, user_agent, screen, timing with the
//! send waves it leans on, history, spread, session, pairing), each turning
//! what it observes into [`Evidence`] — a small [`Fact`] and a signed
//! weight (+ scanner, − human) — and knowing nothing of how evidence is
//! combined (a family may read what another found: timing the send waves,
//! screen whether the access fetched a page). The machinery is at the top:
//! `evidence`
//! (the vocabulary every family hands in: facts, their [`Family`],
//! evidence); [`combine`] (how one access's evidence becomes a score and a
//! label: the sum, the thresholds, and the one place where one family's
//! evidence sets another's aside); `suggestions` (the driver: runs the
//! families in the order their inputs need and keeps the table);
//! `reasons` (how each fact reads); `signatures/` (the signature list in
//! force, its file format, and the named [`Weight`]s and [`Tunable`]s —
//! all data, `assets/signatures.toml`).
//!
//! Facts about an address or a User-Agent are worked out once per distinct
//! value; campaign-wide context (screen coverage, the campaign's browser
//! versions, send waves when delivery is unknown, what each address and
//! each unlisted network did for its recipients) once per campaign; what
//! happens around one recipient (sessions, click-time pairs, bursts) once
//! per recipient.
//!
//! A new signal goes here: a [`Fact`] variant (and its [`Family`]) in
//! `evidence`; its [`Weight`] (and any [`Tunable`] limit) in
//! `signatures/params.rs`, with the value in `assets/signatures.toml`; a
//! function that pushes its evidence in its family's file, or a new file in
//! `families/`; one call in the driver at the stage whose inputs it needs
//! (`collect_static` for what the access says by itself, `collect_context`
//! for what the campaign around it says, the second pass for what reads the
//! other accesses' scores); and its sentence in `reasons`. The combination
//! does not change: it reads evidence, not families.
//!
//! The signals read the [`Enriched`](crate::enriched::Enriched) campaign
//! and nothing else: the analyst's owner notes come with it, as evidence.
//! Knowledge-base verdicts and rules take precedence over suggestions; the
//! [`Analysis`](crate::analysis::Analysis) holds both.

pub mod combine;
pub mod decoy;
mod evidence;
mod families;
mod reasons;
mod signatures;
mod suggestions;

pub use crate::model::Leaning;
pub use combine::Suggestion;
pub use evidence::{DbClass, Evidence, Fact, Family};
pub use families::user_agent::BrowserReference;
pub use families::waves::{Delivery, Wave};
pub use reasons::{Reason, human_duration};
pub use signatures::{
    AgentEntry, AgentKind, AssumedRelease, BUILTIN, BUILTIN_RELEASES, BrowserEntry, ENV_VAR,
    FILE_NAME, FORMAT, NetworkEntry, NetworkKind, NetworkMatch, Origin, SignatureError, Signatures,
    SourceInfo, TimingBand, Tunable, Tuning, Weight, Weights, default_user_file, user_file,
};
pub use suggestions::Suggestions;
