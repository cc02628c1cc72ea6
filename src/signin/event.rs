//! One event of a sign-in or audit log, whatever format it came from: a
//! sign-in (Entra, the audit log's `UserLoggedIn`, Google's `login_*`) or a
//! mail operation (`Send`, an inbox rule, forwarding, deletions…). Readers
//! fill it; the judgement and the outputs read only this.

use std::net::IpAddr;
use std::sync::Arc;

use crate::model::Timestamp;

/// What kind of thing happened, for filters, summaries and the judgement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OpKind {
    /// A sign-in attempt (its [`Outcome`] says whether it worked).
    SignIn,
    /// A second-factor prompt or challenge on its own line (Google).
    Challenge,
    Logout,
    /// `Send`, `SendAs`, `SendOnBehalf`.
    Send,
    /// `New-`/`Set-`/`Enable-`/`Remove-InboxRule`, `UpdateInboxRules`.
    InboxRule,
    /// `Set-Mailbox` and kin: mailbox-level forwarding.
    Forwarding,
    /// `MailItemsAccessed` (Bind, Sync).
    MailAccess,
    /// `SoftDelete`, `HardDelete`, `MoveToDeletedItems`.
    Delete,
    /// `Add-MailboxPermission`, `Add-RecipientPermission`: someone else let in.
    Permission,
    Other,
}

impl OpKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OpKind::SignIn => "sign-in",
            OpKind::Challenge => "challenge",
            OpKind::Logout => "logout",
            OpKind::Send => "send",
            OpKind::InboxRule => "inbox-rule",
            OpKind::Forwarding => "forwarding",
            OpKind::MailAccess => "mail-access",
            OpKind::Delete => "delete",
            OpKind::Permission => "permission",
            OpKind::Other => "other",
        }
    }

    /// The kind of an operation name as Microsoft 365 and Google write it.
    pub fn of_operation(name: &str) -> OpKind {
        let n = name.trim();
        let eq = |s: &str| n.eq_ignore_ascii_case(s);
        if eq("UserLoggedIn") || eq("UserLoginFailed") || eq("Sign-in") || eq("SignIn") {
            OpKind::SignIn
        } else if n.starts_with("login_")
            || eq("suspicious_login")
            || eq("suspicious_login_less_secure_app")
        {
            match n {
                "login_challenge" | "login_verification" => OpKind::Challenge,
                _ => OpKind::SignIn,
            }
        } else if eq("logout") || eq("UserLoggedOut") {
            OpKind::Logout
        } else if eq("Send") || eq("SendAs") || eq("SendOnBehalf") {
            OpKind::Send
        } else if n.to_ascii_lowercase().ends_with("inboxrule") || eq("UpdateInboxRules") {
            OpKind::InboxRule
        } else if eq("Set-Mailbox") || eq("Set-OwaMailboxPolicy") {
            OpKind::Forwarding
        } else if eq("MailItemsAccessed") {
            OpKind::MailAccess
        } else if eq("SoftDelete") || eq("HardDelete") || eq("MoveToDeletedItems") {
            OpKind::Delete
        } else if eq("Add-MailboxPermission")
            || eq("Add-RecipientPermission")
            || eq("Add-MailboxFolderPermission")
        {
            OpKind::Permission
        } else {
            OpKind::Other
        }
    }
}

/// Whether the operation worked, as the log says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Outcome {
    #[default]
    Unknown,
    Success,
    Failure,
    /// Entra's "Interrupted": a second factor or consent was asked for.
    Interrupted,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Unknown => "",
            Outcome::Success => "success",
            Outcome::Failure => "failure",
            Outcome::Interrupted => "interrupted",
        }
    }
}

/// What an inbox rule or a mailbox's forwarding does, from its parameters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MailRule {
    pub name: Option<String>,
    /// Addresses mail is forwarded or redirected to.
    pub forward_to: Vec<String>,
    pub deletes: bool,
    pub marks_read: bool,
    /// The folder matching mail is moved to.
    pub moves_to: Option<String>,
    /// A removal (`Remove-InboxRule`) or forwarding switched off.
    pub removed: bool,
}

impl MailRule {
    /// `name ".": forward x@example.net, delete, mark read`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if !self.forward_to.is_empty() {
            parts.push(format!("forward to {}", self.forward_to.join(" ")));
        }
        if self.deletes {
            parts.push("delete".to_string());
        }
        if self.marks_read {
            parts.push("mark read".to_string());
        }
        if let Some(folder) = &self.moves_to {
            parts.push(format!("move to {folder}"));
        }
        if self.removed {
            parts.push("removed".to_string());
        }
        let what = parts.join(", ");
        match &self.name {
            Some(name) if what.is_empty() => format!("rule {name:?}"),
            Some(name) => format!("rule {name:?}: {what}"),
            None => what,
        }
    }
}

/// One event. Text that repeats (accounts, applications, clients) is
/// shared, so a million events of a few accounts hold few strings.
#[derive(Clone, Debug)]
pub struct Event {
    /// Index into the investigation's files.
    pub file: u16,
    /// 1-based line where the record starts.
    pub line: u64,
    pub time: Timestamp,
    /// The account, lower case (UPN or e-mail address).
    pub account: Arc<str>,
    pub kind: OpKind,
    /// The operation as the log names it (`UserLoggedIn`, `New-InboxRule`, `login_failure`).
    pub operation: Arc<str>,
    pub outcome: Outcome,
    /// The failure's code and reason, as the log gives them.
    pub failure: Option<String>,
    /// The client's address, as the log gives it (port and brackets dropped).
    pub ip: Option<IpAddr>,
    /// The application or workload (`Office 365 Exchange Online`, `Exchange`).
    pub app: Arc<str>,
    /// The client: `Browser`, `Exchange ActiveSync`, `Client=OWA;Action=ViaProxy`.
    pub client: Arc<str>,
    pub user_agent: Arc<str>,
    /// Device as the log describes it (operating system, browser, device id).
    pub device: Arc<str>,
    /// Location as the log gives it (`Tokyo, Tokyo, JP`).
    pub location: Arc<str>,
    /// The country code the log gives (ISO 3166-1 alpha-2, upper case).
    pub log_country: Option<Arc<str>>,
    /// The AS number the log gives (Entra, Google).
    pub log_asn: Option<u32>,
    /// Latitude and longitude the log gives (Graph `geoCoordinates`).
    pub coordinates: Option<(f64, f64)>,
    /// Session or correlation id, to see one session used from several networks.
    pub session: Arc<str>,
    /// The second factor's result (`MFA requirement satisfied by claim in the token`).
    pub mfa: Arc<str>,
    /// A sent item's Internet Message-ID (`Send`), without the angle brackets.
    pub message_id: Option<String>,
    pub subject: Option<String>,
    pub rule: Option<MailRule>,
    /// The record as it was in the log (JSON or the CSV row), when kept.
    pub raw: Option<Box<str>>,
}

impl Event {
    /// An event with only its place, time and account; readers fill the rest.
    pub fn new(file: u16, line: u64, time: Timestamp, account: Arc<str>) -> Event {
        let empty: Arc<str> = Arc::from("");
        Event {
            file,
            line,
            time,
            account,
            kind: OpKind::Other,
            operation: empty.clone(),
            outcome: Outcome::Unknown,
            failure: None,
            ip: None,
            app: empty.clone(),
            client: empty.clone(),
            user_agent: empty.clone(),
            device: empty.clone(),
            location: empty.clone(),
            log_country: None,
            log_asn: None,
            coordinates: None,
            session: empty.clone(),
            mfa: empty,
            message_id: None,
            subject: None,
            rule: None,
            raw: None,
        }
    }

    /// The account's mail domain (after the `@`), lower case.
    pub fn domain(&self) -> Option<&str> {
        self.account.rsplit_once('@').map(|(_, d)| d)
    }

    /// A successful sign-in (or a sign-in whose outcome the log does not say).
    pub fn is_sign_in_success(&self) -> bool {
        self.kind == OpKind::SignIn && matches!(self.outcome, Outcome::Success)
    }

    pub fn is_sign_in_failure(&self) -> bool {
        self.kind == OpKind::SignIn && self.outcome == Outcome::Failure
    }

    /// The operation shown to people: the log's own name, with what an
    /// inbox rule or forwarding does.
    pub fn operation_text(&self) -> String {
        match &self.rule {
            Some(rule) => format!("{} ({})", self.operation, rule.describe()),
            None => self.operation.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_map_to_kinds() {
        assert_eq!(OpKind::of_operation("UserLoggedIn"), OpKind::SignIn);
        assert_eq!(OpKind::of_operation("login_failure"), OpKind::SignIn);
        assert_eq!(OpKind::of_operation("login_challenge"), OpKind::Challenge);
        assert_eq!(OpKind::of_operation("New-InboxRule"), OpKind::InboxRule);
        assert_eq!(OpKind::of_operation("UpdateInboxRules"), OpKind::InboxRule);
        assert_eq!(OpKind::of_operation("Set-Mailbox"), OpKind::Forwarding);
        assert_eq!(OpKind::of_operation("SendAs"), OpKind::Send);
        assert_eq!(OpKind::of_operation("HardDelete"), OpKind::Delete);
        assert_eq!(OpKind::of_operation("FileAccessed"), OpKind::Other);
    }

    #[test]
    fn a_rule_describes_what_it_does() {
        let rule = MailRule {
            name: Some(".".into()),
            forward_to: vec!["x@example.net".into()],
            marks_read: true,
            ..MailRule::default()
        };
        assert_eq!(
            rule.describe(),
            "rule \".\": forward to x@example.net, mark read"
        );
    }
}
