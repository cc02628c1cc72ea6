//! Recording what rows say about recipients: who they are, and when the mail
//! reached them, failed to, or was reported.

use crate::model::{Campaign, RecipientId, Timestamp};

/// The recipient named `name`, or known by `rid` when no name is given; the rid
/// is recorded as the recipient's other name. `None` when the row names nobody.
pub fn resolve(campaign: &mut Campaign, name: &str, rid: &str) -> Option<RecipientId> {
    let (name, rid) = (name.trim(), rid.trim());
    let key = if name.is_empty() { rid } else { name };
    if key.is_empty() {
        return None;
    }
    // A landing-page log read earlier knew this person only by the rid.
    if !name.is_empty()
        && !rid.is_empty()
        && campaign.find_recipient(name).is_none()
        && let Some(known) = campaign.find_recipient(rid)
        && campaign
            .strings
            .get(campaign.recipients[known.index()].name)
            == rid
    {
        campaign.name_recipient(known, name);
        campaign.set_recipient_rid(known, rid);
        return Some(known);
    }
    let id = campaign.intern_recipient(key);
    // Most rows repeat a known pairing; skip the extra hash lookup then.
    if !rid.is_empty() && campaign.recipients[id.index()].rid.is_empty() {
        campaign.set_recipient_rid(id, rid);
    }
    Some(id)
}

/// The mail reached the recipient at `at`; the earliest delivery counts.
pub fn mark_sent(campaign: &mut Campaign, id: RecipientId, at: Timestamp) {
    let r = &mut campaign.recipients[id.index()];
    r.sent_at = Some(r.sent_at.map_or(at, |t| t.min(at)));
    r.delivered = true;
}

pub fn mark_send_error(campaign: &mut Campaign, id: RecipientId) {
    let r = &mut campaign.recipients[id.index()];
    r.send_errors = r.send_errors.saturating_add(1);
}

pub fn mark_reported(campaign: &mut Campaign, id: RecipientId) {
    let r = &mut campaign.recipients[id.index()];
    r.reports = r.reports.saturating_add(1);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rid_joins_name_and_earliest_send_wins() {
        let mut c = Campaign::new();
        let a = resolve(&mut c, "alice@example.com", "Uep6fAo").unwrap();
        assert_eq!(resolve(&mut c, "", "Uep6fAo"), Some(a));
        assert_eq!(resolve(&mut c, " ", ""), None);
        mark_sent(&mut c, a, Timestamp::from_nanos(20));
        mark_sent(&mut c, a, Timestamp::from_nanos(10));
        mark_sent(&mut c, a, Timestamp::from_nanos(30));
        mark_send_error(&mut c, a);
        mark_reported(&mut c, a);
        let r = c.recipient(a);
        assert_eq!(r.sent_at, Some(Timestamp::from_nanos(10)));
        assert!(r.delivered);
        assert_eq!((r.send_errors, r.reports), (1, 1));
        assert_eq!(c.strings.get(r.rid), "Uep6fAo");
    }

    #[test]
    fn a_rid_seen_first_takes_the_name_later() {
        let mut c = Campaign::new();
        let first = resolve(&mut c, "", "Uep6fAo").unwrap();
        let named = resolve(&mut c, "alice@example.com", "Uep6fAo").unwrap();
        assert_eq!(first, named);
        assert_eq!(c.recipients.len(), 1);
        assert_eq!(c.strings.get(c.recipient(first).name), "alice@example.com");
        assert_eq!(c.find_recipient("alice@example.com"), Some(first));
        assert_eq!(resolve(&mut c, "", "Uep6fAo"), Some(first));
        // A rid already tied to another name is not taken over.
        let bob = resolve(&mut c, "bob@example.com", "Uep6fAo").unwrap();
        assert_ne!(bob, first);
    }
}
