//! The chain behind the office egress in the report (CSV, JSON, table and
//! summary), in the filter (a field for each link) and on the review screen
//! (the detail pane), through the real binary where the user meets it.

use std::process::Command;

use crate::input_network::fixture;

fn whoclicked(args: &[&str]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_whoclicked"))
        .args(args)
        .arg("--no-kb")
        .args(["--tz", "Asia/Tokyo"])
        .env("WHOCLICKED_NO_DEFAULT_MMDB", "1")
        .env_remove("WHOCLICKED_MMDB")
        .env_remove("WHOCLICKED_KB")
        .env_remove("WHOCLICKED_SIGNATURES")
        .env("HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path())
        .output()
        .unwrap()
}

fn path(name: &str) -> String {
    fixture(name).display().to_string()
}

#[test]
fn the_report_csv_carries_the_chain_per_access() {
    let hosts = path("hosts.csv");
    let out = whoclicked(&[
        "report",
        &path("campaign.csv"),
        &path("squid_native.log"),
        &path("DhcpSrvLog-Thu.log"),
        "--hosts",
        &hosts,
        "--format",
        "csv",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut rdr = csv::Reader::from_reader(stdout.as_bytes());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name} in {header:?}"))
    };
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let sato = rows
        .iter()
        .find(|r| &r[col("recipient")] == "sato@corp.example")
        .unwrap();
    assert_eq!(&sato[col("ip")], "198.51.100.7");
    assert_eq!(&sato[col("internal_ip")], "10.1.2.9");
    assert_eq!(&sato[col("pc")], "PC-YAMADA.corp.example");
    assert_eq!(&sato[col("mac")], "00:1a:2b:3c:4d:99");
    assert_eq!(&sato[col("proxy_user")], "CORP\\yamada");
    assert_eq!(&sato[col("someone_elses_machine")], "yamada@corp.example");
    assert_eq!(&sato[col("suggestion")], "human");
    let kato = rows
        .iter()
        .find(|r| &r[col("recipient")] == "kato@corp.example")
        .unwrap();
    assert_eq!(&kato[col("internal_ip")], "");
}

#[test]
fn the_report_without_network_logs_keeps_its_columns() {
    let out = whoclicked(&["report", &path("campaign.csv"), "--format", "csv"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let header = stdout.lines().next().unwrap();
    assert!(!header.contains("internal_ip"), "{header}");
    assert!(!header.contains("pc,"), "{header}");
}

#[test]
fn the_table_shows_the_chain_and_the_summary_counts_what_was_not_tied() {
    let hosts = path("hosts.csv");
    let out = whoclicked(&[
        "report",
        &path("campaign.csv"),
        &path("squid_native.log"),
        &path("DhcpSrvLog-Thu.log"),
        "--hosts",
        &hosts,
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let header = stdout.lines().next().unwrap();
    for title in ["internal ip", "pc", "proxy user", "machine"] {
        assert!(header.contains(title), "{header}");
    }
    let tanaka = stdout
        .lines()
        .find(|l| l.contains("tanaka@corp.example") && l.contains("10.1.2.3"))
        .expect("tanaka's tied click");
    assert!(tanaka.contains("PC-TANAKA.corp.example"), "{tanaka}");
    assert!(tanaka.contains("CORP\\tanaka"), "{tanaka}");
    let sato = stdout
        .lines()
        .find(|l| l.contains("sato@corp.example"))
        .unwrap();
    assert!(
        sato.contains("someone else's (yamada@corp.example)"),
        "{sato}"
    );
    assert!(
        stdout.contains(
            "network     proxy: 2 access(es) from the egress could not be tied: 1 no proxy \
             record within the window; 1 the proxy log does not cover that time"
        ),
        "{stdout}"
    );
}

#[test]
fn errors_name_what_to_do() {
    let out = whoclicked(&["report", &path("squid_native.log")]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("a proxy or DHCP log"), "{stderr}");
    assert!(stderr.contains("name the campaign's log too"), "{stderr}");

    let dir = tempfile::tempdir().unwrap();
    let hosts = dir.path().join("hosts.csv");
    std::fs::write(&hosts, "host,recipient\nPC-A,\n").unwrap();
    let hosts = hosts.display().to_string();
    let out = whoclicked(&["report", &path("campaign.csv"), "--hosts", &hosts]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{hosts}, line 2, recipient: is empty")),
        "{stderr}"
    );

    let out = whoclicked(&["report", &path("campaign.csv"), "--clock-skew", "soon"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("is not a duration"), "{stderr}");
}

#[cfg(feature = "tui")]
mod screen {
    use std::sync::Arc;

    use whoclicked::input::LoadProgress;
    use whoclicked::network::{HostMap, NetworkOptions};
    use whoclicked::pipeline::{Warning, prepare};
    use whoclicked::tui::data::Loaded;
    use whoclicked::tui::keymap::KeyPress;
    use whoclicked::tui::press;
    use whoclicked::tui::store::MemoryStore;
    use whoclicked::tui::testing::app_with;

    use crate::input_network::{campaign_proxy_dhcp, fixture, network_options};
    use crate::support::screen::{rows, typed};

    struct Quiet;
    impl whoclicked::pipeline::Observer for Quiet {
        fn warning(&mut self, _: Warning) {}
    }

    #[test]
    fn the_filter_finds_a_pc_and_the_detail_pane_shows_the_chain() {
        let options = network_options(
            campaign_proxy_dhcp(),
            Vec::new(),
            NetworkOptions {
                hosts: HostMap::read(&fixture("hosts.csv")).unwrap(),
                ..NetworkOptions::default()
            },
        );
        let analysis = prepare(&options, &LoadProgress::default(), &mut Quiet)
            .unwrap()
            .analysis;
        let sato = analysis
            .campaign
            .accesses
            .iter()
            .position(|a| analysis.campaign.recipient_name(a) == "sato@corp.example")
            .unwrap() as u32;
        let (mut app, ex) = app_with(
            Loaded::new(Arc::new(analysis)),
            Box::new(MemoryStore::new()),
            160,
            40,
        );
        press(&mut app, &ex, KeyPress::Char('/'));
        typed(&mut app, &ex, "pc:yamada");
        press(&mut app, &ex, KeyPress::Enter);
        assert_eq!(rows(&app), vec![sato]);
        for filter in [
            "internal:10.1.2.9",
            "puser:yamada",
            "forwarded:yamada",
            "mac:4d:99",
        ] {
            press(&mut app, &ex, KeyPress::Char('/'));
            press(&mut app, &ex, KeyPress::Ctrl('u'));
            typed(&mut app, &ex, filter);
            press(&mut app, &ex, KeyPress::Enter);
            assert_eq!(rows(&app), vec![sato], "{filter}");
        }
        app.detail = true;
        let screen = crate::support::screen::render(&app).backend().to_string();
        assert!(
            screen.contains(
                "pc 198.51.100.7 → 10.1.2.9 → PC-YAMADA.corp.example (00:1a:2b:3c:4d:99) → user \
                 CORP\\yamada · someone else's machine (yamada@corp.example)"
            ),
            "{screen}"
        );
        // f: the recipient's follow-up sheet, ready to copy.
        app.detail = false;
        press(&mut app, &ex, KeyPress::Char('f'));
        let screen = crate::support::screen::render(&app).backend().to_string();
        assert!(screen.contains("follow-up sheet"), "{screen}");
        assert!(screen.contains("sato@corp.example"), "{screen}");
        assert!(screen.contains("yamada@corp.example"), "{screen}");
        press(&mut app, &ex, KeyPress::Esc);
        assert!(!app.followup.is_empty());
        // From the detail pane too (its footer and the help offer it), and
        // closing the sheet goes back to the pane.
        app.followup.clear();
        press(&mut app, &ex, KeyPress::Enter);
        assert_eq!(app.mode, whoclicked::tui::keymap::Mode::Detail);
        press(&mut app, &ex, KeyPress::Char('f'));
        assert_eq!(app.mode, whoclicked::tui::keymap::Mode::Followup);
        assert!(app.followup.iter().any(|l| l.contains("sato@corp.example")));
        press(&mut app, &ex, KeyPress::Esc);
        assert_eq!(app.mode, whoclicked::tui::keymap::Mode::Detail);
    }
}
