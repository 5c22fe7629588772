//! The English word list mbc carries (`data/english/`): 82,765 words with their frequency in
//! books, compiled into an FST by `build.rs` and read in place, so knowing whether a word is a
//! real English word costs no start-up time. Spelling correction uses it never to replace a
//! real word (`search::spelling`).

use std::sync::LazyLock;

use tantivy::Term;
use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Field;
use tantivy_fst::raw::Fst;
use tantivy_fst::{IntoStreamer, Map, Streamer};

static WORDS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/english.fst"));

static LIST: LazyLock<Map<&'static [u8]>> =
    LazyLock::new(|| Map::from(Fst::new(WORDS).expect("build.rs writes a valid FST")));

/// How often `word` (lower case) occurs in the books the list was counted from; `None` when it
/// is not an English word the list knows.
pub fn frequency(word: &str) -> Option<u64> {
    LIST.get(word)
}

/// True when `word` (lower case) is a real English word.
pub fn contains(word: &str) -> bool {
    LIST.contains_key(word)
}

/// The listed words within `edits` edits of `word` (a transposition counts as one), with
/// their frequencies, in alphabetical order; `word` itself is left out.
pub fn near(word: &str, edits: u8) -> Vec<(String, u64)> {
    // tantivy's fuzzy query builds and caches the Levenshtein automaton; only the word's text is
    // used, so any field will do.
    let query = FuzzyTermQuery::new(
        Term::from_field_text(Field::from_field_id(0), word),
        edits,
        true,
    );
    let Ok(automaton) = query.automaton() else {
        return Vec::new();
    };
    let mut stream = LIST.search(automaton).into_stream();
    let mut found = Vec::new();
    while let Some((key, count)) = stream.next() {
        if let Ok(candidate) = std::str::from_utf8(key)
            && candidate != word
        {
            found.push((candidate.to_string(), count));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_words_are_known_and_misspellings_are_not() {
        for word in [
            "scared", "turmeric", "feed", "heart", "hart", "kids", "exercise",
        ] {
            assert!(contains(word), "{word}");
        }
        for word in ["exercize", "herceptn", "recieve", "tamoxifne"] {
            assert!(!contains(word), "{word}");
        }
        assert!(frequency("heart") > frequency("hart"));
    }

    #[test]
    fn near_finds_words_within_the_edits() {
        let near: Vec<String> = near("exercize", 1).into_iter().map(|(w, _)| w).collect();
        assert!(near.contains(&"exercise".to_string()), "{near:?}");
        assert!(!near.contains(&"exercize".to_string()));
    }
}
