//! Judged events as rows of the review screen: one sign-in row
//! (`model::RowKind::SignIn`) per event with a client address. Each row's
//! access record carries what every kind of row has (the address, the
//! time, the account as its recipient, the User-Agent as its client text),
//! so the screen's owners, sorting, filters, grouping by address, network
//! and organisation, and knowledge-base labels work on events unchanged;
//! the event's own facts and its judgement go in `Campaign::signins`,
//! which the catalogue's sign-in fields (`review::SignInField`) read.
//! Events without an address (system records) have nothing to look up or
//! label and are left out.

use super::Investigation;
use super::judge::Judged;
use crate::model::{Campaign, LogFormat, NewAccess, RowKind, SignInRow};

/// One campaign of event rows, one source per log file.
pub fn event_campaign(inv: &Investigation, judged: &[Judged]) -> Campaign {
    let mut campaign = Campaign::new();
    campaign.kind = RowKind::SignIn;
    for f in &inv.files {
        campaign.add_file(&f.name, LogFormat::SignIn);
    }
    for (e, j) in inv.events.iter().zip(judged) {
        let Some(ip) = e.ip else { continue };
        let i = campaign.add_access(
            e.file,
            NewAccess {
                time: e.time,
                ip,
                user_agent: &e.user_agent,
                recipient: Some(&e.account),
                method: &e.operation,
                ..NewAccess::default()
            },
        );
        campaign.accesses[i].line = u32::try_from(e.line).unwrap_or(u32::MAX);
        let result = match &e.failure {
            Some(f) => format!("{} {f}", e.outcome.as_str()),
            None => e.outcome.as_str().to_string(),
        };
        campaign.signins.push(SignInRow {
            operation: e.operation_text(),
            kind: e.kind.as_str(),
            result,
            judgement: j.suggestion().as_str(),
            score: j.score,
            why: j.reasons_text(),
            client: e.client.to_string(),
            app: e.app.to_string(),
            device: e.device.to_string(),
            location: e.location.to_string(),
            session: e.session.to_string(),
            message_id: e.message_id.clone().unwrap_or_default(),
            record: e.raw.as_deref().unwrap_or("").to_string(),
        });
    }
    campaign
}
