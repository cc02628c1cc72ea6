//! The owner database whoclicked ships, and `whoclicked mmdb update`: a
//! fresh machine (an empty data directory, no GeoIP files) knows who owns
//! a real address; a database the user adds that gives AS numbers takes
//! precedence; `mmdb update` downloads a range list (here from a local HTTP
//! server serving a fixture: no network) and builds the database that is
//! used from then on.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::mmdb as fixtures;

/// A machine of its own: the data directory (and so its `mmdb/`) and the
/// knowledge base under `home`.
fn whoclicked(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_whoclicked"))
        .args(args)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("WHOCLICKED_KB", home.join("kb"))
        .env_remove("WHOCLICKED_NO_DEFAULT_MMDB")
        .env_remove("WHOCLICKED_MMDB")
        .env_remove("WHOCLICKED_MMDB_UPDATE_URL")
        .env("LC_ALL", "C")
        .output()
        .expect("run whoclicked")
}

fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).into_owned()
}

fn user_mmdb_dir(home: &Path) -> PathBuf {
    home.join("data").join("whoclicked").join("mmdb")
}

#[test]
fn a_fresh_machine_knows_real_owners_from_the_bundled_data() {
    let home = tempfile::tempdir().unwrap();
    let out = whoclicked(home.path(), &["lookup", "--no-kb", "40.94.0.1", "8.8.8.8"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert!(
        table.contains("AS8075") && table.contains("Microsoft Corporation"),
        "{table}"
    );
    assert!(table.contains("AS15169"), "{table}");
    assert!(
        !text(&out.stderr).contains("no owner database found"),
        "{}",
        text(&out.stderr)
    );
    let json = whoclicked(home.path(), &["lookup", "--no-kb", "--json", "40.94.0.1"]);
    assert!(
        text(&json.stdout).contains("\"file\":\"bundled ASN data\""),
        "{}",
        text(&json.stdout)
    );
}

#[test]
fn a_database_the_user_adds_that_gives_as_numbers_takes_precedence() {
    let home = tempfile::tempdir().unwrap();
    let dir = user_mmdb_dir(home.path());
    std::fs::create_dir_all(&dir).unwrap();
    // A City database gives no AS numbers: the bundled data still does.
    std::fs::write(dir.join("city.mmdb"), fixtures::city_db()).unwrap();
    let out = whoclicked(home.path(), &["lookup", "--no-kb", "8.8.8.8"]);
    assert!(
        text(&out.stdout).contains("AS15169"),
        "{}",
        text(&out.stdout)
    );
    // An ASN database that does not know 8.8.8.8: now it is unknown.
    std::fs::write(dir.join("asn.mmdb"), fixtures::asn_db()).unwrap();
    let out = whoclicked(home.path(), &["lookup", "--no-kb", "8.8.8.8", "40.94.0.1"]);
    let table = text(&out.stdout);
    assert!(
        !table.contains("AS15169"),
        "the bundled data was used:\n{table}"
    );
    assert!(table.contains("AS8075"), "{table}");
}

#[test]
fn no_default_databases_means_no_bundled_one_either() {
    let home = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_whoclicked"))
        .args(["lookup", "--no-kb", "40.94.0.1"])
        .env("XDG_DATA_HOME", home.path())
        .env("WHOCLICKED_NO_DEFAULT_MMDB", "1")
        .env_remove("WHOCLICKED_MMDB")
        .output()
        .unwrap();
    assert!(
        !text(&out.stdout).contains("AS8075"),
        "{}",
        text(&out.stdout)
    );
    assert!(text(&out.stderr).contains("no owner database found"));
}

/// `mmdb update` needs the `update` feature (the HTTPS client).
#[cfg(feature = "update")]
mod update {
    use std::io::{BufRead, BufReader, Write};
    use std::net::TcpListener;

    use super::*;

    /// Serves `files` (path → body) to `requests` requests on 127.0.0.1, then
    /// stops; any other path is a 404.
    fn serve(files: Vec<(&'static str, String)>, requests: usize) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            for stream in listener.incoming().take(requests) {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut request = String::new();
                let _ = reader.read_line(&mut request);
                // The rest of the head, up to the blank line.
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let path = request.split_whitespace().nth(1).unwrap_or("/");
                let response = match files.iter().find(|(p, _)| *p == path) {
                    Some((_, body)) => format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    ),
                    None => {
                        "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            .to_string()
                    }
                };
                let _ = stream.write_all(response.as_bytes());
            }
        });
        base
    }

    #[test]
    fn mmdb_update_downloads_the_list_and_builds_the_database_used_from_then_on() {
        let home = tempfile::tempdir().unwrap();
        let base = serve(
            vec![
                (
                    "/asn-ipv4.csv",
                    "1.0.0.0,1.0.0.255,64500,Fixture Networks\n40.94.0.0,40.94.255.255,64501,Not Microsoft\n"
                        .to_string(),
                ),
                ("/asn-ipv6.csv", "2a01:4f8::,2a01:4f8::ffff,64502,Fixture Six\n".to_string()),
            ],
            2,
        );
        let v4 = format!("{base}/asn-ipv4.csv");
        let v6 = format!("{base}/asn-ipv6.csv");
        let out = whoclicked(
            home.path(),
            &[
                "mmdb",
                "update",
                "--url",
                &v4,
                "--url",
                &v6,
                "--build-date",
                "2026-12-01",
            ],
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        let built = user_mmdb_dir(home.path()).join("asn.mmdb");
        assert!(built.is_file(), "{}", text(&out.stderr));
        assert!(
            text(&out.stderr).contains(&format!("downloading {v4}")),
            "{}",
            text(&out.stderr)
        );
        // From now on that database answers, not the bundled one.
        let out = whoclicked(
            home.path(),
            &["lookup", "--no-kb", "1.0.0.1", "40.94.0.1", "2a01:4f8::1"],
        );
        let table = text(&out.stdout);
        assert!(table.contains("Fixture Networks"), "{table}");
        assert!(
            table.contains("Not Microsoft") && !table.contains("AS8075"),
            "{table}"
        );
        assert!(table.contains("Fixture Six"), "{table}");
        let info = whoclicked(home.path(), &["mmdb", "info", built.to_str().unwrap()]);
        assert!(
            text(&info.stdout).contains("build date:    2026-12-01"),
            "{}",
            text(&info.stdout)
        );
    }

    #[test]
    fn mmdb_update_names_the_url_that_failed_and_leaves_no_database() {
        let home = tempfile::tempdir().unwrap();
        let base = serve(Vec::new(), 1);
        let url = format!("{base}/missing.csv");
        let out = whoclicked(home.path(), &["mmdb", "update", "--url", &url]);
        assert!(!out.status.success());
        let err = text(&out.stderr);
        assert!(
            err.contains(&format!("cannot download {url}")) && err.contains("404"),
            "{err}"
        );
        assert!(!user_mmdb_dir(home.path()).join("asn.mmdb").exists());
    }
}
