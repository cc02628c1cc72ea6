//! From "a person behind the office proxy" to "this PC, this person": the
//! company network's own logs (a forward proxy's, the DHCP server's) tie an
//! access from the office's egress address to the internal address that
//! made it, the user the proxy authenticated, and the machine that held the
//! address then. `correlate` does the matching, `leases` answers who held an
//! address at a moment, `landing` finds the landing page's host in the
//! proxy log, `hosts` reads the analyst's table of whose machine is whose.

mod correlate;
mod hosts;
mod landing;
mod leases;

pub use correlate::{Correlation, LeaseFact, MatchedBy, Tie, Untied, correlate};
pub use hosts::{HostMap, HostsError, KeyKind};
pub use leases::{Holder, LeaseIndex};

/// How to tie accesses to the network's logs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetworkOptions {
    /// The landing page's host (`--landing-host`); learned from the proxy
    /// log when `None`.
    pub landing_host: Option<String>,
    /// How far apart, in milliseconds, the proxy's and the landing page's
    /// clocks may put one request (`--clock-skew`).
    pub clock_skew_ms: i64,
    /// Whose machine is whose (`--hosts`).
    pub hosts: HostMap,
}

/// Seconds, by default: the proxy logs a request when it ends, the landing
/// page when it starts, and both clocks are usually NTP-synced.
pub const DEFAULT_CLOCK_SKEW_MS: i64 = 10_000;

impl Default for NetworkOptions {
    fn default() -> Self {
        NetworkOptions {
            landing_host: None,
            clock_skew_ms: DEFAULT_CLOCK_SKEW_MS,
            hosts: HostMap::default(),
        }
    }
}

/// `90s`, `2m`, `1m30s`, `1500ms` or a bare number of seconds, as
/// milliseconds.
pub fn parse_clock_skew(text: &str) -> Result<i64, String> {
    let text = text.trim();
    let bad = || {
        format!("{text:?} is not a duration (e.g. 90s, 2m, 1m30s, 1500ms or a number of seconds)")
    };
    if let Ok(seconds) = text.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0)
            .then(|| (seconds * 1000.0).round() as i64)
            .ok_or_else(bad);
    }
    let mut total: i64 = 0;
    let mut rest = text;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(bad());
        }
        let value: i64 = rest[..digits].parse().map_err(|_| bad())?;
        rest = &rest[digits..];
        let unit_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        let unit = match &rest[..unit_len] {
            "ms" => 1,
            "s" => 1000,
            "m" | "min" => 60_000,
            "h" => 3_600_000,
            _ => return Err(bad()),
        };
        rest = &rest[unit_len..];
        total = value
            .checked_mul(unit)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(bad)?;
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_clock_skews() {
        assert_eq!(parse_clock_skew("90s"), Ok(90_000));
        assert_eq!(parse_clock_skew("1m30s"), Ok(90_000));
        assert_eq!(parse_clock_skew("2m"), Ok(120_000));
        assert_eq!(parse_clock_skew("1500ms"), Ok(1500));
        assert_eq!(parse_clock_skew("5"), Ok(5000));
        assert!(parse_clock_skew("soon").is_err());
        assert!(parse_clock_skew("-5").is_err());
        assert!(parse_clock_skew("5x").is_err());
    }
}
