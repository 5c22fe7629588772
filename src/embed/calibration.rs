//! How a model's similarities are read: below `similarity_floor` a passage is not about a
//! query; at or above `similarity_alone` it is, whatever words it shares; in between, only
//! with some of the query's words (`search::about`). Thresholds belong to one model, so they
//! are stored beside the model (`mbc-calibration.toml`) with that model's id, and used only
//! when the id matches; a model without them gets none.
//!
//! ```toml
//! model_id = "all-MiniLM-L6-v2@0123abcd…"
//! similarity_floor = 0.26
//! similarity_alone = 0.52
//! method = "How the thresholds were chosen, and on what data."
//! ```

use serde::Deserialize;

use super::ModelSource;

/// The file a model directory may carry.
pub const FILE_NAME: &str = "mbc-calibration.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Calibration {
    model_id: String,
    similarity_floor: f32,
    similarity_alone: f32,
    #[allow(dead_code)]
    method: String,
}

/// The similarity thresholds of one model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// Below this, a passage is not about a query.
    pub floor: f32,
    /// At or above this, similarity alone says a passage is about a query.
    pub alone: f32,
}

impl Thresholds {
    /// The thresholds for a long text (a pasted paragraph): the floor rises halfway to
    /// `alone`. Embeddings of long texts of one field lie closer together than those of short
    /// questions: MED abstracts reach 0.31-0.57 against the bundled corpus they are not about,
    /// while abstracts on one topic reach 0.48-0.87 (`scripts/bench-quality.sh`, long rows).
    pub fn for_long_text(self) -> Thresholds {
        Thresholds {
            floor: (self.floor + self.alone) / 2.0,
            alone: self.alone,
        }
    }
}

/// The thresholds calibrated for the model with id `model_id` from `source`, if there are
/// some for exactly that model. An unreadable or malformed file counts as none.
pub fn thresholds(source: &ModelSource, model_id: &str) -> Option<Thresholds> {
    let text = match source {
        ModelSource::Dir(dir) => std::fs::read_to_string(dir.join(FILE_NAME)).ok()?,
        ModelSource::Bundled(model) => model.calibration?.to_string(),
    };
    let calibration: Calibration = toml::from_str(&text).ok()?;
    (calibration.model_id == model_id).then_some(Thresholds {
        floor: calibration.similarity_floor,
        alone: calibration.similarity_alone,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_text_needs_a_similarity_halfway_between_floor_and_alone() {
        let short = Thresholds {
            floor: 0.3,
            alone: 0.7,
        };
        let long = short.for_long_text();
        assert!((long.floor - 0.5).abs() < 1e-6, "{long:?}");
        assert_eq!(long.alone, 0.7);
    }

    #[test]
    fn a_floor_counts_only_for_its_own_model() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(FILE_NAME),
            "model_id = \"m@1\"\nsimilarity_floor = 0.3\nsimilarity_alone = 0.5\nmethod = \"test\"\n",
        )
        .unwrap();
        let expected = Thresholds {
            floor: 0.3,
            alone: 0.5,
        };
        let source = ModelSource::Dir(dir.path().to_path_buf());
        assert_eq!(thresholds(&source, "m@1"), Some(expected));
        assert_eq!(thresholds(&source, "m@2"), None);
        let missing = ModelSource::Dir("/nonexistent".into());
        assert_eq!(thresholds(&missing, "m@1"), None);
    }
}
