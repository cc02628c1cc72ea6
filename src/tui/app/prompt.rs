//! The prompts and overlays: the filter that the table follows as it is
//! typed, the export path, and scrolling the help and read-errors lists.

use std::path::PathBuf;

use super::{App, Effect, Prompt};
use crate::review::Filter;
use crate::tui::action::Action;
use crate::tui::jobs::ExportJob;
use crate::tui::keymap::Mode;

impl App {
    pub(super) fn update_filter(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Input(c) => {
                self.prompt.text.push(c);
                self.apply_prompt_filter()
            }
            Action::DeleteBack => {
                self.prompt.text.pop();
                self.apply_prompt_filter()
            }
            Action::Confirm => {
                self.mode = Mode::Table;
                if let Some(err) = self.prompt.error.take() {
                    self.error(format!("filter not changed: {err}"));
                }
                Vec::new()
            }
            Action::Back => {
                self.mode = Mode::Table;
                self.prompt = Prompt::default();
                self.view.set_filter("", Filter::default());
                self.info("filter cleared");
                self.rebuild()
            }
            Action::Quit => self.quit(),
            _ => Vec::new(),
        }
    }

    /// The table follows the prompt as it is typed; text that does not parse
    /// keeps the last filter that did, and says why.
    fn apply_prompt_filter(&mut self) -> Vec<Effect> {
        match Filter::parse(&self.prompt.text) {
            Ok(filter) => {
                self.prompt.error = None;
                if filter == self.view.spec.filter {
                    self.view.filter_text = self.prompt.text.clone();
                    return Vec::new();
                }
                let text = self.prompt.text.clone();
                self.view.set_filter(&text, filter);
                self.rebuild()
            }
            Err(err) => {
                self.prompt.error =
                    Some(crate::text::escape_controls(&err.to_string()).into_owned());
                Vec::new()
            }
        }
    }

    pub(super) fn update_export(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Input(c) => self.prompt.text.push(c),
            Action::DeleteBack => {
                self.prompt.text.pop();
            }
            Action::Back => {
                self.mode = Mode::Table;
                self.info("export cancelled");
            }
            Action::Confirm => {
                self.mode = Mode::Table;
                let path = PathBuf::from(self.prompt.text.trim());
                let Some(data) = &self.data else {
                    return Vec::new();
                };
                if path.as_os_str().is_empty() {
                    self.error("no path given: nothing exported");
                    return Vec::new();
                }
                self.session.export_path = path.clone();
                let job = ExportJob {
                    path: path.clone(),
                    snapshot: data.snapshot.clone(),
                    book: data.book.clone(),
                };
                self.info(format!("exporting to {}…", path.display()));
                return vec![Effect::Export(job)];
            }
            Action::Quit => return self.quit(),
            _ => {}
        }
        Vec::new()
    }

    /// Scrolls the help or read-errors overlay by the extent the last frame
    /// drew it with. Before it was drawn at all (opened in the same burst of
    /// keys), a page is a line and the next frame clamps the scroll.
    pub(super) fn update_overlay(&mut self, action: Action) -> Vec<Effect> {
        let drawn = self.frame.overlay.filter(|o| o.mode == self.mode);
        let page = drawn.map_or(1, |o| o.page.max(1));
        match action {
            Action::Back => self.mode = self.base_mode(),
            Action::Quit => return self.quit(),
            Action::Down => self.overlay_scroll += 1,
            Action::Up => self.overlay_scroll = self.overlay_scroll.saturating_sub(1),
            Action::PageDown => self.overlay_scroll += page,
            Action::PageUp => self.overlay_scroll = self.overlay_scroll.saturating_sub(page),
            Action::Top => self.overlay_scroll = 0,
            Action::Bottom => self.overlay_scroll = usize::MAX,
            _ => {}
        }
        // Scrolling past the end would only make the way back longer.
        if let Some(drawn) = drawn {
            self.overlay_scroll = self.overlay_scroll.min(drawn.last_scroll);
        }
        Vec::new()
    }
}
