//! The integration tests, as one test crate: one link step instead of one
//! per file. Each module is one area (its name says which); `support` holds
//! the generators and helpers they share. The screen's tests need the `tui`
//! feature (on by default).

mod support;

mod analyst_learning;
mod cli_hostile;
mod cli_kb;
mod cli_report;
mod decoy_links;
mod demo_database;
mod demo_files;
mod demo_story;
mod followup_sheets;
mod fuzz_props;
mod heldout_world;
mod input_combined;
mod input_gophish;
mod input_hostile_csv;
mod input_large;
mod input_native;
mod input_network;
mod input_robustness;
mod kb_hostile;
mod kb_owner_cache;
mod kb_processes;
mod kb_resolve;
mod kb_store;
mod mail_cli;
mod mail_corpus;
mod mmdb_cli;
mod mmdb_writer;
mod network_correlation;
mod network_report;
mod network_story;
mod owner_bundled;
mod owner_discover;
mod owner_fixtures;
mod owner_lookup_cli;
mod owner_shared_data;
mod pipeline_prepare;
mod report_formats;
mod report_parallel;
mod residential_proxy;
#[cfg(feature = "tui")]
mod review_labels;
mod review_learning;
mod review_model;
mod review_queue;
mod signature_asns;
mod signin_cli;
mod signin_input;
mod signin_story;
mod suggestion_accuracy;
#[cfg(feature = "tui")]
mod tui_e2e;
#[cfg(feature = "tui")]
mod tui_first_use;
#[cfg(feature = "tui")]
mod tui_hops;
#[cfg(feature = "tui")]
mod tui_kb;
#[cfg(feature = "tui")]
mod tui_render;
#[cfg(feature = "tui")]
mod tui_resize;
#[cfg(feature = "tui")]
mod tui_signins;
#[cfg(feature = "tui")]
mod tui_undo_others;
#[cfg(feature = "tui")]
mod tui_update_labelling;
#[cfg(feature = "tui")]
mod tui_update_moving;
mod writers_special_files;
