//! Damaged indexes: what is wrong with one ([`Damage`]), how reads of its files report damage
//! instead of crashing ([`guard`]), and the full check of a generation ([`verify`]).
//!
//! tantivy checks a file's checksum only when asked, so damage met while searching shows up
//! as an error or, in a few of its decoders, as a panic. Only the calls into tantivy that read
//! index files run under [`guard`] (`crate::guard`); a panic anywhere else is a bug.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

use tantivy::Index;

use super::read_only::ReadOnlyDirectory;
use tantivy::index::SegmentComponent;

/// What is wrong with a damaged index.
#[derive(Debug, thiserror::Error)]
pub enum Damage {
    /// tantivy failed to read the index files.
    #[error("the search engine could not read it")]
    Engine(#[source] tantivy::TantivyError),
    /// tantivy stopped on data its decoders did not expect.
    #[error("the search engine stopped on unexpected data ({0})")]
    Panic(String),
    /// Files that are missing, fail their checksum, or cannot be parsed.
    #[error("{}", DamagedFile::list(.0))]
    Files(Vec<DamagedFile>),
}

/// One damaged file of a generation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DamagedFile {
    /// The file's name inside the generation directory.
    pub name: String,
    pub problem: String,
}

impl DamagedFile {
    pub fn new(name: impl Into<String>, problem: impl fmt::Display) -> Self {
        DamagedFile {
            name: name.into(),
            problem: problem.to_string(),
        }
    }

    fn list(files: &[DamagedFile]) -> String {
        files
            .iter()
            .map(|f| format!("{} {}", f.name, f.problem))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

impl From<DamagedFile> for Damage {
    fn from(file: DamagedFile) -> Self {
        Damage::Files(vec![file])
    }
}

/// Runs a read of index files, turning what damage causes (a tantivy error or a panic in
/// tantivy's decoders) into [`Damage`]. Keep `read` to calls into tantivy: whatever panics
/// inside it is blamed on the files.
pub fn guard<T>(read: impl FnOnce() -> tantivy::Result<T>) -> Result<T, Damage> {
    match crate::guard::catch(read) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(err)) => Err(Damage::Engine(err)),
        Err(message) => Err(Damage::Panic(message)),
    }
}

/// The components every segment of an mbc index has: the schema indexes positions and has a
/// fast field, so none of these is optional.
const SEGMENT_COMPONENTS: [SegmentComponent; 6] = [
    SegmentComponent::Postings,
    SegmentComponent::Positions,
    SegmentComponent::FastFields,
    SegmentComponent::FieldNorms,
    SegmentComponent::Terms,
    SegmentComponent::Store,
];

/// Reads every segment file of a generation and checks it against the checksum tantivy wrote
/// at its end; a file that is missing counts as damaged. Reads the whole index: for `mbc check`,
/// an explicit `mbc index` and a whole-index export, never before a search.
pub fn verify_segments(generation: &Path) -> Result<(), Damage> {
    let index = guard(|| Index::open(ReadOnlyDirectory::open(generation)?))?;
    let metas = guard(|| index.searchable_segment_metas())?;
    let mut files = BTreeSet::new();
    for meta in &metas {
        files.extend(
            SEGMENT_COMPONENTS
                .iter()
                .map(|component| meta.relative_path(component.clone())),
        );
        if meta.has_deletes() {
            files.insert(meta.relative_path(SegmentComponent::Delete));
        }
    }
    let damaged: Vec<DamagedFile> = files
        .iter()
        .filter_map(|file| check_file(&index, generation, file))
        .collect();
    if damaged.is_empty() {
        Ok(())
    } else {
        Err(Damage::Files(damaged))
    }
}

/// The problem with one segment file, if it has one.
fn check_file(index: &Index, generation: &Path, file: &PathBuf) -> Option<DamagedFile> {
    let name = file.display().to_string();
    if !generation.join(file).is_file() {
        return Some(DamagedFile::new(name, "is missing"));
    }
    match guard(|| Ok(index.directory().validate_checksum(file))) {
        Ok(Ok(true)) => None,
        Ok(Ok(false)) => Some(DamagedFile::new(name, "fails its checksum")),
        Ok(Err(err)) => Some(DamagedFile::new(name, format!("cannot be read ({err})"))),
        Err(damage) => Some(DamagedFile::new(name, format!("cannot be read ({damage})"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_guarded_panic_becomes_damage() {
        let outcome: Result<(), Damage> = guard(|| panic!("bad block"));
        assert!(matches!(outcome, Err(Damage::Panic(ref m)) if m == "bad block"));
    }

    #[test]
    fn a_guarded_error_keeps_its_source() {
        let outcome: Result<(), Damage> =
            guard(|| Err(tantivy::TantivyError::InternalError("x".into())));
        let damage = outcome.unwrap_err();
        assert!(std::error::Error::source(&damage).is_some());
    }

    #[test]
    fn damaged_files_are_listed_with_their_problems() {
        let damage = Damage::Files(vec![
            DamagedFile::new("a.store", "fails its checksum"),
            DamagedFile::new("a.pos", "is missing"),
        ]);
        assert_eq!(
            damage.to_string(),
            "a.store fails its checksum; a.pos is missing"
        );
    }
}
