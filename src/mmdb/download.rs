//! Fetching a free range list over HTTP(S), for `whoclicked mmdb update`:
//! one file per URL, streamed to disk (the ASN lists are tens of megabytes),
//! with the URL named in every error. Built with the `update` feature only.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The free ASN range lists the bundled database was built from: the
/// ip-location-db project's `asn` CSVs (`start,end,asn,org`, CC BY 4.0), as
/// its README links them.
pub const DEFAULT_ASN_URLS: [&str; 2] = [
    "https://cdn.jsdelivr.net/npm/@ip-location-db/asn/asn-ipv4.csv",
    "https://cdn.jsdelivr.net/npm/@ip-location-db/asn/asn-ipv6.csv",
];

/// A list is refused past this size: the real ones are a few tens of MB.
const MAX_BYTES: u64 = 1 << 30;

#[derive(Debug, thiserror::Error)]
pub enum DownloadError {
    #[error("cannot download {url}: {message}")]
    Http { url: String, message: String },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// Downloads `url` into the file `dest` (created or truncated); returns the
/// bytes written.
pub fn download(url: &str, dest: &Path) -> Result<u64, DownloadError> {
    let http = |message: String| DownloadError::Http {
        url: url.to_string(),
        message,
    };
    let agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(600)))
        .user_agent(concat!("whoclicked/", env!("CARGO_PKG_VERSION")))
        .build()
        .new_agent();
    let mut response = agent.get(url).call().map_err(|e| http(e.to_string()))?;
    let mut body = response.body_mut().with_config().limit(MAX_BYTES).reader();
    let write = |source| DownloadError::Write {
        path: dest.to_path_buf(),
        source,
    };
    let mut file = std::fs::File::create(dest).map_err(write)?;
    // Read and write apart, so each error names what failed: the download
    // or the disk.
    let mut buf = vec![0; 64 * 1024];
    let mut copied = 0u64;
    loop {
        let n = match body.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(http(e.to_string())),
        };
        file.write_all(&buf[..n]).map_err(write)?;
        copied += n as u64;
    }
    file.flush().map_err(write)?;
    Ok(copied)
}
