//! The people: who clicks, from where, with what, and when.
//!
//! A clicker reaches the page through one channel (office, phone, home,
//! virtual desktop, VPN, Private Relay, a held-back browser), at a delay
//! after delivery that is log-normal around an hour, moved into the hours
//! that channel is used in (office hours for PCs and for the half of home
//! lines that are people working from home, evenings and weekends for the
//! rest, waking hours on phones). Some clickers have the mailbox open and
//! click 7–30 s after delivery. About a third submit the page's form; about
//! a fifth come back later, on the same or another device.

use std::net::IpAddr;

use super::agents::{self, Device};
use super::builder::Builder;
use super::clock::{self, DAY_MS, MINUTE_MS};
use super::model::{Family, Method};
use super::networks::{self as net, Pool};
use super::specs::{Channel, Country, Vpn};

/// Where a person's requests come from.
#[derive(Clone, Debug)]
enum Egress {
    /// The same address every time (an office, a home line).
    Fixed(IpAddr),
    /// Any address of a shared set (a NAT gateway, a VPN's egress).
    Shared(Vec<IpAddr>),
    /// A fresh address of the pool per visit (carrier CGNAT, Private Relay).
    Fresh(Vec<Pool>),
}

/// The addresses the company's people share, drawn once per campaign.
pub struct SharedEgress {
    offices: Vec<IpAddr>,
    vdi: Vec<IpAddr>,
    vpn: Vec<IpAddr>,
}

const JP_OFFICES: &[Pool] = &[net::IIJ_OFFICE, net::ARTERIA_OFFICE, net::OCN_OFFICE];
const US_OFFICES: &[Pool] = &[net::LUMEN_OFFICE, net::COGENT_OFFICE];

pub fn shared_egress(b: &mut Builder<'_>) -> SharedEgress {
    let spec = b.spec;
    let office_pools = match spec.country {
        Country::Japan => JP_OFFICES,
        Country::Us => US_OFFICES,
    };
    let offices: Vec<IpAddr> = (0..spec.office_addresses)
        .map(|i| office_pools[i % office_pools.len()].draw(&mut b.rng))
        .collect();
    let vdi_pools = match spec.country {
        Country::Japan => [net::AZURE_20_27, net::AZURE_20_210],
        Country::Us => [net::AZURE_4_241, net::AZURE_172_174],
    };
    let vdi_pool = vdi_pools[b.rng.index(2)];
    let vdi = vdi_pool.draw_distinct(&mut b.rng, 2);
    let vpn = match spec.vpn {
        Some(Vpn::Zscaler) => {
            let mut v = net::ZSCALER_53813.draw_distinct(&mut b.rng, 3);
            v.extend(net::ZSCALER_22616.draw_distinct(&mut b.rng, 2));
            v
        }
        Some(Vpn::PrismaOnGoogleCloud) => {
            let pool = match spec.country {
                Country::Japan => net::GCP_TOKYO,
                Country::Us => net::GCP_US,
            };
            pool.draw_distinct(&mut b.rng, 4)
        }
        None => Vec::new(),
    };
    SharedEgress { offices, vdi, vpn }
}

/// The weekly hours a channel is used in: (weekday?, from hour, to hour).
fn active(channel: Channel, weekday: u32, hour: f64) -> bool {
    let workday = weekday < 5;
    match channel {
        Channel::Office | Channel::Vdi | Channel::OldBrowser => {
            workday && (8.5..19.5).contains(&hour)
        }
        Channel::Vpn => workday && (7.5..21.0).contains(&hour),
        Channel::Phone | Channel::Relay => (7.0..23.5).contains(&hour),
        Channel::Home => {
            if workday {
                (18.0..24.0).contains(&hour) || (6.5..8.3).contains(&hour)
            } else {
                (9.0..23.0).contains(&hour)
            }
        }
    }
}

impl Builder<'_> {
    /// `at` moved to the next moment the channel is in use, plus a little.
    fn settle(&mut self, at: i64, channel: Channel) -> i64 {
        let offset = self.offset();
        let is_active = |t: i64| {
            let l = clock::local(t, offset);
            active(channel, l.date.weekday(), clock::local_hour(t, offset))
        };
        if is_active(at) {
            return at;
        }
        let mut t = at;
        for _ in 0..(14 * 96) {
            t += 15 * MINUTE_MS;
            if is_active(t) {
                let jitter = self.delay(1200.0, 0.9, 30.0, 7200.0);
                return if is_active(t + jitter) { t + jitter } else { t };
            }
        }
        at
    }

    fn device(&mut self, channel: Channel) -> Device {
        let on = self.on;
        let spec = self.spec;
        match channel {
            Channel::Office | Channel::Vdi => {
                agents::windows_pc(&mut self.rng, on, spec.edge_share)
            }
            Channel::Vpn => {
                if self.rng.chance(0.8) {
                    agents::windows_pc(&mut self.rng, on, spec.edge_share)
                } else {
                    agents::phone(&mut self.rng, on, spec.iphone_share)
                }
            }
            Channel::Phone => agents::phone(&mut self.rng, on, spec.iphone_share),
            Channel::Home => match *self.rng.unit_weighted(&[(0, 0.5), (1, 0.2), (2, 0.3)]) {
                0 => agents::home_pc(&mut self.rng, on),
                1 => agents::mac(&mut self.rng, on),
                _ => agents::phone(&mut self.rng, on, spec.iphone_share),
            },
            Channel::Relay => {
                if self.rng.chance(0.85) {
                    agents::iphone(&mut self.rng, on)
                } else {
                    // Private Relay protects Safari only.
                    agents::mac_safari(&mut self.rng, on)
                }
            }
            Channel::OldBrowser => agents::managed_old(&mut self.rng, on),
        }
    }

    fn carrier(&mut self) -> Vec<Pool> {
        match self.spec.country {
            Country::Japan => {
                let roll = self.rng.unit();
                if roll < 0.36 {
                    vec![net::DOCOMO_49_96, net::DOCOMO_49_104, net::DOCOMO_1_75]
                } else if roll < 0.63 {
                    if self.rng.chance(0.35) {
                        vec![net::AU_V6]
                    } else {
                        vec![net::AU_106, net::AU_182]
                    }
                } else if roll < 0.9 {
                    if self.rng.chance(0.3) {
                        vec![net::SOFTBANK_V6]
                    } else {
                        vec![net::SOFTBANK_MOBILE, net::SOFTBANK_MOBILE2]
                    }
                } else {
                    vec![net::RAKUTEN, net::RAKUTEN2]
                }
            }
            Country::Us => {
                let roll = self.rng.unit();
                if roll < 0.36 {
                    if self.rng.chance(0.5) {
                        vec![net::TMOBILE_V6]
                    } else {
                        vec![net::TMOBILE]
                    }
                } else if roll < 0.7 {
                    vec![net::VERIZON_WIRELESS]
                } else {
                    vec![net::ATT_MOBILITY]
                }
            }
        }
    }

    fn home_line(&mut self) -> IpAddr {
        let pools: &[(Pool, f64)] = match self.spec.country {
            Country::Japan => &[
                (net::OCN_153, 0.16),
                (net::OCN_114, 0.10),
                (net::OCN_V6, 0.10),
                (net::TRANSIX_V6, 0.14),
                (net::SOFTBANK_BB, 0.10),
                (net::SOFTBANK_BB2, 0.08),
                (net::AU_HIKARI_V6, 0.14),
                (net::BIGLOBE, 0.08),
                (net::SONET_V6, 0.10),
            ],
            Country::Us => &[
                (net::COMCAST, 0.22),
                (net::COMCAST_24, 0.08),
                (net::COMCAST_V6, 0.12),
                (net::CHARTER, 0.16),
                (net::VERIZON_FIOS, 0.14),
                (net::ATT_HOME, 0.12),
                (net::ATT_HOME_V6, 0.06),
                (net::COX, 0.10),
            ],
        };
        let pool = *self.rng.unit_weighted(pools);
        pool.draw(&mut self.rng)
    }

    fn egress(&mut self, channel: Channel, shared: &SharedEgress) -> Egress {
        match channel {
            Channel::Office | Channel::OldBrowser => {
                // Most people sit at the head office; the others at a branch.
                let i = if shared.offices.len() > 1 && self.rng.chance(0.3) {
                    1 + self.rng.index(shared.offices.len() - 1)
                } else {
                    0
                };
                Egress::Fixed(shared.offices[i])
            }
            Channel::Vdi => Egress::Shared(shared.vdi.clone()),
            Channel::Vpn => Egress::Shared(shared.vpn.clone()),
            Channel::Phone => Egress::Fresh(self.carrier()),
            Channel::Home => Egress::Fixed(self.home_line()),
            Channel::Relay => {
                let mut pools = vec![net::RELAY_AKAMAI, net::RELAY_CLOUDFLARE, net::RELAY_FASTLY];
                if self.rng.chance(0.4) {
                    pools = vec![net::RELAY_AKAMAI_V6, net::RELAY_CLOUDFLARE_V6];
                }
                Egress::Fresh(pools)
            }
        }
    }

    fn address(&mut self, egress: &Egress) -> IpAddr {
        match egress {
            Egress::Fixed(ip) => *ip,
            Egress::Shared(ips) => ips[self.rng.index(ips.len())],
            Egress::Fresh(pools) => {
                let pool = pools[self.rng.index(pools.len())];
                pool.draw(&mut self.rng)
            }
        }
    }

    fn family_of(channel: Channel) -> Family {
        match channel {
            Channel::Office => Family::OfficeProxy,
            Channel::Phone => Family::PhoneCarrier,
            Channel::Home => Family::HomeLine,
            Channel::Vdi => Family::MicrosoftVdi,
            Channel::Vpn => Family::CloudVpn,
            Channel::Relay => Family::PrivateRelay,
            Channel::OldBrowser => Family::ManagedOldBrowser,
        }
    }

    fn source_of(channel: Channel) -> &'static str {
        match channel {
            Channel::Office => "office PC behind the office egress",
            Channel::Phone => "phone on a mobile carrier",
            Channel::Home => "device on a home line",
            Channel::Vdi => "Azure Virtual Desktop / Windows 365 session",
            Channel::Vpn => "laptop or phone through the company VPN",
            Channel::Relay => "Apple device with iCloud Private Relay",
            Channel::OldBrowser => "office PC with a held-back browser",
        }
    }

    /// One visit by a person: the page (with its screen), perhaps the form.
    #[allow(clippy::too_many_arguments)]
    fn person_visit(
        &mut self,
        recipient: usize,
        at: i64,
        egress: &Egress,
        device: &Device,
        family: Family,
        source: &'static str,
        submit_chance: f64,
    ) {
        let ip = self.address(egress);
        let ua = device.user_agent.clone();
        self.push(
            at,
            recipient,
            ip,
            &ua,
            Method::Get,
            Some(device.screen),
            family,
            source,
        );
        if self.rng.chance(submit_chance) {
            let after = self.delay(45.0, 0.6, 12.0, 300.0);
            // A carrier may move the phone to another address in between.
            let ip = if matches!(egress, Egress::Fresh(_)) && self.rng.chance(0.3) {
                self.address(egress)
            } else {
                ip
            };
            self.push(
                at + after,
                recipient,
                ip,
                &ua,
                Method::Post,
                None,
                family,
                source,
            );
        }
    }

    /// Everyone who clicks, with their visits; fills `read_ms`.
    pub fn people(&mut self, shared: &SharedEgress) {
        let spec = self.spec;
        for r in self.delivered() {
            let sent = self.recipients[r].sent_ms;
            if !self.rng.chance(spec.click_rate) {
                // Most people read the mail within a day without clicking.
                if self.rng.chance(0.7) {
                    let at = sent + self.delay(2400.0, 1.3, 20.0, 2.0 * 86400.0);
                    self.read_ms[r] = Some(at);
                }
                continue;
            }
            let channel = *self.rng.unit_weighted(spec.channels);
            let fast = matches!(channel, Channel::Office | Channel::Phone | Channel::Home)
                && self.rng.chance(spec.fast_share);
            let device = self.device(channel);
            let egress = self.egress(channel, shared);
            let (at, family, source) = if fast {
                let at = sent + self.seconds(8.0, 33.0);
                (at, Family::FastReader, "person with the mailbox open")
            } else {
                // Half the people on a home line work from home: office hours.
                let hours = if channel == Channel::Home && self.rng.chance(0.5) {
                    Channel::Office
                } else {
                    channel
                };
                let at = sent + self.delay(3300.0, 1.3, 45.0, 5.0 * 86400.0);
                let at = self.settle(at, hours);
                (at, Self::family_of(channel), Self::source_of(channel))
            };
            self.read_ms[r] = Some(at - self.seconds(3.0, 40.0));
            self.person_visit(r, at, &egress, &device, family, source, 0.33);
            if self.rng.chance(0.2) {
                self.revisit(r, at, channel, &device, &egress, shared);
            }
        }
    }

    /// A later look: the same device, or the phone after the office PC.
    fn revisit(
        &mut self,
        r: usize,
        first: i64,
        channel: Channel,
        device: &Device,
        egress: &Egress,
        shared: &SharedEgress,
    ) {
        let desk = matches!(
            channel,
            Channel::Office | Channel::Vdi | Channel::Vpn | Channel::OldBrowser
        );
        let (channel, device, egress) = if desk && self.rng.chance(0.45) {
            let d = self.device(Channel::Phone);
            let e = self.egress(Channel::Phone, shared);
            (Channel::Phone, d, e)
        } else {
            (channel, device.clone(), egress.clone())
        };
        let at = first + self.delay(2400.0, 1.2, 120.0, 3.0 * 86400.0);
        let at = self.settle(at, channel).min(first + 6 * DAY_MS);
        let family = Self::family_of(channel);
        let source = Self::source_of(channel);
        self.person_visit(r, at, &egress, &device, family, source, 0.12);
    }
}
