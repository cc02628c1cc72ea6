//! Where the held-out world's accesses come from: real address blocks, each
//! with the AS number, organisation and announced prefix the real full-size
//! ASN database (`../shared/data/asn-real.mmdb`, ip-location-db 2026-06-17)
//! gives for it, so the owner facts are those an analyst would see. The
//! `#[ignore]` test in `heldout_world.rs` checks every pool against that file.
//!
//! Sources for the blocks' roles: Microsoft's "Microsoft 365 URLs and IP
//! address ranges" (Exchange Online Protection, ID 10: 40.92.0.0/15,
//! 40.107.0.0/16, 52.100.0.0/14, 104.47.0.0/17; Teams, ID 11/12:
//! 52.112.0.0/14); Safe Links sources seen outside those ranges (40.94.89.x in
//! gophish#2646, 40.64.x in Phin's list, 20.72.100.79 in
//! laravel-passwordless-login#79); the vendors' ASNs and prefixes of
//! scanner-signals.md §1.2; Apple's Private Relay egress list samples
//! (172.224.226.0/27, 104.28.30.0/26, 146.75.136.0/22); the carriers' and
//! ISPs' own ASNs. A block's region is not claimed: the databases carry none.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::{Path, PathBuf};

use ipnetwork::IpNetwork;
use whoclicked::mmdb::{Value, Writer, WriterOptions};
use whoclicked::testing::Rng;

/// A block addresses are drawn from, and the owner record covering it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pool {
    pub name: &'static str,
    pub asn: u32,
    pub org: &'static str,
    /// The prefix the real database announces for the block.
    pub network: &'static str,
    /// Where inside it the world's addresses fall.
    pub hosts: &'static str,
}

const fn pool(
    name: &'static str,
    asn: u32,
    org: &'static str,
    network: &'static str,
    hosts: &'static str,
) -> Pool {
    Pool {
        name,
        asn,
        org,
        network,
        hosts,
    }
}

/// The blocks, one constant each (kept one per line, as a table).
#[rustfmt::skip]
mod blocks {
    use super::{Pool, pool};

    const MS: &str = "Microsoft Corporation";

    // Microsoft: Exchange Online Protection (published mail-flow ranges).
    pub const EOP_40_107: Pool = pool("EOP 40.107/16", 8075, MS, "40.104.0.0/14", "40.107.0.0/16");
    pub const EOP_104_47: Pool = pool("EOP 104.47/17", 8075, MS, "104.40.0.0/13", "104.47.0.0/17");
    pub const EOP_52_100: Pool = pool("EOP 52.100/14", 8075, MS, "52.96.0.0/12", "52.100.0.0/14");
    pub const EOP_40_92: Pool = pool("EOP 40.92/15", 8075, MS, "40.88.0.0/13", "40.92.0.0/15");
    pub const EOP_V6: Pool = pool("EOP 2a01:111:f403::/48", 8075, MS, "2a01:111::/32", "2a01:111:f403::/48");
    // Microsoft: other ranges Safe Links was seen fetching from.
    pub const MS_40_94: Pool = pool("Microsoft 40.94/16", 8075, MS, "40.88.0.0/13", "40.94.0.0/16");
    pub const MS_40_64: Pool = pool("Microsoft 40.64/16", 8075, MS, "40.64.0.0/16", "40.64.64.0/18");
    pub const MS_TEAMS: Pool = pool("Microsoft Teams 52.112/16", 8075, MS, "52.112.0.0/16", "52.112.96.0/19");
    pub const MS_TEAMS_114: Pool = pool("Microsoft Teams 52.114/15", 8075, MS, "52.114.0.0/15", "52.114.0.0/17");
    // Microsoft: Azure compute (virtual desktops, sandboxes).
    pub const AZURE_20_64: Pool = pool("Azure 20.64/10", 8075, MS, "20.64.0.0/10", "20.72.96.0/19");
    pub const AZURE_20_80: Pool = pool("Azure 20.80/14", 8075, MS, "20.64.0.0/10", "20.80.0.0/14");
    pub const AZURE_20_27: Pool = pool("Azure 20.27/17", 8075, MS, "20.0.0.0/11", "20.27.0.0/17");
    pub const AZURE_20_210: Pool = pool("Azure 20.210/18", 8075, MS, "20.192.0.0/10", "20.210.0.0/18");
    pub const AZURE_4_241: Pool = pool("Azure 4.241/16", 8075, MS, "4.224.0.0/11", "4.241.0.0/16");
    pub const AZURE_172_174: Pool = pool("Azure 172.174/16", 8075, MS, "172.128.0.0/10", "172.174.0.0/16");

    // Mail-security vendors.
    pub const PROOFPOINT_26211: Pool = pool("Proofpoint AS26211", 26211, "Proofpoint, Inc.", "67.231.144.0/21", "67.231.144.0/21");
    pub const PROOFPOINT_22843: Pool = pool("Proofpoint AS22843", 22843, "Proofpoint, Inc.", "148.163.136.0/21", "148.163.136.0/21");
    pub const PROOFPOINT_EU: Pool = pool("Proofpoint AS52129", 52129, "Proofpoint, Inc.", "185.132.180.0/22", "185.132.180.0/22");
    pub const MIMECAST_US: Pool = pool("Mimecast AS30031 205.139.110/23", 30031, "Mimecast North America Inc", "205.139.110.0/23", "205.139.110.0/23");
    pub const MIMECAST_US2: Pool = pool("Mimecast AS30031 170.10.128/22", 30031, "Mimecast North America Inc", "170.10.128.0/22", "170.10.128.0/22");
    pub const MIMECAST_UK: Pool = pool("Mimecast AS42427", 42427, "Mimecast Services Limited", "185.58.84.0/22", "185.58.84.0/22");
    pub const BARRACUDA: Pool = pool("Barracuda AS15324 64.235.150/23", 15324, "Barracuda Networks, Inc.", "64.235.150.0/23", "64.235.150.0/23");
    pub const BARRACUDA2: Pool = pool("Barracuda AS15324 209.222.80/23", 15324, "Barracuda Networks, Inc.", "209.222.80.0/23", "209.222.80.0/23");
    pub const CISCO: Pool = pool("Cisco Secure Email AS16417 68.232.128/22", 16417, "Cisco Systems Ironport Division", "68.232.128.0/22", "68.232.128.0/22");
    pub const CISCO2: Pool = pool("Cisco Secure Email AS16417 216.71.128/21", 16417, "Cisco Systems Ironport Division", "216.71.128.0/21", "216.71.128.0/21");
    pub const TREND: Pool = pool("Trend Micro AS16880 150.70.0/20", 16880, "TREND MICRO INCORPORATED", "150.70.0.0/20", "150.70.0.0/20");
    pub const TREND2: Pool = pool("Trend Micro AS16880 150.70.224/20", 16880, "TREND MICRO INCORPORATED", "150.70.224.0/20", "150.70.224.0/20");

    // Google.
    pub const GOOGLE_CRAWL: Pool = pool("Google crawl 66.249.64/19", 15169, "Google LLC", "66.249.64.0/19", "66.249.64.0/19");
    pub const GCP_TOKYO: Pool = pool("Google Cloud 34.84/16", 396982, "Google LLC", "34.64.0.0/11", "34.84.0.0/16");
    pub const GCP_35_200: Pool = pool("Google Cloud 35.200/14", 396982, "Google LLC", "35.200.0.0/14", "35.200.0.0/14");
    pub const GCP_US: Pool = pool("Google Cloud 35.184/13", 396982, "Google LLC", "35.184.0.0/13", "35.184.0.0/13");
    pub const GCP_34_120: Pool = pool("Google Cloud 34.120/13", 396982, "Google LLC", "34.120.0.0/13", "34.120.0.0/13");

    // Other clouds.
    pub const AWS_US_EAST: Pool = pool("AWS 3.80/12", 14618, "Amazon.com, Inc.", "3.80.0.0/12", "3.80.0.0/12");
    pub const AWS_52: Pool = pool("AWS 52.0/12", 16509, "Amazon.com, Inc.", "52.0.0.0/12", "52.0.0.0/12");
    pub const AWS_TOKYO: Pool = pool("AWS 13.112/14", 16509, "Amazon.com, Inc.", "13.112.0.0/14", "13.112.0.0/14");
    pub const AWS_TOKYO2: Pool = pool("AWS 18.176/12", 16509, "Amazon.com, Inc.", "18.176.0.0/12", "18.176.0.0/12");
    pub const OVH: Pool = pool("OVH 51.75/16", 16276, "OVH SAS", "51.75.0.0/16", "51.75.0.0/16");
    pub const HETZNER: Pool = pool("Hetzner 5.9/16", 24940, "Hetzner Online GmbH", "5.9.0.0/16", "5.9.0.0/16");
    pub const DIGITALOCEAN: Pool = pool("DigitalOcean 159.203/16", 14061, "DigitalOcean, LLC", "159.203.0.0/16", "159.203.0.0/16");
    pub const LINODE: Pool = pool("Akamai Linode 45.79/18", 63949, "Akamai Technologies, Inc.", "45.79.0.0/18", "45.79.0.0/18");

    // Security gateways and VPNs people browse through.
    pub const ZSCALER_53813: Pool = pool("Zscaler AS53813", 53813, "ZSCALER, INC.", "165.225.110.0/23", "165.225.110.0/23");
    pub const ZSCALER_22616: Pool = pool("Zscaler AS22616", 22616, "ZSCALER, INC.", "136.226.64.0/20", "136.226.64.0/20");

    // iCloud Private Relay egress.
    pub const RELAY_AKAMAI: Pool = pool("Private Relay Akamai", 36183, "Akamai Technologies, Inc.", "172.224.226.0/23", "172.224.226.0/27");
    pub const RELAY_CLOUDFLARE: Pool = pool("Private Relay Cloudflare", 13335, "Cloudflare, Inc.", "104.28.0.0/16", "104.28.30.0/26");
    pub const RELAY_FASTLY: Pool = pool("Private Relay Fastly", 54113, "Fastly, Inc.", "146.75.0.0/16", "146.75.136.0/22");
    pub const RELAY_AKAMAI_V6: Pool = pool("Private Relay Akamai IPv6", 20940, "Akamai International B.V.", "2a02:26f7:b200::/39", "2a02:26f7:b3c0:4000::/52");
    pub const RELAY_CLOUDFLARE_V6: Pool = pool("Private Relay Cloudflare IPv6", 13335, "Cloudflare, Inc.", "2a09:bac2::/31", "2a09:bac2:3000::/40");

    // Japanese mobile carriers.
    pub const DOCOMO_49_96: Pool = pool("docomo 49.96/18", 9605, "NTT DOCOMO, INC.", "49.96.0.0/18", "49.96.0.0/18");
    pub const DOCOMO_49_104: Pool = pool("docomo 49.104/17", 9605, "NTT DOCOMO, INC.", "49.104.0.0/17", "49.104.0.0/17");
    pub const DOCOMO_1_75: Pool = pool("docomo 1.75/21", 9605, "NTT DOCOMO, INC.", "1.75.0.0/21", "1.75.0.0/21");
    pub const AU_106: Pool = pool("au 106.128/10", 2516, "KDDI CORPORATION", "106.128.0.0/10", "106.128.0.0/13");
    pub const AU_182: Pool = pool("au 182.248/14", 2516, "KDDI CORPORATION", "182.248.0.0/14", "182.248.0.0/14");
    pub const AU_V6: Pool = pool("au IPv6", 2516, "KDDI CORPORATION", "2001:268::/32", "2001:268:9000::/36");
    pub const SOFTBANK_MOBILE: Pool = pool("SoftBank 126.203/16", 17676, "SoftBank Corp.", "126.203.0.0/16", "126.203.0.0/16");
    pub const SOFTBANK_MOBILE2: Pool = pool("SoftBank 126.252/14", 17676, "SoftBank Corp.", "126.252.0.0/14", "126.252.0.0/14");
    pub const SOFTBANK_V6: Pool = pool("SoftBank IPv6", 17676, "SoftBank Corp.", "2400:2000::/20", "2400:2410::/32");
    pub const RAKUTEN: Pool = pool("Rakuten Mobile 133.106.32/19", 138384, "Rakuten Mobile, Inc.", "133.106.32.0/19", "133.106.32.0/19");
    pub const RAKUTEN2: Pool = pool("Rakuten Mobile 133.106.64/18", 138384, "Rakuten Mobile, Inc.", "133.106.64.0/18", "133.106.64.0/18");

    // Japanese home lines.
    pub const OCN_153: Pool = pool("OCN 153.128/10", 4713, "NTT Communications Corporation", "153.128.0.0/10", "153.128.0.0/10");
    pub const OCN_114: Pool = pool("OCN 114.160/11", 4713, "NTT Communications Corporation", "114.160.0.0/11", "114.160.0.0/11");
    pub const OCN_V6: Pool = pool("OCN IPv6", 4713, "NTT Communications Corporation", "2400:4000::/22", "2400:4050::/32");
    pub const SOFTBANK_BB: Pool = pool("SoftBank BB 60.64/10", 17676, "SoftBank Corp.", "60.64.0.0/10", "60.64.0.0/10");
    pub const SOFTBANK_BB2: Pool = pool("SoftBank BB 126.32/12", 17676, "SoftBank Corp.", "126.32.0.0/12", "126.32.0.0/12");
    pub const BIGLOBE: Pool = pool("BIGLOBE 111.168/15", 2518, "BIGLOBE Inc.", "111.168.0.0/15", "111.168.0.0/15");
    pub const TRANSIX_V6: Pool = pool("transix IPv6 (IPoE)", 55391, "INTERNET MULTIFEED CO.", "2409:10::/28", "2409:10::/28");
    pub const AU_HIKARI_V6: Pool = pool("au Hikari IPv6", 2516, "KDDI CORPORATION", "240b:240::/26", "240b:250::/32");
    pub const SONET_V6: Pool = pool("So-net IPv6", 2527, "Sony Network Communications Inc.", "240d::/27", "240d:1a::/32");

    // Japanese business lines (office egress).
    pub const IIJ_OFFICE: Pool = pool("IIJ business line", 2497, "Internet Initiative Japan Inc.", "210.138.0.0/16", "210.138.92.0/28");
    pub const ARTERIA_OFFICE: Pool = pool("ARTERIA business line", 17506, "ARTERIA Networks Corporation", "113.40.0.0/14", "113.41.18.0/29");
    pub const OCN_OFFICE: Pool = pool("OCN business line", 4713, "NTT Communications Corporation", "153.128.0.0/10", "153.150.103.0/29");

    // US mobile carriers.
    pub const TMOBILE: Pool = pool("T-Mobile 172.32/11", 21928, "T-Mobile USA, Inc.", "172.32.0.0/11", "172.56.0.0/14");
    pub const TMOBILE_V6: Pool = pool("T-Mobile IPv6", 21928, "T-Mobile USA, Inc.", "2607:fb90::/33", "2607:fb90:1000::/36");
    pub const VERIZON_WIRELESS: Pool = pool("Verizon Wireless 174.192/16", 22394, "Verizon Business", "174.192.0.0/16", "174.192.0.0/16");
    pub const ATT_MOBILITY: Pool = pool("AT&T Mobility 107.77.100/22", 20057, "AT&T Enterprises, LLC", "107.77.100.0/22", "107.77.100.0/22");

    // US home lines.
    pub const COMCAST: Pool = pool("Comcast 73/8", 7922, "Comcast Cable Communications, LLC", "73.0.0.0/8", "73.0.0.0/8");
    pub const COMCAST_24: Pool = pool("Comcast 24.0/12", 7922, "Comcast Cable Communications, LLC", "24.0.0.0/12", "24.0.0.0/12");
    pub const COMCAST_V6: Pool = pool("Comcast IPv6", 7922, "Comcast Cable Communications, LLC", "2601:600::/23", "2601:600::/23");
    pub const CHARTER: Pool = pool("Charter 71.10/17", 20115, "Charter Communications", "71.10.0.0/17", "71.10.0.0/17");
    pub const VERIZON_FIOS: Pool = pool("Verizon Fios 108.20/15", 701, "Verizon Business", "108.20.0.0/15", "108.20.0.0/15");
    pub const ATT_HOME: Pool = pool("AT&T 99.96/13", 7018, "AT&T Enterprises, LLC", "99.96.0.0/13", "99.96.0.0/13");
    pub const ATT_HOME_V6: Pool = pool("AT&T IPv6", 7018, "AT&T Enterprises, LLC", "2600:1700::/28", "2600:1700::/28");
    pub const COX: Pool = pool("Cox 68.96/13", 22773, "Cox Communications Inc.", "68.96.0.0/13", "68.96.0.0/13");

    // US business lines (office egress).
    pub const LUMEN_OFFICE: Pool = pool("Lumen business line", 3356, "Level 3 Communications, Inc.", "4.30.0.0/16", "4.30.112.0/29");
    pub const COGENT_OFFICE: Pool = pool("Cogent business line", 174, "Cogent Communications", "38.100.20.0/24", "38.100.20.64/29");

    // Home lines elsewhere (residential proxy exits).
    pub const DTAG: Pool = pool("Deutsche Telekom 84.128/10", 3320, "Deutsche Telekom AG", "84.128.0.0/10", "84.128.0.0/10");
    pub const BT: Pool = pool("BT 86.128/10", 2856, "British Telecommunications PLC", "86.128.0.0/10", "86.128.0.0/10");
    pub const JIO: Pool = pool("Reliance Jio 49.32/13", 55836, "Reliance Jio Infocomm Limited", "49.32.0.0/13", "49.32.0.0/13");
    pub const CLARO: Pool = pool("Claro 177.100/20", 28573, "Claro NXT Telecomunicacoes Ltda", "177.100.0.0/20", "177.100.0.0/20");

    /// Every pool the world draws from (the owner database holds their networks).
    pub const ALL: &[Pool] = &[
        EOP_40_107, EOP_104_47, EOP_52_100, EOP_40_92, EOP_V6, MS_40_94, MS_40_64, MS_TEAMS,
        MS_TEAMS_114, AZURE_20_64, AZURE_20_80, AZURE_20_27, AZURE_20_210, AZURE_4_241,
        AZURE_172_174, PROOFPOINT_26211, PROOFPOINT_22843, PROOFPOINT_EU, MIMECAST_US,
        MIMECAST_US2, MIMECAST_UK, BARRACUDA, BARRACUDA2, CISCO, CISCO2, TREND, TREND2,
        GOOGLE_CRAWL, GCP_TOKYO, GCP_35_200, GCP_US, GCP_34_120, AWS_US_EAST, AWS_52, AWS_TOKYO,
        AWS_TOKYO2, OVH, HETZNER, DIGITALOCEAN, LINODE, ZSCALER_53813, ZSCALER_22616, RELAY_AKAMAI,
        RELAY_CLOUDFLARE, RELAY_FASTLY, RELAY_AKAMAI_V6, RELAY_CLOUDFLARE_V6, DOCOMO_49_96,
        DOCOMO_49_104, DOCOMO_1_75, AU_106, AU_182, AU_V6, SOFTBANK_MOBILE, SOFTBANK_MOBILE2,
        SOFTBANK_V6, RAKUTEN, RAKUTEN2, OCN_153, OCN_114, OCN_V6, SOFTBANK_BB, SOFTBANK_BB2, BIGLOBE,
        TRANSIX_V6, AU_HIKARI_V6, SONET_V6, IIJ_OFFICE, ARTERIA_OFFICE, OCN_OFFICE, TMOBILE,
        TMOBILE_V6, VERIZON_WIRELESS, ATT_MOBILITY, COMCAST, COMCAST_24, COMCAST_V6, CHARTER,
        VERIZON_FIOS, ATT_HOME, ATT_HOME_V6, COX, LUMEN_OFFICE, COGENT_OFFICE, DTAG, BT, JIO, CLARO,
    ];

    /// The Exchange Online Protection mail-flow pools (Microsoft's published list).
    pub const EOP: &[Pool] = &[EOP_40_107, EOP_104_47, EOP_52_100, EOP_40_92];
}

pub use blocks::*;

fn parse(text: &str) -> IpNetwork {
    text.parse().expect("pool network")
}

impl Pool {
    /// An address inside the pool's hosts block: never the block's first or
    /// last address, never a `.0`/`.255` octet (CGNAT and NAT pools skip them).
    pub fn draw(&self, rng: &mut Rng) -> IpAddr {
        match parse(self.hosts) {
            IpNetwork::V4(net) => {
                let size = 1u64 << (32 - net.prefix());
                loop {
                    let offset = if size <= 2 {
                        0
                    } else {
                        1 + rng.below(size - 2)
                    };
                    let addr = Ipv4Addr::from(u32::from(net.network()) + offset as u32);
                    let last = addr.octets()[3];
                    if size <= 4 || (last != 0 && last != 255) {
                        return IpAddr::V4(addr);
                    }
                }
            }
            IpNetwork::V6(net) => {
                let host_bits = 128 - u32::from(net.prefix());
                let mask = if host_bits >= 128 {
                    u128::MAX
                } else {
                    (1u128 << host_bits) - 1
                };
                let random = (u128::from(rng.next_u64()) << 64) | u128::from(rng.next_u64());
                let bits = (u128::from(net.network()) & !mask) | (random & mask) | 1;
                IpAddr::V6(Ipv6Addr::from(bits))
            }
        }
    }

    /// `count` distinct addresses of the pool (a NAT gateway's, an office's).
    pub fn draw_distinct(&self, rng: &mut Rng, count: usize) -> Vec<IpAddr> {
        let mut out: Vec<IpAddr> = Vec::with_capacity(count);
        let mut tries = 0;
        while out.len() < count {
            let ip = self.draw(rng);
            tries += 1;
            if !out.contains(&ip) || tries > 1000 {
                out.push(ip);
            }
        }
        out
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        parse(self.hosts).contains(ip)
    }
}

/// The pool an address was drawn from.
pub fn pool_of(ip: IpAddr) -> Option<&'static Pool> {
    ALL.iter().find(|p| p.contains(ip))
}

/// The held-out world's owner database: GeoLite2-ASN schema, one record per
/// pool network, built with whoclicked's own writer. Deterministic bytes.
pub fn asn_database() -> Vec<u8> {
    let mut options = WriterOptions::new("GeoLite2-ASN");
    // 2026-06-17, the build date of the real database the records come from.
    options.build_epoch = 1_781_654_400;
    options.description = [(
        "en".to_string(),
        "whoclicked held-out world: owners from ip-location-db asn 2026-06-17 (CC BY 4.0)"
            .to_string(),
    )]
    .into_iter()
    .collect();
    let mut writer = Writer::new(options).expect("writer options");
    let mut networks: Vec<&Pool> = ALL.iter().collect();
    networks.sort_by_key(|p| p.network);
    networks.dedup_by_key(|p| p.network);
    for p in networks {
        let record = Value::map([
            ("autonomous_system_number", Value::Uint32(p.asn)),
            ("autonomous_system_organization", Value::from(p.org)),
        ]);
        writer.insert(parse(p.network), record).expect("insert");
    }
    writer.finish().expect("finish").bytes
}

/// Writes the owner database into `dir` and returns its path.
pub fn write_database(dir: &Path) -> PathBuf {
    let path = dir.join("heldout-asn.mmdb");
    std::fs::write(&path, asn_database()).expect("write the held-out owner database");
    path
}
