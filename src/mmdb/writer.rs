//! A MaxMind DB writer: networks or ranges with records in, `.mmdb` bytes out.
//!
//! Overlap rule: blocks are applied from least to most specific, and among
//! equally specific blocks in insertion order. So a more specific network
//! always wins where it applies, and for the very same network the record
//! inserted last wins. Ranges are split into CIDR blocks first, so this
//! holds for them block by block. The output depends only on the inserted
//! data and the options: same input, same bytes.

use std::collections::BTreeMap;
use std::net::IpAddr;

use ipnetwork::IpNetwork;
use thiserror::Error;

use super::cidr::{self, Block, IPV4_ZONE, MAPPED_ZONE, SIX_TO_FOUR_ZONE};
use super::encode::DataEncoder;
use super::tree::Tree;
use super::value::{Map, Value};
use crate::fasthash::FastMap;

/// Why a database could not be written.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum BuildError {
    #[error("range {start} - {end} mixes IPv4 and IPv6")]
    FamilyMismatch { start: IpAddr, end: IpAddr },
    #[error("range {start} - {end} ends before it starts")]
    StartAfterEnd { start: IpAddr, end: IpAddr },
    #[error("cannot put IPv6 network {network} into an IPv4 database")]
    Ipv6InIpv4Database { network: String },
    #[error("invalid writer option: {message}")]
    InvalidOption { message: String },
    #[error("the {what} is too large for the MaxMind DB format")]
    TooLarge { what: &'static str },
    #[error("a value of {size} bytes or entries is too large for the MaxMind DB format")]
    ValueTooLarge { size: usize },
}

/// Metadata and layout of the database to write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WriterOptions {
    pub database_type: String,
    /// 4 (IPv4 only) or 6 (IPv6 with IPv4 at `::/96`).
    pub ip_version: u16,
    pub languages: Vec<String>,
    /// Language code → description. An empty map gets `en` = the database type,
    /// because readers (`maxminddb`'s `verify`) reject an empty one.
    pub description: BTreeMap<String, String>,
    /// Seconds since the Unix epoch.
    pub build_epoch: u64,
    /// In an IPv6 tree, make `::ffff:0:0/96` (IPv4-mapped) and `2002::/16`
    /// (6to4) lead to the IPv4 data, as MaxMind's files do.
    pub ipv4_aliases: bool,
    /// 24, 28 or 32; `None` picks the smallest that fits.
    pub record_size: Option<u16>,
}

impl WriterOptions {
    /// An IPv6 database with aliases, English, built at the epoch.
    pub fn new(database_type: impl Into<String>) -> Self {
        WriterOptions {
            database_type: database_type.into(),
            ip_version: 6,
            languages: vec!["en".to_string()],
            description: BTreeMap::new(),
            build_epoch: 0,
            ipv4_aliases: true,
            record_size: None,
        }
    }
}

/// A record added to a [`Writer`]; equal values share one id and one copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RecordId(u32);

/// What a finished write produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    pub bytes: Vec<u8>,
    pub stats: WriteStats,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WriteStats {
    /// CIDR blocks placed in the tree (after splitting ranges).
    pub blocks: usize,
    /// Networks skipped because they lie in 6to4 space (`2002::/16`), which
    /// is an alias of the IPv4 data.
    pub skipped: usize,
    /// The first few skipped networks, for a report.
    pub skipped_examples: Vec<String>,
    /// Distinct records written to the data section.
    pub records: usize,
    pub node_count: u32,
    pub record_size: u16,
    pub data_bytes: usize,
}

/// Collects networks and records; [`Writer::finish`] builds the file.
pub struct Writer {
    options: WriterOptions,
    records: Vec<Value>,
    record_ids: FastMap<Value, u32>,
    blocks: Vec<(Block, u32)>,
    skipped: usize,
    skipped_examples: Vec<String>,
    /// Reused buffer for the pieces of an IPv6 block.
    scratch: Vec<Block>,
}

const SKIPPED_EXAMPLES: usize = 5;

/// `\xAB\xCD\xEFMaxMind.com`: where the metadata starts.
const METADATA_MARKER: &[u8] = b"\xAB\xCD\xEFMaxMind.com";

impl Writer {
    pub fn new(options: WriterOptions) -> Result<Self, BuildError> {
        if options.ip_version != 4 && options.ip_version != 6 {
            return Err(BuildError::InvalidOption {
                message: format!("ip_version must be 4 or 6, not {}", options.ip_version),
            });
        }
        if let Some(size) = options.record_size
            && ![24, 28, 32].contains(&size)
        {
            return Err(BuildError::InvalidOption {
                message: format!("record_size must be 24, 28 or 32, not {size}"),
            });
        }
        Ok(Writer {
            options,
            records: Vec::new(),
            record_ids: FastMap::default(),
            blocks: Vec::new(),
            skipped: 0,
            skipped_examples: Vec::new(),
            scratch: Vec::new(),
        })
    }

    /// Adds a record (usually a map) and returns its id; an equal value
    /// added before returns the same id.
    pub fn record(&mut self, value: Value) -> RecordId {
        if let Some(&id) = self.record_ids.get(&value) {
            return RecordId(id);
        }
        let id = self.records.len() as u32;
        self.records.push(value.clone());
        self.record_ids.insert(value, id);
        RecordId(id)
    }

    /// Sets `network` to `value` (see the module docs for overlaps).
    pub fn insert(&mut self, network: IpNetwork, value: Value) -> Result<(), BuildError> {
        let record = self.record(value);
        self.insert_record(network, record)
    }

    /// Sets `network` to a record added before.
    pub fn insert_record(
        &mut self,
        network: IpNetwork,
        record: RecordId,
    ) -> Result<(), BuildError> {
        let (addr, _) = cidr::to_bits(network.network());
        let block = Block {
            addr,
            prefix: network.prefix(),
        };
        let placed = self
            .place(block, network.is_ipv4(), record.0)
            .map_err(|err| match err {
                BuildError::Ipv6InIpv4Database { .. } => BuildError::Ipv6InIpv4Database {
                    network: network.to_string(),
                },
                other => other,
            })?;
        if placed {
            self.skip(network.to_string());
        }
        Ok(())
    }

    /// Counts one input left out (a range counts once, however many blocks it split into).
    fn skip(&mut self, label: String) {
        self.skipped += 1;
        if self.skipped_examples.len() < SKIPPED_EXAMPLES {
            self.skipped_examples.push(label);
        }
    }

    /// Sets every address from `start` to `end` (inclusive) to a record.
    pub fn insert_range(
        &mut self,
        start: IpAddr,
        end: IpAddr,
        record: RecordId,
    ) -> Result<(), BuildError> {
        if start.is_ipv4() != end.is_ipv4() {
            return Err(BuildError::FamilyMismatch { start, end });
        }
        let (first, bits) = cidr::to_bits(start);
        let (last, _) = cidr::to_bits(end);
        if first > last {
            return Err(BuildError::StartAfterEnd { start, end });
        }
        let mut skipped = false;
        for block in cidr::range_blocks(first, last, bits) {
            skipped |= self
                .place(block, start.is_ipv4(), record.0)
                .map_err(|err| match err {
                    BuildError::Ipv6InIpv4Database { .. } => BuildError::Ipv6InIpv4Database {
                        network: format!("{start} - {end}"),
                    },
                    other => other,
                })?;
        }
        if skipped {
            self.skip(format!("{start} - {end}"));
        }
        Ok(())
    }

    /// Places one block; true when it was left out (6to4 space).
    fn place(&mut self, block: Block, ipv4: bool, record: u32) -> Result<bool, BuildError> {
        match (ipv4, self.options.ip_version) {
            (true, 4) => self.blocks.push((block, record)),
            (true, _) => self.blocks.push((
                Block {
                    addr: block.addr,
                    prefix: block.prefix + 96,
                },
                record,
            )),
            (false, 4) => {
                let (addr, prefix) = (block.addr, block.prefix);
                return Err(BuildError::Ipv6InIpv4Database {
                    network: format!("{}/{prefix}", std::net::Ipv6Addr::from(addr)),
                });
            }
            (false, _) => {
                let mut placed = std::mem::take(&mut self.scratch);
                placed.clear();
                let skipped = !cidr::place_ipv6(block, self.options.ipv4_aliases, &mut placed);
                self.blocks.extend(placed.iter().map(|&b| (b, record)));
                self.scratch = placed;
                return Ok(skipped);
            }
        }
        Ok(false)
    }

    /// Builds the database.
    pub fn finish(mut self) -> Result<Written, BuildError> {
        let v6 = self.options.ip_version == 6;
        let mut tree = Tree::new(if v6 { 128 } else { 32 });
        // Least specific first; within a prefix length by address, which
        // only changes the order of disjoint blocks and keeps the tree walk
        // in cache. Stable: the same block given twice keeps insertion order.
        self.blocks
            .sort_by_key(|(block, _)| (block.prefix, block.addr));
        for &(block, record) in &self.blocks {
            tree.insert(block, record)?;
        }
        tree.merge_identical();
        if v6 && self.options.ipv4_aliases {
            tree.alias(MAPPED_ZONE, IPV4_ZONE)?;
            tree.alias(SIX_TO_FOUR_ZONE, IPV4_ZONE)?;
        }
        let numbered = tree.number();

        let mut data = DataEncoder::data_section();
        let mut offsets = vec![u32::MAX; self.records.len()];
        let mut written = 0;
        for id in tree.records_in_order(&numbered) {
            let slot = &mut offsets[id as usize];
            if *slot == u32::MAX {
                *slot = data.write_record(&self.records[id as usize])?;
                written += 1;
            }
        }

        let node_count =
            u32::try_from(numbered.node_count()).map_err(|_| BuildError::TooLarge {
                what: "search tree",
            })?;
        let largest = u64::from(node_count) + 16 + data.len() as u64;
        let record_size = match self.options.record_size {
            Some(size) => size,
            None => [24u16, 28, 32]
                .into_iter()
                .find(|&size| largest < (1u64 << size))
                .ok_or(BuildError::TooLarge { what: "database" })?,
        };
        let tree_bytes = tree.serialize(&numbered, record_size, |id| offsets[id as usize])?;
        let data_bytes = data.into_bytes();
        let metadata = self.metadata(node_count, record_size)?;

        let mut bytes = Vec::with_capacity(
            tree_bytes.len() + 16 + data_bytes.len() + METADATA_MARKER.len() + metadata.len(),
        );
        bytes.extend_from_slice(&tree_bytes);
        bytes.extend_from_slice(&[0u8; 16]);
        bytes.extend_from_slice(&data_bytes);
        bytes.extend_from_slice(METADATA_MARKER);
        bytes.extend_from_slice(&metadata);
        Ok(Written {
            bytes,
            stats: WriteStats {
                blocks: self.blocks.len(),
                skipped: self.skipped,
                skipped_examples: self.skipped_examples,
                records: written,
                node_count,
                record_size,
                data_bytes: data_bytes.len(),
            },
        })
    }

    /// The metadata map; `languages` and `description` are always written
    /// because the Rust reader refuses files without them.
    fn metadata(&self, node_count: u32, record_size: u16) -> Result<Vec<u8>, BuildError> {
        let o = &self.options;
        let mut description = o.description.clone();
        if description.is_empty() {
            description.insert("en".to_string(), o.database_type.clone());
        }
        let description: Map = description.into_iter().collect();
        let meta = Value::map([
            ("binary_format_major_version", Value::Uint16(2)),
            ("binary_format_minor_version", Value::Uint16(0)),
            ("build_epoch", Value::Uint64(o.build_epoch)),
            ("database_type", Value::from(o.database_type.as_str())),
            ("description", Value::Map(description)),
            ("ip_version", Value::Uint16(o.ip_version)),
            ("languages", Value::strings(o.languages.iter().cloned())),
            ("node_count", Value::Uint32(node_count)),
            ("record_size", Value::Uint16(record_size)),
        ]);
        let mut encoder = DataEncoder::metadata();
        encoder.write_record(&meta)?;
        Ok(encoder.into_bytes())
    }
}
