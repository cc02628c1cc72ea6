//! The sheet's words, in English and Japanese. The tone is the one of a
//! colleague showing facts: what the log recorded, what that usually means,
//! never an accusation ("this looks like your phone", not "you clicked").

use jiff::tz::TimeZone;

use super::Lang;
use super::facts::{AccessFacts, Device, Kind, Network};
use crate::model::{Event, Timestamp};

/// The fixed words of a sheet.
pub struct Words {
    pub accesses_heading: &'static str,
    pub verdict_heading: &'static str,
    pub meaning_heading: &'static str,
    pub no_access: &'static str,
}

pub fn of(lang: Lang) -> &'static Words {
    match lang {
        Lang::En => &Words {
            accesses_heading: "What the log recorded",
            verdict_heading: "Verdict",
            meaning_heading: "What this means for you",
            no_access: "No access to the training link was recorded.",
        },
        Lang::Ja => &Words {
            accesses_heading: "ログに残っていた記録",
            verdict_heading: "判定",
            meaning_heading: "あなたにとっての意味",
            no_access: "訓練リンクへのアクセスは記録されていません。",
        },
    }
}

pub fn title(lang: Lang, recipient: &str) -> String {
    match lang {
        Lang::En => format!("Training mail: what the log shows for {recipient}"),
        Lang::Ja => format!("訓練メール：{recipient} さんのアクセス記録"),
    }
}

pub fn delivered(lang: Lang, at: Option<Timestamp>, zone: &TimeZone) -> String {
    match (lang, at) {
        (Lang::En, Some(t)) => format!("The mail arrived at {}.", t.format_minute_zoned(zone)),
        (Lang::Ja, Some(t)) => format!("メールの到着：{}", t.format_minute_zoned(zone)),
        (Lang::En, None) => "The log does not say when the mail arrived.".to_string(),
        (Lang::Ja, None) => "メールの到着時刻はログに記録されていません。".to_string(),
    }
}

/// `1 h 3 min` / `1時間3分`.
fn span(lang: Lang, seconds: f64) -> String {
    let s = seconds.abs().round() as u64;
    let (d, h, m) = (s / 86_400, s / 3600 % 24, s / 60 % 60);
    match lang {
        Lang::En if s < 60 => format!("{s} s"),
        Lang::En if s < 3600 => format!("{m} min"),
        Lang::En if d == 0 && m == 0 => format!("{h} h"),
        Lang::En if d == 0 => format!("{h} h {m} min"),
        Lang::En => format!("{d} d {h} h"),
        Lang::Ja if s < 60 => format!("{s}秒"),
        Lang::Ja if s < 3600 => format!("{m}分"),
        Lang::Ja if d == 0 && m == 0 => format!("{h}時間"),
        Lang::Ja if d == 0 => format!("{h}時間{m}分"),
        Lang::Ja => format!("{d}日{h}時間"),
    }
}

fn after(lang: Lang, facts: &AccessFacts) -> String {
    match (lang, facts.after_delivery) {
        (_, None) => String::new(),
        (Lang::En, Some(s)) if s < 0.0 => format!(", {} before the mail arrived", span(lang, s)),
        (Lang::En, Some(s)) => format!(", {} after the mail arrived", span(lang, s)),
        (Lang::Ja, Some(s)) if s < 0.0 => format!("（メール到着の{}前）", span(lang, s)),
        (Lang::Ja, Some(s)) => format!("（メール到着から{}後）", span(lang, s)),
    }
}

fn network(lang: Lang, n: &Network) -> String {
    match (lang, n) {
        (
            Lang::En,
            Network::Office {
                host, user, client, ..
            },
        ) => {
            let pc = if host.is_empty() {
                format!("the PC at {client}")
            } else {
                format!("the PC {host}")
            };
            let user = if user.is_empty() {
                String::new()
            } else {
                format!(", signed in to the proxy as {user}")
            };
            format!("from {pc} on the office network{user}")
        }
        (
            Lang::Ja,
            Network::Office {
                host, user, client, ..
            },
        ) => {
            let pc = if host.is_empty() {
                format!("PC（{client}）")
            } else {
                format!("PC「{host}」")
            };
            let user = if user.is_empty() {
                String::new()
            } else {
                format!("（プロキシのユーザー「{user}」）")
            };
            format!("社内ネットワークの{pc}{user}から")
        }
        (Lang::En, Network::Cellular(name)) => format!("on the {name} mobile network"),
        (Lang::Ja, Network::Cellular(name)) => format!("{name} のモバイル回線から"),
        (Lang::En, Network::Residential(name)) => {
            format!("from a home or small-office line ({name})")
        }
        (Lang::Ja, Network::Residential(name)) => format!("自宅などの固定回線（{name}）から"),
        (Lang::En, Network::Security(name)) => {
            format!("from {name}'s network, a security vendor's")
        }
        (Lang::Ja, Network::Security(name)) => {
            format!("セキュリティ企業 {name} のネットワークから")
        }
        (Lang::En, Network::Cloud(name)) => format!("from {name}'s cloud network"),
        (Lang::Ja, Network::Cloud(name)) => format!("{name} のクラウドのネットワークから"),
        (Lang::En, Network::Internal) => "from the company's own network".to_string(),
        (Lang::Ja, Network::Internal) => "社内ネットワークから".to_string(),
        (Lang::En, Network::Other(name)) => format!("from a network of {name}"),
        (Lang::Ja, Network::Other(name)) => format!("{name} のネットワークから"),
        (Lang::En, Network::Unknown) => "from an address no database knows".to_string(),
        (Lang::Ja, Network::Unknown) => "持ち主の分からないアドレスから".to_string(),
    }
}

fn device(lang: Lang, d: &Device) -> String {
    let phone = |os: &str| match os {
        "iPhone" | "iPad" | "iOS" => os.to_string(),
        "" | "UNKNOWN" => String::new(),
        other => other.to_string(),
    };
    match (lang, d) {
        (Lang::En, Device::Phone(os)) => match phone(os).as_str() {
            "" => "on a smartphone".to_string(),
            name @ ("iPhone" | "iPad") => format!("on an {name}"),
            name => format!("on an {name} phone"),
        },
        (Lang::Ja, Device::Phone(os)) => match phone(os).as_str() {
            "" => "スマートフォンで".to_string(),
            name @ ("iPhone" | "iPad") => format!("{name} で"),
            name => format!("{name} のスマートフォンで"),
        },
        (Lang::En, Device::Pc { os, browser }) => format!("on a {os} PC ({browser})"),
        (Lang::Ja, Device::Pc { os, browser }) => format!("{os} のPC（{browser}）で"),
        (Lang::En, Device::Program) => "by a program, not a browser".to_string(),
        (Lang::Ja, Device::Program) => "ブラウザーではないプログラムで".to_string(),
        (_, Device::Unknown) => String::new(),
    }
}

fn event(lang: Lang, e: Event) -> &'static str {
    match (lang, e) {
        (Lang::En, Event::Click) => "the link was opened",
        (Lang::En, Event::Open) => "the mail's images were loaded (the mail was displayed)",
        (Lang::En, Event::Submit) => "something was typed into the training page's form",
        (Lang::En, Event::Report) => "the mail was reported",
        (Lang::Ja, Event::Click) => "リンクが開かれました",
        (Lang::Ja, Event::Open) => "メールの画像が読み込まれました（メールが表示されました）",
        (Lang::Ja, Event::Submit) => "訓練ページのフォームに入力がありました",
        (Lang::Ja, Event::Report) => "メールが報告されました",
    }
}

/// One access: `10:03:00 — opened on an iPhone, on the NTT DOCOMO mobile
/// network, 1 h 3 min after the mail arrived. This looks like your phone.`
pub fn access_line(lang: Lang, f: &AccessFacts) -> String {
    let net = network(lang, &f.network);
    let when = after(lang, f);
    match (lang, f.kind) {
        (Lang::En, Kind::Scanner) => format!(
            "{} — the link was checked automatically {net}{when}: a security service or \
             program fetches links to see whether they are safe, often before anyone has \
             read the mail. Nothing to do with you.",
            f.clock
        ),
        (Lang::Ja, Kind::Scanner) => format!(
            "{} — {net}、リンクが自動的に確認されました{when}。セキュリティ製品などが、安全かどうかを\
             調べるためにリンクを開くもので、メールが読まれる前に起きることもよくあります。\
             あなたの操作ではありません。",
            f.clock
        ),
        (_, Kind::Human | Kind::Unsure) => {
            let dev = device(lang, &f.device);
            let ev = event(lang, f.event);
            let conclusion = conclusion(lang, f);
            match lang {
                Lang::En => {
                    let dev = if dev.is_empty() {
                        String::new()
                    } else {
                        format!(" {dev}")
                    };
                    format!("{} — {ev}{dev}, {net}{when}. {conclusion}", f.clock)
                }
                Lang::Ja => format!("{} — {net}、{dev}{ev}{when}。{conclusion}", f.clock),
            }
        }
    }
}

fn conclusion(lang: Lang, f: &AccessFacts) -> String {
    if f.kind == Kind::Unsure {
        return match lang {
            Lang::En => "Whether a person or a program did this could not be told.".to_string(),
            Lang::Ja => {
                "人の操作か、プログラムによる自動アクセスかは判別できませんでした。".to_string()
            }
        };
    }
    match (&f.network, &f.device) {
        (
            Network::Office {
                elsewhere: Some(owner),
                host,
                ..
            },
            _,
        ) => {
            let pc = if host.is_empty() {
                "the PC"
            } else {
                host.as_str()
            };
            match lang {
                Lang::En => format!(
                    "{pc} is {owner}'s machine, not yours: the mail may have been forwarded \
                     and opened there."
                ),
                Lang::Ja => format!(
                    "「{pc}」は {owner} さんのPCで、あなたのものではありません。メールが転送され、\
                     そちらで開かれた可能性があります。"
                ),
            }
        }
        (Network::Office { .. }, _) => match lang {
            Lang::En => "This was a person at a PC in the office; it looks like yours.".to_string(),
            Lang::Ja => "社内のPCで人が開いたアクセスで、あなたのPCのようです。".to_string(),
        },
        (_, Device::Phone(_)) => match lang {
            Lang::En => "This looks like your phone.".to_string(),
            Lang::Ja => "あなたのスマートフォンからのアクセスのようです。".to_string(),
        },
        _ => match lang {
            Lang::En => "This looks like a person at a computer.".to_string(),
            Lang::Ja => "人がPCで開いたアクセスのようです。".to_string(),
        },
    }
}

/// Whether a person opened the link (click or form), by the facts.
fn person_clicked(facts: &[AccessFacts]) -> bool {
    facts
        .iter()
        .any(|f| f.kind == Kind::Human && matches!(f.event, Event::Click | Event::Submit))
}

pub fn verdict(lang: Lang, facts: &[AccessFacts]) -> String {
    let decisive: Vec<&AccessFacts> = if person_clicked(facts) {
        facts
            .iter()
            .filter(|f| f.kind == Kind::Human && matches!(f.event, Event::Click | Event::Submit))
            .collect()
    } else {
        facts.iter().collect()
    };
    let analysts: Vec<&str> = decisive
        .iter()
        .filter_map(|f| f.decided_by.as_deref())
        .collect();
    let by = match (lang, analysts.first()) {
        (Lang::En, Some(a)) => format!("reviewed by {a}"),
        (Lang::Ja, Some(a)) => format!("{a} が確認済み"),
        (Lang::En, None) => {
            "suggested by whoclicked from the log; not yet reviewed by a person".to_string()
        }
        (Lang::Ja, None) => "whoclicked がログから推定（担当者による確認はまだ）".to_string(),
    };
    let what = if person_clicked(facts) {
        match lang {
            Lang::En => "A person opened the training link",
            Lang::Ja => "訓練リンクは人の操作で開かれました",
        }
    } else if facts.is_empty() {
        match lang {
            Lang::En => "No access",
            Lang::Ja => "アクセスなし",
        }
    } else if facts.iter().all(|f| f.kind == Kind::Scanner) {
        match lang {
            Lang::En => "Only automatic checks, no person",
            Lang::Ja => "自動的な確認のみで、人の操作はありません",
        }
    } else {
        match lang {
            Lang::En => "Not decided: the log cannot tell",
            Lang::Ja => "未判定：ログからは判別できません",
        }
    };
    match lang {
        Lang::En => format!("{what} ({by})."),
        Lang::Ja => format!("{what}（{by}）。"),
    }
}

pub fn meaning(lang: Lang, facts: &[AccessFacts]) -> String {
    let forwarded = facts.iter().any(|f| {
        f.kind == Kind::Human
            && matches!(
                &f.network,
                Network::Office {
                    elsewhere: Some(_),
                    ..
                }
            )
    });
    let own_click = facts.iter().any(|f| {
        f.kind == Kind::Human
            && matches!(f.event, Event::Click | Event::Submit)
            && !matches!(
                &f.network,
                Network::Office {
                    elsewhere: Some(_),
                    ..
                }
            )
    });
    let scanned = facts.iter().any(|f| f.kind == Kind::Scanner);
    let mut parts: Vec<&str> = Vec::new();
    match lang {
        Lang::En => {
            if own_click {
                parts.push(
                    "The training link was opened. That is what the training is for: next time, \
                     check the sender and where the link leads before opening it, and report a \
                     suspicious mail with the report button.",
                );
            }
            if forwarded {
                parts.push(
                    "The link was opened on someone else's PC. If you forwarded the mail, please \
                     tell us to whom; a suspicious mail is better reported than forwarded.",
                );
            }
            if !own_click && !forwarded && facts.iter().any(|f| f.kind == Kind::Unsure) {
                parts.push(
                    "The log alone cannot tell whether you opened the link. If you remember \
                     opening it, please tell us; it helps the next training.",
                );
            }
            if scanned {
                parts.push(
                    "Mail to you passes through an automatic security check that opens links \
                     by itself: that is why the log shows accesses you did not make.",
                );
            }
            if parts.is_empty() {
                parts.push("Nothing to do.");
            }
        }
        Lang::Ja => {
            if own_click {
                parts.push(
                    "訓練リンクが開かれました。訓練はこのためのものです。次回は、開く前に差出人とリンク先を\
                     確かめ、怪しいメールは報告ボタンで報告してください。",
                );
            }
            if forwarded {
                parts.push(
                    "リンクは別の方のPCで開かれました。メールを転送した場合は、転送先を教えてください。\
                     怪しいメールは転送せず報告するのが安全です。",
                );
            }
            if !own_click && !forwarded && facts.iter().any(|f| f.kind == Kind::Unsure) {
                parts.push(
                    "ログだけでは、あなたがリンクを開いたかどうか判断できません。開いた覚えがあれば\
                     教えてください。次の訓練に役立ちます。",
                );
            }
            if scanned {
                parts.push(
                    "あなた宛てのメールは、リンクを自動で開いて確認するセキュリティ製品を通っています。\
                     あなたが操作していないアクセスが記録されるのはそのためです。",
                );
            }
            if parts.is_empty() {
                parts.push("対応は不要です。");
            }
        }
    }
    let sep = if lang == Lang::Ja { "" } else { " " };
    parts.join(sep)
}
