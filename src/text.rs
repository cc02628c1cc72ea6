//! Text for a person to read. Text from a log is untrusted: a User-Agent can
//! carry escape sequences that rewrite a terminal or its title. Everything
//! shown to a person goes through [`escape_controls`]; tables line up by
//! display width, so Japanese lines up. Numbers are written one way
//! everywhere (report, review screen, knowledge-base commands): `1,234
//! accesses`, `12.3 MB`, `4m10s`.

use std::borrow::Cow;
use std::fmt::Write;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Replaces control characters (C0, DEL, C1), bidirectional overrides and
/// marks, line and paragraph separators (U+2028/U+2029, which break a table's
/// line where a terminal honours them) and invisible characters (zero-width
/// spaces and joiners, word joiners, BOMs, fillers, tags) with visible escapes
/// (`\x1b`, `\u{202e}`, `\u{200b}`), so they are shown, never executed and
/// never hidden.
pub fn escape_controls(s: &str) -> Cow<'_, str> {
    // Printable ASCII, the common case, is checked a byte at a time.
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) || !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if needs_escape(c) {
            let code = c as u32;
            if code <= 0xff {
                let _ = write!(out, "\\x{code:02x}");
            } else {
                let _ = write!(out, "\\u{{{code:x}}}");
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_control();
    }
    c.is_control()
        || matches!(
            c,
            // Soft hyphen, grapheme joiner, Arabic letter mark, Hangul fillers.
            '\u{ad}' | '\u{34f}' | '\u{61c}' | '\u{115f}' | '\u{1160}' | '\u{3164}' | '\u{ffa0}'
            // Khmer inherent vowels, Mongolian free variation selectors and vowel separator.
            | '\u{17b4}' | '\u{17b5}' | '\u{180b}'..='\u{180f}'
            // Zero-width space, non-joiner, joiner; left-to-right and right-to-left marks.
            | '\u{200b}'..='\u{200f}'
            // Line and paragraph separators; bidirectional embeddings and overrides.
            | '\u{2028}'..='\u{202e}'
            // Word joiner, invisible operators, bidirectional isolates, deprecated format characters.
            | '\u{2060}'..='\u{206f}'
            // Byte order mark (zero-width no-break space), interlinear annotation, shorthand format, tags.
            | '\u{feff}' | '\u{fff9}'..='\u{fffb}' | '\u{1bca0}'..='\u{1bca3}' | '\u{e0000}'..='\u{e007f}'
        )
}

/// A file name as a message shows it: escaped like log text, since a name
/// can hold escape sequences and line breaks as well as any log line.
pub fn path_text(path: &std::path::Path) -> String {
    escape_controls(&path.to_string_lossy()).into_owned()
}

/// Columns a terminal needs to show `s`.
pub fn display_width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cuts `s` to at most `width` terminal columns, marking a cut with `…`.
pub fn truncate_to_width(s: &str, width: usize) -> Cow<'_, str> {
    if display_width(s) <= width {
        return Cow::Borrowed(s);
    }
    if width == 0 {
        return Cow::Borrowed("");
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    Cow::Owned(out)
}

/// `s` cut or padded with spaces to exactly `width` columns.
pub fn fit_to_width(s: &str, width: usize) -> String {
    let cut = truncate_to_width(s, width);
    let pad = width.saturating_sub(display_width(&cut));
    let mut out = cut.into_owned();
    out.extend(std::iter::repeat_n(' ', pad));
    out
}

/// Splits `text` into lines of at most `width` columns, at spaces; a word
/// longer than a line is cut where the line ends, so no line is wider.
pub fn wrap_to_width(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = vec![String::new()];
    let mut used = 0;
    for word in text.split(' ') {
        let w = display_width(word);
        if used > 0 && used + 1 + w <= width {
            let line = out.last_mut().expect("never empty");
            line.push(' ');
            line.push_str(word);
            used += 1 + w;
            continue;
        }
        if used > 0 {
            out.push(String::new());
            used = 0;
        }
        if w <= width {
            out.last_mut().expect("never empty").push_str(word);
            used = w;
            continue;
        }
        for c in word.chars() {
            let cw = UnicodeWidthChar::width(c).unwrap_or(0);
            if used + cw > width && used > 0 {
                out.push(String::new());
                used = 0;
            }
            out.last_mut().expect("never empty").push(c);
            used += cw;
        }
    }
    out
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1 access`, `1,234 accesses`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", thousands(n))
    }
}

/// `12.3 MB`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// A delay as a person reads it: `3.2s`, `4m10s`, `2h03m`, `3d04h`.
pub fn format_delay(seconds: f64) -> String {
    let sign = if seconds < 0.0 { "-" } else { "" };
    let s = seconds.abs();
    if s < 60.0 {
        return format!("{sign}{s:.1}s");
    }
    let total = s.round() as u64;
    let (d, h, m, sec) = (
        total / 86_400,
        total / 3_600 % 24,
        total / 60 % 60,
        total % 60,
    );
    if d > 0 {
        format!("{sign}{d}d{h:02}h")
    } else if h > 0 {
        format!("{sign}{h}h{m:02}m")
    } else {
        format!("{sign}{m}m{sec:02}s")
    }
}

/// Appends `value` as `format!("{value:+.1}")` writes it (`+3.5`, `-0.2`,
/// `+0.0`), ties rounded to even as the standard formatting rounds them,
/// without its float-to-decimal machinery: a report writes a weight for
/// every reason of every row.
pub fn push_signed_tenths(out: &mut String, value: f32) {
    if !value.is_finite() || value.abs() >= 1.0e9 {
        let _ = write!(out, "{value:+.1}");
        return;
    }
    // Exact: an f32 has 24 significant bits, and ten times it fits in an f64's 53.
    let tenths = f64::from(value).abs() * 10.0;
    let floor = tenths.floor();
    let rounded = match tenths - floor {
        d if d > 0.5 => floor + 1.0,
        d if d < 0.5 => floor,
        _ if floor % 2.0 == 0.0 => floor,
        _ => floor + 1.0,
    } as u64;
    out.push(if value.is_sign_negative() { '-' } else { '+' });
    let _ = write!(out, "{}.{}", rounded / 10, rounded % 10);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminal_sequences() {
        assert!(matches!(escape_controls("Mozilla/5.0"), Cow::Borrowed(_)));
        assert_eq!(
            escape_controls("a\x1b]0;pwned\x07b"),
            "a\\x1b]0;pwned\\x07b"
        );
        assert_eq!(escape_controls("x\u{9b}31m"), "x\\x9b31m");
        assert_eq!(escape_controls("abc\u{202e}cba"), "abc\\u{202e}cba");
        assert_eq!(escape_controls("経理部"), "経理部");
    }

    #[test]
    fn escapes_separators_and_invisible_characters() {
        assert_eq!(
            escape_controls("Evil\u{2028}Bot\u{2029}x"),
            "Evil\\u{2028}Bot\\u{2029}x"
        );
        for c in [
            '\u{200b}',
            '\u{200c}',
            '\u{200d}',
            '\u{2060}',
            '\u{feff}',
            '\u{e0041}',
        ] {
            let escaped = escape_controls(&format!("a{c}b")).into_owned();
            assert_eq!(escaped, format!("a\\u{{{:x}}}b", c as u32));
        }
        // Every escaped text is as wide as it is long: nothing hidden, nothing breaks a line.
        let hostile = "a\u{2028}\u{200b}\u{ad}\u{feff}\u{180e}b";
        let escaped = escape_controls(hostile);
        assert_eq!(display_width(&escaped), escaped.chars().count());
        assert_eq!(escape_controls("日本語 🎉 é"), "日本語 🎉 é");
    }

    #[test]
    fn widths_count_wide_characters() {
        assert_eq!(display_width("経理部"), 6);
        assert_eq!(truncate_to_width("経理部です", 7), "経理部…");
        assert_eq!(fit_to_width("ab", 4), "ab  ");
        assert_eq!(fit_to_width("経理部", 5), "経理…");
        assert_eq!(display_width(&fit_to_width("経理部", 5)), 5);
        assert_eq!(truncate_to_width("abc", 0), "");
    }

    #[test]
    fn wraps_at_spaces_and_cuts_only_words_too_long_for_a_line() {
        assert_eq!(wrap_to_width("a bb ccc dddd", 6), ["a bb", "ccc", "dddd"]);
        assert_eq!(
            wrap_to_width("x 0123456789", 4),
            ["x", "0123", "4567", "89"]
        );
        // Double-width characters count twice.
        assert_eq!(
            wrap_to_width("日時 アクセス元", 6),
            ["日時", "アクセ", "ス元"]
        );
        assert_eq!(wrap_to_width("", 5), [""]);
        for line in wrap_to_width(
            "\"axb\" is not a plausible screen size (expected WIDTHxHEIGHT)",
            12,
        ) {
            assert!(display_width(&line) <= 12, "{line}");
        }
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(count(1, "access", "accesses"), "1 access");
        assert_eq!(count(1_234, "access", "accesses"), "1,234 accesses");
        assert_eq!(bytes(999), "999 B");
        assert_eq!(bytes(12_300_000), "12.3 MB");
    }

    #[test]
    fn delays_read_naturally() {
        assert_eq!(format_delay(3.21), "3.2s");
        assert_eq!(format_delay(250.0), "4m10s");
        assert_eq!(format_delay(7_380.0), "2h03m");
        assert_eq!(format_delay(273_600.0), "3d04h");
        assert_eq!(format_delay(-2.0), "-2.0s");
    }

    #[test]
    fn signed_tenths_read_as_the_standard_formatting_writes_them() {
        let mut rng = crate::testing::Rng::splitmix64(3);
        let mut values: Vec<f32> = vec![
            0.0,
            -0.0,
            0.05,
            -0.05,
            0.25,
            0.75,
            1.25,
            -1.25,
            2.5,
            0.95,
            9.95,
            99.95,
            3.0,
            -6.0,
            0.04,
            -0.04,
            1.0e8,
            f32::NAN,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::MIN_POSITIVE,
        ];
        // Every quarter (exact ties at .x5) and random weights.
        values.extend((-400..=400).map(|q| q as f32 / 4.0));
        values.extend((0..20_000).map(|_| (rng.int_range(-2_000_000, 2_000_000) as f32) / 1e5));
        for v in values {
            let mut ours = String::new();
            push_signed_tenths(&mut ours, v);
            assert_eq!(ours, format!("{v:+.1}"), "{v:?}");
        }
    }
}
