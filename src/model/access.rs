//! One access to the training link, stored compactly: every repeated value is
//! an index into a campaign-wide table, so a million accesses stay near 48 MB.

use std::fmt;
use std::str::FromStr;

use super::intern::Sym;
use super::time::Timestamp;

/// Index into [`Campaign::ips`](super::Campaign) (one entry per distinct address).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IpId(pub u32);

/// Index into [`Campaign::user_agents`](super::Campaign) (one entry per distinct UA string).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UaId(pub u32);

/// Index into [`Campaign::recipients`](super::Campaign).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecipientId(pub u32);

impl IpId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}
impl UaId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}
impl RecipientId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// What the access was, as the log calls it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Event {
    #[default]
    Click,
    Open,
    Submit,
    Report,
}

impl Event {
    pub const ALL: [Event; 4] = [Event::Click, Event::Open, Event::Submit, Event::Report];

    pub fn as_str(self) -> &'static str {
        match self {
            Event::Click => "click",
            Event::Open => "open",
            Event::Submit => "submit",
            Event::Report => "report",
        }
    }
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Event {
    type Err = String;

    /// Accepts the project's names, GoPhish's messages and common Japanese labels.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let lower = t.to_ascii_lowercase();
        Ok(match lower.as_str() {
            "" | "click" | "clicked" | "clicked link" | "visit" | "access" | "クリック"
            | "アクセス" => Event::Click,
            "open" | "opened" | "email opened" | "開封" => Event::Open,
            "submit" | "submitted" | "submitted data" | "送信" | "入力" => Event::Submit,
            "report" | "reported" | "email reported" | "報告" => Event::Report,
            _ => {
                return Err(format!(
                    "unknown event {t:?} (expected click, open, submit or report)"
                ));
            }
        })
    }
}

/// A screen size as the landing page's JavaScript reported it, in CSS pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Screen {
    pub width: u16,
    pub height: u16,
}

impl Screen {
    /// The largest side a real display reports in CSS pixels; above it the value is junk.
    pub const MAX_SIDE: u16 = 16_384;

    pub fn new(width: u32, height: u32) -> Result<Screen, String> {
        if width == 0 || height == 0 {
            return Err(format!("screen {width}x{height} has a zero side"));
        }
        if width > u32::from(Self::MAX_SIDE) || height > u32::from(Self::MAX_SIDE) {
            return Err(format!(
                "screen {width}x{height} is larger than any display ({} px)",
                Self::MAX_SIDE
            ));
        }
        Ok(Screen {
            width: width as u16,
            height: height as u16,
        })
    }
}

impl fmt::Display for Screen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}x{}", self.width, self.height)
    }
}

impl FromStr for Screen {
    type Err = String;

    /// `1920x1080`, `1920×1080`, `1920*1080`, `1920 x 1080`, `1920,1080`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let mut parts = t
            .split(['x', 'X', '×', '*', ',', '/'])
            .map(str::trim)
            .filter(|p| !p.is_empty());
        let (Some(w), Some(h), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(format!("screen {t:?} is not WIDTHxHEIGHT"));
        };
        let parse = |v: &str| -> Result<u32, String> {
            // Some beacons send floats (device pixel ratio applied); whole pixels are enough.
            let v = v.strip_suffix("px").unwrap_or(v);
            match v.parse::<f64>() {
                Ok(f) if (0.0..1e9).contains(&f) => Ok(f.round() as u32),
                _ => Err(format!("screen {t:?} is not WIDTHxHEIGHT")),
            }
        };
        Screen::new(parse(w)?, parse(h)?)
    }
}

/// Marks "no extra columns" in [`Access::extra`].
pub const NO_EXTRA: u32 = u32::MAX;
/// Marks "no recipient" in [`Access::recipient`].
pub const NO_RECIPIENT: u32 = u32::MAX;

/// One access. Strings live in the campaign's tables; see the id types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Access {
    pub time: Timestamp,
    pub ip: IpId,
    pub user_agent: UaId,
    /// A [`RecipientId`] or [`NO_RECIPIENT`]; read it with [`Access::recipient`].
    pub recipient_raw: u32,
    /// HTTP method as logged (`GET`, `HEAD`…), or `Sym::EMPTY` when the log has none.
    pub method: Sym,
    /// Start of this access's values in `Campaign::extra_values`, or [`NO_EXTRA`].
    /// There are as many values as the source file has extra columns.
    pub extra: u32,
    /// 1-based data row in its file (header excluded).
    pub row: u32,
    /// 1-based physical line where the row starts, for messages.
    pub line: u32,
    pub screen: Option<Screen>,
    /// Index into `Campaign::files`.
    pub file: u16,
    pub event: Event,
}

impl Access {
    pub fn recipient(&self) -> Option<RecipientId> {
        (self.recipient_raw != NO_RECIPIENT).then_some(RecipientId(self.recipient_raw))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_stays_compact() {
        assert!(std::mem::size_of::<Access>() <= 48);
    }

    #[test]
    fn parses_screens() {
        assert_eq!(
            "1920x1080".parse::<Screen>(),
            Ok(Screen {
                width: 1920,
                height: 1080
            })
        );
        assert_eq!(
            " 390 × 844 ".parse::<Screen>().unwrap().to_string(),
            "390x844"
        );
        assert_eq!(
            "1536.0*864".parse::<Screen>().unwrap().to_string(),
            "1536x864"
        );
        assert!("0x0".parse::<Screen>().is_err());
        assert!("1920".parse::<Screen>().is_err());
        assert!("axb".parse::<Screen>().is_err());
        assert!("99999x1".parse::<Screen>().is_err());
        assert!("1x2x3".parse::<Screen>().is_err());
    }

    #[test]
    fn parses_events() {
        assert_eq!("Clicked Link".parse::<Event>(), Ok(Event::Click));
        assert_eq!("".parse::<Event>(), Ok(Event::Click));
        assert_eq!("SUBMIT".parse::<Event>(), Ok(Event::Submit));
        assert_eq!("開封".parse::<Event>(), Ok(Event::Open));
        assert!("bounce".parse::<Event>().is_err());
    }
}
