//! The chain from the office's egress address to a person, per access, when
//! the proxy and DHCP logs tied it to a PC: the internal address, the PC's
//! name and MAC address (from the lease), the proxy's user, and whether the
//! hosts table says the machine is someone else's. Empty for an access
//! nothing tied.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::Form;
use super::access::AccessField;
use super::rank::MISSING;
use crate::review::context::ReviewContext;

/// The text of a chain field for access `i`.
pub fn text<'a>(field: AccessField, ctx: &ReviewContext<'a>, i: u32, form: Form) -> Cow<'a, str> {
    let analysis = ctx.analysis;
    let Some(tie) = analysis.tie(i as usize) else {
        return Cow::Borrowed("");
    };
    let strings = &analysis.campaign.strings;
    match field {
        AccessField::InternalIp => Cow::Owned(tie.client.to_string()),
        AccessField::Pc => Cow::Borrowed(strings.get(tie.host)),
        AccessField::Mac => Cow::Borrowed(strings.get(tie.mac)),
        AccessField::ProxyUser => Cow::Borrowed(strings.get(tie.user)),
        AccessField::OtherMachine => match (&tie.elsewhere, form) {
            (None, _) => Cow::Borrowed(""),
            (Some(owner), Form::Record) => Cow::Owned(owner.clone()),
            (Some(owner), Form::Display) => Cow::Owned(format!("someone else's ({owner})")),
        },
        _ => Cow::Borrowed(""),
    }
}

/// Sort keys: the texts ranked (few distinct values: one per PC), missing last.
pub fn sort_keys(field: AccessField, ctx: &ReviewContext<'_>, rows: &[u32]) -> Vec<u64> {
    let texts: Vec<Cow<'_, str>> = rows
        .iter()
        .map(|&i| text(field, ctx, i, Form::Record))
        .collect();
    let mut rank: BTreeMap<&str, u64> = texts
        .iter()
        .filter(|t| !t.is_empty())
        .map(|t| (t.as_ref(), 0))
        .collect();
    for (r, value) in rank.values_mut().enumerate() {
        *value = r as u64;
    }
    texts
        .iter()
        .map(|t| rank.get(t.as_ref()).copied().unwrap_or(MISSING))
        .collect()
}
