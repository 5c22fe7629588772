pub mod analysis;
pub mod corpus;
pub mod error;
pub mod lexicon;
pub mod passage;
pub mod taxonomy;
pub use error::{Error, Result};
