//! Where a model comes from: a directory of files, or a model compiled into a program (the
//! `mbc` binary carries its default model, so that an installed binary needs no files beside
//! it). Both give the same bytes to the same loader, and the same model id.

use std::path::{Path, PathBuf};

/// A model's files compiled into a program, by the names they have in a model directory.
#[derive(Debug)]
pub struct BundledModel {
    /// The name of the directory it was made from: the first part of its model id.
    pub name: &'static str,
    /// `config.json`.
    pub config: &'static [u8],
    /// `tokenizer.json`.
    pub tokenizer: &'static [u8],
    /// The id of the model directory it was made from ([`super::identify`]).
    pub id: &'static str,
    /// `model.safetensors`, its weights as the engine computes with them (f32, little-endian,
    /// aligned to 4 bytes), except the word-piece table, which may stay as stored.
    pub weights: &'static [u8],
    /// `mbc-calibration.toml`, if the model has one.
    pub calibration: Option<&'static str>,
}

/// A model directory, or a model compiled into the program.
#[derive(Debug, Clone)]
pub enum ModelSource {
    Dir(PathBuf),
    Bundled(&'static BundledModel),
}

impl ModelSource {
    /// How messages name the model: the directory, or "built-in model NAME".
    pub fn label(&self) -> PathBuf {
        match self {
            ModelSource::Dir(dir) => dir.clone(),
            ModelSource::Bundled(model) => PathBuf::from(format!("built-in model {}", model.name)),
        }
    }

    /// The name its model id starts with: the directory's name.
    pub fn name(&self) -> String {
        match self {
            ModelSource::Dir(dir) => dir
                .file_name()
                .map_or_else(|| "model".into(), |n| n.to_string_lossy().into_owned()),
            ModelSource::Bundled(model) => model.name.to_string(),
        }
    }

    /// The directory, for a model that has one.
    pub fn dir(&self) -> Option<&Path> {
        match self {
            ModelSource::Dir(dir) => Some(dir),
            ModelSource::Bundled(_) => None,
        }
    }
}

impl std::fmt::Display for ModelSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.label().display())
    }
}
