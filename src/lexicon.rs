//! The synonym lexicon (`lexicon.toml`): brand ↔ generic names, abbreviations, lay ↔ clinical
//! words and known misspellings. It answers "what else should this query also search?"; how the
//! expansions are weighted is decided in `search::plan`. It also names statuses that exclude
//! each other (`[[contrary]]`: HER2-positive and HER2-negative disease), which `search::contrary`
//! uses to keep a passage about one side from answering a question about the other.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use tantivy::tokenizer::TextAnalyzer;

use crate::analysis::{
    AnalyzedWord, analyze_words, kept_among_stop_words, medical_analyzer, word_terms, written_words,
};
use crate::{Error, Result};

/// File name of the lexicon inside a corpus directory.
pub const FILE_NAME: &str = "lexicon.toml";

/// File name of the lexicon an index keeps, analyzed (see [`Lexicon::to_indexed`]).
pub const INDEXED_FILE_NAME: &str = "lexicon.json";

/// The lexicon shipped with `mbc`, used when a corpus has none of its own.
pub const BUNDLED: &str = include_str!("../corpus/lexicon.toml");

/// Why two terms are related.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SynonymKind {
    Brand,
    Abbreviation,
    Lay,
    Misspelling,
}

impl SynonymKind {
    /// The kind's name as `lexicon.toml` and JSON spell it.
    pub fn name(self) -> &'static str {
        match self {
            SynonymKind::Brand => "brand",
            SynonymKind::Abbreviation => "abbreviation",
            SynonymKind::Lay => "lay",
            SynonymKind::Misspelling => "misspelling",
        }
    }
}

/// A group of terms: `terms` are equivalent both ways; `narrower` are searched too when a query
/// names one of `terms`, never the other way round.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SynonymGroup {
    pub kind: SynonymKind,
    pub terms: Vec<String>,
    #[serde(default)]
    pub narrower: Vec<String>,
    /// True when the terms name a person a question is about or for ("mum", "husband"):
    /// whether a passage answers the question hardly hangs on them (see
    /// `search::about::people_weigh_least`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub person: bool,
}

/// Two sides that exclude each other, each a list of groups named by one of their terms: a
/// cancer is HER2-positive or it is HER2-negative, low, ultralow or triple-negative. `names`
/// are what people are shown for each side.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ContraryFile {
    sides: [Vec<String>; 2],
    names: [String; 2],
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    #[serde(default)]
    group: Vec<SynonymGroup>,
    #[serde(default)]
    contrary: Vec<ContraryFile>,
}

/// A `[[contrary]]` pair: each side's groups, by index, and its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contrary {
    pub sides: [Vec<usize>; 2],
    pub names: [String; 2],
}

/// The lexicon as an index keeps it: its groups and each term's analyzed words, so that opening
/// an index neither parses TOML nor analyzes a term (that took a fifth of a one-shot search).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct IndexedLexicon {
    groups: Vec<SynonymGroup>,
    /// The analyzed words of each term, and its group.
    keys: Vec<(Vec<String>, usize)>,
    /// The terms that only their stop words tell apart from one word ([`WithStopWords`]).
    with_stop_words: Vec<(String, WithStopWords)>,
    contrary: Vec<Contrary>,
}

/// A term of several words that analysis leaves as one ("off work" as `work`, "feeling down"
/// as `feel`: "off" and "down" are stop words). Matched by its one word alone, it would read
/// "does chemo work" as a question about a job, so it matches only where the query has the
/// term's other words around that word, as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WithStopWords {
    /// The term's words as written, lower-cased ([`written_words`]).
    words: Vec<String>,
    /// Which of `words` is the one analysis keeps.
    kept: usize,
    group: usize,
}

impl WithStopWords {
    fn of(analyzer: &mut TextAnalyzer, term: &str, key: &[String], group: usize) -> Option<Self> {
        let (words, kept) = kept_among_stop_words(analyzer, term, key)?;
        Some(WithStopWords { words, kept, group })
    }

    /// True if `text` has the term's other words right around the word at `range`.
    fn around(&self, text: &str, range: &Range<usize>) -> bool {
        let (Some(before), Some(after)) = (text.get(..range.start), text.get(range.end..)) else {
            return false;
        };
        let before = written_words(before);
        let after = written_words(after);
        let (want_before, want_after) = (&self.words[..self.kept], &self.words[self.kept + 1..]);
        before.ends_with(want_before) && after.starts_with(want_after)
    }
}

/// One thing a query also searches because of the lexicon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expansion {
    /// The lexicon term as written, for display ("also searched: trastuzumab").
    pub text: String,
    pub kind: SynonymKind,
    /// The analyzed words of `text`, ready to become a term or phrase query.
    pub words: Vec<AnalyzedWord>,
    /// True for the group's first term, the name shown to people ("trastuzumab" for
    /// Herceptin and its biosimilars).
    pub canonical: bool,
}

/// A match of a lexicon term inside a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexiconMatch {
    /// Index of the first query word matched and how many words it spans.
    pub start: usize,
    pub len: usize,
    /// The group matched.
    pub group: usize,
    pub expansions: Vec<Expansion>,
    /// True when the term matched has more words as written than analyzed ("how long have i
    /// got", "off work"): its stop words were part of the match.
    pub phrase: bool,
}

/// The lexicon, indexed by the analyzed form of each term.
#[derive(Clone)]
pub struct Lexicon {
    groups: Vec<SynonymGroup>,
    /// Analyzed word keys of each term → group index.
    by_key: HashMap<Vec<String>, usize>,
    /// The one analyzed word of each [`WithStopWords`] term → those terms.
    with_stop_words: HashMap<String, Vec<WithStopWords>>,
    /// Longest term, in words: bounds the matching window.
    longest: usize,
    contrary: Vec<Contrary>,
    analyzer: TextAnalyzer,
    /// Each group's terms as expansions, analyzed the first time a query matches the group:
    /// analyzing them on every match was half of what planning a query cost a server, while
    /// analyzing all of them up front would slow every one-shot search's start.
    expandable: Vec<OnceLock<Vec<Expandable>>>,
}

/// One term of a group, analyzed for expanding a query with it.
#[derive(Clone)]
struct Expandable {
    expansion: Expansion,
    /// Its analyzed words, as `by_key` keys them.
    key: Vec<String>,
}

/// A cell per group for [`Lexicon::expandable`].
fn unprepared(groups: usize) -> Vec<OnceLock<Vec<Expandable>>> {
    (0..groups).map(|_| OnceLock::new()).collect()
}

impl std::fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lexicon")
            .field("groups", &self.groups.len())
            .finish()
    }
}

impl Lexicon {
    /// Parses lexicon TOML; a term that appears in two groups' `terms` is an error.
    pub fn parse(text: &str, origin: &Path) -> Result<Self> {
        let data_error = |message: String| Error::DataFile {
            path: origin.to_path_buf(),
            message,
        };
        let file: LexiconFile = toml::from_str(text).map_err(|e| data_error(e.to_string()))?;
        let mut analyzer = medical_analyzer();
        let mut by_key: HashMap<Vec<String>, usize> = HashMap::new();
        let mut with_stop_words: HashMap<String, Vec<WithStopWords>> = HashMap::new();
        let mut longest = 0;
        let mut conflicts = Vec::new();
        for (index, group) in file.group.iter().enumerate() {
            for term in &group.terms {
                let key = word_terms(&mut analyzer, term);
                if key.is_empty() {
                    return Err(data_error(format!("term `{term}` has no searchable words")));
                }
                if let Some(term) = WithStopWords::of(&mut analyzer, term, &key, index) {
                    let terms = with_stop_words.entry(key[0].clone()).or_default();
                    if let Some(other) = terms.iter().find(|t| t.words == term.words) {
                        conflicts.push(format!(
                            "`{}` (groups `{}` and `{}`)",
                            term.words.join(" "),
                            file.group[other.group].terms[0],
                            group.terms[0]
                        ));
                    }
                    terms.push(term);
                    continue;
                }
                longest = longest.max(key.len());
                match by_key.get(&key) {
                    Some(&other) if other != index => conflicts.push(format!(
                        "`{term}` (groups `{}` and `{}`)",
                        file.group[other].terms[0], group.terms[0]
                    )),
                    _ => {
                        by_key.insert(key, index);
                    }
                }
            }
        }
        if !conflicts.is_empty() {
            return Err(data_error(format!(
                "terms in two groups (after stemming): {}",
                conflicts.join(", ")
            )));
        }
        let contrary = file
            .contrary
            .iter()
            .map(|pair| contrary_groups(pair, &mut analyzer, &by_key))
            .collect::<std::result::Result<_, _>>()
            .map_err(data_error)?;
        Ok(Lexicon {
            expandable: unprepared(file.group.len()),
            groups: file.group,
            by_key,
            with_stop_words,
            longest,
            contrary,
            analyzer,
        })
    }

    /// The lexicon, analyzed, as an index keeps it ([`INDEXED_FILE_NAME`]).
    pub fn to_indexed(&self) -> String {
        let indexed = IndexedLexicon {
            groups: self.groups.clone(),
            keys: self
                .by_key
                .iter()
                .map(|(key, &group)| (key.clone(), group))
                .collect(),
            with_stop_words: self
                .with_stop_words
                .iter()
                .flat_map(|(key, terms)| terms.iter().map(|t| (key.clone(), t.clone())))
                .collect(),
            contrary: self.contrary.clone(),
        };
        serde_json::to_string(&indexed).expect("a lexicon serializes")
    }

    /// Reads the lexicon an index keeps ([`Lexicon::to_indexed`]); it was checked when the
    /// index was built, so only its shape is checked here.
    pub fn parse_indexed(text: &str, origin: &Path) -> Result<Self> {
        let data_error = |message: String| Error::DataFile {
            path: origin.to_path_buf(),
            message,
        };
        let indexed: IndexedLexicon =
            serde_json::from_str(text).map_err(|e| data_error(e.to_string()))?;
        if let Some((key, _)) = indexed
            .keys
            .iter()
            .find(|(key, group)| key.is_empty() || *group >= indexed.groups.len())
        {
            return Err(data_error(format!("holds a term it cannot use: {key:?}")));
        }
        if let Some((_, term)) = indexed
            .with_stop_words
            .iter()
            .find(|(_, t)| t.group >= indexed.groups.len() || t.kept >= t.words.len())
        {
            return Err(data_error(format!(
                "holds a term it cannot use: {:?}",
                term.words
            )));
        }
        let groups = indexed.groups.len();
        let mut named = indexed
            .contrary
            .iter()
            .flat_map(|c| c.sides.iter().flatten());
        if named.any(|&g| g >= groups) {
            return Err(data_error("names a contrary group it does not have".into()));
        }
        Ok(Lexicon {
            longest: indexed
                .keys
                .iter()
                .map(|(key, _)| key.len())
                .max()
                .unwrap_or(0),
            by_key: indexed.keys.into_iter().collect(),
            with_stop_words: indexed.with_stop_words.into_iter().fold(
                HashMap::new(),
                |mut map: HashMap<String, Vec<WithStopWords>>, (key, term)| {
                    map.entry(key).or_default().push(term);
                    map
                },
            ),
            expandable: unprepared(indexed.groups.len()),
            groups: indexed.groups,
            contrary: indexed.contrary,
            analyzer: medical_analyzer(),
        })
    }

    /// Reads `lexicon.toml` from a directory, falling back to the bundled lexicon; returns the
    /// lexicon and the TOML text it came from.
    pub fn load_from_dir(dir: Option<&Path>) -> Result<(Self, String)> {
        let (text, origin) = crate::corpus::read_data_file(dir, FILE_NAME, BUNDLED)?;
        Ok((Self::parse(&text, &origin)?, text))
    }

    pub fn groups(&self) -> &[SynonymGroup] {
        &self.groups
    }

    /// True if `term` (any spelling the analyzer maps to the same words) is in some group.
    pub fn contains(&self, term: &str) -> bool {
        let key = word_terms(&mut self.analyzer.clone(), term);
        self.by_key.contains_key(&key)
            || matches!(key.as_slice(), [one] if self.with_stop_words.contains_key(one))
    }

    /// The word a lexicon misspelling stands for, with its analyzed term: "capecitibine" is
    /// "capecitabine". Only a misspelling group's `terms` that point at one word qualify; the
    /// spelling variants listed under a drug's `narrower` are searched, not corrected.
    pub fn correction_of(&self, typed: &str) -> Option<(String, &str)> {
        let key = word_terms(&mut self.analyzer.clone(), typed);
        let group = &self.groups[*self.by_key.get(&key)?];
        match (group.kind, group.narrower.as_slice()) {
            (SynonymKind::Misspelling, [right]) if !right.contains(' ') => {
                let [term] =
                    <[String; 1]>::try_from(word_terms(&mut self.analyzer.clone(), right)).ok()?;
                Some((term, right.as_str()))
            }
            _ => None,
        }
    }

    /// True if `term`, an analyzed word, is one of the words of some lexicon term ("ductal" of
    /// "ductal carcinoma in situ") that is not a misspelling: "tounge" of "sore tounge" is no
    /// real word, and is still offered "tongue". Read only for words no passage uses, so a scan
    /// will do.
    pub fn has_word(&self, term: &str) -> bool {
        self.by_key.iter().any(|(key, &group)| {
            self.groups[group].kind != SynonymKind::Misspelling && key.iter().any(|w| w == term)
        })
    }

    /// True when `word` is one of the `terms` of a group that is not of misspellings: a word
    /// the lexicon searches both ways, as people mean it ("husband"), not a variant listed to be
    /// found (`narrower`) nor a misspelling.
    pub fn is_meant_term(&self, word: &str) -> bool {
        self.groups.iter().any(|g| {
            g.kind != SynonymKind::Misspelling
                && g.terms.iter().any(|t| t.eq_ignore_ascii_case(word))
        })
    }

    /// Every lexicon term written in one piece (no spaces): candidates for typo correction.
    pub fn single_word_terms(&self) -> impl Iterator<Item = &str> {
        self.groups
            .iter()
            .flat_map(|g| g.terms.iter().chain(&g.narrower))
            .map(String::as_str)
            .filter(|t| !t.contains(' '))
    }

    /// The words of the terms written in several words that the lexicon searches as meant
    /// (not its misspellings): "killers" of "pain killers".
    pub fn words_of_phrases(&self) -> impl Iterator<Item = &str> {
        self.groups
            .iter()
            .filter(|g| g.kind != SynonymKind::Misspelling)
            .flat_map(|g| &g.terms)
            .filter(|t| t.contains(' '))
            .flat_map(|t| t.split(' '))
    }

    /// Finds lexicon terms in a query's words, longest match first, left to right. `text` is
    /// what `words` were analyzed from: a term that only its stop words make more than one
    /// word ([`WithStopWords`]) is matched against it, after the terms of several analyzed
    /// words and before those of one.
    pub fn matches(&self, text: &str, words: &[AnalyzedWord]) -> Vec<LexiconMatch> {
        let keys: Vec<String> = words.iter().map(|w| w.term.clone()).collect();
        let mut found = Vec::new();
        let mut start = 0;
        while start < keys.len() {
            let longest = self.longest.min(keys.len() - start);
            let key = |len: usize| self.by_key.get(&keys[start..start + len]);
            let hit = (2..=longest)
                .rev()
                .find_map(|len| key(len).map(|&g| (len, g, false)))
                .or_else(|| {
                    self.with_stop_words
                        .get(&keys[start])?
                        .iter()
                        .find(|term| term.around(text, &words[start].range))
                        .map(|term| (1, term.group, true))
                })
                .or_else(|| key(1).map(|&g| (1, g, false)));
            match hit {
                Some((len, group, phrase)) => {
                    let expansions = self.expansions(group, &keys[start..start + len]);
                    found.push(LexiconMatch {
                        start,
                        len,
                        group,
                        expansions,
                        phrase: phrase || len > 1,
                    });
                    start += len;
                }
                None => start += 1,
            }
        }
        found
    }

    /// The `[[contrary]]` pairs.
    pub fn contrary(&self) -> &[Contrary] {
        &self.contrary
    }

    /// The analyzed names of the drugs (the terms of the "brand" groups), those `text` names
    /// apart from the rest: `(named, others)`. Both are empty when `text` names no drug.
    pub fn drug_names(&self, text: &str) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
        let is_drug = |group: usize| self.groups[group].kind == SynonymKind::Brand;
        let named: Vec<usize> = self
            .groups_in(text)
            .into_iter()
            .filter(|&g| is_drug(g))
            .collect();
        if named.is_empty() {
            return (Vec::new(), Vec::new());
        }
        let (own, rest): (Vec<_>, Vec<_>) = self
            .by_key
            .iter()
            .filter(|&(_, &group)| is_drug(group))
            .partition(|&(_, group)| named.contains(group));
        let keys = |pairs: Vec<(&Vec<String>, &usize)>| {
            pairs.into_iter().map(|(k, _)| k.clone()).collect()
        };
        (keys(own), keys(rest))
    }

    /// The groups whose terms `text` uses (as [`Lexicon::matches`] finds them).
    pub fn groups_in(&self, text: &str) -> Vec<usize> {
        let words = analyze_words(&mut self.analyzer.clone(), text);
        self.matches(text, &words)
            .into_iter()
            .map(|m| m.group)
            .collect()
    }

    /// The group's other terms and its narrower terms, minus any that analyze to `matched`.
    fn expansions(&self, group: usize, matched: &[String]) -> Vec<Expansion> {
        let mut seen: Vec<&[String]> = vec![matched];
        let mut out = Vec::new();
        for term in self.expandable(group) {
            if seen.contains(&term.key.as_slice()) {
                continue;
            }
            seen.push(&term.key);
            out.push(term.expansion.clone());
        }
        out
    }

    /// The terms of group `group` that can expand a query, analyzed on first use.
    fn expandable(&self, group: usize) -> &[Expandable] {
        self.expandable[group].get_or_init(|| {
            let group = &self.groups[group];
            let mut analyzer = self.analyzer.clone();
            let mut out = Vec::new();
            for (i, text) in group.terms.iter().chain(&group.narrower).enumerate() {
                let words = analyze_words(&mut analyzer, text);
                let key: Vec<String> = words.iter().map(|w| w.term.clone()).collect();
                // A term that is one word only without its stop words cannot be searched as
                // written: searched, "feeling down" would be any passage with "feel".
                let searchable = kept_among_stop_words(&mut analyzer, text, &key).is_none();
                if key.is_empty() || !searchable {
                    continue;
                }
                // A term that has a group of its own is described by that group: "tamoflexin"
                // reached from the tamoxifen group is still a misspelling.
                let kind = self
                    .by_key
                    .get(&key)
                    .map_or(group.kind, |&own| self.groups[own].kind);
                out.push(Expandable {
                    expansion: Expansion {
                        text: text.clone(),
                        kind,
                        words,
                        canonical: i == 0,
                    },
                    key,
                });
            }
            out
        })
    }
}

/// A `[[contrary]]` pair's sides as group indices; every name must be a term of some group, and
/// no group may be on both sides.
fn contrary_groups(
    pair: &ContraryFile,
    analyzer: &mut TextAnalyzer,
    by_key: &HashMap<Vec<String>, usize>,
) -> std::result::Result<Contrary, String> {
    let side = |names: &Vec<String>, analyzer: &mut TextAnalyzer| {
        names
            .iter()
            .map(|name| {
                by_key
                    .get(&word_terms(analyzer, name))
                    .copied()
                    .ok_or_else(|| format!("`[[contrary]]` names `{name}`, which is in no group"))
            })
            .collect::<std::result::Result<Vec<usize>, String>>()
    };
    let one = side(&pair.sides[0], analyzer)?;
    let other = side(&pair.sides[1], analyzer)?;
    if one.is_empty() || other.is_empty() {
        return Err("a `[[contrary]]` side names no group".into());
    }
    if one.iter().any(|g| other.contains(g)) {
        return Err("a `[[contrary]]` pair has one group on both sides".into());
    }
    Ok(Contrary {
        sides: [one, other],
        names: pair.names.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundled() -> Lexicon {
        Lexicon::parse(BUNDLED, Path::new("lexicon.toml")).unwrap()
    }

    fn expand(query: &str) -> Vec<String> {
        let lexicon = bundled();
        let words = analyze_words(&mut medical_analyzer(), query);
        lexicon
            .matches(query, &words)
            .into_iter()
            .flat_map(|m| m.expansions)
            .map(|e| e.text)
            .collect()
    }

    #[test]
    fn brand_names_expand_to_generic_and_back() {
        assert!(expand("herceptin").contains(&"trastuzumab".to_string()));
        assert!(expand("trastuzumab").contains(&"herceptin".to_string()));
    }

    #[test]
    fn longest_match_wins() {
        let expanded = expand("trastuzumab deruxtecan");
        assert!(expanded.contains(&"enhertu".to_string()), "{expanded:?}");
        assert!(!expanded.contains(&"herceptin".to_string()));
    }

    #[test]
    fn narrower_terms_are_one_way() {
        let lexicon = bundled();
        let one_way = lexicon
            .groups()
            .iter()
            .find(|g| !g.narrower.is_empty() && g.kind == SynonymKind::Lay)
            .cloned()
            .unwrap();
        let from = &one_way.terms[0];
        let to = &one_way.narrower[0];
        assert!(expand(from).contains(to));
        assert!(lexicon.contains(from));
    }

    #[test]
    fn the_lexicon_an_index_keeps_expands_as_the_toml_does() {
        let lexicon = bundled();
        let indexed =
            Lexicon::parse_indexed(&lexicon.to_indexed(), Path::new("lexicon.json")).unwrap();
        assert_eq!(indexed.groups(), lexicon.groups());
        assert_eq!(indexed.longest, lexicon.longest);
        for query in [
            "herceptin heart problems",
            "trastuzumab deruxtecan",
            "tamoflexin",
            "how long off work",
            "does chemo work",
        ] {
            let words = analyze_words(&mut medical_analyzer(), query);
            assert_eq!(
                indexed.matches(query, &words),
                lexicon.matches(query, &words),
                "{query}"
            );
        }
    }

    #[test]
    fn an_indexed_lexicon_with_a_term_of_no_group_is_refused() {
        let text =
            r#"{"groups":[],"keys":[[["trastuzumab"],0]],"with_stop_words":[],"contrary":[]}"#;
        let err = Lexicon::parse_indexed(text, Path::new("lexicon.json")).unwrap_err();
        assert!(err.to_string().contains("trastuzumab"), "{err}");
    }

    #[test]
    fn misspelling_reaches_the_correct_term() {
        assert!(expand("tamoflexin").contains(&"tamoxifen".to_string()));
        assert!(expand("tamoxifen").contains(&"tamoflexin".to_string()));
    }

    #[test]
    fn contrary_sides_name_groups_by_any_of_their_terms() {
        let lexicon = bundled();
        let [positive, negative] = &lexicon.contrary()[0].sides;
        let group_of = |term: &str| lexicon.groups_in(term)[0];
        assert_eq!(positive, &vec![group_of("HER2-positive")]);
        assert!(negative.contains(&group_of("triple negative")));
        let indexed =
            Lexicon::parse_indexed(&lexicon.to_indexed(), Path::new("lexicon.json")).unwrap();
        assert_eq!(indexed.contrary(), lexicon.contrary());
    }

    #[test]
    fn a_contrary_side_naming_no_group_is_rejected() {
        let groups = "[[group]]\nkind='abbreviation'\nterms=['er+']\n";
        let pair = "[[contrary]]\nnames=['ER-positive','ER-negative']\n";
        let unknown = format!("{groups}{pair}sides=[['er+'],['er-']]\n");
        let err = Lexicon::parse(&unknown, Path::new("lexicon.toml")).unwrap_err();
        assert!(
            err.to_string().contains("`er-`, which is in no group"),
            "{err}"
        );
        let both = format!("{groups}{pair}sides=[['er+'],['er+']]\n");
        let err = Lexicon::parse(&both, Path::new("lexicon.toml")).unwrap_err();
        assert!(err.to_string().contains("both sides"), "{err}");
    }

    #[test]
    fn a_term_that_stop_words_make_a_phrase_needs_them_around_its_word() {
        // "off", "down", "out", "how", "can" and "i" are stop words: alone, "work", "feel",
        // "burn" and "help" would have read every question with them as a job, low mood, burnout
        // or helping a friend.
        let reads_as = |query: &str, term: &str| expand(query).iter().any(|e| e == term);
        assert!(reads_as(
            "how long off work after radiotherapy",
            "sick leave"
        ));
        assert!(!reads_as("does chemo work", "sick leave"));
        assert!(!reads_as(
            "what if my treatment stops working",
            "sick leave"
        ));
        assert!(reads_as("burned out caring for mum", "burnout"));
        assert!(!reads_as("radiation burn on skin", "burnout"));
        assert!(reads_as("how can i help my sister", "supporting someone"));
        assert!(!reads_as("help paying for travel", "supporting someone"));
        // Nor is such a term searched as an expansion: "feeling down" would be any "feel".
        assert!(!expand("low mood").contains(&"feeling down".to_string()));
    }

    #[test]
    fn a_term_in_two_groups_is_rejected() {
        let text = "[[group]]\nkind='brand'\nterms=['a1','b1']\n[[group]]\nkind='lay'\nterms=['b1','c1']\n";
        let err = Lexicon::parse(text, Path::new("lexicon.toml")).unwrap_err();
        assert!(err.to_string().contains("two groups"), "{err}");
    }
}
