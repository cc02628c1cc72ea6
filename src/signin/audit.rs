//! One Unified Audit Log record from its `AuditData` JSON: the time
//! (`CreationTime`, UTC without a zone), the operation, the account, the
//! client address (`ClientIP`, `ClientIPAddress`, `ActorIpAddress`, in any
//! of the forms [`super::client_ip`] reads), the client (`ClientInfoString`,
//! the User-Agent in `ExtendedProperties`), the session, and for mail
//! operations the sent item's Message-ID and subject, or what an inbox rule
//! or mailbox forwarding does (`Parameters`, `OperationProperties`). The
//! CSV and JSON-lines readers both come here.

use serde::Deserialize;

use super::client_ip::{ClientIp, parse_client_ip};
use super::event::{Event, MailRule, OpKind, Outcome};
use super::sink::Sink;
use crate::input::file_ctx::excerpt;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NameValue {
    #[serde(rename = "Name", alias = "name")]
    name: String,
    #[serde(rename = "Value", alias = "value")]
    value: serde_json::Value,
}

impl NameValue {
    fn text(&self) -> String {
        match &self.value {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Null => String::new(),
            other => other.to_string(),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Item {
    #[serde(rename = "Subject")]
    subject: Option<String>,
    #[serde(rename = "InternetMessageId")]
    internet_message_id: Option<String>,
}

/// The fields of `AuditData` whoclicked reads; the rest is kept raw.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AuditData {
    #[serde(rename = "CreationTime")]
    creation_time: Option<String>,
    #[serde(rename = "Operation")]
    operation: Option<String>,
    #[serde(rename = "Workload")]
    workload: Option<String>,
    #[serde(rename = "UserId")]
    user_id: Option<String>,
    #[serde(rename = "MailboxOwnerUPN")]
    mailbox_owner_upn: Option<String>,
    #[serde(rename = "ResultStatus")]
    result_status: Option<String>,
    #[serde(rename = "ClientIP", alias = "ClientIp")]
    client_ip: Option<String>,
    #[serde(rename = "ClientIPAddress", alias = "ClientIpAddress")]
    client_ip_address: Option<String>,
    #[serde(rename = "ActorIpAddress")]
    actor_ip_address: Option<String>,
    #[serde(rename = "ClientInfoString")]
    client_info_string: Option<String>,
    #[serde(rename = "UserAgent")]
    user_agent: Option<String>,
    #[serde(rename = "SessionId")]
    session_id: Option<String>,
    #[serde(rename = "ErrorNumber")]
    error_number: Option<serde_json::Value>,
    #[serde(rename = "LogonError")]
    logon_error: Option<String>,
    #[serde(rename = "ExtendedProperties")]
    extended_properties: Vec<NameValue>,
    #[serde(rename = "DeviceProperties")]
    device_properties: Vec<NameValue>,
    #[serde(rename = "Parameters")]
    parameters: Vec<NameValue>,
    #[serde(rename = "OperationProperties")]
    operation_properties: Vec<NameValue>,
    #[serde(rename = "Item")]
    item: Option<Item>,
}

/// What the CSV row says beside `AuditData`, used where `AuditData` is silent.
#[derive(Debug, Default)]
pub struct Fallback<'a> {
    pub time: Option<&'a str>,
    pub user: Option<&'a str>,
    pub operation: Option<&'a str>,
}

/// Reads one record into an event, or reports why it cannot be read.
/// `column` names where the JSON sat (`AuditData`, or none for JSON lines).
pub fn read_audit(
    sink: &mut Sink<'_>,
    line: u64,
    column: Option<&str>,
    json: &str,
    fallback: &Fallback<'_>,
) -> Option<Event> {
    let data: AuditData = match serde_json::from_str(json) {
        Ok(d) => d,
        Err(e) => {
            let reason = if json.trim_start().starts_with('{') {
                format!("is not valid JSON ({e})")
            } else {
                format!("is not JSON: {}", excerpt(json))
            };
            sink.issue(line, column, reason);
            return None;
        }
    };
    let time_text = data
        .creation_time
        .as_deref()
        .or(fallback.time)
        .unwrap_or("");
    let time = match sink.time(time_text) {
        Ok(t) => t,
        Err(reason) => {
            let field = if data.creation_time.is_some() {
                "CreationTime"
            } else {
                "CreationDate"
            };
            sink.issue(line, Some(field), format!("the time {reason}"));
            return None;
        }
    };
    let account = data
        .user_id
        .as_deref()
        .filter(|u| !u.trim().is_empty())
        .or(data.mailbox_owner_upn.as_deref())
        .or(fallback.user)
        .unwrap_or("");
    let mut event = sink.event(line, time, account);
    let operation = data
        .operation
        .as_deref()
        .or(fallback.operation)
        .unwrap_or("");
    event.kind = OpKind::of_operation(operation);
    event.operation = sink.text(operation);
    event.app = sink.text(data.workload.as_deref().unwrap_or(""));
    event.outcome = outcome(&data, operation);
    if event.outcome == Outcome::Failure {
        let code = data
            .error_number
            .as_ref()
            .map(|v| v.to_string().trim_matches('"').to_string());
        let detail =
            property(&data.extended_properties, "ResultStatusDetail").or(data.logon_error.clone());
        event.failure = match (code, detail) {
            (Some(c), Some(d)) => Some(format!("{c} {d}")),
            (Some(c), None) => Some(c),
            (None, d) => d,
        };
    }
    for (name, text) in [
        ("ClientIP", &data.client_ip),
        ("ClientIPAddress", &data.client_ip_address),
        ("ActorIpAddress", &data.actor_ip_address),
    ] {
        let Some(text) = text else { continue };
        match parse_client_ip(text) {
            ClientIp::Address(ip) => {
                event.ip = Some(ip);
                break;
            }
            ClientIp::Absent => {}
            ClientIp::Unreadable => {
                let at = format!("AuditData.{name}");
                sink.issue(
                    line,
                    Some(&at),
                    format!(
                        "{} is not an IP address; the event is kept without one",
                        excerpt(text)
                    ),
                );
            }
        }
    }
    let ua = data
        .user_agent
        .clone()
        .or_else(|| property(&data.extended_properties, "UserAgent"))
        .unwrap_or_default();
    event.user_agent = sink.text(&ua);
    event.client = sink.text(data.client_info_string.as_deref().unwrap_or(""));
    let os = property(&data.device_properties, "OS").unwrap_or_default();
    let browser = property(&data.device_properties, "BrowserType").unwrap_or_default();
    event.device = sink.text(&join_nonempty(&[&os, &browser]));
    let session = data
        .session_id
        .clone()
        .or_else(|| property(&data.device_properties, "SessionId"))
        .unwrap_or_default();
    event.session = sink.text(&session);
    if let Some(item) = &data.item {
        event.message_id = item
            .internet_message_id
            .as_deref()
            .map(|m| {
                m.trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_string()
            })
            .filter(|m| !m.is_empty());
        event.subject = item.subject.clone();
    }
    if matches!(event.kind, OpKind::InboxRule | OpKind::Forwarding) {
        event.rule = mail_rule(&data, operation);
        if event.kind == OpKind::Forwarding && event.rule.is_none() {
            // A Set-Mailbox that changed no forwarding is no forwarding.
            event.kind = OpKind::Other;
        }
    }
    if sink.keep_raw {
        event.raw = Some(json.trim().into());
    }
    Some(event)
}

fn outcome(data: &AuditData, operation: &str) -> Outcome {
    if operation.eq_ignore_ascii_case("UserLoginFailed") {
        return Outcome::Failure;
    }
    match data
        .result_status
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("succeeded" | "success" | "true" | "partiallysucceeded") => Outcome::Success,
        Some("failed" | "failure" | "false") => Outcome::Failure,
        _ if operation.eq_ignore_ascii_case("UserLoggedIn") => Outcome::Success,
        _ => Outcome::Unknown,
    }
}

fn property(list: &[NameValue], name: &str) -> Option<String> {
    list.iter()
        .find(|p| p.name.eq_ignore_ascii_case(name))
        .map(NameValue::text)
        .filter(|t| !t.is_empty())
}

fn join_nonempty(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

fn truthy(text: &str) -> bool {
    matches!(
        text.trim().to_ascii_lowercase().as_str(),
        "true" | "1" | "$true"
    )
}

/// The addresses in a forwarding parameter: `x@example.net`,
/// `smtp:x@example.net`, `"Name" [SMTP:x@example.net]`, several separated
/// by `;` or `,`.
pub fn addresses_in(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || matches!(c, ';' | ',' | '[' | ']' | '"' | '<' | '>'))
        .filter(|w| w.contains('@'))
        .map(|w| {
            let w = w.trim_matches(|c: char| c == '\'' || c == '(' || c == ')');
            let w = w.split_once(':').map_or(w, |(scheme, rest)| {
                if scheme.eq_ignore_ascii_case("smtp") {
                    rest
                } else {
                    w
                }
            });
            w.to_lowercase()
        })
        .filter(|w| w.len() > 2)
        .collect()
}

/// What an inbox rule or mailbox forwarding does; `None` when the record
/// shows nothing of it (a Set-Mailbox that changed other settings).
fn mail_rule(data: &AuditData, operation: &str) -> Option<MailRule> {
    let mut rule = MailRule {
        removed: operation.to_ascii_lowercase().starts_with("remove-"),
        ..MailRule::default()
    };
    let mut any = rule.removed;
    for p in data.parameters.iter().chain(&data.operation_properties) {
        let value = p.text();
        match p.name.to_ascii_lowercase().as_str() {
            "name" | "rulename" => rule.name = Some(value),
            "forwardto"
            | "forwardasattachmentto"
            | "redirectto"
            | "forwardingsmtpaddress"
            | "forwardingaddress" => {
                let found = addresses_in(&value);
                if found.is_empty() && !value.trim().is_empty() {
                    // ForwardingAddress may name a mail contact, not an address.
                    rule.forward_to.push(value.trim().to_string());
                } else {
                    rule.forward_to.extend(found);
                }
                any = true;
            }
            "deletemessage" | "softdeletemessage" if truthy(&value) => {
                rule.deletes = true;
                any = true;
            }
            "markasread" if truthy(&value) => {
                rule.marks_read = true;
                any = true;
            }
            "movetofolder" | "copytofolder" if !value.trim().is_empty() => {
                rule.moves_to = Some(value.trim().to_string());
                any = true;
            }
            // Rules made in Outlook (`UpdateInboxRules`) list their actions as text.
            "ruleactions" => {
                let lower = value.to_ascii_lowercase();
                if lower.contains("forward") || lower.contains("redirect") {
                    rule.forward_to.extend(addresses_in(&value));
                    if rule.forward_to.is_empty() {
                        rule.forward_to.push("(forward)".to_string());
                    }
                }
                rule.deletes |= lower.contains("delete");
                rule.marks_read |= lower.contains("markasread");
                rule.moves_to = rule.moves_to.clone().or_else(|| {
                    lower
                        .contains("movetofolder")
                        .then(|| "(folder)".to_string())
                });
                any = true;
            }
            "delivertomailboxandforward" => any = true,
            _ => {}
        }
    }
    if operation.to_ascii_lowercase().ends_with("inboxrule") || operation == "UpdateInboxRules" {
        any = true;
    }
    any.then_some(rule)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::DateOrder;
    use crate::signin::sink::{Issue, Strings};

    fn read(json: &str) -> (Option<Event>, Vec<Issue>) {
        let (mut events, mut issues, mut strings) = (Vec::new(), Vec::new(), Strings::default());
        let mut sink = Sink::new(
            0,
            &mut events,
            &mut issues,
            &mut strings,
            true,
            DateOrder::YearFirst,
        );
        let e = read_audit(&mut sink, 7, Some("AuditData"), json, &Fallback::default());
        (e, issues)
    }

    #[test]
    fn an_inbox_rule_that_forwards_outside() {
        let (e, issues) = read(
            r#"{"CreationTime":"2025-03-04T01:05:12","Operation":"New-InboxRule","Workload":"Exchange","UserId":"Taro@Example.co.jp","ClientIP":"[203.0.113.9]:50122","Parameters":[{"Name":"Name","Value":"."},{"Name":"ForwardTo","Value":"x@example.net"},{"Name":"MarkAsRead","Value":"True"}],"ResultStatus":"True"}"#,
        );
        assert!(issues.is_empty(), "{issues:?}");
        let e = e.unwrap();
        assert_eq!(e.kind, OpKind::InboxRule);
        assert_eq!(&*e.account, "taro@example.co.jp");
        assert_eq!(e.ip, Some("203.0.113.9".parse().unwrap()));
        assert_eq!(e.time.as_seconds(), 1_741_050_312);
        let rule = e.rule.unwrap();
        assert_eq!(rule.name.as_deref(), Some("."));
        assert_eq!(rule.forward_to, ["x@example.net"]);
        assert!(rule.marks_read && !rule.deletes);
    }

    #[test]
    fn a_send_with_its_message_id_and_a_viaproxy_client() {
        let (e, _) = read(
            r#"{"CreationTime":"2025-03-04T01:06:40","Operation":"Send","Workload":"Exchange","MailboxOwnerUPN":"taro@example.co.jp","ClientIPAddress":"2001:db8:51:7::23","ClientInfoString":"Client=OWA;Action=ViaProxy","LogonType":0,"Item":{"Subject":"請求書","InternetMessageId":"<OS3PR01@OS3PR01.jpnprd01.prod.outlook.com>"}}"#,
        );
        let e = e.unwrap();
        assert_eq!(e.kind, OpKind::Send);
        assert_eq!(&*e.account, "taro@example.co.jp");
        assert_eq!(
            e.message_id.as_deref(),
            Some("OS3PR01@OS3PR01.jpnprd01.prod.outlook.com")
        );
        assert_eq!(e.subject.as_deref(), Some("請求書"));
        assert_eq!(&*e.client, "Client=OWA;Action=ViaProxy");
    }

    #[test]
    fn a_failed_logon_with_its_reason_and_agent() {
        let (e, _) = read(
            r#"{"CreationTime":"2025-03-04T00:50:00","Operation":"UserLoginFailed","UserId":"taro@example.co.jp","ClientIP":"198.51.100.7","ErrorNumber":"50126","ExtendedProperties":[{"Name":"UserAgent","Value":"python-requests/2.31"},{"Name":"ResultStatusDetail","Value":"InvalidUserNameOrPassword"}]}"#,
        );
        let e = e.unwrap();
        assert!(e.is_sign_in_failure());
        assert_eq!(
            e.failure.as_deref(),
            Some("50126 InvalidUserNameOrPassword")
        );
        assert_eq!(&*e.user_agent, "python-requests/2.31");
    }

    #[test]
    fn bad_json_and_bad_addresses_are_named() {
        let (e, issues) = read("Send to everyone");
        assert!(e.is_none());
        assert_eq!(issues[0].line, 7);
        assert_eq!(issues[0].column.as_deref(), Some("AuditData"));
        assert!(
            issues[0].reason.contains("is not JSON"),
            "{}",
            issues[0].reason
        );
        let (e, issues) = read(
            r#"{"CreationTime":"2025-03-04T01:06:40","Operation":"Send","ClientIP":"proxy.example"}"#,
        );
        assert!(e.unwrap().ip.is_none());
        assert_eq!(issues[0].column.as_deref(), Some("AuditData.ClientIP"));
        let (e, issues) = read(r#"{"CreationTime":"yesterday","Operation":"Send"}"#);
        assert!(e.is_none());
        assert_eq!(issues[0].column.as_deref(), Some("CreationTime"));
    }

    #[test]
    fn forwarding_addresses_in_their_spellings() {
        assert_eq!(addresses_in("smtp:X@Example.net"), ["x@example.net"]);
        assert_eq!(
            addresses_in(r#""Ext" [SMTP:a@b.example];c@d.example"#),
            ["a@b.example", "c@d.example"]
        );
    }
}
