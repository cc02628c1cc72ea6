//! The owner databases of the evaluation world, built in memory with the
//! project's own MaxMind DB writer: an IP-to-ASN database of every network
//! the world knows (not only the ones a campaign used, as a real file holds
//! the whole internet), and, where a scenario's analyst has them, a City,
//! Enterprise or Anonymous-IP database with what such products say about
//! each network's line.

use std::path::PathBuf;
use std::sync::Arc;

use ipnetwork::IpNetwork;
use whoclicked::mmdb::{AsnRange, BuildOptions, Map, Value, Writer, WriterOptions};
use whoclicked::owner::OwnerDatabases;

use super::eval_campaigns::Databases;
use super::eval_world::*;

/// What a commercial database says a network's line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Line {
    /// Data centres: clouds, hosting, vendors' scanning farms.
    Hosting,
    Business,
    Residential,
    Cellular,
    Spider,
}

/// Every network of the world with its line. KDDI's block serves both
/// fixed and mobile lines; it is listed as both, and the later (cellular)
/// wins, as it would in a database that keeps one record per block.
fn world_networks() -> Vec<(Net, Line)> {
    let tables: [(&[Net], Line); 21] = [
        (AZURE, Line::Hosting),
        (EOP, Line::Hosting),
        (PROOFPOINT, Line::Hosting),
        (MIMECAST, Line::Hosting),
        (BARRACUDA, Line::Hosting),
        (IRONPORT, Line::Hosting),
        (TREND, Line::Hosting),
        (KASPERSKY, Line::Hosting),
        (DOMESTIC_DC, Line::Hosting),
        (AWS, Line::Hosting),
        (GCP, Line::Hosting),
        (GOOGLEBOT, Line::Spider),
        (HOSTING, Line::Hosting),
        (ZSCALER, Line::Business),
        (OFFICE_JP, Line::Business),
        (OFFICE_US, Line::Business),
        (HOME_JP, Line::Residential),
        (HOME_US, Line::Residential),
        (HOME_ABROAD, Line::Residential),
        (MOBILE_JP, Line::Cellular),
        (MOBILE_US, Line::Cellular),
    ];
    tables
        .iter()
        .flat_map(|(nets, line)| nets.iter().map(move |n| (*n, *line)))
        .collect()
}

fn network(net: &Net) -> IpNetwork {
    net.cidr.parse().expect("world networks are CIDRs")
}

/// 2026-09-01, the build the evaluation's analyst has.
fn build_date() -> jiff::civil::Date {
    jiff::civil::date(2026, 9, 1)
}

fn asn_database() -> Vec<u8> {
    let ranges: Vec<AsnRange> = world_networks()
        .iter()
        .enumerate()
        .map(|(i, (net, _))| {
            let block = network(net);
            AsnRange {
                start: block.network(),
                end: block.broadcast(),
                asn: net.asn,
                org: Arc::from(net.org),
                country: Some(Arc::from(net.country)),
                line: i as u64 + 1,
            }
        })
        .collect();
    whoclicked::mmdb::build_asn_database(&ranges, &BuildOptions::new(build_date()))
        .expect("the world's ranges make a database")
        .bytes
}

fn writer(database_type: &str) -> Writer {
    let mut options = WriterOptions::new(database_type);
    options.build_epoch = 1_788_220_800;
    Writer::new(options).expect("valid writer options")
}

fn country(code: &str) -> Value {
    Value::map([("iso_code", Value::from(code))])
}

fn city_database() -> Vec<u8> {
    let mut w = writer("GeoLite2-City");
    for (net, _) in world_networks() {
        let record = Value::map([("country", country(net.country))]);
        w.insert(network(&net), record).expect("insert");
    }
    w.finish().expect("city database").bytes
}

fn enterprise_database() -> Vec<u8> {
    let mut w = writer("GeoIP2-Enterprise");
    for (net, line) in world_networks() {
        let (user_type, connection) = match line {
            Line::Hosting => ("hosting", "Corporate"),
            Line::Business => ("business", "Corporate"),
            Line::Residential => ("residential", "Cable/DSL"),
            Line::Cellular => ("cellular", "Cellular"),
            Line::Spider => ("search_engine_spider", "Corporate"),
        };
        let traits = Map::new()
            .with("autonomous_system_number", Value::Uint32(net.asn))
            .with("autonomous_system_organization", net.org)
            .with("isp", net.org)
            .with("organization", net.org)
            .with("user_type", user_type)
            .with("connection_type", connection);
        let record = Value::map([
            ("country", country(net.country)),
            ("traits", Value::Map(traits)),
        ]);
        w.insert(network(&net), record).expect("insert");
    }
    w.finish().expect("enterprise database").bytes
}

fn anonymous_database() -> Vec<u8> {
    let mut w = writer("GeoIP2-Anonymous-IP");
    for (net, line) in world_networks() {
        // The product lists only networks it flags.
        if line == Line::Hosting {
            let record = Value::map([("is_hosting_provider", Value::Bool(true))]);
            w.insert(network(&net), record).expect("insert");
        }
    }
    w.finish().expect("anonymous-ip database").bytes
}

/// The databases an analyst with `which` has, opened as the tool opens them.
pub fn databases(which: Databases) -> OwnerDatabases {
    let mut files = vec![(PathBuf::from("world-asn.mmdb"), asn_database())];
    match which {
        Databases::Asn => {}
        Databases::AsnCity => files.push((PathBuf::from("world-city.mmdb"), city_database())),
        Databases::AsnEnterprise => files.push((
            PathBuf::from("world-enterprise.mmdb"),
            enterprise_database(),
        )),
        Databases::AsnAnonymous => {
            files.push((PathBuf::from("world-anonymous.mmdb"), anonymous_database()))
        }
    }
    OwnerDatabases::from_bytes(files).expect("the world's databases open")
}
