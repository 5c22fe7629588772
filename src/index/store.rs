//! The on-disk layout of an index directory: generations, the `CURRENT` pointer, the build lock
//! and each generation's `mbc.json`. This is what makes builds atomic: a generation becomes
//! visible only by the rename of `CURRENT`, after it is complete.

use std::fs::{self, File};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::damage::DamagedFile;
use super::manifest::Manifest;
use crate::atomic_file;
use crate::passage::SplitOptions;
use crate::{Error, Result};

const CURRENT: &str = "CURRENT";
const LOCK: &str = ".lock";
const GENERATION_PREFIX: &str = "gen-";
const BUILD_PREFIX: &str = ".build-";
/// Marks a directory as an mbc index: mbc deletes only inside a directory that has it, and only
/// what it created there.
const MARKER: &str = ".mbc-index";
const MARKER_TEXT: &str = "This directory is an mbc index. mbc deletes only the generations and build directories it created here.\n";
pub const META_FILE: &str = "mbc.json";

/// Bumped whenever the schema, the analysis, the approach tagging or a file format changes, so
/// older indexes are rebuilt. 3: vector files carry a checksum. 4: the tagging rules of
/// 2026-11-30 (a passage's tags are stored when it is indexed). 5: the lexicon is kept
/// analyzed (`lexicon.json`). 6: an approach can survive the survey rule (`survives_surveys`).
/// 7: the analyzed lexicon keeps its `[[contrary]]` pairs. 8: it keeps the terms that only
/// their stop words make more than one word apart (`lexicon::WithStopWords`). 9: an approach
/// term that opens a sentence is evidence for tagging. 10: a Markdown file's first `#` heading
/// under a front-matter title is a section heading, not dropped. 11: a passage keeps its
/// document's `first_only_when_asked`. 12: the urgent list is kept analyzed (`urgent.json`).
/// 13: a plain-text file's byte-order mark is not its title, and a JSON-lines array no record.
/// 14: a passage keeps its document's `keep_out_of_first`. 15: the analyzed urgent list keeps
/// its written words without apostrophes, negations contracted, and its `unless` phrases. 16:
/// an acute accent or a modifier letter typed for an apostrophe ("can´t") is one.
pub const FORMAT_VERSION: u32 = 16;

/// What `mbc.json` records about a generation.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct IndexMeta {
    pub format: u32,
    pub mbc_version: String,
    /// Seconds since the Unix epoch.
    pub built_at: u64,
    pub build_seconds: f64,
    pub corpus: PathBuf,
    pub corpus_fingerprint: String,
    pub documents: usize,
    pub passages: usize,
    pub skipped: Vec<String>,
    /// Passage sizes the generation was split with (absent before updates existed).
    #[serde(default)]
    pub split: Option<SplitOptions>,
    /// What each corpus file yielded, by relative path: what an update compares against.
    #[serde(default)]
    pub files: Manifest,
    /// Why the build has no passage vectors although it had a model: the next explicit
    /// `mbc index` tries again.
    #[serde(default)]
    pub vectors_failed: Option<String>,
    /// BLAKE3 (hex) of each data file the build wrote (taxonomy, lexicon, urgent symptoms), by
    /// file name: a file changed since reads as valid data, and only this tells `mbc check`
    /// that it is not what was built. Empty in an index built before they were kept.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub data_hashes: std::collections::BTreeMap<String, String>,
    /// BLAKE3 (hex) of each data file the build read (`approaches.toml`, `lexicon.toml`,
    /// `urgent.toml`, the corpus's or the bundled one), by file name: an explicit `mbc index`
    /// compares them, since an edit that keeps a file's size and time changes no fingerprint.
    /// Empty in an index built before they were kept.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub source_hashes: std::collections::BTreeMap<String, String>,
}

impl IndexMeta {
    /// The oldest review date a corpus file declares, with the file's path relative to the
    /// corpus.
    pub fn oldest_review(&self) -> Option<(&str, &str)> {
        self.files
            .iter()
            .filter_map(|(path, record)| Some((record.reviewed.as_deref()?, path.as_str())))
            .min()
    }

    /// The corpus files with no review date (dated or unsourced texts), by path; a file that
    /// yielded no document (skipped) is not a text.
    pub fn unreviewed(&self) -> Vec<&str> {
        self.files
            .iter()
            .filter(|(_, record)| record.reviewed.is_none() && record.documents > 0)
            .map(|(path, _)| path.as_str())
            .collect()
    }

    /// The corpus files last reviewed before `cutoff` (a `YYYY-MM-DD` date), oldest first:
    /// `(date, path)`.
    pub fn reviewed_before(&self, cutoff: &str) -> Vec<(&str, &str)> {
        let mut old: Vec<(&str, &str)> = self
            .files
            .iter()
            .filter_map(|(path, record)| Some((record.reviewed.as_deref()?, path.as_str())))
            .filter(|(date, _)| *date < cutoff)
            .collect();
        old.sort();
        old
    }
}

/// The hash [`IndexMeta::data_hashes`] keeps of a data file's bytes.
pub fn data_hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// The data files of `generation` that differ from what the build wrote, as damage.
pub fn changed_data_files(generation: &Path, meta: &IndexMeta) -> Vec<DamagedFile> {
    meta.data_hashes
        .iter()
        .filter(|(name, hash)| {
            fs::read(generation.join(name.as_str()))
                .map_or(true, |bytes| data_hash(&bytes) != **hash)
        })
        .map(|(name, _)| DamagedFile::new(name.clone(), "fails its checksum"))
        .collect()
}

/// The generation `CURRENT` points at, if any.
pub fn current_generation(index_dir: &Path) -> Result<Option<PathBuf>> {
    let pointer = index_dir.join(CURRENT);
    match fs::read_to_string(&pointer) {
        Ok(name) => Ok(Some(index_dir.join(name.trim()))),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) if err.kind() == std::io::ErrorKind::NotADirectory => Err(Error::io(
            index_dir,
            std::io::Error::new(
                err.kind(),
                "is a file, not a directory: give --index a directory (a new one is made)",
            ),
        )),
        Err(err) => Err(Error::io(pointer, err)),
    }
}

/// The metadata of the generation `CURRENT` points at, when there is one and it reads: what a
/// command asks of an index before deciding what to do with it (its corpus, its size).
pub fn current_meta(index_dir: &Path) -> Option<IndexMeta> {
    let generation = current_generation(index_dir).ok()??;
    read_meta(&generation).ok()
}

/// Reads a generation's `mbc.json`.
pub fn read_meta(generation: &Path) -> std::result::Result<IndexMeta, DamagedFile> {
    let text = fs::read_to_string(generation.join(META_FILE))
        .map_err(|e| DamagedFile::new(META_FILE, format!("cannot be read ({e})")))?;
    serde_json::from_str(&text)
        .map_err(|e| DamagedFile::new(META_FILE, format!("is invalid ({e})")))
}

pub fn write_meta(generation: &Path, meta: &IndexMeta) -> Result<()> {
    let text = serde_json::to_string_pretty(meta).expect("meta serializes");
    write_file(&generation.join(META_FILE), text.as_bytes())
}

/// Writes a whole file durably ([`atomic_file::write`]).
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    atomic_file::write(path, |out| out.write_all(bytes))
}

/// Fills `build` with the files of `generation`, except `own` (mbc's files, which a build writes
/// afresh) and tantivy's lock files. Segment files are never modified once written, so they are
/// hard-linked, which costs no space or time (copied where the file system cannot link);
/// tantivy's JSON bookkeeping is copied, so rewriting it cannot reach the old generation.
pub fn link_files(generation: &Path, build: &Path, own: &[&str]) -> Result<()> {
    for entry in fs::read_dir(generation).map_err(|e| Error::io(generation, e))? {
        let entry = entry.map_err(|e| Error::io(generation, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_lock = name.starts_with(".tantivy-") && name.ends_with(".lock");
        if own.contains(&name.as_str()) || is_lock || !entry.path().is_file() {
            continue;
        }
        let (from, to) = (entry.path(), build.join(&name));
        let linked = !name.ends_with(".json") && fs::hard_link(&from, &to).is_ok();
        if !linked {
            fs::copy(&from, &to).map_err(|e| Error::io(&to, e))?;
        }
    }
    Ok(())
}

/// Makes `index_dir` an mbc index directory, or refuses to: a directory that does not exist yet,
/// is empty, holds only a README, or is already an mbc index (marked, or built by an mbc from
/// before the marker) is adopted; any other directory holds someone's files, which a build could
/// delete, so it is refused.
pub fn adopt(index_dir: &Path) -> Result<()> {
    if index_dir.join(MARKER).is_file() {
        return Ok(());
    }
    let entries: Vec<String> = match fs::read_dir(index_dir) {
        Ok(entries) => entries
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect(),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(err) => return Err(Error::io(index_dir, err)),
    };
    let readme = |name: &str| name.to_ascii_lowercase().starts_with("readme");
    let ours = |name: &str| {
        name == CURRENT || name == LOCK || is_generation_name(name) || is_build_name(name)
    };
    let foreign = entries.iter().any(|n| !readme(n) && !ours(n));
    if foreign {
        let shown: Vec<&str> = entries.iter().take(5).map(String::as_str).collect();
        return Err(Error::NotAnIndexDirectory {
            path: index_dir.to_path_buf(),
            holds: shown.join(", "),
        });
    }
    fs::create_dir_all(index_dir).map_err(|e| Error::io(index_dir, e))?;
    write_file(&index_dir.join(MARKER), MARKER_TEXT.as_bytes())
}

/// True for a name mbc gives a generation: `gen-` and the suffix of [`unique_suffix`].
fn is_generation_name(name: &str) -> bool {
    name.strip_prefix(GENERATION_PREFIX)
        .is_some_and(is_unique_suffix)
}

/// True for a name mbc gives a build directory: `.build-` and the suffix of [`unique_suffix`].
fn is_build_name(name: &str) -> bool {
    name.strip_prefix(BUILD_PREFIX)
        .is_some_and(is_unique_suffix)
}

fn is_unique_suffix(suffix: &str) -> bool {
    suffix.split_once('-').is_some_and(|(millis, pid)| {
        millis.len() == 15
            && millis.bytes().all(|b| b.is_ascii_digit())
            && !pid.is_empty()
            && pid.bytes().all(|b| b.is_ascii_digit())
    })
}

/// Removes what killed builds left behind. Needs the [`BuildLock`], so that no build is using
/// them.
pub fn remove_leftovers(index_dir: &Path, _lock: &BuildLock) {
    let Ok(entries) = fs::read_dir(index_dir) else {
        return;
    };
    for entry in entries.flatten() {
        if is_build_name(&entry.file_name().to_string_lossy()) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// The exclusive right to build into an index directory, held for the life of the value.
#[derive(Debug)]
pub struct BuildLock {
    _file: File,
}

impl BuildLock {
    /// Takes the lock or reports which process holds it.
    pub fn acquire(index_dir: &Path) -> Result<BuildLock> {
        fs::create_dir_all(index_dir).map_err(|e| Error::io(index_dir, e))?;
        let path = index_dir.join(LOCK);
        let mut file = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        if let Err(err) = file.try_lock() {
            return match err {
                fs::TryLockError::WouldBlock => {
                    let mut pid = String::new();
                    let _ = file.read_to_string(&mut pid);
                    let pid = if pid.trim().is_empty() {
                        "unknown".into()
                    } else {
                        pid.trim().to_string()
                    };
                    Err(Error::IndexBusy {
                        path: index_dir.to_path_buf(),
                        pid,
                    })
                }
                fs::TryLockError::Error(e) => Err(Error::io(&path, e)),
            };
        }
        let pid = std::process::id().to_string();
        let written = file
            .set_len(0)
            .and_then(|_| file.rewind())
            .and_then(|_| file.write_all(pid.as_bytes()));
        written.map_err(|e| Error::io(&path, e))?;
        Ok(BuildLock { _file: file })
    }
}

/// A directory a build writes into; removed on drop unless published.
#[derive(Debug)]
pub struct BuildDir {
    path: PathBuf,
    published: bool,
}

impl BuildDir {
    /// Creates a fresh build directory, first removing what killed builds left behind. The
    /// caller holds the [`BuildLock`], so no other build is using them.
    pub fn create(index_dir: &Path, lock: &BuildLock) -> Result<BuildDir> {
        remove_leftovers(index_dir, lock);
        let path = index_dir.join(format!("{BUILD_PREFIX}{}", unique_suffix()));
        fs::create_dir_all(&path).map_err(|e| Error::io(&path, e))?;
        Ok(BuildDir {
            path,
            published: false,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Turns the finished build into the current generation: rename it into place, then point
    /// `CURRENT` at it with an atomic rename. Generations older than the previous one are
    /// removed; the previous one stays for searches that opened it a moment ago.
    pub fn publish(mut self, index_dir: &Path) -> Result<PathBuf> {
        let name = format!("{GENERATION_PREFIX}{}", unique_suffix());
        let generation = index_dir.join(&name);
        fs::rename(&self.path, &generation).map_err(|e| Error::io(&generation, e))?;
        self.published = true;
        let previous = current_generation(index_dir)?;
        write_file(&index_dir.join(CURRENT), name.as_bytes())?;
        remove_old_generations(index_dir, &generation, previous.as_deref());
        Ok(generation)
    }
}

impl Drop for BuildDir {
    fn drop(&mut self) {
        if !self.published {
            let _ = fs::remove_dir_all(&self.path);
        }
    }
}

fn remove_old_generations(index_dir: &Path, keep: &Path, previous: Option<&Path>) {
    let Ok(entries) = fs::read_dir(index_dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let is_generation = is_generation_name(&entry.file_name().to_string_lossy());
        if is_generation && path != keep && Some(path.as_path()) != previous {
            let _ = fs::remove_dir_all(path);
        }
    }
}

/// Milliseconds since the epoch and the process id: unique and sortable by time.
fn unique_suffix() -> String {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    format!("{millis:015}-{}", std::process::id())
}

pub fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_is_adopted_only_when_nothing_of_someone_else_is_in_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = |name: &str| dir.path().join(name);
        std::fs::create_dir(path("empty")).unwrap();
        adopt(&path("empty")).unwrap();
        adopt(&path("new")).unwrap();
        std::fs::create_dir(path("readme")).unwrap();
        std::fs::write(path("readme/README.md"), "notes").unwrap();
        adopt(&path("readme")).unwrap();
        std::fs::create_dir_all(path("old-index/gen-000000000000001-7")).unwrap();
        std::fs::write(path("old-index/CURRENT"), "gen-000000000000001-7").unwrap();
        adopt(&path("old-index")).unwrap();
        std::fs::create_dir_all(path("mine/gen-mystuff")).unwrap();
        std::fs::write(path("mine/gen-mystuff/a.txt"), "keep me").unwrap();
        let err = adopt(&path("mine")).unwrap_err();
        assert!(
            err.to_string().contains("not an mbc index directory"),
            "{err}"
        );
        assert!(path("mine/gen-mystuff/a.txt").exists());
    }

    #[test]
    fn only_names_mbc_gives_count_as_its_own() {
        assert!(is_generation_name(&format!("gen-{}", unique_suffix())));
        assert!(is_build_name(&format!(".build-{}", unique_suffix())));
        assert!(!is_generation_name("gen-mystuff"));
        assert!(!is_build_name(".build-notes"));
    }

    #[test]
    fn a_second_lock_on_the_same_index_names_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let _held = BuildLock::acquire(dir.path()).unwrap();
        match BuildLock::acquire(dir.path()) {
            Err(Error::IndexBusy { pid, .. }) => assert_eq!(pid, std::process::id().to_string()),
            other => panic!("expected IndexBusy, got {other:?}"),
        }
    }

    #[test]
    fn an_unpublished_build_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let lock = BuildLock::acquire(dir.path()).unwrap();
        let build_path = {
            let build = BuildDir::create(dir.path(), &lock).unwrap();
            build.path().to_path_buf()
        };
        assert!(!build_path.exists());
        assert_eq!(current_generation(dir.path()).unwrap(), None);
    }

    #[test]
    fn publishing_moves_current_and_keeps_the_previous_generation() {
        let dir = tempfile::tempdir().unwrap();
        let lock = BuildLock::acquire(dir.path()).unwrap();
        let first = BuildDir::create(dir.path(), &lock)
            .unwrap()
            .publish(dir.path())
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(2));
        let second = BuildDir::create(dir.path(), &lock)
            .unwrap()
            .publish(dir.path())
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(2));
        let third = BuildDir::create(dir.path(), &lock)
            .unwrap()
            .publish(dir.path())
            .unwrap();
        assert_eq!(current_generation(dir.path()).unwrap(), Some(third.clone()));
        assert!(!first.exists());
        assert!(second.exists());
    }
}
