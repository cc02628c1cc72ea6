//! Method and event evidence: HEAD (and other non-page methods) are link
//! checks, never clicks; a report is a person's action; a form submission
//! leans human only a little, since scanners that run JavaScript submit too.

use crate::model::{Access, Campaign, Event};
use crate::signals::evidence::{Evidence, Fact};
use crate::signals::signatures::{Signatures, Weight};

pub fn method_evidence(
    access: &Access,
    campaign: &Campaign,
    sigs: &Signatures,
    out: &mut Vec<Evidence>,
) {
    match access.event {
        Event::Report => out.push(Evidence {
            weight: sigs.weight(Weight::EventReport),
            fact: Fact::Reported,
        }),
        Event::Submit => out.push(Evidence {
            weight: sigs.weight(Weight::EventSubmit),
            fact: Fact::Submitted,
        }),
        Event::Click | Event::Open => {}
    }
    if access.method.is_empty() {
        return;
    }
    let method = campaign.strings.get(access.method);
    if method.eq_ignore_ascii_case("HEAD") {
        out.push(Evidence {
            weight: sigs.weight(Weight::MethodHead),
            fact: Fact::Head,
        });
    } else if !(method.eq_ignore_ascii_case("GET") || method.eq_ignore_ascii_case("POST")) {
        out.push(Evidence {
            weight: sigs.weight(Weight::MethodOther),
            fact: Fact::OtherMethod(access.method),
        });
    }
}

/// True for accesses a browser makes when a page is shown (not HEAD/OPTIONS).
pub fn is_page_fetch(access: &Access, campaign: &Campaign) -> bool {
    if access.method.is_empty() {
        return true;
    }
    let m = campaign.strings.get(access.method);
    m.eq_ignore_ascii_case("GET") || m.eq_ignore_ascii_case("POST")
}
