//! The filter language of the review screen: free words match any column,
//! `field:value` terms narrow (`org:microsoft`, `ip:40.94.0.0/16`, `dt:<30`,
//! `verdict:none`), `-term` excludes, quotes keep spaces. Terms combine (AND).
//!
//! Matching a million accesses stays cheap because every term is first
//! evaluated once per distinct address, User-Agent and recipient; a row then
//! only indexes into those answers.

use std::net::IpAddr;

use ipnetwork::IpNetwork;

use super::context::ReviewContext;
use super::fields::{AccessField, Common, Field, Form, HopField, Subject};
use crate::model::{Event, IpId, Leaning, RowKind, UaId, Verdict};

/// A parsed filter. The empty filter matches everything.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    clauses: Vec<Clause>,
}

#[derive(Clone, Debug, PartialEq)]
struct Clause {
    negate: bool,
    term: Term,
}

#[derive(Clone, Debug, PartialEq)]
enum Term {
    /// Lower-cased word matched against every column.
    Word(String),
    Field(Field, Matcher),
}

#[derive(Clone, Debug, PartialEq)]
enum Matcher {
    /// Lower-cased substring.
    Text(String),
    Network(IpNetwork),
    Asn(u32),
    Seconds {
        min: Option<f64>,
        max: Option<f64>,
    },
    NoValue,
    AnyValue,
    Verdict(Verdict),
    Leaning(Leaning),
    Event(Event),
    Screen(u16, u16),
}

/// Text the filter matched by: highlighted in the cells of `field`, or of
/// every column. Lower-case; matching ignores case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Highlight {
    pub field: Option<Field>,
    pub text: String,
}

fn parse_clause(kind: RowKind, token: &str) -> Result<Clause, FilterError> {
    let (negate, body) = match token.strip_prefix(['-', '!']) {
        Some(rest) if !rest.is_empty() => (true, rest.to_string()),
        _ => (false, token.to_string()),
    };
    let term = match body.split_once(':') {
        Some((name, value)) => match Field::from_filter_name(kind, name) {
            Some(field) => Term::Field(field, parse_matcher(field, value, token)?),
            None if looks_like_a_field(&body, name, value) => {
                return Err(FilterError {
                    term: token.to_string(),
                    reason: format!(
                        "no field is called {name:?} (fields: {})",
                        Field::of_kind(kind)
                            .filter_map(|f| f.filter_names().first())
                            .copied()
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
            }
            // `2001:db8::1` or `http://…` are words, not fields.
            None => Term::Word(body.to_lowercase()),
        },
        None => Term::Word(body.to_lowercase()),
    };
    Ok(Clause { negate, term })
}

/// `foo:bar` was meant as a field: a name of letters, and neither an
/// address (`dead:beef::1`) nor a URL (`http://…`).
fn looks_like_a_field(body: &str, name: &str, value: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphabetic() || c == '_')
        && !value.starts_with("//")
        && !value.starts_with(':')
        && parse_network(body).is_none()
}

/// A term that could not be understood, with what was expected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{term}: {reason}")]
pub struct FilterError {
    pub term: String,
    pub reason: String,
}

impl Filter {
    /// The filter `text` says for accesses, or the first term that cannot
    /// be understood.
    pub fn parse(text: &str) -> Result<Filter, FilterError> {
        Filter::parse_in(RowKind::Access, text)
    }

    /// The filter `text` says for rows of `kind` (whose fields its
    /// `name:value` terms name), or the first term that cannot be understood.
    pub fn parse_in(kind: RowKind, text: &str) -> Result<Filter, FilterError> {
        let (filter, mut errors) = Filter::parse_lenient_in(kind, text);
        if errors.is_empty() {
            Ok(filter)
        } else {
            Err(errors.remove(0))
        }
    }

    /// The filter of the terms of `text` that can be understood, and what is
    /// wrong with the others (left out): the screen follows a prompt as it is
    /// typed, so a half-typed or mistyped term must neither stop the rest
    /// nor stand in for it.
    pub fn parse_lenient(text: &str) -> (Filter, Vec<FilterError>) {
        Filter::parse_lenient_in(RowKind::Access, text)
    }

    /// [`Filter::parse_lenient`] for rows of `kind`.
    pub fn parse_lenient_in(kind: RowKind, text: &str) -> (Filter, Vec<FilterError>) {
        let mut clauses = Vec::new();
        let mut errors = Vec::new();
        for token in tokenize(text) {
            match parse_clause(kind, &token) {
                Ok(clause) => clauses.push(clause),
                Err(err) => errors.push(err),
            }
        }
        (Filter { clauses }, errors)
    }

    /// What to highlight where the filter matched: the text of each term
    /// that keeps rows by a substring, and the field it is about (`None`:
    /// any column). Excluding terms are left out: they match nothing shown.
    pub fn highlights(&self) -> Vec<Highlight> {
        self.clauses
            .iter()
            .filter(|c| !c.negate)
            .filter_map(|c| match &c.term {
                Term::Word(word) => Some(Highlight {
                    field: None,
                    text: word.clone(),
                }),
                Term::Field(field, Matcher::Text(text)) => Some(Highlight {
                    field: Some(*field),
                    text: text.clone(),
                }),
                Term::Field(..) => None,
            })
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty()
    }

    /// The rows of `rows` that match, in their order.
    pub fn apply(&self, ctx: &ReviewContext<'_>, rows: &[u32]) -> Vec<u32> {
        if self.clauses.is_empty() {
            return rows.to_vec();
        }
        let compiled: Vec<Compiled<'_>> = self.clauses.iter().map(|c| compile(ctx, c)).collect();
        rows.iter()
            .copied()
            .filter(|&i| compiled.iter().all(|c| c.matches(ctx, i)))
            .collect()
    }
}

/// Splits on whitespace, keeping `"quoted text"` (also after `field:`) together.
fn tokenize(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !current.is_empty() {
                    tokens.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        tokens.push(current);
    }
    tokens
}

fn parse_matcher(field: Field, value: &str, token: &str) -> Result<Matcher, FilterError> {
    let err = |reason: &str| FilterError {
        term: token.to_string(),
        reason: reason.to_string(),
    };
    let v = value.trim();
    let lower = v.to_lowercase();
    if v.is_empty() {
        return Err(err("needs a value after the colon"));
    }
    Ok(match field {
        Field::Common(Common::Ip | Common::Network) => match parse_network(v) {
            Some(net) => Matcher::Network(net),
            // A part of an address (`40.94.`) matches as text; a whole one
            // that is not an address (`999.1.1.1`, `10.0.0.0/33`) is a mistake.
            None if v.contains('/') || v.split('.').count() == 4 => {
                return Err(err(
                    "not an IP address or network (e.g. 40.94.1.2, 40.94.0.0/16, 2001:db8::/32)",
                ));
            }
            None => Matcher::Text(lower),
        },
        Field::Common(Common::Asn) => match lower.trim_start_matches("as").parse::<u32>() {
            Ok(n) => Matcher::Asn(n),
            Err(_) if lower == "none" => Matcher::NoValue,
            Err(_) => Matcher::Text(lower),
        },
        Field::Access(AccessField::AfterSent) => match lower.as_str() {
            "none" | "unknown" => Matcher::NoValue,
            "any" => Matcher::AnyValue,
            _ => parse_seconds_range(&lower)
                .ok_or_else(|| err("expected seconds like <30, >3600, 10..60, 5m, 2h or none"))?,
        },
        Field::Access(AccessField::Screen) => match lower.as_str() {
            "none" | "no" | "missing" => Matcher::NoValue,
            "any" | "yes" => Matcher::AnyValue,
            _ => match lower.parse::<crate::model::Screen>() {
                Ok(s) => Matcher::Screen(s.width, s.height),
                Err(_) => Matcher::Text(lower),
            },
        },
        Field::Common(Common::Verdict) => match lower.as_str() {
            "none" | "unlabelled" | "unlabeled" | "no" => Matcher::NoValue,
            "any" | "labelled" | "labeled" => Matcher::AnyValue,
            other => Matcher::Verdict(
                other
                    .parse()
                    .map_err(|_| err("expected human, scanner, none or any"))?,
            ),
        },
        Field::Common(Common::Suggestion) => Matcher::Leaning(match lower.as_str() {
            "human" | "h" => Leaning::Human,
            "scanner" | "s" | "bot" => Leaning::Scanner,
            "unsure" | "u" | "?" => Leaning::Unsure,
            _ => return Err(err("expected human, scanner or unsure")),
        }),
        Field::Access(AccessField::Event) => {
            Matcher::Event(lower.parse().map_err(|e: String| err(&e))?)
        }
        Field::Hop(HopField::Number) => parse_whole_range(&lower, true)
            .ok_or_else(|| err("expected a hop number like 1, >2 or 1..3"))?,
        Field::Hop(HopField::Delay) => match lower.as_str() {
            "none" | "unknown" => Matcher::NoValue,
            "any" => Matcher::AnyValue,
            _ => parse_whole_range(&lower, false).ok_or_else(|| {
                err("expected seconds like <0 (negative), >60, 10..60, 5m or none")
            })?,
        },
        // Text: the owner, recipient, country, city, the User-Agent's facts,
        // the method, the time.
        _ => match lower.as_str() {
            "none" | "empty" => Matcher::NoValue,
            _ => Matcher::Text(lower),
        },
    })
}

fn parse_network(v: &str) -> Option<IpNetwork> {
    if v.contains('/') {
        return v.parse::<IpNetwork>().ok();
    }
    v.parse::<IpAddr>().ok().map(IpNetwork::from)
}

/// `<30`, `<=30`, `>3600`, `>=5m`, `10..60`, `30` (at most 30).
fn parse_seconds_range(v: &str) -> Option<Matcher> {
    if let Some((a, b)) = v.split_once("..") {
        return Some(Matcher::Seconds {
            min: Some(parse_duration(a)?),
            max: Some(parse_duration(b)?),
        });
    }
    let (op, rest) = ["<=", ">=", "<", ">", "="]
        .iter()
        .find_map(|op| v.strip_prefix(op).map(|r| (*op, r)))
        .unwrap_or(("<=", v));
    let n = parse_duration(rest)?;
    Some(match op {
        "<" | "<=" => Matcher::Seconds {
            min: None,
            max: Some(n),
        },
        ">" | ">=" => Matcher::Seconds {
            min: Some(n),
            max: None,
        },
        _ => Matcher::Seconds {
            min: Some(n),
            max: Some(n),
        },
    })
}

/// A range of whole numbers (a hop's number, its delay in seconds): `<0`
/// and `>2` are strict, `<=`, `>=`, `=` and `a..b` inclusive, `negative`
/// is below zero; a bare number is that number (`exact`) or at most it.
fn parse_whole_range(v: &str, exact: bool) -> Option<Matcher> {
    let range = |min: Option<f64>, max: Option<f64>| Some(Matcher::Seconds { min, max });
    if matches!(v, "negative" | "neg") {
        return range(None, Some(-1.0));
    }
    if let Some((a, b)) = v.split_once("..") {
        return range(Some(parse_duration(a)?), Some(parse_duration(b)?));
    }
    let (op, rest) = ["<=", ">=", "<", ">", "="]
        .iter()
        .find_map(|op| v.strip_prefix(op).map(|r| (*op, r)))
        .unwrap_or(("", v));
    let n = parse_duration(rest)?;
    match op {
        "<" => range(None, Some(n - 1.0)),
        "<=" => range(None, Some(n)),
        ">" => range(Some(n + 1.0), None),
        ">=" => range(Some(n), None),
        "" if !exact => range(None, Some(n)),
        _ => range(Some(n), Some(n)),
    }
}

/// `30`, `30s`, `5m`, `2h`, `1d` in seconds.
fn parse_duration(v: &str) -> Option<f64> {
    let v = v.trim();
    let (num, unit) = match v.find(|c: char| c.is_ascii_alphabetic()) {
        Some(pos) => v.split_at(pos),
        None => (v, "s"),
    };
    let n: f64 = num.parse().ok()?;
    let scale = match unit {
        "s" | "sec" => 1.0,
        "m" | "min" => 60.0,
        "h" => 3_600.0,
        "d" => 86_400.0,
        _ => return None,
    };
    n.is_finite().then_some(n * scale)
}

/// A clause prepared for one campaign: answers per distinct value, ORed.
struct Compiled<'a> {
    negate: bool,
    per_ip: Option<Vec<bool>>,
    per_ua: Option<Vec<bool>>,
    /// Per recipient, plus the answer for accesses without one.
    per_recipient: Option<(Vec<bool>, bool)>,
    per_row: Option<RowTest<'a>>,
}

type RowTest<'a> = Box<dyn Fn(&ReviewContext<'_>, u32) -> bool + 'a>;

impl Compiled<'_> {
    fn matches(&self, ctx: &ReviewContext<'_>, i: u32) -> bool {
        let a = ctx.access(i);
        let hit = self.per_ip.as_ref().is_some_and(|v| v[a.ip.index()])
            || self
                .per_ua
                .as_ref()
                .is_some_and(|v| v[a.user_agent.index()])
            || self
                .per_recipient
                .as_ref()
                .is_some_and(|(v, none)| a.recipient().map_or(*none, |r| v[r.index()]))
            || self.per_row.as_ref().is_some_and(|t| t(ctx, i));
        hit != self.negate
    }
}

fn contains(haystack: &str, needle: &str) -> bool {
    haystack.to_lowercase().contains(needle)
}

fn compile<'a>(ctx: &ReviewContext<'a>, clause: &'a Clause) -> Compiled<'a> {
    let mut c = Compiled {
        negate: clause.negate,
        per_ip: None,
        per_ua: None,
        per_recipient: None,
        per_row: None,
    };
    let analysis = ctx.analysis;
    let campaign = &analysis.campaign;
    let ips = 0..campaign.ips.len() as u32;
    match &clause.term {
        Term::Word(word) => {
            c.per_ip = Some(
                ips.map(|ip| {
                    let id = IpId(ip);
                    let owner = &analysis.owners[ip as usize];
                    contains(&campaign.ips[ip as usize].to_string(), word)
                        || contains(&ctx.owner_label(id), word)
                        || [
                            &owner.as_org,
                            &owner.isp,
                            &owner.organization,
                            &owner.country_code,
                            &owner.country_name,
                            &owner.city,
                        ]
                        .iter()
                        .any(|f| f.as_deref().is_some_and(|s| contains(s, word)))
                        || owner
                            .asn
                            .is_some_and(|n| format!("as{n}").contains(word.as_str()))
                })
                .collect(),
            );
            // A hop's client text is its Received line: no browser in it.
            let parsed_too = ctx.kind() == RowKind::Access;
            c.per_ua = Some(
                (0..campaign.user_agents.len())
                    .map(|u| {
                        let info = &analysis.user_agents[u];
                        contains(campaign.strings.get(campaign.user_agents[u]), word)
                            || (parsed_too
                                && (contains(&info.browser, word)
                                    || contains(&info.os, word)
                                    || info.category.as_str().contains(word.as_str())))
                    })
                    .collect(),
            );
            c.per_recipient = Some((
                campaign
                    .recipients
                    .iter()
                    .map(|r| {
                        contains(campaign.strings.get(r.name), word)
                            || contains(campaign.strings.get(r.rid), word)
                    })
                    .collect(),
                false,
            ));
            let own: &[Field] = match ctx.kind() {
                RowKind::Access => &[
                    Field::Access(AccessField::Event),
                    Field::Access(AccessField::Method),
                    Field::Access(AccessField::Screen),
                    Field::Common(Common::Suggestion),
                    Field::Common(Common::Verdict),
                ],
                RowKind::Hop => &[
                    Field::Hop(HopField::From),
                    Field::Hop(HopField::By),
                    Field::Hop(HopField::With),
                    Field::Hop(HopField::Class),
                    Field::Hop(HopField::Place),
                    Field::Hop(HopField::Flags),
                    Field::Common(Common::Verdict),
                ],
            };
            c.per_row = Some(Box::new(move |ctx, i| {
                own.iter()
                    .any(|f| contains(&f.text(ctx, i, Form::Display), word))
            }));
        }
        Term::Field(field, matcher) => match (*field, field.subject()) {
            (Field::Common(fact), Subject::Address) => {
                c.per_ip = Some(
                    ips.map(|ip| ip_matches(ctx, fact, matcher, IpId(ip)))
                        .collect(),
                );
            }
            (Field::Access(fact), Subject::UserAgent) => {
                // The record form: `br:` matches the browser's name, not its version.
                c.per_ua = Some(
                    (0..campaign.user_agents.len() as u32)
                        .map(|u| {
                            text_matches(&fact.of_user_agent(ctx, UaId(u), Form::Record), matcher)
                        })
                        .collect(),
                );
            }
            (_, Subject::Recipient) => {
                c.per_recipient = Some((
                    campaign
                        .recipients
                        .iter()
                        .map(|r| {
                            text_matches(campaign.strings.get(r.name), matcher)
                                || (matches!(matcher, Matcher::Text(_))
                                    && text_matches(campaign.strings.get(r.rid), matcher))
                        })
                        .collect(),
                    matcher == &Matcher::NoValue,
                ));
            }
            (field, _) => {
                c.per_row = Some(Box::new(move |ctx, i| row_matches(ctx, field, matcher, i)));
            }
        },
    }
    c
}

fn text_matches(text: &str, matcher: &Matcher) -> bool {
    match matcher {
        Matcher::Text(needle) => contains(text, needle),
        Matcher::NoValue => text.is_empty(),
        Matcher::AnyValue => !text.is_empty(),
        _ => false,
    }
}

fn ip_matches(ctx: &ReviewContext<'_>, fact: Common, matcher: &Matcher, ip: IpId) -> bool {
    let owner = &ctx.analysis.owners[ip.index()];
    let addr = ctx.analysis.campaign.ip(ip);
    match (fact, matcher) {
        (Common::Ip, Matcher::Network(net)) => net.contains(addr),
        // Either prefix inside the other: `net:40.0.0.0/8` finds 40.88.0.0/13 and vice versa.
        (Common::Network, Matcher::Network(net)) => owner.network.is_some_and(|n| {
            (net.contains(n.ip()) && net.prefix() <= n.prefix())
                || (n.contains(net.ip()) && n.prefix() <= net.prefix())
        }),
        (Common::Asn, Matcher::Asn(n)) => owner.asn == Some(*n),
        (Common::Asn, Matcher::NoValue) => owner.asn.is_none(),
        (Common::Asn, m) => text_matches(owner.as_org.as_deref().unwrap_or(""), m),
        (Common::OwnerLabel, Matcher::Text(needle)) => {
            contains(&ctx.owner_label(ip), needle)
                || [&owner.as_org, &owner.isp, &owner.organization]
                    .iter()
                    .any(|f| f.as_deref().is_some_and(|s| contains(s, needle)))
        }
        (Common::Country, Matcher::Text(needle)) if needle.len() == 2 => owner
            .country_code
            .as_deref()
            .is_some_and(|c| c.eq_ignore_ascii_case(needle)),
        (Common::Country, Matcher::Text(needle)) => owner
            .country_name
            .as_deref()
            .is_some_and(|c| contains(c, needle)),
        (fact, m) => text_matches(&fact.of_address(ctx, ip, Form::Display), m),
    }
}

fn row_matches(ctx: &ReviewContext<'_>, field: Field, matcher: &Matcher, i: u32) -> bool {
    let a = ctx.access(i);
    match (field, matcher) {
        (Field::Access(AccessField::AfterSent), m) => {
            let dt = ctx.analysis.campaign.seconds_after_sent(a);
            match (m, dt) {
                (Matcher::NoValue, dt) => dt.is_none(),
                (Matcher::AnyValue, dt) => dt.is_some(),
                (Matcher::Seconds { min, max }, Some(s)) => {
                    min.is_none_or(|lo| s >= lo) && max.is_none_or(|hi| s <= hi)
                }
                _ => false,
            }
        }
        (Field::Access(AccessField::Screen), Matcher::NoValue) => a.screen.is_none(),
        (Field::Access(AccessField::Screen), Matcher::AnyValue) => a.screen.is_some(),
        (Field::Access(AccessField::Screen), Matcher::Screen(w, h)) => {
            a.screen.is_some_and(|s| s.width == *w && s.height == *h)
        }
        (Field::Common(Common::Verdict), Matcher::NoValue) => ctx.verdict(i).is_none(),
        (Field::Common(Common::Verdict), Matcher::AnyValue) => ctx.verdict(i).is_some(),
        (Field::Common(Common::Verdict), Matcher::Verdict(v)) => ctx.verdict(i) == Some(*v),
        (Field::Common(Common::Suggestion), Matcher::Leaning(l)) => ctx.suggestion(i) == *l,
        (Field::Access(AccessField::Event), Matcher::Event(e)) => a.event == *e,
        (Field::Hop(f @ (HopField::Number | HopField::Delay)), m) => {
            let value = ctx.hop(i).and_then(|h| match f {
                HopField::Number => Some(f64::from(h.number)),
                _ => h.delay.map(|d| d as f64),
            });
            match (m, value) {
                (Matcher::NoValue, v) => v.is_none(),
                (Matcher::AnyValue, v) => v.is_some(),
                (Matcher::Seconds { min, max }, Some(v)) => {
                    min.is_none_or(|lo| v >= lo) && max.is_none_or(|hi| v <= hi)
                }
                _ => false,
            }
        }
        (f, m) => text_matches(&f.text(ctx, i, Form::Display), m),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_terms() {
        let f = Filter::parse(r#"microsoft -org:"ntt docomo" dt:<30 verdict:none 2001:db8::1"#)
            .unwrap();
        assert_eq!(f.clauses.len(), 5);
        assert_eq!(f.clauses[0].term, Term::Word("microsoft".into()));
        assert!(f.clauses[1].negate);
        assert_eq!(
            f.clauses[1].term,
            Term::Field(
                Field::Common(Common::OwnerLabel),
                Matcher::Text("ntt docomo".into())
            )
        );
        assert_eq!(
            f.clauses[2].term,
            Term::Field(
                Field::Access(AccessField::AfterSent),
                Matcher::Seconds {
                    min: None,
                    max: Some(30.0)
                }
            )
        );
        assert_eq!(
            f.clauses[3].term,
            Term::Field(Field::Common(Common::Verdict), Matcher::NoValue)
        );
        assert_eq!(f.clauses[4].term, Term::Word("2001:db8::1".into()));
    }

    #[test]
    fn rejects_bad_values_of_known_fields() {
        assert!(Filter::parse("dt:soon").is_err());
        assert!(Filter::parse("verdict:maybe").is_err());
        assert!(Filter::parse("suggest:x").is_err());
        assert!(Filter::parse("org:").is_err());
        assert!(Filter::parse("").unwrap().is_empty());
    }

    #[test]
    fn mistakes_are_named_and_left_out_while_the_rest_applies() {
        for bad in [
            "foo:bar",
            "ogr:microsoft",
            "ip:999.1.1.1",
            "ip:10.0.0.0/33",
            "dt:abc",
        ] {
            let err = Filter::parse(bad).unwrap_err();
            assert_eq!(err.term, bad);
        }
        assert!(
            Filter::parse("foo:bar")
                .unwrap_err()
                .reason
                .contains("no field is called \"foo\""),
        );
        // Addresses, URLs and partial addresses stay words or text.
        for fine in [
            "dead:beef::1",
            "http://x.example/a",
            "ip:40.94.",
            "ip:2001:db8::/32",
        ] {
            assert!(Filter::parse(fine).is_ok(), "{fine}");
        }
        let (filter, errors) = Filter::parse_lenient("org:microsoft dt:abc");
        assert_eq!(errors.len(), 1);
        assert_eq!(filter, Filter::parse("org:microsoft").unwrap());
        assert_eq!(
            filter.highlights(),
            vec![Highlight {
                field: Some(Field::Common(Common::OwnerLabel)),
                text: "microsoft".into()
            }]
        );
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("5m"), Some(300.0));
        assert_eq!(parse_duration("2h"), Some(7_200.0));
        assert_eq!(parse_duration("1.5"), Some(1.5));
        assert_eq!(parse_duration("5y"), None);
        assert_eq!(
            parse_seconds_range("10..60"),
            Some(Matcher::Seconds {
                min: Some(10.0),
                max: Some(60.0)
            })
        );
        assert_eq!(
            parse_seconds_range(">1h"),
            Some(Matcher::Seconds {
                min: Some(3_600.0),
                max: None
            })
        );
    }
}
