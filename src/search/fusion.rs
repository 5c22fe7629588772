//! Fusing a lexical (BM25) and a semantic (cosine) ranking into one.

use std::collections::HashMap;

/// How two rankings are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fusion {
    /// Reciprocal rank fusion: Σ 1 / (k + rank). Uses only ranks, so the two scores' scales do
    /// not matter.
    #[default]
    Rrf,
    /// Min-max normalised scores, averaged.
    Linear,
}

/// The RRF constant from Cormack, Clarke & Büttcher (2009); not tuned here.
pub const RRF_K: f32 = 60.0;

/// A fused candidate with the scores it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Fused {
    pub id: String,
    pub lexical: Option<f32>,
    pub semantic: Option<f32>,
    pub fused: f32,
}

/// Fuses two rankings (each best first) on their first `depth` passages: a passage past them
/// in both rankings gets no fused score and follows the rest, by its lexical score, then its
/// similarity. So the fused order does not depend on how far each ranking was taken (see
/// `search::FUSION_DEPTH`). The result is best first; on a tie, a passage the lexical ranking found
/// comes first (it has the words typed: a passage only the embedding found at the same rank
/// tied with it, and the id decided), then the higher lexical score, then by id.
pub fn fuse(
    lexical: &[(String, f32)],
    semantic: &[(String, f32)],
    method: Fusion,
    depth: usize,
) -> Vec<Fused> {
    let mut all: HashMap<&str, Fused> = HashMap::new();
    for (ranking, is_lexical) in [(lexical, true), (semantic, false)] {
        let normalise = normaliser(&ranking[..ranking.len().min(depth)]);
        for (rank, (id, score)) in ranking.iter().enumerate() {
            let entry = all.entry(id).or_insert_with(|| Fused {
                id: id.clone(),
                lexical: None,
                semantic: None,
                fused: 0.0,
            });
            *(if is_lexical {
                &mut entry.lexical
            } else {
                &mut entry.semantic
            }) = Some(*score);
            if rank < depth {
                entry.fused += contribution(method, rank, normalise(*score));
            }
        }
    }
    let mut fused: Vec<Fused> = all.into_values().collect();
    let either = |score: Option<f32>| score.unwrap_or(f32::NEG_INFINITY);
    fused.sort_by(|a, b| {
        b.fused
            .total_cmp(&a.fused)
            .then_with(|| b.lexical.is_some().cmp(&a.lexical.is_some()))
            .then_with(|| either(b.lexical).total_cmp(&either(a.lexical)))
            .then_with(|| either(b.semantic).total_cmp(&either(a.semantic)))
            .then_with(|| a.id.cmp(&b.id))
    });
    fused
}

fn contribution(method: Fusion, rank: usize, normalised: f32) -> f32 {
    match method {
        Fusion::Rrf => 1.0 / (RRF_K + rank as f32 + 1.0),
        Fusion::Linear => 0.5 * normalised,
    }
}

/// Min-max normalisation over one ranking (a single or constant score maps to 1).
fn normaliser(ranking: &[(String, f32)]) -> impl Fn(f32) -> f32 {
    let max = ranking.iter().map(|r| r.1).fold(f32::MIN, f32::max);
    let min = ranking.iter().map(|r| r.1).fold(f32::MAX, f32::min);
    move |score| {
        if max > min {
            (score - min) / (max - min)
        } else {
            1.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranking(ids: &[(&str, f32)]) -> Vec<(String, f32)> {
        ids.iter().map(|(id, s)| (id.to_string(), *s)).collect()
    }

    #[test]
    fn rrf_rewards_agreement() {
        let lexical = ranking(&[("a", 9.0), ("b", 5.0), ("c", 1.0)]);
        let semantic = ranking(&[("b", 0.9), ("d", 0.8), ("a", 0.1)]);
        let fused = fuse(&lexical, &semantic, Fusion::Rrf, 100);
        let ids: Vec<&str> = fused.iter().map(|f| f.id.as_str()).collect();
        // b: 1/62 + 1/61 = 0.03252 beats a: 1/61 + 1/63 = 0.03227; d and c appear once each.
        assert_eq!(ids, ["b", "a", "d", "c"]);
        assert!((fused[0].fused - (1.0 / 62.0 + 1.0 / 61.0)).abs() < 1e-6);
        assert_eq!(fused[2].lexical, None);
        assert_eq!(fused[2].semantic, Some(0.8));
    }

    #[test]
    fn on_a_tie_the_passage_with_the_words_typed_comes_first() {
        // "irAE colitis": the immune colitis passage, first by its words and unseen by the
        // embedding, tied with a passage on constipation first by meaning alone, and lost on
        // its id.
        let lexical = ranking(&[("z", 12.0)]);
        let semantic = ranking(&[("a", 0.42)]);
        let ids: Vec<String> = fuse(&lexical, &semantic, Fusion::Rrf, 100)
            .into_iter()
            .map(|f| f.id)
            .collect();
        assert_eq!(ids, ["z", "a"]);
    }

    #[test]
    fn the_fused_order_does_not_depend_on_how_far_the_rankings_go() {
        // Fused as deep as each ranking was taken, "d" (third by its words, fourth by meaning)
        // passed "c" only when the rankings went four deep: a deeper page reordered the one
        // before it.
        let lexical = ranking(&[("a", 9.0), ("b", 8.0), ("d", 7.0), ("c", 6.0)]);
        let semantic = ranking(&[("c", 0.9), ("a", 0.8), ("e", 0.7), ("d", 0.6)]);
        let order = |taken: usize| -> Vec<String> {
            fuse(&lexical[..taken], &semantic[..taken], Fusion::Rrf, 2)
                .into_iter()
                .map(|f| f.id)
                .collect()
        };
        let deeper = order(4);
        assert_eq!(deeper[..3], order(3)[..3]);
        // Past the fused depth, by the words' score, then by meaning.
        assert_eq!(deeper, ["a", "c", "b", "d", "e"]);
    }

    #[test]
    fn linear_averages_normalised_scores() {
        let lexical = ranking(&[("a", 10.0), ("b", 0.0)]);
        let semantic = ranking(&[("b", 0.9), ("a", 0.5)]);
        let fused = fuse(&lexical, &semantic, Fusion::Linear, 100);
        // a: 0.5 * 1 + 0.5 * 0 = 0.5; b: 0.5 * 0 + 0.5 * 1 = 0.5; both have both scores: tie
        // broken by id.
        assert_eq!(fused[0].id, "a");
        assert!((fused[0].fused - 0.5).abs() < 1e-6 && (fused[1].fused - 0.5).abs() < 1e-6);
    }

    #[test]
    fn one_empty_ranking_keeps_the_other_order() {
        let lexical = ranking(&[("a", 3.0), ("b", 2.0)]);
        let ids: Vec<String> = fuse(&lexical, &[], Fusion::Rrf, 100)
            .into_iter()
            .map(|f| f.id)
            .collect();
        assert_eq!(ids, ["a", "b"]);
    }
}
