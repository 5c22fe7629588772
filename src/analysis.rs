//! Text analysis shared by indexing and querying: the medical tokenizer, the filter chain around
//! it, the build's one-pass analysis ([`encode_terms`]) and the tokenizer the index reads its
//! output with. It owns how text becomes terms; it does not decide which terms a query searches
//! (that is `search::interpret` and `search::plan`).
//!
//! Clinical shorthand is split by ordinary tokenizers into meaningless pieces: `HER2/neu` becomes
//! `her2` + `neu`, `ER+` loses its polarity and becomes `er`. The [`MedicalTokenizer`] keeps such
//! compounds whole *and* emits their parts at the same positions, so `HER2/neu`, `her2` and `neu`
//! all find the passage, while `ER+` and `ER-` stay distinct terms.
//!
//! ```
//! let mut analyzer = mbc::analysis::medical_analyzer();
//! let terms: Vec<String> = mbc::analysis::analyze(&mut analyzer, "HER2/neu and ER+ tumours")
//!     .into_iter()
//!     .map(|t| t.term)
//!     .collect();
//! assert_eq!(terms, ["her2/neu", "her2", "neu", "er+", "er", "tumour"]);
//! ```

mod normalize;
mod sequence;
mod terms;
mod tokenizer;

use std::ops::Range;

use tantivy::tokenizer::{TextAnalyzer, TokenStream, TokenizerManager};

pub(crate) use normalize::{for_each_term, for_each_term_where};
pub use sequence::TermSequenceTokenizer;
pub use terms::{PassageTerms, TermSet};
pub use tokenizer::MedicalTokenizer;
pub use tokenizer::is_apostrophe;

/// Name of the tokenizer of the indexed text fields, which receive text already analyzed by
/// [`encode_terms`].
pub const TERM_SEQUENCE: &str = "mbc_terms";

/// Tokens longer than this (bytes) are dropped: they are base64, URLs or garbage, never words a
/// person would search, and they would bloat the term dictionary.
const MAX_TOKEN_BYTES: usize = 48;

/// English stop words (the common NLTK list), minus the words that change the meaning of medical
/// text: negations ("not HER2-positive", "no symptoms", "nor", "against") and time and degree
/// relations ("before menopause" ≠ "after menopause", "more", "most", "few", "only", "over",
/// "under", "during", "until", "above", "below").
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "again",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "being",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "each",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "may",
    "me",
    "might",
    "my",
    "myself",
    "now",
    "of",
    "off",
    "on",
    "once",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "own",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "up",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// Builds the analyzer used for every text field: the medical tokenizer, then a length limit,
/// lower-casing, accent folding, stop words (negations kept) and English stemming, memoised per
/// word (see `normalize`).
pub fn medical_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(MedicalTokenizer)
        .filter(normalize::Normalizer)
        .build()
}

/// True for the characters that reorder the text around them (bidirectional embeddings,
/// overrides, isolates and marks): dropped from what is printed, and from a query.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}')
}

/// True for the characters that take no room and format the text around them: a zero-width
/// space or a soft hyphen inside a word, pasted from a web page, split "ch\u{200b}emo" into two
/// words found nowhere, and a right-to-left override came back in `searched`, where it can
/// turn the text shown after it around.
pub fn is_invisible(c: char) -> bool {
    is_bidi_control(c)
        || matches!(
            c,
            '\u{00ad}' | '\u{200b}'..='\u{200d}' | '\u{2060}'..='\u{2064}' | '\u{feff}'
        )
}

/// `word` lower-cased with its accents folded ("naïve" → "naive", "Café" → "cafe"), as the
/// analyzer folds them, but not stemmed: the form an English word list knows.
pub fn folded(word: &str) -> String {
    let mut folder = TextAnalyzer::builder(tantivy::tokenizer::RawTokenizer::default())
        .filter(tantivy::tokenizer::LowerCaser)
        .filter(tantivy::tokenizer::AsciiFoldingFilter)
        .build();
    let mut stream = folder.token_stream(word);
    let mut out = String::new();
    while stream.advance() {
        out.push_str(&stream.token().text);
    }
    out
}

/// Registers the tokenizer of the indexed text fields with an index's tokenizer manager. Called
/// on create *and* on open, because tantivy does not persist custom tokenizers.
pub fn register(manager: &TokenizerManager) {
    manager.register(TERM_SEQUENCE, TextAnalyzer::from(TermSequenceTokenizer));
}

/// One analyzed token: the indexed term, its position and the byte range it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalyzedToken {
    pub term: String,
    pub position: usize,
    pub range: Range<usize>,
}

/// Runs the analyzer over `text` and collects every token it emits.
pub fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<AnalyzedToken> {
    let mut stream = analyzer.token_stream(text);
    let mut tokens = Vec::new();
    while stream.advance() {
        let token = stream.token();
        tokens.push(AnalyzedToken {
            term: token.text.clone(),
            position: token.position,
            range: token.offset_from..token.offset_to,
        });
    }
    tokens
}

/// How a word relates to the clinical shorthand the tokenizer recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordKind {
    /// An ordinary word: one term.
    Simple,
    /// Parts joined by `/` or `-` (`HER2/neu`, `T-DXd`, `triple-negative`): indexed whole and by
    /// its parts.
    Compound,
    /// A short marker with a receptor sign (`ER+`, `HER2-`): the sign is meaningful.
    Polar,
}

/// A word of analyzed text: its whole term and, for compounds, the parts indexed beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalyzedWord {
    pub term: String,
    pub kind: WordKind,
    pub position: usize,
    pub range: Range<usize>,
    /// `(position, term)` of each part; empty for simple words.
    pub parts: Vec<(usize, String)>,
}

/// The terms of `words` in order, a compound by its parts ("non-small-cell": non, small, cell),
/// each with the index of its word.
pub fn flat_terms(words: &[AnalyzedWord]) -> Vec<(&str, usize)> {
    let mut terms = Vec::with_capacity(words.len());
    for (i, word) in words.iter().enumerate() {
        if word.parts.is_empty() {
            terms.push((word.term.as_str(), i));
        } else {
            terms.extend(word.parts.iter().map(|(_, part)| (part.as_str(), i)));
        }
    }
    terms
}

/// Groups analyzed tokens into words: a compound's parts are folded into the compound.
pub fn analyze_words(analyzer: &mut TextAnalyzer, text: &str) -> Vec<AnalyzedWord> {
    let mut words: Vec<AnalyzedWord> = Vec::new();
    for token in analyze(analyzer, text) {
        if let Some(last) = words.last_mut() {
            let inside = token.range.start >= last.range.start && token.range.end <= last.range.end;
            if last.kind != WordKind::Simple && inside {
                last.parts.push((token.position, token.term));
                continue;
            }
        }
        let kind = word_kind(&token.term);
        words.push(AnalyzedWord {
            term: token.term,
            kind,
            position: token.position,
            range: token.range,
            parts: Vec::new(),
        });
    }
    words
}

/// Negations typed without their apostrophe. They are searched as typed (the urgent rule reads
/// "cant walk"), but no text spells them so: such a word is neither corrected nor reported as
/// missing, and a passage with "not" covers it. Otherwise "my husband cant cope" was judged
/// to be about nothing, its "cant" weighing as the rarest word of all and carrying the question.
const NEGATIONS: [&str; 15] = [
    "arent", "cant", "couldnt", "didnt", "doesnt", "dont", "hadnt", "hasnt", "havent", "isnt",
    "shouldnt", "wasnt", "werent", "wont", "wouldnt",
];

/// Whether `word`, as typed, is one of the [`NEGATIONS`], with or without its apostrophe
/// ("shouldn't", "shouldnt").
pub fn is_negation(word: &str) -> bool {
    let bare = word.chars().filter(|c| !is_apostrophe(*c));
    NEGATIONS
        .iter()
        .any(|n| bare.clone().map(|c| c.to_ascii_lowercase()).eq(n.chars()))
}

/// Negations written out, and the contractions that say the same: "cannot walk", "can not
/// walk", "unable to walk" and "not able to walk" all say "cant walk", as the urgent list
/// writes it. Only "cant" and "can't" were read, so "i cannot breathe" had no urgent notice.
/// Longer forms come first: "is not able to" is "cant", not "isnt able to".
const WRITTEN_OUT_NEGATIONS: [(&[&str], &str); 15] = [
    (&["cannot"], "cant"),
    (&["can", "not"], "cant"),
    (&["unable", "to"], "cant"),
    (&["is", "not", "able", "to"], "cant"),
    (&["not", "able", "to"], "cant"),
    (&["will", "not"], "wont"),
    (&["would", "not"], "wouldnt"),
    (&["do", "not"], "dont"),
    (&["does", "not"], "doesnt"),
    (&["did", "not"], "didnt"),
    (&["have", "not"], "havent"),
    (&["has", "not"], "hasnt"),
    (&["had", "not"], "hadnt"),
    (&["could", "not"], "couldnt"),
    (&["is", "not"], "isnt"),
];

/// `words` (as [`written_words`] gives them) with each negation written out as its
/// contraction ([`WRITTEN_OUT_NEGATIONS`]).
pub fn contract_negations(words: Vec<String>) -> Vec<String> {
    let mut contracted = Vec::with_capacity(words.len());
    let mut at = 0;
    while at < words.len() {
        let rest = &words[at..];
        let found = WRITTEN_OUT_NEGATIONS.iter().find(|(long, _)| {
            rest.len() >= long.len() && long.iter().zip(rest).all(|(l, w)| *l == w)
        });
        match found {
            Some((long, short)) => {
                contracted.push((*short).to_string());
                at += long.len();
            }
            None => {
                contracted.push(words[at].clone());
                at += 1;
            }
        }
    }
    contracted
}

/// `word` without its apostrophes, as the analyzer reads it: "what's" is "whats".
pub fn without_apostrophes(word: &str) -> String {
    word.chars().filter(|c| !is_apostrophe(*c)).collect()
}

/// Words as written, lower-cased, with a typographic apostrophe made plain: what the stop words of
/// a term that analysis leaves as one word are compared as (`lexicon`, `symptoms`).
pub fn written_words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .replace(is_apostrophe, "'")
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect()
}

/// Words as written ([`written_words`]) in the one form in which a query and a phrase of the
/// urgent list are compared: apostrophes left out, negations contracted and decimals cut to
/// whole numbers, so that "don't", "dont" and "do not" are one word ("dont"), and "39.2" is
/// "39".
pub fn canonical_written(text: &str) -> Vec<String> {
    canonical(written_words(&whole_numbers(text)))
}

/// `text` with each decimal number cut to its whole part ("39.2 degrees" as "39 degrees"): a
/// temperature is listed by its whole degrees, and "she has 39.2 degrees" had no notice.
fn whole_numbers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut after_digit = false;
    while let Some(c) = chars.next() {
        if after_digit && matches!(c, '.' | ',') && chars.peek().is_some_and(char::is_ascii_digit) {
            while chars.next_if(char::is_ascii_digit).is_some() {}
            continue;
        }
        after_digit = c.is_ascii_digit();
        out.push(c);
    }
    out
}

/// `words` as written, in the form [`canonical_written`] gives.
pub fn canonical(words: Vec<String>) -> Vec<String> {
    contract_negations(words.iter().map(|w| without_apostrophes(w)).collect())
}

/// For a term of several written words that analyzes to one word (`key`), its stop words being
/// dropped ("off work" as `work`): its written words and which of them is `key`; `None` for any
/// other term. Such a term can only be matched with its words as written.
pub fn kept_among_stop_words(
    analyzer: &mut TextAnalyzer,
    term: &str,
    key: &[String],
) -> Option<(Vec<String>, usize)> {
    let words = written_words(term);
    if key.len() != 1 || words.len() < 2 {
        return None;
    }
    // A compound ("t-dm1", "side-effects") is one word to analysis and two written: no
    // written word of it is the key alone.
    let kept = words.iter().position(|w| word_terms(analyzer, w) == key)?;
    Some((words, kept))
}

/// The terms of `text`'s words, in order (a compound whole, not its parts).
pub fn word_terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    analyze_words(analyzer, text)
        .into_iter()
        .map(|w| w.term)
        .collect()
}

fn word_kind(term: &str) -> WordKind {
    if term.contains(['/', '-']) && term.len() > 1 && !term.ends_with('-') {
        WordKind::Compound
    } else if term.ends_with(['+', '-']) {
        WordKind::Polar
    } else {
        WordKind::Simple
    }
}

/// The plain terms of a text in order (compounds reduced to their parts): what phrase-like
/// matching such as approach tagging compares.
/// (The build gets them from [`encode_terms`], in the same pass as the indexed terms.)
pub fn plain_terms(text: &str) -> Vec<String> {
    plain_terms_and_openers(text).0
}

/// [`plain_terms`], and for each whether it opens a sentence (see [`encode_terms`]).
pub fn plain_terms_and_openers(text: &str) -> (Vec<String>, Vec<bool>) {
    let mut terms = Vec::new();
    let mut opens = Vec::new();
    let mut openers = SentenceOpeners::new(text);
    let mut visit = |term: &str, range: Range<usize>| {
        terms.push(term.to_string());
        opens.push(openers.opens(range));
    };
    let mut plain = PlainTerms::default();
    for_each_term(text, |term, range, _| plain.feed(term, range, &mut visit));
    plain.finish(&mut visit);
    (terms, opens)
}

/// Analyzes `text` once for the index build: appends its terms to `encoded` as a term sequence
/// (what the [`TERM_SEQUENCE`] tokenizer reads back) and calls `plain` with each of its
/// [`plain_terms`], and whether the term opens a sentence.
pub fn encode_terms(text: &str, encoded: &mut String, mut plain: impl FnMut(&str, bool)) {
    let mut plain_terms = PlainTerms::default();
    let mut openers = SentenceOpeners::new(text);
    let mut visit = |term: &str, range: Range<usize>| plain(term, openers.opens(range));
    let mut previous = 0;
    for_each_term(text, |term, range, position| {
        sequence::push_term(encoded, term, position, previous);
        previous = position;
        plain_terms.feed(term, range, &mut visit);
    });
    plain_terms.finish(&mut visit);
}

/// Reduces a stream of analyzed terms to plain terms. A compound or polar whole waits until we
/// know whether any of its parts survived analysis; it stands for itself only if none did.
#[derive(Default)]
struct PlainTerms {
    /// The waiting whole, its byte range and whether a part of it has been seen.
    pending: Option<(String, Range<usize>, bool)>,
}

impl PlainTerms {
    fn feed(
        &mut self,
        term: &str,
        range: Range<usize>,
        visit: &mut impl FnMut(&str, Range<usize>),
    ) {
        if let Some((whole, whole_range, has_parts)) = &mut self.pending {
            if range.start >= whole_range.start && range.end <= whole_range.end {
                *has_parts = true;
                visit(term, range);
                return;
            }
            if !*has_parts {
                visit(whole, whole_range.clone());
            }
            self.pending = None;
        }
        if word_kind(term) == WordKind::Simple {
            visit(term, range);
        } else {
            self.pending = Some((term.to_string(), range, false));
        }
    }

    fn finish(self, visit: &mut impl FnMut(&str, Range<usize>)) {
        if let Some((whole, range, false)) = self.pending {
            visit(&whole, range);
        }
    }
}

/// Tells, term by term, which plain term opens a statement in a text: the first of the text, or
/// of a sentence (after a full stop or an exclamation mark, or after a question), unless the
/// sentence it opens is itself a question. Approach tagging reads a term that opens a statement
/// as its subject; a question ("Will a CDK4/6 inhibitor be added?") explains nothing.
struct SentenceOpeners<'a> {
    text: &'a str,
    /// Where the previous plain term ended.
    previous_end: Option<usize>,
}

impl<'a> SentenceOpeners<'a> {
    fn new(text: &'a str) -> Self {
        SentenceOpeners {
            text,
            previous_end: None,
        }
    }

    /// Whether the plain term at `range` opens a statement.
    fn opens(&mut self, range: Range<usize>) -> bool {
        let starts_sentence = match self.previous_end {
            None => true,
            Some(end) => self
                .text
                .get(end.min(range.start)..range.start)
                .is_some_and(|gap| gap.contains(SENTENCE_ENDS)),
        };
        self.previous_end = Some(range.end.max(self.previous_end.unwrap_or(0)));
        starts_sentence && !self.is_question(range.start)
    }

    /// Whether the sentence going on at `at` ends with a question mark.
    fn is_question(&self, at: usize) -> bool {
        let rest = self.text.get(at..).unwrap_or("");
        rest.find(SENTENCE_ENDS)
            .is_some_and(|end| rest[end..].starts_with('?'))
    }
}

const SENTENCE_ENDS: [char; 3] = ['.', '!', '?'];

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        analyze(&mut medical_analyzer(), text)
            .into_iter()
            .map(|t| t.term)
            .collect()
    }

    #[test]
    fn a_negation_is_read_with_or_without_its_apostrophe_in_any_case() {
        for word in ["cant", "can't", "Can\u{2019}t", "DONT", "wouldn't"] {
            assert!(is_negation(word), "{word:?} is a negation");
        }
        for word in ["can", "cantaloupe", "canst", "don", "t", "", "'"] {
            assert!(!is_negation(word), "{word:?} is no negation");
        }
    }

    #[test]
    fn medical_shorthand_is_findable_whole_and_by_parts() {
        let cases: &[(&str, &[&str])] = &[
            ("HER2/neu", &["her2/neu", "her2", "neu"]),
            ("HER2+", &["her2+", "her2"]),
            ("ER+", &["er+", "er"]),
            ("ER-", &["er-", "er"]),
            ("HR+", &["hr+", "hr"]),
            ("CDK4/6", &["cdk4/6", "cdk4", "6"]),
            ("T-DM1", &["t-dm1", "t", "dm1"]),
            ("T-DXd", &["t-dxd", "t", "dxd"]),
            ("5-FU", &["5-fu", "5", "fu"]),
            ("BRCA1/2", &["brca1/2", "brca1", "2"]),
            ("PD-L1", &["pd-l1", "pd", "l1"]),
        ];
        for (input, expected) in cases {
            assert_eq!(terms(input), *expected, "analysing {input:?}");
        }
    }

    #[test]
    fn receptor_polarity_is_kept() {
        assert_ne!(terms("ER+")[0], terms("ER-")[0]);
    }

    #[test]
    fn lowercases_folds_accents_and_stems() {
        assert_eq!(terms("Métastases TREATMENTS"), ["metastas", "treatment"]);
    }

    #[test]
    fn stop_words_go_but_negations_stay() {
        assert_eq!(
            terms("the cancer is not without no hope"),
            ["cancer", "not", "without", "no", "hope"]
        );
    }

    #[test]
    fn hyphen_used_as_punctuation_is_not_a_compound() {
        assert_eq!(terms("pain - and fatigue"), ["pain", "fatigu"]);
    }

    #[test]
    fn a_phrase_as_written_reads_decimals_as_whole_numbers_and_any_apostrophe_as_one() {
        assert_eq!(canonical_written("39.2 degrees"), ["39", "degrees"]);
        assert_eq!(canonical_written("38,5 degrees"), ["38", "degrees"]);
        assert_eq!(
            canonical_written("she can\u{b4}t walk"),
            ["she", "cant", "walk"]
        );
        assert_eq!(canonical_written("do not go."), ["dont", "go"]);
    }

    #[test]
    fn apostrophes_do_not_split_words() {
        assert_eq!(terms("St John's wort"), ["st", "john", "wort"]);
    }

    #[test]
    fn compound_parts_share_positions_with_the_whole() {
        let tokens = analyze(&mut medical_analyzer(), "HER2/neu positive");
        let positions: Vec<usize> = tokens.iter().map(|t| t.position).collect();
        assert_eq!(positions, [0, 0, 1, 2]);
    }

    #[test]
    fn words_group_compound_parts() {
        let words = analyze_words(&mut medical_analyzer(), "ER+ and HER2/neu");
        assert_eq!(words.len(), 2);
        assert_eq!(words[0].kind, WordKind::Polar);
        assert_eq!(words[1].kind, WordKind::Compound);
        assert_eq!(words[1].parts.len(), 2);
    }

    #[test]
    fn plain_terms_are_words_with_compounds_reduced_to_their_parts() {
        let mut analyzer = medical_analyzer();
        let text = "ER+ tumours and HER2/neu, the T-DXd trial, a-";
        let from_words: Vec<String> = analyze_words(&mut analyzer, text)
            .into_iter()
            .flat_map(|word| {
                if word.parts.is_empty() {
                    vec![word.term]
                } else {
                    word.parts.into_iter().map(|(_, part)| part).collect()
                }
            })
            .collect();
        assert_eq!(plain_terms(text), from_words);
        assert_eq!(
            from_words,
            ["er", "tumour", "her2", "neu", "t", "dxd", "trial", "a-"]
        );
    }

    #[test]
    fn a_term_opens_a_statement_after_a_full_stop_but_not_in_a_question() {
        let text = "Chemo helps. The palliative team eases pain: not cure. Will surgery help? \
                    Radiotherapy sometimes does!";
        let (terms, opens) = plain_terms_and_openers(text);
        let openers: Vec<&str> = terms
            .iter()
            .zip(&opens)
            .filter(|(_, opens)| **opens)
            .map(|(term, _)| term.as_str())
            .collect();
        let first = |word: &str| plain_terms(word).remove(0);
        assert_eq!(
            openers,
            [first("chemo"), first("palliative"), first("radiotherapy")]
        );
    }

    #[test]
    fn non_latin_text_yields_terms() {
        assert!(!terms("乳腺癌 转移").is_empty());
        assert!(!terms("рак молочной железы").is_empty());
    }

    /// The index is built from [`encode_terms`] and searched with [`medical_analyzer`]: both
    /// must give the same terms at the same positions, or queries would miss.
    #[test]
    fn the_build_indexes_exactly_the_terms_queries_look_for() {
        let texts = [
            include_str!("../corpus/000_83023b5a013b7893.txt"),
            "The ER+/PR- and HER2-negative tumour; T-DXd, 5-FU, CDK4/6 — St John's wort.",
            "a- -b ++ / HER2- receptor- and über-Métastases 乳腺癌 转移 рак",
            "",
        ];
        for text in texts {
            let expected: Vec<(String, usize)> = analyze(&mut medical_analyzer(), text)
                .into_iter()
                .map(|t| (t.term, t.position))
                .collect();
            let mut encoded = String::new();
            let mut plain = Vec::new();
            encode_terms(text, &mut encoded, |term, _| plain.push(term.to_string()));
            let mut tokenizer = TextAnalyzer::from(TermSequenceTokenizer);
            let mut stream = tokenizer.token_stream(&encoded);
            let mut decoded = Vec::new();
            while stream.advance() {
                decoded.push((stream.token().text.clone(), stream.token().position));
            }
            assert_eq!(decoded, expected);
            assert_eq!(plain, plain_terms(text));
        }
    }
}
