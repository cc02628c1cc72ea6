//! Sessions: a person's visit is several requests from one browser spread
//! over seconds to minutes — the link, then the form, or the link again
//! after a while; in GoPhish the mail's images, then the link. A scanner
//! fetches a recipient's link once from an address, or a few times within
//! a few seconds (a HEAD before the GET, a detonation that submits the form
//! as soon as the page ran); a re-scan comes hours later. So two accesses
//! for one recipient from one address between half a minute and half an
//! hour apart are a person's session.

use crate::model::{Campaign, Event};
use crate::signals::evidence::{Evidence, Fact};
use crate::signals::signatures::{Signatures, Tunable, Weight};

/// For every access a browser made (`browser`, by `UaId`): the gap in
/// seconds to the nearest other such access of the same recipient from the
/// same address, when that gap makes a session; else `None`. Mail clients
/// and tools on the same machine are left out: Outlook checking the link
/// is no part of the person's visit, whatever the person did next.
pub fn sessions(
    campaign: &Campaign,
    by_ip_time: &[u32],
    browser: &[bool],
    sigs: &Signatures,
) -> Vec<Option<f32>> {
    let accesses = &campaign.accesses;
    let mut out = vec![None; accesses.len()];
    let min = f64::from(sigs.tuning(Tunable::SessionMinSeconds).max(0.0));
    let max = f64::from(sigs.tuning(Tunable::SessionMaxSeconds).max(0.0));
    let order = super::order::by_recipient_ip_time(accesses, by_ip_time, |a| {
        a.recipient().is_some() && a.event != Event::Report && browser[a.user_agent.index()]
    });
    let key = |i: u32| {
        let a = &accesses[i as usize];
        (a.recipient_raw, a.ip)
    };
    for group in order.chunk_by(|&a, &b| key(a) == key(b)) {
        for pair in group.windows(2) {
            let (a, b) = (pair[0] as usize, pair[1] as usize);
            let gap = accesses[b].time.seconds_since(accesses[a].time);
            if (min..=max).contains(&gap) {
                for i in [a, b] {
                    let gap = gap as f32;
                    out[i] = Some(out[i].map_or(gap, |g: f32| g.min(gap)));
                }
            }
        }
    }
    out
}

/// The evidence of an access in a session, `gap` seconds from the other
/// access of it ([`sessions`]).
pub fn session_evidence(gap: f32, sigs: &Signatures) -> Evidence {
    Evidence {
        weight: sigs.weight(Weight::RecipientSession),
        fact: Fact::Session { gap },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{NewAccess, Timestamp};

    #[test]
    fn a_click_then_the_form_is_a_session_and_a_fetch_burst_is_not() {
        let sigs = Signatures::builtin().unwrap();
        let mut c = Campaign::new();
        let file = c.add_file("t", crate::model::LogFormat::Native);
        let mut add = |secs: i64, ip: &str, who: &str, event: Event| {
            c.add_access(
                file,
                NewAccess {
                    time: Timestamp::from_seconds(secs).unwrap(),
                    ip: ip.parse().unwrap(),
                    recipient: Some(who),
                    event,
                    ..NewAccess::default()
                },
            );
        };
        // A person: the link, then the form 70 s later.
        add(1_000, "198.51.100.7", "alice", Event::Click);
        add(1_070, "198.51.100.7", "alice", Event::Submit);
        // A scanner: the page and its form within seconds, and a re-scan hours later.
        add(1_000, "203.0.113.9", "bob", Event::Click);
        add(1_003, "203.0.113.9", "bob", Event::Submit);
        add(9_000, "203.0.113.9", "bob", Event::Click);
        // Another recipient from the person's address: no session of alice's.
        add(1_040, "198.51.100.7", "carol", Event::Click);
        let s = sessions(
            &c,
            &super::super::order::by_ip_time(&c.accesses),
            &[true],
            &sigs,
        );
        assert_eq!(s[..2], [Some(70.0), Some(70.0)]);
        assert!(s[2..].iter().all(Option::is_none), "{s:?}");
    }
}
