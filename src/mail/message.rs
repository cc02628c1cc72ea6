//! A mail's bytes into its header fields, in order, unfolded, each with the
//! line it starts on. Takes what analysts have: an `.eml`, an mbox of
//! several, headers pasted from a mail client (CRLF, a `>` quote before
//! every line, the body after them). Outlook `.msg` files are opened in
//! [`super::msg`] and come here as the text of their header stream.

use super::error::{MailError, MailIssue};

/// One header field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// As written (`Received`, `X-Originating-IP`).
    pub name: String,
    /// Unfolded: continuation line breaks removed, whitespace kept.
    pub value: String,
    /// The line the field starts on, counting from 1.
    pub line: usize,
}

impl Header {
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }

    /// The value with RFC 2047 encoded words decoded, as a mail client shows
    /// it: `=?UTF-8?B?5bGx55Sw?= <a@b>` is `山田 <a@b>`. For the fields
    /// people read (Subject, From); the trace reads the raw values.
    pub fn readable(&self) -> String {
        if !self.value.contains("=?") {
            return self.value.clone();
        }
        // mail-parser decodes encoded words (any charset it knows) in an
        // unstructured field; the value is handed to it as a Subject.
        let field = format!("Subject: {}\r\n\r\n", self.value);
        mail_parser::MessageParser::default()
            .parse_headers(field.as_bytes())
            .and_then(|m| m.subject().map(str::to_string))
            .unwrap_or_else(|| self.value.clone())
    }
}

/// The headers of one message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MailHeaders {
    /// Where it came from: the file, with the message's number in an mbox.
    pub source: String,
    pub headers: Vec<Header>,
    pub issues: Vec<MailIssue>,
}

impl MailHeaders {
    /// The first field of that name.
    pub fn first(&self, name: &str) -> Option<&Header> {
        self.headers.iter().find(|h| h.is(name))
    }
}

/// How many bytes are looked at to tell text from binary.
const SNIFF: usize = 8192;

/// Reads every message of a text input: one mail, an mbox, or pasted headers.
pub fn read_text(file: &str, bytes: &[u8]) -> Result<Vec<MailHeaders>, MailError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(MailError::Empty { file: file.into() });
    }
    if let Some(offset) = binary_at(bytes) {
        return Err(MailError::Binary {
            file: file.into(),
            offset,
        });
    }
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let quoted = quote_prefix(&lines);
    let lines: Vec<&str> = lines.iter().map(|l| unquote(l, quoted)).collect();
    let first = lines.iter().position(|l| !l.trim().is_empty()).unwrap_or(0);
    if is_mbox_separator(lines[first]) {
        return read_mbox(file, &lines, first);
    }
    let mut message = read_headers(file, &lines, first, lines.len())?;
    message.source = file.to_string();
    Ok(vec![message])
}

/// Where binary data shows: a NUL, or control characters (other than tab,
/// CR, LF, form feed and ESC) in more than one byte of 32 of the start. A
/// hostile header may carry a few; the output shows them escaped.
fn binary_at(bytes: &[u8]) -> Option<usize> {
    let head = &bytes[..bytes.len().min(SNIFF)];
    if let Some(nul) = head.iter().position(|&b| b == 0) {
        return Some(nul);
    }
    let control = |b: &u8| *b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b);
    if head.iter().filter(|b| control(b)).count() * 32 > head.len() {
        return head.iter().position(control);
    }
    None
}

/// Whether the text was pasted as a quote (`> Received: …` in a reply):
/// then every line loses its leading `>` and one space.
fn quote_prefix(lines: &[&str]) -> bool {
    lines
        .iter()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| l.starts_with('>'))
}

fn unquote(line: &str, quoted: bool) -> &str {
    if !quoted {
        return line;
    }
    match line.strip_prefix('>') {
        Some(rest) => rest.strip_prefix(' ').unwrap_or(rest),
        None => line,
    }
}

/// An mbox's `From sender Www Mmm dd hh:mm:ss yyyy` line: a colon-less
/// `From `, then a time of day, so a body's "From me, hello" is not one.
fn is_mbox_separator(line: &str) -> bool {
    line.starts_with("From ")
        && line.split_whitespace().skip(2).any(|w| {
            let b = w.as_bytes();
            b.len() >= 5 && b[2] == b':' && b[..2].iter().all(u8::is_ascii_digit)
        })
}

fn read_mbox(file: &str, lines: &[&str], first: usize) -> Result<Vec<MailHeaders>, MailError> {
    // A message starts at a `From ` line that follows a blank line (or the start).
    let mut starts = vec![first];
    for i in first + 1..lines.len() {
        if is_mbox_separator(lines[i]) && lines[i - 1].trim().is_empty() {
            starts.push(i);
        }
    }
    let mut messages = Vec::with_capacity(starts.len());
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(lines.len());
        let mut message = read_headers(file, lines, start + 1, end)?;
        message.source = format!("{file} (message {})", n + 1);
        messages.push(message);
    }
    Ok(messages)
}

/// Whether a line opens a header field: a name of printable ASCII without
/// spaces, then a colon.
fn field_name(line: &str) -> Option<(&str, &str)> {
    let (name, value) = line.split_once(':')?;
    let ok = !name.is_empty()
        && name.len() <= 128
        && name.bytes().all(|b| b.is_ascii_graphic() && b != b':');
    ok.then_some((name, value))
}

/// Header fields from `lines[start..end]` up to the first blank line (the body).
fn read_headers(
    file: &str,
    lines: &[&str],
    start: usize,
    end: usize,
) -> Result<MailHeaders, MailError> {
    let mut message = MailHeaders::default();
    let mut i = start;
    // Blank lines before the first field (pasted text often has some).
    while i < end && lines[i].trim().is_empty() {
        i += 1;
    }
    while i < end {
        let line = lines[i];
        if line.trim().is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            match message.headers.last_mut() {
                Some(last) => {
                    last.value.push_str(line);
                }
                None => return Err(not_mail(file, i, line)),
            }
        } else if let Some((name, value)) = field_name(line) {
            message.headers.push(Header {
                name: name.to_string(),
                value: value.to_string(),
                line: i + 1,
            });
        } else if message.headers.is_empty() {
            return Err(not_mail(file, i, line));
        } else {
            // Pasted headers run straight into the body now and then.
            message.issues.push(MailIssue {
                line: i + 1,
                text: "not a header line: the headers are taken to end here".into(),
            });
            break;
        }
        i += 1;
    }
    if message.headers.is_empty() {
        return Err(MailError::Empty { file: file.into() });
    }
    for header in &mut message.headers {
        let trimmed = header.value.trim();
        if trimmed.len() != header.value.len() {
            header.value = trimmed.to_string();
        }
    }
    if let Some(last) = message.headers.last()
        && paren_depth(&last.value) > 0
    {
        message.issues.push(MailIssue {
            line: last.line,
            text: format!(
                "{} ends inside a parenthesis: the headers were cut in the middle of a field",
                last.name
            ),
        });
    }
    Ok(message)
}

fn not_mail(file: &str, index: usize, line: &str) -> MailError {
    let found: String = line.chars().take(60).collect();
    MailError::NotMail {
        file: file.into(),
        line: index + 1,
        found,
    }
}

/// Open parentheses left at the end of a field.
fn paren_depth(value: &str) -> i64 {
    let mut depth = 0i64;
    for b in value.bytes() {
        match b {
            b'(' => depth += 1,
            b')' => depth = (depth - 1).max(0),
            _ => {}
        }
    }
    depth
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unfolds_fields_keeping_lines() {
        let m = read_text("m.eml", b"Received: from a\r\n by b; Tue, 4 Mar 2025 01:02:03 +0000\r\nSubject: hi\r\n\r\nbody: not a header\r\n").unwrap();
        assert_eq!(m.len(), 1);
        let h = &m[0].headers;
        assert_eq!(h.len(), 2);
        assert_eq!(h[0].value, "from a by b; Tue, 4 Mar 2025 01:02:03 +0000");
        assert_eq!(h[1].line, 3);
        assert!(m[0].issues.is_empty());
    }

    #[test]
    fn quoted_paste_loses_its_quote() {
        let m = read_text("-", b"> Received: from a\n>  by b\n> Subject: x\n").unwrap();
        assert_eq!(m[0].headers[0].value, "from a by b");
        assert_eq!(m[0].headers[1].name, "Subject");
    }

    #[test]
    fn errors_name_file_and_line() {
        assert_eq!(
            read_text("e.eml", b"  \n"),
            Err(MailError::Empty {
                file: "e.eml".into()
            })
        );
        assert!(matches!(
            read_text("b.bin", b"PK\x03\x04\x00\x00"),
            Err(MailError::Binary { offset: 4, .. })
        ));
        assert_eq!(
            read_text("t.txt", b"\nhello world\nReceived: x\n"),
            Err(MailError::NotMail {
                file: "t.txt".into(),
                line: 2,
                found: "hello world".into()
            })
        );
    }

    #[test]
    fn a_field_cut_mid_fold_is_an_issue() {
        let m = read_text(
            "c.eml",
            b"Subject: x\nReceived: from a (b [192.0.2.1]\n by c (Postfix\n",
        )
        .unwrap();
        assert_eq!(m[0].issues.len(), 1);
        assert_eq!(m[0].issues[0].line, 2);
        assert!(m[0].issues[0].text.contains("cut"), "{:?}", m[0].issues);
    }

    #[test]
    fn mbox_messages_are_numbered() {
        let text = b"From a@b Tue Mar  4 01:02:03 2025\nSubject: one\n\nFrom me, hello\n\nFrom c@d Tue Mar  4 01:02:04 2025\nSubject: two\n\nbody\n";
        let m = read_text("box.mbox", text).unwrap();
        assert_eq!(m.len(), 2);
        assert_eq!(m[1].source, "box.mbox (message 2)");
        assert_eq!(m[1].headers[0].value, "two");
        assert_eq!(m[1].headers[0].line, 7);
    }

    #[test]
    fn encoded_words_are_decoded_for_people() {
        let h = |value: &str| Header {
            name: "Subject".to_string(),
            value: value.to_string(),
            line: 1,
        };
        assert_eq!(
            h("=?UTF-8?B?44CQ6Iez5oCl44CR6KuL5rGC5pu4?=").readable(),
            "【至急】請求書"
        );
        assert_eq!(
            h("=?ISO-2022-JP?B?GyRCOzNFRBsoQg==?= <taro@example.co.jp>").readable(),
            "山田 <taro@example.co.jp>"
        );
        assert_eq!(h("plain =? text").readable(), "plain =? text");
        assert_eq!(h("no words").readable(), "no words");
    }
}
