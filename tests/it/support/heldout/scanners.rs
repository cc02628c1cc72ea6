//! The mail-security products in front of the mailboxes: Microsoft Defender
//! for Office 365 Safe Links, the gateways (Proofpoint, Mimecast, Barracuda,
//! Cisco, Trend Micro), and their checks at the moment a person clicks.
//!
//! Safe Links fetches seconds after delivery (the vendors' and awareness
//! platforms' shared observation, scanner-signals.md §1.5), mostly from the
//! Exchange Online mail-flow ranges but also from other Microsoft ranges
//! (40.94.x, 40.64.x, 52.112.x, Azure), with a small fleet of stale or empty
//! UAs and HEAD probes, and runs JavaScript and forms. Gateways fetch from
//! their own ASNs at delivery; Barracuda "all at the same time, often just
//! after the message was sent" (Act-On); Proofpoint re-scans later and
//! sandboxes with JavaScript. Click-time checks come 0.4–4 s after a person's
//! click, from the vendor's network.

use std::net::IpAddr;

use super::builder::Builder;
use super::machine_agents::{self as ua, GO_HTTP};
use super::model::{Actor, Family, Method};
use super::networks::{self as net, Pool};
use super::specs::Gateway;

/// A scanning node: an address and the pool it is in.
#[derive(Clone, Copy, Debug)]
pub struct Node {
    pub ip: IpAddr,
    pub pool: Pool,
}

/// The campaign's Microsoft detonation fleet.
pub struct SafeLinksFleet {
    eop: Vec<Node>,
    other: Vec<Node>,
    agents: Vec<(String, f64)>,
}

/// One gateway's nodes and agents.
pub struct GatewayFleet {
    pub gateway: Gateway,
    nodes: Vec<Node>,
    agents: Vec<String>,
}

struct GatewayTraits {
    pools: &'static [Pool],
    source: &'static str,
    /// Share of recipients it fetches for at delivery.
    prefetch: f64,
    /// Median seconds after the send, log-normal spread.
    median_s: f64,
    /// Share of its page loads that run JavaScript.
    javascript: f64,
    /// Share of recipients fetched again hours later.
    rescan: f64,
    /// Share of people's clicks it checks at click time.
    at_click: f64,
}

fn traits(gateway: Gateway) -> GatewayTraits {
    match gateway {
        Gateway::Proofpoint => GatewayTraits {
            pools: &[
                net::PROOFPOINT_26211,
                net::PROOFPOINT_22843,
                net::PROOFPOINT_EU,
            ],
            source: "Proofpoint URL Defense",
            prefetch: 0.72,
            median_s: 20.0,
            javascript: 0.4,
            rescan: 0.1,
            at_click: 0.6,
        },
        Gateway::Mimecast => GatewayTraits {
            pools: &[net::MIMECAST_US, net::MIMECAST_US2, net::MIMECAST_UK],
            source: "Mimecast URL Protect",
            prefetch: 0.85,
            median_s: 6.0,
            javascript: 0.0,
            rescan: 0.03,
            at_click: 0.5,
        },
        Gateway::Barracuda => GatewayTraits {
            pools: &[net::BARRACUDA, net::BARRACUDA2],
            source: "Barracuda Email Gateway Defense",
            prefetch: 0.9,
            median_s: 2.2,
            javascript: 0.0,
            rescan: 0.0,
            at_click: 0.3,
        },
        Gateway::Cisco => GatewayTraits {
            pools: &[net::CISCO, net::CISCO2],
            source: "Cisco Secure Email",
            prefetch: 0.45,
            median_s: 10.0,
            javascript: 0.0,
            rescan: 0.02,
            at_click: 0.7,
        },
        Gateway::TrendMicro => GatewayTraits {
            pools: &[net::TREND, net::TREND2],
            source: "Trend Micro Email Security",
            prefetch: 0.8,
            median_s: 12.0,
            javascript: 0.3,
            rescan: 0.05,
            at_click: 0.6,
        },
    }
}

fn nodes(b: &mut Builder<'_>, pools: &[Pool], per_pool: usize) -> Vec<Node> {
    let mut out = Vec::new();
    for &pool in pools {
        for ip in pool.draw_distinct(&mut b.rng, per_pool) {
            out.push(Node { ip, pool });
        }
    }
    out
}

impl Builder<'_> {
    pub fn safe_links_fleet(&mut self) -> SafeLinksFleet {
        let mut eop = nodes(self, net::EOP, 7);
        eop.extend(nodes(self, &[net::EOP_V6], 2));
        let other = nodes(
            self,
            &[
                net::MS_40_94,
                net::MS_40_64,
                net::MS_TEAMS,
                net::AZURE_20_64,
            ],
            3,
        );
        let on = self.on;
        let observed =
            ua::OBSERVED_SCANNER_CHROME[self.rng.index(ua::OBSERVED_SCANNER_CHROME.len())];
        let agents = vec![
            (ua::stale_chrome(&mut self.rng, on, 6, 8), 0.25),
            (ua::stale_chrome(&mut self.rng, on, 9, 12), 0.22),
            (ua::stale_edge(&mut self.rng, on, 2, 6), 0.20),
            (observed.to_string(), 0.15),
            (ua::stale_chrome(&mut self.rng, on, 0, 0), 0.13),
            (String::new(), 0.05),
        ];
        SafeLinksFleet { eop, other, agents }
    }

    pub fn gateway_fleet(&mut self, gateway: Gateway) -> GatewayFleet {
        let t = traits(gateway);
        let nodes = nodes(self, t.pools, 4);
        let on = self.on;
        let mut agents = vec![
            ua::stale_chrome(&mut self.rng, on, 3, 7),
            ua::stale_chrome(&mut self.rng, on, 8, 14),
        ];
        if matches!(gateway, Gateway::Cisco | Gateway::Mimecast) {
            let observed =
                ua::OBSERVED_SCANNER_CHROME[self.rng.index(ua::OBSERVED_SCANNER_CHROME.len())];
            agents.push(observed.to_string());
        }
        GatewayFleet {
            gateway,
            nodes,
            agents,
        }
    }

    fn safe_links_node(&mut self, fleet: &SafeLinksFleet) -> (Node, &'static str) {
        if self.rng.chance(0.72) {
            let node = fleet.eop[self.rng.index(fleet.eop.len())];
            (node, "Defender Safe Links, Exchange Online range")
        } else {
            let node = fleet.other[self.rng.index(fleet.other.len())];
            (node, "Defender Safe Links, other Microsoft range")
        }
    }

    fn safe_links_fetch(&mut self, r: usize, at: i64, fleet: &SafeLinksFleet) {
        let (node, source) = self.safe_links_node(fleet);
        let mut agent = self.rng.unit_weighted(&fleet.agents).clone();
        if agent.is_empty() && node.pool != net::EOP_104_47 {
            // The empty UA was seen from 104.47.x only.
            agent = fleet.agents[0].0.clone();
        }
        let family = Family::SafeLinksDetonation;
        if self.rng.chance(0.15) {
            let before = self.seconds(0.2, 1.5);
            self.push(
                at - before,
                r,
                node.ip,
                GO_HTTP,
                Method::Head,
                None,
                family,
                source,
            );
        }
        let screen = self
            .rng
            .chance(0.55)
            .then(|| ua::sandbox_screen(&mut self.rng));
        self.push(at, r, node.ip, &agent, Method::Get, screen, family, source);
        if screen.is_some() && self.rng.chance(0.12) {
            let after = self.seconds(3.0, 30.0);
            self.push(
                at + after,
                r,
                node.ip,
                &agent,
                Method::Post,
                None,
                family,
                source,
            );
        }
    }

    /// Safe Links detonating every delivered mail's link.
    pub fn safe_links(&mut self, fleet: &SafeLinksFleet) {
        for r in self.delivered() {
            if !self.rng.chance(0.93) {
                continue;
            }
            let sent = self.recipients[r].sent_ms;
            let first = sent + self.delay(9.0, 0.8, 1.5, 180.0);
            self.safe_links_fetch(r, first, fleet);
            if self.rng.chance(0.35) {
                let second = first + self.seconds(0.5, 20.0);
                self.safe_links_fetch(r, second, fleet);
            }
            if self.rng.chance(0.12) {
                let later = first + self.delay(600.0, 1.0, 60.0, 7200.0);
                self.safe_links_fetch(r, later, fleet);
            }
        }
    }

    fn gateway_fetch(&mut self, r: usize, at: i64, fleet: &GatewayFleet, family: Family) {
        let t = traits(fleet.gateway);
        let node = fleet.nodes[self.rng.index(fleet.nodes.len())];
        let agent = fleet.agents[self.rng.index(fleet.agents.len())].clone();
        let screen = self
            .rng
            .chance(t.javascript)
            .then(|| ua::sandbox_screen(&mut self.rng));
        self.push(
            at,
            r,
            node.ip,
            &agent,
            Method::Get,
            screen,
            family,
            t.source,
        );
    }

    /// The gateway's fetches at delivery and its later re-scans.
    pub fn gateway_prefetch(&mut self, fleet: &GatewayFleet) {
        let t = traits(fleet.gateway);
        let on = self.on;
        let sentinel = (fleet.gateway == Gateway::Barracuda).then(|| {
            (
                net::AWS_US_EAST.draw_distinct(&mut self.rng, 3),
                ua::stale_chrome(&mut self.rng, on, 0, 2),
            )
        });
        for r in self.delivered() {
            let sent = self.recipients[r].sent_ms;
            if self.rng.chance(t.prefetch) {
                let at = sent + self.delay(t.median_s, 0.7, 0.8, 600.0);
                self.gateway_fetch(r, at, fleet, Family::GatewayPrefetch);
            }
            if self.rng.chance(t.rescan) {
                let at = sent + self.delay(5.0 * 3600.0, 1.0, 1800.0, 3.0 * 86400.0);
                self.gateway_fetch(r, at, fleet, Family::GatewayPrefetch);
            }
            if let Some((ips, _)) = &sentinel
                && self.rng.chance(0.25)
            {
                // Impersonation Protection (Sentinel) reads the mail through
                // the API and checks its links from the cloud, later.
                let ip = ips[self.rng.index(ips.len())];
                let at = sent + self.delay(2400.0, 1.0, 120.0, 86400.0);
                let source = "Barracuda Impersonation Protection (Sentinel)";
                self.push(
                    at,
                    r,
                    ip,
                    ua::BARRACUDA_SENTINEL,
                    Method::Get,
                    None,
                    Family::GatewayPrefetch,
                    source,
                );
            }
        }
    }

    /// Checks at the moment people click: the gateway's, or Safe Links'
    /// time-of-click verdict where there is no gateway.
    pub fn click_time_checks(
        &mut self,
        gateway: Option<&GatewayFleet>,
        safe_links: Option<&SafeLinksFleet>,
    ) {
        let clicks: Vec<(usize, i64)> = self
            .visits
            .iter()
            .filter(|v| v.family.actor() == Actor::Human && v.method == Method::Get)
            .map(|v| (v.recipient, v.at_ms))
            .collect();
        for (r, at) in clicks {
            let after = self.seconds(0.4, 4.0);
            if let Some(fleet) = gateway {
                if self.rng.chance(traits(fleet.gateway).at_click) {
                    self.gateway_fetch(r, at + after, fleet, Family::ClickTimeCheck);
                }
            } else if let Some(fleet) = safe_links
                && self.rng.chance(0.3)
            {
                let (node, _) = self.safe_links_node(fleet);
                let agent = fleet.agents[0].0.clone();
                let source = "Defender Safe Links time-of-click check";
                self.push(
                    at + after,
                    r,
                    node.ip,
                    &agent,
                    Method::Get,
                    None,
                    Family::ClickTimeCheck,
                    source,
                );
            }
        }
    }
}
