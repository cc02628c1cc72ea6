//! User-Agent facts: browser, version, OS, OS version and device category,
//! parsed with `woothee` once per distinct User-Agent string.

use std::fmt;

use woothee::parser::Parser;

/// The device class woothee assigns, plus the two states it cannot express.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum UaCategory {
    Pc,
    Smartphone,
    /// Japanese feature phones (docomo, au, SoftBank i-mode style).
    Mobilephone,
    Appliance,
    Crawler,
    /// HTTP libraries and tools woothee knows (curl, Wget, Java…).
    Misc,
    /// A non-empty User-Agent woothee does not recognise.
    #[default]
    Unknown,
    /// No User-Agent at all (empty or `-`).
    Empty,
}

impl UaCategory {
    pub fn as_str(self) -> &'static str {
        match self {
            UaCategory::Pc => "pc",
            UaCategory::Smartphone => "smartphone",
            UaCategory::Mobilephone => "mobilephone",
            UaCategory::Appliance => "appliance",
            UaCategory::Crawler => "crawler",
            UaCategory::Misc => "misc",
            UaCategory::Unknown => "unknown",
            UaCategory::Empty => "empty",
        }
    }

    fn from_woothee(category: &str) -> Self {
        match category {
            "pc" => UaCategory::Pc,
            "smartphone" => UaCategory::Smartphone,
            "mobilephone" => UaCategory::Mobilephone,
            "appliance" => UaCategory::Appliance,
            "crawler" => UaCategory::Crawler,
            "misc" => UaCategory::Misc,
            _ => UaCategory::Unknown,
        }
    }
}

impl fmt::Display for UaCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a User-Agent claims. Empty strings mean "not stated".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UaInfo {
    pub browser: String,
    pub version: String,
    pub os: String,
    pub os_version: String,
    pub category: UaCategory,
}

impl UaInfo {
    /// The major version number of the browser, when it has one (`124` of `124.0.6367.91`).
    pub fn major_version(&self) -> Option<u32> {
        let head = self.version.split('.').next()?;
        head.parse().ok()
    }
}

const UNKNOWN: &str = "UNKNOWN";

fn known(value: &str) -> String {
    if value == UNKNOWN {
        String::new()
    } else {
        value.to_string()
    }
}

/// Parses one User-Agent string.
pub fn parse(user_agent: &str) -> UaInfo {
    let ua = user_agent.trim();
    if ua.is_empty() || ua == "-" {
        return UaInfo {
            category: UaCategory::Empty,
            ..UaInfo::default()
        };
    }
    match Parser::new().parse(ua) {
        Some(r) => {
            let mut info = UaInfo {
                browser: known(r.name),
                version: known(r.version),
                os: known(r.os),
                os_version: known(&r.os_version),
                category: UaCategory::from_woothee(r.category),
            };
            // woothee files HeadlessChrome under Chrome (woothee#75); the
            // difference matters here, so say what the string says.
            if let Some(version) = token_version(ua, "HeadlessChrome/") {
                info.browser = "HeadlessChrome".to_string();
                info.version = version.to_string();
            }
            info
        }
        None => leading_product(ua),
    }
}

/// woothee returns nothing for many HTTP libraries (python-requests,
/// Go-http-client, okhttp); their leading `Name/Version` product token is
/// still worth showing.
fn leading_product(ua: &str) -> UaInfo {
    let first = ua.split_whitespace().next().unwrap_or("");
    let (name, version) = first.split_once('/').unwrap_or((first, ""));
    let plausible = !name.is_empty()
        && name.len() <= 40
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !plausible || name.eq_ignore_ascii_case("mozilla") {
        return UaInfo::default();
    }
    UaInfo {
        browser: name.to_string(),
        version: version
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '.')
            .collect(),
        ..UaInfo::default()
    }
}

fn token_version<'a>(ua: &'a str, token: &str) -> Option<&'a str> {
    let start = ua.find(token)? + token.len();
    let rest = &ua[start..];
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    Some(&rest[..end])
}

/// Parses many distinct User-Agents (each once: the caller passes the
/// distinct strings), spread over rayon's threads; the order is kept.
pub fn parse_all<S: AsRef<str> + Sync>(user_agents: &[S]) -> Vec<UaInfo> {
    use rayon::prelude::*;
    user_agents
        .par_iter()
        .with_min_len(256)
        .map(|u| parse(u.as_ref()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn desktop_and_phone() {
        let chrome = parse(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
        );
        assert_eq!(chrome.browser, "Chrome");
        assert_eq!(chrome.major_version(), Some(124));
        assert_eq!(chrome.os, "Windows 10");
        assert_eq!(chrome.category, UaCategory::Pc);

        let iphone = parse(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1",
        );
        assert_eq!(iphone.browser, "Safari");
        assert_eq!(iphone.os, "iPhone");
        assert_eq!(iphone.os_version, "17.4.1");
        assert_eq!(iphone.category, UaCategory::Smartphone);
    }

    #[test]
    fn empty_is_not_unknown() {
        assert_eq!(parse("").category, UaCategory::Empty);
        assert_eq!(parse(" - ").category, UaCategory::Empty);
        assert_eq!(parse("zzz{}").category, UaCategory::Unknown);
    }

    #[test]
    fn headless_and_libraries_are_named() {
        let headless = parse(
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.109 Safari/537.36",
        );
        assert_eq!(headless.browser, "HeadlessChrome");
        assert_eq!(headless.version, "120.0.6099.109");

        let requests = parse("python-requests/2.31.0");
        assert_eq!(requests.browser, "python-requests");
        assert_eq!(requests.version, "2.31.0");
        assert_eq!(requests.category, UaCategory::Unknown);

        let curl = parse("curl/8.5.0");
        assert_eq!(curl.category, UaCategory::Misc);

        assert_eq!(parse("BingPreview/1.0b").category, UaCategory::Crawler);
    }

    #[test]
    fn parse_all_keeps_order() {
        let uas: Vec<String> = (0..2_500).map(|i| format!("tool{}/1.{i}", i % 7)).collect();
        let infos = parse_all(&uas);
        assert_eq!(infos.len(), uas.len());
        assert_eq!(infos[2_499].browser, "tool0");
        assert_eq!(infos[1].browser, "tool1");
        assert_eq!(infos[2_499].version, "1.2499");
    }
}
