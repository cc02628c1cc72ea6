//! The report: one row per access with every enriched fact, as a table, CSV or JSON.
