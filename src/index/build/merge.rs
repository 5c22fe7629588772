//! When a build merges tantivy's segments.
//!
//! Each indexing thread writes its own segment, and an update adds a segment for the files it
//! re-read. A search pays for every segment: each query term is looked up, and its postings
//! opened and scored, once per segment. On a small index that cost is most of a search: one
//! segment instead of two made `--exact` searches of the bundled corpus 15–40 % faster (`cargo
//! bench --bench search`). Merging small segments costs little: 0.3 s and 2 MB of peak memory
//! for 21,000 passages, 0.6 s and 5 MB for 53,000. Merging a large index is another matter
//! (2.7 s and 177 MB more for 202,000 passages, over the build's memory limit), so segments
//! beyond [`SMALL_MERGE_DOCS`] are left to tantivy's own policy.

use tantivy::index::SegmentMeta;
use tantivy::merge_policy::{LogMergePolicy, MergeCandidate, MergePolicy};

/// The most documents (passages, deleted ones included) that the smallest segments may hold
/// together to be merged into one.
pub const SMALL_MERGE_DOCS: u64 = 50_000;

/// Merges the smallest segments into one, as many as together hold at most
/// [`SMALL_MERGE_DOCS`]; the others merge as tantivy's default [`LogMergePolicy`] decides.
#[derive(Debug, Default)]
pub struct SmallSegmentsTogether {
    larger: LogMergePolicy,
}

impl MergePolicy for SmallSegmentsTogether {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let mut by_size: Vec<&SegmentMeta> = segments.iter().collect();
        by_size.sort_by_key(|segment| segment.max_doc());
        let mut total = 0u64;
        let small = by_size
            .iter()
            .take_while(|segment| {
                total += u64::from(segment.max_doc());
                total <= SMALL_MERGE_DOCS
            })
            .count();
        let (small, larger) = by_size.split_at(small);
        let larger: Vec<SegmentMeta> = larger.iter().copied().cloned().collect();
        let mut candidates = self.larger.compute_merge_candidates(&larger);
        if small.len() > 1 {
            candidates.push(MergeCandidate(small.iter().map(|s| s.id()).collect()));
        }
        candidates
    }
}
