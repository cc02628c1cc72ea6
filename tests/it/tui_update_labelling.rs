//! The review screen's `update` for labelling, without a terminal: labels on
//! rows and groups, the scope chooser, precedence, marks, undo and redo, failed
//! writes, views that depend on verdicts, export, and labels another process
//! stores. Every effect runs inline (see `tui::testing`), so each test reads the
//! state right after the keys. Moving around is in `tui_update_moving.rs`.

use crate::support::screen;

use whoclicked::model::Verdict;
use whoclicked::review::{GroupBy, GroupKey, LabelBook, LabelKey, ViewKind};
use whoclicked::tui::keymap::{KeyPress, Mode};
use whoclicked::tui::press;
use whoclicked::tui::store::LabelWrite;
use whoclicked::tui::testing::traps_app;

use screen::{
    ip, keys, message, rows, select_access, select_group, typed, verdict, verdicts, view_by,
};

#[test]
fn h_s_c_label_the_row_and_write_through() {
    let (mut app, ex, log) = traps_app(160, 48);
    select_access(&mut app, &ex, 5);
    press(&mut app, &ex, KeyPress::Char('h'));
    assert_eq!(verdict(&app, 5), Some(Verdict::Human));
    assert!(
        message(&app).ends_with("→ human (1 access), saved"),
        "{}",
        message(&app)
    );
    assert!(message(&app).contains("alice@example.jp"));
    press(&mut app, &ex, KeyPress::Char('s'));
    assert_eq!(verdict(&app, 5), Some(Verdict::Scanner));
    press(&mut app, &ex, KeyPress::Char('c'));
    assert_eq!(verdict(&app, 5), None);
    assert_eq!(
        log.lock().unwrap().batches,
        vec![
            vec![LabelWrite {
                key: LabelKey::Access(5),
                verdict: Some(Verdict::Human)
            }],
            vec![LabelWrite {
                key: LabelKey::Access(5),
                verdict: Some(Verdict::Scanner)
            }],
            vec![LabelWrite {
                key: LabelKey::Access(5),
                verdict: None
            }],
        ]
    );
    // Clearing again changes nothing and writes nothing.
    press(&mut app, &ex, KeyPress::Char('c'));
    assert_eq!(log.lock().unwrap().batches.len(), 3);
}

#[test]
fn group_views_label_the_group_as_a_rule() {
    let (mut app, ex, log) = traps_app(160, 48);
    view_by(&mut app, &ex, ViewKind::Grouped(GroupBy::Ip));
    select_group(&mut app, &ex, GroupKey::Ip(whoclicked::model::IpId(4)));
    press(&mut app, &ex, KeyPress::Char('h'));
    assert_eq!(verdict(&app, 4), Some(Verdict::Human));
    press(&mut app, &ex, KeyPress::Tab);
    assert_eq!(app.view.kind(), ViewKind::Grouped(GroupBy::Network));
    let docomo = GroupKey::Network {
        network: "1.72.0.0/16".parse().unwrap(),
        estimated: false,
    };
    select_group(&mut app, &ex, docomo);
    press(&mut app, &ex, KeyPress::Char('h'));
    assert_eq!(
        (verdict(&app, 5), verdict(&app, 6), verdict(&app, 8)),
        (
            Some(Verdict::Human),
            Some(Verdict::Human),
            Some(Verdict::Human)
        )
    );
    assert!(
        message(&app).starts_with("1.72.0.0/16 NTT DOCOMO, INC. → human (3 accesses)"),
        "{}",
        message(&app)
    );
    // The unknown address's estimated network: no rule, and a clear reason.
    let estimated = GroupKey::Network {
        network: "198.51.100.0/24".parse().unwrap(),
        estimated: true,
    };
    select_group(&mut app, &ex, estimated);
    let before = log.lock().unwrap().batches.len();
    press(&mut app, &ex, KeyPress::Char('s'));
    assert!(app.message.as_ref().unwrap().error);
    assert!(
        message(&app).contains("only an estimate"),
        "{}",
        message(&app)
    );
    assert_eq!(log.lock().unwrap().batches.len(), before);
    assert_eq!(verdict(&app, 7), None);

    press(&mut app, &ex, KeyPress::Tab);
    select_group(&mut app, &ex, GroupKey::Asn(None));
    press(&mut app, &ex, KeyPress::Char('s'));
    assert!(
        message(&app).contains("no AS is known"),
        "{}",
        message(&app)
    );
    select_group(&mut app, &ex, GroupKey::Asn(Some(8075)));
    press(&mut app, &ex, KeyPress::Char('s'));
    // The Azure user keeps the IP rule made above: more specific wins.
    assert_eq!(
        verdicts(&app)[..5],
        [Some(Verdict::Scanner); 4]
            .iter()
            .copied()
            .chain([Some(Verdict::Human)])
            .collect::<Vec<_>>()[..]
    );
    assert_eq!(
        message(&app),
        "AS8075 Microsoft Corporation → scanner (4 accesses); 1 keep a more specific label, saved"
    );
    let batches = log.lock().unwrap().batches.clone();
    assert_eq!(
        batches[0],
        vec![LabelWrite {
            key: LabelKey::Ip(ip("20.210.5.6")),
            verdict: Some(Verdict::Human)
        }]
    );
    assert_eq!(
        batches[1],
        vec![LabelWrite {
            key: LabelKey::network("1.72.0.0/16".parse().unwrap()),
            verdict: Some(Verdict::Human)
        }]
    );
    assert_eq!(
        batches[2],
        vec![LabelWrite {
            key: LabelKey::Asn(8075),
            verdict: Some(Verdict::Scanner)
        }]
    );

    // A recipient is not an owner: its group is labelled access by access.
    press(&mut app, &ex, KeyPress::Tab);
    let carol = app
        .data
        .as_ref()
        .unwrap()
        .analysis()
        .campaign
        .find_recipient("carol@example.jp");
    select_group(&mut app, &ex, GroupKey::Recipient(carol));
    press(&mut app, &ex, KeyPress::Char('s'));
    let last = log.lock().unwrap().batches.last().cloned().unwrap();
    assert_eq!(
        last,
        vec![
            LabelWrite {
                key: LabelKey::Access(2),
                verdict: Some(Verdict::Scanner)
            },
            LabelWrite {
                key: LabelKey::Access(7),
                verdict: Some(Verdict::Scanner)
            },
        ]
    );
}

#[test]
fn the_scope_chooser_counts_and_applies() {
    let (mut app, ex, log) = traps_app(160, 48);
    select_access(&mut app, &ex, 1);
    press(&mut app, &ex, KeyPress::Char('S'));
    assert_eq!(app.mode, Mode::Scope);
    let dialog = app.scope.clone().unwrap();
    let counts: Vec<(String, usize, bool)> = dialog
        .choices
        .iter()
        .map(|c| (c.label.clone(), c.changes, c.scope.is_some()))
        .collect();
    assert_eq!(counts[0].1, 1);
    assert_eq!(
        counts[1],
        (
            "this IP 40.94.1.2 (Microsoft Corporation)".to_string(),
            1,
            true
        )
    );
    assert_eq!(
        counts[2],
        (
            "this network 40.88.0.0/13 (Microsoft Corporation)".to_string(),
            4,
            true
        )
    );
    assert_eq!(
        counts[3],
        ("this AS AS8075 Microsoft Corporation".to_string(), 5, true)
    );
    assert_eq!(
        counts[4],
        ("all accesses of bob@example.jp".to_string(), 3, true)
    );
    // `o` (or 4) picks the AS.
    press(&mut app, &ex, KeyPress::Char('o'));
    assert_eq!(app.mode, Mode::Table);
    assert!(
        verdicts(&app)[..5]
            .iter()
            .all(|v| *v == Some(Verdict::Scanner))
    );
    assert_eq!(
        log.lock().unwrap().batches.last().unwrap(),
        &vec![LabelWrite {
            key: LabelKey::Asn(8075),
            verdict: Some(Verdict::Scanner)
        }]
    );

    // The exception: the Azure Virtual Desktop user's IP is human.
    select_access(&mut app, &ex, 4);
    press(&mut app, &ex, KeyPress::Char('H'));
    assert_eq!(app.scope.as_ref().unwrap().choices[1].changes, 1);
    press(&mut app, &ex, KeyPress::Char('2'));
    assert_eq!(verdict(&app, 4), Some(Verdict::Human));
    assert!(
        verdicts(&app)[..4]
            .iter()
            .all(|v| *v == Some(Verdict::Scanner))
    );
    let data = app.data.as_ref().unwrap();
    assert_eq!(
        data.book.resolve(data.analysis(), 4).map(|(k, _)| k),
        Some(LabelKey::Ip(ip("20.210.5.6")))
    );

    // An unknown address offers no network and no AS; choosing them explains why.
    select_access(&mut app, &ex, 7);
    press(&mut app, &ex, KeyPress::Char('S'));
    let dialog = app.scope.clone().unwrap();
    assert!(dialog.choices[2].scope.is_none() && dialog.choices[3].scope.is_none());
    press(&mut app, &ex, KeyPress::Char('n'));
    assert!(
        message(&app).contains("no database gave a prefix"),
        "{}",
        message(&app)
    );
    press(&mut app, &ex, KeyPress::Esc);
    assert_eq!((app.mode, app.scope.is_none()), (Mode::Table, true));
    // And the recipient choice labels each of carol's accesses.
    press(&mut app, &ex, KeyPress::Char('H'));
    press(&mut app, &ex, KeyPress::Char('r'));
    assert_eq!(
        (verdict(&app, 2), verdict(&app, 7)),
        (Some(Verdict::Human), Some(Verdict::Human))
    );
}

#[test]
fn precedence_access_over_ip_over_longest_network_over_as() {
    let (mut app, ex, _) = traps_app(160, 48);
    select_access(&mut app, &ex, 0);
    press(&mut app, &ex, KeyPress::Char('S'));
    press(&mut app, &ex, KeyPress::Char('4')); // AS8075 scanner
    press(&mut app, &ex, KeyPress::Char('H'));
    press(&mut app, &ex, KeyPress::Char('3')); // 40.88.0.0/13 human beats the AS
    assert_eq!(verdict(&app, 0), Some(Verdict::Human));
    assert_eq!(
        verdict(&app, 4),
        Some(Verdict::Scanner),
        "the Azure address is outside the /13"
    );
    press(&mut app, &ex, KeyPress::Char('S'));
    press(&mut app, &ex, KeyPress::Char('2')); // 40.94.1.1 scanner beats the network
    assert_eq!(verdict(&app, 0), Some(Verdict::Scanner));
    assert_eq!(verdict(&app, 1), Some(Verdict::Human));
    press(&mut app, &ex, KeyPress::Char('h')); // the access's own verdict beats the IP
    assert_eq!(verdict(&app, 0), Some(Verdict::Human));
    let data = app.data.as_ref().unwrap();
    assert_eq!(
        data.book.resolve(data.analysis(), 0).map(|(k, _)| k),
        Some(LabelKey::Access(0))
    );
    // Clearing the access falls back to the IP rule; `c` on a rule-only row explains.
    press(&mut app, &ex, KeyPress::Char('c'));
    assert_eq!(verdict(&app, 0), Some(Verdict::Scanner));
    press(&mut app, &ex, KeyPress::Char('c'));
    assert!(
        message(&app).contains("follows rule ip:40.94.1.1"),
        "{}",
        message(&app)
    );
}

#[test]
fn marks_collect_rows_for_one_label() {
    let (mut app, ex, log) = traps_app(160, 48);
    // Space marks the row under the cursor, which stays: mark 0, skip 1,
    // mark 2 and 3.
    keys(
        &mut app,
        &ex,
        &[
            KeyPress::Char(' '),
            KeyPress::Char('j'),
            KeyPress::Char('j'),
            KeyPress::Char(' '),
            KeyPress::Char('j'),
            KeyPress::Char(' '),
        ],
    );
    assert_eq!(
        app.view.marks.accesses.iter().copied().collect::<Vec<_>>(),
        vec![0, 2, 3]
    );
    press(&mut app, &ex, KeyPress::Char('s'));
    assert_eq!(
        verdicts(&app)[..4],
        [
            Some(Verdict::Scanner),
            None,
            Some(Verdict::Scanner),
            Some(Verdict::Scanner)
        ]
    );
    assert!(app.view.marks.is_empty(), "labelling uses up the marks");
    assert_eq!(log.lock().unwrap().batches.last().unwrap().len(), 3);
    assert!(message(&app).starts_with("3 marked accesses → scanner (3 accesses)"));
    // Esc clears marks before it clears anything else.
    keys(&mut app, &ex, &[KeyPress::Char('g'), KeyPress::Char(' ')]);
    press(&mut app, &ex, KeyPress::Esc);
    assert!(app.view.marks.is_empty());

    // Marked groups become one rule each.
    view_by(&mut app, &ex, ViewKind::Grouped(GroupBy::Asn));
    keys(
        &mut app,
        &ex,
        &[
            KeyPress::Char('g'),
            KeyPress::Char(' '),
            KeyPress::Char('j'),
            KeyPress::Char(' '),
            KeyPress::Char('j'),
            KeyPress::Char(' '),
        ],
    );
    assert_eq!(app.view.marks.groups.len(), 3);
    press(&mut app, &ex, KeyPress::Char('h'));
    assert!(
        message(&app).contains("1 marked groups skipped"),
        "{}",
        message(&app)
    );
    assert_eq!(log.lock().unwrap().batches.last().unwrap().len(), 2);
}

#[test]
fn undo_and_redo_cross_scopes_and_the_store_follows() {
    let (mut app, ex, log) = traps_app(160, 48);
    view_by(&mut app, &ex, ViewKind::Grouped(GroupBy::Asn));
    select_group(&mut app, &ex, GroupKey::Asn(Some(8075)));
    press(&mut app, &ex, KeyPress::Char('s'));
    view_by(&mut app, &ex, ViewKind::Accesses);
    select_access(&mut app, &ex, 4);
    press(&mut app, &ex, KeyPress::Char('H'));
    press(&mut app, &ex, KeyPress::Char('i'));
    let labelled = verdicts(&app);
    assert_eq!(labelled[4], Some(Verdict::Human));

    press(&mut app, &ex, KeyPress::Char('u'));
    assert_eq!(
        verdict(&app, 4),
        Some(Verdict::Scanner),
        "the AS rule is back in charge"
    );
    assert!(
        message(&app).starts_with("took back IP 20.210.5.6"),
        "{}",
        message(&app)
    );
    press(&mut app, &ex, KeyPress::Char('u'));
    assert!(verdicts(&app).iter().all(Option::is_none));
    press(&mut app, &ex, KeyPress::Char('u'));
    assert_eq!(message(&app), "nothing to undo");
    press(&mut app, &ex, KeyPress::Ctrl('r'));
    press(&mut app, &ex, KeyPress::Ctrl('r'));
    assert_eq!(verdicts(&app), labelled);
    press(&mut app, &ex, KeyPress::Ctrl('r'));
    assert_eq!(message(&app), "nothing to redo");

    let writes: Vec<(LabelKey, Option<Verdict>)> = log
        .lock()
        .unwrap()
        .batches
        .iter()
        .flatten()
        .map(|w| (w.key, w.verdict))
        .collect();
    let azure = LabelKey::Ip(ip("20.210.5.6"));
    assert_eq!(
        writes,
        vec![
            (LabelKey::Asn(8075), Some(Verdict::Scanner)),
            (azure, Some(Verdict::Human)),
            (azure, None),
            (LabelKey::Asn(8075), None),
            (LabelKey::Asn(8075), Some(Verdict::Scanner)),
            (azure, Some(Verdict::Human)),
        ]
    );
    // A new label after an undo drops the redo branch.
    press(&mut app, &ex, KeyPress::Char('u'));
    select_access(&mut app, &ex, 7);
    press(&mut app, &ex, KeyPress::Char('h'));
    press(&mut app, &ex, KeyPress::Ctrl('r'));
    assert_eq!(message(&app), "nothing to redo");
}

#[test]
fn a_failed_write_is_taken_back_and_never_reported_saved() {
    let (mut app, ex, log) = traps_app(160, 48);
    log.lock().unwrap().fail_next = Some("disk full".to_string());
    select_access(&mut app, &ex, 5);
    press(&mut app, &ex, KeyPress::Char('h'));
    assert_eq!(verdict(&app, 5), None);
    let m = app.message.clone().unwrap();
    assert!(m.error && m.text.contains("NOT saved (disk full)"), "{m:?}");
    assert!(app.history.done.is_empty());
    // An undo whose write fails leaves the label in place.
    press(&mut app, &ex, KeyPress::Char('h'));
    log.lock().unwrap().fail_next = Some("read-only".to_string());
    press(&mut app, &ex, KeyPress::Char('u'));
    assert_eq!(verdict(&app, 5), Some(Verdict::Human));
    assert_eq!(app.history.done.len(), 1);
    assert!(app.history.undone.is_empty());
}

#[test]
fn labelling_rebuilds_views_that_depend_on_verdicts() {
    let (mut app, ex, _) = traps_app(160, 48);
    press(&mut app, &ex, KeyPress::Char('2'));
    assert_eq!(rows(&app).len(), 9);
    keys(
        &mut app,
        &ex,
        &[
            KeyPress::Char('j'),
            KeyPress::Char('j'),
            KeyPress::Char('s'),
        ],
    );
    // The labelled row left "unlabelled"; the cursor is on the row that followed it.
    assert_eq!(rows(&app), vec![0, 1, 3, 4, 5, 6, 7, 8]);
    assert_eq!(app.view.selected_access(), Some(3));
    let counts = &app.data.as_ref().unwrap().counts;
    assert_eq!((counts.unlabelled, counts.scanner), (8, 4));
}

#[test]
fn export_writes_the_report_to_the_edited_path() {
    let (mut app, ex, _) = traps_app(160, 48);
    keys(&mut app, &ex, &[KeyPress::Char('S'), KeyPress::Char('4')]);
    select_access(&mut app, &ex, 5);
    press(&mut app, &ex, KeyPress::Char('h'));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.csv");
    press(&mut app, &ex, KeyPress::Char('e'));
    assert_eq!(app.mode, Mode::Export);
    assert_eq!(app.prompt.text, "whoclicked-report.csv");
    for _ in 0..app.prompt.text.len() {
        press(&mut app, &ex, KeyPress::Backspace);
    }
    typed(&mut app, &ex, path.to_str().unwrap());
    press(&mut app, &ex, KeyPress::Enter);
    assert_eq!(
        message(&app),
        format!("exported 9 accesses to {}", path.display())
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with('\u{feff}'), "Excel CSV starts with a BOM");
    assert!(text.contains("\r\n"), "Excel CSV ends lines with CRLF");
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (verdict, source) = (col("verdict"), col("verdict_source"));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 9);
    assert_eq!(&rows[0][verdict], "scanner");
    // The moment names its zone: a CSV cell has no heading to say it.
    assert_eq!(
        &rows[0][source],
        "rule asn:8075 (2026-10-02 10:00 +09:00, analyst)"
    );
    assert_eq!(&rows[5][verdict], "human");
    assert!(
        rows[5][source].starts_with("access (2026-10-02 ")
            && rows[5][source].ends_with(" +09:00, analyst)"),
        "{}",
        &rows[5][source]
    );
    assert_eq!((&rows[6][verdict], &rows[6][source]), ("", ""));
    // The hostile User-Agent is inert in the spreadsheet too.
    assert!(!text.contains('\x1b'));
    // Esc cancels without writing.
    press(&mut app, &ex, KeyPress::Char('e'));
    press(&mut app, &ex, KeyPress::Esc);
    assert_eq!(
        (app.mode, message(&app).as_str()),
        (Mode::Table, "export cancelled")
    );
    // A path that cannot be written says so.
    press(&mut app, &ex, KeyPress::Char('e'));
    typed(&mut app, &ex, "/no/such/dir/x");
    press(&mut app, &ex, KeyPress::Enter);
    assert!(app.message.as_ref().unwrap().error);
}

/// A store another process writes to: `refresh` hands over what it wrote.
struct Shared(std::sync::Arc<std::sync::Mutex<Option<whoclicked::tui::store::StoredLabels>>>);

impl whoclicked::tui::store::LabelStore for Shared {
    fn load(
        &mut self,
        analysis: &whoclicked::analysis::Analysis,
    ) -> Result<whoclicked::tui::store::StoredLabels, whoclicked::tui::store::StoreError> {
        Ok(whoclicked::tui::store::StoredLabels {
            book: whoclicked::review::LabelBook::new(),
            notes: vec![None; analysis.campaign.ips.len()],
        })
    }
    fn write(
        &mut self,
        _: &whoclicked::analysis::Analysis,
        _: &[LabelWrite],
    ) -> Result<(), whoclicked::tui::store::StoreError> {
        Ok(())
    }
    fn location(&self) -> String {
        "shared".to_string()
    }
    fn refresh(
        &mut self,
        _: &whoclicked::analysis::Analysis,
    ) -> Result<Option<whoclicked::tui::store::StoredLabels>, whoclicked::tui::store::StoreError>
    {
        Ok(self.0.lock().unwrap().take())
    }
}

#[test]
fn another_process_s_labels_and_notes_arrive_on_refresh() {
    use std::sync::{Arc, Mutex};
    let pending = Arc::new(Mutex::new(None));
    let (mut app, ex) = whoclicked::tui::testing::app_with(
        whoclicked::tui::testing::traps(),
        Box::new(Shared(Arc::clone(&pending))),
        160,
        48,
    );
    let effects = app.refresh_labels();
    ex.run(&mut app, effects);
    assert!(app.message.is_none(), "nothing new, nothing said");
    let mut book = whoclicked::review::LabelBook::new();
    book.set(
        LabelKey::Asn(9605),
        Some(whoclicked::review::LabelInfo::new(Verdict::Human)),
    );
    let mut notes = vec![None; 6];
    notes[4] = Some(Arc::from("Azure Virtual Desktop pool"));
    *pending.lock().unwrap() = Some(whoclicked::tui::store::StoredLabels { book, notes });
    let effects = app.refresh_labels();
    ex.run(&mut app, effects);
    assert_eq!(
        (verdict(&app, 5), verdict(&app, 6), verdict(&app, 8)),
        (
            Some(Verdict::Human),
            Some(Verdict::Human),
            Some(Verdict::Human)
        )
    );
    assert_eq!(app.data.as_ref().unwrap().counts.unlabelled, 6);
    assert!(message(&app).contains("another whoclicked"));
    // The note is the owner the table shows.
    press(&mut app, &ex, KeyPress::Char('/'));
    typed(&mut app, &ex, "org:\"virtual desktop\"");
    assert_eq!(rows(&app), vec![4]);
}

/// A store whose re-read was taken before the analyst's latest label (the
/// read runs on a thread while the analyst goes on): `refresh` hands over
/// that older picture, `load` what the store holds now.
struct Racing(std::sync::Arc<std::sync::Mutex<(LabelBook, Option<LabelBook>)>>);

impl whoclicked::tui::store::LabelStore for Racing {
    fn load(
        &mut self,
        analysis: &whoclicked::analysis::Analysis,
    ) -> Result<whoclicked::tui::store::StoredLabels, whoclicked::tui::store::StoreError> {
        Ok(whoclicked::tui::store::StoredLabels {
            book: self.0.lock().unwrap().0.clone(),
            notes: vec![None; analysis.campaign.ips.len()],
        })
    }
    fn write(
        &mut self,
        _: &whoclicked::analysis::Analysis,
        writes: &[LabelWrite],
    ) -> Result<(), whoclicked::tui::store::StoreError> {
        let mut state = self.0.lock().unwrap();
        for w in writes {
            state
                .0
                .set(w.key, w.verdict.map(whoclicked::review::LabelInfo::new));
        }
        Ok(())
    }
    fn location(&self) -> String {
        "racing".to_string()
    }
    fn refresh(
        &mut self,
        analysis: &whoclicked::analysis::Analysis,
    ) -> Result<Option<whoclicked::tui::store::StoredLabels>, whoclicked::tui::store::StoreError>
    {
        Ok(self
            .0
            .lock()
            .unwrap()
            .1
            .take()
            .map(|book| whoclicked::tui::store::StoredLabels {
                book,
                notes: vec![None; analysis.campaign.ips.len()],
            }))
    }
}

#[test]
fn a_label_made_while_the_store_is_re_read_is_not_lost() {
    use std::sync::{Arc, Mutex};
    let state = Arc::new(Mutex::new((LabelBook::new(), None)));
    let (mut app, ex) = whoclicked::tui::testing::app_with(
        whoclicked::tui::testing::traps(),
        Box::new(Racing(Arc::clone(&state))),
        160,
        48,
    );
    // Another whoclicked rules docomo human; the screen starts re-reading.
    {
        let mut state = state.lock().unwrap();
        let rule = Some(whoclicked::review::LabelInfo::new(Verdict::Human));
        state.0.set(LabelKey::Asn(9605), rule.clone());
        let mut seen = LabelBook::new();
        seen.set(LabelKey::Asn(9605), rule);
        state.1 = Some(seen);
    }
    let read = app.refresh_labels();
    assert_eq!(read.len(), 1);
    assert!(app.refresh_labels().is_empty(), "one read at a time");
    // Meanwhile the analyst labels the first access scanner.
    press(&mut app, &ex, KeyPress::Char('s'));
    assert_eq!(verdict(&app, 0), Some(Verdict::Scanner));
    // The read, taken before that label, arrives: the screen reads again
    // rather than drop the label, and shows both.
    ex.run(&mut app, read);
    assert_eq!(verdict(&app, 0), Some(Verdict::Scanner));
    assert_eq!(
        (verdict(&app, 5), verdict(&app, 6)),
        (Some(Verdict::Human), Some(Verdict::Human))
    );
    assert!(message(&app).contains("another whoclicked"));
}
