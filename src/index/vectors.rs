//! The embedding step of a build: vectors for every passage, reusing those of the previous
//! generation and of the corpus's shipped seed (`.vectors.bin`) when the model and the passage
//! (its id is a hash of its text) are unchanged, so only new or edited passages are embedded.

use std::path::Path;

use super::store;
use super::{BuildEvent, VECTORS_FILE};
use crate::Result;
use crate::embed::{Embedder, ModelSource, VectorSet};

/// Precomputed vectors a corpus directory may carry.
pub const SEED_FILE: &str = ".vectors.bin";

/// How many vectors were computed and how many reused (carried over or found in a cache).
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

/// The embedding step of one build.
pub struct EmbedStep<'a> {
    pub model: &'a ModelSource,
    /// The model's id ([`crate::embed::identify`]).
    pub model_id: String,
    pub index_dir: &'a Path,
    /// The corpus directory, which may carry a seed of vectors.
    pub data_dir: Option<&'a Path>,
    /// Vectors carried over from the generation an update started from.
    pub kept: Option<VectorSet>,
    /// The generation being built.
    pub generation: &'a Path,
}

impl EmbedStep<'_> {
    /// Adds vectors for `passages` (`(id, text)`) to the kept ones and writes them into the
    /// generation. The model is loaded only if some passage has no stored vector.
    pub fn run(
        self,
        passages: &[(String, String)],
        progress: &dyn Fn(BuildEvent),
    ) -> Result<EmbedOutcome> {
        let model_id = self.model_id;
        let caches: Vec<VectorSet> = previous_vectors(self.index_dir)
            .into_iter()
            .chain(
                self.data_dir
                    .and_then(|d| VectorSet::read(&d.join(SEED_FILE)).ok().flatten()),
            )
            .filter(|set| set.model_id == model_id)
            .collect();
        let mut vectors = self
            .kept
            .filter(|set| set.model_id == model_id)
            .unwrap_or_else(|| VectorSet::new(&model_id, 0));
        let carried = vectors.len();
        let mut missing: Vec<&(String, String)> = Vec::new();
        for passage in passages {
            match caches.iter().find_map(|cache| cache.get(&passage.0)) {
                Some(vector) => vectors.insert(&passage.0, vector),
                None => missing.push(passage),
            }
        }
        let outcome = EmbedOutcome {
            embedded: missing.len(),
            reused: carried + passages.len() - missing.len(),
        };
        if !missing.is_empty() {
            progress(BuildEvent::Embedding {
                passages: missing.len(),
            });
            let embedder = Embedder::load(self.model)?;
            let texts: Vec<String> = missing.iter().map(|(_, text)| text.clone()).collect();
            let computed = embedder.embed(&texts, &|done| {
                progress(BuildEvent::Embedded { passages: done })
            })?;
            for ((id, _), vector) in missing.iter().zip(computed) {
                vectors.insert(id, &vector);
            }
        }
        vectors.write(&self.generation.join(VECTORS_FILE))?;
        Ok(outcome)
    }
}

fn previous_vectors(index_dir: &Path) -> Option<VectorSet> {
    let generation = store::current_generation(index_dir).ok()??;
    VectorSet::read(&generation.join(VECTORS_FILE)).ok()?
}
