//! Commands that write for other programs: `mbc export` (passages as JSON) and `mbc eval`
//! (ranking quality on a test collection, with an optional TREC run file).

use std::io::{self, Write};
use std::path::Path;

use anyhow::Result;

use mbc::embed::Load;
use mbc::output::{self, Exported, Format, printable};
use mbc::search::{QueryKind, SearchRequest};
use mbc::{atomic_file, eval, index, search};

use super::UsageError;
use super::open::{attach_semantic, open_for_search, open_index};
use crate::settings::{EvalCollection, EvalSettings, ExportSettings, Location, RankingSettings};

pub fn export_command(
    location: &Location,
    settings: &ExportSettings,
    format: Format,
    output: Option<&Path>,
) -> Result<()> {
    if let Some(path) = output {
        refuse_a_corpus_file(path, location)?;
    }
    let (results, passages);
    let exported = match (&settings.query, settings.all) {
        (_, true) => {
            passages = every_passage(location, &settings.approaches)?;
            Exported::All(&passages)
        }
        (Some(query), false) => {
            results = query_results(location, query, settings)?;
            super::notes_for_records(&results);
            if !results.found {
                status!(
                    "note: {}; nothing exported",
                    super::lowercase_first(&output::nothing_about(&results))
                );
            }
            Exported::Results(&results)
        }
        (None, false) => {
            return Err(UsageError(
                "give a query to export its results, or --all to export every passage".into(),
            )
            .into());
        }
    };
    let write = |out: &mut dyn Write| {
        output::write_export(out, settings.query.as_deref(), exported, format)
    };
    match output {
        None => {
            let mut out = io::BufWriter::new(io::stdout().lock());
            write(&mut out)?;
            Ok(out.flush()?)
        }
        Some(path) => {
            atomic_file::write(path, write)?;
            status!(
                "wrote {} passages to {}",
                exported.len(),
                printable(&path.display().to_string())
            );
            Ok(())
        }
    }
}

/// Refuses to write an export inside the corpus (the one named, or the one the index was built
/// from): `--output good/01-high-blood-pressure.md` replaced a text with JSON lines, and the next
/// `mbc index` read them as a text.
fn refuse_a_corpus_file(path: &Path, location: &Location) -> Result<()> {
    let recorded = index::store::current_meta(&location.index).map(|meta| meta.corpus);
    let Some(target) = resolved(path) else {
        return Ok(());
    };
    let corpora = [Some(location.corpus.clone()), recorded];
    for corpus in corpora.iter().flatten() {
        if let Ok(corpus) = corpus.canonicalize()
            && target.starts_with(&corpus)
        {
            return Err(UsageError(format!(
                "{} is in the corpus at {}: an export written there would replace a text or be indexed as one; write it elsewhere",
                printable(&path.display().to_string()),
                printable(&corpus.display().to_string())
            ))
            .into());
        }
    }
    Ok(())
}

/// `path` made absolute through its directory, which must exist (the file need not).
fn resolved(path: &Path) -> Option<std::path::PathBuf> {
    let parent = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    Some(parent.canonicalize().ok()?.join(path.file_name()?))
}

/// Every passage, optionally of some approaches only. The whole index is read anyway, so it
/// is first checked against its checksums: an export never carries damaged text.
fn every_passage(location: &Location, approaches: &[String]) -> Result<Vec<search::StoredPassage>> {
    let index = open_index(location)?;
    index.taxonomy.ensure_known(approaches)?;
    index::verify(&location.index)?;
    let all = search::all_passages(&index)?;
    Ok(all
        .into_iter()
        .filter(|p| approaches.is_empty() || approaches.iter().any(|a| p.approaches.contains(a)))
        .collect())
}

fn query_results(
    location: &Location,
    query: &str,
    settings: &ExportSettings,
) -> Result<search::SearchResults> {
    let load = Load::PerCall {
        expected: vec![query.to_string()],
    };
    let index = open_for_search(location, None, load)?;
    let ranking = RankingSettings {
        feedback: true,
        ..RankingSettings::default()
    };
    let request = ranking.request(
        query.to_string(),
        settings.limit,
        settings.approaches.clone(),
    );
    Ok(search::search(&index, &request)?)
}

pub fn eval_command(
    location: &Location,
    settings: &EvalSettings,
    format: Format,
    out: &mut dyn Write,
) -> Result<()> {
    match &settings.collection {
        EvalCollection::Beir {
            queries,
            qrels,
            run,
            like,
        } => {
            let report = beir(location, settings, queries, qrels, run.as_deref(), *like)?;
            output::write_eval(out, &location.corpus, &report, format)?;
        }
        EvalCollection::Questions(path) => {
            let questions = eval::questions::load(path)?;
            let index = open_for_search(location, settings.ranking.mode, Load::Whole)?;
            let template = settings.ranking.request(String::new(), 10, Vec::new());
            let report = eval::questions::evaluate(&index, &questions, &template)?;
            output::write_questions(out, path, &report, format)?;
        }
    }
    Ok(())
}

fn beir(
    location: &Location,
    settings: &EvalSettings,
    queries: &Path,
    qrels: &Path,
    run: Option<&Path>,
    like: bool,
) -> Result<eval::EvalReport> {
    if !location.corpus.is_file() {
        return Err(UsageError(format!(
            "mbc eval --queries needs --corpus pointing at a BEIR corpus.jsonl (got {})",
            location.corpus.display()
        ))
        .into());
    }
    let queries = eval::load_queries(queries)?;
    let qrels = eval::load_qrels(qrels)?;
    let eval_location = Location {
        index: if location.explicit_index {
            location.index.clone()
        } else {
            eval::cached_index_dir(&location.corpus)?
        },
        corpus: location.corpus.clone(),
        explicit_index: false,
        explicit_corpus: location.explicit_corpus,
        bundled_corpus: false,
        model: location.model.clone(),
    };
    let mut index = open_index(&eval_location)?;
    attach_semantic(&mut index, location, settings.ranking.mode)?;
    let template = SearchRequest {
        kind: match like {
            true => QueryKind::Like {
                passage: None,
                document: None,
            },
            false => QueryKind::Typed,
        },
        ..settings
            .ranking
            .request(String::new(), eval::RUN_DEPTH, Vec::new())
    };
    let report = eval::evaluate(&index, &queries, &qrels, &template)?;
    if let Some(path) = run {
        atomic_file::write(path, |out| eval::write_run(out, &report))?;
        status!(
            "wrote the run to {}",
            printable(&path.display().to_string())
        );
    }
    Ok(report)
}
