//! Resolution through the public API: precedence, exceptions, removal,
//! notes and the owner cache, surviving a reopen.

use std::net::IpAddr;

use whoclicked::kb::{
    Author, CachedOwner, CachedSource, Entry, Key, KnowledgeBase, Slot, Verdict, fingerprint,
};
use whoclicked::model::{Access, Campaign, Event, IpId, NO_EXTRA, Sym, Timestamp, recipient_raw};
use whoclicked::owner::Owner;
use whoclicked::testing::Rng;

fn sato() -> Author {
    Author::new(Some("sato"), Some("2026-10 training"))
}

fn push(c: &mut Campaign, secs: i64, ip: &str, who: &str, ua: &str) -> usize {
    let ip = c.intern_ip(ip.parse().unwrap());
    let user_agent = c.intern_user_agent(ua);
    let r = c.intern_recipient(who);
    c.accesses.push(Access {
        time: Timestamp::from_seconds(secs).unwrap(),
        ip,
        user_agent,
        recipient_raw: recipient_raw(Some(r)),
        method: Sym::EMPTY,
        extra: NO_EXTRA,
        row: c.accesses.len() as u32 + 1,
        line: c.accesses.len() as u32 + 2,
        screen: None,
        file: 0,
        event: Event::Click,
    });
    c.accesses.len() - 1
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

/// The owner AS of the campaign's addresses: Microsoft's 40.94/16 only.
fn asn_of(c: &Campaign) -> impl Fn(IpId) -> Option<u32> + '_ {
    |id| match c.ip(id) {
        IpAddr::V4(v4) if v4.octets()[..2] == [40, 94] => Some(8075),
        _ => None,
    }
}

fn verdicts(kb: &KnowledgeBase, c: &Campaign) -> Vec<Option<(Verdict, String)>> {
    let resolved = kb.resolve_campaign(c, asn_of(c));
    c.accesses
        .iter()
        .enumerate()
        .map(|(i, a)| {
            resolved
                .get(i, a)
                .map(|r| (r.verdict, r.source.key.to_string()))
        })
        .collect()
}

#[test]
fn access_beats_ip_beats_as_and_removal_reexposes() {
    let tmp = tempfile::tempdir().unwrap();
    let mut kb = KnowledgeBase::open(tmp.path()).unwrap();
    let mut c = Campaign::new();
    let t = 1_790_000_000;
    let avd_click = push(
        &mut c,
        t,
        "40.94.25.7",
        "alice@example.com",
        "Mozilla/5.0 Edge",
    );
    push(
        &mut c,
        t + 3600,
        "40.94.25.7",
        "alice@example.com",
        "Mozilla/5.0 Edge",
    );
    push(
        &mut c,
        t + 2,
        "40.94.99.1",
        "bob@example.com",
        "Mozilla/5.0 HeadlessChrome",
    );
    push(&mut c, t + 9, "192.0.2.1", "carol@example.com", "curl/8.0");

    let a = sato();
    kb.record(
        Entry::verdict(&a, Key::asn("AS8075").unwrap(), Verdict::Scanner)
            .with_note(Some("Safe Links")),
    )
    .unwrap();
    kb.record(
        Entry::verdict(&a, Key::ip("40.94.25.7").unwrap(), Verdict::Human)
            .with_note(Some("AVD pool")),
    )
    .unwrap();
    kb.record(Entry::access_verdict(
        &a,
        &c,
        &c.accesses[avd_click],
        Verdict::Scanner,
    ))
    .unwrap();

    let fp = fingerprint(&c, &c.accesses[avd_click]);
    let want = vec![
        Some((Verdict::Scanner, format!("access:{fp}"))),
        Some((Verdict::Human, "ip:40.94.25.7".to_string())),
        Some((Verdict::Scanner, "asn:8075".to_string())),
        None,
    ];
    assert_eq!(verdicts(&kb, &c), want);

    // The same answers after a reopen, with sources that say who and when.
    let kb2 = KnowledgeBase::open(tmp.path()).unwrap();
    assert_eq!(verdicts(&kb2, &c), want);
    let r = kb2.resolve(None, ip("40.94.99.1"), Some(8075)).unwrap();
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date();
    let source = r.source.to_string();
    assert!(
        source.starts_with(&format!("rule asn:8075 ({today} ")) && source.ends_with(" UTC, sato)"),
        "{source}"
    );
    assert_eq!(r.source.note.as_deref(), Some("Safe Links"));
    let r = kb2.resolve(Some(fp), ip("40.94.25.7"), Some(8075)).unwrap();
    let source = r.source.to_string();
    assert!(
        source.starts_with(&format!("access ({today} ")) && source.ends_with(" UTC, sato)"),
        "{source}"
    );
    assert!(r.source.is_access());

    // Removing the most specific verdict exposes the next one down.
    kb.record(Entry::removal(&a, Slot::verdict(Key::Access(fp))))
        .unwrap();
    assert_eq!(
        verdicts(&kb, &c)[0],
        Some((Verdict::Human, "ip:40.94.25.7".into()))
    );
    kb.record(Entry::removal(
        &a,
        Slot::verdict(Key::ip("40.94.25.7").unwrap()),
    ))
    .unwrap();
    assert_eq!(
        verdicts(&kb, &c)[0],
        Some((Verdict::Scanner, "asn:8075".into()))
    );
    kb.record(Entry::removal(&a, Slot::verdict(Key::Asn(8075))))
        .unwrap();
    assert_eq!(verdicts(&kb, &c), vec![None; 4]);
    assert_eq!(
        KnowledgeBase::open(tmp.path())
            .map(|k| verdicts(&k, &c))
            .unwrap(),
        vec![None; 4]
    );
}

#[test]
fn longest_prefix_among_nested_networks() {
    let tmp = tempfile::tempdir().unwrap();
    let mut kb = KnowledgeBase::open(tmp.path()).unwrap();
    let a = sato();
    let net = |s: &str| Key::net(s).unwrap();
    kb.record_all(vec![
        Entry::verdict(&a, net("10.0.0.0/8"), Verdict::Scanner),
        Entry::verdict(&a, net("10.1.0.0/16"), Verdict::Human),
        Entry::verdict(&a, net("10.1.2.0/24"), Verdict::Scanner),
        Entry::verdict(&a, net("2001:db8::/32"), Verdict::Human),
        Entry::verdict(&a, Key::Asn(64500), Verdict::Scanner),
    ])
    .unwrap();
    let at = |kb: &KnowledgeBase, s: &str| {
        kb.resolve_ip(ip(s), Some(64500))
            .map(|r| (r.verdict, r.source.key.to_string()))
    };
    assert_eq!(
        at(&kb, "10.1.2.3"),
        Some((Verdict::Scanner, "net:10.1.2.0/24".into()))
    );
    assert_eq!(
        at(&kb, "10.1.3.3"),
        Some((Verdict::Human, "net:10.1.0.0/16".into()))
    );
    assert_eq!(
        at(&kb, "10.2.0.1"),
        Some((Verdict::Scanner, "net:10.0.0.0/8".into()))
    );
    assert_eq!(
        at(&kb, "::ffff:10.1.3.3"),
        Some((Verdict::Human, "net:10.1.0.0/16".into()))
    );
    assert_eq!(
        at(&kb, "2001:db8:5::1"),
        Some((Verdict::Human, "net:2001:db8::/32".into()))
    );
    assert_eq!(
        at(&kb, "192.0.2.1"),
        Some((Verdict::Scanner, "asn:64500".into()))
    );
    kb.record(Entry::removal(&a, Slot::verdict(net("10.1.2.0/24"))))
        .unwrap();
    assert_eq!(
        at(&kb, "10.1.2.3"),
        Some((Verdict::Human, "net:10.1.0.0/16".into()))
    );
    // A network rule, however wide, beats the AS rule; an IP rule beats both.
    kb.record(Entry::verdict(
        &a,
        Key::ip("10.1.2.3").unwrap(),
        Verdict::Scanner,
    ))
    .unwrap();
    assert_eq!(
        at(&kb, "10.1.2.3"),
        Some((Verdict::Scanner, "ip:10.1.2.3".into()))
    );
}

#[test]
fn longest_prefix_matches_a_linear_scan_over_thousands_of_rules() {
    let tmp = tempfile::tempdir().unwrap();
    let mut kb = KnowledgeBase::open(tmp.path()).unwrap();
    let a = sato();
    // A fixed pseudo-random sequence, so a failure can be reproduced.
    let mut rng = Rng::xorshift64(0x9e37_79b9_7f4a_7c15);
    let mut next = move || rng.next_u64();
    let mut nets = Vec::new();
    for _ in 0..3000 {
        let len = [8u8, 12, 16, 20, 22, 24, 28, 32][(next() % 8) as usize];
        // Few distinct leading bits, so networks nest often.
        let addr = ((next() as u32) & 0x0F0F_FFFF)
            & u32::MAX.checked_shl(32 - u32::from(len)).unwrap_or(0);
        let net = ipnetwork::Ipv4Network::new(addr.into(), len).unwrap();
        let verdict = if next() % 2 == 0 {
            Verdict::Human
        } else {
            Verdict::Scanner
        };
        nets.push((net, verdict));
    }
    let entries = nets
        .iter()
        .map(|(n, v)| Entry::verdict(&a, Key::from_network((*n).into()).unwrap(), *v))
        .collect();
    kb.record_all(entries).unwrap();
    for _ in 0..2000 {
        let probe = std::net::Ipv4Addr::from((next() as u32) & 0x0F0F_FFFF);
        // A later duplicate of a network replaces the earlier one, and
        // `max_by_key` returns the last of equal maxima.
        let expected = nets
            .iter()
            .filter(|(n, _)| n.contains(probe))
            .max_by_key(|(n, _)| n.prefix())
            .map(|(n, v)| (*v, format!("net:{n}")));
        let got = kb
            .resolve_ip(IpAddr::V4(probe), None)
            .map(|r| (r.verdict, r.source.key.to_string()));
        assert_eq!(got, expected, "{probe}");
    }
}

#[test]
fn notes_ip_beats_network_and_longest_network_wins() {
    let tmp = tempfile::tempdir().unwrap();
    let mut kb = KnowledgeBase::open(tmp.path()).unwrap();
    let a = sato();
    kb.record_all(vec![
        Entry::owner_note(
            &a,
            Key::net("192.0.2.0/24").unwrap(),
            "head office",
            Some(Verdict::Human),
        )
        .unwrap(),
        Entry::owner_note(&a, Key::net("192.0.2.128/25").unwrap(), "guest wifi", None).unwrap(),
        Entry::owner_note(
            &a,
            Key::ip("192.0.2.200").unwrap(),
            "proxy",
            Some(Verdict::Human),
        )
        .unwrap(),
    ])
    .unwrap();
    let kb = KnowledgeBase::open(tmp.path()).unwrap();
    let text = |s: &str| kb.note_for(ip(s)).map(|n| (n.text.to_string(), n.hint));
    assert_eq!(
        text("192.0.2.1"),
        Some(("head office".into(), Some(Verdict::Human)))
    );
    assert_eq!(text("192.0.2.130"), Some(("guest wifi".into(), None)));
    assert_eq!(
        text("::ffff:192.0.2.200"),
        Some(("proxy".into(), Some(Verdict::Human)))
    );
    assert_eq!(text("198.51.100.1"), None);
    // Notes are no verdicts.
    assert_eq!(kb.resolve_ip(ip("192.0.2.200"), None), None);
}

#[test]
fn owner_cache_answers_without_a_database() {
    let tmp = tempfile::tempdir().unwrap();
    let owner = Owner {
        network: Some("40.94.0.0/16".parse().unwrap()),
        asn: Some(8075),
        as_org: Some("MICROSOFT-CORP-MSN-AS-BLOCK".into()),
        country_code: Some("US".into()),
        sources: vec![0],
        ..Owner::default()
    };
    let built: jiff::Timestamp = "2026-09-01T00:00:00Z".parse().unwrap();
    let cached =
        CachedOwner::from_owner(&owner, vec![CachedSource::new("GeoLite2-ASN", Some(built))])
            .unwrap();
    {
        let mut kb = KnowledgeBase::open(tmp.path()).unwrap();
        assert!(kb.owner_changed(ip("40.94.25.7"), &cached));
        kb.record(Entry::owner(&sato(), ip("40.94.25.7"), cached.clone()))
            .unwrap();
        assert!(!kb.owner_changed(ip("40.94.25.7"), &cached));
    }
    // A later process, with no database at all.
    let kb = KnowledgeBase::open(tmp.path()).unwrap();
    let found = kb.cached_owner(ip("::ffff:40.94.25.7")).unwrap();
    assert_eq!(
        found.to_owner(),
        Owner {
            sources: vec![],
            ..owner
        }
    );
    assert_eq!(&*found.sources[0].database, "GeoLite2-ASN");
    assert_eq!(found.sources[0].built, Some(built));
    // Kept for the database's network, so its neighbours are known too; the
    // journal holds no owner line.
    assert_eq!(kb.cached_owner(ip("40.94.25.8")), Some(found));
    assert!(kb.cached_owner(ip("40.95.0.1")).is_none());
    assert!(kb.entries().is_empty());
    assert_eq!(kb.owner_entries()[0].analyst(), "sato");
}

#[test]
fn knowledge_base_can_live_on_another_thread() {
    // The review screen loads and writes off the UI thread.
    fn send_sync<T: Send + Sync>() {}
    send_sync::<KnowledgeBase>();
    send_sync::<whoclicked::kb::CampaignVerdicts>();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("kb");
    let kb = std::thread::spawn(move || {
        let mut kb = KnowledgeBase::open(&dir).unwrap();
        kb.record(Entry::verdict(&sato(), Key::Asn(8075), Verdict::Scanner))
            .unwrap();
        kb
    })
    .join()
    .unwrap();
    assert!(kb.resolve_ip(ip("40.94.0.1"), Some(8075)).is_some());
}
