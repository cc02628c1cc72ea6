//! The follow-up sheet: for one recipient, the facts of the log told in
//! plain words, for the talk with an employee who says "I never clicked"
//! ("this address looks like your smartphone…"). What each access was (a
//! mail-security check, a person on a phone or at a PC, which network, how
//! long after delivery), the verdict and who made it, and what it means for
//! them; in English or Japanese, factual and not accusing.
//!
//! `facts.rs` reads an access into the facts a sheet tells; `words.rs` says
//! them in each language; this file assembles and renders the sheets.
//! Names of people come only from the log (and the analyst's hosts table);
//! nothing is guessed.

mod facts;
mod words;

use std::fmt::Write as _;

use crate::analysis::Analysis;
use crate::model::RecipientId;
use crate::review::ReviewIndex;

pub use facts::{AccessFacts, Device, Kind, Network};

/// The sheet's language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Ja,
}

impl Lang {
    /// Japanese when the system's locale is (`LC_ALL`, `LC_MESSAGES`, `LANG`
    /// in that order), else English.
    pub fn from_env() -> Lang {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .find(|v| !v.is_empty())
            .unwrap_or_default();
        Lang::from_locale(&locale)
    }

    pub fn from_locale(locale: &str) -> Lang {
        if locale.to_ascii_lowercase().starts_with("ja") {
            Lang::Ja
        } else {
            Lang::En
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
        }
    }
}

/// One recipient's follow-up sheet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sheet {
    /// The recipient as the log names them.
    pub recipient: String,
    pub title: String,
    /// "Delivered: …", or that the log does not say.
    pub delivered: String,
    /// One line per access, in time order.
    pub accesses: Vec<String>,
    /// The verdict and who made it.
    pub verdict: String,
    /// What it means for them.
    pub meaning: String,
    lang: Lang,
}

impl Sheet {
    /// The sheet as Markdown.
    pub fn markdown(&self) -> String {
        let w = words::of(self.lang);
        let mut out = format!(
            "# {}\n\n{}\n\n## {}\n\n",
            self.title, self.delivered, w.accesses_heading
        );
        for line in &self.accesses {
            let _ = writeln!(out, "- {line}");
        }
        let _ = write!(
            out,
            "\n## {}\n\n{}\n\n## {}\n\n{}\n",
            w.verdict_heading, self.verdict, w.meaning_heading, self.meaning
        );
        out
    }

    /// The sheet as plain text, ready to paste into a mail.
    pub fn text(&self) -> String {
        let w = words::of(self.lang);
        let mut out = format!(
            "{}\n\n{}\n\n{}\n",
            self.title, self.delivered, w.accesses_heading
        );
        for line in &self.accesses {
            let _ = writeln!(out, "  {line}");
        }
        let _ = write!(
            out,
            "\n{}\n  {}\n\n{}\n  {}\n",
            w.verdict_heading, self.verdict, w.meaning_heading, self.meaning
        );
        out
    }
}

/// The sheets of every recipient with an access, in the log's order of
/// recipients; or of the one `only` names (by name or rid), with or without
/// accesses. `None` when `only` names no recipient of the campaign.
pub fn sheets(analysis: &Analysis, lang: Lang, only: Option<&str>) -> Option<Vec<Sheet>> {
    let campaign = &analysis.campaign;
    let index = ReviewIndex::new(campaign);
    let chosen: Vec<RecipientId> = match only {
        Some(key) => vec![campaign.find_recipient(key)?],
        None => (0..campaign.recipients.len() as u32)
            .map(RecipientId)
            .filter(|&r| !index.by_recipient(r).is_empty())
            .collect(),
    };
    Some(
        chosen
            .into_iter()
            .map(|r| sheet(analysis, lang, r, index.by_recipient(r)))
            .collect(),
    )
}

/// The sheet of recipient `r`, whose accesses are `indices` (in the log's
/// order, as [`ReviewIndex::by_recipient`] lists them).
pub fn sheet(analysis: &Analysis, lang: Lang, r: RecipientId, indices: &[u32]) -> Sheet {
    let w = words::of(lang);
    let campaign = &analysis.campaign;
    let recipient = campaign.strings.get(campaign.recipient(r).name).to_string();
    let delivery = analysis.suggestions().delivery(r).map(|d| d.at);
    // Times are written as clock times on the delivery's day; without a
    // delivery, when every access falls on one day; else with their dates
    // (a sheet of accesses over several days read 22:35 before 14:52).
    let day_of = delivery.or_else(|| {
        let day = |i: u32| {
            campaign.accesses[i as usize]
                .time
                .to_jiff()
                .to_zoned_datetime(analysis.zone.clone())
                .date()
        };
        let first = *indices.first()?;
        indices
            .iter()
            .all(|&i| day(i) == day(first))
            .then(|| campaign.accesses[first as usize].time)
    });
    let facts: Vec<AccessFacts> = indices
        .iter()
        .map(|&i| facts::of_access(analysis, i as usize, delivery, day_of))
        .collect();
    let accesses = if facts.is_empty() {
        vec![w.no_access.to_string()]
    } else {
        facts.iter().map(|f| words::access_line(lang, f)).collect()
    };
    Sheet {
        title: words::title(lang, &recipient),
        delivered: words::delivered(lang, delivery, &analysis.zone),
        verdict: words::verdict(lang, &facts),
        meaning: words::meaning(lang, &facts),
        accesses,
        recipient,
        lang,
    }
}

/// One CSV for a mail merge: a row per recipient with the sheet's parts and
/// its whole text; every cell guarded against spreadsheet formulas.
pub fn write_csv(
    sheets: &[Sheet],
    excel: bool,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    use crate::report::{neutralise, start_csv};
    use std::borrow::Cow;
    let header = [
        "recipient",
        "lang",
        "delivered",
        "accesses",
        "verdict",
        "meaning",
        "text",
    ];
    start_csv(excel, out, &header, |writer| {
        for s in sheets {
            let accesses = s.accesses.join("\n");
            let text = s.text();
            let cells = [
                s.recipient.as_str(),
                s.lang.as_str(),
                &s.delivered,
                &accesses,
                &s.verdict,
                &s.meaning,
                &text,
            ];
            writer
                .write_record(
                    cells
                        .iter()
                        .map(|c| neutralise(Cow::Borrowed(c)).into_owned()),
                )
                .map_err(std::io::Error::other)?;
        }
        Ok(())
    })
}

/// A file name for a recipient's sheet: the name with anything but
/// letters, digits, `.`, `_`, `-` and `@` made `_` (a name from the log
/// must not climb out of the folder or hide as a dot file).
pub fn file_stem(recipient: &str) -> String {
    let stem: String = recipient
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '_' | '-' | '@' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let stem = stem.trim_start_matches('.');
    if stem.is_empty() {
        "recipient".to_string()
    } else {
        stem.chars().take(100).collect()
    }
}
