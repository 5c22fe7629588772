//! Passage vectors on disk: which model made them, and one unit-length vector per passage id.
//!
//! Format (little-endian): `MBCVEC2\n`, the model id (u32 length + UTF-8), the dimension (u32),
//! the count (u32), then per passage its id (u32 length + UTF-8) and `dim` f32 values, and last
//! the BLAKE3 hash of everything before it, so that a damaged file is refused when it is loaded
//! instead of silently changing similarities.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use crate::atomic_file;
use crate::{Error, Result};

const MAGIC: &[u8] = b"MBCVEC2\n";
const CHECKSUM_BYTES: usize = blake3::OUT_LEN;

/// Vectors of one model, keyed by passage id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VectorSet {
    pub model_id: String,
    pub dim: usize,
    ids: Vec<String>,
    data: Vec<f32>,
    positions: HashMap<String, usize>,
}

/// The cosine similarity of two embeddings: their dot product, the embedder's vectors being of
/// unit length.
pub fn similarity(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

impl VectorSet {
    pub fn new(model_id: &str, dim: usize) -> Self {
        VectorSet {
            model_id: model_id.to_string(),
            dim,
            ..VectorSet::default()
        }
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Adds or replaces the vector of a passage. An empty set takes its dimension from the
    /// first vector it is given.
    pub fn insert(&mut self, id: &str, vector: &[f32]) {
        if self.is_empty() {
            self.dim = vector.len();
        }
        debug_assert_eq!(vector.len(), self.dim);
        match self.positions.get(id) {
            Some(&i) => self.data[i * self.dim..(i + 1) * self.dim].copy_from_slice(vector),
            None => {
                self.positions.insert(id.to_string(), self.ids.len());
                self.ids.push(id.to_string());
                self.data.extend_from_slice(vector);
            }
        }
    }

    /// Keeps only the passages for which `keep` is true.
    pub fn retain(&mut self, keep: impl Fn(&str) -> bool) {
        let old = std::mem::replace(self, VectorSet::new(&self.model_id, self.dim));
        for (i, id) in old.ids.iter().enumerate() {
            if keep(id) {
                self.insert(id, &old.data[i * old.dim..(i + 1) * old.dim]);
            }
        }
    }

    pub fn get(&self, id: &str) -> Option<&[f32]> {
        self.positions
            .get(id)
            .map(|&i| &self.data[i * self.dim..(i + 1) * self.dim])
    }

    /// The similarity of passage `id` to `query` ([`similarity`]); `None` when it has no vector.
    pub fn similarity_to(&self, id: &str, query: &[f32]) -> Option<f32> {
        self.get(id).map(|v| similarity(v, query))
    }

    /// The `k` passages most similar to `query` (cosine; vectors are unit length), best first,
    /// ties by passage id.
    pub fn nearest(&self, query: &[f32], k: usize) -> Vec<(String, f32)> {
        let mut scored: Vec<(usize, f32)> = self
            .data
            .chunks_exact(self.dim.max(1))
            .enumerate()
            .map(|(i, v)| (i, similarity(v, query)))
            .collect();
        let by_score = |a: &(usize, f32), b: &(usize, f32)| {
            b.1.total_cmp(&a.1)
                .then_with(|| self.ids[a.0].cmp(&self.ids[b.0]))
        };
        if scored.len() > k {
            scored.select_nth_unstable_by(k, by_score);
            scored.truncate(k);
        }
        scored.sort_by(by_score);
        scored
            .into_iter()
            .map(|(i, s)| (self.ids[i].clone(), s))
            .collect()
    }

    /// The ids of every passage whose similarity to `query` is at least `floor`, in storage
    /// order.
    pub fn at_least(&self, query: &[f32], floor: f32) -> Vec<String> {
        self.data
            .chunks_exact(self.dim.max(1))
            .zip(&self.ids)
            .filter(|(v, _)| v.iter().zip(query).map(|(a, b)| a * b).sum::<f32>() >= floor)
            .map(|(_, id)| id.clone())
            .collect()
    }

    /// Reads a vector file; a missing file is `Ok(None)`.
    pub fn read(path: &Path) -> Result<Option<VectorSet>> {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(path, e)),
        };
        let invalid = |message: &str| Error::Model {
            path: path.to_path_buf(),
            message: message.into(),
        };
        let Some(body_len) = bytes.len().checked_sub(CHECKSUM_BYTES) else {
            return Err(invalid("is truncated or not a vector file"));
        };
        let (body, checksum) = bytes.split_at(body_len);
        if !body.starts_with(MAGIC) {
            return Err(invalid("is not a vector file of this version of mbc"));
        }
        if blake3::hash(body).as_bytes() != checksum {
            return Err(invalid("fails its checksum"));
        }
        parse(body)
            .map(Some)
            .ok_or_else(|| invalid("is not a valid vector file"))
    }

    /// Writes the vectors ([`atomic_file::write`]), with their checksum.
    pub fn write(&self, path: &Path) -> Result<()> {
        atomic_file::write(path, |out| {
            let mut out = Checksummed {
                out,
                hasher: blake3::Hasher::new(),
            };
            out.write_all(MAGIC)?;
            write_str(&mut out, &self.model_id)?;
            out.write_all(&(self.dim as u32).to_le_bytes())?;
            out.write_all(&(self.ids.len() as u32).to_le_bytes())?;
            for (i, id) in self.ids.iter().enumerate() {
                write_str(&mut out, id)?;
                for value in &self.data[i * self.dim..(i + 1) * self.dim] {
                    out.write_all(&value.to_le_bytes())?;
                }
            }
            let checksum = out.hasher.finalize();
            out.out.write_all(checksum.as_bytes())
        })
    }
}

/// A writer that hashes what passes through it.
struct Checksummed<'a> {
    out: &'a mut dyn Write,
    hasher: blake3::Hasher,
}

impl Write for Checksummed<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let written = self.out.write(bytes)?;
        self.hasher.update(&bytes[..written]);
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

fn write_str(out: &mut impl Write, text: &str) -> std::io::Result<()> {
    out.write_all(&(text.len() as u32).to_le_bytes())?;
    out.write_all(text.as_bytes())
}

/// Reads sequentially from a byte slice; `None` when the bytes run out.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }
    fn u32(&mut self) -> Option<u32> {
        self.take(4)
            .map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")))
    }
    fn string(&mut self) -> Option<String> {
        let len = self.u32()? as usize;
        String::from_utf8(self.take(len)?.to_vec()).ok()
    }
}

fn parse(bytes: &[u8]) -> Option<VectorSet> {
    let mut reader = Reader(bytes);
    (reader.take(MAGIC.len())? == MAGIC).then_some(())?;
    let model_id = reader.string()?;
    let dim = reader.u32()? as usize;
    let count = reader.u32()? as usize;
    let mut set = VectorSet::new(&model_id, dim);
    let mut vector = vec![0f32; dim];
    for _ in 0..count {
        let id = reader.string()?;
        for (value, bytes) in vector.iter_mut().zip(reader.take(dim * 4)?.chunks_exact(4)) {
            *value = f32::from_le_bytes(bytes.try_into().ok()?);
        }
        set.insert(&id, &vector);
    }
    reader.0.is_empty().then_some(set)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retain_keeps_the_chosen_vectors_and_their_lookup() {
        let mut set = VectorSet::new("m", 2);
        set.insert("a", &[1.0, 0.0]);
        set.insert("b", &[0.0, 1.0]);
        set.insert("c", &[0.6, 0.8]);
        set.retain(|id| id != "b");
        assert_eq!(set.len(), 2);
        assert_eq!(set.get("c"), Some(&[0.6, 0.8][..]));
        assert_eq!(set.get("b"), None);
        assert_eq!(set.nearest(&[0.0, 1.0], 1)[0].0, "c");
    }

    #[test]
    fn vectors_round_trip_through_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut set = VectorSet::new("m@1", 2);
        set.insert("a", &[1.0, 0.0]);
        set.insert("b", &[0.0, 1.0]);
        let path = dir.path().join("v.bin");
        set.write(&path).unwrap();
        assert_eq!(VectorSet::read(&path).unwrap(), Some(set));
        assert_eq!(VectorSet::read(&dir.path().join("none.bin")).unwrap(), None);
    }

    #[test]
    fn a_truncated_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let mut set = VectorSet::new("m@1", 2);
        set.insert("a", &[1.0, 0.0]);
        let path = dir.path().join("v.bin");
        set.write(&path).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 3]).unwrap();
        assert!(VectorSet::read(&path).is_err());
    }

    #[test]
    fn a_changed_byte_fails_the_checksum() {
        let dir = tempfile::tempdir().unwrap();
        let mut set = VectorSet::new("m@1", 2);
        set.insert("a", &[1.0, 0.0]);
        let path = dir.path().join("v.bin");
        set.write(&path).unwrap();
        let mut bytes = std::fs::read(&path).unwrap();
        let last_value = bytes.len() - CHECKSUM_BYTES - 2;
        bytes[last_value] ^= 0x10;
        std::fs::write(&path, &bytes).unwrap();
        let err = VectorSet::read(&path).unwrap_err();
        assert!(err.to_string().contains("checksum"), "{err}");
    }

    #[test]
    fn nearest_ranks_by_cosine_then_id() {
        let mut set = VectorSet::new("m", 2);
        set.insert("far", &[0.0, 1.0]);
        set.insert("near", &[1.0, 0.0]);
        set.insert("also-near", &[1.0, 0.0]);
        let ids: Vec<String> = set
            .nearest(&[1.0, 0.0], 2)
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert_eq!(ids, ["also-near", "near"]);
    }

    #[test]
    fn insert_replaces_an_existing_vector() {
        let mut set = VectorSet::new("m", 1);
        set.insert("a", &[1.0]);
        set.insert("a", &[2.0]);
        assert_eq!(set.len(), 1);
        assert_eq!(set.get("a"), Some(&[2.0][..]));
    }
}
