//! Which files make a model directory, and in which format its weights are.

use std::path::{Path, PathBuf};

use super::model_error;
use crate::Result;

/// How a model's weights are stored, which decides the engine that runs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `model.safetensors` (f32, f16 or bf16) with `config.json`: run by candle's BERT.
    Safetensors,
    /// `model.onnx`, or `onnx/model.onnx` as Hugging Face lays exports out: run by tract.
    Onnx,
}

/// Where the weights sit in a model directory, tried in this order.
const WEIGHTS: [(&str, Format); 3] = [
    ("model.safetensors", Format::Safetensors),
    ("model.onnx", Format::Onnx),
    ("onnx/model.onnx", Format::Onnx),
];

/// The files of one model directory.
#[derive(Debug)]
pub struct ModelFiles {
    pub dir: PathBuf,
    pub format: Format,
    pub weights: PathBuf,
}

impl ModelFiles {
    /// Finds the weights in `dir`: safetensors first, then ONNX.
    pub fn locate(dir: &Path) -> Result<ModelFiles> {
        if let Err(err) = std::fs::read_dir(dir) {
            return Err(model_error(dir, format!("not a model directory: {err}")));
        }
        WEIGHTS
            .iter()
            .map(|&(name, format)| (dir.join(name), format))
            .find(|(path, _)| path.is_file())
            .map(|(weights, format)| ModelFiles {
                dir: dir.to_path_buf(),
                format,
                weights,
            })
            .ok_or_else(|| {
                model_error(
                    dir,
                    "no model.safetensors, model.onnx or onnx/model.onnx in it",
                )
            })
    }

    /// Reads a file of the directory whole.
    pub fn read(&self, name: &str) -> Result<Vec<u8>> {
        std::fs::read(self.dir.join(name))
            .map_err(|e| model_error(&self.dir, format!("cannot read {name}: {e}")))
    }

    /// `config.json`: required beside safetensors (it gives the architecture), optional beside
    /// ONNX (the graph is the architecture; the config only tells the position limit).
    pub fn config(&self) -> Result<Option<Vec<u8>>> {
        if self.format == Format::Onnx && !self.dir.join("config.json").exists() {
            return Ok(None);
        }
        self.read("config.json").map(Some)
    }

    /// The weights file, mapped rather than read: loading reads each byte once, straight from
    /// the page cache, and no copy of tens of megabytes is made first.
    pub fn map_weights(&self) -> Result<memmap2::Mmap> {
        map(&self.dir, &self.weights)
    }

    /// The files an ONNX graph keeps its weights in when they are stored outside it, under the
    /// names exporters give them (`model.onnx_data` from Hugging Face's exporters,
    /// `model.onnx.data` from torch); tract finds them itself, and the model id needs them too.
    pub fn map_external_data(&self) -> Result<Vec<memmap2::Mmap>> {
        if self.format != Format::Onnx {
            return Ok(Vec::new());
        }
        ["_data", ".data"]
            .into_iter()
            .map(|suffix| {
                let mut name = self.weights.clone().into_os_string();
                name.push(suffix);
                PathBuf::from(name)
            })
            .filter(|path| path.is_file())
            .map(|path| map(&self.dir, &path))
            .collect()
    }

    /// The weights file's name relative to the directory, for messages.
    pub fn weights_name(&self) -> String {
        self.weights
            .strip_prefix(&self.dir)
            .unwrap_or(&self.weights)
            .display()
            .to_string()
    }
}

/// A file of the model directory `dir`, mapped read-only.
fn map(dir: &Path, path: &Path) -> Result<memmap2::Mmap> {
    let cannot = |e: std::io::Error| {
        let name = path.strip_prefix(dir).unwrap_or(path).display();
        model_error(dir, format!("cannot read {name}: {e}"))
    };
    let file = std::fs::File::open(path).map_err(cannot)?;
    // SAFETY: the map is read-only and lives only while the model loads. Were the file
    // truncated meanwhile, reads would fault; model files are not edited while in use.
    unsafe { memmap2::Mmap::map(&file) }.map_err(cannot)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir_with(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for name in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, b"x").unwrap();
        }
        dir
    }

    #[test]
    fn safetensors_wins_over_onnx() {
        let dir = dir_with(&["model.onnx", "model.safetensors"]);
        let files = ModelFiles::locate(dir.path()).unwrap();
        assert_eq!(files.format, Format::Safetensors);
    }

    #[test]
    fn hugging_face_onnx_layout_is_found() {
        let dir = dir_with(&["onnx/model.onnx", "tokenizer.json"]);
        let files = ModelFiles::locate(dir.path()).unwrap();
        assert_eq!(files.format, Format::Onnx);
        assert_eq!(files.weights_name(), "onnx/model.onnx");
        assert_eq!(
            files.config().unwrap(),
            None,
            "config.json is optional for ONNX"
        );
    }

    #[test]
    fn safetensors_needs_its_config() {
        let dir = dir_with(&["model.safetensors"]);
        let err = ModelFiles::locate(dir.path())
            .unwrap()
            .config()
            .unwrap_err();
        assert!(err.to_string().contains("cannot read config.json"), "{err}");
    }

    #[test]
    fn a_directory_without_weights_says_what_it_looked_for() {
        let dir = dir_with(&["tokenizer.json"]);
        let err = ModelFiles::locate(dir.path()).unwrap_err().to_string();
        assert!(err.contains("no model.safetensors, model.onnx"), "{err}");
    }

    #[test]
    fn a_missing_directory_is_named() {
        let err = ModelFiles::locate(Path::new("/nonexistent/model"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("/nonexistent/model: not a model directory"),
            "{err}"
        );
    }
}
