//! Timing evidence: seconds from the recipient's delivery to the access.
//! Gateways fetch within seconds to a couple of minutes; people read mail
//! minutes to days later. A delay measured from an estimated delivery
//! counts for less, and says it is an estimate. Where delivery is unknown
//! and the access came in a send wave, the wave says it came with the send.

use super::waves::Delivery;
use crate::model::{Access, Event};
use crate::signals::evidence::{Evidence, Fact};
use crate::signals::signatures::{Signatures, Tunable, Weight};

/// An access within seconds of its recipient's first access, which came in
/// send wave number `wave` (delivery unknown).
pub fn wave_evidence(wave: u32, sigs: &Signatures) -> Evidence {
    Evidence {
        weight: sigs.weight(Weight::SendWave),
        fact: Fact::InWave { wave },
    }
}

/// The delay after `delivery`.
pub fn timing_evidence(
    access: &Access,
    delivery: Option<Delivery>,
    sigs: &Signatures,
    out: &mut Vec<Evidence>,
) {
    // When a report arrives says nothing about who clicked.
    if access.event == Event::Report {
        return;
    }
    let Some(delivery) = delivery else {
        return;
    };
    let seconds = access.time.seconds_since(delivery.at) as f32;
    let factor = if delivery.estimated {
        sigs.tuning(Tunable::EstimatedFactor)
    } else {
        1.0
    };
    if seconds < 0.0 {
        // A gateway that scans while the mail is in transit fetches before
        // the sender logged it as sent; much earlier means the clocks
        // disagree, and then timing says nothing.
        if !delivery.estimated && -seconds <= sigs.tuning(Tunable::BeforeDeliverySeconds) {
            out.push(Evidence {
                weight: sigs.weight(Weight::BeforeDelivery),
                fact: Fact::BeforeDelivery { seconds: -seconds },
            });
        }
        return;
    }
    out.push(Evidence {
        weight: sigs.timing_weight(seconds) * factor,
        fact: Fact::Delay {
            seconds,
            estimated: delivery.estimated,
        },
    });
}
