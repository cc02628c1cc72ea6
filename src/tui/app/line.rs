//! A line of text being typed (the filter, the export path), edited as a
//! shell or lnav edits one: a cursor that moves left and right, Home and
//! End, deleting either side, Ctrl-U / Ctrl-K / Ctrl-W, and pasted text put
//! in at the cursor as one edit. The cursor is a byte offset that is always
//! on a character boundary.

/// One editing step on a prompt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edit {
    Left,
    Right,
    Home,
    End,
    /// Backspace: the character before the cursor.
    DeleteBack,
    /// Delete: the character under the cursor.
    DeleteForward,
    /// Ctrl-U: everything before the cursor.
    KillToStart,
    /// Ctrl-K: everything from the cursor on.
    KillToEnd,
    /// Ctrl-W: the word before the cursor (and the spaces after it).
    KillWordBack,
}

/// Text being typed, with its cursor.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Prompt {
    pub text: String,
    /// Byte offset of the cursor in `text`.
    pub cursor: usize,
    /// Why the text does not parse (the filter), shown beside it.
    pub error: Option<String>,
}

impl Prompt {
    /// `text` with the cursor at its end, as a shell shows a recalled line.
    pub fn new(text: impl Into<String>) -> Self {
        let text = text.into();
        Prompt {
            cursor: text.len(),
            text,
            error: None,
        }
    }

    /// The text before the cursor.
    pub fn before_cursor(&self) -> &str {
        &self.text[..self.cursor]
    }

    /// The text from the cursor on.
    pub fn after_cursor(&self) -> &str {
        &self.text[self.cursor..]
    }

    /// Replaces the whole text, the cursor at its end.
    pub fn set(&mut self, text: &str) {
        self.text = text.to_string();
        self.cursor = self.text.len();
    }

    /// Puts `text` in at the cursor, as typed or pasted: line breaks and
    /// other control characters become spaces, so a paste is text only and
    /// can never end the prompt or run a key.
    pub fn insert(&mut self, text: &str) {
        let clean: String = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        self.text.insert_str(self.cursor, &clean);
        self.cursor += clean.len();
    }

    /// Applies `edit`; returns whether the text changed.
    pub fn edit(&mut self, edit: Edit) -> bool {
        let before = self.before_cursor();
        let after = self.after_cursor();
        let prev = before.chars().next_back().map_or(0, char::len_utf8);
        let next = after.chars().next().map_or(0, char::len_utf8);
        match edit {
            Edit::Left => self.cursor -= prev,
            Edit::Right => self.cursor += next,
            Edit::Home => self.cursor = 0,
            Edit::End => self.cursor = self.text.len(),
            Edit::DeleteBack => {
                self.cursor -= prev;
                self.text.drain(self.cursor..self.cursor + prev);
                return prev > 0;
            }
            Edit::DeleteForward => {
                self.text.drain(self.cursor..self.cursor + next);
                return next > 0;
            }
            Edit::KillToStart => {
                let had = self.cursor > 0;
                self.text.drain(..self.cursor);
                self.cursor = 0;
                return had;
            }
            Edit::KillToEnd => {
                let had = self.cursor < self.text.len();
                self.text.truncate(self.cursor);
                return had;
            }
            Edit::KillWordBack => {
                let trimmed = before.trim_end();
                let start = trimmed
                    .char_indices()
                    .rev()
                    .find(|(_, c)| c.is_whitespace())
                    .map_or(0, |(i, c)| i + c.len_utf8());
                let had = start < self.cursor;
                self.text.drain(start..self.cursor);
                self.cursor = start;
                return had;
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, cursor: usize) -> Prompt {
        Prompt {
            text: text.to_string(),
            cursor,
            error: None,
        }
    }

    #[test]
    fn the_cursor_moves_and_text_goes_where_it_is() {
        let mut p = Prompt::new("org:micrsoft");
        for _ in 0..4 {
            p.edit(Edit::Left);
        }
        p.insert("o");
        assert_eq!(p.text, "org:microsoft");
        assert_eq!(p.before_cursor(), "org:micro");
        p.edit(Edit::Home);
        p.insert("-");
        assert_eq!(p.text, "-org:microsoft");
        p.edit(Edit::End);
        p.edit(Edit::Right);
        assert_eq!(p.cursor, p.text.len(), "stays at the end");
        p.edit(Edit::Home);
        p.edit(Edit::Left);
        assert_eq!(p.cursor, 0, "stays at the start");
    }

    #[test]
    fn deleting_and_killing() {
        let mut p = at("日本 docomo", 3);
        assert!(p.edit(Edit::DeleteBack));
        assert_eq!((p.text.as_str(), p.cursor), ("本 docomo", 0));
        assert!(!p.edit(Edit::DeleteBack));
        assert!(p.edit(Edit::DeleteForward));
        assert_eq!(p.text, " docomo");
        let mut p = Prompt::new("org:ntt dt:<30  ");
        assert!(p.edit(Edit::KillWordBack));
        assert_eq!(p.text, "org:ntt ");
        let mut p = at("org:ntt dt:<30", 7);
        assert!(p.edit(Edit::KillToEnd));
        assert_eq!(p.text, "org:ntt");
        let mut p = at("org:ntt dt:<30", 8);
        assert!(p.edit(Edit::KillToStart));
        assert_eq!((p.text.as_str(), p.cursor), ("dt:<30", 0));
    }

    #[test]
    fn pasted_line_breaks_are_text() {
        let mut p = Prompt::new("");
        p.insert("org:microsoft\nsato\r\x1b");
        assert_eq!(p.text, "org:microsoft sato  ");
    }
}
