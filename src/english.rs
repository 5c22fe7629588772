//! The English word list mbc carries (`data/english/`): 82,765 words with their frequency in
//! books, and 45,570 rarer real words without one (from SCOWL), compiled into an FST by
//! `build.rs` and read in place, so knowing whether a word is a real English word costs no
//! start-up time. Spelling correction uses it never to replace a real word
//! (`search::spelling`). A second FST holds 134,638 words of SCOWL's largest list ("repot",
//! "qigong"): real, but many of them are as likely to be a slip as meant ("reast", "leeping").

use std::sync::LazyLock;

use tantivy::Term;
use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Field;
use tantivy_fst::raw::Fst;
use tantivy_fst::{IntoStreamer, Map, Streamer};

static WORDS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/english.fst"));

/// (spelling, other spelling) of one word in American and British English, both ways, sorted
/// (`data/english/variants.txt`, compiled in by `build.rs`).
static VARIANTS: &[(&str, &str)] = &include!(concat!(env!("OUT_DIR"), "/english_variants.rs"));

static RARE_WORDS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/english-rare.fst"));

static LIST: LazyLock<Map<&'static [u8]>> =
    LazyLock::new(|| Map::from(Fst::new(WORDS).expect("build.rs writes a valid FST")));

static RARE: LazyLock<Map<&'static [u8]>> =
    LazyLock::new(|| Map::from(Fst::new(RARE_WORDS).expect("build.rs writes a valid FST")));

/// How often `word` (lower case) occurs in the books the list was counted from; `None` when it
/// is not a counted English word (a rare one without a count, or no word at all).
pub fn frequency(word: &str) -> Option<u64> {
    LIST.get(word).filter(|&count| count > 0)
}

/// True when `word` (lower case) is a real English word, counted or not.
pub fn contains(word: &str) -> bool {
    LIST.contains_key(word)
}

/// True when `word` (lower case) is in none of the list's words but in SCOWL's largest list,
/// where obscure words sit next to the everyday ones a slip can make ("reast", "leeping").
pub fn is_rare(word: &str) -> bool {
    RARE.contains_key(word)
}

/// The other spellings of `word` (lower case) in American or British English: "tumour" for
/// "tumor", "anesthetic" for "anaesthetic", both "anaesthetise" and "anaesthetize" for
/// "anesthetize". The same word spelled another way, not another word.
pub fn other_spellings(word: &str) -> impl Iterator<Item = &'static str> {
    let start = VARIANTS.partition_point(|&(w, _)| w < word);
    VARIANTS[start..]
        .iter()
        .take_while(move |&&(w, _)| w == word)
        .map(|&(_, other)| other)
}

/// The counted words within `edits` edits of `word` (a transposition counts as one), with
/// their frequencies, in alphabetical order; `word` itself is left out. The uncounted words are
/// left out too: they are real, but too rare to be what a person meant by a misspelling
/// ("dourine" is no likelier than "during").
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
            && count > 0
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
    fn a_word_has_its_other_spellings_both_ways() {
        let spellings = |word| other_spellings(word).collect::<Vec<_>>();
        assert_eq!(spellings("tumor"), ["tumour"]);
        assert_eq!(spellings("tumour"), ["tumor"]);
        assert_eq!(spellings("anemic"), ["anaemic"]);
        assert_eq!(spellings("centres"), ["centers"]);
        assert_eq!(
            spellings("anesthetize"),
            ["anaesthetise", "anaesthetize"],
            "British spells it with -ise or -ize"
        );
        assert!(spellings("shoe").is_empty(), "not 'she': another word");
        assert!(spellings("heart").is_empty());
        // Changes made where they are not regular pair other words ("concretize",
        // "previousness", the Latin plural "pericopae", "saltires").
        assert_eq!(spellings("concertize"), ["concertise"]);
        for word in ["perviousness", "pericope", "saltiers"] {
            assert!(spellings(word).is_empty(), "{word}: {:?}", spellings(word));
        }
    }

    #[test]
    fn rare_real_words_are_known_but_have_no_count() {
        for word in ["feces", "metformin", "sombreness"] {
            assert!(contains(word), "{word}");
            assert_eq!(frequency(word), None, "{word}");
        }
    }

    #[test]
    fn the_rarest_words_are_apart_from_the_list() {
        for word in ["repot", "qigong", "reast"] {
            assert!(is_rare(word), "{word}");
            assert!(!contains(word), "{word}");
        }
        for word in ["feces", "heart", "exercize"] {
            assert!(!is_rare(word), "{word}");
        }
    }

    #[test]
    fn rare_real_words_are_not_offered_as_near_words() {
        let near: Vec<String> = near("during", 2).into_iter().map(|(w, _)| w).collect();
        assert!(!near.contains(&"dourine".to_string()), "{near:?}");
        assert!(near.contains(&"daring".to_string()), "{near:?}");
    }

    #[test]
    fn near_finds_words_within_the_edits() {
        let near: Vec<String> = near("exercize", 1).into_iter().map(|(w, _)| w).collect();
        assert!(near.contains(&"exercise".to_string()), "{near:?}");
        assert!(!near.contains(&"exercize".to_string()));
    }
}
