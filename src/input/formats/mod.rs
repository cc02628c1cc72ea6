//! One reader per log format: each turns rows into accesses and recipient
//! events through the shared byte handling and value readers.

#[cfg(test)]
mod both_ways;
pub(super) mod combined;
pub(super) mod combined_line;
pub(super) mod combined_scan;
pub(super) mod dhcp_audit;
pub(super) mod dhcpd_leases;
pub(super) mod gateway;
pub(super) mod gophish;
pub(super) mod gophish_details;
pub(super) mod native;
pub(super) mod native_columns;
pub(super) mod proxy_url;
pub(super) mod squid;
