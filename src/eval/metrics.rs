//! Ranking metrics with trec_eval's definitions: graded gain (the judgement value), log2
//! discount, ideal DCG from all judged documents, recall and precision over relevant (grade > 0)
//! documents. A query with no results scores 0.

use std::collections::HashMap;

/// Judgements of one query: document id → grade.
pub type Judgements = HashMap<String, u32>;

/// The four metrics for one query (or averaged over many).
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Metrics {
    pub ndcg_at_10: f64,
    pub recall_at_100: f64,
    pub mrr_at_10: f64,
    pub map_at_1000: f64,
}

impl Metrics {
    /// Scores a ranked list of document ids against the judgements.
    pub fn of(ranking: &[String], judged: &Judgements) -> Metrics {
        Metrics {
            ndcg_at_10: ndcg(ranking, judged, 10),
            recall_at_100: recall(ranking, judged, 100),
            mrr_at_10: reciprocal_rank(ranking, judged, 10),
            map_at_1000: average_precision(ranking, judged, 1000),
        }
    }

    /// The mean of each metric.
    pub fn mean(all: &[Metrics]) -> Metrics {
        let n = all.len().max(1) as f64;
        let sum = |f: fn(&Metrics) -> f64| all.iter().map(f).sum::<f64>() / n;
        Metrics {
            ndcg_at_10: sum(|m| m.ndcg_at_10),
            recall_at_100: sum(|m| m.recall_at_100),
            mrr_at_10: sum(|m| m.mrr_at_10),
            map_at_1000: sum(|m| m.map_at_1000),
        }
    }
}

fn grade(judged: &Judgements, doc: &str) -> u32 {
    judged.get(doc).copied().unwrap_or(0)
}

fn relevant_count(judged: &Judgements) -> usize {
    judged.values().filter(|&&g| g > 0).count()
}

/// Normalised discounted cumulative gain at `k`.
pub fn ndcg(ranking: &[String], judged: &Judgements, k: usize) -> f64 {
    let dcg = |grades: &mut dyn Iterator<Item = u32>| -> f64 {
        grades
            .take(k)
            .enumerate()
            .map(|(i, g)| f64::from(g) / ((i + 2) as f64).log2())
            .sum()
    };
    let actual = dcg(&mut ranking.iter().map(|d| grade(judged, d)));
    let mut ideal_grades: Vec<u32> = judged.values().copied().filter(|&g| g > 0).collect();
    ideal_grades.sort_unstable_by(|a, b| b.cmp(a));
    let ideal = dcg(&mut ideal_grades.into_iter());
    if ideal == 0.0 { 0.0 } else { actual / ideal }
}

/// Share of the relevant documents found in the top `k`.
pub fn recall(ranking: &[String], judged: &Judgements, k: usize) -> f64 {
    let relevant = relevant_count(judged);
    if relevant == 0 {
        return 0.0;
    }
    let found = ranking
        .iter()
        .take(k)
        .filter(|d| grade(judged, d) > 0)
        .count();
    found as f64 / relevant as f64
}

/// 1 / rank of the first relevant document within the top `k`, else 0.
pub fn reciprocal_rank(ranking: &[String], judged: &Judgements, k: usize) -> f64 {
    ranking
        .iter()
        .take(k)
        .position(|d| grade(judged, d) > 0)
        .map_or(0.0, |i| 1.0 / (i + 1) as f64)
}

/// Average precision over the top `k`, divided by all relevant documents.
pub fn average_precision(ranking: &[String], judged: &Judgements, k: usize) -> f64 {
    let relevant = relevant_count(judged);
    if relevant == 0 {
        return 0.0;
    }
    let mut hits = 0;
    let mut sum = 0.0;
    for (i, doc) in ranking.iter().take(k).enumerate() {
        if grade(judged, doc) > 0 {
            hits += 1;
            sum += hits as f64 / (i + 1) as f64;
        }
    }
    sum / relevant as f64
}

/// Orders scored documents as trec_eval does: score descending, ties by document id
/// descending.
pub fn trec_order(mut scored: Vec<(String, f32)>) -> Vec<(String, f32)> {
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| b.0.cmp(&a.0)));
    scored
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranking(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    fn judged(pairs: &[(&str, u32)]) -> Judgements {
        pairs.iter().map(|(d, g)| (d.to_string(), *g)).collect()
    }

    const EPS: f64 = 1e-9;

    // Judgements: a=2, b=1, c=1 (relevant), z=0 (judged, not relevant).
    fn example() -> Judgements {
        judged(&[("a", 2), ("b", 1), ("c", 1), ("z", 0)])
    }

    #[test]
    fn ndcg_by_hand() {
        // Ranking x, a, z, b: DCG = 2/log2(3) + 1/log2(5) = 1.261860 + 0.430677 = 1.692536.
        // Ideal a, b, c: 2/1 + 1/log2(3) + 1/2 = 3.130930. nDCG = 0.540586.
        let value = ndcg(&ranking(&["x", "a", "z", "b"]), &example(), 10);
        assert!((value - 0.540_586).abs() < 1e-6, "{value}");
        assert!((ndcg(&ranking(&["a", "b", "c"]), &example(), 10) - 1.0).abs() < EPS);
    }

    #[test]
    fn ndcg_cutoff_ignores_documents_past_k() {
        assert_eq!(ndcg(&ranking(&["x", "a"]), &example(), 1), 0.0);
    }

    #[test]
    fn recall_by_hand() {
        assert!((recall(&ranking(&["x", "a", "z", "b"]), &example(), 100) - 2.0 / 3.0).abs() < EPS);
        assert!((recall(&ranking(&["x", "a", "z", "b"]), &example(), 2) - 1.0 / 3.0).abs() < EPS);
    }

    #[test]
    fn reciprocal_rank_by_hand() {
        assert!(
            (reciprocal_rank(&ranking(&["x", "z", "b"]), &example(), 10) - 1.0 / 3.0).abs() < EPS
        );
        assert_eq!(
            reciprocal_rank(&ranking(&["x", "z", "b"]), &example(), 2),
            0.0
        );
    }

    #[test]
    fn average_precision_by_hand() {
        // Relevant at ranks 2 and 4: (1/2 + 2/4) / 3 relevant = 1/3.
        assert!(
            (average_precision(&ranking(&["x", "a", "z", "b"]), &example(), 1000) - 1.0 / 3.0)
                .abs()
                < EPS
        );
    }

    #[test]
    fn a_query_with_no_results_scores_zero() {
        assert_eq!(Metrics::of(&[], &example()), Metrics::default());
    }

    #[test]
    fn no_relevant_document_retrieved_scores_zero() {
        let m = Metrics::of(&ranking(&["x", "y", "z"]), &example());
        assert_eq!(m, Metrics::default());
    }

    #[test]
    fn ties_are_broken_by_document_id_descending_like_trec_eval() {
        let ranked = trec_order(vec![
            ("a".into(), 1.0),
            ("c".into(), 1.0),
            ("b".into(), 2.0),
        ]);
        let ids: Vec<&str> = ranked.iter().map(|(d, _)| d.as_str()).collect();
        assert_eq!(ids, ["b", "c", "a"]);
    }

    #[test]
    fn mean_averages_each_metric() {
        let one = Metrics {
            ndcg_at_10: 1.0,
            recall_at_100: 0.5,
            mrr_at_10: 1.0,
            map_at_1000: 0.2,
        };
        let mean = Metrics::mean(&[one, Metrics::default()]);
        assert!((mean.ndcg_at_10 - 0.5).abs() < EPS && (mean.map_at_1000 - 0.1).abs() < EPS);
    }
}
