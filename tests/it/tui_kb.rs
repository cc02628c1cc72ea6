//! The review screen writing through the real knowledge base: labels,
//! undo and redo land on disk, and a new session (or another process) reads
//! them back with their precedence intact.

use std::net::IpAddr;

use whoclicked::kb::{Author, KnowledgeBase};
use whoclicked::model::Verdict;
use whoclicked::review::{LabelKey, resolve_all};
use whoclicked::tui::app::App;
use whoclicked::tui::kb_store::KbStore;
use whoclicked::tui::keymap::KeyPress;
use whoclicked::tui::store::LabelStore;
use whoclicked::tui::testing::{app_with, traps};
use whoclicked::tui::{Executor, press};

fn open(dir: &std::path::Path) -> KbStore {
    KbStore::new(
        KnowledgeBase::open(dir).unwrap(),
        Author::new(Some("sato"), Some("traps")),
    )
}

/// An app over `traps()` whose labels come from and go to the KB in `dir`.
fn session(dir: &std::path::Path) -> (App, Executor) {
    let mut store = open(dir);
    let mut loaded = traps();
    let stored = store.load(&loaded.analysis).unwrap();
    loaded.book = stored.book;
    loaded.verdicts = std::sync::Arc::new(resolve_all(&loaded.book, &loaded.analysis));
    app_with(loaded, Box::new(store), 160, 48)
}

fn keys(app: &mut App, ex: &Executor, keys: &[KeyPress]) {
    for &k in keys {
        press(app, ex, k);
    }
}

fn verdicts(app: &App) -> Vec<Option<Verdict>> {
    app.data.as_ref().unwrap().snapshot.verdicts.to_vec()
}

fn message(app: &App) -> String {
    app.message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

#[test]
fn labels_survive_a_new_session_with_their_precedence() {
    let dir = tempfile::tempdir().unwrap();
    let expected = {
        let (mut app, ex) = session(dir.path());
        // AS8075 scanner, then the Azure user's IP human, alice's phone click human,
        // an access verdict that is then cleared (a tombstone), an undone label.
        keys(&mut app, &ex, &[KeyPress::Char('S'), KeyPress::Char('4')]);
        assert!(message(&app).ends_with(", saved"), "{}", message(&app));
        keys(
            &mut app,
            &ex,
            &[
                KeyPress::Char('j'),
                KeyPress::Char('j'),
                KeyPress::Char('j'),
                KeyPress::Char('j'),
            ],
        );
        keys(&mut app, &ex, &[KeyPress::Char('H'), KeyPress::Char('2')]);
        keys(&mut app, &ex, &[KeyPress::Char('j'), KeyPress::Char('h')]);
        keys(
            &mut app,
            &ex,
            &[
                KeyPress::Char('j'),
                KeyPress::Char('s'),
                KeyPress::Char('c'),
            ],
        );
        keys(
            &mut app,
            &ex,
            &[
                KeyPress::Char('j'),
                KeyPress::Char('s'),
                KeyPress::Char('u'),
            ],
        );
        let v = verdicts(&app);
        assert_eq!(
            v,
            vec![
                Some(Verdict::Scanner),
                Some(Verdict::Scanner),
                Some(Verdict::Scanner),
                Some(Verdict::Scanner),
                Some(Verdict::Human),
                Some(Verdict::Human),
                None,
                None,
                None
            ]
        );
        v
    };
    let (app, _) = session(dir.path());
    assert_eq!(verdicts(&app), expected);
    let data = app.data.as_ref().unwrap();
    let (key, info) = data.book.resolve(data.analysis(), 4).unwrap();
    assert_eq!(key, LabelKey::Ip("20.210.5.6".parse::<IpAddr>().unwrap()));
    assert_eq!(info.analyst.as_deref(), Some("sato"));
    assert!(info.at.is_some());
    assert_eq!(
        data.book.resolve(data.analysis(), 5).unwrap().0,
        LabelKey::Access(5)
    );
    // The knowledge base's own resolution agrees, and keeps the history.
    let kb = KnowledgeBase::open(dir.path()).unwrap();
    let azure: IpAddr = "20.210.5.6".parse().unwrap();
    assert_eq!(
        kb.resolve(None, azure, Some(8075)).map(|r| r.verdict),
        Some(Verdict::Human)
    );
    assert!(kb.history(&whoclicked::kb::Key::Asn(8075)).len() == 1);
}

#[test]
fn undo_and_redo_write_the_inverse_entries() {
    let dir = tempfile::tempdir().unwrap();
    {
        let (mut app, ex) = session(dir.path());
        keys(
            &mut app,
            &ex,
            &[
                KeyPress::Char('S'),
                KeyPress::Char('4'),
                KeyPress::Char('u'),
            ],
        );
    }
    let kb = KnowledgeBase::open(dir.path()).unwrap();
    let azure: IpAddr = "20.210.5.6".parse().unwrap();
    assert_eq!(
        kb.resolve(None, azure, Some(8075)),
        None,
        "the undo removed the rule"
    );
    assert_eq!(kb.history(&whoclicked::kb::Key::Asn(8075)).len(), 2);
    {
        let (mut app, ex) = session(dir.path());
        keys(
            &mut app,
            &ex,
            &[
                KeyPress::Char('S'),
                KeyPress::Char('4'),
                KeyPress::Char('u'),
                KeyPress::Ctrl('r'),
            ],
        );
    }
    let kb = KnowledgeBase::open(dir.path()).unwrap();
    assert_eq!(
        kb.resolve(None, azure, Some(8075)).map(|r| r.verdict),
        Some(Verdict::Scanner)
    );
}

#[test]
fn a_second_screen_sees_the_first_one_s_labels() {
    let dir = tempfile::tempdir().unwrap();
    let (mut first, first_ex) = session(dir.path());
    let (mut second, second_ex) = session(dir.path());
    keys(
        &mut first,
        &first_ex,
        &[KeyPress::Char('S'), KeyPress::Char('4')],
    );
    assert!(verdicts(&second).iter().all(Option::is_none));
    let effects = second.refresh_labels();
    second_ex.run(&mut second, effects);
    assert_eq!(verdicts(&second), verdicts(&first));
}
