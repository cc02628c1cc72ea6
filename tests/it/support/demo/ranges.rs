//! The owner table: the real address blocks the story uses (facts, written out
//! as `assets/demo/ranges.tsv`).

use std::fmt::Write as _;
use std::net::Ipv4Addr;

/// A named address block of the demo's owner table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Block {
    Docomo1,
    AzureJapan,
    GoogleCloud,
    MicrosoftEop40,
    Docomo49,
    Optage,
    Biglobe,
    Proofpoint26211,
    MicrosoftEop104,
    Kddi,
    SoNet,
    SoftBank,
    Rakuten,
    Proofpoint13916,
    Proofpoint22843,
    Ocn,
    Mimecast,
    OfficeIij,
}

/// One row of `assets/demo/ranges.tsv` (iptoasn's format).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    pub net: Block,
    pub first: Ipv4Addr,
    pub last: Ipv4Addr,
    pub asn: u32,
    pub country: &'static str,
    /// Organisation exactly as `asn-real.mmdb` names the AS.
    pub org: &'static str,
    /// The prefix `asn-real.mmdb` reports for addresses of this row.
    pub db_prefix: &'static str,
    /// What the block stands for in the story.
    pub role: &'static str,
}

const fn ip(a: u8, b: u8, c: u8, d: u8) -> Ipv4Addr {
    Ipv4Addr::new(a, b, c, d)
}

/// The owner table, sorted by first address. Each row lies inside one prefix of
/// `asn-real.mmdb` (`db_prefix`) whose AS number and organisation it repeats.
pub const RANGES: &[Range] = &[
    Range {
        net: Block::Docomo1,
        first: ip(1, 72, 0, 0),
        last: ip(1, 72, 255, 255),
        asn: 9605,
        country: "JP",
        org: "NTT DOCOMO, INC.",
        db_prefix: "1.72.0.0/16",
        role: "docomo phones",
    },
    Range {
        net: Block::AzureJapan,
        first: ip(20, 210, 0, 0),
        last: ip(20, 210, 255, 255),
        asn: 8075,
        country: "US",
        org: "Microsoft Corporation",
        db_prefix: "20.192.0.0/10",
        role: "Azure: the Azure Virtual Desktop user",
    },
    Range {
        net: Block::GoogleCloud,
        first: ip(34, 84, 0, 0),
        last: ip(34, 84, 255, 255),
        asn: 396_982,
        country: "US",
        org: "Google LLC",
        db_prefix: "34.64.0.0/11",
        role: "Google Cloud: the headless crawler",
    },
    Range {
        net: Block::MicrosoftEop40,
        first: ip(40, 94, 0, 0),
        last: ip(40, 94, 255, 255),
        asn: 8075,
        country: "US",
        org: "Microsoft Corporation",
        db_prefix: "40.88.0.0/13",
        role: "Microsoft: Safe Links detonation",
    },
    Range {
        net: Block::Docomo49,
        first: ip(49, 96, 0, 0),
        last: ip(49, 96, 63, 255),
        asn: 9605,
        country: "JP",
        org: "NTT DOCOMO, INC.",
        db_prefix: "49.96.0.0/18",
        role: "docomo phones",
    },
    Range {
        net: Block::Optage,
        first: ip(58, 188, 0, 0),
        last: ip(58, 191, 255, 255),
        asn: 17_511,
        country: "JP",
        org: "OPTAGE Inc.",
        db_prefix: "58.188.0.0/14",
        role: "eo (OPTAGE): a home line",
    },
    Range {
        net: Block::Biglobe,
        first: ip(60, 236, 0, 0),
        last: ip(60, 239, 255, 255),
        asn: 2518,
        country: "JP",
        org: "BIGLOBE Inc.",
        db_prefix: "60.236.0.0/14",
        role: "BIGLOBE: a home line",
    },
    Range {
        net: Block::Proofpoint26211,
        first: ip(67, 231, 144, 0),
        last: ip(67, 231, 151, 255),
        asn: 26_211,
        country: "US",
        org: "Proofpoint, Inc.",
        db_prefix: "67.231.144.0/21",
        role: "Proofpoint: URL Defense fetches",
    },
    Range {
        net: Block::MicrosoftEop104,
        first: ip(104, 47, 0, 0),
        last: ip(104, 47, 127, 255),
        asn: 8075,
        country: "US",
        org: "Microsoft Corporation",
        db_prefix: "104.40.0.0/13",
        role: "Microsoft: Exchange Online Protection",
    },
    Range {
        net: Block::Kddi,
        first: ip(106, 128, 0, 0),
        last: ip(106, 191, 255, 255),
        asn: 2516,
        country: "JP",
        org: "KDDI CORPORATION",
        db_prefix: "106.128.0.0/10",
        role: "au (KDDI) phones",
    },
    Range {
        net: Block::SoNet,
        first: ip(118, 240, 0, 0),
        last: ip(118, 241, 255, 255),
        asn: 2527,
        country: "JP",
        org: "Sony Network Communications Inc.",
        db_prefix: "118.240.0.0/15",
        role: "So-net: home lines",
    },
    Range {
        net: Block::SoftBank,
        first: ip(126, 200, 0, 0),
        last: ip(126, 200, 255, 255),
        asn: 17_676,
        country: "JP",
        org: "SoftBank Corp.",
        db_prefix: "126.200.0.0/16",
        role: "SoftBank phones",
    },
    Range {
        net: Block::Rakuten,
        first: ip(133, 106, 32, 0),
        last: ip(133, 106, 63, 255),
        asn: 138_384,
        country: "JP",
        org: "Rakuten Mobile, Inc.",
        db_prefix: "133.106.32.0/19",
        role: "Rakuten Mobile phones",
    },
    Range {
        net: Block::Proofpoint13916,
        first: ip(148, 163, 130, 0),
        last: ip(148, 163, 130, 255),
        asn: 13_916,
        country: "US",
        org: "Proofpoint, Inc.",
        db_prefix: "148.163.130.0/24",
        role: "Proofpoint: URL Defense fetches",
    },
    Range {
        net: Block::Proofpoint22843,
        first: ip(148, 163, 136, 0),
        last: ip(148, 163, 143, 255),
        asn: 22_843,
        country: "US",
        org: "Proofpoint, Inc.",
        db_prefix: "148.163.136.0/21",
        role: "Proofpoint: later sandbox re-scans",
    },
    Range {
        net: Block::Ocn,
        first: ip(153, 128, 0, 0),
        last: ip(153, 191, 255, 255),
        asn: 4713,
        country: "JP",
        org: "NTT Communications Corporation",
        db_prefix: "153.128.0.0/10",
        role: "NTT OCN: a home line",
    },
    Range {
        net: Block::Mimecast,
        first: ip(205, 139, 110, 0),
        last: ip(205, 139, 111, 255),
        asn: 30_031,
        country: "US",
        org: "Mimecast North America Inc",
        db_prefix: "205.139.110.0/23",
        role: "Mimecast: URL Protect fetches",
    },
    Range {
        net: Block::OfficeIij,
        first: ip(210, 130, 0, 0),
        last: ip(210, 130, 127, 255),
        asn: 2497,
        country: "JP",
        org: "Internet Initiative Japan Inc.",
        db_prefix: "210.130.0.0/17",
        role: "IIJ: the head office's business line (one proxy address)",
    },
];

/// The owner-table row of a block.
pub fn range(net: Block) -> &'static Range {
    RANGES
        .iter()
        .find(|r| r.net == net)
        .expect("every Block has a row in RANGES")
}

/// The row of [`RANGES`] that holds `addr`, if any.
pub fn range_of(addr: Ipv4Addr) -> Option<&'static Range> {
    RANGES.iter().find(|r| r.first <= addr && addr <= r.last)
}

/// `assets/demo/ranges.tsv`: `range_start TAB range_end TAB AS_number TAB country_code TAB AS_description`.
pub fn ranges_tsv() -> String {
    let mut out = String::new();
    for r in RANGES {
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}",
            r.first, r.last, r.asn, r.country, r.org
        )
        .expect("writing to a String cannot fail");
    }
    out
}
