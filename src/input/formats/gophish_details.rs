//! The JSON in GoPhish's `details` column: `{"payload":{…},"browser":{…}}`,
//! `{"error":"…"}`, `{"payload":null,"browser":null}` or empty. Strings are
//! borrowed from the cell where JSON allows (no escapes), so a click costs no
//! allocation beyond the payload's few keys.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

#[derive(Debug, Default, Deserialize)]
pub struct Details<'a> {
    #[serde(default, borrow)]
    pub payload: Option<Payload<'a>>,
    #[serde(default, borrow)]
    pub browser: Option<Browser<'a>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Browser<'a> {
    #[serde(default, borrow)]
    pub address: Option<Cow<'a, str>>,
    #[serde(default, borrow, rename = "user-agent")]
    pub user_agent: Option<Cow<'a, str>>,
}

/// Go's `url.Values`: every key maps to a list of strings. GoPhish reads the
/// first `rid` (`r.FormValue`); other keys keep all their values, joined with `,`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Payload<'a> {
    pub rid: Option<Cow<'a, str>>,
    pub screen: Option<Cow<'a, str>>,
    pub width: Option<Cow<'a, str>>,
    pub height: Option<Cow<'a, str>>,
    /// Other form fields and query parameters, in the order GoPhish wrote them
    /// (alphabetical), secrets already masked.
    pub other: Vec<(Cow<'a, str>, Cow<'a, str>)>,
}

/// What a captured password is shown as: whoclicked must not spread credentials
/// employees typed into the training page.
pub const REDACTED: &str = "(redacted)";

fn is_secret(key: &str) -> bool {
    let k = key.to_lowercase();
    [
        "pass",
        "pwd",
        "secret",
        "token",
        "otp",
        "パスワード",
        "暗証",
    ]
    .iter()
    .any(|s| k.contains(s))
}

impl Payload<'_> {
    /// The other fields as one readable cell: `username=alice; password=(redacted)`.
    pub fn other_text(&self) -> String {
        let mut out = String::new();
        for (k, v) in &self.other {
            if !out.is_empty() {
                out.push_str("; ");
            }
            out.push_str(k);
            out.push('=');
            out.push_str(v);
        }
        out
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Payload<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(PayloadVisitor)
    }
}

struct PayloadVisitor;

impl<'de> Visitor<'de> for PayloadVisitor {
    type Value = Payload<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map of form fields")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut p = Payload::default();
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            let Values { first, all } = map.next_value()?;
            let value = all;
            match key.as_ref() {
                "rid" => p.rid = Some(first),
                "screen" => p.screen = Some(value),
                "sw" | "screen_width" => p.width = Some(value),
                "sh" | "screen_height" => p.height = Some(value),
                _ if is_secret(&key) => p.other.push((key, Cow::Borrowed(REDACTED))),
                _ => p.other.push((key, value)),
            }
        }
        Ok(p)
    }
}

/// One payload value: a list of strings (GoPhish), or in forks a bare string,
/// number or null.
struct Values<'a> {
    first: Cow<'a, str>,
    /// All values joined with `,`.
    all: Cow<'a, str>,
}

impl<'a> Values<'a> {
    fn one(v: Cow<'a, str>) -> Self {
        Values {
            first: v.clone(),
            all: v,
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Values<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValuesVisitor)
    }
}

struct ValuesVisitor;

impl<'de> Visitor<'de> for ValuesVisitor {
    type Value = Values<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of strings")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out: Option<Values<'de>> = None;
        while let Some(v) = seq.next_element::<Values<'de>>()? {
            out = Some(match out {
                None => v,
                Some(prev) => Values {
                    first: prev.first,
                    all: Cow::Owned(format!("{},{}", prev.all, v.all)),
                },
            });
        }
        Ok(out.unwrap_or_else(|| Values::one(Cow::Borrowed(""))))
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Values::one(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Values::one(Cow::Owned(v.to_string())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Values::one(Cow::Owned(v)))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Values::one(Cow::Owned(v.to_string())))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Values::one(Cow::Owned(v.to_string())))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Values::one(Cow::Owned(v.to_string())))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Values::one(Cow::Owned(v.to_string())))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Values::one(Cow::Borrowed("")))
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Values::one(Cow::Borrowed("")))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        // Nested objects are no form data; skip them rather than fail the row.
        while map
            .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
            .is_some()
        {}
        Ok(Values::one(Cow::Borrowed("")))
    }
}

/// Parses a non-empty `details` cell; the error says where the JSON broke
/// without echoing its content.
pub fn parse(text: &str) -> Result<Details<'_>, String> {
    serde_json::from_str::<Details<'_>>(text).map_err(|e| {
        let what = match e.classify() {
            serde_json::error::Category::Eof => "ends early",
            serde_json::error::Category::Syntax => "has a syntax error",
            _ => "has an unexpected shape",
        };
        format!(
            "is not GoPhish details JSON: it {what} at column {}",
            e.column()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_shape() {
        let d = parse(r#"{"payload":{"rid":["Uep6fAo"]},"browser":{"address":"40.94.89.23","user-agent":"Mozilla/5.0"}}"#).unwrap();
        let p = d.payload.unwrap();
        assert_eq!(p.rid.as_deref(), Some("Uep6fAo"));
        assert!(matches!(p.rid, Some(Cow::Borrowed(_))));
        let b = d.browser.unwrap();
        assert_eq!(b.address.as_deref(), Some("40.94.89.23"));
        assert_eq!(b.user_agent.as_deref(), Some("Mozilla/5.0"));

        let d = parse(r#"{"payload":null,"browser":null}"#).unwrap();
        assert!(d.payload.is_none() && d.browser.is_none());
        let d = parse(r#"{"error":"550 5.1.1 user unknown"}"#).unwrap();
        assert!(d.payload.is_none() && d.browser.is_none());
    }

    #[test]
    fn keeps_form_fields_and_masks_secrets() {
        let d = parse(r#"{"payload":{"Password":["hunter2"],"rid":["r1","r2"],"sh":["844"],"sw":["390"],"username":["alice","bob"],"x":{"a":1},"n":3},"browser":{"address":"1.2.3.4","user-agent":"a\"b"}}"#).unwrap();
        let p = d.payload.unwrap();
        assert_eq!(p.rid.as_deref(), Some("r1"));
        assert_eq!(
            (p.width.as_deref(), p.height.as_deref()),
            (Some("390"), Some("844"))
        );
        assert_eq!(
            p.other_text(),
            "Password=(redacted); username=alice,bob; x=; n=3"
        );
        assert_eq!(d.browser.unwrap().user_agent.as_deref(), Some("a\"b"));
    }

    #[test]
    fn explains_broken_json_without_echoing_it() {
        let err = parse(r#"{"payload":{"rid":["#).unwrap_err();
        assert_eq!(
            err,
            "is not GoPhish details JSON: it ends early at column 19"
        );
        assert!(parse("not json").unwrap_err().contains("syntax error"));
        assert!(parse("[1,2]").unwrap_err().contains("unexpected shape"));
    }
}
