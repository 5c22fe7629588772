//! The index a server searches. It is opened once, with the model loaded, and swapped for a new
//! generation when `mbc index` publishes one: a request keeps the generation it started with
//! until it ends, so a swap never fails a request in flight.

use std::sync::{Arc, OnceLock, PoisonError, RwLock};

use anyhow::Result;

use mbc::embed::Load;
use mbc::index::{SearchIndex, store};
use mbc::search::{self, Mode, SearchRequest, Suggester};

use crate::app::open;
use crate::settings::{Location, RankingSettings};

/// One opened generation of the index, with what is derived from it.
pub struct Served {
    pub index: SearchIndex,
    pub suggester: Suggester,
    /// What is wrong with the generation's files: checked when it is opened (as `mbc check`
    /// does; milliseconds for the bundled corpus), or found by a request later (a file damaged
    /// while it is served). `/healthz` says so: a damaged store failed searches with 503 while
    /// the health check said "ok".
    damage: KnownDamage,
}

/// What is known to be wrong with a generation's files: the first damage found is kept.
#[derive(Debug, Default)]
struct KnownDamage(OnceLock<String>);

impl KnownDamage {
    fn get(&self) -> Option<&str> {
        self.0.get().map(String::as_str)
    }

    /// Keeps `damage`, unless some was kept already.
    fn keep(&self, damage: String) {
        let _ = self.0.set(damage);
    }

    /// Keeps the damage `result` shows, if it is an error that only a rebuild mends.
    fn note<T>(&self, result: &mbc::Result<T>) {
        if let Err(err) = result
            && err.needs_rebuild()
        {
            self.keep(err.to_string());
        }
    }
}

impl Served {
    fn new(index: SearchIndex) -> Result<Arc<Served>> {
        // Read now, while the generation is certainly there: a later build may remove it while
        // it is served.
        index.vectors()?;
        let suggester = Suggester::new(&index)?;
        let damage = KnownDamage::default();
        if let Err(found) = mbc::index::verify_generation(&index.generation) {
            damage.keep(found.to_string());
        }
        Ok(Arc::new(Served {
            index,
            suggester,
            damage,
        }))
    }

    /// What is known to be wrong with the generation's files.
    pub fn damage(&self) -> Option<&str> {
        self.damage.get()
    }

    /// Runs `work` on the served index, and remembers damage it comes upon.
    pub fn read<T>(&self, work: impl FnOnce(&SearchIndex) -> mbc::Result<T>) -> mbc::Result<T> {
        let result = work(&self.index);
        self.damage.note(&result);
        result
    }
}

/// What every request shares.
pub struct Shared {
    location: Location,
    current: RwLock<Arc<Served>>,
}

impl Shared {
    /// Opens the index as a search does (building it first when it needs that) and loads the
    /// model.
    pub fn open(location: Location) -> Result<Shared> {
        let index = open::open_for_search(&location, None, Load::Whole)?;
        Ok(Shared {
            location,
            current: RwLock::new(Served::new(index)?),
        })
    }

    /// The generation requests search now.
    pub fn current(&self) -> Arc<Served> {
        Arc::clone(&self.current.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Opens the index again when it names another generation than the one served; true when
    /// it did. Only reads: the server never builds or repairs the index.
    pub fn reload_if_published(&self) -> Result<bool> {
        let published = store::current_generation(&self.location.index)?;
        if published.is_none_or(|generation| generation == self.current().index.generation) {
            return Ok(false);
        }
        let mut index = SearchIndex::open(&self.location.index)?;
        // The model stays loaded: the new generation takes it over when its vectors are the
        // same model's.
        let previous = self.current();
        match (&previous.index.embedder, index.vectors()?) {
            (Some(embedder), Some(vectors)) if embedder.model_id() == vectors.model_id => {
                index.embedder = Some(Arc::clone(embedder));
            }
            _ => open::attach_semantic(&mut index, &self.location, None)?,
        }
        let served = Served::new(index)?;
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = served;
        Ok(true)
    }

    /// Runs a search of each kind the API offers on this thread, and discards the results: see
    /// `serve::warm_up`.
    pub fn warm_up(&self) {
        let served = self.current();
        for request in warm_up_requests(served.index.semantic().is_some()) {
            // A failure here would fail the same way for a user's request, which says so.
            let _ = search::search(&served.index, &request);
        }
    }

    pub fn location(&self) -> &Location {
        &self.location
    }
}

/// One search per kind: exact lexical, lexical with synonyms and typo tolerance, and hybrid when
/// the index has vectors.
fn warm_up_requests(semantic: bool) -> Vec<SearchRequest> {
    let request = |mode, exact: bool| {
        RankingSettings {
            mode: Some(mode),
            exact,
            feedback: !exact,
            ..RankingSettings::default()
        }
        .request("side effects of treatment".to_string(), 10, Vec::new())
    };
    let mut requests = vec![request(Mode::Lexical, true), request(Mode::Lexical, false)];
    if semantic {
        requests.push(request(Mode::Hybrid, false));
    }
    requests
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn damage_a_request_comes_upon_is_kept_and_other_errors_are_not() {
        let known = KnownDamage::default();
        known.note::<()>(&Err(mbc::Error::PassageNotFound("x".into())));
        known.note(&Ok(()));
        assert_eq!(known.get(), None);
        let damaged = mbc::Error::IndexCorrupt {
            path: "index/g1".into(),
            damage: mbc::index::Damage::Panic("a bad block".into()),
        };
        let expected = damaged.to_string();
        known.note::<()>(&Err(damaged));
        assert_eq!(known.get(), Some(expected.as_str()));
    }
}
