//! Who the analyst is when they do not say: the login name from the
//! environment (`USER`, `LOGNAME`; `USERNAME` on Windows), else the name the
//! system gives the process's account, so that a cron job or a container
//! without those variables still records a person, not "unknown".

use std::path::Path;

/// The login name, else the account's name, else `uid N`, else `unknown`.
pub fn login_name() -> String {
    let from_env = ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .filter_map(|var| std::env::var(var).ok())
        .map(|v| v.trim().to_string())
        .find(|v| !v.is_empty());
    from_env
        .or_else(account_name)
        .unwrap_or_else(|| "unknown".to_string())
}

/// The name of the account the process runs as: its entry in the password
/// file, else its number (`uid 1000`), which still tells accounts apart.
#[cfg(unix)]
fn account_name() -> Option<String> {
    let uid = rustix::process::getuid().as_raw();
    let passwd = std::fs::read_to_string(Path::new("/etc/passwd")).ok();
    Some(
        passwd
            .as_deref()
            .and_then(|text| name_of(text, uid))
            .unwrap_or_else(|| format!("uid {uid}")),
    )
}

#[cfg(not(unix))]
fn account_name() -> Option<String> {
    let _ = Path::new("");
    None
}

/// The name of `uid` in a password file's text (`name:x:uid:gid:…`).
#[cfg_attr(not(unix), allow(dead_code))]
fn name_of(passwd: &str, uid: u32) -> Option<String> {
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?.trim();
        let id: u32 = fields.nth(1)?.trim().parse().ok()?;
        (id == uid && !name.is_empty() && !name.starts_with('#')).then(|| name.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_file_names_the_account() {
        let passwd = "# comment\nroot:x:0:0:root:/root:/bin/bash\nsato:x:1000:1000:Sato:/home/sato:/bin/sh\n";
        assert_eq!(name_of(passwd, 1000).as_deref(), Some("sato"));
        assert_eq!(name_of(passwd, 0).as_deref(), Some("root"));
        assert_eq!(name_of(passwd, 42), None);
        assert_eq!(name_of("broken line\n", 0), None);
    }
}
