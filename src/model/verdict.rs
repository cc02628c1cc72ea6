//! The two answers an access can get, and the three a suggestion can give.

use std::fmt;
use std::str::FromStr;

/// An analyst's decision about an access (or a rule about an owner).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Verdict {
    Human,
    Scanner,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Human => "human",
            Verdict::Scanner => "scanner",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Verdict {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "human" | "h" | "person" => Ok(Verdict::Human),
            "scanner" | "s" | "bot" | "machine" => Ok(Verdict::Scanner),
            other => Err(format!("unknown verdict {other:?} (human or scanner)")),
        }
    }
}

/// Where the evidence points for an access before (or without) an analyst's verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Leaning {
    Human,
    Scanner,
    /// The evidence does not decide: the analyst should look.
    #[default]
    Unsure,
}

impl Leaning {
    pub fn as_str(self) -> &'static str {
        match self {
            Leaning::Human => "human",
            Leaning::Scanner => "scanner",
            Leaning::Unsure => "unsure",
        }
    }

    pub fn verdict(self) -> Option<Verdict> {
        match self {
            Leaning::Human => Some(Verdict::Human),
            Leaning::Scanner => Some(Verdict::Scanner),
            Leaning::Unsure => None,
        }
    }
}

impl From<Verdict> for Leaning {
    fn from(v: Verdict) -> Self {
        match v {
            Verdict::Human => Leaning::Human,
            Verdict::Scanner => Leaning::Scanner,
        }
    }
}

impl fmt::Display for Leaning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
