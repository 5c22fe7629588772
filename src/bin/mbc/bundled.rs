//! What the `mbc` binary carries, so that an installed copy needs no files beside it: the
//! default embedding model, loaded straight from these bytes, and the bundled corpus with its
//! vector seed, written once into the data directory to be indexed there. Inside a checkout
//! (a directory with a `corpus/` or an `index/`) the files there are used instead
//! (`settings::Location`).

use std::io;
use std::path::Path;

use mbc::embed::BundledModel;

macro_rules! model_file {
    ($name:literal) => {
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/models/all-MiniLM-L6-v2/",
            $name
        ))
    };
}

/// Bytes aligned for reading as f32 in place.
#[repr(C, align(64))]
struct Aligned<Bytes: ?Sized>(Bytes);

/// The model's weights as `build.rs` widened them.
static WEIGHTS: &Aligned<[u8]> = &Aligned(*include_bytes!(concat!(
    env!("OUT_DIR"),
    "/model.safetensors"
)));

/// The shipped model, `models/all-MiniLM-L6-v2`, with its weights widened when mbc was built.
/// It keeps the directory's model id, so the corpus's vector seed applies to it.
pub static MODEL: BundledModel = BundledModel {
    name: "all-MiniLM-L6-v2",
    id: include_str!(concat!(env!("OUT_DIR"), "/model-id")),
    config: model_file!("config.json"),
    tokenizer: model_file!("tokenizer.json"),
    weights: &WEIGHTS.0,
    calibration: Some(include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/models/all-MiniLM-L6-v2/mbc-calibration.toml"
    ))),
};

/// The bundled corpus's files as `(name, bytes)`, listed by `build.rs` from `corpus/`.
static CORPUS: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/bundled_corpus.rs"));

/// The file that names which bundled corpus a directory holds (hidden: the corpus loader skips
/// it).
const STAMP: &str = ".mbc-bundled";

/// Makes `dir` hold this binary's bundled corpus: nothing to do when its stamp says it does;
/// otherwise the files are written into a new directory beside it, which then replaces it
/// whole (an older binary's corpus included). Returns true when it wrote the corpus.
pub fn install_corpus(dir: &Path) -> io::Result<bool> {
    let stamp = corpus_stamp();
    if std::fs::read_to_string(dir.join(STAMP)).is_ok_and(|s| s.trim() == stamp) {
        return Ok(false);
    }
    let parent = dir.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let fresh = tempfile::Builder::new()
        .prefix(".corpus-")
        .tempdir_in(parent)?;
    for (name, bytes) in CORPUS {
        std::fs::write(fresh.path().join(name), bytes)?;
    }
    std::fs::write(fresh.path().join(STAMP), &stamp)?;
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    match std::fs::rename(fresh.path(), dir) {
        Ok(()) => {
            // Renamed: nothing is left for the temporary directory's guard to delete.
            let _ = fresh.keep();
            Ok(true)
        }
        // Another mbc installed it first.
        Err(_) if std::fs::read_to_string(dir.join(STAMP)).is_ok_and(|s| s.trim() == stamp) => {
            Ok(false)
        }
        Err(err) => Err(err),
    }
}

/// A hash of the bundled corpus's names and bytes.
fn corpus_stamp() -> String {
    let mut hasher = blake3::Hasher::new();
    for (name, bytes) in CORPUS {
        hasher.update(name.as_bytes());
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    }
    hasher.finalize().to_hex().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_model_is_the_directorys_with_weights_ready_to_use_in_place() {
        let dir = mbc::embed::ModelSource::Dir(
            concat!(env!("CARGO_MANIFEST_DIR"), "/models/all-MiniLM-L6-v2").into(),
        );
        let built_in = mbc::embed::ModelSource::Bundled(&MODEL);
        assert_eq!(
            mbc::embed::identify(&built_in).unwrap(),
            mbc::embed::identify(&dir).unwrap()
        );
        let file = safetensors::SafeTensors::deserialize(MODEL.weights).unwrap();
        for (name, view) in file.tensors() {
            // Integer buffers (`position_ids`) are not weights.
            if name.ends_with("word_embeddings.weight") || view.dtype() == safetensors::Dtype::I64 {
                continue;
            }
            assert_eq!(view.dtype(), safetensors::Dtype::F32, "{name}");
            assert_eq!(
                view.data().as_ptr() as usize % 4,
                0,
                "{name} is not aligned"
            );
        }
        let text = ["bone pain at night".to_string()];
        let a = mbc::embed::Embedder::load(&built_in)
            .unwrap()
            .embed(&text, &|_| {});
        let b = mbc::embed::Embedder::load(&dir)
            .unwrap()
            .embed(&text, &|_| {});
        assert_eq!(
            a.unwrap(),
            b.unwrap(),
            "the same arithmetic on the same values"
        );
    }

    #[test]
    fn the_bundled_corpus_is_installed_once_and_replaces_an_old_copy() {
        let home = tempfile::tempdir().unwrap();
        let dir = home.path().join("corpus");
        assert!(install_corpus(&dir).unwrap());
        assert!(dir.join("07-bone-metastases.md").is_file());
        assert!(dir.join(".vectors.bin").is_file());
        assert!(!install_corpus(&dir).unwrap(), "already there");
        std::fs::write(dir.join(STAMP), "an older binary's").unwrap();
        std::fs::write(dir.join("stale.md"), "gone").unwrap();
        assert!(install_corpus(&dir).unwrap());
        assert!(!dir.join("stale.md").exists());
    }
}
