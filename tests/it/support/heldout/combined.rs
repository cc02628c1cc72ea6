//! The world as the landing server's access log (Apache/nginx combined; for a
//! server behind a load balancer, nginx's `main` with X-Forwarded-For).
//!
//! The mail's link is `/?rid=…`. A page load that runs JavaScript also
//! fetches the page's stylesheet, script and icon (no rid: no access) and
//! then sends a beacon `/b?rid=…&screen=WxH`, which is an access of its own
//! (its truth is the page load's, marked `beacon`). A HEAD is logged as
//! such, the form's POST as `POST /?rid=…`. Internet background noise
//! (probes of `/wp-login.php`, `/.env`) carries no rid. Whole seconds, the
//! server's own offset; an empty UA is `-`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use whoclicked::testing::Rng;

use super::clock;
use super::model::{Method, World};
use super::networks as net;
use super::specs::Spec;
use super::truth::AccessTruth;

const HOST: &str = "https://training-portal.net";

struct Line {
    at: i64,
    text: String,
    truth: Option<AccessTruth>,
}

fn escape(text: &str) -> String {
    if text.is_empty() {
        return "-".to_string();
    }
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

#[allow(clippy::too_many_arguments)]
fn line(
    spec: &Spec,
    balancer: &str,
    client: &str,
    at: i64,
    request: &str,
    status: u16,
    size: u32,
    referer: &str,
    agent: &str,
) -> String {
    let time = clock::clf(at, spec.server_offset_minutes);
    let mut out = String::new();
    let host = if spec.behind_load_balancer {
        balancer
    } else {
        client
    };
    let _ = write!(
        out,
        "{host} - - {time} \"{request}\" {status} {size} \"{}\" \"{}\"",
        escape(referer),
        escape(agent)
    );
    if spec.behind_load_balancer {
        let _ = write!(out, " \"{client}\"");
    }
    out
}

/// The file's bytes and the truth by line.
pub fn write(spec: &Spec, world: &World, screens: bool) -> (Vec<u8>, BTreeMap<u32, AccessTruth>) {
    let mut rng = Rng::splitmix64(spec.seed ^ 0xacce_5510);
    let balancers = ["10.20.1.11", "10.20.2.11"];
    let mut lines: Vec<Line> = Vec::new();
    for v in &world.visits {
        let r = &world.recipients[v.recipient];
        let lb = balancers[rng.index(2)];
        let client = v.ip.to_string();
        let page = format!("/?rid={}", r.rid);
        let landing = format!("{HOST}{page}");
        let ua = v.user_agent.as_str();
        let (request, status, size, referer) = match v.method {
            Method::Get => (format!("GET {page} HTTP/1.1"), 200, 5312, "-"),
            Method::Head => (format!("HEAD {page} HTTP/1.1"), 200, 0, "-"),
            Method::Post => (format!("POST {page} HTTP/1.1"), 302, 0, landing.as_str()),
        };
        let text = line(
            spec, lb, &client, v.at_ms, &request, status, size, referer, ua,
        );
        lines.push(Line {
            at: v.at_ms,
            text,
            truth: Some(AccessTruth::of(world, v, false)),
        });
        let Some((w, h)) = v.screen.filter(|_| screens && v.method == Method::Get) else {
            continue;
        };
        for (k, (asset, size)) in [
            ("/static/site.css", 18_204),
            ("/static/app.js", 9_771),
            ("/favicon.ico", 1_150),
        ]
        .into_iter()
        .enumerate()
        {
            let at = v.at_ms + 120 + 90 * k as i64 + rng.below(200) as i64;
            let request = format!("GET {asset} HTTP/1.1");
            let text = line(spec, lb, &client, at, &request, 200, size, &landing, ua);
            lines.push(Line {
                at,
                text,
                truth: None,
            });
        }
        let at = v.at_ms + v.beacon_after_ms;
        let request = format!("GET /b?rid={}&screen={w}x{h} HTTP/1.1", r.rid);
        let text = line(spec, lb, &client, at, &request, 204, 0, &landing, ua);
        lines.push(Line {
            at,
            text,
            truth: Some(AccessTruth::of(world, v, true)),
        });
    }
    // Background probes of the internet at large: no rid, no access.
    let (first, last) = match (world.visits.first(), world.visits.last()) {
        (Some(f), Some(l)) => (f.at_ms, l.at_ms),
        _ => (world.launched_ms, world.launched_ms),
    };
    let probes = world.visits.len() / 25 + 3;
    for _ in 0..probes {
        let at = first + rng.below((last - first).max(1) as u64) as i64;
        let pool = [net::DIGITALOCEAN, net::OVH, net::HETZNER, net::LINODE][rng.index(4)];
        let client = pool.draw(&mut rng).to_string();
        let (path, status) = *rng.pick(&[
            ("/wp-login.php", 404),
            ("/.env", 404),
            ("/", 200),
            ("/robots.txt", 200),
            ("/.git/config", 404),
        ]);
        let agent = *rng.pick(&[
            "Mozilla/5.0 (compatible; CensysInspect/1.1; +https://about.censys.io/)",
            "Mozilla/5.0 zgrab/0.x",
            "python-requests/2.31.0",
            "",
        ]);
        let request = format!("GET {path} HTTP/1.1");
        let text = line(
            spec,
            balancers[0],
            &client,
            at,
            &request,
            status,
            162,
            "-",
            agent,
        );
        lines.push(Line {
            at,
            text,
            truth: None,
        });
    }
    lines.sort_by_key(|l| l.at);

    let mut out = String::new();
    let mut truth = BTreeMap::new();
    for (n, l) in lines.into_iter().enumerate() {
        out.push_str(&l.text);
        out.push('\n');
        if let Some(t) = l.truth {
            truth.insert(u32::try_from(n + 1).expect("lines fit u32"), t);
        }
    }
    (out.into_bytes(), truth)
}
