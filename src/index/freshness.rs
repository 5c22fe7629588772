//! The one place that decides what an index needs before it serves a corpus as the corpus is
//! now: nothing, an update, vectors, or a rebuild. `mbc index` and the automatic build before a
//! search both ask [`assess`], so they never disagree.

use std::path::Path;

use super::{VECTORS_FILE, build, manifest, store, verify};
use crate::embed::{self, ModelSource};
use crate::{Error, Result};

/// How closely to look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Only what can be told without reading the index: before every search.
    Quick,
    /// Also read every index file against its checksum and every corpus file against its
    /// recorded hash, and retry vectors that could not be made last time: for an explicit
    /// `mbc index`.
    Thorough,
}

/// What an index directory needs.
#[derive(Debug)]
pub enum Freshness {
    /// Nothing has been built there yet.
    Missing,
    /// Built by an mbc that writes another index format.
    OtherFormat {
        found: u32,
    },
    /// Built from a corpus that has changed since.
    Stale,
    /// Built without passage vectors although a model is at hand.
    NeedsVectors,
    /// Damaged: what [`verify`] (or reading the index's own files) found.
    Damaged(Error),
    Fresh,
}

/// Assesses `index_dir` against the corpus at `corpus` (if it is known) and the model at
/// `model` (`None` when semantic search is off).
pub fn assess(
    index_dir: &Path,
    corpus: Option<&Path>,
    model: Option<&ModelSource>,
    check: Check,
) -> Result<Freshness> {
    let Some(generation) = store::current_generation(index_dir)? else {
        return Ok(Freshness::Missing);
    };
    let meta = match store::read_meta(&generation) {
        Ok(meta) => meta,
        Err(file) => {
            return Ok(Freshness::Damaged(Error::IndexCorrupt {
                path: index_dir.to_path_buf(),
                damage: file.into(),
            }));
        }
    };
    if meta.format != store::FORMAT_VERSION {
        return Ok(Freshness::OtherFormat { found: meta.format });
    }
    if let Some(corpus) = corpus {
        let (files, _) = crate::corpus::discover(corpus)?;
        if meta.corpus_fingerprint != build::fingerprint_of(corpus, &files) {
            return Ok(Freshness::Stale);
        }
        // The fingerprint reads only the files' sizes, times and permissions: an explicit
        // build also reads their content, and the data files' (an index built before their
        // hashes were kept has none to compare).
        if check == Check::Thorough
            && (manifest::content_changed(&files, &meta.files)
                || (!meta.source_hashes.is_empty()
                    && build::source_hashes(corpus).ok().as_ref() != Some(&meta.source_hashes)))
        {
            return Ok(Freshness::Stale);
        }
    }
    if check == Check::Thorough
        && let Err(err) = verify(index_dir)
    {
        return Ok(Freshness::Damaged(err));
    }
    let has_vectors = generation.join(VECTORS_FILE).is_file();
    let model_at_hand = model.is_some_and(|source| embed::engine_of(source).is_some());
    // A model that failed last time is tried again only when asked to build: otherwise every
    // search would pay for a failing build.
    let retry = meta.vectors_failed.is_none() || check == Check::Thorough;
    if model_at_hand && !has_vectors && retry {
        return Ok(Freshness::NeedsVectors);
    }
    Ok(Freshness::Fresh)
}
