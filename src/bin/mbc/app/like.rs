//! `mbc search --like`: the text to find passages like, from a file, standard input or a
//! passage of the index.

use std::io::Read;
use std::path::Path;

use anyhow::{Context, Result};

use mbc::index::SearchIndex;
use mbc::output::printable;
use mbc::search::{self, QueryKind};

use super::UsageError;

/// The text `source` names, and how to search it: `-` is standard input, an existing path a
/// file, anything else a passage id. A passage, or a file of the indexed corpus, is left out
/// of the results: a text is most like itself.
pub fn like_text(index: &SearchIndex, source: &str) -> Result<(String, QueryKind)> {
    let (text, passage, document) = if source == "-" {
        (read_stdin()?, None, None)
    } else if Path::new(source).exists() {
        let path = Path::new(source);
        (read_file(path)?, None, corpus_document(index, path))
    } else {
        match search::passage_by_id(index, source.trim()) {
            Ok(p) => {
                let text = format!("{}\n{}\n{}", p.title, p.section, p.text);
                (text, Some(p.passage_id), None)
            }
            Err(mbc::Error::PassageNotFound(_)) => {
                return Err(UsageError(format!(
                    "--like {}: no such file, and no passage has that id (ids are shown with each result and by `mbc show`)",
                    printable(source)
                ))
                .into());
            }
            Err(err) => return Err(err.into()),
        }
    };
    if text.trim().is_empty() {
        return Err(UsageError(format!(
            "--like {}: the text is empty; give a file or passage with words in it",
            printable(source)
        ))
        .into());
    }
    Ok((text, QueryKind::Like { passage, document }))
}

/// The document id of `path` when it is a file of the index's corpus directory: its path
/// inside the corpus, with `/` separators.
fn corpus_document(index: &SearchIndex, path: &Path) -> Option<String> {
    let file = path.canonicalize().ok()?;
    let corpus = index.meta.corpus.canonicalize().ok()?;
    let inside = file.strip_prefix(&corpus).ok()?;
    let parts: Vec<String> = inside
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

fn read_stdin() -> Result<String> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .context("could not read standard input for --like -")?;
    String::from_utf8(bytes)
        .map_err(|_| UsageError("--like -: standard input is not UTF-8 text".into()).into())
}

fn read_file(path: &Path) -> Result<String> {
    let shown = printable(&path.display().to_string()).into_owned();
    if path.is_dir() {
        return Err(UsageError(format!("--like {shown}: is a directory, not a text file")).into());
    }
    let bytes = std::fs::read(path).with_context(|| format!("could not read {shown}"))?;
    String::from_utf8(bytes).map_err(|e| {
        let line = 1 + bytes_before(&e).iter().filter(|&&b| b == b'\n').count();
        UsageError(format!("--like {shown}:{line}: not UTF-8 text")).into()
    })
}

/// The bytes before the first invalid UTF-8 sequence, to name its line.
fn bytes_before(error: &std::string::FromUtf8Error) -> &[u8] {
    &error.as_bytes()[..error.utf8_error().valid_up_to()]
}
