//! The treatment-approach taxonomy (`approaches.toml`): which approaches exist and how a passage
//! is recognised as being *about* one. It does not search; `search` filters on the tags it gives.

use std::path::Path;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;
use serde::Deserialize;

use crate::analysis::plain_terms;
#[cfg(test)]
use crate::analysis::plain_terms_and_openers;
use crate::{Error, Result};

/// File name of the taxonomy inside a corpus directory (and inside each index generation).
pub const FILE_NAME: &str = "approaches.toml";

/// The taxonomy shipped with `mbc`, used when a corpus has none of its own.
pub const BUNDLED: &str = include_str!("../corpus/approaches.toml");

/// Evidence a passage needs before it is tagged: a heading match alone is enough; term hits in
/// the text count one each when they are dense enough ([`TERMS_PER_MENTION`]); a document title
/// match or the author's own declaration add one to a passage that has evidence of its own.
const TAG_THRESHOLD: usize = 2;
const HEADING_WEIGHT: usize = TAG_THRESHOLD;
/// Evidence from an approach's term that opens a sentence of the passage ("Palliative care is
/// specialist care that …", "Dexamethasone, a steroid, reduces it"): the sentence is about it.
const SUBJECT_WEIGHT: usize = TAG_THRESHOLD;
/// An approach with less than 1/RELATIVE_SHARE of the strongest approach's evidence is a
/// mention in passing.
const RELATIVE_SHARE: usize = 2;
/// A passage is about at most this many approaches on the strength of its text; evidence for
/// more than that makes it an overview or a list, about the ones its heading names, if any.
const MOST_APPROACHES: usize = 2;
/// A passage is about an approach by its text when it mentions the approach at least once
/// per this many terms (twice as many in a text whose title names the approach). Chosen on the
/// tuning part of `tests/fixtures/tagging.toml` (266 passages), precision/recall: 0.876/0.858
/// at 15, 0.870/0.883 at 20, 0.853/0.883 at 25, 0.825/0.888 at 30 (measured before "despite"
/// joined [`EARLIER_TREATMENT`], which made 20 give 0.874/0.883).
const TERMS_PER_MENTION: usize = 20;

/// One treatment approach.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Approach {
    pub id: String,
    pub label: String,
    pub description: String,
    pub terms: Vec<String>,
    /// Words that are evidence only inside a text about the approach (one whose title names
    /// it): "trial" in a text on clinical trials, "nausea" in one on supportive care, but not
    /// in passing elsewhere.
    #[serde(default)]
    pub context_terms: Vec<String>,
    /// Whether a passage that surveys several other approaches can still be about this one: a
    /// survey of one side effect across treatments is about relieving it (palliative care),
    /// not about each treatment.
    #[serde(default)]
    pub survives_surveys: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TaxonomyFile {
    approach: Vec<Approach>,
}

/// Id of a term that appears in no approach's terms: it can never be part of a match.
const OTHER_TERM: u32 = 0;

/// Words that rule out what follows them (as the analyzer leaves them).
const NEGATIONS: [&str; 13] = [
    "not", "no", "cannot", "cant", "isnt", "arent", "doesnt", "dont", "wont", "without", "never",
    "neither", "nor",
];
/// Words that mark a treatment already had: a passage on what comes "after earlier
/// chemotherapy", or is for cancer "already treated with hormonal therapy" or that "keeps
/// growing despite hormonal therapy", is not about the treatment it follows. They reach as far
/// as a negation.
const EARLIER_TREATMENT: [&str; 5] = ["earlier", "previous", "prior", "already", "despite"];
/// Words that rule out what comes just before them: "HER2-negative" is not about HER2 therapy.
const NEGATIVE_AFTER: [&str; 1] = ["negative"];
/// How many terms back a negation reaches: "not respond to hormone therapy" is ruled out,
/// a negation earlier in the sentence is about something else.
const NEGATION_REACH: usize = 4;

/// The approaches, and how a passage is matched against their terms.
#[derive(Clone)]
pub struct ApproachTaxonomy {
    approaches: Vec<Approach>,
    /// Prepared on first use: searching an index needs only the approaches' names (its passages
    /// were tagged when it was built), and analyzing every term took a fifth of a one-shot
    /// search.
    matching: OnceLock<Matching>,
}

/// The approaches' terms, analyzed for matching.
///
/// Tagging runs over every passage of a build, so passages are compared as sequences of small
/// term ids rather than strings: each analyzed term costs one lookup and no allocation.
#[derive(Clone)]
struct Matching {
    /// Every term of every approach's term sequences → its id (from 1).
    term_ids: FxHashMap<String, u32>,
    /// Indexed by term id: the sequences starting with that term.
    matchers: Vec<Vec<Matcher>>,
    /// The ids of [`NEGATIONS`] and [`EARLIER_TREATMENT`], as the analyzer leaves them.
    set_aside_by: rustc_hash::FxHashSet<u32>,
    /// The ids of [`NEGATIVE_AFTER`], as the analyzer leaves them.
    negative_after: rustc_hash::FxHashSet<u32>,
}

impl std::fmt::Debug for ApproachTaxonomy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApproachTaxonomy")
            .field("approaches", &self.approaches)
            .finish()
    }
}

/// One term of an approach, as term ids.
#[derive(Debug, Clone)]
struct Matcher {
    approach: usize,
    sequence: Vec<u32>,
    /// A context term ([`Approach::context_terms`]).
    context: bool,
}

/// Term occurrences per approach in one text.
struct Hits {
    /// Of the approach's own terms.
    terms: Vec<usize>,
    /// Of its context terms.
    context: Vec<usize>,
    /// Of its own terms that open a sentence: the sentence's subject.
    opening: Vec<usize>,
}

/// The term hits of one passage, in its text, its heading and its document's title.
struct PassageHits {
    body: Hits,
    heading: Hits,
    title: Hits,
    /// Terms in the passage's text.
    terms: usize,
}

impl PassageHits {
    /// True when the passage's document is about approach `i`: its title names it.
    fn in_its_text(&self, i: usize) -> bool {
        self.title.terms[i] + self.title.context[i] > 0
    }

    /// True when the passage's heading names approach `i`. A context term ("Symptoms",
    /// "Fractures") names it only in a text about the approach, or over a passage whose
    /// text has a term of the approach's own: a heading on symptoms is not palliative care.
    fn named_in_heading(&self, i: usize) -> bool {
        let context_counts = self.in_its_text(i) || self.body.terms[i] > 0;
        self.heading.terms[i] > 0 || (context_counts && self.heading.context[i] > 0)
    }

    /// The evidence that the passage is about approach `i`; `declared` when its document's
    /// author declared the approach.
    fn evidence(&self, i: usize, declared: bool) -> usize {
        let in_its_text = self.in_its_text(i);
        let context = if in_its_text { self.body.context[i] } else { 0 };
        let in_body = self.body.terms[i] + context;
        // Mentions spread thinly through a long passage are passing mentions; in a text about
        // the approach, half as many show what the passage is about.
        let per_mention = TERMS_PER_MENTION * if in_its_text { 2 } else { 1 };
        let dense = in_body * per_mention >= self.terms;
        let heading = HEADING_WEIGHT * usize::from(self.named_in_heading(i));
        let own = if dense { in_body } else { 0 } + heading;
        // A passage whose sentence has the approach as its subject speaks of it in a sentence
        // of its own, even where its terms are too sparse to count: that rescues it, and adds
        // nothing where there is other evidence (so the strongest approach does not crowd out
        // the others).
        let own = match own {
            0 if self.body.opening[i] > 0 => SUBJECT_WEIGHT,
            own => own,
        };
        // What the whole document is about supports a passage that speaks of the approach
        // itself; alone it says nothing about this passage.
        let support = self.title.terms[i].min(1) + usize::from(declared);
        if own > 0 { own + support } else { 0 }
    }
}

/// Fails when one of the approach's own terms reads, once analyzed, as one of its context
/// terms ("her2+" reads as "her2"): every passing mention of the context term would then count
/// as the approach's own.
fn own_terms_read_apart_from_context(approach: &Approach) -> std::result::Result<(), String> {
    for term in &approach.terms {
        let words = plain_terms(term);
        let context = approach
            .context_terms
            .iter()
            .find(|c| plain_terms(c) == words);
        if let Some(context) = context {
            return Err(format!(
                "approach `{}`: the term {term:?} reads as the context term {context:?} \
                 (as `{}`); remove one of them",
                approach.id,
                words.join(" ")
            ));
        }
    }
    Ok(())
}

/// What the tagger looks at in a passage: the ids of the plain terms (see
/// [`crate::analysis::plain_terms`]) of its document's title, its heading path and its text, as
/// given by [`ApproachTaxonomy::term_id`].
pub struct TagInput<'a> {
    pub title: &'a [u32],
    pub heading: &'a [u32],
    pub body: &'a [u32],
    /// For each term of `body`, whether it opens a sentence.
    pub opens: &'a [bool],
    /// Approach ids the document's author declared.
    pub declared: &'a [String],
}

impl Matching {
    fn new(approaches: &[Approach]) -> Matching {
        let mut term_ids: FxHashMap<String, u32> = FxHashMap::default();
        let mut matchers: Vec<Vec<Matcher>> = vec![Vec::new()];
        for (index, approach) in approaches.iter().enumerate() {
            let own = approach.terms.iter().map(|t| (t, false));
            let context = approach.context_terms.iter().map(|t| (t, true));
            for (term, context) in own.chain(context) {
                let sequence: Vec<u32> = plain_terms(term)
                    .into_iter()
                    .map(|term| {
                        let next = u32::try_from(matchers.len()).expect("fewer than 2^32 terms");
                        let id = *term_ids.entry(term).or_insert(next);
                        if id == next {
                            matchers.push(Vec::new());
                        }
                        id
                    })
                    .collect();
                if let Some(&first) = sequence.first() {
                    matchers[first as usize].push(Matcher {
                        approach: index,
                        sequence,
                        context,
                    });
                }
            }
        }
        let mut id_of = |word: String| {
            let next = u32::try_from(matchers.len()).expect("fewer than 2^32 terms");
            let id = *term_ids.entry(word).or_insert(next);
            if id == next {
                matchers.push(Vec::new());
            }
            id
        };
        let set_aside_by = NEGATIONS
            .iter()
            .map(|w| w.to_string())
            .chain(EARLIER_TREATMENT.iter().flat_map(|w| plain_terms(w)))
            .map(&mut id_of)
            .collect();
        let negative_after = NEGATIVE_AFTER
            .iter()
            .flat_map(|w| plain_terms(w))
            .map(&mut id_of)
            .collect();
        Matching {
            term_ids,
            matchers,
            set_aside_by,
            negative_after,
        }
    }
}

impl ApproachTaxonomy {
    /// Parses taxonomy TOML and checks every term; `origin` names the file in errors.
    pub fn parse(text: &str, origin: &Path) -> Result<Self> {
        let taxonomy = Self::parse_indexed(text, origin)?;
        for approach in &taxonomy.approaches {
            let terms = approach.terms.iter().chain(&approach.context_terms);
            if let Some(empty) = terms.into_iter().find(|t| plain_terms(t).is_empty()) {
                return Err(Error::DataFile {
                    path: origin.to_path_buf(),
                    message: format!(
                        "approach `{}` has a term with no searchable words: {empty:?}",
                        approach.id
                    ),
                });
            }
            own_terms_read_apart_from_context(approach).map_err(|message| Error::DataFile {
                path: origin.to_path_buf(),
                message,
            })?;
        }
        // A build tags every passage, and looks up term ids from inside the analyzer's
        // callback, where preparing the matching (which analyzes) would borrow the analyzer
        // twice: prepare it now.
        taxonomy.matching();
        Ok(taxonomy)
    }

    /// Parses the copy of a taxonomy an index keeps. Its terms were checked when the index was
    /// built ([`ApproachTaxonomy::parse`]), so only its shape and ids are checked here.
    pub fn parse_indexed(text: &str, origin: &Path) -> Result<Self> {
        let file: TaxonomyFile = toml::from_str(text).map_err(|err| Error::DataFile {
            path: origin.to_path_buf(),
            message: err.to_string(),
        })?;
        let invalid = |message: String| Error::DataFile {
            path: origin.to_path_buf(),
            message,
        };
        let mut seen = std::collections::HashSet::new();
        for approach in &file.approach {
            if !seen.insert(approach.id.as_str()) {
                return Err(invalid(format!(
                    "approach id `{}` is defined twice",
                    approach.id
                )));
            }
            // Ids are given on the command line, comma-separated: keep them plain.
            let plain = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
            if approach.id.is_empty() || !approach.id.chars().all(plain) {
                return Err(invalid(format!(
                    "approach id `{}` must be lower-case letters, digits and hyphens",
                    approach.id
                )));
            }
        }
        Ok(ApproachTaxonomy {
            approaches: file.approach,
            matching: OnceLock::new(),
        })
    }

    fn matching(&self) -> &Matching {
        self.matching
            .get_or_init(|| Matching::new(&self.approaches))
    }

    /// Reads `approaches.toml` from a directory, falling back to the bundled taxonomy; returns
    /// the taxonomy and the TOML text it came from (the index keeps a copy).
    pub fn load_from_dir(dir: Option<&Path>) -> Result<(Self, String)> {
        let (text, origin) = crate::corpus::read_data_file(dir, FILE_NAME, BUNDLED)?;
        Ok((Self::parse(&text, &origin)?, text))
    }

    pub fn approaches(&self) -> &[Approach] {
        &self.approaches
    }

    pub fn get(&self, id: &str) -> Option<&Approach> {
        self.approaches.iter().find(|a| a.id == id)
    }

    /// The approach `id`, or an error that lists the known ids.
    pub fn require(&self, id: &str) -> Result<&Approach> {
        self.get(id).ok_or_else(|| Error::UnknownApproach {
            id: id.to_string(),
            known: self
                .approaches
                .iter()
                .map(|a| a.id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        })
    }

    /// Fails with the list of known ids if any of `ids` is not an approach.
    pub fn ensure_known(&self, ids: &[String]) -> Result<()> {
        ids.iter().try_for_each(|id| self.require(id).map(|_| ()))
    }

    /// The id tagging compares a plain term by; terms of no approach share one. The first call
    /// on a taxonomy from [`ApproachTaxonomy::parse_indexed`] analyzes every term: not from
    /// inside an analyzer callback ([`crate::analysis::encode_terms`]).
    pub fn term_id(&self, term: &str) -> u32 {
        self.matching()
            .term_ids
            .get(term)
            .copied()
            .unwrap_or(OTHER_TERM)
    }

    /// The ids of the approaches a passage is about, in taxonomy order.
    pub fn tag(&self, input: &TagInput) -> Vec<String> {
        let hits = PassageHits {
            body: self.hits(input.body, input.opens),
            heading: self.hits(input.heading, &[]),
            title: self.hits(input.title, &[]),
            terms: input.body.len(),
        };
        let evidence: Vec<usize> = self
            .approaches
            .iter()
            .enumerate()
            .map(|(i, approach)| hits.evidence(i, input.declared.contains(&approach.id)))
            .collect();
        // A passage is about its main approaches, not every one it touches: an approach needs
        // a share of the evidence the strongest one has.
        let strongest = evidence.iter().copied().max().unwrap_or(0);
        let threshold = TAG_THRESHOLD.max(strongest.div_ceil(RELATIVE_SHARE));
        let mut tagged: Vec<usize> = (0..self.approaches.len())
            .filter(|&i| evidence[i] >= threshold)
            .collect();
        // A passage with evidence for many approaches surveys them (side effects across
        // treatments, a list of options), even when one of them dominates: it is about what its
        // heading names, and about relief when it explains relief.
        let touched = evidence.iter().filter(|&&e| e >= TAG_THRESHOLD).count();
        if touched > MOST_APPROACHES {
            tagged.retain(|&i| hits.named_in_heading(i) || self.approaches[i].survives_surveys);
        }
        tagged
            .into_iter()
            .map(|i| self.approaches[i].id.clone())
            .collect()
    }

    /// Number of term occurrences per approach in a text, given as term ids. The longest term
    /// at a position wins ("ovarian ablation" is hormonal therapy, not the ablation of local
    /// treatment), and a term just after a negation ("do not respond to hormone therapy") or
    /// a treatment already had ("after earlier chemotherapy") does not count: a passage that
    /// rules an approach out, or names what came before, is not about it.
    fn hits(&self, ids: &[u32], opens: &[bool]) -> Hits {
        let mut hits = Hits {
            terms: vec![0; self.approaches.len()],
            context: vec![0; self.approaches.len()],
            opening: vec![0; self.approaches.len()],
        };
        let prepared = self.matching();
        let mut start = 0;
        while start < ids.len() {
            let matching: Vec<&Matcher> = prepared.matchers[ids[start] as usize]
                .iter()
                .filter(|m| ids[start..].starts_with(&m.sequence))
                .collect();
            let Some(longest) = matching.iter().map(|m| m.sequence.len()).max() else {
                start += 1;
                continue;
            };
            let ruled_out = ids
                .get(start + longest)
                .is_some_and(|id| prepared.negative_after.contains(id));
            if !ruled_out && !self.set_aside(ids, start) {
                // Count each approach once per position even if several of its terms match.
                let mut counted = vec![false; self.approaches.len()];
                for m in matching.iter().filter(|m| m.sequence.len() == longest) {
                    if !std::mem::replace(&mut counted[m.approach], true) {
                        let counts = if m.context {
                            &mut hits.context
                        } else {
                            &mut hits.terms
                        };
                        counts[m.approach] += 1;
                        if !m.context && opens.get(start) == Some(&true) {
                            hits.opening[m.approach] += 1;
                        }
                    }
                }
            }
            start += longest;
        }
        hits
    }

    /// True when one of the few terms before `position` is a negation or marks a treatment
    /// already had.
    fn set_aside(&self, ids: &[u32], position: usize) -> bool {
        ids[position.saturating_sub(NEGATION_REACH)..position]
            .iter()
            .any(|id| self.matching().set_aside_by.contains(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundled() -> ApproachTaxonomy {
        ApproachTaxonomy::parse(BUNDLED, Path::new("approaches.toml")).unwrap()
    }

    /// Whether each plain term of `text` opens a sentence, as the build gives it to [`TagInput`].
    fn openers(text: &str) -> Vec<bool> {
        plain_terms_and_openers(text).1
    }

    /// The ids of the plain terms of `text`, as the build gives them to [`TagInput`].
    fn term_ids(taxonomy: &ApproachTaxonomy, text: &str) -> Vec<u32> {
        plain_terms(text)
            .iter()
            .map(|term| taxonomy.term_id(term))
            .collect()
    }

    fn tag(title: &str, heading: &[&str], text: &str) -> Vec<String> {
        let taxonomy = bundled();
        taxonomy.tag(&TagInput {
            title: &term_ids(&taxonomy, title),
            heading: &term_ids(&taxonomy, &heading.join(" › ")),
            body: &term_ids(&taxonomy, text),
            opens: &openers(text),
            declared: &[],
        })
    }

    #[test]
    fn bundled_taxonomy_has_the_required_approaches() {
        let taxonomy = bundled();
        for id in [
            "chemotherapy",
            "hormonal-therapy",
            "her2-targeted",
            "targeted-therapy",
            "immunotherapy",
            "local-treatment",
            "bone-directed",
            "clinical-trials",
            "palliative-care",
            "complementary",
        ] {
            assert!(taxonomy.get(id).is_some(), "missing approach {id}");
        }
    }

    #[test]
    fn the_taxonomy_an_index_keeps_tags_as_the_checked_one_does() {
        let indexed =
            ApproachTaxonomy::parse_indexed(BUNDLED, Path::new("approaches.toml")).unwrap();
        let checked = bundled();
        let tag = |taxonomy: &ApproachTaxonomy, title: &str, text: &str| {
            taxonomy.tag(&TagInput {
                title: &term_ids(taxonomy, title),
                heading: &[],
                body: &term_ids(taxonomy, text),
                opens: &openers(text),
                declared: &[],
            })
        };
        let passages = [
            (
                "Hormonal therapy",
                "Tamoxifen blocks the receptor; letrozole lowers oestrogen.",
            ),
            (
                "Triple-negative",
                "These cancers do not respond to hormone therapy.",
            ),
            (
                "Bone",
                "Zoledronic acid and denosumab protect bones; radiotherapy eases pain.",
            ),
        ];
        for (title, text) in passages {
            assert_eq!(
                tag(&indexed, title, text),
                tag(&checked, title, text),
                "{text}"
            );
        }
        assert_eq!(
            tag(&indexed, passages[0].0, passages[0].1),
            ["hormonal-therapy"]
        );
    }

    #[test]
    fn heading_match_tags_the_passage() {
        assert_eq!(
            tag("Doc", &["Clinical Trials"], "Nothing else relevant here."),
            ["clinical-trials"]
        );
    }

    #[test]
    fn one_stray_word_does_not_tag() {
        assert!(tag("Doc", &["Living well"], "Some people also try yoga.").is_empty());
    }

    #[test]
    fn several_term_hits_tag() {
        let tags = tag(
            "Doc",
            &["Living well"],
            "Acupuncture and massage can ease symptoms; yoga helps some.",
        );
        assert!(tags.contains(&"complementary".to_string()), "{tags:?}");
    }

    #[test]
    fn declared_approach_needs_one_hit() {
        let taxonomy = bundled();
        let declared = vec!["chemotherapy".to_string()];
        let input = TagInput {
            title: &term_ids(&taxonomy, "Doc"),
            heading: &[],
            body: &term_ids(&taxonomy, "Paclitaxel is common."),
            opens: &openers("Paclitaxel is common."),
            declared: &declared,
        };
        assert_eq!(taxonomy.tag(&input), ["chemotherapy"]);
    }

    #[test]
    fn unknown_approach_lists_the_known_ones() {
        let err = bundled()
            .ensure_known(&["chemo-therapy".into()])
            .unwrap_err();
        assert!(err.to_string().contains("chemotherapy"));
    }

    #[test]
    fn ids_with_commas_and_empty_terms_are_rejected() {
        let with = |id: &str, term: &str| {
            format!("[[approach]]\nid='{id}'\nlabel='A'\ndescription='d'\nterms=['{term}']\n")
        };
        assert!(ApproachTaxonomy::parse(&with("a,b", "x"), Path::new("x")).is_err());
        assert!(ApproachTaxonomy::parse(&with("a", ""), Path::new("x")).is_err());
        assert!(ApproachTaxonomy::parse(&with("a-1", "x"), Path::new("x")).is_ok());
    }

    #[test]
    fn an_own_term_that_reads_as_a_context_term_is_rejected() {
        let text = "[[approach]]\nid='her2'\nlabel='H'\ndescription='d'\n\
                    terms=['her2+']\ncontext_terms=['HER2']\n";
        let err = ApproachTaxonomy::parse(text, Path::new("approaches.toml")).unwrap_err();
        assert!(
            err.to_string()
                .contains("\"her2+\" reads as the context term"),
            "{err}"
        );
    }

    #[test]
    fn a_term_followed_by_negative_is_ruled_out() {
        // "HER2" is a context term, evidence inside a text about HER2-targeted therapy; a
        // cancer that is HER2-negative is not a reason to think the passage is about it.
        let text = "People whose cancer is HER2-negative are offered other treatments, chosen \
                    by their other receptors and earlier treatment.";
        let tags = tag("HER2-targeted therapy", &["Who it is not for"], text);
        assert!(!tags.contains(&"her2-targeted".to_string()), "{tags:?}");
    }

    #[test]
    fn a_treatment_already_had_is_not_what_a_passage_is_about() {
        let text = "This antibody-drug conjugate is for cancer already treated with hormone \
                    therapy, or that grew after previous tamoxifen and anastrozole.";
        let tags = tag("Antibody-drug conjugates", &["Who it is for"], text);
        assert!(!tags.contains(&"hormonal-therapy".to_string()), "{tags:?}");
        let text = "When cancer keeps growing despite hormone therapy such as tamoxifen, an \
                    antibody-drug conjugate may come next.";
        let tags = tag("Antibody-drug conjugates", &["Who it is for"], text);
        assert!(!tags.contains(&"hormonal-therapy".to_string()), "{tags:?}");
        // Without those words, the same treatments are the passage's subject.
        let text = "This pill is taken with hormone therapy, such as tamoxifen or anastrozole.";
        let tags = tag("Antibody-drug conjugates", &["Who it is for"], text);
        assert!(tags.contains(&"hormonal-therapy".to_string()), "{tags:?}");
    }

    #[test]
    fn a_heading_of_context_words_alone_does_not_tag() {
        // "Symptoms" is a context term of palliative care: outside a text about it, a heading
        // on symptoms over a passage with no palliative-care term of its own is not about it.
        let text = "Pain in a bone that is new and does not go away should be reported.";
        assert!(tag("Bone metastases", &["Symptoms"], text).is_empty());
        let text = "Pain in a bone is eased with morphine and other opioids.";
        let tags = tag("Bone metastases", &["Symptoms"], text);
        assert!(tags.contains(&"palliative-care".to_string()), "{tags:?}");
    }

    #[test]
    fn a_survey_of_many_approaches_is_about_none_of_them() {
        // Even when one approach has most of the mentions.
        let text = "Lung checks matter with everolimus, ribociclib, alpelisib, capivasertib and \
                    abemaciclib; heart checks with trastuzumab and pertuzumab; hormone checks \
                    with pembrolizumab and atezolizumab.";
        assert!(tag("Doc", &["Organ checks"], text).is_empty());
    }

    #[test]
    fn a_survey_of_one_side_effect_is_about_relieving_it() {
        let text = "Diarrhoea is common with abemaciclib, neratinib, tucatinib, capecitabine and \
                    alpelisib. Loperamide (Imodium) and anti-diarrhoea plans ease it.";
        assert_eq!(tag("Doc", &["Diarrhoea"], text), ["palliative-care"]);
    }

    #[test]
    fn a_sentence_with_the_approach_as_its_subject_makes_a_long_passage_about_it() {
        // One mention among forty terms is too sparse to count; as the subject of a sentence
        // it is what that sentence explains.
        let text = "Many people feel unsure what to expect at first. Palliative care is \
                    specialist care that relieves symptoms and stress and supports the whole \
                    family. It can be given from diagnosis onward, alongside other treatment, \
                    and it covers breathing, sickness, sleep, mood and planning ahead with the \
                    people closest to you.";
        assert_eq!(tag("Glossary", &["Terms"], text), ["palliative-care"]);
        let mentioned = text.replace("Palliative care is", "The team, with palliative care, is");
        assert!(tag("Glossary", &["Terms"], &mentioned).is_empty());
    }

    #[test]
    fn a_question_does_not_make_its_subject_what_a_passage_is_about() {
        let text = "How will we know whether this treatment is working? CDK4/6 inhibitors: will \
                    one be added to my treatment? Which effects should I report straight away, and \
                    who do I call at night or at the weekend? How often will I need scans, blood \
                    tests and appointments, and can they be arranged close to home?";
        assert!(tag("Doc", &["Questions"], text).is_empty());
    }

    #[test]
    fn duplicate_ids_are_rejected() {
        let text = "[[approach]]\nid='a'\nlabel='A'\ndescription='d'\nterms=[]\n[[approach]]\nid='a'\nlabel='B'\ndescription='d'\nterms=[]\n";
        assert!(ApproachTaxonomy::parse(text, Path::new("x")).is_err());
    }
}
