//! The named numbers of the suggestion rules: evidence weights and tuning
//! limits. They are data (the `[weights]` and `[tuning]` tables of the
//! signature file), so a closed set of names with one slot each keeps them
//! cheap to read in hot loops and lets a misspelt name in a user file be an
//! error rather than a silently ignored setting.

macro_rules! named_numbers {
    ($(#[$meta:meta])* $enum:ident, $table:ident { $($variant:ident = $name:literal => $about:literal,)* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $enum {
            $($variant,)*
        }

        impl $enum {
            pub const ALL: &'static [$enum] = &[$($enum::$variant,)*];

            /// The key in the signature file.
            pub fn name(self) -> &'static str {
                match self {
                    $($enum::$variant => $name,)*
                }
            }

            /// What the number is for, in a line (`whoclicked signatures`).
            pub fn about(self) -> &'static str {
                match self {
                    $($enum::$variant => $about,)*
                }
            }

            pub fn from_name(name: &str) -> Option<$enum> {
                match name {
                    $($name => Some($enum::$variant),)*
                    _ => None,
                }
            }

            /// The first name without a value in `given` (a file that must
            /// give them all, like the built-in one).
            pub fn first_missing(given: &[($enum, f32)]) -> Option<$enum> {
                let mut set = [false; $enum::ALL.len()];
                for &(key, _) in given {
                    set[key as usize] = true;
                }
                $enum::ALL.iter().copied().find(|&key| !set[key as usize])
            }
        }

        /// One value per name; read with `table[key]`.
        #[derive(Clone, Debug, PartialEq)]
        pub struct $table(Vec<f32>);

        impl $table {
            /// All zero: only as the start of a table that is filled completely.
            pub(crate) fn zeroed() -> Self {
                $table(vec![0.0; $enum::ALL.len()])
            }

            pub fn set(&mut self, key: $enum, value: f32) {
                self.0[key as usize] = value;
            }
        }

        impl std::ops::Index<$enum> for $table {
            type Output = f32;
            fn index(&self, key: $enum) -> &f32 {
                &self.0[key as usize]
            }
        }
    };
}

named_numbers! {
    /// The name of an evidence weight (a key of `[weights]`), read with
    /// [`Signatures::weight`](super::Signatures::weight). Weights are in
    /// log-odds-like units: positive means scanner, negative means human.
    /// They are summed per access.
    Weight, Weights {
        MethodHead = "method_head" => "a HEAD request: a link check, never a click",
        MethodOther = "method_other" => "OPTIONS, PROPFIND…: a client probing, not a page view",
        EventReport = "event_report" => "the recipient reported the mail",
        EventSubmit = "event_submit" => "a form was submitted (scanners that run scripts submit too)",
        BeforeDelivery = "before_delivery" => "fetched before the logged delivery: scanned in transit",
        SendWave = "send_wave" => "delivery unknown: within seconds of a first access that came in a send wave",
        NetworkMailSecurity = "network_mail_security" => "a mail-security vendor's network",
        NetworkSecurityVendor = "network_security_vendor" => "another security vendor's own network",
        NetworkCloud = "network_cloud" => "a cloud or hosting network (virtual desktops live there too)",
        NetworkSecurityProxy = "network_security_proxy" => "a web proxy or SASE that people browse through",
        NetworkResidential = "network_residential" => "a fixed-line provider's subscriber lines (homes, small offices)",
        NetworkCellular = "network_cellular" => "a mobile carrier",
        NetworkBusiness = "network_business" => "a business line, per an owner database",
        NetworkHosting = "network_hosting" => "hosting, per an owner database",
        NetworkSpider = "network_spider" => "a search-engine crawler, per an owner database",
        NetworkLineAbroad = "network_line_abroad" => "a home or mobile line in a country where almost none of the campaign's people are: a rented residential proxy (its line's human weight is set aside)",
        NetworkAnonymous = "network_anonymous" => "a VPN, Tor or public proxy",
        NetworkInternal = "network_internal" => "an internal address: the company's own network",
        NetworkUnlisted = "network_unlisted" => "an owner in no list and marked hosting by no database",
        NoteHuman = "note_human" => "an owner note in the knowledge base says human",
        NoteScanner = "note_scanner" => "an owner note in the knowledge base says scanner",
        ProxyTied = "proxy_tied" => "the company's proxy log ties the access to a PC behind the office egress",
        AgentEmpty = "agent_empty" => "no User-Agent",
        AgentLibrary = "agent_library" => "an HTTP library or tool",
        AgentHeadless = "agent_headless" => "a headless or automation browser",
        AgentScanner = "agent_scanner" => "a named security scanner",
        AgentPreview = "agent_preview" => "a link-preview fetcher",
        AgentOfficeClick = "agent_office_click" => "Outlook or Office fetching the link itself",
        AgentOfficeOpen = "agent_office_open" => "Outlook loading the mail's images (an open)",
        AgentCrawler = "agent_crawler" => "a crawler, per the User-Agent parser",
        AgentUnknown = "agent_unknown" => "a User-Agent no browser sends",
        AgentAncientOs = "agent_ancient_os" => "an obsolete system or browser",
        AgentImpossible = "agent_impossible" => "a browser on a system it never ran on",
        AgentStale = "agent_stale" => "a browser well behind the campaign's own users",
        AgentStaleFar = "agent_stale_far" => "a browser years behind",
        ScreenMissing = "screen_missing" => "no screen where most page views have one (scaled by that share)",
        ScreenPresent = "screen_present" => "a browser reported a screen: its script ran",
        ScreenHeadless = "screen_headless" => "800x600, headless Chrome's screen",
        ScreenVirtual = "screen_virtual" => "1024x768 or 1280x1024 with a desktop browser: a virtual display",
        ScreenMismatch = "screen_mismatch" => "a phone's screen with a desktop browser, or the reverse",
        IpSpread = "ip_spread" => "the address reached several recipients within seconds",
        IpSpreadMany = "ip_spread_many" => "… many recipients",
        AddressEarly = "address_early" => "the address (or unlisted network) served its recipients within minutes of delivery",
        AddressEarlyMany = "address_early_many" => "… over many recipients",
        AddressLate = "address_late" => "the address (or unlisted network) served its recipients long after delivery",
        AddressLateMany = "address_late_many" => "… over many recipients",
        AddressSpreadOut = "address_spread_out" => "delivery unknown: its recipients came spread over hours",
        AddressSpreadOutMany = "address_spread_out_many" => "… over many recipients",
        RecipientBurst = "recipient_burst" => "a storm of accesses for one recipient from several addresses",
        PairedWithMachine = "paired_with_machine" => "a click-time check right next to this access: a person clicked",
        PairedWithHuman = "paired_with_human" => "the click-time check next to a person's click",
        RecipientSession = "recipient_session" => "the same browser came back for the recipient minutes later",
        LikeLabelled = "like_labelled" => "the analyst labelled accesses sharing this one's evidence (network, browser and screen, send wave): their side, as much",
    }
}

named_numbers! {
    /// The name of a limit, window or threshold the rules use (a key of
    /// `[tuning]`), read with [`Signatures::tuning`](super::Signatures::tuning);
    /// not evidence themselves.
    Tunable, Tuning {
        ThresholdScanner = "threshold_scanner" => "a sum at or above this is suggested scanner",
        ThresholdHuman = "threshold_human" => "a sum at or below this is suggested human",
        EstimatedFactor = "estimated_factor" => "timing from an estimated delivery counts this much",
        BeforeDeliverySeconds = "before_delivery_seconds" => "how early before a logged delivery a fetch may come",
        ScreenCoverageMin = "screen_coverage_min" => "share of page views with a screen below which a missing one says nothing",
        ScreenCoverageFull = "screen_coverage_full" => "share from which a missing screen weighs fully",
        StaleMajors = "stale_majors" => "major versions behind that make a browser stale",
        StaleFarMajors = "stale_far_majors" => "major versions behind that make it years behind",
        PopulationQuantile = "population_quantile" => "the campaign's newest versions: this top share of recipients",
        PopulationMin = "population_min" => "recipients of a browser family needed to trust the campaign's versions (and of person lines to know the campaign's home countries)",
        HomeCountryShare = "home_country_share" => "a country is one of the campaign's home countries when its person lines served this share of the largest one's recipients",
        IpSpreadWindow = "ip_spread_window" => "seconds either side for an address's spread",
        IpSpreadMin = "ip_spread_min" => "recipients within that window",
        IpSpreadMany = "ip_spread_many_recipients" => "… that count as many",
        IpSpreadExcess = "ip_spread_excess" => "times the address's own rate the window must hold",
        RecipientBurstWindow = "recipient_burst_window" => "seconds of a recipient's burst",
        RecipientBurstMin = "recipient_burst_min" => "accesses in a burst",
        PairingWindow = "pairing_window" => "seconds between a click and its click-time check",
        PairingHumanMax = "pairing_human_max" => "the person's access scores at most this",
        PairingMargin = "pairing_margin" => "and the check at least this much more",
        WaveChainGap = "wave_chain_gap" => "seconds between machine first accesses that chain into a send wave",
        WaveMinRecipients = "wave_min_recipients" => "machine first accesses a wave needs",
        WaveDensity = "wave_density" => "times as fast as the first accesses around it",
        WaveMachineShare = "wave_machine_share" => "share of the first accesses in its span that are machines",
        WaveMemberWindow = "wave_member_window" => "seconds after a member's first access still in the wave",
        AddressMinRecipients = "address_min_recipients" => "recipients an address or network must serve for its history",
        HistoryManyRecipients = "address_many_recipients" => "recipients from which the history weighs its _many weight",
        SessionMinSeconds = "session_min_seconds" => "shortest gap of a person's session",
        SessionMaxSeconds = "session_max_seconds" => "longest gap of a person's session",
        CorrelatedShare = "correlated_share" => "when-it-came evidence (timing, send wave, address history, spread) beyond the heaviest term of a side counts this share",
        ConfidenceSlope = "confidence_slope" => "the confidence shown is the logistic of this times the score",
        WhenCap = "when_cap" => "the most an access's own timing (delay, send wave) may add toward scanner: below the threshold, so timing alone never decides",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        for &w in Weight::ALL {
            assert_eq!(Weight::from_name(w.name()), Some(w));
        }
        for &t in Tunable::ALL {
            assert_eq!(Tunable::from_name(t.name()), Some(t));
        }
        let mut names: Vec<&str> = Weight::ALL.iter().map(|w| w.name()).collect();
        names.extend(Tunable::ALL.iter().map(|t| t.name()));
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count);
        assert_eq!(Weight::from_name("no_such_weight"), None);
    }

    #[test]
    fn the_first_missing_name_is_found() {
        let all: Vec<(Tunable, f32)> = Tunable::ALL.iter().map(|&t| (t, 1.0)).collect();
        assert_eq!(Tunable::first_missing(&all), None);
        assert_eq!(Tunable::first_missing(&all[1..]), Some(Tunable::ALL[0]));
        let without_last = &all[..all.len() - 1];
        assert_eq!(
            Tunable::first_missing(without_last),
            Tunable::ALL.last().copied()
        );
    }

    #[test]
    fn every_number_says_what_it_is_for() {
        let mut about: Vec<&str> = Weight::ALL.iter().map(|w| w.about()).collect();
        about.extend(Tunable::ALL.iter().map(|t| t.about()));
        assert!(about.iter().all(|a| a.len() > 8), "{about:?}");
    }

    #[test]
    fn tables_index_by_key() {
        let mut w = Weights::zeroed();
        w.set(Weight::AgentEmpty, 2.5);
        assert_eq!(w[Weight::AgentEmpty], 2.5);
        assert_eq!(w[Weight::MethodHead], 0.0);
    }
}
