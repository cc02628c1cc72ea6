//! The other machines that fetch the link: sandboxes with current browsers,
//! headless crawlers, link checkers, HTTP libraries, scanners behind
//! residential proxies, the SOC's tools after a report, chat link previews
//! and Google's fetchers.
//!
//! Sources: headless and library agents and HEAD link checkers
//! (scanner-signals.md §1.5, §2; phishing-sim-anchors.md §5); two fetches
//! "in quick succession from AWS and Cogent" (onetimesecret#359); Microsoft
//! detonation in Azure (COUNTER-Robots PR #49, laravel#79); vendors fetching
//! through residential proxies to defeat cloaking (issue 10, item 7); reports
//! and forwards detonated hours later (Microsoft's Attack Simulation Training
//! FAQ, gophish#2565/#3317); Teams and Slack previews of pasted links.

use std::net::IpAddr;

use super::agents;
use super::builder::Builder;
use super::machine_agents as ua;
use super::model::{Family, Method};
use super::networks::{self as net, Pool};
use super::specs::Country;

impl Builder<'_> {
    fn chosen(&mut self, share: f64) -> Vec<usize> {
        self.delivered()
            .into_iter()
            .filter(|_| self.rng.chance(share))
            .collect()
    }

    fn cloud_pools(&self) -> &'static [Pool] {
        match self.spec.country {
            Country::Japan => &[
                net::AWS_TOKYO,
                net::AWS_TOKYO2,
                net::GCP_35_200,
                net::AZURE_20_80,
            ],
            Country::Us => &[
                net::AWS_US_EAST,
                net::AWS_52,
                net::GCP_34_120,
                net::AZURE_20_80,
            ],
        }
    }

    /// Sandboxes with a current browser and a real-looking screen: a few
    /// nodes, each working through its share of the recipients minutes
    /// after delivery, and autoscaled ones on a fresh address each time.
    pub fn modern_detonation(&mut self) {
        let share = self.spec.machines.modern_detonation;
        if share == 0.0 {
            return;
        }
        let mut pools = self.cloud_pools().to_vec();
        pools.extend([net::OVH, net::HETZNER]);
        let on = self.on;
        let nodes: Vec<(IpAddr, String)> = (0..3)
            .map(|_| {
                let pool = pools[self.rng.index(pools.len())];
                let ip = pool.draw(&mut self.rng);
                let agent = if self.rng.chance(0.5) {
                    ua::stale_chrome(&mut self.rng, on, 0, 1)
                } else {
                    ua::stale_edge(&mut self.rng, on, 0, 1)
                };
                (ip, agent)
            })
            .collect();
        for r in self.chosen(share) {
            let (mut ip, agent) = nodes[self.rng.index(nodes.len())].clone();
            if self.rng.chance(0.35) {
                // Autoscaled sandboxes: a fresh cloud address for this one.
                ip = pools[self.rng.index(pools.len())].draw(&mut self.rng);
            }
            let at = self.recipients[r].sent_ms + self.delay(240.0, 1.0, 20.0, 7200.0);
            let screen = agents::desktop_screen(&mut self.rng);
            let family = Family::ModernDetonation;
            let source = "sandbox browser in a cloud";
            self.push(at, r, ip, &agent, Method::Get, Some(screen), family, source);
            if self.rng.chance(0.15) {
                let after = self.seconds(4.0, 40.0);
                self.push(
                    at + after,
                    r,
                    ip,
                    &agent,
                    Method::Post,
                    None,
                    family,
                    source,
                );
            }
        }
    }

    /// Headless crawlers sweeping the recipients' links hours later.
    pub fn headless_crawlers(&mut self, launched: i64) {
        let share = self.spec.machines.headless;
        if share == 0.0 {
            return;
        }
        let pools = [net::GCP_US, net::AWS_52, net::DIGITALOCEAN, net::GCP_TOKYO];
        let on = self.on;
        let sweeps: Vec<(IpAddr, String, i64)> = (0..2)
            .map(|_| {
                let ip = pools[self.rng.index(pools.len())].draw(&mut self.rng);
                let agent = ua::headless_chrome(&mut self.rng, on);
                let start = launched + self.delay(6.0 * 3600.0, 0.8, 3600.0, 40.0 * 3600.0);
                (ip, agent, start)
            })
            .collect();
        let mut clock = [sweeps[0].2, sweeps[1].2];
        for r in self.chosen(share) {
            let which = self.rng.index(2);
            clock[which] += self.seconds(0.5, 6.0);
            let (ip, agent, _) = sweeps[which].clone();
            let screen = self.rng.chance(0.85).then_some((800, 600));
            let family = Family::HeadlessCrawler;
            self.push(
                clock[which],
                r,
                ip,
                &agent,
                Method::Get,
                screen,
                family,
                "headless crawler",
            );
        }
    }

    /// HEAD link checkers soon after delivery, some following with a GET.
    pub fn link_checkers(&mut self) {
        let share = self.spec.machines.link_checker;
        let on = self.on;
        for r in self.chosen(share) {
            let pools = self.cloud_pools();
            let ip = pools[self.rng.index(pools.len())].draw(&mut self.rng);
            let agent = ua::link_checker(&mut self.rng, on);
            let at = self.recipients[r].sent_ms + self.delay(8.0, 0.9, 1.0, 300.0);
            let family = Family::LinkCheckerHead;
            let source = "link checker";
            self.push(at, r, ip, &agent, Method::Head, None, family, source);
            if self.rng.chance(0.4) {
                let after = self.seconds(0.2, 2.0);
                self.push(at + after, r, ip, &agent, Method::Get, None, family, source);
            }
        }
    }

    /// HTTP libraries: some right after delivery, most many hours later.
    pub fn library_agents(&mut self) {
        let share = self.spec.machines.library;
        let on = self.on;
        let mut pools = self.cloud_pools().to_vec();
        pools.extend([net::DIGITALOCEAN, net::OVH, net::HETZNER, net::LINODE]);
        for r in self.chosen(share) {
            let ip = pools[self.rng.index(pools.len())].draw(&mut self.rng);
            let agent = ua::library(&mut self.rng, on);
            let sent = self.recipients[r].sent_ms;
            let at = if self.rng.chance(0.35) {
                sent + self.delay(20.0, 1.0, 2.0, 600.0)
            } else {
                sent + self.delay(8.0 * 3600.0, 1.0, 1800.0, 3.0 * 86400.0)
            };
            let family = Family::LibraryAgent;
            self.push(at, r, ip, &agent, Method::Get, None, family, "HTTP library");
            if self.rng.chance(0.15) {
                let after = self.seconds(0.3, 5.0);
                self.push(
                    at + after,
                    r,
                    ip,
                    &agent,
                    Method::Get,
                    None,
                    family,
                    "HTTP library",
                );
            }
        }
    }

    /// A scanner behind a residential proxy network: a fresh home-line
    /// address per fetch, one or two uniform browser UAs.
    pub fn residential_proxies(&mut self) {
        let share = self.spec.machines.residential_proxy;
        if share == 0.0 {
            return;
        }
        let on = self.on;
        let agents = [
            ua::stale_chrome(&mut self.rng, on, 2, 5),
            ua::stale_chrome(&mut self.rng, on, 2, 5),
        ];
        let local: &[Pool] = match self.spec.country {
            Country::Japan => &[net::OCN_153, net::OCN_114, net::SOFTBANK_BB, net::BIGLOBE],
            Country::Us => &[
                net::COMCAST,
                net::CHARTER,
                net::VERIZON_FIOS,
                net::ATT_HOME,
                net::COX,
            ],
        };
        let abroad = [
            net::DTAG,
            net::BT,
            net::JIO,
            net::CLARO,
            net::COMCAST,
            net::CHARTER,
        ];
        for r in self.chosen(share) {
            let fetches = if self.rng.chance(0.2) { 2 } else { 1 };
            let mut at = self.recipients[r].sent_ms + self.delay(40.0, 1.0, 3.0, 7200.0);
            let agent = agents[self.rng.index(2)].clone();
            for _ in 0..fetches {
                let pool = if self.rng.chance(0.45) {
                    local[self.rng.index(local.len())]
                } else {
                    abroad[self.rng.index(abroad.len())]
                };
                let ip = pool.draw(&mut self.rng);
                let screen = self.rng.chance(0.3).then_some((1920, 1080));
                let family = Family::ResidentialProxyScanner;
                self.push(
                    at,
                    r,
                    ip,
                    &agent,
                    Method::Get,
                    screen,
                    family,
                    "scanner via residential proxy",
                );
                at += self.seconds(1.0, 12.0);
            }
        }
    }

    /// People who report the mail; the SOC's tooling then detonates the link.
    pub fn reports(&mut self) {
        let share = self.spec.machines.report;
        let on = self.on;
        let safe_links = self.spec.safe_links;
        for r in self.delivered() {
            let Some(read) = self.read_ms[r] else {
                continue;
            };
            if !self.rng.chance(share / 0.75) {
                continue;
            }
            let reported = read + self.delay(180.0, 1.0, 20.0, 3600.0);
            self.recipients[r].reported_ms = Some(reported);
            if !self.rng.chance(0.6) {
                continue;
            }
            let pool = if safe_links && self.rng.chance(0.5) {
                net::EOP[self.rng.index(net::EOP.len())]
            } else if self.rng.chance(0.5) {
                net::AZURE_20_64
            } else {
                net::AWS_US_EAST
            };
            let ip = pool.draw(&mut self.rng);
            let agent = match self.rng.index(3) {
                0 => ua::stale_chrome(&mut self.rng, on, 1, 6),
                1 => ua::headless_chrome(&mut self.rng, on),
                _ => ua::library(&mut self.rng, on),
            };
            let mut at = reported + self.delay(240.0, 1.0, 30.0, 2.0 * 3600.0);
            for _ in 0..1 + self.rng.below(3) {
                let family = Family::ReportDetonation;
                let source = "SOC tooling after a report";
                self.push(at, r, ip, &agent, Method::Get, None, family, source);
                at += self.seconds(0.5, 30.0);
            }
        }
    }

    /// Someone pastes the link into Teams or Slack to ask about it.
    pub fn chat_previews(&mut self) {
        let share = self.spec.machines.chat_preview;
        for r in self.delivered() {
            let Some(read) = self.read_ms[r] else {
                continue;
            };
            if !self.rng.chance(share / 0.75) {
                continue;
            }
            let (ip, agent, source) = if self.rng.chance(0.65) {
                let ip = net::MS_TEAMS_114.draw(&mut self.rng);
                (ip, ua::TEAMS_PREVIEW, "Teams link preview")
            } else {
                let ip = net::AWS_US_EAST.draw(&mut self.rng);
                (ip, ua::SLACK_PREVIEW, "Slack link preview")
            };
            let mut at = read + self.delay(300.0, 0.9, 30.0, 4.0 * 3600.0);
            for _ in 0..1 + self.rng.below(2) {
                self.push(
                    at,
                    r,
                    ip,
                    agent,
                    Method::Get,
                    None,
                    Family::ChatLinkPreview,
                    source,
                );
                at += self.seconds(0.3, 8.0);
            }
        }
    }

    /// Google's abuse checks of links in a Workspace tenant's mail.
    pub fn google_fetchers(&mut self) {
        if !self.spec.google_workspace {
            return;
        }
        for r in self.chosen(0.25) {
            let ip = net::GOOGLE_CRAWL.draw(&mut self.rng);
            let at = self.recipients[r].sent_ms + self.delay(1800.0, 1.2, 20.0, 2.0 * 86400.0);
            let family = Family::GoogleFetcher;
            self.push(
                at,
                r,
                ip,
                ua::GOOGLE_SAFETY,
                Method::Get,
                None,
                family,
                "Google-Safety",
            );
        }
    }
}
