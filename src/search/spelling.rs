//! Spelling: what to do with a query word the index has never seen. A real word is never
//! replaced by another: only a word that is in none of the index, the lexicon and the English
//! word list ([`crate::english`]) can be a misspelling, and it is replaced only when one word of
//! the corpus or the lexicon is clearly the one meant: nearest, looking like what was typed, and
//! not rivalled by an English word the corpus lacks that the person may have meant instead. The
//! rarest words of English ("repot", but also "reast") are real too, and are replaced only by a
//! medical word.
//! Everything else is reported as it is ("no passage mentions …"), with a suggestion where one
//! is close.
//!
//! A replacement keeps the word's first letter, as Lucene's spell checker does by default:
//! typing rarely gets the first letter wrong, and on MED's queries the replacements that changed
//! it were all other words ("diuril" became "fibril"). Nor does a replacement turn a prefix into
//! its opposite: "hyperpituitarism" is not a typo of "hypopituitarism", though the two are two
//! edits apart. A replacement is scored by plain BM25 like any other term, unlike fuzzy queries,
//! which give every variant the same constant score.

use tantivy::collector::Count;
use tantivy::query::{FuzzyTermQuery, PhraseQuery};
use tantivy::schema::Field;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

use crate::Result;
use crate::analysis::{AnalyzedWord, WordKind};
use crate::english;
use crate::index::{Fields, Snapshot};
use crate::lexicon::Lexicon;

/// Words shorter than this are never replaced: too many real words are one edit apart.
const MIN_LEN: usize = 4;

/// A replacement must be found in this many times more passages than the runner-up at the same
/// distance to count as clearly meant; otherwise both are offered as suggestions.
const CLEAR_MARGIN: u64 = 3;

/// A real word gets a "did you mean" only for a corpus word one edit away that is this many
/// times more common in English ("hart" → "heart"), so that ordinary words the corpus lacks
/// ("scared") are not second-guessed.
const SUGGESTION_MARGIN: u64 = 10;

/// Letters each part of a word read as two must have at least.
const MIN_PART: usize = 2;

/// Suggestions offered for one word, at most.
const MAX_SUGGESTIONS: usize = 3;

/// Passages read for the ways the corpus writes a candidate (its term's surface forms).
const SURFACE_PASSAGES: usize = 5;

/// Prefixes of opposite meaning, which a replacement never swaps.
const OPPOSITE_PREFIXES: [(&str, &str); 5] = [
    ("hyper", "hypo"),
    ("micro", "macro"),
    ("inter", "intra"),
    ("ante", "anti"),
    ("endo", "exo"),
];

/// What spelling makes of one query word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The index has it, or the lexicon knows it: searched as typed.
    Known,
    /// A real word, or one with no clear replacement, that no passage uses: searched as typed
    /// (it matches nothing) and reported, with close corpus words to suggest.
    Absent { suggestions: Vec<String> },
    /// A misspelling of one clearly meant word: `term` is searched instead, `shown` tells the
    /// person which word that is.
    Corrected { term: String, shown: String },
    /// Two words run together ("sideeffects"): searched as the two words `terms`, one after the
    /// other, and `shown` is them as typed with a space between.
    Split { terms: [String; 2], shown: String },
}

/// Judges one analyzed query word; `typed` is the word as the person wrote it.
pub fn judge(
    snapshot: &Snapshot,
    fields: Fields,
    lexicon: &Lexicon,
    word: &AnalyzedWord,
    typed: &str,
) -> Result<Verdict> {
    let searched = fields.searched();
    if snapshot.read(|s| Ok(doc_freq(s, &searched, &word.term)))? > 0 {
        return Ok(Verdict::Known);
    }
    // A misspelling the lexicon lists is corrected like any other, so that the embedding model
    // is given the word meant and the person is told what was searched.
    if let Some((term, shown)) = lexicon.correction_of(typed) {
        return Ok(Verdict::Corrected {
            term,
            shown: shown.to_string(),
        });
    }
    if lexicon.contains(typed) {
        return Ok(Verdict::Known);
    }
    // "hair-loss" where the texts write "hair loss": a compound is searched by its parts too.
    if word.kind == WordKind::Compound
        && word.parts.len() >= 2
        && snapshot.read(|s| Ok(passages_with_phrase(s, fields.body, &word.parts)))? > 0
    {
        return Ok(Verdict::Known);
    }
    let surface = typed.to_lowercase();
    if let Some((term, shown)) = other_spelling_in_corpus(snapshot, &searched, &surface)? {
        return Ok(Verdict::Corrected { term, shown });
    }
    // A word of a lexicon phrase ("ductal" of "ductal carcinoma in situ") is a real word, never
    // to be corrected; no passage uses it.
    if lexicon.has_word(&word.term) {
        return Ok(Verdict::Absent {
            suggestions: Vec::new(),
        });
    }
    let spellable = word.kind == WordKind::Simple
        && surface.chars().count() >= MIN_LEN
        && surface.chars().all(char::is_alphabetic)
        && !looks_like_an_abbreviation(typed);
    if !spellable {
        return Ok(Verdict::Absent {
            suggestions: Vec::new(),
        });
    }
    // A real word written with its accents ("naïve", "café") is a real word: it was offered
    // "naive" (itself) and "nave".
    let plain = crate::analysis::folded(&surface);
    if english::contains(&plain) {
        // A real word too rare to be counted ("feces") takes any close corpus word as a
        // suggestion: it is more likely a slip than the word itself is.
        let frequency = english::frequency(&plain).unwrap_or(0);
        let suggestions =
            suggestions_for_real_word(snapshot, fields, &word.term, &plain, frequency)?;
        return Ok(Verdict::Absent { suggestions });
    }
    let nearby =
        snapshot.read(|s| Ok(nearby_words(s, fields.body, &surface, &word.term, lexicon)))?;
    let mut candidates = looking_like_typed(
        snapshot,
        fields,
        &surface,
        nearby.candidates,
        &nearby.known_forms,
    )?;
    // At the same distance, the word the typing left letters out of comes first ("wory" is
    // "worry" before it is "work"); the sort is stable, so the most passages still decide
    // among the rest.
    candidates.sort_by_key(|c| (c.distance, !letters_left_out(&surface, &c.shown)));
    // A word of SCOWL's largest list is real, but as often a slip ("chimo") as meant ("repot"):
    // it is replaced only by a medical word ("tripple" by the "triple" of "triple negative"),
    // what people search this corpus for, and otherwise reported with its suggestions.
    let rare = english::is_rare(&surface);
    if let Some(best) = clearly_best(&surface, &candidates)
        && !much_shorter(&surface, &best.shown)
        && !outranked(best, &surface, &nearby.rivals, lexicon)
        && (!rare || is_medical(best, lexicon))
    {
        return Ok(Verdict::Corrected {
            term: best.term.clone(),
            shown: best.shown.clone(),
        });
    }
    if rare {
        return Ok(Verdict::Absent {
            suggestions: suggestions(&surface, &candidates, &nearby.rivals),
        });
    }
    if let Some((terms, shown)) =
        snapshot.read(|s| Ok(split_in_two(s, fields.body, lexicon, &surface)))?
    {
        return Ok(Verdict::Split { terms, shown });
    }
    Ok(Verdict::Absent {
        suggestions: suggestions(&surface, &candidates, &nearby.rivals),
    })
}

/// A word of the corpus or the lexicon that a misspelling may stand for.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Candidate {
    /// The indexed (analyzed) term.
    term: String,
    distance: usize,
    /// Passages that contain it.
    passages: u64,
    /// How the corpus writes it, as near as it comes to what was typed (filled in by
    /// [`looking_like_typed`]).
    shown: String,
}

/// An English word near a misspelling that no passage uses ("skiing" for "skiiing"): the person
/// may have meant it, so it competes with the corpus's words but is never searched instead.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Rival {
    word: String,
    /// Edits from the word as typed.
    distance: usize,
    /// How common it is in English.
    frequency: u64,
}

/// The words near a misspelling: the corpus's and the lexicon's, and English words neither uses.
struct Nearby {
    candidates: Vec<Candidate>,
    rivals: Vec<Rival>,
    /// Spellings of a candidate's term, from the English list or the lexicon, near the word
    /// typed where the corpus's may not be: "diarea" is two edits from the lexicon's "diarrhea"
    /// and three from the corpus's "diarrhoea"; "efect" one from the English "effect" and two
    /// from "effects", the way the first passages that use the term write it.
    known_forms: Vec<(String, String)>,
}

/// The one candidate clearly meant, if there is one: the only one at the least distance, the
/// only one there that the typing left letters out of, or one found in [`CLEAR_MARGIN`] times
/// more passages than the next.
fn clearly_best<'a>(surface: &str, candidates: &'a [Candidate]) -> Option<&'a Candidate> {
    let best = candidates.first()?;
    match candidates.get(1) {
        Some(next) if next.distance == best.distance => {
            let only_one_left_out =
                letters_left_out(surface, &best.shown) && !letters_left_out(surface, &next.shown);
            (only_one_left_out || best.passages >= CLEAR_MARGIN * next.passages.max(1))
                .then_some(best)
        }
        _ => Some(best),
    }
}

/// True when `typed` is `shown` with letters left out ("wory" of "worry", "opnion" of
/// "opinion"): the commonest slip in typing a word, more likely at the same distance than a
/// wrong letter ("work", "option"), which needs a key pressed instead of another.
fn letters_left_out(typed: &str, shown: &str) -> bool {
    let mut rest = shown.chars();
    shown.chars().count() > typed.chars().count() && typed.chars().all(|c| rest.any(|s| s == c))
}

/// True when `typed` is written as an abbreviation: capitals after its first letter in a word of
/// mixed case ("irAE"), or all capitals in a short word ("SBRT", "FN"). Such a word is a term
/// of its own, not a slip for the nearest word ("iraq" for "irAE"); a longer word in capitals
/// is more likely typed with caps lock on.
fn looks_like_an_abbreviation(typed: &str) -> bool {
    let letters: Vec<char> = typed.chars().filter(|c| c.is_alphabetic()).collect();
    let capitals = letters.iter().filter(|c| c.is_uppercase()).count();
    let all_capitals = capitals == letters.len();
    let inner_capitals = letters.iter().skip(1).any(|c| c.is_uppercase());
    (inner_capitals && !all_capitals) || (all_capitals && letters.len() <= MAX_ABBREVIATION)
}

/// Letters of the longest word in capitals read as an abbreviation ("HER2" has three).
const MAX_ABBREVIATION: usize = 4;

/// True when `shown` has two or more letters fewer than `typed`. People leave letters out far
/// more often than they type two too many ("palative" for "palliative"), so a word that much
/// shorter is another word, not the one meant: "calpol", a children's medicine, is not "call".
fn much_shorter(typed: &str, shown: &str) -> bool {
    typed.chars().count() >= shown.chars().count() + 2
}

/// Frequency in English (`english::frequency`) from which a real word is taken as meant, however
/// much more common a corpus word one edit away is: "stones" (12.6 million) is not a slip for
/// "stores", nor "hell" (22.8 million) for "help", while "hart" (7.4 million) may be one for
/// "heart".
const EVERYDAY: u64 = 10_000_000;

/// Edits allowed for a word of `len` characters.
fn max_edits(len: usize) -> u8 {
    if len <= 5 { 1 } else { 2 }
}

/// True when `candidate` starts with the opposite of a prefix `term` starts with.
fn swaps_opposite_prefix(term: &str, candidate: &str) -> bool {
    OPPOSITE_PREFIXES.iter().any(|(a, b)| {
        (term.starts_with(a) && candidate.starts_with(b))
            || (term.starts_with(b) && candidate.starts_with(a))
    })
}

/// True when every one of `terms` is in some passage (each in any of `fields`): how a lexicon
/// term of several words counts as used by the corpus.
pub fn uses_all(searcher: &Searcher, fields: &[Field], terms: &[String]) -> bool {
    terms.iter().all(|t| doc_freq(searcher, fields, t) > 0)
}

/// Number of passages containing `term` in any of `fields`.
pub fn doc_freq(searcher: &Searcher, fields: &[Field], term: &str) -> u64 {
    fields
        .iter()
        .map(|&f| {
            searcher
                .doc_freq(&Term::from_field_text(f, term))
                .unwrap_or(0)
        })
        .sum()
}

/// The word as the corpus spells it, when the corpus writes it in the other variety of English
/// ("tumour" for "tumor", "tumor" for "tumour" in an American corpus), as (term, word shown):
/// the same word, so searched in its place as a correction is.
fn other_spelling_in_corpus(
    snapshot: &Snapshot,
    searched: &[Field],
    surface: &str,
) -> Result<Option<(String, String)>> {
    let mut analyzer = crate::analysis::medical_analyzer();
    for other in english::other_spellings(surface) {
        if let Some(word) = one_word(&mut analyzer, other)
            && snapshot.read(|s| Ok(doc_freq(s, searched, &word.term)))? > 0
        {
            return Ok(Some((word.term, other.to_string())));
        }
    }
    Ok(None)
}

/// The words of the corpus and the lexicon a misspelling may stand for, nearest first, then the
/// most passages (counted over the whole index, so the answer does not depend on how the index
/// is split into segments), then alphabetical; and the English words near it that no passage
/// uses, nearest and then most common first. Four ways find the candidates, since typing
/// errors live in the written word while the index holds stems ("exercize" and "exercise" are
/// one edit apart, their stems "exerc" and "exercis" two): English words near the typed word
/// that the corpus uses, indexed terms near the word's term (for words no dictionary has, such
/// as drug names), single-word lexicon terms near the typed word, and the words of its terms
/// of several words. Every word found keeps the first letter and its prefixes.
fn nearby_words(
    searcher: &Searcher,
    field: Field,
    surface: &str,
    term: &str,
    lexicon: &Lexicon,
) -> Nearby {
    let Some(first) = surface.chars().next() else {
        return Nearby {
            candidates: Vec::new(),
            rivals: Vec::new(),
            known_forms: Vec::new(),
        };
    };
    let keeps_its_look = |t: &str| {
        t.starts_with(first)
            && !swaps_opposite_prefix(term, t)
            && !swaps_opposite_prefix(surface, t)
    };
    let edits = max_edits(surface.chars().count());
    let mut analyzer = crate::analysis::medical_analyzer();
    let mut term_of = |word: &str| one_word(&mut analyzer, word).map(|w| w.term);
    let mut found: Vec<(String, usize)> = Vec::new();
    let mut known_forms = Vec::new();
    let mut rivals: Vec<Rival> = Vec::new();
    for (word, frequency) in english::near(surface, edits) {
        let distance = strsim::osa_distance(surface, &word);
        match term_of(&word) {
            Some(t) if doc_freq(searcher, &[field], &t) > 0 => {
                // One slip from the word typed, the English word is what was meant even where
                // the corpus writes its term otherwise ("efect": "effect", not "effects"). Two
                // slips away it is not: "skiiing" is not "skinning", whose "skin" the corpus has.
                if distance == 1 {
                    known_forms.push((t.clone(), word));
                }
                found.push((t, distance));
            }
            _ if keeps_its_look(&word) => rivals.push(Rival {
                word,
                distance,
                frequency,
            }),
            _ => {}
        }
    }
    rivals.sort_by(|a, b| {
        (a.distance, std::cmp::Reverse(a.frequency))
            .cmp(&(b.distance, std::cmp::Reverse(b.frequency)))
    });
    for t in index_terms_near(searcher, field, term, max_edits(term.chars().count())) {
        let distance = strsim::osa_distance(term, &t);
        found.push((t, distance));
    }
    // A lexicon word is taken in the corpus's spelling of it when the corpus has the word only
    // in another (the lexicon's "diarrhea", the corpus's "diarrhoea"). One the corpus does not
    // use at all is a candidate too: searched, it reaches the words its group gives ("husband"
    // reaches "partner"), and "husban" was replaced by "human", two edits away, instead.
    let mut lexicon_only = Vec::new();
    for word in lexicon.single_word_terms() {
        let written = word.to_lowercase();
        let distance = strsim::osa_distance(surface, &written);
        if distance > usize::from(edits) {
            continue;
        }
        let spellings: Vec<String> = std::iter::once(written.clone())
            .chain(english::other_spellings(&written).map(String::from))
            .collect();
        let in_corpus = spellings
            .iter()
            .filter_map(|spelling| term_of(spelling))
            .find(|t| doc_freq(searcher, &[field], t) > 0);
        // Only a plain word the lexicon lists as meant, not a misspelling or variant it lists
        // ("palbocyclib", "letrozol") nor a compound the corpus writes apart ("side-effects").
        let plain_and_meant =
            written.chars().all(char::is_alphabetic) && lexicon.is_meant_term(&written);
        if let Some(t) = in_corpus.or_else(|| {
            let t = term_of(&written).filter(|_| plain_and_meant)?;
            lexicon_only.push(t.clone());
            Some(t)
        }) {
            known_forms.push((t.clone(), written));
            found.push((t, distance));
        }
    }
    // A word of a phrase the lexicon searches is a candidate too where no passage uses it
    // alone: "pain kilers" then reads as "pain killers", which reaches the painkillers' group;
    // "kilers" was left absent, with "killers", "kills" and "killer" as suggestions.
    for word in lexicon.words_of_phrases() {
        let written = word.to_lowercase();
        let distance = strsim::osa_distance(surface, &written);
        if distance > usize::from(edits)
            || written.chars().count() < MIN_LEN
            || !written.chars().all(char::is_alphabetic)
        {
            continue;
        }
        let Some(t) = term_of(&written) else { continue };
        if doc_freq(searcher, &[field], &t) == 0 && !lexicon_only.contains(&t) {
            lexicon_only.push(t.clone());
            known_forms.push((t.clone(), written));
            found.push((t, distance));
        }
    }
    found.sort();
    found.dedup_by(|a, b| a.0 == b.0);
    let mut candidates: Vec<Candidate> = found
        .into_iter()
        .filter(|(t, distance)| *distance > 0 && keeps_its_look(t))
        .filter_map(|(t, distance)| {
            let passages = doc_freq(searcher, &[field], &t);
            (passages > 0 || lexicon_only.contains(&t)).then(|| Candidate {
                shown: t.clone(),
                term: t,
                distance,
                passages,
            })
        })
        .collect();
    candidates.sort_by(|a, b| {
        (a.distance, std::cmp::Reverse(a.passages), &a.term).cmp(&(
            b.distance,
            std::cmp::Reverse(b.passages),
            &b.term,
        ))
    });
    Nearby {
        candidates,
        rivals,
        known_forms,
    }
}

/// The candidates a person would take for the word they typed, each shown as the corpus writes
/// it nearest to that word, or else as the English list or the lexicon does. Candidates are
/// found by stems, and a stem can be near when the word is not: "skii", the stem of "skiiing",
/// is one edit from "skin", but the words are three apart.
fn looking_like_typed(
    snapshot: &Snapshot,
    fields: Fields,
    surface: &str,
    candidates: Vec<Candidate>,
    known_forms: &[(String, String)],
) -> Result<Vec<Candidate>> {
    let reach = usize::from(max_edits(surface.chars().count()));
    let near = |form: &String| strsim::osa_distance(surface, form) <= reach;
    let mut kept = Vec::new();
    for mut candidate in candidates {
        let corpus_form = nearest_form(snapshot, fields, &candidate.term, surface)?;
        let known_form = || {
            known_forms
                .iter()
                .filter(|(term, form)| *term == candidate.term && near(form))
                .min_by_key(|(_, form)| strsim::osa_distance(surface, form))
                .map(|(_, form)| form.clone())
        };
        if let Some(shown) = corpus_form.filter(near).or_else(known_form) {
            candidate.shown = shown;
            kept.push(candidate);
        }
    }
    Ok(kept)
}

/// How the corpus writes `term` nearest to `surface` (the first such way on a tie).
fn nearest_form(
    snapshot: &Snapshot,
    fields: Fields,
    term: &str,
    surface: &str,
) -> Result<Option<String>> {
    let forms = super::passages::surface_forms(snapshot, fields, term, SURFACE_PASSAGES)?;
    Ok(forms
        .into_iter()
        .min_by_key(|form| strsim::osa_distance(surface, form)))
}

/// True when an English word no passage uses is as likely what the person meant as `best`. At
/// the same distance, a rival with a letter changed never outranks a `best` the typing left
/// letters out of.
/// Against an everyday word, a rival wins when it is nearer as written, or as near and at least
/// a third as common in English. A medical word, which is what people search this corpus for,
/// loses only to a nearer rival that is also more common: "palative" is one edit from
/// "palatine" and two from "palliative" ([`is_medical`] says which words are medical).
fn outranked(best: &Candidate, surface: &str, rivals: &[Rival], lexicon: &Lexicon) -> bool {
    let distance = strsim::osa_distance(surface, &best.shown);
    let medical = is_medical(best, lexicon);
    let common = english::frequency(&best.shown).unwrap_or(0);
    let left_out = letters_left_out(surface, &best.shown);
    rivals.iter().any(|rival| {
        if left_out && rival.distance == distance && !letters_left_out(surface, &rival.word) {
            return false;
        }
        if medical {
            rival.distance < distance && rival.frequency > common
        } else {
            rival.distance < distance
                || (rival.distance == distance && CLEAR_MARGIN * rival.frequency >= common)
        }
    })
}

/// True when `candidate` is a medical word: a word of the lexicon's ("palliative" of
/// "palliative care"), or the corpus's own and unknown to the English list (a drug name).
fn is_medical(candidate: &Candidate, lexicon: &Lexicon) -> bool {
    english::frequency(&candidate.shown).is_none()
        || lexicon.contains(&candidate.shown)
        || lexicon.has_word(&candidate.term)
}

/// What to offer for a word no passage uses: the corpus's words near it, and English words the
/// corpus lacks that are one edit away or no farther than the corpus's nearest (the person may
/// have misspelt a word no passage uses: "tumeric"), nearest first and the corpus's first at
/// equal distance.
fn suggestions(surface: &str, candidates: &[Candidate], rivals: &[Rival]) -> Vec<String> {
    let mut offered: Vec<(usize, bool, String)> = candidates
        .iter()
        .filter(|c| !much_shorter(surface, &c.shown))
        .map(|c| {
            (
                strsim::osa_distance(surface, &c.shown),
                false,
                c.shown.clone(),
            )
        })
        .collect();
    let nearest_candidate = offered.iter().map(|(distance, _, _)| *distance).min();
    offered.extend(
        rivals
            .iter()
            .filter(|r| r.distance <= 1 || nearest_candidate.is_some_and(|n| r.distance <= n))
            .map(|r| (r.distance, true, r.word.clone())),
    );
    // A stable sort keeps the candidates' and the rivals' own orders at equal distance.
    offered.sort_by_key(|(distance, english_only, _)| (*distance, *english_only));
    let mut words: Vec<String> = Vec::new();
    for (_, _, word) in offered {
        if !words.contains(&word) {
            words.push(word);
        }
    }
    words.truncate(MAX_SUGGESTIONS);
    words
}

/// The one way to read `surface` as two words that the corpus writes side by side
/// ("sideeffects" as "side effects", "hairloss" as "hair loss") or that the lexicon knows
/// together ("bonemets" as "bone mets"), with their terms; a second way found in at least a
/// third as many passages makes it unclear, and there is none. Each part must be a word of its
/// own: a stop word is not ("ofchemo").
fn split_in_two(
    searcher: &Searcher,
    field: Field,
    lexicon: &Lexicon,
    surface: &str,
) -> Option<([String; 2], String)> {
    let mut analyzer = crate::analysis::medical_analyzer();
    let mut term_of = |word: &str| {
        one_word(&mut analyzer, word)
            .filter(|w| w.kind == WordKind::Simple)
            .map(|w| w.term)
    };
    let mut splits: Vec<(u64, [String; 2], String)> = Vec::new();
    for (at, _) in surface.char_indices().skip(MIN_PART) {
        let (left, right) = surface.split_at(at);
        if right.chars().count() < MIN_PART {
            break;
        }
        let (Some(first), Some(second)) = (term_of(left), term_of(right)) else {
            continue;
        };
        let shown = format!("{left} {right}");
        let passages =
            passages_with_phrase(searcher, field, &[(0, first.clone()), (1, second.clone())]);
        // A lexicon phrase no passage writes counts as one passage: its synonyms are searched.
        let passages = passages.max(u64::from(lexicon.contains(&shown)));
        if passages > 0 {
            splits.push((passages, [first, second], shown));
        }
    }
    splits.sort_by_key(|split| std::cmp::Reverse(split.0));
    match splits.as_slice() {
        [only] => Some(only),
        [best, next, ..] if best.0 >= CLEAR_MARGIN * next.0 => Some(best),
        _ => None,
    }
    .map(|(_, terms, shown)| (terms.clone(), shown.clone()))
}

/// The word `text` analyzes to, when it is one word (a stop word is none).
fn one_word(analyzer: &mut TextAnalyzer, text: &str) -> Option<AnalyzedWord> {
    let mut words = crate::analysis::analyze_words(analyzer, text);
    (words.len() == 1).then(|| words.remove(0))
}

/// Number of passages with `terms` (position, term) in a row in `field`.
pub(super) fn passages_with_phrase(
    searcher: &Searcher,
    field: Field,
    terms: &[(usize, String)],
) -> u64 {
    let first = terms.first().map_or(0, |(position, _)| *position);
    let phrase = PhraseQuery::new_with_offset(
        terms
            .iter()
            .map(|(position, term)| (position - first, Term::from_field_text(field, term)))
            .collect(),
    );
    searcher.search(&phrase, &Count).unwrap_or(0) as u64
}

/// The indexed terms of `field` within `edits` of `term` that start with its first letter.
fn index_terms_near(searcher: &Searcher, field: Field, term: &str, edits: u8) -> Vec<String> {
    let Some(first) = term.chars().next() else {
        return Vec::new();
    };
    // A Levenshtein automaton walks only the parts of the term dictionary within reach, instead
    // of comparing every term (which cost more than the search itself on a large index).
    let reach = FuzzyTermQuery::new(Term::from_field_text(field, term), edits, true);
    let mut found = Vec::new();
    for segment in searcher.segment_readers() {
        let (Ok(inverted), Ok(automaton)) = (segment.inverted_index(field), reach.automaton())
        else {
            continue;
        };
        let mut reachable = inverted.terms().search(automaton);
        if let Some(byte) = first.is_ascii().then_some(first as u8) {
            // Only the terms that start with the same letter: the walk skips the rest.
            reachable = reachable.ge([byte]).lt([byte + 1]);
        }
        let Ok(mut stream) = reachable.into_stream() else {
            continue;
        };
        while stream.advance() {
            if let Ok(candidate) = std::str::from_utf8(stream.key()) {
                found.push(candidate.to_string());
            }
        }
    }
    found
}

/// Corpus words one edit from a real word (by their stems, and close as written) that is far
/// rarer in English than they are, or that it is with two letters swapped ("brian" for
/// "brain", "trail" for "trial"), the commonest slip in typing, whatever their frequencies.
fn suggestions_for_real_word(
    snapshot: &Snapshot,
    fields: Fields,
    term: &str,
    surface: &str,
    frequency: u64,
) -> Result<Vec<String>> {
    let near = snapshot.read(|s| Ok(index_terms_near(s, fields.body, term, 1)))?;
    let mut suggestions = Vec::new();
    for candidate in near {
        if candidate == term || swaps_opposite_prefix(term, &candidate) {
            continue;
        }
        let shown = nearest_form(snapshot, fields, &candidate, surface)?.unwrap_or(candidate);
        let common = english::frequency(&shown).unwrap_or(0);
        // Stems are compared, but a person reads words: "wont" is one edit from the stem "want",
        // and three from "wanted", the word the corpus writes.
        let looks_close = strsim::osa_distance(surface, &shown)
            <= usize::from(max_edits(surface.chars().count()));
        let rarer = frequency < EVERYDAY && common >= SUGGESTION_MARGIN * frequency;
        let fits =
            shown.chars().count() >= MIN_LEN && looks_close && (rarer || swapped(surface, &shown));
        if fits && !suggestions.contains(&shown) {
            suggestions.push(shown);
        }
    }
    suggestions.truncate(MAX_SUGGESTIONS);
    Ok(suggestions)
}

/// True when `a` is `b` with two neighbouring letters swapped.
fn swapped(a: &str, b: &str) -> bool {
    strsim::osa_distance(a, b) == 1 && strsim::levenshtein(a, b) == 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_neighbouring_letters_swapped_are_a_swap_and_nothing_else_is() {
        assert!(swapped("brian", "brain"));
        assert!(swapped("trail", "trial"));
        assert!(!swapped("hart", "heart"), "a letter left out");
        assert!(!swapped("brian", "brian"));
        assert!(
            swapped("barn", "bran") && swapped("bran", "barn"),
            "either way"
        );
    }

    fn candidate(term: &str, distance: usize, passages: u64) -> Candidate {
        Candidate {
            term: term.into(),
            distance,
            passages,
            shown: term.into(),
        }
    }

    fn rival(word: &str, distance: usize) -> Rival {
        Rival {
            word: word.into(),
            distance,
            frequency: english::frequency(word).expect("an English word"),
        }
    }

    fn shown_as(term: &str, shown: &str) -> Candidate {
        Candidate {
            shown: shown.into(),
            ..candidate(term, 1, 9)
        }
    }

    // The rule is given each rival's distance, as `nearby_words` measures it.
    #[test]
    fn an_everyday_word_loses_to_an_english_word_as_near_and_as_common() {
        let lexicon = Lexicon::parse("", std::path::Path::new("lexicon.toml")).unwrap();
        let scars = shown_as("scar", "scars");
        assert!(outranked(&scars, "scard", &[rival("scared", 1)], &lexicon));
        assert!(!outranked(&scars, "scard", &[rival("scared", 2)], &lexicon));
        let exist = shown_as("exist", "exists");
        assert!(
            outranked(&exist, "evista", &[rival("evita", 1)], &lexicon),
            "nearer wins, however rare"
        );
    }

    #[test]
    fn a_medical_word_loses_only_to_a_nearer_and_more_common_word() {
        let lexicon = Lexicon::parse(
            "[[group]]\nkind = \"lay\"\nterms = [\"palliative care\", \"comfort care\"]\n",
            std::path::Path::new("lexicon.toml"),
        )
        .unwrap();
        let palliative = shown_as("palliat", "palliative");
        assert!(!outranked(
            &palliative,
            "palative",
            &[rival("palatine", 1)],
            &lexicon
        ));
        assert!(
            outranked(&palliative, "palative", &[rival("putative", 1)], &lexicon),
            "a nearer word more common than the medical one wins"
        );
        let drug = shown_as("kisqali", "kisqali");
        assert!(
            !outranked(&drug, "kisqalli", &[rival("kismet", 1)], &lexicon),
            "as near"
        );
    }

    #[test]
    fn suggestions_put_the_corpus_words_first_at_equal_distance() {
        let candidates = [shown_as("scar", "scars")];
        let rivals = [rival("scared", 1), rival("scarf", 1), rival("scrabble", 2)];
        assert_eq!(
            suggestions("scard", &candidates, &rivals),
            ["scars", "scared", "scarf"]
        );
        assert_eq!(
            suggestions("skiiing", &[], &[rival("skiing", 1), rival("skiving", 2)]),
            ["skiing"],
            "an English word two edits away only when no corpus word is nearer"
        );
    }

    #[test]
    fn opposite_prefixes_are_swaps_in_both_directions_only() {
        assert!(swaps_opposite_prefix("hyperpituitar", "hypopituitar"));
        assert!(swaps_opposite_prefix("hypotens", "hypertens"));
        assert!(swaps_opposite_prefix("microcyt", "macrocyt"));
        assert!(!swaps_opposite_prefix("hypertens", "hypertension"));
        assert!(!swaps_opposite_prefix("tamoflexin", "tamoxifen"));
    }

    #[test]
    fn a_replacement_must_be_clearly_the_one_meant() {
        let best = |typed: &str, candidates: &[Candidate]| {
            clearly_best(typed, candidates).map(|c| c.term.clone())
        };
        assert_eq!(
            best("haert", &[candidate("heart", 1, 9)]).as_deref(),
            Some("heart")
        );
        assert_eq!(
            best("x", &[candidate("a", 1, 9), candidate("b", 2, 90)]).as_deref(),
            Some("a"),
            "nearer wins"
        );
        assert_eq!(
            best("x", &[candidate("a", 1, 9), candidate("b", 1, 3)]).as_deref(),
            Some("a"),
            "three times as common wins"
        );
        assert_eq!(
            best("x", &[candidate("a", 1, 5), candidate("b", 1, 3)]),
            None,
            "too close to call"
        );
        assert_eq!(
            best(
                "wory",
                &[candidate("worry", 1, 5), candidate("work", 1, 30)]
            )
            .as_deref(),
            Some("worry"),
            "the word with letters left out wins however common the other"
        );
        assert_eq!(best("x", &[]), None);
    }

    #[test]
    fn letters_left_out_are_the_typed_word_inside_a_longer_one() {
        assert!(letters_left_out("wory", "worry"));
        assert!(letters_left_out("opnion", "opinion"));
        assert!(!letters_left_out("wory", "work"), "a letter changed");
        assert!(!letters_left_out("opnion", "option"));
        assert!(!letters_left_out("worry", "worry"), "the same word");
        assert!(!letters_left_out("brest", "best"), "a letter too many");
    }
}
