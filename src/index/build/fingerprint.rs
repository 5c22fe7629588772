//! The corpus's fingerprint: a cheap summary of its files (paths, sizes, modification times,
//! who may read them) and data files, recorded with each generation; when it changes, the index
//! is stale.

use std::path::Path;

use crate::corpus::{self, CorpusFile};
use crate::index::{manifest, store};
use crate::{Result, lexicon, symptoms, taxonomy};

/// The directory that may hold the data files (`approaches.toml`, `lexicon.toml`,
/// `urgent.toml`) for a corpus.
pub fn data_dir(corpus_path: &Path) -> Option<&Path> {
    if corpus_path.is_dir() {
        Some(corpus_path)
    } else {
        corpus_path.parent()
    }
}

/// A cheap summary of the corpus's state (paths, sizes, modification times of every corpus file
/// and data file): when it changes, the index is stale.
pub fn fingerprint(corpus_path: &Path) -> Result<String> {
    let (files, _) = corpus::discover(corpus_path)?;
    Ok(fingerprint_of(corpus_path, &files))
}

/// [`fingerprint`] of files already discovered.
pub(in crate::index) fn fingerprint_of(corpus_path: &Path, files: &[CorpusFile]) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(&store::FORMAT_VERSION.to_le_bytes());
    // Names relative to the corpus, so the same corpus reached by another path is the same.
    let data_files = data_dir(corpus_path).into_iter().flat_map(|dir| {
        [taxonomy::FILE_NAME, lexicon::FILE_NAME, symptoms::FILE_NAME]
            .map(|name| (dir.join(name), name.to_string()))
    });
    // A file's sidecar (its metadata) is part of it.
    let entries = files
        .iter()
        .flat_map(|f| {
            let sidecar = corpus::sidecar_path(&f.path);
            [
                (f.path.clone(), f.relative.clone()),
                (sidecar, format!("{}.meta.toml", f.relative)),
            ]
        })
        .chain(data_files);
    for (path, name) in entries {
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        let modified = u128::from(manifest::modified_nanos(&meta));
        hasher.update(name.as_bytes());
        hasher.update(&meta.len().to_le_bytes());
        hasher.update(&modified.to_le_bytes());
        hasher.update(&access(&meta));
    }
    hasher.finalize().to_hex()[..32].to_string()
}

/// Who may read a file: its permission bits and owner. Making a skipped file readable changes
/// neither its size nor its time, and "index is up to date" kept it out of the index.
#[cfg(unix)]
fn access(meta: &std::fs::Metadata) -> [u8; 12] {
    use std::os::unix::fs::MetadataExt;
    let mut bytes = [0; 12];
    bytes[..4].copy_from_slice(&meta.mode().to_le_bytes());
    bytes[4..8].copy_from_slice(&meta.uid().to_le_bytes());
    bytes[8..].copy_from_slice(&meta.gid().to_le_bytes());
    bytes
}

#[cfg(not(unix))]
fn access(meta: &std::fs::Metadata) -> [u8; 1] {
    [u8::from(meta.permissions().readonly())]
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn a_file_made_readable_changes_the_fingerprint() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("walking.md");
        std::fs::write(&file, "# Walking\n\nA gentle walk.\n").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).unwrap();
        let unreadable = fingerprint(dir.path()).unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert_ne!(fingerprint(dir.path()).unwrap(), unreadable);
    }
}
