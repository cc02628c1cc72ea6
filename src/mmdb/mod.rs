//! Writing and describing MaxMind DB (`.mmdb`) files.
