//! Finding the native CSV's columns by name. Hand-made sheets and training-kit
//! exports spell headings every which way, in English and Japanese, so names
//! are compared after folding case, width, spaces, `_` and `-`.

/// What whoclicked reads from a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Time,
    Ip,
    /// A recipient identifier; the lower the rank, the better it names a person.
    Recipient(u8),
    Rid,
    UserAgent,
    Screen,
    ScreenWidth,
    ScreenHeight,
    Event,
    SentAt,
    Method,
    /// The X-Forwarded-For a proxy in front of the landing page passed on.
    ForwardedFor,
}

/// Normalized spellings of each role. Checked in order, first match wins.
const ALIASES: &[(Role, &[&str])] = &[
    (
        Role::Time,
        &[
            "time",
            "timestamp",
            "date",
            "datetime",
            "dateandtime",
            "clickedat",
            "clicktime",
            "clickedtime",
            "accesstime",
            "accessedat",
            "eventtime",
            "requesttime",
            "visittime",
            "日時",
            "時刻",
            "日付",
            "タイムスタンプ",
            "アクセス日時",
            "アクセス時刻",
            "クリック日時",
            "クリック時刻",
            "発生日時",
            "記録日時",
        ],
    ),
    (
        Role::Ip,
        &[
            "ip",
            "ipaddress",
            "ipaddr",
            "sourceip",
            "sourceaddress",
            "srcip",
            "clientip",
            "clientaddress",
            "remoteaddr",
            "remoteaddress",
            "remoteip",
            "address",
            "ipアドレス",
            "アクセス元ip",
            "アクセス元ipアドレス",
            "接続元ip",
            "接続元ipアドレス",
            "送信元ip",
            "送信元ipアドレス",
            "クライアントip",
        ],
    ),
    (
        Role::Recipient(0),
        &[
            "email",
            "mail",
            "emailaddress",
            "mailaddress",
            "recipient",
            "recipientemail",
            "to",
            "メールアドレス",
            "メール",
            "宛先",
            "宛先アドレス",
            "受信者",
        ],
    ),
    (
        Role::Recipient(1),
        &[
            "employeeid",
            "employeenumber",
            "employeeno",
            "staffid",
            "社員番号",
            "従業員番号",
            "職員番号",
            "社員id",
            "社員コード",
        ],
    ),
    (
        Role::Recipient(2),
        &[
            "user",
            "userid",
            "username",
            "login",
            "account",
            "target",
            "ユーザー",
            "ユーザ",
            "ユーザーid",
            "ユーザid",
            "ユーザー名",
            "アカウント",
            "氏名",
            "名前",
            "対象者",
        ],
    ),
    (Role::Rid, &["rid", "resultid", "trackingid"]),
    (
        Role::UserAgent,
        &[
            "useragent",
            "ua",
            "httpuseragent",
            "agent",
            "ユーザーエージェント",
            "ユーザエージェント",
        ],
    ),
    (
        Role::Screen,
        &[
            "screen",
            "screensize",
            "screenresolution",
            "resolution",
            "display",
            "画面サイズ",
            "解像度",
            "画面解像度",
            "画面",
        ],
    ),
    (
        Role::ScreenWidth,
        &["screenwidth", "sw", "width", "画面幅", "画面の幅", "幅"],
    ),
    (
        Role::ScreenHeight,
        &[
            "screenheight",
            "sh",
            "height",
            "画面高さ",
            "画面の高さ",
            "高さ",
        ],
    ),
    (
        Role::Event,
        &[
            "event",
            "eventtype",
            "type",
            "action",
            "message",
            "イベント",
            "種別",
            "操作",
            "動作",
            "区分",
        ],
    ),
    (
        Role::SentAt,
        &[
            "sentat",
            "sent",
            "senttime",
            "sentdate",
            "senddate",
            "sendtime",
            "deliveredat",
            "deliverytime",
            "送信日時",
            "送信時刻",
            "配信日時",
            "配信時刻",
            "メール送信日時",
        ],
    ),
    (
        Role::Method,
        &["method", "httpmethod", "requestmethod", "メソッド"],
    ),
    (
        Role::ForwardedFor,
        &["forwardedfor", "xforwardedfor", "httpxforwardedfor", "xff"],
    ),
];

/// Folds a heading: full-width ASCII to ASCII, ASCII lower case, and drops
/// spaces (incl. the ideographic space), `_`, `-`, `.` and a stray BOM.
pub fn normalize(name: &str) -> String {
    name.chars()
        .filter_map(|c| {
            let c = match c {
                '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
                _ => c,
            };
            match c {
                ' ' | '\t' | '_' | '-' | '.' | '\u{3000}' | '\u{feff}' | '・' => None,
                _ => Some(c.to_ascii_lowercase()),
            }
        })
        .collect()
}

pub fn role_of(normalized: &str) -> Option<Role> {
    ALIASES
        .iter()
        .find(|(_, names)| names.contains(&normalized))
        .map(|&(role, _)| role)
}

/// Where each role's column is, plus the columns kept as extras.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Columns {
    pub time: Option<usize>,
    /// A second time-like column (kept as an extra too): Excel sheets often
    /// split the date (日付) and the time of day (時刻) into two columns.
    pub time_part: Option<usize>,
    pub ip: Option<usize>,
    pub recipient: Option<usize>,
    pub rid: Option<usize>,
    pub user_agent: Option<usize>,
    pub screen: Option<usize>,
    pub screen_width: Option<usize>,
    pub screen_height: Option<usize>,
    pub event: Option<usize>,
    pub sent_at: Option<usize>,
    pub method: Option<usize>,
    /// Also kept as an extra: the analyst sees the whole chain.
    pub forwarded_for: Option<usize>,
    /// Columns whoclicked does not interpret, in file order.
    pub extras: Vec<usize>,
}

impl Columns {
    /// Maps a header. The first column of a role wins; later ones and unknown
    /// names become extras. Fails when `time` or `ip` is missing.
    pub fn from_header(names: &[String]) -> Result<Columns, String> {
        let mut c = Columns::default();
        let mut recipient_rank = u8::MAX;
        let mut spare_recipients = Vec::new();
        for (i, name) in names.iter().enumerate() {
            let role = role_of(&normalize(name));
            let slot = match role {
                Some(Role::Time) => &mut c.time,
                Some(Role::Ip) => &mut c.ip,
                Some(Role::Rid) => &mut c.rid,
                Some(Role::UserAgent) => &mut c.user_agent,
                Some(Role::Screen) => &mut c.screen,
                Some(Role::ScreenWidth) => &mut c.screen_width,
                Some(Role::ScreenHeight) => &mut c.screen_height,
                Some(Role::Event) => &mut c.event,
                Some(Role::SentAt) => &mut c.sent_at,
                Some(Role::Method) => &mut c.method,
                Some(Role::ForwardedFor) => {
                    c.forwarded_for.get_or_insert(i);
                    c.extras.push(i);
                    continue;
                }
                Some(Role::Recipient(rank)) => {
                    if rank < recipient_rank {
                        if let Some(previous) = c.recipient {
                            spare_recipients.push(previous);
                        }
                        c.recipient = Some(i);
                        recipient_rank = rank;
                    } else {
                        spare_recipients.push(i);
                    }
                    continue;
                }
                // Spreadsheets leave unnamed trailing columns; they hold nothing worth showing.
                None if name.trim().is_empty() => continue,
                None => {
                    c.extras.push(i);
                    continue;
                }
            };
            if slot.is_none() {
                *slot = Some(i);
            } else {
                if role == Some(Role::Time) && c.time_part.is_none() {
                    c.time_part = Some(i);
                }
                c.extras.push(i);
            }
        }
        // Without an e-mail or user column the rid is the recipient's only name.
        if c.recipient.is_none() {
            c.recipient = c.rid;
        }
        // Width alone (or height alone) is no screen: keep it visible as data.
        if c.screen_width.is_some() != c.screen_height.is_some() {
            c.extras.extend(c.screen_width.take());
            c.extras.extend(c.screen_height.take());
        }
        c.extras.extend(spare_recipients);
        c.extras.sort_unstable();
        let mut missing = Vec::new();
        if c.time.is_none() {
            missing.push("time (or timestamp, date, datetime, clicked_at, 日時, アクセス日時…)");
        }
        if c.ip.is_none() {
            missing.push(
                "ip (or ip_address, source_ip, client_ip, remote_addr, IPアドレス, 接続元IP…)",
            );
        }
        if missing.is_empty() {
            Ok(c)
        } else {
            Err(format!(
                "no column named {}",
                missing.join(" and no column named ")
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn normalizes_headings() {
        assert_eq!(normalize("Clicked_At"), "clickedat");
        assert_eq!(normalize(" User-Agent "), "useragent");
        assert_eq!(normalize("ＩＰアドレス"), "ipアドレス");
        assert_eq!(normalize("\u{feff}e-mail"), "email");
        assert_eq!(normalize("アクセス 日時"), "アクセス日時");
    }

    #[test]
    fn maps_english_and_japanese_headers() {
        let c = Columns::from_header(&names(&[
            "Timestamp",
            "Source IP",
            "E-mail",
            "UA",
            "Screen Size",
            "department",
        ]))
        .unwrap();
        assert_eq!(
            (c.time, c.ip, c.recipient, c.user_agent, c.screen),
            (Some(0), Some(1), Some(2), Some(3), Some(4))
        );
        assert_eq!(c.extras, vec![5]);
        let c = Columns::from_header(&names(&[
            "アクセス日時",
            "接続元IP",
            "社員番号",
            "画面幅",
            "画面高さ",
            "配信日時",
        ]))
        .unwrap();
        assert_eq!(
            (
                c.time,
                c.ip,
                c.recipient,
                c.screen_width,
                c.screen_height,
                c.sent_at
            ),
            (Some(0), Some(1), Some(2), Some(3), Some(4), Some(5))
        );
    }

    #[test]
    fn email_beats_rid_and_user() {
        let c = Columns::from_header(&names(&["rid", "user", "time", "ip", "email"])).unwrap();
        assert_eq!((c.recipient, c.rid), (Some(4), Some(0)));
        assert_eq!(c.extras, vec![1]);
        let c = Columns::from_header(&names(&["rid", "time", "ip"])).unwrap();
        assert_eq!((c.recipient, c.rid), (Some(0), Some(0)));
    }

    #[test]
    fn duplicates_and_lonely_width_become_extras() {
        let c = Columns::from_header(&names(&["time", "ip", "date", "width", "", " "])).unwrap();
        assert_eq!(c.extras, vec![2, 3]);
        assert_eq!(c.time_part, Some(2));
        assert_eq!(c.screen_width, None);
    }

    #[test]
    fn says_which_required_columns_are_missing() {
        let err = Columns::from_header(&names(&["when", "who"])).unwrap_err();
        assert!(err.starts_with("no column named time"), "{err}");
        assert!(err.contains("no column named ip"), "{err}");
        let err = Columns::from_header(&names(&["time", "who"])).unwrap_err();
        assert!(!err.contains("named time"), "{err}");
    }
}
