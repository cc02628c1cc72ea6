//! Suggestions: for every access, scanner, human or unsure, with a
//! confidence and the reasons behind it.
//!
//! Each signal family lives in its own file and turns observations into
//! [`Evidence`]: a small [`Fact`] and a signed weight (+ scanner, − human).
//! Facts about an address or a User-Agent are worked out once per distinct
//! value; campaign-wide context (screen coverage, the campaign's browser
//! versions, send waves when delivery is unknown, what each address and
//! each unlisted network did for its recipients) once per campaign; what
//! happens around one recipient (sessions, click-time pairs, bursts) once
//! per recipient. [`combine`] sums the weights and applies the thresholds. The signature
//! list and every weight are data ([`Signatures`], `assets/signatures.toml`).
//!
//! The signals read the [`Enriched`](crate::enriched::Enriched) campaign
//! and nothing else: the analyst's owner notes come with it, as evidence.
//! Knowledge-base verdicts and rules take precedence over suggestions; the
//! [`Analysis`](crate::analysis::Analysis) holds both.

pub mod combine;
mod evidence;
mod families;
mod reasons;
mod signatures;
mod suggestions;

pub use crate::model::Leaning;
pub use combine::Suggestion;
pub use evidence::{DbClass, Evidence, Fact, Family, Reason, human_duration};
pub use families::user_agent::BrowserReference;
pub use families::waves::{Delivery, Wave};
pub use signatures::{
    AgentEntry, AgentKind, BUILTIN, BrowserEntry, ENV_VAR, FILE_NAME, FORMAT, NetworkEntry,
    NetworkKind, NetworkMatch, Origin, SignatureError, Signatures, SourceInfo, TimingBand, Tunable,
    Tuning, Weight, Weights, default_user_file, user_file,
};
pub use suggestions::{Counts, Suggestions};
