//! What a generation knows about each corpus file it indexed, and the comparison with the corpus
//! as it is now. This is what lets `mbc index` re-read only the files that changed: a file whose
//! size and modification time are as recorded is unchanged; otherwise its content hash decides
//! (a checkout or a copy touches files without changing them).

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::corpus::{CorpusFile, Skipped};

/// Per-file records, by path relative to the corpus root.
pub type Manifest = BTreeMap<String, FileRecord>;

/// A file's state on disk when it was read.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileStamp {
    pub size: u64,
    /// Nanoseconds since the Unix epoch.
    pub modified: u64,
    /// BLAKE3 of the content, hex.
    pub hash: String,
}

/// One indexed file: its stamp and what it yielded.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileRecord {
    #[serde(flatten)]
    pub stamp: FileStamp,
    pub documents: usize,
    pub passages: usize,
    /// Records or the whole file left out, still true while the file is unchanged.
    pub skipped: Vec<Skipped>,
    /// The document's `last_reviewed` date, if it declares one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed: Option<String>,
}

/// The corpus now, against a manifest.
#[derive(Debug, Default)]
pub struct Changes<'a> {
    /// Files to carry over as they are, with their (possibly refreshed) records.
    pub unchanged: Manifest,
    /// New files and changed files, with their current stamps.
    pub to_index: Vec<(&'a CorpusFile, FileStamp)>,
    /// Files of the manifest that changed: their passages are replaced.
    pub changed: Vec<String>,
    /// Files of the manifest that are gone: their passages are removed.
    pub removed: Vec<String>,
}

impl Changes<'_> {
    /// Files whose passages in the previous index must be deleted.
    pub fn outdated(&self) -> impl Iterator<Item = &str> {
        self.changed.iter().chain(&self.removed).map(String::as_str)
    }

    /// Files the manifest does not have.
    pub fn new_files(&self) -> impl Iterator<Item = &str> {
        self.to_index
            .iter()
            .map(|(file, _)| file.relative.as_str())
            .filter(|name| !self.changed.iter().any(|c| c == name))
    }
}

/// Compares the corpus files with `previous`. Files that cannot be read are passed on to be
/// indexed, where they are reported as skipped. With `trust_stamps`, a file whose size and
/// time are as recorded is taken as unchanged without reading it; without, every file is hashed.
pub fn compare<'a>(
    files: &'a [CorpusFile],
    previous: &Manifest,
    trust_stamps: bool,
) -> Changes<'a> {
    let current: Vec<(&CorpusFile, Option<FileStamp>, Option<&FileRecord>)> = files
        .par_iter()
        .map(|file| {
            let record = previous.get(&file.relative);
            let trusted = record.filter(|_| trust_stamps);
            (file, current_stamp(&file.path, trusted), record)
        })
        .collect();
    let mut changes = Changes::default();
    for (file, stamp, record) in current {
        match (stamp, record) {
            (Some(stamp), Some(record)) if stamp.hash == record.stamp.hash => {
                let record = FileRecord {
                    stamp,
                    ..record.clone()
                };
                changes.unchanged.insert(file.relative.clone(), record);
            }
            (stamp, record) => {
                if record.is_some() {
                    changes.changed.push(file.relative.clone());
                }
                changes
                    .to_index
                    .push((file, stamp.unwrap_or_else(FileStamp::unreadable)));
            }
        }
    }
    let present: HashSet<&str> = files.iter().map(|f| f.relative.as_str()).collect();
    changes.removed = previous
        .keys()
        .filter(|name| !present.contains(name.as_str()))
        .cloned()
        .collect();
    reread_clashing_ids(files, &mut changes);
    changes
}

/// True when a file `previous` records now has other content, whatever its size and time say:
/// an edit that kept the file's size, with its time set back (an archive unpacked with fixed
/// times, `touch -r`), changes neither. Files that cannot be read are left to the build.
pub fn content_changed(files: &[CorpusFile], previous: &Manifest) -> bool {
    files.par_iter().any(|file| {
        previous.get(&file.relative).is_some_and(|record| {
            current_stamp(&file.path, None).is_some_and(|now| now.hash != record.stamp.hash)
        })
    })
}

/// Moves the unchanged files with a record left out for a duplicate id to the files to index,
/// when another file changed or went: the clash may be gone, and only reading them again
/// shows it. Carried over as they were, such records stayed out for good, and the index was
/// "up to date" without them (a full rebuild had them).
fn reread_clashing_ids<'a>(files: &'a [CorpusFile], changes: &mut Changes<'a>) {
    if changes.to_index.is_empty() && changes.removed.is_empty() {
        return;
    }
    let clashing: Vec<String> = changes
        .unchanged
        .iter()
        .filter(|(_, record)| record.skipped.iter().any(Skipped::is_duplicate_id))
        .map(|(name, _)| name.clone())
        .collect();
    for name in clashing {
        let Some(file) = files.iter().find(|f| f.relative == name) else {
            continue;
        };
        let record = changes.unchanged.remove(&name).expect("listed above");
        changes.changed.push(name);
        changes.to_index.push((file, record.stamp));
    }
}

/// The file's stamp; its content is hashed only when size or time differ from `record`. A
/// file's sidecar (`NAME.meta.toml`, its metadata) counts as part of it.
fn current_stamp(path: &Path, record: Option<&FileRecord>) -> Option<FileStamp> {
    let meta = std::fs::metadata(path).ok()?;
    let sidecar = crate::corpus::sidecar_path(path);
    let sidecar_meta = std::fs::metadata(&sidecar).ok();
    let size = meta.len() + sidecar_meta.as_ref().map_or(0, |m| m.len() + 1);
    let modified = modified_nanos(&meta).max(sidecar_meta.as_ref().map_or(0, modified_nanos));
    if let Some(record) = record
        && record.stamp.size == size
        && record.stamp.modified == modified
    {
        return Some(record.stamp.clone());
    }
    let mut hasher = blake3::Hasher::new();
    hasher.update_reader(std::fs::File::open(path).ok()?).ok()?;
    if sidecar_meta.is_some() {
        hasher.update(b"\0sidecar\0");
        hasher
            .update_reader(std::fs::File::open(&sidecar).ok()?)
            .ok()?;
    }
    Some(FileStamp {
        size,
        modified,
        hash: hasher.finalize().to_hex().to_string(),
    })
}

/// A file's modification time in nanoseconds since the Unix epoch (0 when unknown).
pub fn modified_nanos(meta: &std::fs::Metadata) -> u64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

impl FileStamp {
    /// The stamp of a file that could not be read: it matches no content, so the file is
    /// tried again next time.
    fn unreadable() -> Self {
        FileStamp {
            size: 0,
            modified: 0,
            hash: String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::FileKind;

    fn corpus_file(dir: &Path, name: &str, text: &str) -> CorpusFile {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        CorpusFile {
            path,
            relative: name.to_string(),
            kind: FileKind::Markdown,
        }
    }

    fn manifest_of(files: &[CorpusFile]) -> Manifest {
        compare(files, &Manifest::new(), true)
            .to_index
            .into_iter()
            .map(|(file, stamp)| {
                let record = FileRecord {
                    stamp,
                    documents: 1,
                    passages: 1,
                    skipped: Vec::new(),
                    reviewed: None,
                };
                (file.relative.clone(), record)
            })
            .collect()
    }

    #[test]
    fn against_an_empty_manifest_everything_is_new() {
        let dir = tempfile::tempdir().unwrap();
        let files = [corpus_file(dir.path(), "a.md", "one")];
        let changes = compare(&files, &Manifest::new(), true);
        assert_eq!(changes.to_index.len(), 1);
        assert_eq!(changes.new_files().collect::<Vec<_>>(), ["a.md"]);
        assert!(changes.changed.is_empty() && changes.removed.is_empty());
    }

    #[test]
    fn edited_removed_and_touched_files_are_told_apart() {
        let dir = tempfile::tempdir().unwrap();
        let files = [
            corpus_file(dir.path(), "edited.md", "before"),
            corpus_file(dir.path(), "gone.md", "bye"),
            corpus_file(dir.path(), "touched.md", "same"),
            corpus_file(dir.path(), "kept.md", "kept"),
        ];
        let manifest = manifest_of(&files);
        std::thread::sleep(std::time::Duration::from_millis(10));
        let now = [
            corpus_file(dir.path(), "edited.md", "after!"),
            corpus_file(dir.path(), "touched.md", "same"),
            files[3].clone(),
            corpus_file(dir.path(), "new.md", "new"),
        ];
        let changes = compare(&now, &manifest, true);
        let indexed: Vec<&str> = changes
            .to_index
            .iter()
            .map(|(f, _)| f.relative.as_str())
            .collect();
        assert_eq!(indexed, ["edited.md", "new.md"]);
        assert_eq!(changes.changed, ["edited.md"]);
        assert_eq!(changes.removed, ["gone.md"]);
        assert_eq!(
            changes.unchanged.keys().collect::<Vec<_>>(),
            ["kept.md", "touched.md"]
        );
        assert_ne!(
            changes.unchanged["touched.md"].stamp.modified, manifest["touched.md"].stamp.modified,
            "a touched file's record takes its new time"
        );
        assert_eq!(changes.outdated().count(), 2);
    }
}
