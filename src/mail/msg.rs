//! Outlook `.msg` files: a Compound File (OLE) whose transport headers
//! (PidTagTransportMessageHeaders, 0x007D) are a stream of their own,
//! `__substg1.0_007D001F` in UTF-16LE or `__substg1.0_007D001E` in the
//! message's 8-bit code page. Items never sent (drafts, the sender's own
//! Sent Items) have none: the recipient's copy has.

use std::io::{Cursor, Read};

use super::error::MailError;

/// The signature every Compound File starts with.
const MAGIC: &[u8] = &[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

pub(super) const NO_HEADERS: &str = "no transport headers: a draft or the sender's own copy \
    (Sent Items) never travelled; ask for a recipient's copy";

/// Whether the bytes are a Compound File.
pub fn is_msg(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

/// Streams bigger than this are not headers.
const MAX_STREAM: u64 = 16 << 20;

/// The transport headers of a `.msg`, as text.
pub fn transport_headers(file: &str, bytes: &[u8]) -> Result<String, MailError> {
    let err = |reason: String| MailError::Msg {
        file: file.into(),
        reason,
    };
    let mut cfb = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| err(format!("not a readable Outlook file: {e}")))?;
    for (name, utf16) in [
        ("/__substg1.0_007D001F", true),
        ("/__substg1.0_007D001E", false),
    ] {
        if !cfb.is_stream(name) {
            continue;
        }
        let mut stream = cfb
            .open_stream(name)
            .map_err(|e| err(format!("cannot read the header stream: {e}")))?;
        let mut raw = Vec::new();
        stream
            .by_ref()
            .take(MAX_STREAM)
            .read_to_end(&mut raw)
            .map_err(|e| err(format!("cannot read the header stream: {e}")))?;
        let text = if utf16 {
            let units: Vec<u16> = raw
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        } else {
            // The code page is the message's; headers are ASCII by rule, and
            // anything else is shown, not guessed.
            String::from_utf8_lossy(&raw).into_owned()
        };
        let text = text.trim_end_matches('\0').to_string();
        if text.trim().is_empty() {
            break;
        }
        return Ok(text);
    }
    Err(err(NO_HEADERS.into()))
}
