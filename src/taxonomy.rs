//! The treatment-approach taxonomy (`approaches.toml`): which approaches exist and how a passage
//! is recognised as being *about* one. It does not search; `search` filters on the tags it gives.

use std::path::Path;

use rustc_hash::FxHashMap;
use serde::Deserialize;

use crate::analysis::plain_terms;
use crate::{Error, Result};

/// File name of the taxonomy inside a corpus directory (and inside each index generation).
pub const FILE_NAME: &str = "approaches.toml";

/// The taxonomy shipped with `mbc`, used when a corpus has none of its own.
pub const BUNDLED: &str = include_str!("../corpus/approaches.toml");

/// Evidence a passage needs before it is tagged: a heading match alone is enough, body term hits
/// count one each, and a document title match or the author's own declaration add one.
const TAG_THRESHOLD: usize = 2;
const HEADING_WEIGHT: usize = TAG_THRESHOLD;
/// An approach with less than 1/RELATIVE_SHARE of the strongest approach's evidence is a
/// mention in passing.
const RELATIVE_SHARE: usize = 3;

/// One treatment approach.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Approach {
    pub id: String,
    pub label: String,
    pub description: String,
    pub terms: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TaxonomyFile {
    approach: Vec<Approach>,
}

/// Id of a term that appears in no approach's terms: it can never be part of a match.
const OTHER_TERM: u32 = 0;

/// The approaches, with their terms analyzed for matching.
///
/// Tagging runs over every passage of a build, so passages are compared as sequences of small
/// term ids rather than strings: each analyzed term costs one lookup and no allocation.
#[derive(Clone)]
pub struct ApproachTaxonomy {
    approaches: Vec<Approach>,
    /// Every term of every approach's term sequences → its id (from 1).
    term_ids: FxHashMap<String, u32>,
    /// Indexed by term id: the sequences starting with that term, as (approach index, ids).
    matchers: Vec<Vec<(usize, Vec<u32>)>>,
}

impl std::fmt::Debug for ApproachTaxonomy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApproachTaxonomy")
            .field("approaches", &self.approaches)
            .finish()
    }
}

/// What the tagger looks at in a passage: the ids of the plain terms (see
/// [`crate::analysis::plain_terms`]) of its document's title, its heading path and its text, as
/// given by [`ApproachTaxonomy::term_id`].
pub struct TagInput<'a> {
    pub title: &'a [u32],
    pub heading: &'a [u32],
    pub body: &'a [u32],
    /// Approach ids the document's author declared.
    pub declared: &'a [String],
}

impl ApproachTaxonomy {
    /// Parses taxonomy TOML; `origin` names the file in errors.
    pub fn parse(text: &str, origin: &Path) -> Result<Self> {
        let file: TaxonomyFile = toml::from_str(text).map_err(|err| Error::DataFile {
            path: origin.to_path_buf(),
            message: err.to_string(),
        })?;
        let mut seen = std::collections::HashSet::new();
        for approach in &file.approach {
            if !seen.insert(approach.id.as_str()) {
                return Err(Error::DataFile {
                    path: origin.to_path_buf(),
                    message: format!("approach id `{}` is defined twice", approach.id),
                });
            }
        }
        let mut term_ids: FxHashMap<String, u32> = FxHashMap::default();
        let mut matchers: Vec<Vec<(usize, Vec<u32>)>> = vec![Vec::new()];
        for (index, approach) in file.approach.iter().enumerate() {
            for term in &approach.terms {
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
                    matchers[first as usize].push((index, sequence));
                }
            }
        }
        Ok(ApproachTaxonomy {
            approaches: file.approach,
            term_ids,
            matchers,
        })
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

    /// Fails with the list of known ids if any of `ids` is not an approach.
    pub fn ensure_known(&self, ids: &[String]) -> Result<()> {
        match ids.iter().find(|id| self.get(id).is_none()) {
            None => Ok(()),
            Some(id) => Err(Error::UnknownApproach {
                id: id.clone(),
                known: self
                    .approaches
                    .iter()
                    .map(|a| a.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            }),
        }
    }

    /// The id tagging compares a plain term by; terms of no approach share one.
    pub fn term_id(&self, term: &str) -> u32 {
        self.term_ids.get(term).copied().unwrap_or(OTHER_TERM)
    }

    /// The ids of the approaches a passage is about, in taxonomy order.
    pub fn tag(&self, input: &TagInput) -> Vec<String> {
        let body = self.hits(input.body);
        let heading = self.hits(input.heading);
        let title = self.hits(input.title);
        let evidence: Vec<usize> = self
            .approaches
            .iter()
            .enumerate()
            .map(|(i, approach)| {
                body[i]
                    + HEADING_WEIGHT * heading[i].min(1)
                    + title[i].min(1)
                    + usize::from(input.declared.contains(&approach.id))
            })
            .collect();
        // A passage is about its main approaches, not every one it touches: an approach needs
        // a share of the evidence the strongest one has.
        let strongest = evidence.iter().copied().max().unwrap_or(0);
        let threshold = TAG_THRESHOLD.max(strongest.div_ceil(RELATIVE_SHARE));
        self.approaches
            .iter()
            .zip(evidence)
            .filter(|(_, e)| *e >= threshold)
            .map(|(approach, _)| approach.id.clone())
            .collect()
    }

    /// Number of term occurrences per approach in a text, given as term ids.
    fn hits(&self, ids: &[u32]) -> Vec<usize> {
        let mut counts = vec![0; self.approaches.len()];
        for start in 0..ids.len() {
            let candidates = &self.matchers[ids[start] as usize];
            if candidates.is_empty() {
                continue;
            }
            // Count each approach once per position even if several of its terms start here.
            let mut matched = vec![false; self.approaches.len()];
            for (index, sequence) in candidates {
                if ids[start..].starts_with(sequence) {
                    matched[*index] = true;
                }
            }
            for (count, hit) in counts.iter_mut().zip(matched) {
                *count += usize::from(hit);
            }
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundled() -> ApproachTaxonomy {
        ApproachTaxonomy::parse(BUNDLED, Path::new("approaches.toml")).unwrap()
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
    fn duplicate_ids_are_rejected() {
        let text = "[[approach]]\nid='a'\nlabel='A'\ndescription='d'\nterms=[]\n[[approach]]\nid='a'\nlabel='B'\ndescription='d'\nterms=[]\n";
        assert!(ApproachTaxonomy::parse(text, Path::new("x")).is_err());
    }
}
