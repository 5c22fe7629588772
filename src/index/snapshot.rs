//! A consistent view of one generation for the length of a search, whose every read reports
//! damaged files as [`Error::IndexCorrupt`] rather than as a crash or a bare engine error.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::Searcher;

use super::damage::{self, Damage};
use crate::{Error, Result};

/// tantivy's searcher over one generation, read only through [`Snapshot::read`].
#[derive(Clone)]
pub struct Snapshot {
    searcher: Searcher,
    /// The index directory, for the error message.
    index_dir: Arc<PathBuf>,
}

impl Snapshot {
    pub(super) fn new(searcher: Searcher, index_dir: &Path) -> Self {
        Snapshot {
            searcher,
            index_dir: Arc::new(index_dir.to_path_buf()),
        }
    }

    /// Runs `read` on the searcher. Keep it to calls into tantivy: an error or a panic inside
    /// it is reported as a damaged index.
    pub fn read<T>(&self, read: impl FnOnce(&Searcher) -> tantivy::Result<T>) -> Result<T> {
        damage::guard(|| read(&self.searcher)).map_err(|damage| self.damaged(damage))
    }

    /// The error for damage met while reading this index.
    pub fn damaged(&self, damage: Damage) -> Error {
        Error::IndexCorrupt {
            path: self.index_dir.to_path_buf(),
            damage,
        }
    }
}
