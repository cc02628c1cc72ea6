//! The JSON exports, record by record ([`super::json_items`]): Entra
//! sign-ins (the portal's JSON download, Graph `auditLogs/signIns` pages),
//! the audit log as JSON lines or arrays (an `AuditData` object, or a
//! record carrying `AuditData` as an object or a string), and Google
//! Workspace login activity (Reports API: one event per entry of `events`).

use std::io::BufRead;

use serde::Deserialize;

use super::LogKind;
use super::audit::{Fallback, read_audit};
use super::client_ip::{ClientIp, parse_client_ip};
use super::entra_csv::outcome as entra_outcome;
use super::event::{OpKind, Outcome};
use super::json_items::{JsonItems, Piece};
use super::sink::Sink;
use crate::input::file_ctx::excerpt;

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Geo {
    latitude: Option<f64>,
    longitude: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Location {
    city: Option<String>,
    state: Option<String>,
    country_or_region: Option<String>,
    geo_coordinates: Option<Geo>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Status {
    error_code: Option<i64>,
    failure_reason: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct DeviceDetail {
    device_id: Option<String>,
    operating_system: Option<String>,
    browser: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct MfaDetail {
    auth_method: Option<String>,
    auth_detail: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct EntraSignIn {
    created_date_time: Option<String>,
    user_principal_name: Option<String>,
    app_display_name: Option<String>,
    resource_display_name: Option<String>,
    client_app_used: Option<String>,
    ip_address: Option<String>,
    autonomous_system_number: Option<u32>,
    location: Option<Location>,
    status: Option<Status>,
    device_detail: Option<DeviceDetail>,
    user_agent: Option<String>,
    correlation_id: Option<String>,
    session_id: Option<String>,
    mfa_detail: Option<MfaDetail>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct GoogleId {
    time: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct GoogleActor {
    email: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct NetworkInfo {
    ip_asn: Vec<u32>,
    region_code: Option<String>,
    subdivision_code: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct GoogleParameter {
    name: String,
    value: Option<String>,
    bool_value: Option<bool>,
    multi_value: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct GoogleEvent {
    name: String,
    parameters: Vec<GoogleParameter>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct GoogleActivity {
    id: GoogleId,
    actor: GoogleActor,
    ip_address: Option<String>,
    network_info: Option<NetworkInfo>,
    events: Vec<GoogleEvent>,
}

/// Reads every record of a JSON export of `kind` (one of the JSON kinds).
pub fn read(sink: &mut Sink<'_>, input: impl BufRead, kind: LogKind) -> Result<(), String> {
    for piece in JsonItems::new(input) {
        match piece.map_err(|e| e.to_string())? {
            Piece::Problem {
                line,
                column,
                reason,
            } => {
                sink.records += 1;
                sink.issue(line, Some(&format!("column {column}")), reason);
            }
            Piece::Item(item) => {
                sink.records += 1;
                let text = String::from_utf8_lossy(&item.bytes);
                match kind {
                    LogKind::EntraJson => entra(sink, item.line, &text),
                    LogKind::GoogleJson => google(sink, item.line, &text),
                    _ => audit(sink, item.line, &text),
                }
            }
        }
    }
    Ok(())
}

fn parse_error(sink: &mut Sink<'_>, line: u64, e: &serde_json::Error) {
    // serde_json counts lines and columns within the record.
    let at = line + e.line().saturating_sub(1) as u64;
    sink.issue(
        at,
        Some(&format!("column {}", e.column())),
        format!("is not valid JSON ({e})"),
    );
}

fn entra(sink: &mut Sink<'_>, line: u64, text: &str) {
    let r: EntraSignIn = match serde_json::from_str(text) {
        Ok(r) => r,
        Err(e) => return parse_error(sink, line, &e),
    };
    let time = match sink.time(r.created_date_time.as_deref().unwrap_or("")) {
        Ok(t) => t,
        Err(why) => return sink.issue(line, Some("createdDateTime"), format!("the time {why}")),
    };
    let mut event = sink.event(line, time, r.user_principal_name.as_deref().unwrap_or(""));
    event.kind = OpKind::SignIn;
    event.operation = sink.text("Sign-in");
    set_ip(sink, &mut event, line, "ipAddress", r.ip_address.as_deref());
    let app = r
        .app_display_name
        .or(r.resource_display_name)
        .unwrap_or_default();
    event.app = sink.text(&app);
    event.client = sink.text(r.client_app_used.as_deref().unwrap_or(""));
    event.user_agent = sink.text(r.user_agent.as_deref().unwrap_or(""));
    if let Some(status) = r.status {
        event.outcome = match status.error_code {
            Some(0) => Outcome::Success,
            Some(_) => Outcome::Failure,
            None => entra_outcome(status.failure_reason.as_deref().unwrap_or("")),
        };
        if let (Some(code), Outcome::Failure) = (status.error_code, event.outcome) {
            event.failure = Some(
                format!("{code} {}", status.failure_reason.unwrap_or_default())
                    .trim()
                    .to_string(),
            );
        }
    }
    if let Some(d) = r.device_detail {
        let text = [d.operating_system, d.browser, d.device_id]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        event.device = sink.text(&text);
    }
    if let Some(loc) = r.location {
        let country = loc.country_or_region.clone().filter(|c| !c.is_empty());
        let text = [loc.city, loc.state, loc.country_or_region]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        event.location = sink.text(&text);
        event.log_country = country.map(|c| sink.text(&c.to_ascii_uppercase()));
        if let Some(Geo {
            latitude: Some(lat),
            longitude: Some(lon),
        }) = loc.geo_coordinates
        {
            event.coordinates = Some((lat, lon));
        }
    }
    event.log_asn = r.autonomous_system_number.filter(|&a| a != 0);
    let session = r.session_id.or(r.correlation_id).unwrap_or_default();
    event.session = sink.text(&session);
    if let Some(m) = r.mfa_detail {
        let text = [m.auth_method, m.auth_detail]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        event.mfa = sink.text(&text);
    }
    if sink.keep_raw {
        event.raw = Some(text.trim().into());
    }
    sink.events.push(event);
}

fn set_ip(
    sink: &mut Sink<'_>,
    event: &mut super::Event,
    line: u64,
    field: &str,
    text: Option<&str>,
) {
    let Some(text) = text else { return };
    match parse_client_ip(text) {
        ClientIp::Address(ip) => event.ip = Some(ip),
        ClientIp::Absent => {}
        ClientIp::Unreadable => sink.issue(
            line,
            Some(field),
            format!(
                "{} is not an IP address; the event is kept without one",
                excerpt(text)
            ),
        ),
    }
}

/// An audit record: `AuditData` itself, or a record carrying it.
fn audit(sink: &mut Sink<'_>, line: u64, text: &str) {
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return parse_error(sink, line, &e),
    };
    let fallback_text = |k: &str| value.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let (time, user, op) = (
        fallback_text("CreationDate"),
        fallback_text("UserId").or_else(|| fallback_text("UserIds")),
        fallback_text("Operation").or_else(|| fallback_text("Operations")),
    );
    let fallback = Fallback {
        time: time.as_deref(),
        user: user.as_deref(),
        operation: op.as_deref(),
    };
    let event = match value.get("AuditData") {
        Some(serde_json::Value::String(inner)) => {
            read_audit(sink, line, Some("AuditData"), inner, &fallback)
        }
        Some(inner @ serde_json::Value::Object(_)) => {
            read_audit(sink, line, Some("AuditData"), &inner.to_string(), &fallback)
        }
        _ => read_audit(sink, line, None, text, &fallback),
    };
    if let Some(event) = event {
        sink.events.push(event);
    }
}

fn google(sink: &mut Sink<'_>, line: u64, text: &str) {
    let a: GoogleActivity = match serde_json::from_str(text) {
        Ok(a) => a,
        Err(e) => return parse_error(sink, line, &e),
    };
    let time = match sink.time(a.id.time.as_deref().unwrap_or("")) {
        Ok(t) => t,
        Err(why) => return sink.issue(line, Some("id.time"), format!("the time {why}")),
    };
    for ev in &a.events {
        let mut event = sink.event(line, time, a.actor.email.as_deref().unwrap_or(""));
        event.kind = OpKind::of_operation(&ev.name);
        event.operation = sink.text(&ev.name);
        event.outcome = match ev.name.as_str() {
            "login_success" => Outcome::Success,
            "login_failure" => Outcome::Failure,
            _ => Outcome::Unknown,
        };
        set_ip(sink, &mut event, line, "ipAddress", a.ip_address.as_deref());
        event.app = sink.text("Google Workspace");
        let param = |name: &str| {
            ev.parameters.iter().find(|p| p.name == name).map(|p| {
                p.value
                    .clone()
                    .or(p.bool_value.map(|b| b.to_string()))
                    .unwrap_or_else(|| p.multi_value.join(" "))
            })
        };
        event.client = sink.text(&param("login_type").unwrap_or_default());
        event.mfa = sink.text(&param("login_challenge_method").unwrap_or_default());
        if event.outcome == Outcome::Failure {
            event.failure = param("login_failure_type");
        }
        if param("is_suspicious").as_deref() == Some("true") {
            event.failure = Some(
                format!(
                    "{} (Google marked it suspicious)",
                    event.failure.unwrap_or_default()
                )
                .trim()
                .to_string(),
            );
        }
        if let Some(n) = &a.network_info {
            event.log_asn = n.ip_asn.first().copied().filter(|&x| x != 0);
            event.log_country = n
                .region_code
                .as_deref()
                .map(|c| sink.text(&c.to_ascii_uppercase()));
            let loc = [n.subdivision_code.clone(), n.region_code.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ");
            event.location = sink.text(&loc);
        }
        if sink.keep_raw {
            event.raw = Some(text.trim().into());
        }
        sink.events.push(event);
    }
}
