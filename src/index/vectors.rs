//! The embedding step of a build: vectors for every passage, reusing those of the previous
//! generation and of the corpus's shipped seed (`.vectors.bin`) when the model and the passage
//! (its id is a hash of its text) are unchanged, so only new or edited passages are embedded.

use std::path::Path;

use super::store;
use super::{BuildEvent, VECTORS_FILE};
use crate::embed::{Embedder, VectorSet};
use crate::Result;

/// Precomputed vectors a corpus directory may carry.
pub const SEED_FILE: &str = ".vectors.bin";

/// How many vectors were computed and how many reused.
#[derive(Debug, Clone, Copy, Default)]
pub struct EmbedOutcome {
    pub embedded: usize,
    pub reused: usize,
}

/// The text a passage is embedded as: its section heading, then its text.
pub fn embedding_text(section: &str, text: &str) -> String {
    if section.is_empty() {
        text.to_string()
    } else {
        format!("{section}: {text}")
    }
}

/// Embeds `passages` (`(id, text)`) into `generation/vectors.bin`.
pub fn embed_passages(
    model_dir: &Path,
    index_dir: &Path,
    data_dir: Option<&Path>,
    passages: &[(String, String)],
    generation: &Path,
    progress: &dyn Fn(BuildEvent),
) -> Result<EmbedOutcome> {
    let embedder = Embedder::load(model_dir)?;
    let caches: Vec<VectorSet> = previous_vectors(index_dir)
        .into_iter()
        .chain(data_dir.and_then(|d| VectorSet::read(&d.join(SEED_FILE)).ok().flatten()))
        .filter(|set| set.model_id == embedder.model_id())
        .collect();
    let mut vectors = VectorSet::new(embedder.model_id(), 0);
    let mut missing: Vec<&(String, String)> = Vec::new();
    for passage in passages {
        match caches.iter().find_map(|cache| cache.get(&passage.0)) {
            Some(vector) => {
                vectors.dim = vector.len();
                vectors.insert(&passage.0, vector);
            }
            None => missing.push(passage),
        }
    }
    let outcome = EmbedOutcome {
        embedded: missing.len(),
        reused: passages.len() - missing.len(),
    };
    progress(BuildEvent::Embedding {
        passages: missing.len(),
    });
    let texts: Vec<String> = missing.iter().map(|(_, text)| text.clone()).collect();
    let computed = embedder.embed(&texts, &|done| {
        progress(BuildEvent::Embedded { passages: done })
    })?;
    for ((id, _), vector) in missing.iter().zip(computed) {
        vectors.dim = vector.len();
        vectors.insert(id, &vector);
    }
    vectors.write(&generation.join(VECTORS_FILE))?;
    Ok(outcome)
}

fn previous_vectors(index_dir: &Path) -> Option<VectorSet> {
    let generation = store::current_generation(index_dir).ok()??;
    VectorSet::read(&generation.join(VECTORS_FILE)).ok()?
}
