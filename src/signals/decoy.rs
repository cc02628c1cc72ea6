//! Decoy links: some simulation tools put a link in the mail that no person
//! can see (hidden in the HTML) to catch the scanners that follow every
//! link; Trend Micro Phish Insight hides every record from an address that
//! fetched it. Where the log records the URL (an access log's request path,
//! a `url` or `path` column of a CSV), an access to a decoy decides scanner,
//! and so do that address's other fetches for the same recipient within a
//! minute of it: the same scanner's visit. This is a decision, not evidence
//! to weigh: nothing a person does reaches a link they cannot see.

use std::collections::HashMap;

use super::signatures::Signatures;
use crate::enriched::Enriched;
use crate::model::{Campaign, IpId, Sym};

/// Extra columns that hold the URL an access fetched (lower case).
const URL_COLUMNS: &[&str] = &["path", "url", "uri", "request_uri", "request", "target"];

/// Seconds either side of a decoy fetch within which the same address's
/// fetches for the same recipient are the same visit.
pub const SAME_VISIT_SECONDS: i64 = 60;

/// The score a decoy decision stands at: far past any threshold, as sure
/// as the suggestions say anything (a decision, not a weight to tune).
pub const DECOY_SCORE: f32 = 20.0;

/// How a decoy decision reads: `fetched the decoy link /t/hidden?rid=… (no
/// person can see it)`, `the same address fetched the decoy link for this
/// recipient 12 s before`.
pub fn decoy_reason(hit: DecoyHit, enriched: &Enriched, sigs: &Signatures) -> String {
    let campaign = &enriched.campaign;
    match hit {
        DecoyHit::Link { pattern } => format!(
            "fetched the decoy link `{}`: no person can see it",
            sigs.decoys
                .get(pattern as usize)
                .map_or("?", String::as_str)
        ),
        DecoyHit::SameVisit { access } => {
            let decoy = &campaign.accesses[access as usize];
            format!(
                "the same address fetched the decoy link for this recipient within a minute \
                 (row {} of {})",
                decoy.row,
                campaign.file_name(decoy.file)
            )
        }
    }
}

/// Why an access is decided scanner by a decoy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecoyHit {
    /// It fetched the decoy: `pattern` indexes the patterns in force.
    Link { pattern: u32 },
    /// The same address fetched the decoy for the same recipient within a
    /// minute: `access` is that fetch.
    SameVisit { access: u32 },
}

/// Whether `url` is a decoy by `pattern`: the pattern appears in it (a
/// path such as `/t/hidden`, or a whole URL); `*` stands for any text.
pub fn matches(pattern: &str, url: &str) -> bool {
    if pattern.is_empty() {
        return false;
    }
    let mut parts = pattern.split('*');
    let Some(first) = parts.next() else {
        return false;
    };
    let Some(mut at) = url.find(first).map(|i| i + first.len()) else {
        return false;
    };
    for part in parts {
        match url[at..].find(part) {
            Some(i) => at += i + part.len(),
            None => return false,
        }
    }
    true
}

/// The decoy decision of every access (empty without patterns, or when no
/// file records the URL).
pub fn decoy_hits(campaign: &Campaign, patterns: &[String]) -> Vec<Option<DecoyHit>> {
    if patterns.is_empty() {
        return Vec::new();
    }
    // Which extra column holds the URL, per file.
    let url_column: Vec<Option<usize>> = campaign
        .files
        .iter()
        .map(|f| {
            f.extra_columns.iter().position(|&name| {
                let name = campaign.strings.get(name).trim().to_ascii_lowercase();
                URL_COLUMNS.contains(&name.as_str())
            })
        })
        .collect();
    if url_column.iter().all(Option::is_none) {
        return Vec::new();
    }
    let mut by_value: HashMap<Sym, Option<u32>> = HashMap::new();
    let mut hits: Vec<Option<DecoyHit>> = vec![None; campaign.accesses.len()];
    let mut decoys: Vec<usize> = Vec::new();
    for (i, a) in campaign.accesses.iter().enumerate() {
        let Some(column) = url_column.get(usize::from(a.file)).copied().flatten() else {
            continue;
        };
        if a.extra == crate::model::NO_EXTRA {
            continue;
        }
        let Some(&value) = campaign.extra_values.get(a.extra as usize + column) else {
            continue;
        };
        let pattern = *by_value.entry(value).or_insert_with(|| {
            let url = campaign.strings.get(value);
            patterns
                .iter()
                .position(|p| matches(p, url))
                .map(|p| p as u32)
        });
        if let Some(pattern) = pattern {
            hits[i] = Some(DecoyHit::Link { pattern });
            decoys.push(i);
        }
    }
    if decoys.is_empty() {
        return Vec::new();
    }
    // The same visit: the address's fetches for the recipient around it.
    let mut by_pair: HashMap<(IpId, u32), Vec<usize>> = HashMap::new();
    for (i, a) in campaign.accesses.iter().enumerate() {
        by_pair.entry((a.ip, a.recipient_raw)).or_default().push(i);
    }
    for &d in &decoys {
        let decoy = &campaign.accesses[d];
        if decoy.recipient().is_none() {
            continue;
        }
        for &i in &by_pair[&(decoy.ip, decoy.recipient_raw)] {
            let near = campaign.accesses[i].time.seconds_since(decoy.time).abs()
                <= SAME_VISIT_SECONDS as f64;
            if near && hits[i].is_none() {
                hits[i] = Some(DecoyHit::SameVisit { access: d as u32 });
            }
        }
    }
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_inside_the_url_with_stars() {
        assert!(matches("/t/hidden", "/t/hidden?rid=abc"));
        assert!(matches("/t/*/pixel", "/t/ab12/pixel.gif"));
        assert!(matches("hidden", "https://example.jp/x/hidden"));
        assert!(!matches("/t/hidden", "/t/landing?rid=abc"));
        assert!(!matches("", "/anything"));
        assert!(!matches("/t/*/pixel", "/t/pixel"));
    }
}
