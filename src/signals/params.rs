//! The named numbers of the suggestion rules: evidence weights and tuning
//! limits. They are data (the `[weights]` and `[tuning]` tables of the
//! signature file), so a closed set of names with one slot each keeps them
//! cheap to read in hot loops and lets a misspelt name in a user file be an
//! error rather than a silently ignored setting.

macro_rules! named_numbers {
    ($(#[$meta:meta])* $enum:ident, $table:ident { $($variant:ident = $name:literal,)* }) => {
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

            pub fn from_name(name: &str) -> Option<$enum> {
                match name {
                    $($name => Some($enum::$variant),)*
                    _ => None,
                }
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
    /// Evidence weights, in log-odds-like units: positive means scanner,
    /// negative means human. They are summed per access.
    W, Weights {
        MethodHead = "method_head",
        MethodOther = "method_other",
        EventReport = "event_report",
        EventSubmit = "event_submit",
        BeforeDelivery = "before_delivery",
        NetworkMailSecurity = "network_mail_security",
        NetworkSecurityVendor = "network_security_vendor",
        NetworkCloud = "network_cloud",
        NetworkSecurityProxy = "network_security_proxy",
        NetworkResidential = "network_residential",
        NetworkCellular = "network_cellular",
        NetworkBusiness = "network_business",
        NetworkHosting = "network_hosting",
        NetworkSpider = "network_spider",
        NetworkAnonymous = "network_anonymous",
        NetworkInternal = "network_internal",
        NetworkUnlisted = "network_unlisted",
        NoteHuman = "note_human",
        NoteScanner = "note_scanner",
        AgentEmpty = "agent_empty",
        AgentLibrary = "agent_library",
        AgentHeadless = "agent_headless",
        AgentScanner = "agent_scanner",
        AgentPreview = "agent_preview",
        AgentOfficeClick = "agent_office_click",
        AgentOfficeOpen = "agent_office_open",
        AgentCrawler = "agent_crawler",
        AgentUnknown = "agent_unknown",
        AgentAncientOs = "agent_ancient_os",
        AgentImpossible = "agent_impossible",
        AgentStale = "agent_stale",
        AgentStaleFar = "agent_stale_far",
        ScreenMissing = "screen_missing",
        ScreenPresent = "screen_present",
        ScreenHeadless = "screen_headless",
        ScreenVirtual = "screen_virtual",
        ScreenMismatch = "screen_mismatch",
        IpSpread = "ip_spread",
        IpSpreadMany = "ip_spread_many",
        AddressLate = "address_late",
        AddressEarly = "address_early",
        AddressLateMany = "address_late_many",
        AddressEarlyMany = "address_early_many",
        AddressSpreadOut = "address_spread_out",
        RecipientBurst = "recipient_burst",
        PairedWithMachine = "paired_with_machine",
        PairedWithHuman = "paired_with_human",
        SendWave = "send_wave",
        RecipientSession = "recipient_session",
        AddressSpreadOutMany = "address_spread_out_many",
    }
}

named_numbers! {
    /// Limits and windows the rules use; not evidence themselves.
    T, Tuning {
        ThresholdScanner = "threshold_scanner",
        ThresholdHuman = "threshold_human",
        EstimatedFactor = "estimated_factor",
        BeforeDeliverySeconds = "before_delivery_seconds",
        ScreenCoverageMin = "screen_coverage_min",
        ScreenCoverageFull = "screen_coverage_full",
        StaleMajors = "stale_majors",
        StaleFarMajors = "stale_far_majors",
        PopulationQuantile = "population_quantile",
        PopulationMin = "population_min",
        IpSpreadWindow = "ip_spread_window",
        IpSpreadMin = "ip_spread_min",
        IpSpreadMany = "ip_spread_many_recipients",
        RecipientBurstWindow = "recipient_burst_window",
        RecipientBurstMin = "recipient_burst_min",
        PairingWindow = "pairing_window",
        PairingHumanMax = "pairing_human_max",
        PairingMargin = "pairing_margin",
        WaveChainGap = "wave_chain_gap",
        WaveMinRecipients = "wave_min_recipients",
        WaveDensity = "wave_density",
        WaveMachineShare = "wave_machine_share",
        WaveMemberWindow = "wave_member_window",
        AddressMinRecipients = "address_min_recipients",
        HistoryManyRecipients = "address_many_recipients",
        SessionMinSeconds = "session_min_seconds",
        SessionMaxSeconds = "session_max_seconds",
        IpSpreadExcess = "ip_spread_excess",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        for &w in W::ALL {
            assert_eq!(W::from_name(w.name()), Some(w));
        }
        for &t in T::ALL {
            assert_eq!(T::from_name(t.name()), Some(t));
        }
        let mut names: Vec<&str> = W::ALL.iter().map(|w| w.name()).collect();
        names.extend(T::ALL.iter().map(|t| t.name()));
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count);
        assert_eq!(W::from_name("no_such_weight"), None);
    }

    #[test]
    fn tables_index_by_key() {
        let mut w = Weights::zeroed();
        w.set(W::AgentEmpty, 2.5);
        assert_eq!(w[W::AgentEmpty], 2.5);
        assert_eq!(w[W::MethodHead], 0.0);
    }
}
