//! No input may panic or hang a reader: mutated and random inputs, fed to
//! every reader with and without detection, must give a campaign whose ids
//! all point somewhere, or an error.

use std::io::Read;

use whoclicked::input::{LoadOptions, LoadProgress, parse_encoding, read_into};
use whoclicked::model::{Campaign, LogFormat, NO_EXTRA};
// Marsaglia's xorshift64: deterministic, so a failure can be replayed.
use whoclicked::testing::Rng;

const SEEDS: &[&str] = &[
    "time,ip,email,rid,user_agent,screen,event,sent_at,dept\n\
     2026-10-01 09:05:03,203.0.113.9,alice@example.com,Uep6fAo,Mozilla/5.0,390x844,click,2026-10-01 09:00:00,経理\n\
     2026/10/1 9:05,2001:db8::1,'=bob@example.com,,curl/8.0,,open,,\n\
     1790000000,10.0.0.1,carol,,\"a,\"\"b\"\"\",1x1,sent,,\n",
    "日時\t接続元IP\t社員番号\t画面幅\t画面高さ\n2026-10-01T09:00:00+09:00\t10.0.0.1\tA-1\t1536\t864\n",
    "campaign_id,email,time,message,details\r\n\
     7,,2026-10-01T00:59:58.1Z,Campaign Created,\r\n\
     7,alice@example.com,2026-10-01T01:00:01.123456Z,Email Sent,\r\n\
     7,alice@example.com,2026-10-01T01:00:04.5Z,Clicked Link,\"{\"\"payload\"\":{\"\"rid\"\":[\"\"Uep6fAo\"\"],\"\"screen\"\":[\"\"390x844\"\"]},\"\"browser\"\":{\"\"address\"\":\"\"40.94.89.23\"\",\"\"user-agent\"\":\"\"Mozilla\"\"}}\"\r\n\
     7,bob@example.com,2026-10-01T01:00:05Z,Error Sending Email,\"{\"\"error\"\":\"\"550\"\"}\"\r\n\
     7,alice@example.com,2026-10-01T02:00:00Z,Email Reported,\"{\"\"payload\"\":null,\"\"browser\"\":null}\"",
    "40.94.89.23 - - [01/Oct/2026:10:00:04 +0900] \"GET /?rid=Uep6fAo&sw=1&sh=2 HTTP/1.1\" 200 5120 \"-\" \"Mozilla/5.0 \\\"x\\\"\"\n\
     52.1.2.3 - - [01/Oct/2026:10:00:05 +0900] \"HEAD /track?rid=U%65p HTTP/1.1\" 200 - \"-\" \"python-requests/2.31.0\"\n\
     ::1 - - [01/Oct/2026:10:00:06 +0000] \"POST /report?rid=x HTTP/1.1\" 302 0\n",
];

/// Bytes that matter to the parsers, plus Shift_JIS and UTF-8 lead bytes.
const SPICE: &[u8] = b",;\t\"'\r\n\\[]?&=%+-@:/ .xZ0129\x00\x81\x82\x83\xe3\xe6\xef\xff{}";

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..1 + rng.index(8) {
        let len = out.len();
        match rng.index(7) {
            0 if len > 0 => {
                let i = rng.index(len);
                out[i] = SPICE[rng.index(SPICE.len())];
            }
            1 => {
                let i = rng.index(len + 1);
                out.insert(i, SPICE[rng.index(SPICE.len())]);
            }
            2 if len > 0 => {
                let i = rng.index(len);
                let j = (i + rng.index(16)).min(len);
                out.drain(i..j);
            }
            3 if len > 0 => {
                let i = rng.index(len);
                let j = (i + rng.index(64)).min(len);
                let piece = out[i..j].to_vec();
                let at = rng.index(out.len() + 1);
                out.splice(at..at, piece);
            }
            4 => out.truncate(rng.index(len + 1)),
            5 if len > 0 => {
                let i = rng.index(len);
                out[i] = rng.next_u64() as u8;
            }
            _ => {
                let other = SEEDS[rng.index(SEEDS.len())].as_bytes();
                let at = rng.index(out.len() + 1);
                let take = rng.index(other.len() + 1);
                out.splice(at..at, other[..take].iter().copied());
            }
        }
    }
    out
}

fn option_sets() -> Vec<LoadOptions> {
    let base = LoadOptions {
        zone: whoclicked::model::parse_zone("America/New_York").unwrap(),
        ..LoadOptions::default()
    };
    let mut sets = vec![base.clone()];
    for format in [LogFormat::Native, LogFormat::GoPhish, LogFormat::Combined] {
        sets.push(LoadOptions {
            format: Some(format),
            ..base.clone()
        });
    }
    sets.push(LoadOptions {
        encoding: parse_encoding("sjis"),
        ..base
    });
    sets
}

/// Every id in the campaign points into its tables, and the counters add up.
fn check(c: &Campaign) {
    for a in &c.accesses {
        let file = &c.files[usize::from(a.file)];
        assert!(a.ip.index() < c.ips.len());
        assert!(a.user_agent.index() < c.user_agents.len());
        if let Some(r) = a.recipient() {
            assert!(r.index() < c.recipients.len());
        }
        assert!(a.method.index() < c.strings.len());
        if a.extra != NO_EXTRA {
            assert!(a.extra as usize + file.extra_columns.len() <= c.extra_values.len());
        }
        assert!(a.row >= 1 && a.line >= 1);
    }
    for (i, f) in c.files.iter().enumerate() {
        let n = c
            .accesses
            .iter()
            .filter(|a| usize::from(a.file) == i)
            .count();
        assert_eq!(f.accesses, n as u64);
        assert!(f.accesses + f.skipped <= f.rows.max(1) * 2);
    }
    for issue in &c.issues {
        assert!(usize::from(issue.file) < c.files.len());
        assert!(
            !issue.reason.chars().any(char::is_control),
            "{:?}",
            issue.reason
        );
    }
}

/// How many accesses the input gave (0 on error).
fn feed(input: &[u8], options: &LoadOptions) -> usize {
    let mut c = Campaign::new();
    let result = read_into(&mut c, "fuzz", input, options, &LoadProgress::default());
    if result.is_ok() {
        check(&c);
        c.accesses.len()
    } else {
        0
    }
}

#[test]
fn mutated_inputs_never_panic() {
    let sets = option_sets();
    let mut rng = Rng::xorshift64(0x9E37_79B9_7F4A_7C15);
    let sjis_seed = encoding_rs::SHIFT_JIS.encode(SEEDS[1]).0.into_owned();
    let mut utf16_seed = vec![0xff, 0xfe];
    for unit in SEEDS[0].encode_utf16() {
        utf16_seed.extend_from_slice(&unit.to_le_bytes());
    }
    let mut still_read = 0;
    for round in 0..3000 {
        let seed: &[u8] = match round % (SEEDS.len() + 2) {
            i if i < SEEDS.len() => SEEDS[i].as_bytes(),
            i if i == SEEDS.len() => &sjis_seed,
            _ => &utf16_seed,
        };
        let input = mutate(&mut rng, seed);
        if feed(&input, &sets[round % sets.len()]) > 0 {
            still_read += 1;
        }
        if round % 10 == 0 {
            for options in &sets {
                feed(&input, options);
            }
        }
    }
    // Mutations must leave many inputs readable, or the checks above ran on nothing.
    assert!(
        still_read > 200,
        "only {still_read} mutated inputs still read"
    );
}

#[test]
fn random_bytes_never_panic() {
    let sets = option_sets();
    let mut rng = Rng::xorshift64(42);
    for round in 0..1000 {
        let len = rng.index(2048);
        let input: Vec<u8> = (0..len)
            .map(|_| {
                if rng.index(3) == 0 {
                    SPICE[rng.index(SPICE.len())]
                } else {
                    rng.next_u64() as u8
                }
            })
            .collect();
        feed(&input, &sets[round % sets.len()]);
    }
}

#[test]
fn degenerate_files_never_panic() {
    let cases: Vec<Vec<u8>> = vec![
        vec![],
        b"\xef\xbb\xbf".to_vec(),
        b"\n\n\r\n".to_vec(),
        vec![0; 100_000],
        vec![0xff; 100_000],
        b"time,ip\n".to_vec(),
        b"campaign_id,email,time,message,details".to_vec(),
        b"time,ip\n\"2026-10-01 09:00:00,10.0.0.1\n".to_vec(),
        b"time,ip\n2026-10-01 09:00:00,10.0.0.1,\"unterminated".to_vec(),
        b"\x1f\x8b\x08\x00junk".to_vec(),
        b"PK\x03\x04junk".to_vec(),
        b"\xff\xfet\x00i\x00".to_vec(),
        b"\xff\xfe".to_vec(),
        b"\xfe\xff\xd8\x00".to_vec(),
        b"t\x00i\x00m\x00e\x00,\x00i\x00p\x00\n\x00".to_vec(),
        "時刻,IP\n".repeat(20_000).into_bytes(),
    ];
    for case in &cases {
        for options in &option_sets() {
            feed(case, options);
        }
    }
}

/// A reader of `len` bytes of `x` and then a newline, without holding them.
struct LongLine {
    left: usize,
}

impl Read for LongLine {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            return Ok(0);
        }
        let n = buf.len().min(self.left);
        buf[..n].fill(b'x');
        self.left -= n;
        if self.left == 0 {
            buf[n - 1] = b'\n';
        }
        Ok(n)
    }
}

#[test]
fn a_huge_line_is_refused_without_panic() {
    // 100 MB streams through the access-log reader in bounded memory.
    let options = LoadOptions {
        format: Some(LogFormat::Combined),
        ..LoadOptions::default()
    };
    let mut c = Campaign::new();
    let progress = LoadProgress::default();
    let r = read_into(
        &mut c,
        "big.log",
        LongLine { left: 100 << 20 },
        &options,
        &progress,
    );
    assert!(r.is_err());
    assert_eq!(c.issues[0].reason, "the line is longer than 1048576 bytes");
    assert_eq!(
        progress
            .bytes_read
            .load(std::sync::atomic::Ordering::Relaxed),
        100 << 20
    );
    // The CSV readers hold one record whole; 20 MB is enough to show they cope.
    for options in option_sets() {
        let mut c = Campaign::new();
        let r = read_into(
            &mut c,
            "big.csv",
            LongLine { left: 20 << 20 },
            &options,
            &progress,
        );
        assert!(r.is_err() || c.accesses.is_empty());
    }
}
