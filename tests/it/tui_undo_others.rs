//! Undo takes back only the analyst's own change: when another whoclicked
//! changed the same key since, the screen says so and asks first.

use std::sync::{Arc, Mutex};

use crate::support::screen::{message, select_access, verdict};
use whoclicked::analysis::Analysis;
use whoclicked::model::Verdict;
use whoclicked::review::{LabelBook, LabelInfo};
use whoclicked::tui::keymap::KeyPress;
use whoclicked::tui::press;
use whoclicked::tui::store::{LabelStore, LabelWrite, StoreError, StoredLabels};

/// A store another process writes to: `refresh` hands over what it wrote.
struct Shared(Arc<Mutex<Option<StoredLabels>>>);

impl LabelStore for Shared {
    fn load(&mut self, analysis: &Analysis) -> Result<StoredLabels, StoreError> {
        Ok(StoredLabels {
            book: LabelBook::new(),
            notes: vec![None; analysis.campaign.ips.len()],
        })
    }
    fn write(&mut self, _: &Analysis, _: &[LabelWrite]) -> Result<(), StoreError> {
        Ok(())
    }
    fn location(&self) -> String {
        "shared".to_string()
    }
    fn refresh(&mut self, _: &Analysis) -> Result<Option<StoredLabels>, StoreError> {
        Ok(self.0.lock().unwrap().take())
    }
}

#[test]
fn undo_asks_before_removing_a_colleague_s_newer_decision() {
    let pending = Arc::new(Mutex::new(None));
    let (mut app, ex) = whoclicked::tui::testing::app_with(
        whoclicked::tui::testing::traps(),
        Box::new(Shared(Arc::clone(&pending))),
        160,
        48,
    );
    select_access(&mut app, &ex, 5);
    press(&mut app, &ex, KeyPress::Char('s'));
    assert_eq!(verdict(&app, 5), Some(Verdict::Scanner));
    let key = app.history.done.last().unwrap().changes[0].key;

    // A colleague decides the same key human; the screen re-reads.
    let mut book = LabelBook::new();
    book.set(
        key,
        Some(LabelInfo {
            analyst: Some("tanaka".into()),
            ..LabelInfo::new(Verdict::Human)
        }),
    );
    let notes = vec![None; app.data.as_ref().unwrap().analysis().campaign.ips.len()];
    *pending.lock().unwrap() = Some(StoredLabels { book, notes });
    let effects = app.refresh_labels();
    ex.run(&mut app, effects);
    assert_eq!(verdict(&app, 5), Some(Verdict::Human));

    // `u` says so and leaves the colleague's decision in force.
    press(&mut app, &ex, KeyPress::Char('u'));
    assert_eq!(verdict(&app, 5), Some(Verdict::Human));
    let text = message(&app);
    assert!(
        text.contains("changed since your label (now human by tanaka)") && text.contains("u again"),
        "{text}"
    );
    // Any other key forgets the question; `u` asks again.
    press(&mut app, &ex, KeyPress::Char('j'));
    press(&mut app, &ex, KeyPress::Char('u'));
    assert_eq!(verdict(&app, 5), Some(Verdict::Human));
    // `u` again confirms: the analyst's own change is taken back.
    press(&mut app, &ex, KeyPress::Char('u'));
    assert_eq!(verdict(&app, 5), None);
    assert!(message(&app).contains("took back"), "{}", message(&app));
}

#[test]
fn undo_of_an_untouched_label_does_not_ask() {
    let (mut app, ex, _) = whoclicked::tui::testing::traps_app(160, 48);
    select_access(&mut app, &ex, 5);
    press(&mut app, &ex, KeyPress::Char('s'));
    press(&mut app, &ex, KeyPress::Char('u'));
    assert_eq!(verdict(&app, 5), None);
    assert!(message(&app).contains("took back"), "{}", message(&app));
}
