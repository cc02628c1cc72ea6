//! Where the filter matched, shown in the cells: the text of each term
//! (`org:microsoft`, a free word) is underlined wherever it appears in a
//! cell of its field (or, for a word, of any column), ignoring case.

use std::ops::Range;

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::review::{Field, Highlight};

/// The needles that apply to a cell of `field` (`None`: a group view's
/// cell, which only free words reach).
pub fn needles_for(highlights: &[Highlight], field: Option<Field>) -> Vec<&str> {
    highlights
        .iter()
        .filter(|h| h.field.is_none() || (field.is_some() && h.field == field))
        .map(|h| h.text.as_str())
        .filter(|t| !t.is_empty())
        .collect()
}

/// `text` in `style`, with the parts that match a needle in `style`
/// patched with `mark`.
pub fn line(text: String, needles: &[&str], style: Style, mark: Style) -> Line<'static> {
    let ranges = matches(&text, needles);
    if ranges.is_empty() {
        return Line::from(Span::styled(text, style));
    }
    let mut spans = Vec::with_capacity(ranges.len() * 2 + 1);
    let mut at = 0;
    for r in ranges {
        if r.start > at {
            spans.push(Span::styled(text[at..r.start].to_string(), style));
        }
        spans.push(Span::styled(text[r.clone()].to_string(), style.patch(mark)));
        at = r.end;
    }
    if at < text.len() {
        spans.push(Span::styled(text[at..].to_string(), style));
    }
    Line::from(spans)
}

/// Byte ranges of `text` that match any needle (lower-case), ignoring
/// case, left to right, never overlapping.
pub fn matches(text: &str, needles: &[&str]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut from = 0;
    for (start, _) in text.char_indices() {
        if start < from {
            continue;
        }
        let longest = needles
            .iter()
            .filter_map(|needle| match_at(text, start, needle))
            .max();
        if let Some(end) = longest {
            out.push(start..end);
            from = end;
        }
    }
    out
}

/// The end of a match of `needle` starting at `start`, if there is one.
fn match_at(text: &str, start: usize, needle: &str) -> Option<usize> {
    let mut want = needle.chars().peekable();
    for (i, c) in text[start..].char_indices() {
        for lower in c.to_lowercase() {
            if want.next() != Some(lower) {
                return None;
            }
        }
        if want.peek().is_none() {
            return Some(start + i + c.len_utf8());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_needle_ignoring_case() {
        let text = "AS8075 Microsoft Corporation";
        assert_eq!(matches(text, &["microsoft"]), vec![7..16]);
        assert_eq!(matches(text, &["o"]).len(), 5);
        assert_eq!(matches("株式会社NTTドコモ", &["ntt"]), vec![12..15]);
        assert!(matches(text, &["docomo"]).is_empty());
        assert_eq!(matches("aaaa", &["aa"]), vec![0..2, 2..4]);
    }
}
