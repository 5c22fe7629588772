//! `mbc`: offline search over educational texts on treating metastatic breast cancer.
//!
//! The data flows one way: [`corpus`] (files → documents) → [`passage`] (documents → passages)
//! → [`analysis`] (tokenizers) with [`taxonomy`] and [`lexicon`] → [`index`] (build, open) →
//! [`search`] (query → hits) → [`output`] (hits → text / JSON). The `mbc` binary
//! (`src/bin/mbc/`) parses flags and runs commands on this library; see `ARCHITECTURE.md`.

pub mod analysis;
pub mod atomic_file;
pub mod corpus;
pub mod embed;
pub mod english;
pub mod error;
pub mod eval;
pub mod guard;
pub mod index;
pub mod lexicon;
pub mod output;
pub mod passage;
pub mod query;
pub mod search;
pub mod symptoms;
pub mod taxonomy;

pub use error::{Error, Result};
