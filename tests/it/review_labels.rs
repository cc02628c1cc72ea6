//! The label book: precedence, longest-prefix networks, previews that leave
//! the book as it was, and the per-address index the screen relies on.

use whoclicked::model::{IpId, Verdict};
use whoclicked::review::{
    Change, LabelBook, LabelInfo, LabelKey, Scope, apply_changes, preview, reach, resolve_all,
    revert_changes,
};
use whoclicked::tui::testing::traps;

fn info(v: Verdict) -> Option<LabelInfo> {
    Some(LabelInfo::new(v))
}

#[test]
fn precedence_and_longest_prefix() {
    let loaded = traps();
    let analysis = &loaded.analysis;
    let mut book = LabelBook::new();
    book.set(LabelKey::Asn(8075), info(Verdict::Scanner));
    book.set(
        LabelKey::network("40.0.0.0/8".parse().unwrap()),
        info(Verdict::Human),
    );
    book.set(
        LabelKey::network("40.94.1.0/24".parse().unwrap()),
        info(Verdict::Scanner),
    );
    // Host bits are cleared: this is the same rule as 40.94.0.0/16.
    book.set(
        LabelKey::network("40.94.7.7/16".parse().unwrap()),
        info(Verdict::Human),
    );
    assert!(
        book.get(LabelKey::network("40.94.0.0/16".parse().unwrap()))
            .is_some()
    );
    let key_of = |book: &LabelBook, i| book.resolve(analysis, i).map(|(k, _)| k);
    assert_eq!(
        key_of(&book, 0),
        Some(LabelKey::network("40.94.1.0/24".parse().unwrap()))
    );
    assert_eq!(
        key_of(&book, 4),
        Some(LabelKey::Asn(8075)),
        "20.210.5.6 is in no network rule"
    );
    assert_eq!(key_of(&book, 5), None);
    book.set(
        LabelKey::Ip("40.94.1.1".parse().unwrap()),
        info(Verdict::Human),
    );
    book.set(LabelKey::Access(0), info(Verdict::Scanner));
    assert_eq!(key_of(&book, 0), Some(LabelKey::Access(0)));
    assert_eq!(
        key_of(&book, 1),
        Some(LabelKey::network("40.94.1.0/24".parse().unwrap()))
    );
    // Removing the /24 falls back to the /16.
    book.set(LabelKey::network("40.94.1.0/24".parse().unwrap()), None);
    assert_eq!(
        key_of(&book, 1),
        Some(LabelKey::network("40.94.0.0/16".parse().unwrap()))
    );
    let all = resolve_all(&book, analysis);
    assert_eq!(
        all,
        vec![
            Some(Verdict::Scanner),
            Some(Verdict::Human),
            Some(Verdict::Human),
            Some(Verdict::Human),
            Some(Verdict::Scanner),
            None,
            None,
            None,
            None
        ]
    );
}

#[test]
fn ipv6_rules_match_ipv6_only() {
    let mut book = LabelBook::new();
    book.set(
        LabelKey::network("2001:db8::/32".parse().unwrap()),
        info(Verdict::Scanner),
    );
    assert!(
        book.rule_for("2001:db8:1::5".parse().unwrap(), None)
            .is_some()
    );
    assert!(
        book.rule_for("32.1.13.184".parse().unwrap(), None)
            .is_none()
    );
    // An IPv4-mapped address is its IPv4 address.
    book.set(
        LabelKey::Ip("::ffff:10.0.0.1".parse().unwrap()),
        info(Verdict::Human),
    );
    assert!(book.rule_for("10.0.0.1".parse().unwrap(), None).is_some());
}

#[test]
fn preview_counts_changes_and_leaves_the_book_alone() {
    let loaded = traps();
    let analysis = &loaded.analysis;
    let index = &loaded.index;
    let mut book = LabelBook::new();
    book.set(
        LabelKey::Ip("20.210.5.6".parse().unwrap()),
        info(Verdict::Human),
    );
    let effective = resolve_all(&book, analysis);
    let asn = [LabelKey::Asn(8075)];
    assert_eq!(
        preview(
            &mut book,
            &effective,
            analysis,
            index,
            &asn,
            Some(Verdict::Scanner)
        ),
        4,
        "the Azure address keeps its IP rule"
    );
    assert_eq!(book.len(), 1);
    assert_eq!(
        reach(analysis, index, LabelKey::Asn(8075)),
        vec![0, 1, 2, 3, 4]
    );
    let bob = Scope::Recipient(analysis.campaign.find_recipient("bob@example.jp").unwrap());
    assert_eq!(
        bob.keys(analysis, index),
        vec![
            LabelKey::Access(1),
            LabelKey::Access(6),
            LabelKey::Access(8)
        ]
    );
    assert_eq!(
        Scope::Ip(IpId(5)).keys(analysis, index),
        vec![LabelKey::Ip("1.72.3.4".parse().unwrap())]
    );
}

#[test]
fn applying_and_reverting_moves_only_what_changed() {
    let loaded = traps();
    let analysis = &loaded.analysis;
    let index = &loaded.index;
    let mut book = LabelBook::new();
    let mut effective = resolve_all(&book, analysis);
    let changes = vec![
        Change {
            key: LabelKey::Asn(8075),
            before: None,
            after: info(Verdict::Scanner),
        },
        Change {
            key: LabelKey::Access(4),
            before: None,
            after: info(Verdict::Human),
        },
    ];
    let moved = apply_changes(&mut book, &mut effective, analysis, index, &changes);
    assert_eq!(moved, 5);
    assert_eq!(effective, resolve_all(&book, analysis));
    assert_eq!(effective[4], Some(Verdict::Human));
    let moved = revert_changes(&mut book, &mut effective, analysis, index, &changes);
    assert_eq!(moved, 5);
    assert!(book.is_empty());
    assert!(effective.iter().all(Option::is_none));
}

/// The book the screen starts from is a cache of the knowledge base: built
/// from the verdicts the pipeline resolved, it decides every access as they
/// do, keeps the rules a more specific one overrides (so clearing that one
/// re-exposes them, as it does in the knowledge base), and leaves out rules
/// that reach no address of the campaign.
#[test]
fn the_book_from_resolved_verdicts_agrees_with_the_knowledge_base() {
    use whoclicked::analysis::Analysis;
    use whoclicked::kb::{Author, Entry, Key, KnowledgeBase, Slot};

    let tmp = tempfile::tempdir().unwrap();
    let mut kb = KnowledgeBase::open(tmp.path()).unwrap();
    let sato = Author::new(Some("sato"), Some("traps"));
    let fixture = traps();
    let facts = fixture.analysis.enriched().clone();
    let rules = [
        (Key::Asn(8075), Verdict::Scanner),
        (Key::net("40.94.0.0/16").unwrap(), Verdict::Human),
        (Key::net("40.94.1.0/30").unwrap(), Verdict::Scanner),
        (Key::ip("20.210.5.6").unwrap(), Verdict::Human),
        // Nothing of the campaign is in these two.
        (Key::net("10.0.0.0/8").unwrap(), Verdict::Human),
        (Key::Asn(64500), Verdict::Scanner),
    ];
    for (key, verdict) in rules {
        kb.record(Entry::verdict(&sato, key, verdict)).unwrap();
    }
    let campaign = &facts.campaign;
    kb.record(Entry::access_verdict(
        &sato,
        campaign,
        &campaign.accesses[6],
        Verdict::Human,
    ))
    .unwrap();
    let judged = |kb: &KnowledgeBase| {
        let verdicts = kb.resolve_campaign(campaign, |ip: IpId| facts.owners[ip.index()].asn);
        Analysis::from_parts(
            facts.clone(),
            fixture.analysis.suggestions().clone(),
            verdicts,
        )
    };
    let analysis = judged(&kb);
    let index = &fixture.index;
    let (s, h) = (Some(Verdict::Scanner), Some(Verdict::Human));
    assert_eq!(
        analysis.verdict_column(),
        vec![s, s, s, h, h, None, h, None, None]
    );
    let mut book = LabelBook::from_verdicts(analysis.verdicts());
    assert_eq!(
        book.len(),
        5,
        "four rules that reach the campaign, one access"
    );
    let mut effective = resolve_all(&book, &analysis);
    assert_eq!(effective, analysis.verdict_column());

    // Clearing the /30 on screen and in the knowledge base: the /16 decides.
    let narrow = LabelKey::network("40.94.1.0/30".parse().unwrap());
    let clear = [Change {
        key: narrow,
        before: book.get(narrow).cloned(),
        after: None,
    }];
    let moved = apply_changes(&mut book, &mut effective, &analysis, index, &clear);
    assert_eq!(moved, 3);
    kb.record(Entry::removal(
        &sato,
        Slot::verdict(Key::net("40.94.1.0/30").unwrap()),
    ))
    .unwrap();
    assert_eq!(effective, judged(&kb).verdict_column());
    assert_eq!(effective[..3], [h, h, h]);
}
