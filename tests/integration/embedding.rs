//! The shipped model reproduces the original model's sentence embeddings, and semantic search
//! bridges lay language to clinical passages.

use std::path::{Path, PathBuf};

use mbc::embed::{Embedder, Load, ModelSource};

use crate::helper::{FATIGUE_DOC, Run, Workspace};

fn model_dir() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/models/all-MiniLM-L6-v2"
    ))
}

#[derive(serde::Deserialize)]
struct Reference {
    sentences: Vec<String>,
    embeddings: Vec<Vec<f32>>,
}

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let norm = |v: &[f32]| v.iter().map(|x| x * x).sum::<f32>().sqrt();
    dot / (norm(a) * norm(b))
}

/// A model directory as a model source.
fn source(path: impl AsRef<Path>) -> ModelSource {
    ModelSource::Dir(path.as_ref().to_path_buf())
}

#[test]
fn embeddings_match_the_reference_model() {
    let text =
        std::fs::read_to_string(crate::helper::fixtures().join("minilm_reference.json")).unwrap();
    let reference: Reference = serde_json::from_str(&text).unwrap();
    let embedder = Embedder::load(&source(model_dir())).expect("the shipped model loads");
    let vectors = embedder.embed(&reference.sentences, &|_| {}).unwrap();
    for ((sentence, expected), actual) in reference
        .sentences
        .iter()
        .zip(&reference.embeddings)
        .zip(&vectors)
    {
        assert_eq!(actual.len(), 384);
        let similarity = cosine(expected, actual);
        assert!(similarity >= 0.99, "{sentence:?}: cosine {similarity}");
        let norm: f32 = actual.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-4, "vectors are unit length");
    }
}

/// The corpus's vector seed was computed by another implementation of the same model (candle's
/// BERT, before mbc had its own encoder): the encoder must give the same vectors, to rounding.
#[test]
fn the_encoder_reproduces_the_vectors_shipped_with_the_corpus() {
    let corpus = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus"));
    let seed = mbc::embed::VectorSet::read(&corpus.join(mbc::index::SEED_FILE))
        .unwrap()
        .expect("the corpus ships a seed");
    let embedder = Embedder::load(&source(model_dir())).unwrap();
    assert_eq!(seed.model_id, embedder.model_id());
    let (files, _) = mbc::corpus::discover(corpus).unwrap();
    let file = files
        .iter()
        .find(|f| f.relative == "07-bone-metastases.md")
        .unwrap();
    let document = mbc::corpus::load_file(file).unwrap().documents.remove(0);
    let passages = mbc::passage::split_into_passages(&document, Default::default());
    let texts: Vec<String> = passages
        .iter()
        .take(6)
        .map(|p| mbc::index::embedding_text(&p.section(), &p.text))
        .collect();
    let vectors = embedder.embed(&texts, &|_| {}).unwrap();
    for (passage, vector) in passages.iter().zip(&vectors) {
        let stored = seed.get(&passage.id).expect("the seed has every passage");
        let worst = stored
            .iter()
            .zip(vector)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f32::max);
        assert!(worst < 1e-5, "{}: off by {worst}", passage.id);
    }
}

#[test]
fn batching_does_not_change_vectors() {
    let embedder = Embedder::load(&source(model_dir())).unwrap();
    let texts = vec![
        "short".to_string(),
        "a much longer sentence about bone metastases and the drugs used".to_string(),
    ];
    let together = embedder.embed(&texts, &|_| {}).unwrap();
    let alone = embedder.embed_query(&texts[0]).unwrap();
    assert!(cosine(&together[0], &alone) > 0.9999);
}

#[test]
fn a_model_loaded_per_call_gives_the_same_vectors_as_one_loaded_whole() {
    let text =
        std::fs::read_to_string(crate::helper::fixtures().join("minilm_reference.json")).unwrap();
    let reference: Reference = serde_json::from_str(&text).unwrap();
    let whole = Embedder::load(&source(model_dir())).unwrap();
    let load = Load::PerCall {
        expected: vec![reference.sentences[0].clone()],
    };
    let per_call = Embedder::load_with(&source(model_dir()), load).unwrap();
    assert_eq!(per_call.model_id(), whole.model_id());
    let expected = whole.embed(&reference.sentences, &|_| {}).unwrap();
    let got = per_call.embed(&reference.sentences, &|_| {}).unwrap();
    assert_eq!(got, expected);
    for sentence in &reference.sentences {
        let alone = per_call.embed_query(sentence).unwrap();
        assert_eq!(alone, whole.embed_query(sentence).unwrap(), "{sentence:?}");
    }
}

#[test]
fn a_missing_model_is_a_clear_error() {
    let err = Embedder::load(&source(Path::new("/nonexistent/model"))).unwrap_err();
    assert!(err.to_string().contains("not a model directory"), "{err}");
}

/// The same small random BERT, stored as safetensors, as an ONNX graph, as an ONNX graph that
/// pools, and as an ONNX graph with its weights in model.onnx_data (scripts/make_tiny_bert.py).
fn tiny_bert(format: &str) -> PathBuf {
    crate::helper::fixtures().join("tiny-bert").join(format)
}

const SENTENCES: [&str; 4] = [
    "medicine to keep my bones from breaking",
    "always exhausted during treatment",
    "HER2-positive metastatic breast cancer: trials, care team and pain in the spine",
    "a",
];

/// [`SENTENCES`] embedded together with one of the tiny-bert variants.
fn tiny_vectors(format: &str) -> Vec<Vec<f32>> {
    let texts: Vec<String> = SENTENCES.iter().map(|s| s.to_string()).collect();
    let embedder = Embedder::load(&source(tiny_bert(format))).unwrap();
    embedder.embed(&texts, &|_| {}).unwrap()
}

#[test]
fn an_onnx_model_gives_the_vectors_of_the_same_weights_in_safetensors() {
    let from_safetensors = tiny_vectors("safetensors");
    let from_onnx = tiny_vectors("onnx");
    for ((text, a), b) in SENTENCES.iter().zip(&from_safetensors).zip(&from_onnx) {
        assert_eq!(a.len(), 32);
        assert!(cosine(a, b) > 0.9999, "{text:?}: cosine {}", cosine(a, b));
    }
    assert!(
        cosine(&from_onnx[0], &from_onnx[1]) < 0.999,
        "different texts get different vectors"
    );
}

#[test]
fn an_onnx_graph_that_pools_itself_gives_the_same_vectors() {
    // onnx-pooled lists `last_hidden_state` first and `sentence_embedding` second.
    let pooled_by_mbc = tiny_vectors("onnx");
    let pooled_by_graph = tiny_vectors("onnx-pooled");
    for ((text, a), b) in SENTENCES.iter().zip(&pooled_by_mbc).zip(&pooled_by_graph) {
        assert!(cosine(a, b) > 0.9999, "{text:?}: cosine {}", cosine(a, b));
    }
}

#[test]
fn an_onnx_graph_with_its_weights_in_a_separate_file_loads_and_is_identified_by_them() {
    for ((text, a), b) in SENTENCES
        .iter()
        .zip(&tiny_vectors("onnx"))
        .zip(&tiny_vectors("onnx-external"))
    {
        assert!(cosine(a, b) > 0.9999, "{text:?}: cosine {}", cosine(a, b));
    }
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(tiny_bert("onnx-external")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    let before = mbc::embed::identify(&source(dir.path())).unwrap();
    let data = dir.path().join("model.onnx_data");
    let mut bytes = std::fs::read(&data).unwrap();
    bytes[100] ^= 1;
    std::fs::write(&data, bytes).unwrap();
    let after = mbc::embed::identify(&source(dir.path())).unwrap();
    assert_ne!(
        before, after,
        "other weights, other vectors: the id must change"
    );
}

#[test]
fn an_onnx_model_pads_batches_without_changing_vectors() {
    let embedder = Embedder::load(&source(tiny_bert("onnx"))).unwrap();
    for (text, vector) in SENTENCES.iter().zip(&tiny_vectors("onnx")) {
        let alone = embedder.embed_query(text).unwrap();
        assert!(cosine(vector, &alone) > 0.9999, "{text:?}");
    }
}

#[test]
fn texts_are_cut_to_the_models_position_limit() {
    // tiny-bert's config.json allows 64 positions; a longer text must still embed.
    let long = "bone pain in the spine ".repeat(40);
    for format in ["safetensors", "onnx"] {
        let vector = Embedder::load(&source(tiny_bert(format)))
            .unwrap()
            .embed_query(&long)
            .unwrap();
        let norm: f32 = vector.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-4, "{format}: {norm}");
    }
}

#[test]
fn an_unreadable_onnx_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        tiny_bert("onnx").join("tokenizer.json"),
        dir.path().join("tokenizer.json"),
    )
    .unwrap();
    std::fs::write(dir.path().join("model.onnx"), b"not a protobuf").unwrap();
    let err = Embedder::load(&source(dir.path())).unwrap_err().to_string();
    assert!(err.contains("model.onnx: "), "{err}");
}

#[test]
fn a_model_that_fails_on_long_texts_leaves_a_lexical_index_and_says_why() {
    // Without its config.json, mbc cannot know that tiny-bert's graph has only 64 positions.
    let ws = Workspace::new();
    for file in ["model.onnx", "tokenizer.json"] {
        let bytes = std::fs::read(tiny_bert("onnx").join(file)).unwrap();
        ws.write(&format!("model/{file}"), bytes);
    }
    let long = "Pain in the spine can come from bone metastases. ".repeat(25);
    ws.write("corpus/long.md", format!("# Bone pain\n\n{long}\n"));

    let build = ws.mbc(&["index", "--model", "model"]).ok();
    assert!(
        build.stderr.contains("the model failed on")
            && build.stderr.contains("max_position_embeddings")
            && build.stderr.contains("the index is lexical only"),
        "{}",
        build.stderr
    );
    let run = ws
        .mbc(&["search", "spine", "--model", "model", "--format", "json"])
        .ok();
    assert_eq!(run.json()["mode"], "lexical");
    assert!(!run.json()["passages"].as_array().unwrap().is_empty());
}

#[test]
fn the_cli_indexes_and_searches_with_an_onnx_model() {
    let ws = Workspace::with_fixture_corpus();
    let model = tiny_bert("onnx").display().to_string();
    let build = ws.mbc(&["index", "--model", &model]).ok();
    assert!(
        build.stderr.contains("4 passage(s) embedded"),
        "{}",
        build.stderr
    );
    let json = semantic_search(&ws, "bone pain", &model);
    assert_eq!(json["mode"], "semantic");
    assert!(!json["passages"].as_array().unwrap().is_empty());
    let stats = ws
        .mbc(&["stats", "--model", &model, "--format", "json"])
        .ok();
    assert!(
        stats.stdout.contains("onnx@"),
        "the model id names the directory: {}",
        stats.stdout
    );
}

fn bundled_hybrid() -> Workspace {
    let ws = Workspace::with_bundled_corpus();
    let model = model_dir().display().to_string();
    ws.mbc(&["index", "--model", &model]).ok();
    ws
}

#[test]
fn lay_language_reaches_the_right_sections() {
    let ws = bundled_hybrid();
    let model = model_dir().display().to_string();
    let cases = [
        ("medicine to keep my bones from breaking", "Bone-modifying"),
        ("always exhausted during treatment", "atigue"),
    ];
    for (query, section) in cases {
        let run = ws
            .mbc(&[
                "search", query, "--model", &model, "--format", "json", "--limit", "3",
            ])
            .ok();
        let json = run.json();
        assert_eq!(json["mode"], "hybrid");
        let sections: Vec<&str> = json["passages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["section"].as_str().unwrap())
            .collect();
        assert!(
            sections.iter().any(|s| s.contains(section)),
            "{query:?} → {sections:?}"
        );
        let scores = &json["passages"][0]["scores"];
        assert!(
            scores["fused"].is_number()
                && (scores["bm25"].is_number() || scores["semantic"].is_number())
        );
    }
}

#[test]
fn passages_like_a_passage_are_found_by_its_stored_vector() {
    let ws = bundled_hybrid();
    let model = model_dir().display().to_string();
    let search = |args: &[&str]| {
        let mut all = vec!["search", "--model", &model, "--format", "json"];
        all.extend(args);
        ws.mbc(&all).ok().json()
    };
    let first = search(&["calcium", "vitamin"]);
    let id = first["passages"][0]["passage_id"]
        .as_str()
        .unwrap()
        .to_string();
    let like = search(&["--like", &id, "--mode", "semantic"]);
    // The nearest other passage by the vectors the build stored: the passage's text is not
    // embedded again (it was, with its title, and scored 0.687 here against 0.701).
    let vectors = mbc::embed::VectorSet::read(&ws.current_generation().join("vectors.bin"))
        .unwrap()
        .expect("the index has vectors");
    let stored = vectors.get(&id).expect("the passage has a vector").to_vec();
    let (nearest, similarity) = vectors
        .nearest(&stored, 2)
        .into_iter()
        .find(|(other, _)| *other != id)
        .unwrap();
    assert_eq!(like["passages"][0]["passage_id"], nearest.as_str());
    let reported = like["evidence"]["similarity"].as_f64().unwrap();
    assert!(
        (reported - f64::from(similarity)).abs() < 1e-5,
        "{reported} against {similarity}"
    );
}

#[test]
fn a_missing_model_degrades_to_lexical_with_one_note() {
    let ws = bundled_hybrid();
    let run = ws
        .mbc(&[
            "search",
            "herceptin",
            "--model",
            "/nonexistent/model",
            "--format",
            "json",
        ])
        .ok();
    assert_eq!(run.json()["mode"], "lexical");
    assert_eq!(run.stderr.matches("note:").count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("semantic search unavailable"),
        "{}",
        run.stderr
    );
}

#[test]
fn no_semantic_gives_lexical_results_without_a_note_unless_a_mode_needs_the_model() {
    // "--no-semantic" was answered with "note: semantic search unavailable: semantic search is
    // switched off": the lexical results asked for are not a fallback to explain.
    let ws = bundled_hybrid();
    let model = model_dir().display().to_string();
    let quiet = ws
        .mbc(&["search", "herceptin", "--model", &model, "--no-semantic"])
        .ok();
    assert!(!quiet.stderr.contains("note:"), "{}", quiet.stderr);
    let both = ws.mbc(&[
        "search",
        "herceptin",
        "--model",
        &model,
        "--no-semantic",
        "--mode",
        "hybrid",
    ]);
    assert_eq!(both.code, 2, "{}", both.stderr);
    assert!(both.stderr.contains("--no-semantic"), "{}", both.stderr);
}

#[test]
fn every_mode_can_be_chosen() {
    let ws = bundled_hybrid();
    let model = model_dir().display().to_string();
    for mode in ["lexical", "semantic", "hybrid"] {
        let run = ws
            .mbc(&[
                "search",
                "hormone therapy",
                "--model",
                &model,
                "--mode",
                mode,
                "--format",
                "json",
            ])
            .ok();
        assert_eq!(run.json()["mode"], mode);
        assert!(!run.json()["passages"].as_array().unwrap().is_empty());
    }
    let semantic = ws
        .mbc(&[
            "search",
            "bone pain",
            "--model",
            &model,
            "--mode",
            "semantic",
            "--approach",
            "chemotherapy",
            "--format",
            "json",
        ])
        .ok();
    for result in semantic.json()["passages"].as_array().unwrap() {
        assert!(
            result["approaches"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a == "chemotherapy"),
            "filters apply to semantic results"
        );
    }
}

#[test]
fn an_update_embeds_only_the_passages_that_changed() {
    let ws = Workspace::with_fixture_corpus();
    let model = model_dir().display().to_string();
    let first = ws.mbc(&["index", "--model", &model]).ok();
    assert!(
        first
            .stderr
            .contains("4 passage(s) embedded, 0 vector(s) reused"),
        "{}",
        first.stderr
    );
    ws.write("corpus/fatigue.md", FATIGUE_DOC);

    let update = ws.mbc(&["index", "--model", &model]).ok();
    assert!(
        update
            .stderr
            .contains("1 passage(s) embedded, 4 vector(s) reused"),
        "{}",
        update.stderr
    );
    let json = semantic_search(&ws, "always exhausted", &model);
    assert_eq!(json["passages"][0]["title"], "Fatigue", "{json}");
}

/// `mbc search QUERY --mode semantic --format json` with the given model, as JSON.
fn semantic_search(ws: &Workspace, query: &str, model: &str) -> serde_json::Value {
    ws.mbc(&[
        "search", query, "--model", model, "--mode", "semantic", "--format", "json",
    ])
    .ok()
    .json()
}

#[test]
fn mbc_timings_says_where_a_hybrid_searchs_time_went_on_stderr_only() {
    let ws = bundled_hybrid();
    let model = model_dir().display().to_string();
    let args = [
        "search",
        "hormone therapy",
        "--model",
        &model,
        "--format",
        "json",
    ];
    let plain = ws.mbc(&args).ok();
    let timed = Run::of(
        ws.command(&args)
            .env("MBC_TIMINGS", "1")
            .output()
            .expect("mbc runs"),
    )
    .ok();
    assert_eq!(timed.json()["passages"], plain.json()["passages"]);
    let line = timed
        .stderr
        .lines()
        .find(|l| l.starts_with("timings: "))
        .unwrap_or_else(|| panic!("no timings line: {}", timed.stderr));
    for part in [
        "index ready",
        "weights",
        "tokenizer",
        "query embedding",
        "total",
    ] {
        assert!(line.contains(part), "{part}: {line}");
    }
    assert!(!plain.stderr.contains("timings"), "{}", plain.stderr);
}
