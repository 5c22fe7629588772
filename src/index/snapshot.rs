//! A consistent view of one generation for the length of a search, whose every read reports
//! damaged files as [`Error::IndexCorrupt`] rather than as a crash or a bare engine error.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::Searcher;
use tantivy::collector::Collector;
use tantivy::query::{EnableScoring, Query};

use super::damage::{self, Damage};
use super::statistics::Statistics;
use crate::{Error, Result};

/// tantivy's searcher over one generation, read only through [`Snapshot::read`].
#[derive(Clone)]
pub struct Snapshot {
    searcher: Searcher,
    statistics: Arc<Statistics>,
    /// The index directory, for the error message.
    index_dir: Arc<PathBuf>,
}

impl Snapshot {
    pub(super) fn new(searcher: Searcher, statistics: Arc<Statistics>, index_dir: &Path) -> Self {
        Snapshot {
            searcher,
            statistics,
            index_dir: Arc::new(index_dir.to_path_buf()),
        }
    }

    /// Runs `read` on the searcher. Keep it to calls into tantivy: an error or a panic inside
    /// it is reported as a damaged index.
    pub fn read<T>(&self, read: impl FnOnce(&Searcher) -> tantivy::Result<T>) -> Result<T> {
        damage::guard(|| read(&self.searcher)).map_err(|damage| self.damaged(damage))
    }

    /// Runs a scored search of `query`, with the generation's kept BM25 statistics.
    pub fn search<C: Collector>(&self, query: &dyn Query, collector: &C) -> Result<C::Fruit> {
        self.read(|s| s.search_with_statistics_provider(query, collector, &self.statistics.of(s)))
    }

    /// Scoring for weights made by hand (as [`Snapshot::search`] scores), inside
    /// [`Snapshot::read`].
    pub fn with_scoring<T>(
        &self,
        read: impl FnOnce(&Searcher, EnableScoring<'_>) -> tantivy::Result<T>,
    ) -> Result<T> {
        self.read(|s| {
            let statistics = self.statistics.of(s);
            read(
                s,
                EnableScoring::enabled_from_statistics_provider(&statistics, s),
            )
        })
    }

    /// The error for damage met while reading this index.
    pub fn damaged(&self, damage: Damage) -> Error {
        Error::IndexCorrupt {
            path: self.index_dir.to_path_buf(),
            damage,
        }
    }
}
