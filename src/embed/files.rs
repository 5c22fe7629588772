//! Which files make a model, and in which format its weights are: a model directory's files,
//! or the bytes of a model compiled into the program.

use std::borrow::Cow;
use std::ops::Deref;
use std::path::{Path, PathBuf};

use super::model_error;
use super::model_id::model_id;
use super::source::{BundledModel, ModelSource};
use crate::Result;

/// How a model's weights are stored, which decides the engine that runs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `model.safetensors` (f32, f16 or bf16) with `config.json`: run by mbc's BERT encoder
    /// (`embed/bert.rs`).
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

/// The files of one model.
#[derive(Debug)]
pub struct ModelFiles {
    pub format: Format,
    place: Place,
}

#[derive(Debug)]
enum Place {
    Dir { dir: PathBuf, weights: PathBuf },
    Bundled(&'static BundledModel),
}

/// A file's bytes: mapped from disk (with the open file, for reading it again after the map is
/// gone), or compiled into the program.
pub enum Bytes {
    Mapped(memmap2::Mmap, std::fs::File),
    Static(&'static [u8]),
}

impl Deref for Bytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Mapped(map, _) => map,
            Bytes::Static(bytes) => bytes,
        }
    }
}

impl ModelFiles {
    /// Finds the weights: in a directory safetensors first, then ONNX; a compiled-in model is
    /// safetensors.
    pub fn locate(source: &ModelSource) -> Result<ModelFiles> {
        let dir = match source {
            ModelSource::Bundled(model) => {
                return Ok(ModelFiles {
                    format: Format::Safetensors,
                    place: Place::Bundled(model),
                });
            }
            ModelSource::Dir(dir) => dir,
        };
        if let Err(err) = std::fs::read_dir(dir) {
            return Err(model_error(dir, format!("not a model directory: {err}")));
        }
        WEIGHTS
            .iter()
            .map(|&(name, format)| (dir.join(name), format))
            .find(|(path, _)| path.is_file())
            .map(|(weights, format)| ModelFiles {
                format,
                place: Place::Dir {
                    dir: dir.to_path_buf(),
                    weights,
                },
            })
            .ok_or_else(|| {
                model_error(
                    dir,
                    "no model.safetensors, model.onnx or onnx/model.onnx in it",
                )
            })
    }

    /// Reads a file of the model whole (`config.json`, `tokenizer.json`).
    pub fn read(&self, name: &str) -> Result<Cow<'static, [u8]>> {
        match &self.place {
            Place::Dir { dir, .. } => std::fs::read(dir.join(name))
                .map(Cow::Owned)
                .map_err(|e| model_error(dir, format!("cannot read {name}: {e}"))),
            Place::Bundled(model) => match name {
                "config.json" => Ok(Cow::Borrowed(model.config)),
                "tokenizer.json" => Ok(Cow::Borrowed(model.tokenizer)),
                _ => Err(model_error(
                    &ModelSource::Bundled(model).label(),
                    format!("has no {name}"),
                )),
            },
        }
    }

    /// `config.json`: required beside safetensors (it gives the architecture), optional beside
    /// ONNX (the graph is the architecture; the config only tells the position limit).
    pub fn config(&self) -> Result<Option<Cow<'static, [u8]>>> {
        if let Place::Dir { dir, .. } = &self.place
            && self.format == Format::Onnx
            && !dir.join("config.json").exists()
        {
            return Ok(None);
        }
        self.read("config.json").map(Some)
    }

    /// The weights, mapped rather than read: loading reads each byte once, straight from the
    /// page cache, and no copy of tens of megabytes is made first.
    pub fn map_weights(&self) -> Result<Bytes> {
        match &self.place {
            Place::Dir { dir, weights } => map(dir, weights),
            Place::Bundled(model) => Ok(Bytes::Static(model.weights)),
        }
    }

    /// The model's id ([`model_id`]), `name` being the directory's name, from the files the
    /// caller has already read. The built-in model carries the id of the directory it was made
    /// from.
    pub fn id(
        &self,
        name: &str,
        config: Option<&[u8]>,
        tokenizer: &[u8],
        weights: &[u8],
    ) -> Result<String> {
        if let Place::Bundled(model) = &self.place {
            return Ok(model.id.to_string());
        }
        let external = self.map_external_data()?;
        let external: Vec<&[u8]> = external.iter().map(|bytes| &bytes[..]).collect();
        Ok(model_id(name, config, tokenizer, weights, &external))
    }

    /// The ONNX graph's path, for tract (which finds external weight files beside it).
    pub fn onnx_path(&self) -> Option<&Path> {
        match &self.place {
            Place::Dir { weights, .. } if self.format == Format::Onnx => Some(weights),
            _ => None,
        }
    }

    /// The files an ONNX graph keeps its weights in when they are stored outside it, under the
    /// names exporters give them (`model.onnx_data` from Hugging Face's exporters,
    /// `model.onnx.data` from torch); tract finds them itself, and the model id needs them too.
    pub fn map_external_data(&self) -> Result<Vec<Bytes>> {
        let (Place::Dir { dir, weights }, Format::Onnx) = (&self.place, self.format) else {
            return Ok(Vec::new());
        };
        ["_data", ".data"]
            .into_iter()
            .map(|suffix| {
                let mut name = weights.clone().into_os_string();
                name.push(suffix);
                PathBuf::from(name)
            })
            .filter(|path| path.is_file())
            .map(|path| map(dir, &path))
            .collect()
    }

    /// The weights file's name relative to the directory, for messages.
    pub fn weights_name(&self) -> String {
        match &self.place {
            Place::Dir { dir, weights } => weights
                .strip_prefix(dir)
                .unwrap_or(weights)
                .display()
                .to_string(),
            Place::Bundled(_) => "model.safetensors".to_string(),
        }
    }
}

/// A file of the model directory `dir`, mapped read-only.
fn map(dir: &Path, path: &Path) -> Result<Bytes> {
    let cannot = |e: std::io::Error| {
        let name = path.strip_prefix(dir).unwrap_or(path).display();
        model_error(dir, format!("cannot read {name}: {e}"))
    };
    let file = std::fs::File::open(path).map_err(cannot)?;
    // SAFETY: the map is read-only and lives only while the model loads. Were the file
    // truncated meanwhile, reads would fault; model files are not edited while in use.
    let map = unsafe { memmap2::Mmap::map(&file) }.map_err(cannot)?;
    Ok(Bytes::Mapped(map, file))
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
        let files = ModelFiles::locate(&ModelSource::Dir(dir.path().to_path_buf())).unwrap();
        assert_eq!(files.format, Format::Safetensors);
    }

    #[test]
    fn hugging_face_onnx_layout_is_found() {
        let dir = dir_with(&["onnx/model.onnx", "tokenizer.json"]);
        let files = ModelFiles::locate(&ModelSource::Dir(dir.path().to_path_buf())).unwrap();
        assert_eq!(files.format, Format::Onnx);
        assert_eq!(files.weights_name(), "onnx/model.onnx");
        assert!(
            files.config().unwrap().is_none(),
            "config.json is optional for ONNX"
        );
    }

    #[test]
    fn safetensors_needs_its_config() {
        let dir = dir_with(&["model.safetensors"]);
        let err = ModelFiles::locate(&ModelSource::Dir(dir.path().to_path_buf()))
            .unwrap()
            .config()
            .unwrap_err();
        assert!(err.to_string().contains("cannot read config.json"), "{err}");
    }

    #[test]
    fn a_directory_without_weights_says_what_it_looked_for() {
        let dir = dir_with(&["tokenizer.json"]);
        let err = ModelFiles::locate(&ModelSource::Dir(dir.path().to_path_buf()))
            .unwrap_err()
            .to_string();
        assert!(err.contains("no model.safetensors, model.onnx"), "{err}");
    }

    #[test]
    fn a_missing_directory_is_named() {
        let err = ModelFiles::locate(&ModelSource::Dir("/nonexistent/model".into()))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("/nonexistent/model: not a model directory"),
            "{err}"
        );
    }
}
