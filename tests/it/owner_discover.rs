//! Finding databases: explicit files, WHOCLICKED_MMDB, default places.

use crate::support::mmdb as fixtures;

use std::ffi::OsString;

use fixtures::*;
use whoclicked::owner::{OwnerDbError, discover_in};

#[test]
fn explicit_env_and_default_places_in_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let explicit = write(dir.path(), "explicit-asn.mmdb", &asn_db());
    let env_dir = dir.path().join("env");
    std::fs::create_dir(&env_dir).expect("mkdir");
    let env_file = write(&env_dir, "isp.mmdb", &isp_db());
    let default_dir = dir.path().join("GeoIP");
    std::fs::create_dir(&default_dir).expect("mkdir");
    write(&default_dir, "b-city.mmdb", &city_db());
    write(&default_dir, "a-broken.mmdb", b"not a database at all");
    write(&default_dir, "notes.txt", b"ignored: not .mmdb");
    // The explicit file again, in a default place: opened once.
    std::fs::copy(&explicit, default_dir.join("c-same.mmdb")).expect("copy");
    let missing_default = dir.path().join("nowhere");

    let env = std::env::join_paths([env_file.clone()]).expect("path list");
    let found = discover_in(
        std::slice::from_ref(&explicit),
        Some(&env),
        &[default_dir.clone(), missing_default],
    )
    .expect("discover");
    let names: Vec<String> = found
        .databases
        .infos()
        .iter()
        .map(|i| {
            i.path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    // The copy is another file with the same bytes, so it is opened too;
    // "the same file" means the same path after resolving links.
    assert_eq!(
        names,
        vec![
            "explicit-asn.mmdb",
            "isp.mmdb",
            "b-city.mmdb",
            "c-same.mmdb"
        ]
    );
    assert_eq!(found.warnings.len(), 1, "{:?}", found.warnings);
    assert!(found.warnings[0].contains("a-broken.mmdb"));

    // A directory given explicitly is searched like a default one, but a
    // broken file in it is an error: the user chose it.
    let err = discover_in(&[default_dir], None, &[]).expect_err("broken explicit");
    assert!(err.to_string().contains("a-broken.mmdb"));
}

#[test]
fn same_path_twice_and_symlinks_open_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write(dir.path(), "asn.mmdb", &asn_db());
    let default_dir = dir.path().join("defaults");
    std::fs::create_dir(&default_dir).expect("mkdir");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&file, default_dir.join("link.mmdb")).expect("symlink");
    let env: OsString = std::env::join_paths([file.clone(), file.clone()]).expect("list");
    let found = discover_in(&[file], Some(&env), &[default_dir]).expect("discover");
    assert_eq!(found.databases.len(), 1);
    assert!(found.warnings.is_empty());
}

#[test]
fn env_entries_fail_loudly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let env = std::env::join_paths([dir.path().join("gone.mmdb")]).expect("list");
    let err = discover_in(&[], Some(&env), &[]).expect_err("missing env file");
    assert!(matches!(err, OwnerDbError::Io { .. }));
    assert!(err.to_string().contains("gone.mmdb"));
    // Empty entries (a trailing ':') are ignored, nothing found is no error.
    let found = discover_in(&[], Some(&OsString::from("")), &[]).expect("empty");
    assert!(found.databases.is_empty());
}

#[test]
fn unsupported_database_in_a_default_place_is_a_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    let scores = build(
        "GeoIP2-DensityIncome",
        vec![(
            "5.83.124.0/22",
            whoclicked::mmdb::Value::map([(
                "average_income",
                whoclicked::mmdb::Value::Uint32(32323),
            )]),
        )],
    );
    write(dir.path(), "density.mmdb", &scores);
    write(dir.path(), "asn.mmdb", &asn_db());
    let found = discover_in(&[], None, &[dir.path().to_path_buf()]).expect("discover");
    assert_eq!(found.databases.len(), 1);
    assert_eq!(found.warnings.len(), 1);
    assert!(found.warnings[0].contains("density.mmdb"));
    assert!(found.warnings[0].contains("population density"));
}
