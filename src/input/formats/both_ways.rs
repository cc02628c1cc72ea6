//! For the readers' tests: a file read on one thread and on two, and what
//! the campaign holds, so the two can be compared.

use crate::input::LoadProgress;
use crate::input::bytes::encoding::FieldDecoder;
use crate::input::error::LoadError;
use crate::input::file_ctx::FileCtx;
use crate::input::values::timestamp::TimeParser;
use crate::model::{Campaign, LogFormat};

/// Runs `read` (given the context and whether to use a second thread) in
/// line and threaded, each into a campaign of its own.
pub fn read(
    format: LogFormat,
    read: impl Fn(&mut FileCtx<'_>, bool) -> Result<(), LoadError>,
) -> [(Result<(), String>, Campaign); 2] {
    [false, true].map(|threaded| {
        let mut campaign = Campaign::new();
        let file = campaign.add_file("log", format);
        let progress = LoadProgress::default();
        let mut ctx = FileCtx::new(
            &mut campaign,
            file,
            "log",
            format,
            FieldDecoder::new(encoding_rs::UTF_8),
            TimeParser::new(jiff::tz::TimeZone::UTC),
            &progress,
        );
        let outcome = read(&mut ctx, threaded)
            .and_then(|()| ctx.finish())
            .map_err(|e| e.to_string());
        (outcome, campaign)
    })
}

/// What the campaign holds, in a form two campaigns can be compared by.
pub fn contents(c: &Campaign) -> String {
    let agents: Vec<&str> = c.user_agents.iter().map(|&s| c.strings.get(s)).collect();
    let names: Vec<(&str, &str)> = c
        .recipients
        .iter()
        .map(|r| (c.strings.get(r.name), c.strings.get(r.rid)))
        .collect();
    let extras: Vec<&str> = c.extra_values.iter().map(|&s| c.strings.get(s)).collect();
    format!(
        "{:?}\n{:?}\n{agents:?}\n{:?}\n{names:?}\n{extras:?}\n{:?}\n{:?}\n{}",
        c.accesses,
        c.ips,
        c.recipients,
        c.issues,
        c.files,
        c.strings.len()
    )
}
