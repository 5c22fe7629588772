//! Integration tests: the real `mbc` binary against temporary corpora and indexes.

mod browser;
mod bundled;
mod corpus_validation;
mod embedding;
mod evaluation;
mod fuzz;
mod helper;
mod honest_answers;
mod indexing;
mod installed;
mod long_queries;
mod output_formats;
mod queries;
mod reliability;
mod robustness;
mod schema;
mod serve;
mod tagging;
mod updates;
