//! Honest answers on the bundled corpus with the shipped model (hybrid search, as people use
//! it): real words are never "corrected", "nothing found" is said in every mode, urgent
//! symptoms come first, dated texts are marked, and the people's-questions set meets its
//! targets.

use std::path::Path;

use crate::helper::{DATED_ONLY_DOC, Run, Workspace};
use crate::schema::{Absent, ApproachesOutput, QuestionsOutput, Record, SearchOutput};

const MODEL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/models/all-MiniLM-L6-v2");
const FOUNDING: &str = "corpus/000_83023b5a013b7893.txt";

fn mbc(ws: &Workspace, args: &[&str]) -> Run {
    let mut all = args.to_vec();
    all.extend(["--model", MODEL]);
    ws.mbc(&all)
}

fn search(ws: &Workspace, query: &str, extra: &[&str]) -> SearchOutput {
    let mut args = vec!["search", query, "--format", "json"];
    args.extend(extra);
    let run = mbc(ws, &args).ok();
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}\n{}", run.stdout))
}

/// One field of each of the first `n` passages.
fn first(output: &SearchOutput, n: usize, field: fn(&Record) -> &str) -> Vec<&str> {
    output.passages.iter().take(n).map(field).collect()
}

/// The ids of the first `n` passages.
fn ids(output: &SearchOutput, n: usize) -> Vec<&str> {
    first(output, n, |p| &p.passage_id)
}

fn files(output: &SearchOutput, n: usize) -> Vec<&str> {
    first(output, n, |p| &p.doc_id)
}

/// The section paths of the first `n` passages.
fn sections(output: &SearchOutput, n: usize) -> Vec<&str> {
    first(output, n, |p| &p.section)
}

#[test]
fn real_words_are_never_replaced_by_other_words() {
    let ws = Workspace::with_bundled_corpus();
    for (query, word) in [
        ("scared and anxious", "scared"),
        ("can turmeric cure cancer", "turmeric"),
        ("does sugar feed cancer", "feed"),
    ] {
        let output = search(&ws, query, &[]);
        assert_eq!(output.mode, "hybrid", "{query}");
        assert!(
            output.corrections.iter().all(|c| c.from != word),
            "{query}: {:?}",
            output.corrections
        );
    }
    let turmeric = search(&ws, "can turmeric cure cancer", &[]);
    assert!(turmeric.absent.iter().any(|a| a.word == "turmeric"));
    let text = mbc(&ws, &["search", "can turmeric cure cancer"])
        .ok()
        .stdout;
    assert!(text.contains("No passage mentions \"turmeric\""), "{text}");
    let sugar = search(&ws, "does sugar feed cancer", &[]);
    assert_eq!(files(&sugar, 1), ["18-diet-weight-and-food-myths.md"]);
}

#[test]
fn rare_real_words_are_not_replaced_but_close_words_are_offered() {
    let ws = Workspace::with_bundled_corpus();
    // "colpitis", an inflamed vagina, is too rare for the counted English list; it was
    // "corrected" to "colitis", another illness.
    let output = search(&ws, "is colpitis a side effect of letrozole", &[]);
    assert!(output.corrections.is_empty(), "{:?}", output.corrections);
    let colpitis = output.absent.iter().find(|a| a.word == "colpitis");
    assert_eq!(
        colpitis.map(|a| a.suggestions.as_slice()),
        Some(["colitis".to_string()].as_slice()),
        "{:?}",
        output.absent
    );
}

#[test]
fn the_rarest_real_words_are_replaced_only_by_medical_words() {
    let ws = Workspace::with_bundled_corpus();
    // "repot" was "corrected" to "report", and the peace lily found the passages on second
    // opinions and symptoms to report.
    let plant = search(&ws, "how do i repot a peace lily", &[]);
    assert!(plant.corrections.is_empty(), "{:?}", plant.corrections);
    assert!(plant.absent.iter().any(|a| a.word == "repot"));
    assert!(plant.passages.is_empty(), "{:?}", sections(&plant, 3));
    // "chimo" (a greeting) and "tripple" (a horse's gait) are words of the same list, but one
    // edit from the texts' "chemo" and the "triple" of "triple negative".
    for (query, from, to) in [
        ("chimo side effects", "chimo", "chemo"),
        ("tripple negative", "tripple", "triple"),
    ] {
        let output = search(&ws, query, &[]);
        assert!(
            output
                .corrections
                .iter()
                .any(|c| c.from == from && c.to == to),
            "{query}: {:?}",
            output.corrections
        );
    }
}

#[test]
fn a_word_spelled_the_american_way_finds_the_texts_british_spelling() {
    let ws = Workspace::with_bundled_corpus();
    let output = search(&ws, "is vertebroplasty done under local anesthetic", &[]);
    let corrections: Vec<(&str, &str)> = output
        .corrections
        .iter()
        .map(|c| (c.from.as_str(), c.to.as_str()))
        .collect();
    assert_eq!(corrections, [("anesthetic", "anaesthetic")]);
    assert!(
        output.passages[0].text.contains("local anaesthetic"),
        "{}",
        output.passages[0].text
    );
    let centres = search(&ws, "cancer centers that run trials", &[]);
    assert!(
        centres
            .corrections
            .iter()
            .any(|c| c.from == "centers" && c.to == "centres"),
        "{:?}",
        centres.corrections
    );
}

#[test]
fn medical_words_and_shorthand_are_never_replaced_by_other_words() {
    let ws = Workspace::with_bundled_corpus();
    // "dcis" and "ductal" are in no English word list, but the lexicon knows them.
    for query in [
        "dcis",
        "ductal carcinoma in situ",
        "friend just diagnosed with dcis, will she need a mastectomy",
    ] {
        let output = search(&ws, query, &[]);
        assert!(
            output.corrections.is_empty(),
            "{query}: {:?}",
            output.corrections
        );
        assert!(!output.found, "{query}: no text is about DCIS");
    }
    let dcis = search(&ws, "dcis", &[]);
    assert_eq!(absent_words(&dcis), ["dcis"]);
    let text = mbc(&ws, &["search", "dcis"]).ok().stdout;
    assert!(text.contains("No passage mentions \"dcis\""), "{text}");
    // Shorthand is searched as the words the texts use.
    let upright = search(&ws, "does she have to stay upright for 30 mins", &[]);
    assert!(upright.corrections.is_empty(), "{:?}", upright.corrections);
    // A nurse's note: a patient with a temperature after chemotherapy needs the advice to act.
    let nurse = search(&ws, "pt with a temp after chemo", &[]);
    let expanded: Vec<&str> = nurse.expanded.iter().map(|e| e.term.as_str()).collect();
    assert!(
        expanded.contains(&"temperature") && expanded.contains(&"patient"),
        "{expanded:?}"
    );
    assert!(nurse.passages[0].urgent, "{:?}", nurse.urgent_symptoms);
}

fn absent_words(output: &SearchOutput) -> Vec<&str> {
    output.absent.iter().map(|a| a.word.as_str()).collect()
}

#[test]
fn a_misspelling_is_corrected_for_both_halves_of_a_hybrid_search() {
    let ws = Workspace::with_bundled_corpus();
    let exercise = search(&ws, "can i still exercize", &[]);
    assert_eq!(exercise.corrections[0].to, "exercise");
    assert!(
        exercise.passages[..3]
            .iter()
            .any(|p| p.section.ends_with("Movement and exercise")),
        "{:?}",
        files(&exercise, 3)
    );
    let twice = search(&ws, "how much exercize is too much exercize", &[]);
    assert_eq!(
        twice.corrections.len(),
        1,
        "a word typed twice is reported once: {:?}",
        twice.corrections
    );
    let typo = search(&ws, "herceptn heart problems", &[]);
    assert_eq!(
        typo.searched, "herceptin heart problems",
        "the embedding sees it too"
    );
    let right = search(&ws, "herceptin heart problems", &[]);
    assert_eq!(ids(&typo, 5), ids(&right, 5));
}

#[test]
fn a_slip_in_an_everyday_word_is_corrected_where_the_corpus_writes_the_word_otherwise() {
    // The corpus writes "effects" and "changes" more than "effect" and "change": the
    // misspellings were two slips from those and were reported absent, "efect" with "elect,
    // erect" offered, and "efect of chemo on memory" found nothing.
    let ws = Workspace::with_bundled_corpus();
    for (typed, meant, right) in [
        (
            "efect of chemo on memory",
            "effect",
            "effect of chemo on memory",
        ),
        (
            "how do i chnge my diet",
            "change",
            "how do i change my diet",
        ),
        ("feeling depresed", "depressed", "feeling depressed"),
    ] {
        let typo = search(&ws, typed, &[]);
        let word = typed.split(' ').find(|w| !right.contains(w)).unwrap();
        assert_eq!(corrected(&typo), [(word, meant)], "{typed}");
        assert_eq!(typo.searched, right);
        assert_eq!(ids(&typo, 5), ids(&search(&ws, right, &[]), 5), "{typed}");
    }
}

#[test]
fn a_misspelling_the_lexicon_lists_is_a_correction_too() {
    // The lexicon's misspellings were searched as synonyms: no "showing results for", and the
    // embedding model was given "capecitibine", so a hand-foot syndrome passage on capecitabine
    // fell out of the first five.
    let ws = Workspace::with_bundled_corpus();
    let typo = search(&ws, "capecitibine side effects", &[]);
    assert_eq!(corrected(&typo), [("capecitibine", "capecitabine")]);
    assert_eq!(typo.searched, "capecitabine side effects");
    let right = search(&ws, "capecitabine side effects", &[]);
    assert_eq!(ids(&typo, 5), ids(&right, 5));
    // Searched as typed, a misspelling is what it is.
    let exact = search(&ws, "capecitibine", &["--exact", "--mode", "lexical"]);
    assert!(exact.corrections.is_empty(), "{:?}", exact.corrections);
    // A lexicon word in the spelling the texts do not use is near enough: "diarea" is two
    // edits from "diarrhea" (three from the texts' "diarrhoea"), "tumer" one from "tumor".
    // Both were offered everyday words ("diary", "timer") and found nothing.
    for (typed, meant) in [("diarea", "diarrhea"), ("tumer", "tumor")] {
        let output = search(&ws, typed, &[]);
        assert_eq!(corrected(&output), [(typed, meant)]);
        assert!(output.found, "{typed}");
    }
}

#[test]
fn a_brand_name_reaches_the_embedding_model_with_its_generic_name() {
    // The model does not know "Trodelvy": given the brand alone it ranked general side-effect
    // passages first. Told "sacituzumab govitecan" too, it finds the drug's own passages. What
    // the person typed is what `searched` reports.
    let ws = Workspace::with_bundled_corpus();
    let semantic = |query| search(&ws, query, &["--mode", "semantic"]);
    let output = semantic("trodelvy side effects");
    assert_eq!(output.searched, "trodelvy side effects");
    let given = "the embedding model was given: trodelvy side effects sacituzumab govitecan";
    let explained = mbc(&ws, &["search", "trodelvy side effects", "--explain"]).ok();
    assert!(explained.stdout.contains(given), "{}", explained.stdout);
    assert!(
        output.passages[..2]
            .iter()
            .all(|p| p.section.ends_with("Sacituzumab govitecan")),
        "{:?}",
        first(&output, 3, |p| &p.section)
    );
    // In a longer question the drug is context. With its generic name, the urgent advice put
    // first was the CDK4/6 inhibitors' (a new cough on another drug): the advice for T-DXd,
    // or the general advice on breathlessness, leads.
    let cough = semantic("on enhertu and got a new cough and short of breath");
    let section = &cough.passages[0].section;
    assert!(
        section.ends_with("Lung inflammation with T-DXd")
            || section.ends_with("Problems that need emergency or same-day care"),
        "{:?}",
        first(&cough, 3, |p| &p.section)
    );
    // A question that names an urgent symptom is about the symptom, however short: with
    // "sacituzumab govitecan" added, the fever advice came second.
    let fever = semantic("patient on trodelvy has spiked a temperature");
    assert!(
        fever.passages[0].urgent
            && (fever.passages[0].section.contains("Fever")
                || fever.passages[0].section.starts_with("Signs of infection")),
        "{:?}",
        first(&fever, 3, |p| &p.section)
    );
}

#[test]
fn an_everyday_idiom_reaches_the_embedding_model_with_its_clinical_word() {
    // Read literally, "cant get out of bed" is close to advice on bedtimes: text 28's sleep
    // habits led, and the passage on cancer-related fatigue was 6th. Told "tiredness" too, the
    // model finds it. What the person typed is what `searched` reports.
    let ws = Workspace::with_bundled_corpus();
    let output = search(&ws, "cant get out of bed", &[]);
    assert_eq!(output.searched, "cant get out of bed");
    let given = "the embedding model was given: cant get out of bed tiredness";
    let explained = mbc(&ws, &["search", "cant get out of bed", "--explain"]).ok();
    assert!(explained.stdout.contains(given), "{}", explained.stdout);
    assert!(
        output.passages[0]
            .section
            .ends_with("Fatigue and tiredness"),
        "{:?}",
        first(&output, 3, |p| &p.section)
    );
    // A shorter phrase says what it means: "spread to the liver" is given as typed.
    let liver = mbc(&ws, &["search", "spread to the liver", "--explain"]).ok();
    assert!(
        liver.stdout.contains("also searched") && !liver.stdout.contains("model was given"),
        "{}",
        liver.stdout
    );
}

#[test]
fn words_joined_or_split_by_a_hyphen_are_searched_once() {
    // The lexicon lists "side effects" and "side-effects": each was searched again for the
    // other, so the phrase counted twice against a drug named once ("trodelvy side effects").
    let ws = Workspace::with_bundled_corpus();
    for query in ["side effects of letrozole", "side-effects of letrozole"] {
        let output = search(&ws, query, &["--mode", "lexical"]);
        let also: Vec<&str> = output.expanded.iter().map(|e| e.term.as_str()).collect();
        assert!(
            output.found && output.absent.is_empty() && !also.iter().any(|t| t.starts_with("side")),
            "{query}: also {also:?}, absent {:?}",
            output.absent
        );
    }
}

#[test]
fn an_abbreviation_a_medicine_or_an_everyday_word_is_not_taken_for_a_slip() {
    // "calpol" (a children's medicine) was searched as "call"; "irAE" was offered "iraq", "iran"
    // or "ira" (as "SACT" was "sat", "scat" or "sac"); "stones" was offered "stores" and "hell"
    // "help".
    let ws = Workspace::with_bundled_corpus();
    let calpol = search(&ws, "calpol dose for my 4 year old", &[]);
    assert!(calpol.corrections.is_empty(), "{:?}", calpol.corrections);
    assert!(reported_absent(&calpol, "calpol").suggestions.is_empty());
    for (query, word) in [
        ("SACT nurse", "SACT"),
        ("my dPFS on the trial", "dPFS"),
        ("kidney stones on zometa", "stones"),
        ("mets in me bones hurts like hell", "hell"),
    ] {
        let output = search(&ws, query, &["--mode", "lexical"]);
        let offered: Vec<&String> = output
            .absent
            .iter()
            .filter(|a| a.word == word)
            .flat_map(|a| &a.suggestions)
            .collect();
        assert!(
            offered.is_empty() && output.corrections.is_empty(),
            "{query}: offered {offered:?}, corrected {:?}",
            output.corrections
        );
    }
    // A longer word in capitals is still read as a word (caps lock), and corrected.
    let shouted = search(&ws, "TAMOXIFFEN SIDE EFFECTS", &["--mode", "lexical"]);
    assert_eq!(corrected(&shouted), [("TAMOXIFFEN", "tamoxifen")]);
}

#[test]
fn a_nurses_and_a_patients_names_for_treatments_reach_the_texts_words() {
    // Each was nothing found, or had a word reported missing, when a new user tried it.
    assert_answered_by_words_and_by_default(&[
        ("SBRT oligomets", "SBRT, SABR and ablation"),
        ("scalp cooling paxman", "Hair loss and scalp cooling"),
        ("irAE thyroid immunotherapy", "Immune-related side effects"),
    ]);
    // The passage with the words typed, tied in the fused ranking with one the embedding alone
    // found, lost the tie on its id.
    let ws = Workspace::with_bundled_corpus();
    let colitis = search(&ws, "irAE colitis", &[]);
    assert!(
        colitis.passages[0]
            .section
            .ends_with("Immune-related side effects")
    );
}

#[test]
fn a_question_for_a_dose_is_told_that_no_text_gives_one() {
    // "how many mg of tamoxifen should i take" listed tamoxifen passages, and only "No passage
    // mentions mg" hinted that none says how much.
    let ws = Workspace::with_bundled_corpus();
    for query in [
        "how many mg of tamoxifen should i take",
        "paracetamol overdose how many tablets",
    ] {
        assert!(search(&ws, query, &[]).asks_for_dose, "{query}");
        let text = mbc(&ws, &["search", query]).ok().stdout;
        assert!(text.contains("These texts give no doses"), "{text}");
    }
    // The amount's words are what the note answers: "mg" was reported missing and made "how
    // many mg of letrozole" nothing found, although the passages are listed for the note.
    for query in ["how many mg of letrozole", "is 20mg of tamoxifen normal"] {
        let output = search(&ws, query, &[]);
        assert!(
            output.asks_for_dose && output.found && output.absent.is_empty(),
            "{query}: found {}, absent {:?}",
            output.found,
            output.absent
        );
    }
    let lines = mbc(&ws, &["search", "letrozole dosage", "--format", "jsonl"]).ok();
    assert!(
        lines.stderr.contains("These texts give no doses"),
        "{}",
        lines.stderr
    );
    assert!(!search(&ws, "why was my chemo dose reduced", &[]).asks_for_dose);
}

#[test]
fn a_real_word_written_with_its_accents_is_a_real_word() {
    // "naïve" was offered "naive" (itself) and "nave"; "café" "cafe" and "caff".
    let ws = Workspace::with_bundled_corpus();
    for word in ["naïve", "café"] {
        let output = search(&ws, word, &[]);
        assert!(output.corrections.is_empty(), "{:?}", output.corrections);
        assert!(
            reported_absent(&output, word).suggestions.is_empty(),
            "{:?}",
            output.absent
        );
    }
}

#[test]
fn a_real_word_the_corpus_lacks_gets_a_suggestion_not_a_substitution() {
    let ws = Workspace::with_bundled_corpus();
    let output = search(&ws, "herceptn hart problems", &[]);
    let hart = reported_absent(&output, "hart");
    assert!(hart.suggestions.contains(&"heart".to_string()), "{hart:?}");
    assert!(output.corrections.iter().all(|c| c.from != "hart"));
    // Two letters swapped: "brian" is as common in English as "brain", so only the swap shows
    // it is likely a slip.
    let brian = search(&ws, "mets to the brian", &[]);
    assert!(brian.corrections.is_empty(), "{:?}", brian.corrections);
    assert_eq!(reported_absent(&brian, "brian").suggestions, ["brain"]);
    // "brest" is a real word (a port) that in this corpus can only mean "breast": the lexicon
    // says so. "brest cancer in liver" found nothing.
    let brest = search(&ws, "brest cancer in liver", &[]);
    assert!(brest.found && brest.absent.is_empty(), "{:?}", brest.absent);
    assert_eq!(files(&brest, 1), ["10-liver-and-lung-metastases.md"]);
}

#[test]
fn a_suggestion_looks_like_the_word_typed() {
    // "went" is one edit from the stem "want", but the corpus writes "wanted", which no one
    // typing "went" meant. ("wont" was the first example; as a negation it is no longer
    // reported at all, and since "went up" joined the lexicon, neither is "went".)
    let ws = Workspace::with_bundled_corpus();
    let output = search(&ws, "mum went quiet", &["--mode", "lexical"]);
    let offered: Vec<&String> = output.absent.iter().flat_map(|a| &a.suggestions).collect();
    assert!(
        !offered.iter().any(|s| s.starts_with("want")),
        "{offered:?}"
    );
}

#[test]
fn a_misspelling_is_replaced_only_by_a_word_that_looks_like_it() {
    // Candidates are found by their stems, and a stem can be near when the word is not: "skii",
    // the stem of "skiiing", is one edit from "skin". "swiming" became "side", and "lipitor",
    // "evista" and "boniva", drugs no text names, became "limits", "existed" and "bone".
    let ws = Workspace::with_bundled_corpus();
    for word in ["skiiing", "swiming", "lipitor", "evista", "boniva"] {
        let output = search(&ws, word, &["--mode", "lexical"]);
        assert!(
            output.corrections.is_empty() && !output.found,
            "{word}: {:?}",
            output.corrections
        );
        reported_absent(&output, word);
    }
    let skiing = search(&ws, "skiiing", &["--mode", "lexical"]);
    assert_eq!(reported_absent(&skiing, "skiiing").suggestions[0], "skiing");
}

#[test]
fn a_misspelling_of_a_lexicon_word_the_texts_lack_is_that_word() {
    // "husband" is in no text, but the lexicon takes it to "partner": "husban" was replaced by
    // "human", two edits away, one of the words of HER2's full name.
    let ws = Workspace::with_bundled_corpus();
    for typed in ["my husban want to know how to help me", "husbant"] {
        let output = search(&ws, typed, &[]);
        assert_eq!(
            corrected(&output),
            [(
                typed.split(' ').find(|w| w.starts_with("husb")).unwrap(),
                "husband"
            )]
        );
        assert!(
            output.expanded.iter().any(|e| e.term == "partner"),
            "{typed}"
        );
    }
}

#[test]
fn a_word_the_person_may_have_meant_keeps_a_misspelling_from_being_replaced() {
    // "skiiing" is two edits from "skinning", whose stem the texts use, and one from "skiing",
    // which they do not: it was searched as "skin". ("scard" was the example here: the lexicon
    // now reads "scared" as fear, so "scared" is a word a correction can reach, and "scard" is
    // corrected to it, the word with a letter left out, never to "scars".)
    let ws = Workspace::with_bundled_corpus();
    let skiiing = search(&ws, "skiiing", &["--mode", "lexical"]);
    assert!(skiiing.corrections.is_empty(), "{:?}", skiiing.corrections);
    let offered = &reported_absent(&skiiing, "skiiing").suggestions;
    assert!(offered.contains(&"skiing".to_string()), "{offered:?}");
    let scard = search(&ws, "scard", &["--mode", "lexical"]);
    assert_eq!(corrected(&scard), [("scard", "scared")]);
    // A medical word is still preferred, and shown as the texts spell it nearest to the typing.
    for (typed, meant) in [
        ("palative", "palliative"),
        ("oncolgist", "oncologist"),
        ("biopsey", "biopsy"),
    ] {
        let output = search(&ws, typed, &["--mode", "lexical"]);
        assert_eq!(corrected(&output), [(typed, meant)]);
    }
}

#[test]
fn a_word_typed_with_a_letter_left_out_is_read_as_that_word() {
    // A new-user session (2026-12-05): "wory" was searched as "work" (the genetic testing of
    // men came first) and "opnion" as "option", each one wrong letter away where the word meant
    // is one letter left out.
    let ws = Workspace::with_bundled_corpus();
    let worry = search(&ws, "i am wory about my dauther", &[]);
    assert_eq!(
        corrected(&worry),
        [("wory", "worry"), ("dauther", "daughter")]
    );
    let opinion = search(&ws, "second opnion", &[]);
    assert_eq!(corrected(&opinion), [("opnion", "opinion")]);
    assert_eq!(opinion.passages[0].section, "Getting a second opinion");
}

#[test]
fn also_searched_names_a_status_in_words_not_by_its_sign() {
    // A session on `mbc serve` (2026-12-05): "her2 negative treatment" showed "Also searched:
    // her2-." The minus sign is searched, the name shown.
    let ws = Workspace::with_bundled_corpus();
    for query in ["her2 negative treatment", "er negative"] {
        let shown = mbc(&ws, &["search", query]).ok().stdout;
        assert!(
            !shown.contains("her2-,") && !shown.contains("her2-\n"),
            "{shown}"
        );
        assert!(
            !shown.contains(" er-") && !shown.contains(" hr-"),
            "{shown}"
        );
    }
}

#[test]
fn an_abbreviation_an_american_word_or_definition_does_not_hide_the_answer() {
    // A new-user session (2026-12-05): each was "nothing found", through a word no text uses
    // ("SG" for sacituzumab govitecan, "copay", "programs", "definition").
    let ws = Workspace::with_bundled_corpus();
    assert_answered(
        &ws,
        &[],
        &[
            ("SG side effects", "Sacituzumab govitecan"),
            ("copay assistance programs", "Work and money"),
            (
                "HER2 ultralow definition",
                "HER2-low and HER2-ultralow disease",
            ),
        ],
    );
}

#[test]
fn words_run_together_are_read_as_the_texts_write_them() {
    // "sideeffects of ibrance" was "nothing found", with "sideeffects" reported missing.
    let ws = Workspace::with_bundled_corpus();
    let joined = search(&ws, "sideeffects of ibrance", &[]);
    assert_eq!(corrected(&joined), [("sideeffects", "side effects")]);
    assert_eq!(
        joined.searched, "side effects of ibrance",
        "the embedding sees it too"
    );
    let apart = search(&ws, "side effects of ibrance", &[]);
    assert_eq!(ids(&joined, 3), ids(&apart, 3));
    // A hyphen the texts do not write: "No passage mentions "hair-loss"", and nothing found.
    let hyphen = search(&ws, "hair-loss", &["--mode", "lexical"]);
    assert!(
        hyphen.found && hyphen.absent.is_empty(),
        "{:?}",
        hyphen.absent
    );
    assert!(
        hyphen.passages[0]
            .section
            .ends_with("Hair loss and scalp cooling"),
        "{:?}",
        sections(&hyphen, 3)
    );
}

/// Each correction the search made, as (typed, searched instead).
fn corrected(output: &SearchOutput) -> Vec<(&str, &str)> {
    output
        .corrections
        .iter()
        .map(|c| (c.from.as_str(), c.to.as_str()))
        .collect()
}

/// What the search reported about `word`, which no passage uses.
fn reported_absent<'a>(output: &'a SearchOutput, word: &str) -> &'a Absent {
    output
        .absent
        .iter()
        .find(|a| a.word == word)
        .unwrap_or_else(|| panic!("{word} is reported: {:?}", output.absent))
}

#[test]
fn nothing_found_is_said_in_every_mode() {
    let ws = Workspace::with_bundled_corpus();
    for mode in ["hybrid", "lexical", "semantic"] {
        for query in ["xylophone", "zzzzqqq", "best running shoes for marathons"] {
            let output = search(&ws, query, &["--mode", mode]);
            assert!(
                !output.found && output.passages.is_empty() && output.total_hits == 0,
                "{mode} {query}: {} passages, found {}",
                output.passages.len(),
                output.found
            );
        }
    }
    let shoes = search(
        &ws,
        "best running shoes for marathons",
        &["--mode", "lexical"],
    );
    assert!(shoes.corrections.is_empty(), "{:?}", shoes.corrections);
    let text = mbc(&ws, &["search", "xylophone"]).ok().stdout;
    assert!(
        text.contains("Nothing in the corpus is about \"xylophone\""),
        "{text}"
    );
    // After a correction the message names what was searched: it said nothing was about
    // "kilers", a word that was not searched.
    let text = mbc(&ws, &["search", "kilers"]).ok().stdout;
    assert!(
        text.contains("kilers → killers")
            && text.contains("Nothing in the corpus is about \"killers\""),
        "{text}"
    );
    let closest = search(&ws, "xylophone", &["--closest", "--limit", "3"]);
    assert!(!closest.found && closest.closest && closest.passages.len() == 3);
    // The closest passages match nothing: `total_hits` was the search's depth (100, or 461
    // with --limit 500).
    assert_eq!(closest.total_hits, 0);
    let text = mbc(&ws, &["search", "xylophone", "--closest"]).ok().stdout;
    assert!(text.contains("only the closest passages"), "{text}");
}

#[test]
fn words_that_cover_part_of_a_question_nothing_is_near_in_meaning_are_no_answer() {
    // "stock" (of compression stockings) and "going up" covered half the question's weight, and
    // the default search answered it with a passage on travel, then "Are you going to die?".
    // No passage is near it in meaning (0.20, below the model's floor); by words alone it
    // still reads as covered, so lexical mode keeps its answer.
    let ws = Workspace::with_bundled_corpus();
    for mode in ["hybrid", "semantic"] {
        let output = search(&ws, "is the stock market going up", &["--mode", mode]);
        assert!(
            !output.found && output.passages.is_empty(),
            "{mode}: {:?}",
            files(&output, 3)
        );
    }
    // A question covered whole stands on its words where the model reads them poorly.
    for query in ["tace", "sbrt"] {
        let output = search(&ws, query, &[]);
        assert!(output.found && !output.passages.is_empty(), "{query}");
    }
}

#[test]
fn the_person_a_question_is_for_does_not_hide_its_answer() {
    // "mum" weighed as the rare word it is, a quarter of the question: no passage near it in
    // meaning covered enough of it, and it was "nothing found" although the texts on appetite
    // answer it.
    let ws = Workspace::with_bundled_corpus();
    let output = search(
        &ws,
        "what to cook for mum on chemo she has no appetite",
        &[],
    );
    assert!(output.found, "{:?}", output.evidence);
    assert!(
        sections(&output, 3).iter().any(|s| s.contains("appetite")),
        "{:?}",
        sections(&output, 3)
    );
    // By words alone a person weighs as much as before: this question is about a baby, and the
    // passages on fatigue and sleep that share its other words do not answer it. (It is one of
    // the reserve set's unanswerable questions, seen when a first version of the rule made it
    // found: docs/benchmark-log.md, stop 59.)
    let output = search(
        &ws,
        "new mum so tired all the time, baby wont sleep",
        &["--mode", "lexical"],
    );
    assert!(!output.found, "{:?}", sections(&output, 3));
}

#[test]
fn an_everyday_phrase_no_text_writes_reaches_the_model_as_the_clinical_word() {
    // The model read "her tummy is swollen" as close to a swollen arm: seven passages on
    // lymphoedema came before the passage on fluid in the belly (10th).
    let ws = Workspace::with_bundled_corpus();
    let output = search(&ws, "her tummy is swollen", &[]);
    assert!(
        output.passages[0].text.contains("ascites"),
        "{:?}",
        sections(&output, 3)
    );
}

#[test]
fn nothing_found_among_one_approachs_passages_says_so_not_that_the_corpus_has_nothing() {
    // "tamoxifen --approach immunotherapy" said "Nothing in the corpus is about "tamoxifen"",
    // which the corpus plainly is.
    let ws = Workspace::with_bundled_corpus();
    let narrowed = search(&ws, "tamoxifen", &["--approach", "immunotherapy"]);
    assert!(!narrowed.found && narrowed.approach_filter == ["immunotherapy"]);
    assert!(search(&ws, "tamoxifen", &[]).approach_filter.is_empty());
    let text = mbc(&ws, &["search", "tamoxifen", "--approach", "immunotherapy"])
        .ok()
        .stdout;
    assert!(
        text.contains("No passage tagged immunotherapy is about \"tamoxifen\"")
            && text.contains("without --approach")
            && !text.contains("Nothing in the corpus"),
        "{text}"
    );
    let lines = mbc(
        &ws,
        &[
            "search",
            "tamoxifen",
            "--approach",
            "immunotherapy",
            "--format",
            "jsonl",
        ],
    )
    .ok();
    assert!(
        lines.stdout.is_empty()
            && lines
                .stderr
                .contains("no passage tagged immunotherapy is about"),
        "{}",
        lines.stderr
    );
}

#[test]
fn a_search_that_finds_something_shows_it_in_every_mode() {
    // In semantic mode "i feel so alone" was found (a passage near it in meaning says "feel
    // less alone") yet listed nothing: the passage's similarity was under the model's floor,
    // and the floor dropped the very passage that made the verdict.
    let ws = Workspace::with_bundled_corpus();
    for mode in ["hybrid", "lexical", "semantic"] {
        let output = search(&ws, "i feel so alone", &["--mode", mode]);
        assert!(
            output.found
                && output.total_hits >= output.passages.len()
                && sections(&output, 3)
                    .iter()
                    .any(|s| s.ends_with("Emotional, spiritual and family support")),
            "{mode}: found {}, {} of {} passages: {:?}",
            output.found,
            output.passages.len(),
            output.total_hits,
            sections(&output, 3)
        );
    }
}

/// Each query as typed is found, reports no word missing, and lists the passages of the query
/// as meant, in lexical mode: it judges by words alone, where a word no passage uses once
/// outweighed the rest.
fn assert_read_as_meant(cases: &[(&str, &str)]) {
    let ws = Workspace::with_bundled_corpus();
    for (typed, meant) in cases {
        let said = search(&ws, typed, &["--mode", "lexical"]);
        let meant = search(&ws, meant, &["--mode", "lexical"]);
        assert!(said.found && said.absent.is_empty(), "{typed}: {said:?}");
        assert_eq!(ids(&said, usize::MAX), ids(&meant, usize::MAX), "{typed}");
    }
}

#[test]
fn greetings_thanks_and_chat_words_neither_hide_an_answer_nor_get_reported() {
    assert_read_as_meant(&[
        ("is it ok to exercise during chemo", "exercise during chemo"),
        ("thx. what is ibrance", "what is ibrance"),
        ("whats the deal with keytruda", "the deal with keytruda"),
        ("no sex drive anymore", "no sex drive"),
    ]);
}

#[test]
fn contractions_typed_with_an_apostrophe_are_read_as_without_one() {
    assert_read_as_meant(&[
        ("What's HER2?", "whats HER2?"),
        ("who's on my care team", "whos on my care team"),
        ("shouldn't i have chemo", "shouldnt i have chemo"),
        ("i\u{2019}ve got bone mets", "ive got bone mets"),
        ("what'll happen next", "happen next"),
    ]);
}

#[test]
fn a_filler_inside_a_lexicon_phrase_is_kept_for_the_phrase() {
    // "got" says nothing in "i've got bone mets", but "how long have i got" is a lexicon phrase.
    let ws = Workspace::with_bundled_corpus();
    let output = search(&ws, "how long have i got", &["--mode", "lexical"]);
    assert!(
        output.expanded.iter().any(|e| e.term == "prognosis"),
        "{:?}",
        output.expanded
    );
}

#[test]
fn a_passage_that_covers_more_of_a_short_question_ranks_above_one_that_repeats_part_of_it() {
    let ws = Workspace::with_bundled_corpus();
    // By BM25 alone, a passage that repeats "CBD" and "oil" without "cancer" ranked above the
    // answer, and no passage in the first ten also said "kill": lexical mode found nothing.
    let cbd = search(
        &ws,
        "does cbd oil kill cancer cells",
        &["--mode", "lexical"],
    );
    assert!(cbd.found, "{cbd:?}");
    let answer = "There is no good evidence that cannabis, CBD";
    let rank = cbd.passages.iter().position(|p| p.text.starts_with(answer));
    assert!(rank.is_some_and(|r| r < 3), "{rank:?}: {cbd:?}");
}

#[test]
fn a_family_word_the_texts_lack_reaches_the_word_they_use() {
    let ws = Workspace::with_bundled_corpus();
    // The texts say "parent" and "child", not "mum", "dad" or "son".
    let mum = search(&ws, "my mum has mbc, what now", &["--mode", "lexical"]);
    assert!(mum.found && mum.absent.is_empty(), "{mum:?}");
    let son = search(
        &ws,
        "my son asked if im going to die",
        &["--mode", "lexical"],
    );
    assert_eq!(
        files(&son, 1),
        ["20-telling-children-and-teenagers.md"],
        "{son:?}"
    );
    // A concept whose own word no passage uses weighs as its synonym does, not as the rarest
    // word of all: that made "dad" outweigh "breast cancer".
    let dad = search(&ws, "my dad has breast cancer", &[]);
    let first = sections(&dad, 3);
    // Text 30's "Breast cancer in men" answers it as well as text 01's "Men with breast
    // cancer", which text 20's sentence on a child who speaks of self-harm moved to 4th.
    assert!(
        dad.found
            && first
                .iter()
                .any(|s| *s == "Men with breast cancer" || *s == "Breast cancer in men"),
        "{first:?}"
    );
}

#[test]
fn a_passage_that_lists_every_name_for_a_drug_does_not_outrank_the_answer() {
    let ws = Workspace::with_bundled_corpus();
    // The antibodies passage names trastuzumab's five biosimilars; the answer is about the heart.
    let output = search(&ws, "herceptin heart problems", &["--mode", "lexical"]);
    let first = &output.passages[0];
    assert!(
        first.text.contains("heart"),
        "{}: {}",
        first.section,
        first.text
    );
}

#[test]
fn total_hits_counts_matches_not_the_candidate_pool() {
    let ws = Workspace::with_bundled_corpus();
    let lexical = search(&ws, "tamoxifen", &["--mode", "lexical"]);
    let hybrid = search(&ws, "tamoxifen", &[]);
    assert!(
        hybrid.total_hits >= lexical.total_hits && hybrid.total_hits < 100,
        "lexical {} hybrid {}",
        lexical.total_hits,
        hybrid.total_hits
    );
}

#[test]
fn everyday_words_reach_the_passages_that_answer_them() {
    let ws = Workspace::with_bundled_corpus();
    let cases = [
        (
            "how do i tell my kids",
            "20-telling-children-and-teenagers.md",
        ),
        ("chemo brain", "16-chemo-brain-memory-and-concentration.md"),
        (
            "stage 4 life expectancy",
            "21-how-long-prognosis-and-uncertainty.md",
        ),
        ("swollen arm", "17-lymphoedema-swollen-arm.md"),
        (
            "cbd oil for nausea",
            "19-cannabis-cbd-oil-and-cannabinoids.md",
        ),
        ("liquid biopsy", "22-biomarker-and-genomic-testing.md"),
        (
            "vaginal dryness",
            "23-sex-intimacy-and-menopause-symptoms.md",
        ),
        ("support group near me", "24-where-to-find-help.md"),
        (
            "my husband finds it hard to talk about sex now",
            "23-sex-intimacy-and-menopause-symptoms.md",
        ),
        (
            "my neutrophils are low on ibrance",
            "04-cdk46-and-pi3k-akt-mtor-inhibitors.md",
        ),
        ("is mbc hereditary", "22-biomarker-and-genomic-testing.md"),
        (
            "should i have a mastectomy if its spread",
            "09-local-treatment-surgery-and-radiation.md",
        ),
        // Both were nothing found: no text says "agony" or "hungry".
        ("she is in agony", "12-palliative-and-supportive-care.md"),
        (
            "steroids making her hungry",
            "18-diet-weight-and-food-myths.md",
        ),
    ];
    for (query, file) in cases {
        let output = search(&ws, query, &[]);
        assert!(
            files(&output, 3).contains(&file),
            "{query}: {:?}",
            files(&output, 3)
        );
    }
    let brain = search(&ws, "chemo brain", &[]);
    assert!(
        files(&brain, 3)
            .iter()
            .all(|f| *f != "08-brain-and-spinal-metastases.md"),
        "chemo brain is not brain metastases"
    );
}

/// Asserts that a search for each query names no urgent symptom.
fn assert_names_no_urgent_symptom(ws: &Workspace, queries: &[&str]) {
    for &query in queries {
        let output = search(ws, query, &[]);
        assert!(
            output.urgent_symptoms.is_empty(),
            "{query}: {:?}",
            output.urgent_symptoms
        );
    }
}

/// Asserts that a search (with `extra` arguments) for each query finds something, uses every
/// word typed, and lists the section named with it among its first three passages.
/// `section` may name several that answer equally well, separated by " | ".
fn assert_answered(ws: &Workspace, extra: &[&str], cases: &[(&str, &str)]) {
    for &(query, section) in cases {
        let output = search(ws, query, extra);
        let first = sections(&output, 3);
        let answers = |s: &&str| section.split(" | ").any(|answer| s.ends_with(answer));
        assert!(
            output.found && output.absent.is_empty() && first.iter().any(answers),
            "{query}: {first:?}, absent {:?}",
            output.absent
        );
    }
}

/// [`assert_answered`] in lexical mode, where only the words can find the answer, and in the
/// default mode.
fn assert_answered_by_words_and_by_default(cases: &[(&str, &str)]) {
    let ws = Workspace::with_bundled_corpus();
    assert_answered(&ws, &["--mode", "lexical"], cases);
    assert_answered(&ws, &[], cases);
}

#[test]
fn a_cdk_inhibitor_and_morphine_in_a_polish_or_spanish_spelling_reach_the_texts() {
    // "CDK" was reported as in no passage, though a text is on CDK4/6 inhibitors; "morfina"
    // was replaced by "morning".
    assert_answered_by_words_and_by_default(&[
        ("what is CDK inhibitor", "The three CDK4/6 inhibitors"),
        ("is morfina addictive", "Worries about opioids"),
    ]);
}

#[test]
fn looking_after_a_parent_or_partner_is_being_a_carer() {
    // "dad" and "mum" reach "parent", and the text on telling young children, which speaks of
    // parents, came first: "how do i look after my dad at home" had "Young children" first and
    // the help for carers second.
    let ws = Workspace::with_bundled_corpus();
    for extra in [&["--mode", "lexical"][..], &[]] {
        for query in [
            "how do i look after my dad at home",
            "can i get benefits for looking after my mum",
        ] {
            let output = search(&ws, query, extra);
            assert_eq!(
                files(&output, 1),
                ["26-supporting-someone-with-mbc.md"],
                "{query} {extra:?}: {:?}",
                sections(&output, 3)
            );
        }
    }
    // Looking after an arm is not caring for someone.
    let arm = search(&ws, "how to look after my arm", &[]);
    assert!(arm.expanded.is_empty(), "{:?}", arm.expanded);
}

#[test]
fn everyday_words_a_new_user_typed_reach_the_texts_words() {
    // Each was "nothing found" (the texts write nausea, hair loss, mood changes, husband,
    // doctor), or read "nite" as "note", or searched scans for "pets".
    let ws = Workspace::with_bundled_corpus();
    for (query, first_says) in [
        ("feeling nauseous", "Nausea"),
        ("nauseated", "Nausea"),
        ("mums hair fell out is that normal", "Hair loss"),
        ("moody and snappy on letrozole", "mood changes"),
        ("hubby just been told its spread", "spread"),
        ("docs say its in my bones", "bone"),
    ] {
        let output = search(&ws, query, &[]);
        let first = output.passages.first();
        assert!(
            output.found && first.is_some_and(|p| p.text.contains(first_says)),
            "{query}: found {}, first {:?}",
            output.found,
            first.map(|p| &p.section)
        );
    }
    let night = search(&ws, "cant sleep at nite", &[]);
    assert_eq!(corrected(&night), [("nite", "night")]);
    let pets = search(&ws, "pets and infection risk", &[]);
    assert!(
        !pets.expanded.iter().any(|e| e.term.starts_with("pet")),
        "{:?}",
        pets.expanded
    );
    assert!(
        pets.passages[..3]
            .iter()
            .any(|p| p.text.contains("animals")),
        "{:?}",
        sections(&pets, 3)
    );
}

#[test]
fn working_part_time_is_work() {
    // The passage on work and money was 10th: "work" alone is left out of the lexicon
    // (treatments work too), and "chemo" filled the top.
    let ws = Workspace::with_bundled_corpus();
    assert_answered(
        &ws,
        &[],
        &[
            ("can I still work part time with chemo", "Work and money"),
            // Ten passages on chemotherapy, none on work.
            ("can i still work on chemo", "Work and money"),
        ],
    );
}

#[test]
fn going_home_to_poland_or_visiting_a_mother_reaches_the_text_on_travel() {
    // Both were nothing found: no text names Poland or a mother.
    let ws = Workspace::with_bundled_corpus();
    for query in [
        "travel to visit my mother, is safe?",
        "I go home to Poland for two weeks, what about my tablets",
    ] {
        for mode in ["lexical", "hybrid"] {
            let output = search(&ws, query, &["--mode", mode]);
            assert!(
                output.found && output.absent.is_empty(),
                "{query} ({mode}): absent {:?}",
                output.absent
            );
            assert_eq!(
                files(&output, 1),
                ["29-travel-and-holidays.md"],
                "{query} ({mode})"
            );
        }
    }
}

#[test]
fn pain_killers_written_as_two_words_are_painkillers() {
    // Nothing found before: no text writes "killers", and a passage had to cover two of the
    // three words, while the one on constipation names opioids, not pain. "kilers" was left
    // absent ("did you mean killers, kills or killer?"): no text uses "killers" alone, but the
    // lexicon's "pain killers" does.
    assert_answered_by_words_and_by_default(&[
        (
            "pain killers make me constipated",
            "Appetite, weight and constipation",
        ),
        (
            "pain kilers make me constipate",
            "Appetite, weight and constipation",
        ),
    ]);
}

#[test]
fn a_blood_count_and_an_injection_in_everyday_words_reach_the_texts_words() {
    // "wbc" was reported missing; "shots" is what many people call injections.
    assert_answered_by_words_and_by_default(&[
        (
            "wbc low on chemo",
            "Low blood counts and febrile neutropenia",
        ),
        ("faslodex shots hurt", "Fulvestrant, an injected SERD"),
    ]);
}

#[test]
fn a_nurses_shorthand_for_heart_scans_and_injections_reaches_the_texts_words() {
    // "lvef" was offered "did you mean lief?" and "subq" "sub, subs or subj".
    assert_answered_by_words_and_by_default(&[
        ("lvef monitoring on herceptin", "Heart monitoring"),
        ("subq herceptin", "Antibodies: trastuzumab and pertuzumab"),
    ]);
}

#[test]
fn a_burning_or_smell_when_passing_urine_finds_the_signs_of_infection() {
    // "pee smells and burns on chemo" was nothing found; text 27 lists "a burning feeling when
    // passing urine" among the signs of infection to report during treatment.
    let ws = Workspace::with_bundled_corpus();
    let infection = "Signs of infection that need a call straight away";
    assert_answered(
        &ws,
        &["--mode", "lexical"],
        &[
            ("pee smells and burns on chemo", infection),
            ("burning when i pee on chemo", infection),
            ("do i have a uti on chemo", infection),
        ],
    );
    assert_answered(&ws, &[], &[("burning when i pee on chemo", infection)]);
}

#[test]
fn respite_an_insurers_words_and_the_usa_reach_the_texts_words() {
    // The first two were nothing found: no passage says "respite" or "pre-existing".
    assert_answered_by_words_and_by_default(&[
        (
            "respite for carers",
            "Help for carers: assessments, breaks and time off work",
        ),
        (
            "travel insurance pre-existing condition usa",
            "Travel insurance",
        ),
        (
            "cancer helplines in the usa",
            "Who can I call in the United States?",
        ),
    ]);
}

#[test]
fn tingly_soya_and_sats_are_the_texts_tingling_soy_and_oxygen_level() {
    // "tingly fingers" was nothing found ("Did you mean "tiny"?"), and "soya" was offered "soy
    // or soma or sofa".
    assert_answered_by_words_and_by_default(&[
        ("tingly fingers", "Nerve damage"),
        ("is soya safe", "Soy"),
        ("low sats", "Breathlessness and shortness of breath"),
    ]);
}

#[test]
fn family_words_places_and_shorthand_reach_the_texts_words() {
    // Each was nothing found, or reported a word no passage has, when a new user tried it.
    assert_answered_by_words_and_by_default(&[
        (
            "how do i tell the kids mummy is poorly again",
            "Should I tell my kids?",
        ),
        ("my ca153 is rising", "Scans and tumour markers"),
        (
            "going to spain in june while on treatment",
            "Infection and the timing of treatment",
        ),
        (
            "should i go vegan now",
            "Can a special diet cure or control cancer?",
        ),
    ]);
    let ws = Workspace::with_bundled_corpus();
    for query in [
        "my nan has stage four breast cancer",
        "onc says my ca153 is rising",
    ] {
        let output = search(&ws, query, &[]);
        assert!(
            output.found && output.absent.is_empty(),
            "{query}: found {}, absent {:?}",
            output.found,
            output.absent
        );
    }
    // "yr" and "old" were reported as words no passage has, and nothing was found.
    let teenager = search(&ws, "my 15 yr old wont talk to me about my cancer", &[]);
    assert!(
        teenager.absent.is_empty()
            && teenager.passages[0].doc_id == "20-telling-children-and-teenagers.md",
        "absent {:?}, first {}",
        teenager.absent,
        teenager.passages[0].doc_id
    );
}

#[test]
fn a_number_no_passage_has_does_not_make_a_question_nothing_found() {
    // An age or a count weighed as the rarest word of the question: "chemo at 85" and
    // "im 32 and premenopausal, …" were nothing found, with "No passage mentions "85"".
    let ws = Workspace::with_bundled_corpus();
    for query in [
        "chemo at 85",
        "im 32 and premenopausal, what hormone treatment",
    ] {
        let output = search(&ws, query, &["--mode", "lexical"]);
        assert!(
            output.found && output.absent.is_empty(),
            "{query}: found {}, absent {:?}",
            output.found,
            output.absent
        );
    }
    // A question of nothing but a number no passage has is still reported.
    let number = search(&ws, "12345", &[]);
    assert!(!number.found && absent_words(&number) == ["12345"]);
}

#[test]
fn blurry_ulcers_terminal_and_a_marker_that_went_up_reach_the_texts_words() {
    assert_answered_by_words_and_by_default(&[
        ("blurry vision", "Symptoms and diagnosis"),
        ("my mouth is full of ulcers what can i use", "mouth sores"),
        (
            "my ca 15-3 went up does that mean its growing",
            "Scans and tumour markers",
        ),
        ("is mbc terminal", "What metastatic breast cancer is"),
    ]);
}

#[test]
fn asking_about_a_second_opinion_finds_how_to_get_one() {
    // The texts named a second opinion once, in passing; "Symptoms to report soon" came first.
    assert_answered_by_words_and_by_default(&[
        ("should i get a second opinion", "Getting a second opinion"),
        (
            "can i ask for a second opinion on my treatment plan",
            "Getting a second opinion",
        ),
    ]);
}

#[test]
fn drugs_joined_by_a_slash_are_alternatives_and_her2_neu_stays_whole() {
    // Read as one compound, "ibrance/kisqali/verzenio" was reported missing and the question
    // found nothing.
    assert_answered_by_words_and_by_default(&[
        (
            "ibrance/kisqali/verzenio which is best",
            "The three CDK4/6 inhibitors",
        ),
        ("tamoxifen and/or letrozole", "Hormonal therapy effects"),
        ("HER2/neu", "Receptors and tests"),
    ]);
}

#[test]
fn a_nurses_clinical_words_reach_the_texts_plain_ones() {
    // The texts say "lower blood calcium", "alter heart rhythm" and "anaemia"; each word was
    // reported missing.
    assert_answered_by_words_and_by_default(&[
        (
            "denosumab hypocalcemia",
            "Bone-modifying drugs › Side effects and safety checks",
        ),
        ("QTc ribociclib", "Side effects of CDK4/6 inhibitors"),
        ("my hb is low", "Low blood counts and febrile neutropenia"),
    ]);
}

#[test]
fn a_nurse_asking_for_a_handout_finds_its_subject() {
    // Every text here is patient education: "handout" or "leaflet" says what kind of text is
    // wanted, not what about, and no passage has the word.
    assert_answered_by_words_and_by_default(&[
        (
            "patient education handout on neutropenic precautions",
            "Fever during chemo is an emergency",
        ),
        ("leaflet on hand foot syndrome", "Hand-foot syndrome"),
        // The opening passages of the text on bone metastases lead in both modes.
        (
            "handout about bone mets for a patient",
            "Why bone is the most common site",
        ),
    ]);
}

#[test]
fn a_family_asking_about_the_last_days_finds_what_to_expect() {
    // Before text 25 the corpus had hospice care but nothing on the last days themselves:
    // "what happens at the end" had clinical-trial questions first.
    // ("mum has stopped eating and drinking" need not be about the end of life: the diet
    // text's questions come first in lexical mode, so the text is asked among the first three.)
    let ws = Workspace::with_bundled_corpus();
    let queries = [
        "what happens at the end",
        "signs of dying",
        "dad has a rattle when he breathes",
        "mum has stopped eating and drinking",
        "can she still hear us",
    ];
    for mode in ["lexical", "hybrid"] {
        for query in queries {
            let output = search(&ws, query, &["--mode", mode]);
            assert!(
                files(&output, 3).contains(&"25-near-the-end-of-life.md"),
                "{mode}: {query}: {:?}",
                sections(&output, 3)
            );
        }
    }
}

#[test]
fn an_urgent_symptom_named_only_through_a_suggestion_still_puts_the_advice_first() {
    // "fiver" is a real word, so it is not replaced by "fever"; the search said "nothing
    // found" to a person with a temperature of 38 on chemotherapy.
    let ws = Workspace::with_bundled_corpus();
    let output = search(&ws, "fiver 38 on chemo", &[]);
    assert!(output.corrections.is_empty(), "{:?}", output.corrections);
    assert_eq!(absent_words(&output), ["fiver"]);
    assert!(output.found);
    let meant: Vec<(&str, &str)> = output
        .urgent_if_meant
        .iter()
        .map(|c| (c.from.as_str(), c.to.as_str()))
        .collect();
    assert_eq!(meant, [("fiver", "fever")]);
    assert!(!output.urgent_symptoms.is_empty());
    assert!(output.passages[0].urgent, "{:?}", sections(&output, 3));
    let text = mbc(&ws, &["search", "fiver 38 on chemo", "--color", "never"]).ok();
    assert!(
        text.stdout
            .contains("If “fiver” means “fever”, this names a symptom"),
        "{}",
        text.stdout
    );
    // Named outright, the symptom needs no condition.
    let named = search(&ws, "fever 38 on chemo", &[]);
    assert!(named.urgent_if_meant.is_empty());
    assert!(named.passages[0].urgent);
}

#[test]
fn the_text_on_thoughts_of_suicide_is_not_near_the_top_unasked() {
    // Text 32 keeps out of the first three places for a query that does not ask for it
    // (`keep_out_of_first = 3`): a woman asking whether to make a will, and a son whose mother
    // had fallen, read its safety plan second. Asked, or in a crisis, it leads.
    let ws = Workspace::with_bundled_corpus();
    const SUICIDE: &str = "32-thoughts-of-suicide-or-self-harm.md";
    // By words alone, "should i make a will" is a search for "make", which the safety plan
    // uses most: nothing else comes within a fifth of it, so it keeps the lead there.
    for query in [
        "should i make a will",
        "she had a fall at home and cant get up",
    ] {
        let output = search(&ws, query, &[]);
        let shown = files(&output, 3);
        assert!(!shown.contains(&SUICIDE), "{query}: {shown:?}");
    }
    for mode in ["hybrid", "lexical"] {
        for query in ["i feel suicidal", "i dont want to be here anymore"] {
            let output = search(&ws, query, &["--mode", mode]);
            assert_eq!(files(&output, 1), [SUICIDE], "{mode}: {query}");
            assert!(!output.urgent_symptoms.is_empty(), "{mode}: {query}");
        }
    }
}

#[test]
fn the_text_on_the_last_days_leads_only_a_question_that_asks_about_dying() {
    // Text 25 asks to lead only a query that names dying (`first_only_when_asked`). It led
    // both ordinary questions below: a family asking about a tired mother read first what to
    // expect as someone dies. It still answers them, second.
    let ws = Workspace::with_bundled_corpus();
    const LAST_DAYS: &str = "25-near-the-end-of-life.md";
    for mode in ["hybrid", "lexical"] {
        for query in [
            "is it normal she sleeps all day",
            "she sleeps most of the day",
        ] {
            let output = search(&ws, query, &["--mode", mode]);
            let shown = files(&output, 3);
            assert_ne!(shown[0], LAST_DAYS, "{mode}: {query}: {shown:?}");
            assert!(shown.contains(&LAST_DAYS), "{mode}: {query}: {shown:?}");
        }
        let asked = search(&ws, "mum is dying what to expect", &["--mode", mode]);
        assert_eq!(files(&asked, 1), [LAST_DAYS], "{mode}");
    }
}

#[test]
fn bodily_words_as_people_say_them_reach_the_texts_words() {
    // The first four were "nothing found", with their everyday words reported missing.
    assert_answered_by_words_and_by_default(&[
        ("runny poo on verzenio", "Diarrhoea and mouth sores"),
        ("cant remember things since chemo", "What is chemo brain?"),
        ("losing my eyebrows", "Hair loss and scalp cooling"),
        // Passing a lot of urine is a sign of high calcium.
        ("peeing a lot on zometa", "Symptoms that need urgent help"),
        // Found passages, but none on emotional support (or fatigue) among the first three.
        // Text 31 (feelings, anxiety and depression) answers it since 2026-12-04.
        ("feeling down", "Sadness or depression?"),
        ("cant get out of bed", "Fatigue and tiredness"),
    ]);
}

#[test]
fn a_runny_tummy_weeing_a_lot_and_feeling_foggy_reach_the_texts_words() {
    // All three were nothing found, with "runny", "weeing" and "foggy" reported missing: the
    // texts say diarrhoea, passing a lot of urine and "fog".
    assert_answered_by_words_and_by_default(&[
        ("runny tummy", "Diarrhoea with TKIs"),
        ("weeing a lot", "Symptoms that need urgent help"),
        ("feel foggy since chemo", "What is chemo brain?"),
    ]);
}

#[test]
fn asking_whether_hair_grows_back_finds_the_passage_that_says_how() {
    // The passage on hair loss said only that it is nearly always temporary, and "will my hair
    // grow back after chemo" led with what chemotherapy does.
    assert_answered_by_words_and_by_default(&[
        (
            "will my hair grow back after chemo",
            "Hair loss and scalp cooling",
        ),
        ("when does hair grow back", "Hair loss and scalp cooling"),
    ]);
}

#[test]
fn an_arrhythmia_is_a_change_of_heart_rhythm() {
    // "arrhythmia kisqali" was nothing found, "arrhythmia" reported missing: the texts say
    // ribociclib can change the heart rhythm.
    assert_answered_by_words_and_by_default(&[
        ("arrhythmia kisqali", "Side effects of CDK4/6 inhibitors"),
        (
            "irregular heartbeat on ribociclib",
            "Side effects of CDK4/6 inhibitors",
        ),
    ]);
}

#[test]
fn going_to_work_is_about_paid_work() {
    // The passage on work was 7th and 10th: "work" alone is left out of the lexicon, since
    // treatments work too. Lexical mode puts it 5th, under passages on chemo and radiotherapy.
    let ws = Workspace::with_bundled_corpus();
    assert_answered(
        &ws,
        &[],
        &[
            ("should i go to work during chemo", "Work and money"),
            ("how long off work after radiotherapy", "Work and money"),
        ],
    );
}

#[test]
fn a_treatment_that_stops_working_is_not_a_job() {
    // "off work" analyzes to `work` ("off" is a stop word), so the lexicon read every "work" as
    // paid work: "what if my treatment stops working" searched "sick leave", "boss" and 18 more,
    // and the passage on treatment that stops working was not among the first three.
    let ws = Workspace::with_bundled_corpus();
    for query in ["what if my treatment stops working", "does chemo work"] {
        let output = search(&ws, query, &[]);
        let also: Vec<&str> = output.expanded.iter().map(|e| e.term.as_str()).collect();
        assert!(!also.contains(&"sick leave"), "{query}: {also:?}");
    }
    assert_answered_by_words_and_by_default(&[(
        "what if my treatment stops working",
        "When treatment stops working",
    )]);
}

#[test]
fn questions_about_travel_find_the_text_on_travel() {
    // No text spoke of travel (text 29 came on 2026-12-03): a holiday during treatment led with
    // text 27's vaccines, and travel insurance with the glossary's names for stage 4.
    assert_answered_by_words_and_by_default(&[
        ("can i go on holiday during treatment", "Can I travel?"),
        ("travel insurance with stage 4", "Travel insurance"),
        (
            "will my bone scan set off airport security",
            "Scans and airport security",
        ),
        (
            "long flight blood clot risk",
            "Blood clots on long journeys",
        ),
    ]);
}

#[test]
fn a_flu_jab_is_a_vaccine_not_an_injection_of_chemotherapy() {
    // "jab" reaches "injection": "flu jab during chemo" was answered with passages on how chemo
    // is given, by an injection. The lexicon reads the phrase whole, as a vaccine, and text 27
    // (infections and vaccines) answers it; before that text it was nothing found, with the
    // vaccine named as missing.
    let ws = Workspace::with_bundled_corpus();
    for query in [
        "flu jab during chemo",
        "flu shot during chemo",
        "what vaccines can i have on chemo",
    ] {
        let output = search(&ws, query, &[]);
        assert!(output.found && output.absent.is_empty(), "{query}");
        assert_eq!(
            files(&output, 1),
            ["27-infections-and-vaccines.md"],
            "{query}: {:?}",
            sections(&output, 3)
        );
        assert!(
            sections(&output, 3)
                .iter()
                .any(|s| s.ends_with("Vaccines that are usually advised")),
            "{query}: the advice to have the injected vaccine is among the first three"
        );
    }
}

#[test]
fn vaccines_food_and_infections_during_treatment_find_text_27() {
    // Each was nothing found before text 27, with "vaccine", "sushi" or "shingles" named as a
    // word no passage uses.
    assert_answered(
        &Workspace::with_bundled_corpus(),
        &[],
        &[
            (
                "can i get the covid vaccine on ibrance",
                "Vaccines that are usually advised",
            ),
            (
                "should my grandkids have the nasal flu spray",
                "Vaccines for the people you live with",
            ),
            ("can i eat sushi on chemo", "Food safety"),
            (
                "shingles vaccine on verzenio",
                "Vaccines that are usually advised",
            ),
        ],
    );
}

#[test]
fn sleep_problems_reach_the_text_on_sleep() {
    // No text spoke of sleep as a problem: "cant sleep at night" led with chemo brain and the
    // last days of life, and "sleeping tablets during chemo" with how chemotherapy is given.
    assert_answered_by_words_and_by_default(&[
        ("cant sleep at night", "Why sleep becomes harder"),
        (
            "sleeping tablets during chemo",
            "Sleeping tablets, melatonin and herbal remedies",
        ),
        ("steroids keeping me awake", "Treating what keeps you awake"),
        (
            "what is cbt for insomnia",
            "Cognitive behavioural therapy for insomnia",
        ),
    ]);
}

#[test]
fn fertility_and_periods_after_chemotherapy_reach_what_the_texts_say_of_them() {
    // "can chemo make you infertile" found nothing ("infertile" missing), and no text said what
    // chemotherapy does to periods and fertility; text 23 now does.
    let section = "Periods, early menopause and fertility after chemotherapy";
    assert_answered_by_words_and_by_default(&[
        ("can chemo make you infertile", section),
        ("will my periods come back after chemo", section),
    ]);
}

#[test]
fn a_drink_during_chemotherapy_reaches_what_the_texts_say_of_alcohol_during_treatment() {
    // The texts said only that alcohol raises the risk of breast cancer, and the general
    // chemotherapy passages came first; text 18 now says what to know about drinking during
    // treatment.
    assert_answered_by_words_and_by_default(&[(
        "can i have a glass of wine on chemo",
        "Common food myths › Alcohol",
    )]);
}

#[test]
fn either_of_two_things_asked_for_is_covered_by_a_passage_with_one() {
    // The texts speak of tamoxifen, not raloxifene. Counted as two things to cover, with
    // raloxifene in no passage, the question was judged to be about nothing.
    let ws = Workspace::with_bundled_corpus();
    let either = search(&ws, "tamoxifen or raloxifene", &["--mode", "lexical"]);
    let first = sections(&either, 1);
    assert!(
        either.found && first[0].contains("Tamoxifen"),
        "{first:?}, coverage {}",
        either.evidence.coverage
    );
    reported_absent(&either, "raloxifene");
    // "or" joins the words beside it, not a phrase the lexicon reads: "liver or lung
    // metastases" still asks about metastases.
    let sites = search(&ws, "liver or lung metastases", &["--mode", "lexical"]);
    assert_eq!(sites.evidence.concepts, 2);
}

#[test]
fn a_word_of_one_passage_and_the_meaning_of_another_do_not_make_an_answer() {
    // A middling similarity counts only with the words of a passage that close in meaning. A
    // nurse's question about leave had its coverage (0.34: "many", "nurse", "get") from one
    // passage and its similarity (0.37, floor 0.33) from another, and was answered.
    let ws = Workspace::with_bundled_corpus();
    let output = search(
        &ws,
        "how many days annual leave does a band 5 nurse get",
        &[],
    );
    assert!(
        !output.found && output.passages.is_empty(),
        "{:?}",
        output.evidence
    );
}

#[test]
fn a_question_about_something_no_passage_names_is_not_answered_by_meaning_alone() {
    // Each shares a word or two with the texts (ibuprofen, fever), and its embedding is close
    // to passages on pain relief or tiredness; without "dog" or "glandular" it is another
    // question.
    let ws = Workspace::with_bundled_corpus();
    for query in [
        "can i give my dog ibuprofen",
        "still exhausted weeks after glandular fever",
    ] {
        let output = search(&ws, query, &[]);
        assert!(
            !output.found && output.passages.is_empty(),
            "{query}: {:?}",
            output.evidence
        );
        let without = output.evidence.without_absent_words;
        assert!(without.is_some_and(|s| s < 0.89), "{query}: {without:?}");
    }
    // A missing word that carries little ("reckons") does not stop an answer; "hes" (he's
    // without its apostrophe) is not a word of the question at all, and "cant" is a negation,
    // which no text spells so.
    let stable = search(
        &ws,
        "my oncologist reckons the scan shows stable disease",
        &[],
    );
    let without = stable.evidence.without_absent_words;
    assert!(
        stable.found && without.is_some_and(|s| s >= 0.89),
        "{without:?}"
    );
    for query in [
        "dad wont eat and keeps losing weight",
        "my husband cant cope",
    ] {
        let output = search(&ws, query, &[]);
        assert!(
            output.found && output.absent.is_empty(),
            "{query}: {:?}",
            output.absent
        );
    }
    let dying = "the doctor wants to refer dad to palliative care, does that mean hes dying";
    let dying = search(&ws, dying, &[]);
    assert!(dying.found && dying.absent.is_empty(), "{:?}", dying.absent);
}

#[test]
fn a_question_about_another_cancer_is_not_answered_by_passages_about_breast_cancer() {
    // Their other words (spread, liver, chemo, hormone injections, side effects) are the texts'
    // words, and their embeddings are close to the texts'.
    let ws = Workspace::with_bundled_corpus();
    let bowel =
        "dads bowel cancer has spread to his liver what chemo do they normally give for that";
    for mode in ["hybrid", "lexical", "semantic"] {
        let output = search(&ws, bowel, &["--mode", mode]);
        assert!(!output.found && output.passages.is_empty(), "{mode}");
        assert!(output.evidence.names_another_cancer, "{mode}");
        assert_eq!(absent_words(&output), ["bowel cancer"], "{mode}");
    }
    // A cancer one passage names in passing is not covered: "ovarian cancer treatment options"
    // was answered by ovarian suppression, "leukaemia in children" by telling children.
    for query in [
        "my husband has prostate cancer and starts hormone injections next week",
        "dad has non-small-cell lung cancer, how often is keytruda given",
        "lung cancer immunotherapy keytruda",
        "ovarian cancer treatment options",
        "leukaemia in children",
    ] {
        let output = search(&ws, query, &[]);
        assert!(
            !output.found && output.evidence.names_another_cancer,
            "{query}"
        );
    }
    // Breast cancer named beside it, or asked whether it has become another: judged as usual.
    assert_answered(
        &ws,
        &[],
        &[(
            "has my breast cancer turned into lung cancer",
            "What liver and lung metastases mean",
        )],
    );
    // Breast cancer in the bones is not bone cancer, and a cancer a passage names (ovarian
    // cancer, beside breast cancer, on BRCA) is judged as any other words are.
    assert_answered(
        &ws,
        &[],
        &[(
            "if its in her bones is it bone cancer now",
            "Why bone is the most common site",
        )],
    );
    let ovarian = search(&ws, "does brca raise the risk of ovarian cancer", &[]);
    assert!(
        ovarian.found && ovarian.absent.is_empty(),
        "{:?}",
        ovarian.absent
    );
    // Words for where side effects are felt are not read as the name of a cancer, and a
    // question about what links another cancer to breast cancer or its treatment (a gene, a
    // cause) is judged as usual: the texts answer these.
    for query in [
        "dry skin cancer treatment",
        "my dad had prostate cancer should i get brca testing",
        "does tamoxifen cause womb cancer",
        // "Secondary lung cancer" is cancer spread to the lungs, and a medicine named beside
        // another cancer asks about the medicine: both were nothing found (2026-12-05), the
        // second saying, falsely, that no passage mentions leukaemia.
        "secondary lung cancer",
        "leukaemia from olaparib",
    ] {
        let output = search(&ws, query, &[]);
        assert!(
            output.found && !output.evidence.names_another_cancer,
            "{query}: {:?}",
            output.absent
        );
    }
}

#[test]
fn a_childs_age_reaches_what_the_texts_say_for_that_age() {
    // Parents give an age; the texts speak of young children, school-age children and
    // teenagers.
    let ws = Workspace::with_bundled_corpus();
    let cases = [
        ("how do i talk to my 15-year-old about it", "Teenagers"),
        ("how to explain my cancer to a 4 year old", "Young children"),
        (
            "what do i tell my 8 year old",
            "Primary school-age children",
        ),
    ];
    // "old" is in no passage, but the phrase it is part of was understood.
    assert_answered(&ws, &[], &cases);
}

#[test]
fn everyday_words_for_medicines_comparisons_and_trust_do_not_hide_the_answer() {
    // "meds" is no word of the texts, and "vs" asks for a comparison rather than about
    // anything: either, counted as a word no passage uses, outweighed the rest of the question.
    assert_answered(
        &Workspace::with_bundled_corpus(),
        &["--mode", "lexical"],
        &[
            (
                "constipated from the pain meds",
                "Appetite, weight and constipation",
            ),
            (
                "single agent vs combination chemotherapy in mbc",
                "One drug at a time or combinations",
            ),
        ],
    );
    // A vaginal oestrogen by the name on its box: no text says "Vagifem".
    assert_answered(
        &Workspace::with_bundled_corpus(),
        &[],
        &[
            (
                "can i use vagifem while taking letrozole",
                "Vaginal dryness and painful sex",
            ),
            // The texts say information is reliable and can be trusted.
            (
                "how do i know if cancer information online is genuine",
                "Checking that information can be trusted",
            ),
        ],
    );
}

#[test]
fn feelings_as_people_name_them_reach_the_texts_that_speak_of_them() {
    // The texts say "anger", "anxiety", "feel less alone" and "body image"; the stemmer keeps
    // "angry" and "anxious" apart from them, and "is it normal to feel angry" was nothing found.
    let cases = [
        (
            "is it normal to feel angry",
            "Emotional, spiritual and family support",
        ),
        ("i feel lonely", "Emotional, spiritual and family support"),
        (
            "feeling anxious all the time",
            "Fear, anxiety and scanxiety",
        ),
        (
            "ashamed of my body after mastectomy",
            "Low sex drive, tiredness and body image",
        ),
    ];
    assert_answered_by_words_and_by_default(&cases);
}

#[test]
fn asking_about_remission_finds_what_no_evidence_of_disease_means() {
    // The texts said nothing of remission or NED: "remission" was "nothing found".
    assert_answered_by_words_and_by_default(&[
        (
            "can stage 4 go into remission",
            "Can metastatic breast cancer go into remission?",
        ),
        (
            "what does NED mean",
            "Can metastatic breast cancer go into remission?",
        ),
    ]);
}

#[test]
fn a_child_asking_whether_cancer_can_be_caught_finds_that_it_cannot() {
    // Text 20 says cancer "cannot be caught like a cold"; "catch" was reported missing.
    assert_answered_by_words_and_by_default(&[(
        "can my kids catch cancer",
        "What to say to children of different ages",
    )]);
}

#[test]
fn a_carer_worn_down_finds_that_carers_need_rest_too() {
    // "burnout" was a word no passage uses, and the question found nothing. (In lexical mode
    // "Relationships and family" and two palliative-care passages come first.) Text 26's
    // passage for carers themselves answers it most closely.
    assert_answered(
        &Workspace::with_bundled_corpus(),
        &[],
        &[("caregiver burnout", "Looking after yourself as a carer")],
    );
}

#[test]
fn a_question_about_a_job_finds_work_and_the_law_that_protects_it() {
    // "job", "boss" and "sack" were words no passage uses: "will i lose my job" had memory
    // tips first (they say "one job at a time"), and "should i give up work" had a passage on
    // not giving up hope.
    assert_answered_by_words_and_by_default(&[
        ("should i give up work", "Work and money"),
        ("will i lose my job", "Work and money"),
        ("can my boss sack me for having cancer", "Work and money"),
    ]);
}

#[test]
fn family_and_friends_asking_how_to_help_find_text_26() {
    // Before text 26 the corpus had one short paragraph for the people around a patient
    // ("Relationships and family"): "what should i not say to someone with cancer" had
    // passages on telling children first, and "carer's assessment" found nothing.
    assert_answered_by_words_and_by_default(&[
        (
            "what should i not say to someone with cancer",
            "What to say, and what to leave unsaid",
        ),
        (
            "carer's assessment",
            "Help for carers: assessments, breaks and time off work",
        ),
        (
            "should i go to her oncology appointments",
            "Going to appointments together",
        ),
        (
            "is it ok to hug my mum, she has cancer in her bones",
            "Touch and closeness",
        ),
        (
            "how can i help my sister",
            "Practical help that makes a difference",
        ),
    ]);
}

#[test]
fn crying_a_dnr_form_and_benefits_in_peoples_words_reach_the_texts() {
    // "cry", "dnr" and "pip" were words no passage uses, and each question was nothing found.
    assert_answered_by_words_and_by_default(&[
        (
            "is it normal to cry all the time",
            "Emotional, spiritual and family support",
        ),
        ("what is a dnr", "Where care happens and who to call"),
        (
            "pip for cancer",
            "Help with money, work and practical problems",
        ),
    ]);
}

#[test]
fn an_approach_is_introduced_by_a_passage_that_explains_it_not_by_a_list_of_drugs() {
    // Ranked by their terms, the first passages were lists: chemotherapy's named nine drugs by
    // brand in brackets ("paclitaxel (Taxol), nab-paclitaxel (Abraxane) …"), hormonal
    // therapy's and other targeted therapy's eleven. A passage that explains an approach names
    // a drug or two by way of example.
    let ws = Workspace::with_bundled_corpus();
    let run = mbc(&ws, &["approaches", "--per", "1", "--format", "json"]).ok();
    let parsed: ApproachesOutput = serde_json::from_str(&run.stdout).expect("approaches output");
    for approach in &parsed.approaches {
        let first = &approach.passages[0];
        let bracketed = first.text.matches('(').count();
        assert!(
            bracketed <= 2,
            "{}: {} › {} has {bracketed} names in brackets",
            approach.id,
            first.title,
            first.section
        );
    }
}

#[test]
fn what_a_doctor_said_is_the_question_and_progression_is_treatment_that_stops_working() {
    // Lexical mode found nothing about it ("said" and "now" weighed as words of the question),
    // and the default mode led with integrative oncology guidelines and had no passage on what
    // happens when treatment stops working among the first three.
    assert_answered_by_words_and_by_default(&[(
        "my oncologist said my cancer has progressed what now",
        "When treatment stops working",
    )]);
}

#[test]
fn a_word_no_passage_has_weighs_through_its_synonyms_as_much_as_typed() {
    // "hereditary" is in no passage; the texts say "inherited". At a synonym's discount it
    // weighed less than "metastatic breast cancer", which every passage has, and no passage on
    // inherited mutations was among the first three in either mode.
    let ws = Workspace::with_bundled_corpus();
    let inherited = [
        "Inherited BRCA1, BRCA2 and PALB2",
        "Genetic testing and family",
    ];
    for mode in ["lexical", "hybrid"] {
        let output = search(
            &ws,
            "is metastatic breast cancer hereditary",
            &["--mode", mode],
        );
        let first = sections(&output, 3);
        assert!(
            first
                .iter()
                .any(|s| inherited.iter().any(|i| s.ends_with(i))),
            "{mode}: {first:?}"
        );
    }
}

#[test]
fn a_lost_sense_of_taste_is_what_the_texts_call_taste_changes() {
    // "lost", "sense" and "taste" each weighed alone: nothing found in either mode.
    assert_answered_by_words_and_by_default(&[(
        "lost my sense of taste",
        "Appetite, weight and constipation",
    )]);
}

#[test]
fn paying_the_bills_is_a_question_about_money() {
    // No passage says "bills": the first was nothing found ("No passage mentions bills").
    assert_answered_by_words_and_by_default(&[
        (
            "where can i get help paying bills",
            "Help with money, work and practical problems",
        ),
        ("worried about bills while off sick", "Work and money"),
    ]);
}

#[test]
fn asking_which_foods_to_avoid_on_a_drug_finds_what_interacts_with_it() {
    // The texts answer with grapefruit, which raises the levels of some targeted drugs; none
    // of the first three passages named it (food safety, the glossary's drug classes, the
    // CDK4/6 inhibitors).
    let ws = Workspace::with_bundled_corpus();
    for mode in ["lexical", "hybrid"] {
        let output = search(&ws, "foods to avoid on ibrance", &["--mode", mode]);
        let texts = first(&output, 3, |p| &p.text);
        assert!(
            texts.iter().any(|t| t.contains("grapefruit")),
            "{mode}: {:?}",
            sections(&output, 3)
        );
    }
}

#[test]
fn a_grandparent_asking_how_to_tell_the_grandchildren_finds_text_20() {
    // "grandchildren" was a word no passage uses, and nothing was found.
    assert_answered_by_words_and_by_default(&[(
        "how do i tell my grandchildren",
        "Should I tell my kids?",
    )]);
}

#[test]
fn pulling_out_of_a_trial_reaches_the_right_to_leave_it() {
    // The texts say anyone "can leave a trial at any point"; "pull" was a word no passage uses.
    assert_answered(
        &Workspace::with_bundled_corpus(),
        &[],
        &[
            (
                "what if i want to pull out of the study",
                "Informed consent and the right to leave",
            ),
            (
                "can i withdraw from a trial",
                "Informed consent and the right to leave",
            ),
        ],
    );
}

#[test]
fn clinicians_shorthand_for_a_drug_reaches_its_passages() {
    // Nurses type "pembro" and "abema"; no text does. "pembro" was nothing found, with
    // "did you mean pedro or pembroke".
    let cases = [
        ("pembro", "Immunotherapy for PD-L1-positive disease"),
        ("abema diarrhoea", "Side effects of CDK4/6 inhibitors"),
        ("tuca brain mets", "Drugs that reach the brain"),
        (
            "dex for brain swelling",
            "Controlling swelling and seizures",
        ),
    ];
    assert_answered_by_words_and_by_default(&cases);
}

#[test]
fn removing_the_breast_reaches_the_trials_of_surgery_to_the_breast() {
    // The texts say "surgery to the breast"; what the trials found is the answer. Among the
    // first four, not three, since texts 31 and 32 joined the corpus (2026-12-04): the fused
    // scores of the trials' passage and of the passage on breast cancer in men are within 0.4 %
    // of each other (0.02822 and 0.02831), and the men's passage is now third.
    let ws = Workspace::with_bundled_corpus();
    let output = search(
        &ws,
        "is removing the breast worth it when cancer has spread",
        &[],
    );
    assert!(
        output.passages[..4]
            .iter()
            .any(|p| p.text.contains("found that surgery to the breast")),
        "{:?}",
        first(&output, 4, |p| &p.text)
    );
}

#[test]
fn a_question_about_a_drug_reaches_what_the_texts_say_of_its_class() {
    // The texts say "anthracyclines" and "echocardiogram"; people name the drug and say "echo".
    assert_answered(
        &Workspace::with_bundled_corpus(),
        &["--mode", "lexical"],
        &[
            (
                "why does she need an echo before doxorubicin",
                "Heart effects of anthracyclines",
            ),
            (
                "does taxol cause numb fingers",
                "Neuropathy and hand-foot syndrome",
            ),
        ],
    );
}

#[test]
fn both_first_line_her2_options_are_found() {
    let ws = Workspace::with_bundled_corpus();
    let output = search(&ws, "first treatment her2 positive", &[]);
    let top: String = output.passages[..3]
        .iter()
        .map(|p| p.text.to_lowercase())
        .collect();
    assert!(
        top.contains("pertuzumab") && (top.contains("t-dxd") || top.contains("deruxtecan")),
        "{top}"
    );
}

/// True when a passage's section or text names HER2-positive disease and no HER2-negative kind
/// (negative, low, ultralow, triple-negative, or "HER2-" as in "HR+/HER2-").
fn about_her2_positive_alone(record: &Record) -> bool {
    let words = format!("{} {}", record.section, record.text).to_lowercase();
    let negative = [
        "her2-negative",
        "her2-low",
        "her2-ultralow",
        "triple-negative",
    ]
    .iter()
    .any(|kind| words.contains(kind))
        || words
            .match_indices("her2-")
            .any(|(at, _)| !words[at + 5..].starts_with(|c: char| c.is_alphanumeric()));
    words.contains("her2-positive") && !negative
}

#[test]
fn a_question_on_one_receptor_status_is_not_answered_with_the_other() {
    let ws = Workspace::with_bundled_corpus();
    let letter = "I saw Mrs Jones in clinic today. She has oestrogen receptor positive, \
        HER2-negative metastatic breast cancer in the bones and liver. We discussed starting \
        letrozole with ribociclib, with an ECG and liver function tests before she starts.";
    for (query, modes) in [
        (
            "treatment for her2 negative metastatic breast cancer",
            &["hybrid", "lexical"][..],
        ),
        (
            "what is the treatment for hr positive her2 negative mbc",
            &["hybrid", "lexical"],
        ),
        (letter, &["hybrid"]),
    ] {
        for mode in modes {
            let output = search(&ws, query, &["--mode", mode, "--limit", "5"]);
            assert_eq!(output.passages.len(), 5, "{mode}: {query}");
            let wrong: Vec<&str> = output
                .passages
                .iter()
                .filter(|p| about_her2_positive_alone(p))
                .map(|p| p.section.as_str())
                .collect();
            assert!(wrong.is_empty(), "{mode}: {query}: {wrong:?}");
        }
    }
    // The other way round, HER2-positive passages still answer.
    let output = search(&ws, "her2 positive treatment", &["--limit", "3"]);
    assert!(
        output.passages.iter().all(about_her2_positive_alone),
        "{:?}",
        sections(&output, 3)
    );
}

#[test]
fn a_passage_on_the_contrary_status_comes_after_the_rest_and_says_so() {
    let ws = Workspace::new();
    ws.write(
        "corpus/her2.md",
        "+++\ntitle = \"HER2 status\"\nsources = [\"Fixture source, 2026.\"]\n+++\n\n\
         ## Treatment for HER2-positive disease\n\n\
         Treatment for HER2-positive breast cancer uses trastuzumab, and treatment is long.\n\n\
         ## Treatment for HER2-negative disease\n\n\
         Hormonal therapy often comes first.\n",
    );
    let output = search(&ws, "her2 negative treatment", &["--mode", "lexical"]);
    let shown: Vec<(&str, Option<&str>)> = output
        .passages
        .iter()
        .map(|p| (p.section.as_str(), p.contrary.as_deref()))
        .collect();
    assert_eq!(
        shown,
        [
            ("Treatment for HER2-negative disease", None),
            (
                "Treatment for HER2-positive disease",
                Some("HER2-positive, not HER2-negative")
            ),
        ]
    );
    let text = mbc(
        &ws,
        &["search", "her2 negative treatment", "--mode", "lexical"],
    )
    .ok();
    assert!(
        text.stdout
            .contains("↓ about HER2-positive, not HER2-negative: listed after"),
        "{}",
        text.stdout
    );
}

#[test]
fn the_urgent_advice_first_names_the_symptom_asked_about_as_one() {
    // Leptomeningeal disease "can cause headaches" and says "sudden confusion" needs emergency
    // care: both words, far apart. The advice on a sudden, severe headache comes first.
    let ws = Workspace::with_bundled_corpus();
    for mode in ["hybrid", "lexical", "semantic"] {
        let output = search(
            &ws,
            "my sister with brain mets suddenly has a terrible headache",
            &["--mode", mode],
        );
        let first = &output.passages[0];
        assert!(
            first.urgent
                && first
                    .text
                    .contains("a sudden, severe headache needs emergency care"),
            "{mode}: {}",
            first.text
        );
    }
}

#[test]
fn urgent_signs_in_a_familys_own_words_put_the_advice_to_act_first() {
    // Each was "nothing found", or had no urgent notice, or had advice on another problem
    // first, when a new user tried them.
    let ws = Workspace::with_bundled_corpus();
    for (query, symptom, answer) in [
        (
            "cant feel my bum when i wipe and back is killing me",
            "spinal cord compression",
            "cord compression",
        ),
        // The advice on cord compression names back pain, unsteady walking and the bladder.
        (
            "wobbly on my feet and back pain",
            "spinal cord compression",
            "cord compression",
        ),
        (
            "her legs went from under her",
            "spinal cord compression",
            "cord compression",
        ),
        (
            "im weeing myself and my back hurts",
            "spinal cord compression",
            "cord compression",
        ),
        // Sudden confusion and new drowsiness, both named in the advice on confusion.
        (
            "mum is talking nonsense and very sleepy today",
            "sudden confusion or change in alertness",
            "When confusion or memory loss is urgent",
        ),
        (
            "i threw up all night and cant keep anything down on chemo",
            "vomiting that will not stop, or not keeping fluids down",
            "emergency or same-day care",
        ),
        // No urgent notice; then, with diarrhoea in the same symptom, the advice on diarrhoea
        // with sacituzumab govitecan first.
        (
            "she wont stop being sick",
            "vomiting that will not stop, or not keeping fluids down",
            "emergency or same-day care",
        ),
        // "diarea" is two letters from the lexicon's "diarrhea" and three from the texts'
        // "diarrhoea": it was offered "diary", and nothing was found.
        ("diarea wont stop", "severe or ongoing diarrhoea", ""),
        // The list of symptoms that need urgent help names yellowing skin and a call the same day.
        (
            "going yellow",
            "yellow skin or eyes",
            "Symptoms that need urgent help",
        ),
        (
            "my port site is red and oozing",
            "fever or signs of infection during treatment",
            "Signs of infection",
        ),
        (
            "face and arm gone droopy on one side",
            "sudden severe headache, weakness on one side or loss of vision",
            "",
        ),
        (
            "havent had a wee since yesterday morning",
            "spinal cord compression",
            "",
        ),
        (
            "diarrhoea 7 times today on verzenio",
            "severe or ongoing diarrhoea",
            "Side effects of CDK4/6 inhibitors",
        ),
        ("cant feel my legs", "spinal cord compression", ""),
        (
            "headaches and being sick could it be brain mets",
            "a new headache with vomiting",
            "Symptoms and diagnosis",
        ),
    ] {
        let output = search(&ws, query, &[]);
        let first = output.passages.first();
        assert!(
            output.urgent_symptoms.iter().any(|s| s == symptom)
                && first.is_some_and(|p| p.urgent && p.section.contains(answer)),
            "{query}: {:?}, first {:?}",
            output.urgent_symptoms,
            first.map(|p| &p.section)
        );
    }
    // A leg, not an arm: the texts never say "calf", and arm passages came first.
    let calf = search(&ws, "my calf is swollen red and sore", &[]);
    assert!(
        calf.passages[0].urgent && calf.passages[0].text.contains("leg"),
        "{}",
        calf.passages[0].text
    );
    // Leaking when sneezing is common and not a sign of pressure on the spinal cord.
    let sneeze = search(&ws, "i wet myself when i sneeze", &[]);
    assert!(
        sneeze.urgent_symptoms.is_empty(),
        "{:?}",
        sneeze.urgent_symptoms
    );
}

#[test]
fn emergencies_a_family_describes_rather_than_names_put_the_advice_first() {
    // A second new user's tries: each had no urgent notice (some were "nothing found"), or the
    // advice on another problem first.
    let ws = Workspace::with_bundled_corpus();
    // The advice on sudden confusion begins "Slowly building forgetfulness can wait".
    for (query, symptom, first_says) in [
        (
            "mum suddenly doesnt know who i am since this morning",
            "sudden confusion or change in alertness",
            "forgetfulness",
        ),
        (
            "mum doesnt recognise me",
            "sudden confusion or change in alertness",
            "forgetfulness",
        ),
        (
            "she collapsed and was jerking",
            "collapse or blacking out",
            "collapsing",
        ),
        (
            "she passed out in the kitchen",
            "collapse or blacking out",
            "passing out",
        ),
        (
            "mum keeled over in the kitchen and hit the floor",
            "collapse or blacking out",
            "passing out",
        ),
        (
            "cant rouse her, she just groans and goes back to sleep",
            "sudden confusion or change in alertness",
            "emergency",
        ),
        (
            "mum is cold and clammy and breathing fast after chemo",
            "fever or signs of infection during treatment",
            "clammy",
        ),
        (
            "she cant get out of bed her legs wont work",
            "spinal cord compression",
            "spinal cord",
        ),
        (
            "shes not passed water all day and her back hurts",
            "spinal cord compression",
            "spinal cord",
        ),
        // Shaking all over also names rigors, and the advice on sepsis may lead: it says to
        // call the emergency number too.
        (
            "she was shaking all over and went stiff then wouldnt wake up properly",
            "seizure",
            "emergency",
        ),
    ] {
        let output = search(&ws, query, &[]);
        let first = output.passages.first();
        assert!(
            output.urgent_symptoms.iter().any(|s| s == symptom)
                && first.is_some_and(|p| p.urgent && p.text.contains(first_says)),
            "{query}: {:?}, first {:?}",
            output.urgent_symptoms,
            first.map(|p| &p.text)
        );
    }
    // The same words in their everyday senses are not emergencies.
    assert_names_no_urgent_symptom(
        &ws,
        &[
            "the doctor doesnt know why my back hurts",
            "my vertebra collapsed",
            "collapsed lung",
            "my confidence collapsed after the diagnosis",
            "the trial collapsed last year",
            "feeling clammy hands when anxious",
            "breathing fast when i panic",
            "she went stiff with fear when the doctor told her",
            "unconscious bias in cancer care",
            "how can i stay fit and exercise during treatment",
            "the election coverage is at fever pitch and its stressing me out",
            "i was breathless with excitement when my scan was stable",
            "we blacked out the bedroom windows so i can sleep during the day",
            "i feel faint when i stand up",
        ],
    );
}

#[test]
fn a_cough_on_datopotamab_deruxtecan_is_urgent_as_on_trastuzumab_deruxtecan() {
    // Datroway's label carries a boxed warning on lung inflammation, as Enhertu's does; the
    // texts named only its mouth and eye side effects, and "dato dxd" was nothing found.
    let ws = Workspace::with_bundled_corpus();
    let cough = search(&ws, "on datroway and have a new cough", &[]);
    assert!(
        cough
            .urgent_symptoms
            .iter()
            .any(|s| s.contains("datopotamab deruxtecan")),
        "{:?}",
        cough.urgent_symptoms
    );
    let first = &cough.passages[0];
    assert!(
        first.urgent && first.text.contains("Datroway") && first.text.contains("cough"),
        "{}",
        first.text
    );
    let shorthand = search(&ws, "dato dxd eye problems", &[]);
    assert!(
        shorthand.found && shorthand.passages[0].text.contains("Datroway"),
        "{:?}",
        sections(&shorthand, 3)
    );
}

#[test]
fn a_synonyms_words_name_no_urgent_symptom_apart() {
    // "lose her hair" is searched as "hair falling out" too; its "falling", read apart, and
    // "pain in her hip" named a fall on the hip, and a family's post about a new diagnosis
    // was told a bone may be broken.
    let ws = Workspace::with_bundled_corpus();
    let output = search(
        &ws,
        "she had pain in her hip for ages, will she lose her hair",
        &[],
    );
    assert!(
        output.urgent_symptoms.is_empty(),
        "{:?}",
        output.urgent_symptoms
    );
}

#[test]
fn a_negation_names_an_urgent_symptom_only_for_the_word_it_negates() {
    // "cant" and "walk" named "cant walk", a sign of spinal cord compression, for a person
    // whose breath is short on the stairs.
    let ws = Workspace::with_bundled_corpus();
    let stairs = search(&ws, "I cant breth when I walk the stairs", &[]);
    assert!(
        !stairs
            .urgent_symptoms
            .iter()
            .any(|s| s == "spinal cord compression"),
        "{:?}",
        stairs.urgent_symptoms
    );
    let legs = search(&ws, "since this morning I cant really walk", &[]);
    assert_eq!(legs.urgent_symptoms, ["spinal cord compression"]);
}

#[test]
fn sleeping_all_day_and_confused_is_drowsy_and_confused() {
    // A family's words for a sign that needs a call (high calcium, spread to the brain) had
    // no urgent notice: no term says "sleeps all day".
    let ws = Workspace::with_bundled_corpus();
    let output = search(&ws, "she sleep all day and is confuse", &[]);
    assert_eq!(
        output.urgent_symptoms,
        ["sudden confusion or change in alertness"]
    );
    assert!(output.passages[0].urgent);
    let asleep = search(&ws, "is it normal she sleeps all day", &[]);
    assert!(
        asleep.urgent_symptoms.is_empty(),
        "{:?}",
        asleep.urgent_symptoms
    );
}

#[test]
fn a_belly_getting_big_fast_is_a_belly_that_swells_quickly() {
    // No term said "big", and the advice to call the same day was nowhere in the first ten.
    let ws = Workspace::with_bundled_corpus();
    for query in [
        "my belly is getting big very fast",
        "her tummy is growing quickly",
    ] {
        let output = search(&ws, query, &[]);
        assert_eq!(
            output.urgent_symptoms,
            ["a belly that swells quickly"],
            "{query}"
        );
        assert!(output.passages[0].urgent, "{query}");
    }
}

#[test]
fn a_wee_bit_is_not_urine() {
    // The analyzer reads "weeing" as "wee", so a lexicon group with "weeing" searched urine
    // for "a wee bit worried about scans".
    let ws = Workspace::with_bundled_corpus();
    let output = search(&ws, "a wee bit worried about scans", &[]);
    let expanded: Vec<&str> = output.expanded.iter().map(|e| e.term.as_str()).collect();
    assert!(
        !expanded.iter().any(|e| e.contains("urine")),
        "{expanded:?}"
    );
}

#[test]
fn a_fall_and_a_leg_that_takes_no_weight_are_read_as_meant() {
    // "fell" was offered "full", and "cant put weight on" was read as putting on weight.
    let ws = Workspace::with_bundled_corpus();
    let output = search(
        &ws,
        "my husband fell and now cant put weight on his hip",
        &[],
    );
    let expanded: Vec<&str> = output.expanded.iter().map(|e| e.term.as_str()).collect();
    assert!(
        output.absent.is_empty() && !expanded.contains(&"weight gain"),
        "absent {:?}, expanded {expanded:?}",
        output.absent
    );
    assert_eq!(output.urgent_symptoms, ["a bone that may be broken"]);
    assert!(output.passages[0].urgent);
}

#[test]
fn json_lines_say_on_stderr_what_was_corrected_and_what_is_urgent() {
    // Lines have no envelope for them, and the correction and the urgent warning were lost.
    let ws = Workspace::with_bundled_corpus();
    let brest = mbc(&ws, &["search", "brest cancer", "--format", "jsonl"]).ok();
    assert!(
        brest
            .stderr
            .contains("note: showing results for: brest → breast"),
        "{}",
        brest.stderr
    );
    let blood = mbc(&ws, &["search", "coughing up blood", "--format", "jsonl"]).ok();
    assert!(
        blood.stderr.contains("needs urgent care"),
        "{}",
        blood.stderr
    );
    let first: serde_json::Value =
        serde_json::from_str(blood.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(first["urgent"], true);
    // `export` writes the same records, and had the same gap.
    let export = mbc(&ws, &["export", "mums legs gone weak and bad back pain"]).ok();
    assert!(
        export
            .stderr
            .contains("needs urgent care (spinal cord compression)"),
        "{}",
        export.stderr
    );
}

#[test]
fn urgent_symptoms_put_the_advice_to_act_first() {
    let ws = Workspace::with_bundled_corpus();
    for query in [
        "temperature 38 on chemo",
        "my legs have gone numb and weak",
        "mum had a seizure",
        // An allergic reaction, in the words people use for it.
        "my tongue is swelling up after paclitaxel",
        // Diarrhoea that will not settle, and not keeping fluids down.
        "diarrhoea not settling on trodelvy",
        "been vomiting since chemo and cant keep fluids down",
        // Counted the way people count it, or with blood.
        "diarrhoea 8 times a day since starting verzenio",
        "there is blood in my diarrhoea",
        // Fluid in the abdomen, in a family member's words.
        "my wife has liver mets and her tummy has swollen up quickly",
        // Any cough on T-DXd may be lung inflammation: no "new", no "short of breath" needed.
        "my mom is on enhertu and has a dry cough",
        "mum is very confused today",
        // Rigors in people's words.
        "ive got the shakes on chemo",
        "cant stop shaking after docetaxel",
    ] {
        let output = search(&ws, query, &[]);
        assert!(
            output.found && !output.urgent_symptoms.is_empty(),
            "{query}"
        );
        let first = &output.passages[0];
        assert!(first.urgent, "{query}");
        let text = first.text.to_lowercase();
        assert!(
            [
                "straight away",
                "immediately",
                "emergency",
                "urgent",
                "999",
                "911"
            ]
            .iter()
            .any(|a| text.contains(a)),
            "{query}: {}",
            first.text
        );
    }
    // Words in another sense: a sleeve that fits, "temp" for temporary, a letter that says one
    // is fit to fly, the temperature medicines are kept at.
    assert_names_no_urgent_symptom(
        &ws,
        &[
            "how should a compression sleeve fit",
            "is the hair loss temp or permanent",
            "fit to fly letter",
            "how should i store my medicines at room temperature",
            // Hands that shake are a tremor, not rigors.
            "my hands shake when i hold a cup",
            // Diarrhoea as a side effect to expect is not an emergency.
            "is diarrhoea common with verzenio",
            "is watery diarrhoea normal on verzenio",
            "my tummy feels bloated on letrozole",
            // A cough is urgent on T-DXd, not as a side effect of radiotherapy.
            "can radiotherapy cause a cough",
            // "Very confused" and "very thirsty" are urgent; read without their stop word "very",
            // the urgent advice on sudden confusion led a question about choosing a treatment.
            "im confused about which treatment to choose",
            "always thirsty on chemo",
            // Fractures as a risk to lower are not a bone that has broken.
            "does zometa prevent fractures",
            "denosumab stopping rebound fractures",
        ],
    );
}

#[test]
fn the_urgent_advice_that_fits_the_words_leads_in_every_mode() {
    // The advice the ranking put highest led, so the model chose it: "shivering on docetaxel"
    // was led by the advice on a hot, swollen arm (which names shivers) by default and in
    // semantic mode, and the first words of the answer depended on the mode.
    let ws = Workspace::with_bundled_corpus();
    for (query, answer) in [
        ("shivering on docetaxel", "Signs of infection"),
        (
            "on enhertu and got a new cough and short of breath",
            "Lung inflammation with T-DXd",
        ),
    ] {
        for mode in ["hybrid", "lexical", "semantic"] {
            let output = search(&ws, query, &["--mode", mode]);
            let first = &output.passages[0];
            assert!(
                first.urgent && first.section.contains(answer),
                "{query} ({mode}): {}",
                first.section
            );
        }
    }
}

#[test]
fn urgent_advice_about_the_symptom_asked_about_comes_before_advice_about_its_neighbours() {
    // Both passages name a symptom of one group ("sudden severe headache, weakness on one side
    // or loss of vision") and say to get emergency care; the ranking puts the first higher,
    // but only the second is about the headache asked about.
    let ws = Workspace::new();
    ws.write(
        "corpus/brain.md",
        "# Brain metastases

## Warning signs of brain metastases

Brain metastases can          cause a seizure, new confusion or sudden weakness on one side. Brain metastases with          these signs need emergency care.

## Headaches

A sudden severe headache needs          emergency care.
",
    );
    ws.index_corpus();
    let run = ws.mbc(&[
        "search",
        "brain metastases and the worst headache, suddenly",
        "--mode",
        "lexical",
        "--format",
        "json",
    ]);
    let first = &run.json()["passages"][0];
    assert_eq!(first["urgent"], true);
    assert_eq!(first["section"], "Headaches", "{first}");
}

#[test]
fn urgent_advice_for_another_drug_does_not_lead() {
    // "diarrhoea 7 times today on verzenio" was led by the advice on sacituzumab govitecan.
    // Here the passage on the other drug matches more of the question's words.
    let ws = Workspace::new();
    ws.write(
        "corpus/diarrhoea.md",
        "# Diarrhoea

## Sacituzumab govitecan

Diarrhoea many times a day with sacituzumab govitecan needs a call straight away.

## Any treatment

Severe diarrhoea needs a call to the team straight away.

## Abemaciclib

Abemaciclib often causes loose stools in the first weeks.
",
    );
    ws.index_corpus();
    let first = |query: &str| {
        let run = ws.mbc(&["search", query, "--mode", "lexical", "--format", "json"]);
        let first = run.json()["passages"][0].clone();
        assert_eq!(first["urgent"], true, "{query}: {first}");
        first["section"].as_str().unwrap().to_string()
    };
    assert_eq!(
        first("severe diarrhoea many times a day on verzenio"),
        "Any treatment"
    );
    // The advice for the drug named still leads, and with no drug named the ranking decides.
    assert_eq!(
        first("severe diarrhoea many times a day on trodelvy"),
        "Sacituzumab govitecan"
    );
    assert_eq!(
        first("severe diarrhoea many times a day"),
        "Sacituzumab govitecan"
    );
}

#[test]
fn running_a_fever_is_a_fever_not_a_word_for_options_running_out() {
    // "running a fever after treatment yesterday" was led by the advice on one drug,
    // datopotamab deruxtecan, whose heading is "When hormonal options run out": the urgent rule
    // counted "run" there and "fever" in its text as the words of "running a fever".
    let ws = Workspace::with_bundled_corpus();
    for query in [
        "running a fever after treatment yesterday",
        "running a temp after chemo",
    ] {
        let output = search(&ws, query, &[]);
        let first = &output.passages[0];
        assert!(first.urgent, "{query}: {:?}", sections(&output, 3));
        assert!(
            !first.section.contains("run out") && !first.text.contains("atopotamab"),
            "{query}: {}",
            first.section
        );
    }
}

#[test]
fn a_fit_last_night_is_a_seizure_not_the_last_days_of_life() {
    // "she had a fit last night" had the advice on seizures first, then "Changes in the last
    // days and hours" and "Changes in the last weeks" of the text on the end of life, through
    // "last"; read without it, a sleeve that fits and being fit to fly came next.
    let ws = Workspace::with_bundled_corpus();
    let output = search(&ws, "she had a fit last night", &[]);
    assert!(output.passages[0].urgent);
    for passage in output.passages.iter().take(3) {
        assert!(
            passage.text.to_lowercase().contains("seizure"),
            "{:?}",
            sections(&output, 3)
        );
    }
    // "The last week of life" is what is asked, not when.
    let output = search(&ws, "what happens in the last week of life", &[]);
    assert!(
        output.passages[0].section.contains("last weeks"),
        "{:?}",
        sections(&output, 3)
    );
}

#[test]
fn blood_in_the_stools_gets_the_advice_on_bleeding_not_on_an_allergic_reaction() {
    // "blood in my feces" was answered with liver metastases and low blood counts, and no
    // urgent advice; bleeding shared a group with an allergic reaction, so "black tarry poo"
    // would have had the advice on a reaction to paclitaxel first.
    let ws = Workspace::with_bundled_corpus();
    for query in [
        "blood in my feces",
        "black tarry poo",
        "bloody stools on xeloda",
    ] {
        let output = search(&ws, query, &[]);
        assert_eq!(output.urgent_symptoms, ["bleeding"], "{query}");
        let first = &output.passages[0];
        // Text 14 asks for a call the same day for unusual bleeding in two passages; they tie
        // on a question in none of their words, so either may lead.
        assert!(
            first.urgent
                && (first.section.ends_with("Low blood counts and infection")
                    || first
                        .section
                        .ends_with("Problems that need emergency or same-day care")),
            "{query}: {:?}",
            sections(&output, 3)
        );
    }
    let allergy = search(&ws, "got a nasty allergic reaction to paclitaxel", &[]);
    assert_eq!(allergy.urgent_symptoms, ["a severe allergic reaction"]);
}

#[test]
fn out_of_breath_is_breathlessness() {
    // "out of breath" was in no lexicon group: with "climbing" and "stairs" in no passage,
    // the question was nothing found in every mode.
    let ws = Workspace::with_bundled_corpus();
    for mode in ["lexical", "hybrid"] {
        let output = search(
            &ws,
            "always out of breath climbing the stairs",
            &["--mode", mode],
        );
        assert!(
            output.found
                && output.passages[0]
                    .section
                    .ends_with("Breathlessness and shortness of breath"),
            "{mode}: {:?}",
            sections(&output, 3)
        );
    }
}

#[test]
fn breathless_on_walking_is_not_named_as_spinal_cord_compression() {
    // "breathless" is read as "can't breathe" too; its "cant" and the typed "walking" named
    // "cant walk", and the question was told it named a sign of spinal cord compression.
    let ws = Workspace::with_bundled_corpus();
    let output = search(&ws, "breathless walking to the toilet", &[]);
    assert_eq!(
        output.urgent_symptoms,
        ["sudden breathlessness or chest pain"]
    );
    let legs = search(&ws, "cant walk properly since yesterday", &[]);
    assert_eq!(legs.urgent_symptoms, ["spinal cord compression"]);
}

#[test]
fn a_nosebleed_or_bleeding_gums_gets_the_advice_on_bleeding() {
    // "nosebleed wont stop" was nothing found: the texts speak of unusual bleeding only, and
    // the urgent list had no word for bleeding from the nose or gums.
    let ws = Workspace::with_bundled_corpus();
    for query in [
        "nosebleed wont stop",
        "my gums are bleeding when i brush my teeth on chemo",
    ] {
        let output = search(&ws, query, &[]);
        assert_eq!(output.urgent_symptoms, ["bleeding"], "{query}");
        let first = &output.passages[0];
        assert!(
            first.urgent && first.section.ends_with("Low blood counts and infection"),
            "{query}: {:?}",
            sections(&output, 3)
        );
    }
    // Blood in the urine is left off the list: its words in any order would make a question
    // about routine tests urgent.
    let tests = search(&ws, "blood and urine tests before zometa", &[]);
    assert!(
        tests.urgent_symptoms.is_empty(),
        "{:?}",
        tests.urgent_symptoms
    );
}

#[test]
fn the_founding_article_is_marked_as_dated_wherever_it_shows() {
    let ws = Workspace::with_bundled_corpus();
    let output = search(&ws, "tamoflexin fluoxymesterone", &[]);
    let article = output
        .passages
        .iter()
        .find(|p| p.source.path == FOUNDING)
        .expect("its own words find it");
    assert_eq!(article.document.status, "dated");
    assert!(!article.document.caveats.is_empty());
    let text = mbc(&ws, &["search", "tamoflexin fluoxymesterone"])
        .ok()
        .stdout;
    assert!(text.contains("⚠ dated text"), "{text}");
    let shown = mbc(&ws, &["show", &article.passage_id]).ok().stdout;
    assert!(
        shown.contains("⚠ dated text") && shown.contains("tamoflexin"),
        "{shown}"
    );
    let herceptin = search(&ws, "is herceptin chemo", &[]);
    assert_ne!(
        herceptin.passages[0].source.path, FOUNDING,
        "a reviewed text comes first"
    );
}

#[test]
fn an_unreviewed_text_is_marked_with_what_it_lacks() {
    // A text with a review date and no sources was marked "names no sources or review date",
    // and `mbc show` printed its review date just below.
    let ws = Workspace::new();
    ws.write("corpus/dated-only.md", DATED_ONLY_DOC);
    ws.write(
        "corpus/sourced-only.md",
        "+++\ntitle = \"Hot weather\"\nsources = [\"Fixture source, 2025.\"]\n+++\n\n\
         ## Keeping cool\n\nA damp flannel helps in hot weather.\n",
    );
    ws.write(
        "corpus/neither.md",
        "# Gardening\n\n## Gloves\n\nGardening gloves protect the hands.\n",
    );
    for (query, warning) in [
        ("salt water rinse", "⚠ this text names no sources\n"),
        ("damp flannel", "⚠ this text has no review date"),
        (
            "gardening gloves",
            "⚠ this text names no sources and no review date",
        ),
    ] {
        let text = mbc(&ws, &["search", query, "--mode", "lexical"])
            .ok()
            .stdout;
        assert!(text.contains(warning), "{query}: {text}");
        let id = search(&ws, query, &["--mode", "lexical"]).passages[0]
            .passage_id
            .clone();
        let shown = mbc(&ws, &["show", &id]).ok().stdout;
        assert!(shown.contains(warning), "{query}: {shown}");
    }
}

/// A text on zoledronic acid last reviewed on `date` (a year and more before the tests' today,
/// or not), with one source.
fn bone_text(title: &str, date: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\nlast_reviewed = {date}\n\
         sources = [\"Fixture source, 2019.\"]\n+++\n\n\
         ## Zoledronic acid\n\nZoledronic acid protects bones weakened by cancer.\n"
    )
}

#[test]
fn a_text_last_reviewed_more_than_a_year_ago_is_marked_wherever_it_shows() {
    // A curator's text reviewed in 2019 was shown as if current: only `mbc index` warned.
    let ws = Workspace::new();
    ws.write(
        "corpus/old.md",
        bone_text("Bone care in 2019", "2019-03-01"),
    );
    ws.write("corpus/new.md", bone_text("Bone care now", "2026-11-01"));
    let output = search(&ws, "zoledronic", &["--mode", "lexical"]);
    let overdue: Vec<(&str, bool)> = output
        .passages
        .iter()
        .map(|p| (p.doc_id.as_str(), p.review_overdue))
        .collect();
    assert!(
        overdue.contains(&("old.md", true)) && overdue.contains(&("new.md", false)),
        "{overdue:?}"
    );
    let warning = "⚠ last reviewed 2019-03-01, more than a year ago";
    let text = mbc(&ws, &["search", "zoledronic", "--mode", "lexical"])
        .ok()
        .stdout;
    assert_eq!(text.matches(warning).count(), 1, "{text}");
    let old = output
        .passages
        .iter()
        .find(|p| p.doc_id == "old.md")
        .unwrap();
    let shown = mbc(&ws, &["show", &old.passage_id]).ok().stdout;
    assert!(shown.contains(warning), "{shown}");
    let stats = mbc(&ws, &["stats"]).ok().stdout;
    assert!(
        stats.contains("2019-03-01 (old.md) ⚠ more than a year ago"),
        "{stats}"
    );
}

#[test]
fn a_review_date_after_today_is_refused_with_its_file_and_line() {
    let ws = Workspace::new();
    ws.write(
        "corpus/later.md",
        bone_text("Reviewed in the future", "2999-06-01"),
    );
    let run = mbc(&ws, &["index"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("later.md:3") && run.stderr.contains("is after today ("),
        "{}",
        run.stderr
    );
}

#[test]
fn reviewing_as_of_an_earlier_day_still_indexes_texts_reviewed_since() {
    // MBC_TODAY=2025-01-01 made every text reviewed after it "after today", and indexing
    // failed; the README offers MBC_TODAY for reviewing a corpus as of a date.
    let ws = Workspace::new();
    ws.write(
        "corpus/recent.md",
        bone_text("Reviewed lately", "2026-11-01"),
    );
    let run = Run::of(
        ws.command(&["index"])
            .env("MBC_TODAY", "2025-01-01")
            .output()
            .unwrap(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_mistyped_today_is_refused_not_taken_for_the_clocks_date() {
    let ws = Workspace::new();
    ws.write("corpus/bone.md", bone_text("Bone", "2026-11-27"));
    for mistyped in ["2026-13-01", "03/12/2026", "tomorrow"] {
        let run = Run::of(
            ws.command(&["search", "bone"])
                .env("MBC_TODAY", mistyped)
                .output()
                .expect("mbc runs"),
        );
        assert_eq!(run.code, 2, "{mistyped}: {}", run.stderr);
        assert!(
            run.stderr
                .contains(&format!("MBC_TODAY={mistyped} is not a date"))
                && run.stderr.contains("YYYY-MM-DD"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn the_peoples_questions_meet_their_targets() {
    let (report, failed) = evaluate("questions.toml");
    assert!(report.answerable >= 40 && report.unanswerable >= 10);
    assert!(report.hit_at_3 >= 0.90, "{failed:?}");
    assert_eq!(report.urgent_first, 1.0, "{failed:?}");
    assert_eq!(report.no_answer_accuracy, 1.0, "{failed:?}");
    assert!(Path::new(MODEL).is_dir());
}

#[test]
fn the_held_out_peoples_questions_do_not_fall_below_their_measured_level() {
    // Written after the rules were tuned on questions.toml, and never tuned on: the targets
    // are not met here (README, "The people's-questions set"); this keeps what is met.
    // No-answer fell from 0.875 to 0.75 with text 27 (infections and vaccines, 2026-12-02):
    // "still tired months after having covid" was nothing found because no passage used
    // "covid"; now the vaccine passages do, the check on words no passage uses no longer
    // applies, and a passage on immunotherapy side effects covers "tired", "months" and
    // "after" (0.52 of the query's weight, over the 0.5 words alone need).
    // Hit@3 rose from 0.875 to 0.906 when the lexicon read "out of breath" as breathlessness
    // (2026-12-02).
    let (report, failed) = evaluate("questions-held-out.toml");
    assert!(report.hit_at_3 >= 0.90, "{failed:?}");
    assert_eq!(report.urgent_first, 1.0, "{failed:?}");
    assert!(report.no_answer_accuracy >= 0.75, "{failed:?}");
}

#[test]
fn the_development_peoples_questions_do_not_fall_below_their_measured_level() {
    // Written to be tuned on, weighted towards unanswerable questions near the texts' subject
    // (other cancers, other conditions, pets, costs): the level measured, not the targets.
    // No-answer fell from 0.80 to 0.76 with text 26 (supporting someone with MBC, 2026-12-02):
    // "how do i write a will so the house goes to my kids" sits on both thresholds of judging
    // by meaning (best similarity 0.339, floor 0.33; coverage 0.2501 against the 0.25 meaning
    // needs), and the new text's word statistics moved it over them. It went back to 0.80 when
    // a middling similarity came to need the words of a passage that close (the band 5 nurse's
    // question below).
    // No-answer was 0.88 until text 18 gained a paragraph on alcohol during treatment
    // (2026-12-02): "how many days annual leave does a band 5 nurse get" sits on both
    // thresholds of judging by meaning (best similarity 0.342, floor 0.33), and the changed
    // word statistics raised its coverage among the leading passages from 0.244 to 0.338
    // ("many", "nurse", "get"), just above the 0.25 that meaning needs. It was 0.84 until text
    // 24 gained a section on second opinions (2026-12-02): "how do i repot a peace lily" has
    // "repot" corrected to "report" (the word list lacks "repot"), and the section says "peace
    // of mind" and "biopsy reports", which covers two of its three concepts by words.
    // With text 27 the question on flu and COVID vaccines mid-chemo became answerable and was
    // relabelled: the same five unanswerable questions fail, now of 24 rather than 25 (0.792).
    // 0.833 since SCOWL's largest list is known (2026-12-03): "repot" is a real word, and
    // reported, not replaced. 0.870 (of 23) when text 02 said how hair grows back, the same day,
    // and the question on hair growing back curly was relabelled answerable.
    let (report, failed) = evaluate("questions-dev.toml");
    assert!(report.hit_at_3 >= 0.91, "{failed:?}");
    assert_eq!(report.urgent_first, 1.0, "{failed:?}");
    assert!(report.no_answer_accuracy >= 0.86, "{failed:?}");
}

#[test]
fn the_reserve_peoples_questions_do_not_fall_below_their_measured_level() {
    // Kept for a final measurement: only the totals are shown, never which questions fail.
    let (report, _) = evaluate("questions-reserve.toml");
    assert!(report.hit_at_3 >= 0.87, "hit@3 {:.3}", report.hit_at_3);
    assert!(
        report.urgent_first >= 0.83,
        "urgent {:.3}",
        report.urgent_first
    );
    // No-answer 0.625 -> 0.75 with stop 43's changes (2026-12-03; totals only).
    assert!(
        report.no_answer_accuracy >= 0.75,
        "no-answer {:.3}",
        report.no_answer_accuracy
    );
}

/// `mbc eval` of a people's-questions fixture on the bundled corpus (hybrid), printed, with
/// the questions not answered as expected.
fn evaluate(fixture: &str) -> (QuestionsOutput, Vec<String>) {
    let ws = Workspace::with_bundled_corpus();
    let questions = crate::helper::fixtures().join(fixture);
    let args = ["eval", "--questions", questions.to_str().unwrap()];
    let run = mbc(&ws, &[&args[..], &["--format", "json"]].concat()).ok();
    let report: QuestionsOutput = serde_json::from_str(&run.stdout).unwrap();
    println!(
        "{fixture}: hit@3 {:.3}, urgent first {:.3}, no-answer {:.3}",
        report.hit_at_3, report.urgent_first, report.no_answer_accuracy
    );
    let failed = report
        .per_question
        .iter()
        .filter(|q| !q.passed)
        .map(|q| q.text.clone())
        .collect();
    (report, failed)
}

#[test]
fn a_place_named_reaches_travel_not_the_other_places() {
    // The places were synonyms of each other: "spain" also searched "australia" and "canada",
    // and those countries' help lines came up for a question about a flight to Spain.
    let ws = Workspace::with_bundled_corpus();
    let output = search(&ws, "can she fly to spain", &[]);
    assert!(
        output.expanded.iter().all(|e| e.term != "australia"),
        "{:?}",
        output.expanded
    );
    assert!(
        output
            .passages
            .iter()
            .take(10)
            .all(|p| !p.text.contains("Australia")),
        "{:?}",
        sections(&output, 10)
    );
    assert_eq!(files(&output, 1), ["29-travel-and-holidays.md"]);
}

#[test]
fn characters_that_take_no_room_are_not_part_of_the_words() {
    // Pasted from a web page, a zero-width space split "chemo" into two words found nowhere,
    // and a right-to-left override came back in `searched`.
    let ws = Workspace::with_bundled_corpus();
    for typed in ["ch\u{200b}emo side effects", "chemo side effects\u{202e}"] {
        let output = search(&ws, typed, &[]);
        assert!(output.found, "{typed:?}");
        assert_eq!(output.searched, "chemo side effects", "{typed:?}");
    }
}

#[test]
fn thoughts_of_suicide_put_the_crisis_help_first() {
    // A third new user's tries (2026-12-04): no notice, and a passage on chemotherapy killing
    // cells, or one on clinical trials, first. No text spoke of suicide.
    let ws = Workspace::with_bundled_corpus();
    for query in [
        "i want to kill myself",
        "mum says she wants to end it all",
        "whats the point of carrying on",
        "i feel suicidal",
        "thoughts of self harm",
    ] {
        let output = search(&ws, query, &[]);
        let first = output.passages.first();
        assert!(
            output
                .urgent_symptoms
                .iter()
                .any(|s| s == "thoughts of suicide or self-harm")
                && first.is_some_and(|p| p.urgent && p.doc_id.starts_with("32-")),
            "{query}: {:?}, first {:?}",
            output.urgent_symptoms,
            first.map(|p| (&p.doc_id, &p.text))
        );
    }
    // Fear of dying, the law on assisted dying and end-of-life care are no crisis; nor is an
    // everyday "i cant go on" or "i hurt myself".
    assert_names_no_urgent_symptom(
        &ws,
        &[
            "i dont want to die",
            "is assisted suicide legal",
            "end of life care at home",
            "what happens at the end of my life",
            "i hurt myself when i fell",
            "i cant go on holiday during chemo",
        ],
    );
}

/// Asserts that each query is answered, names its urgent symptom, and leads with a passage
/// that says to get help at once.
fn assert_urgent_first(ws: &Workspace, cases: &[(&str, &str)]) {
    for &(query, symptom) in cases {
        let output = search(ws, query, &[]);
        assert!(
            output.found
                && output.urgent_symptoms.iter().any(|s| s == symptom)
                && output.passages.first().is_some_and(|p| p.urgent),
            "{query}: {:?}",
            output.urgent_symptoms
        );
    }
}

#[test]
fn emergencies_in_a_learners_or_a_familys_words_name_the_symptom() {
    // The third new user's tries: each had no urgent notice, and some were "nothing found"
    // ("degrees" and "double" alone are in no text).
    let ws = Workspace::with_bundled_corpus();
    assert_urgent_first(
        &ws,
        &[
            (
                "my mother has 39 degrees after chemotherapy",
                "fever or signs of infection during treatment",
            ),
            (
                "she is burning up",
                "fever or signs of infection during treatment",
            ),
            (
                "she dont know where she is",
                "sudden confusion or change in alertness",
            ),
            (
                "she is very confuse today",
                "sudden confusion or change in alertness",
            ),
            (
                "mums lips are going blue",
                "sudden breathlessness or chest pain",
            ),
            (
                "mum is seeing double",
                "sudden severe headache, weakness on one side or loss of vision",
            ),
            (
                "mum has been sick 6 times today",
                "vomiting that will not stop, or not keeping fluids down",
            ),
            (
                "she keeps throwing up and cant keep her tablets down",
                "vomiting that will not stop, or not keeping fluids down",
            ),
        ],
    );
}

#[test]
fn everyday_idioms_with_an_emergencys_words_are_not_emergencies() {
    // Each named a broken bone, spinal cord compression or a fever until 2026-12-04.
    let ws = Workspace::with_bundled_corpus();
    assert_names_no_urgent_symptom(
        &ws,
        &[
            "i cant stand the taste of food on chemo",
            "i cant stand the smell of cooking",
            "i cant put weight on since chemo",
            "i cant bear weight gain on tamoxifen",
            "my tooth is wobbly after zometa",
            "i feel a bit wobbly and emotional today",
            "a 30 degrees day on holiday",
        ],
    );
    // As a body can bear it, they still are.
    for query in ["i cant put weight on my leg", "she cant stand up"] {
        let output = search(&ws, query, &[]);
        assert!(
            output
                .urgent_symptoms
                .iter()
                .any(|s| s == "a bone that may be broken"),
            "{query}: {:?}",
            output.urgent_symptoms
        );
    }
}

#[test]
fn chat_abbreviations_and_everyday_questions_of_the_third_user_are_answered() {
    // All were "nothing found": "ngl" and "runny" were words no passage uses, and no text
    // says "contagious" (text 26 says cancer "cannot be caught").
    let ws = Workspace::with_bundled_corpus();
    assert_answered(
        &ws,
        &[],
        &[
            ("ngl im scared", "Fear, anxiety and scanxiety"),
            ("is cancer contagious", "Touch and closeness"),
            ("lol is cancer contagious fr", "Touch and closeness"),
            ("can i eat runny eggs", "Food safety"),
        ],
    );
}

#[test]
fn an_emergency_said_with_cannot_or_unable_to_is_one() {
    // The fourth new users' tries: the urgent list knew "cant" and "can't" only, so none had the
    // notice, and the last was "nothing found".
    let ws = Workspace::with_bundled_corpus();
    assert_urgent_first(
        &ws,
        &[
            ("i cannot breathe", "sudden breathlessness or chest pain"),
            ("i can not breathe", "sudden breathlessness or chest pain"),
            ("unable to breathe", "sudden breathlessness or chest pain"),
            ("i cannot feel my legs", "spinal cord compression"),
            ("she cannot walk", "spinal cord compression"),
            (
                "i am not able to walk since yesterday",
                "spinal cord compression",
            ),
            ("she is not able to walk", "spinal cord compression"),
            (
                "i cannot stop vomiting",
                "vomiting that will not stop, or not keeping fluids down",
            ),
            (
                "she will not wake up",
                "sudden confusion or change in alertness",
            ),
            (
                "mom is really hot and shaky after chemo",
                "fever or signs of infection during treatment",
            ),
        ],
    );
}

#[test]
fn new_confusion_and_words_that_will_not_come_are_emergencies() {
    // A nurse's and a husband's session (2026-12-05): neither had the notice. Looking for the
    // words to say something is not a sign.
    let ws = Workspace::with_bundled_corpus();
    assert_urgent_first(
        &ws,
        &[
            ("new confusion", "sudden confusion or change in alertness"),
            (
                "she is confused and cant find her words",
                "sudden severe headache, weakness on one side or loss of vision",
            ),
        ],
    );
    assert_names_no_urgent_symptom(&ws, &["i cant find the words to tell my kids"]);
}

#[test]
fn back_pain_worse_lying_down_a_dvt_and_a_headache_with_blurred_vision_are_urgent() {
    // A new-user session (2026-12-05): none had the notice, though text 08 says to call at once
    // about back pain worse lying down or at night, and the urgent list names a blood clot and a
    // sudden change in vision.
    let ws = Workspace::with_bundled_corpus();
    assert_urgent_first(
        &ws,
        &[
            (
                "back pain worse lying down at night",
                "spinal cord compression",
            ),
            ("DVT on tamoxifen", "a hot, red or suddenly swollen limb"),
            (
                "blurred vision and bad headache",
                "sudden severe headache, weakness on one side or loss of vision",
            ),
        ],
    );
    assert_names_no_urgent_symptom(&ws, &["lower back pain after gardening"]);
}

#[test]
fn confusion_chest_pain_a_swelling_belly_and_a_fall_in_everyday_words_are_urgent() {
    // A new-user session (2026-12-05): each had no urgent notice, and the confusion and the
    // belly were "nothing found". Text 16 says to call about someone suddenly muddled, 10 about
    // a belly that swells quickly, 14 about chest pain, 01 about a bone that cannot bear weight
    // after a fall, 08 about legs that give way and about a seizure that is only twitching.
    let ws = Workspace::with_bundled_corpus();
    assert_urgent_first(
        &ws,
        &[
            (
                "woke up confused",
                "sudden confusion or change in alertness",
            ),
            (
                "she is not herself, talking rubbish",
                "sudden confusion or change in alertness",
            ),
            (
                "he is acting strange and confused since yesterday",
                "sudden confusion or change in alertness",
            ),
            ("chest hurts", "sudden breathlessness or chest pain"),
            ("my stomach is swelling fast", "a belly that swells quickly"),
            ("she fell over and cant get up", "a bone that may be broken"),
            ("legs wont hold me", "spinal cord compression"),
            ("she is twitching on one side of her face", "seizure"),
        ],
    );
    assert_names_no_urgent_symptom(
        &ws,
        &[
            "i was confused yesterday by what the doctor said",
            "my teenager is acting strange since i told him",
            "my stomach is upset on capecitabine",
            "money is tight",
        ],
    );
}

#[test]
fn sick_pay_lung_problems_on_enhertu_and_a_lost_taste_reach_their_answers() {
    // A new-user session (2026-12-05): "sick pay" was read as sickness (the passage on nausea
    // came first), and "enhertu lung problems" had no notice and the passage on lung
    // inflammation with T-DXd fourth, though its label asks for a call about any new breathing
    // symptom.
    let ws = Workspace::with_bundled_corpus();
    let pay = search(&ws, "sick pay when on chemo", &[]);
    assert_eq!(
        pay.passages[0].section,
        "Work and money",
        "{:?}",
        sections(&pay, 3)
    );
    assert_urgent_first(
        &ws,
        &[(
            "enhertu lung problems",
            "a cough or breathlessness on trastuzumab deruxtecan (Enhertu)",
        )],
    );
    assert_names_no_urgent_symptom(&ws, &["does enhertu work for lung metastases"]);
    // "cant taste" was not a change of taste: what chemotherapy does came first.
    let taste = search(&ws, "the chemo make me cant taste food", &[]);
    assert!(
        taste.passages[..3]
            .iter()
            .any(|p| p.text.contains("taste changes")),
        "{:?}",
        sections(&taste, 3)
    );
}

#[test]
fn wanting_to_die_is_a_crisis_and_a_wish_about_where_to_die_is_not() {
    // A session on `mbc serve` (2026-12-05): "I want to die" had no notice ("die" was read as
    // the end of life), though its first two passages were the suicide text's.
    let ws = Workspace::with_bundled_corpus();
    let crisis = "thoughts of suicide or self-harm";
    assert_urgent_first(
        &ws,
        &[
            ("I want to die", crisis),
            ("no reason to live", crisis),
            ("i want to kill myself at home", crisis),
        ],
    );
    let both = search(&ws, "i want to die and kill myself", &[]);
    assert_eq!(both.urgent_symptoms, [crisis], "named once");
    assert_names_no_urgent_symptom(
        &ws,
        &[
            "i want to die at home not in hospital",
            "where do people want to die",
            "i do not want to die",
        ],
    );
}

#[test]
fn a_swelling_of_months_is_not_an_emergency() {
    // It had the urgent notice: a swollen leg counted as a clot however long it had been
    // swollen.
    let ws = Workspace::with_bundled_corpus();
    assert_names_no_urgent_symptom(
        &ws,
        &["her leg has been a bit swollen for months from lymphoedema"],
    );
    let clot = search(&ws, "her leg is swollen and hot", &[]);
    assert_eq!(
        clot.urgent_symptoms,
        ["a hot, red or suddenly swollen limb"]
    );
}

#[test]
fn the_fourth_users_words_for_medicines_and_symptoms_reach_the_texts() {
    // Each was nothing found, or "apap" was corrected into "app" (memory tips came first),
    // "morfiny" into "morning", and a big belly led with memory tips: brands and spellings of
    // other countries, chat spellings, a name given in an introduction, and everyday words for
    // eating little.
    assert_answered_by_words_and_by_default(&[
        ("what is quimio", "What chemotherapy does"),
        ("oxynorm dose", "Pain relief"),
        ("primperan for nausea", "Nausea and vomiting"),
        ("sevredol for pain", "Pain relief"),
        ("morfiny constipation", "Appetite, weight and constipation"),
        ("my belly is big and hard", "Liver metastases"),
        ("i dont have hunger", "Eating and drinking less"),
        ("how long do ppl live w stage 4", "How long will I live?"),
        (
            "shud she go vegan",
            "Can a special diet cure or control cancer?",
        ),
        (
            "reduced oral intake near end of life family worried",
            "Eating and drinking less",
        ),
        (
            "hi my name is maria and i get diarrhoea from xeloda",
            "Diarrhoea and mouth sores",
        ),
    ]);
    // Words alone find these less well: "dexamethasone" is in many passages.
    let ws = Workspace::with_bundled_corpus();
    assert_answered(
        &ws,
        &[],
        &[
            ("how much apap can i take", "Pain relief"),
            ("fortecortin", "Controlling swelling and seizures"),
        ],
    );
    let fever = search(&ws, "i have calentura", &[]);
    assert_eq!(
        fever.urgent_symptoms,
        ["fever or signs of infection during treatment"]
    );
}

#[test]
fn the_gene_test_before_capecitabine_is_found() {
    // No text said that a DPYD test comes before capecitabine (the FDA added it to the label's
    // boxed warning in 2026; Europe has advised it since 2020): "do i need a dpd test before
    // capecitabine" was nothing found.
    assert_answered_by_words_and_by_default(&[
        (
            "do i need a dpd test before capecitabine",
            "Other commonly used drugs",
        ),
        ("dpyd test before xeloda", "Other commonly used drugs"),
    ]);
}

#[test]
fn an_urgent_notice_points_to_passages_only_where_they_say_when_to_act() {
    // A curator's corpus on blood pressure has no advice on fever: the notice said "the first
    // passages say when" above "nothing found".
    let ws = Workspace::new();
    ws.write(
        "corpus/pressure.md",
        "# High blood pressure\n\nHigh blood pressure often has no symptoms, so it is measured at \
         checks. Salt, weight and exercise all change it.\n",
    );
    let run = ws.mbc(&["search", "fever"]).ok();
    assert!(
        run.stdout.contains("a symptom that needs urgent care")
            && !run.stdout.contains("the first passages say when"),
        "{}",
        run.stdout
    );
    let bundled = Workspace::with_bundled_corpus();
    let run = bundled.mbc(&["search", "fever during chemo"]).ok();
    assert!(
        run.stdout.contains("the first passages say when"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_nurses_words_for_medicines_at_the_end_of_life_are_found() {
    // Both were nothing found: text 25 spoke only of "a small pump under the skin" and of
    // medicines "in the home in advance", not of the syringe driver and the "just in case"
    // (anticipatory) medicines nurses and families are told about.
    assert_answered_by_words_and_by_default(&[
        (
            "syringe driver at home end of life",
            "Pain and other symptoms",
        ),
        (
            "anticipatory medicines just in case box",
            "Pain and other symptoms",
        ),
    ]);
}

#[test]
fn tramadol_by_a_brand_name_is_not_corrected_into_trial() {
    // "tramal" (a brand of tramadol) became "trial", and the results were about clinical
    // trials; no text named tramadol.
    assert_answered_by_words_and_by_default(&[
        ("i take tramal for pain is ok", "Pain relief"),
        ("tramadol for bone pain", "Pain relief"),
    ]);
}

/// Asserts that, in lexical and hybrid mode, each query's first three passages include one of
/// `file` with the words `says`: (query, file, says).
fn first_three_say(cases: &[(&str, &str, &str)]) {
    let ws = Workspace::with_bundled_corpus();
    for mode in ["lexical", "hybrid"] {
        for (query, file, says) in cases {
            let output = search(&ws, query, &["--mode", mode]);
            assert!(
                output.passages[..3]
                    .iter()
                    .any(|p| p.doc_id == *file && p.text.contains(says)),
                "{mode}: {query}: {:?}",
                sections(&output, 3)
            );
        }
    }
}

#[test]
fn the_safety_checks_the_newer_drugs_labels_ask_for_are_found() {
    // A medical review (2026-12-05) found three checks the labels ask for and the texts left
    // out: blood sugar measured before capivasertib, inavolisib or alpelisib; growth-factor
    // injections from the first cycle of sacituzumab govitecan (US label, 2025); and, in the
    // text on triple-negative disease, that datopotamab deruxtecan can harm an unborn baby.
    first_three_say(&[
        (
            "capivasertib blood sugar test before starting",
            "04-cdk46-and-pi3k-akt-mtor-inhibitors.md",
            "measured before starting",
        ),
        (
            "growth factor injections with trodelvy",
            "06-triple-negative-metastatic-breast-cancer.md",
            "from the first cycle",
        ),
        (
            "datroway pregnancy",
            "06-triple-negative-metastatic-breast-cancer.md",
            "harm an unborn baby",
        ),
    ]);
}

#[test]
fn grapefruit_is_ruled_out_with_every_cdk46_inhibitor() {
    // The texts named palbociclib and ribociclib, or "some CDK4/6 inhibitors"; the labels of all
    // three (abemaciclib too) say to avoid grapefruit. A medical review, 2026-12-05.
    let ws = Workspace::with_bundled_corpus();
    let output = search(&ws, "can i eat grapefruit on verzenio", &[]);
    assert!(
        output
            .passages
            .iter()
            .take(3)
            .any(|p| p.text.contains("grapefruit")
                && (p.text.contains("abemaciclib") || p.text.contains("any of the three"))),
        "{:?}",
        sections(&output, 3)
    );
}

#[test]
fn a_hormonal_coil_is_ruled_out_and_two_antidepressants_are_named_with_tamoxifen() {
    // A medical review (2026-12-05) of texts 03, 09, 11, 23 and 24: hormonal contraception was
    // "often unsuitable" where every hormonal method is ruled out with breast cancer (FSRH,
    // UKMEC 4); the texts on hot flashes never named the antidepressants that weaken
    // tamoxifen; a painful, swollen leg on tamoxifen was "a call the same day".
    first_three_say(&[
        (
            "is the mirena coil ok with breast cancer",
            "23-sex-intimacy-and-menopause-symptoms.md",
            "is not recommended for anyone with breast cancer",
        ),
        (
            "prozac and tamoxifen",
            "03-hormonal-endocrine-therapy.md",
            "such as paroxetine and fluoxetine, may weaken tamoxifen",
        ),
        (
            "swollen calf on tamoxifen",
            "03-hormonal-endocrine-therapy.md",
            "needs the 24-hour line at once",
        ),
    ]);
}

#[test]
fn sleeping_tablets_sepsis_and_a_mans_treatment_say_what_labels_and_guidelines_say() {
    // A medical review (2026-12-05) of texts 27 to 30: the section on sleeping tablets gave no
    // warning (benzodiazepines with opioids slow breathing; the FDA's boxed warning on the
    // z-drugs); sepsis offered the 24-hour line as the equal of the emergency number; the text
    // on men called tamoxifen their usual treatment where, once the cancer has spread, a CDK4/6
    // inhibitor with an aromatase inhibitor or fulvestrant is a preferred first one.
    first_three_say(&[
        (
            "sleeping tablets with morphine",
            "28-sleep-problems-and-insomnia.md",
            "taken with opioid painkillers can slow breathing dangerously",
        ),
        (
            "signs of sepsis what do i do",
            "27-infections-and-vaccines.md",
            "call the emergency number (999 in the UK, 911 in the US) or go to an emergency department",
        ),
        (
            "which hormone therapy for a man whose breast cancer has spread",
            "30-metastatic-breast-cancer-in-men.md",
            "one of the preferred first treatments",
        ),
    ]);
}

#[test]
fn urgent_advice_reaches_every_treatment_that_lowers_white_cells_and_does_not_wait() {
    // A medical review (2026-12-05) of texts 14, 16 and 17 found advice that was too narrow or
    // too slow: fever advice for chemotherapy alone (sacituzumab govitecan's label has a boxed
    // warning on neutropenia), "the same day" for fluids not kept down and for sudden
    // confusion, and nothing on leaving off a compression sleeve on an infected arm.
    first_three_say(&[
        (
            "fever on trodelvy",
            "14-side-effects-and-living-with-mbc.md",
            "sacituzumab govitecan (Trodelvy) or a CDK4/6 or PARP inhibitor",
        ),
        (
            "cant keep fluids down on chemo",
            "14-side-effects-and-living-with-mbc.md",
            "unable to keep fluids down, or extreme thirst with confusion need a call to the \
                 24-hour line straight away",
        ),
        (
            "sudden confusion chemo brain",
            "16-chemo-brain-memory-and-concentration.md",
            "call the emergency number straight away",
        ),
        (
            "wear compression sleeve with cellulitis",
            "17-lymphoedema-swollen-arm.md",
            "Leave off a compression sleeve or glove on an infected arm",
        ),
    ]);
}

#[test]
fn a_fifth_users_everyday_words_reach_the_texts() {
    // A new-user session (2026-12-05) played a man with breast cancer, a woman of 74 and a son
    // caring for his mother. Each of these was nothing found, or offered a different word
    // ("impotent" → "important"), though a text answers it.
    let ws = Workspace::with_bundled_corpus();
    // By words alone, text 30's list of questions ("low sex drive or erection problems?") leads
    // the first, and the second is nothing found.
    assert_answered(
        &ws,
        &[],
        &[
            (
                "does tamoxifen make you impotent",
                "Side effects men notice",
            ),
            // Texts 14 and 12 answer it alike; which comes third moved with text 20's
            // sentence on a child who speaks of self-harm (2026-12-05).
            (
                "lonely widow with cancer who can i talk to",
                "Emotional health and support | Emotional, spiritual and family support",
            ),
        ],
    );
    assert_answered_by_words_and_by_default(&[
        ("is it ok to exercise gym", "Movement and exercise"),
        ("help with money pension", "Work and money"),
        ("can i go on a cruise with my daughter", "Can I travel?"),
        (
            "death rattle what is it is she suffering",
            "Changes in the last days and hours",
        ),
        // The stemmer keeps "rattly" and "gurgly" apart from the text's "rattling or gurgling":
        // nothing found until the lexicon joined them.
        (
            "her breathing is rattly and gurgly",
            "Changes in the last days and hours",
        ),
    ]);
    // "Side affects" is read as "side effects", not reported as absent words. The embedding
    // model is given the words as typed, so in hybrid mode passages whose fused scores lie
    // within a ten-thousandth of each other (the third and fourth since 2026-12-05) may swap.
    for (mode, same) in [("lexical", 3), ("hybrid", 2)] {
        let typed = search(&ws, "ibrance side affects", &["--mode", mode]);
        let meant = search(&ws, "ibrance side effects", &["--mode", mode]);
        assert!(typed.found && typed.absent.is_empty(), "{mode}");
        assert_eq!(sections(&typed, same), sections(&meant, same), "{mode}");
    }
}

#[test]
fn a_nurses_shorthand_and_a_scan_reports_words_reach_the_texts() {
    // A new-user session (2026-12-05) played a hospice nurse and a daughter reading her
    // mother's letter: each of these was nothing found, though a text answers it.
    assert_answered_by_words_and_by_default(&[
        ("bx of liver lesion", "Tests and scans"),
        ("mets to T-spine", "Spinal metastases and cord compression"),
        (
            "what does hepatic lesions mean in the letter",
            "What liver and lung metastases mean",
        ),
        (
            "driving licence dvla brain metastases",
            "Work, driving and daily life",
        ),
        (
            "has my case been to the MDT",
            "Questions to ask your care team",
        ),
        // Resuscitation asks for the text on the last days, which waits to be asked.
        ("DNR DNACPR form", "Questions to ask the care team"),
        // Not "mets" (one letter away), and "hepatitis" is not read as "hepatic" (liver).
        ("mdts", "Questions to ask your care team"),
        ("hepatitis", "Immune-related side effects"),
    ]);
}

#[test]
fn a_past_tense_or_a_joined_word_the_stemmer_misses_still_finds_its_answer() {
    // A new-user session (2026-12-05): both were nothing found, "grew" and "handwashing" being in
    // no text (they say "grow" and "wash your hands").
    let ws = Workspace::with_bundled_corpus();
    assert_answered(
        &ws,
        &[],
        &[
            ("cancer grew on hormone therapy", "Endocrine resistance"),
            (
                "handwashing infection advice",
                "Everyday ways to lower the risk",
            ),
        ],
    );
    for query in [
        "cancer grew on hormone therapy",
        "handwashing infection advice",
    ] {
        assert!(search(&ws, query, &["--mode", "lexical"]).found, "{query}");
    }
}

#[test]
fn the_last_days_do_not_answer_a_word_they_are_only_near_in_meaning() {
    // A new-user session (2026-12-05): "mucositis" had "Changes in the last days and hours"
    // second, a passage without the word or any of its synonyms, by meaning alone (0.39).
    let ws = Workspace::with_bundled_corpus();
    let output = search(&ws, "mucositis", &[]);
    assert!(
        output
            .passages
            .iter()
            .take(3)
            .all(|p| !p.doc_id.starts_with("25-")),
        "{:?}",
        sections(&output, 3)
    );
}

#[test]
fn a_familys_words_for_the_last_days_reach_the_text_on_them() {
    // The son in a new-user session (2026-12-05): each was nothing found, or led by alcohol.
    let ws = Workspace::with_bundled_corpus();
    for (query, modes, section) in [
        (
            "my mother stopped eating should i force her",
            &["hybrid"][..],
            "Eating and drinking less",
        ),
        (
            "she wont drink anything is she dehydrated",
            &["hybrid", "lexical"],
            "Eating and drinking less",
        ),
        (
            "she is agitated at night pulling at sheets",
            &["hybrid", "lexical"],
            "Confusion and restlessness",
        ),
    ] {
        for mode in modes {
            let output = search(&ws, query, &["--mode", mode]);
            let shown = sections(&output, 3);
            assert!(
                output.found && shown.iter().any(|s| s.ends_with(section)),
                "{mode}: {query}: {shown:?}"
            );
        }
    }
    // A partner's session (2026-12-05): "signs death is near" was led by "After a death".
    let near = search(&ws, "signs death is near", &[]);
    assert_eq!(
        sections(&near, 1),
        ["Changes in the last weeks"],
        "{:?}",
        sections(&near, 3)
    );
}

#[test]
fn a_nurses_abbreviations_and_slips_into_real_words_reach_the_texts() {
    // A nurse's session (2026-12-05): each was nothing found. ("brian mets" stays nothing
    // found, with "brain" offered: a slip into another real word is not replaced.)
    assert_answered_by_words_and_by_default(&[
        ("G-CSF primary prophylaxis", "Sacituzumab govitecan"),
        ("LHRH", "Ovarian suppression and ablation"),
        ("CNS mets", "Drugs that reach the brain"),
        (
            "fluorescence in situ hybridization",
            "ER, PR and HER2, including HER2-low",
        ),
    ]);
}

#[test]
fn not_wanting_to_live_is_a_crisis_however_it_is_said() {
    // A new user's session (2026-12-05, stop 61): each had no notice; "mom said she doesnt want
    // to live anymore" was led by "How long will I live?". The list had "dont want to live
    // anymore" and "do not want to be here anymore", but a query's "do not" was compared as
    // "dont" and the list's was not, and "doesnt" was in no phrase.
    let ws = Workspace::with_bundled_corpus();
    let crisis = "thoughts of suicide or self-harm";
    assert_urgent_first(
        &ws,
        &[
            ("mom said she doesnt want to live anymore", crisis),
            ("i dont see the point anymore", crisis),
            ("whats the point of going on", crisis),
            ("mum keeps saying she wants to die", crisis),
            ("i do not want to be here anymore", crisis),
            ("thinking of ending it", crisis),
        ],
    );
    assert_names_no_urgent_symptom(
        &ws,
        &[
            "she wants to die at home",
            "i dont want to be here for chemo",
            "i cant see the point of this scan",
        ],
    );
}

#[test]
fn a_fever_is_urgent_whatever_else_the_question_says_about_work_or_a_room() {
    // A new user's session (2026-12-05, stop 61): "job" and "room" were exceptions as single
    // words, for a temporary job and a room's temperature, and "work" counted as "job" through
    // the lexicon, so a fever with either had no notice.
    let ws = Workspace::with_bundled_corpus();
    let fever = "fever or signs of infection during treatment";
    assert_urgent_first(
        &ws,
        &[
            ("i have a temperature of 38.4 should i go to work", fever),
            ("fever after chemo can i still go to my job", fever),
            (
                "high temperature and shivering on chemo, im in my room",
                fever,
            ),
        ],
    );
    assert_names_no_urgent_symptom(
        &ws,
        &[
            "can i store my tablets at room temperature",
            "i got a temp job while on chemo",
        ],
    );
}

#[test]
fn heavy_bleeding_in_everyday_words_is_urgent() {
    // A new user's session (2026-12-05, stop 61): no notice, and the first passage was on
    // vaginal bleeding with hormone therapy.
    let ws = Workspace::with_bundled_corpus();
    assert_urgent_first(
        &ws,
        &[
            ("she is bleeding a lot", "bleeding"),
            ("she is bleeding heavily", "bleeding"),
        ],
    );
    assert_names_no_urgent_symptom(&ws, &["i had a lot of blood tests"]);
}

#[test]
fn stools_counted_a_gym_a_prosecco_a_sore_tounge_and_sunbathing_reach_their_answers() {
    // A new user's session (2026-12-05, stop 61): each was "nothing found" (the stool count
    // without the urgent notice); "natural treatment instead of chemo" missed the passage on
    // replacing proven treatment, and "take the breast out" the passage on surgery to the
    // breast in de novo disease.
    assert_answered_by_words_and_by_default(&[
        (
            "pt on xeloda 6 watery stools today",
            "Problems that need emergency or same-day care",
        ),
        (
            "can i still go to the gym and lift weights",
            "Managing pain and staying active | Movement and exercise",
        ),
        ("glass of prosecco on letrozole", "Alcohol"),
        (
            "sore tounge and mouth ulsers",
            "Nausea, tiredness and mouth sores | Diarrhoea and mouth sores",
        ),
        ("sunbathing on capecitabine", "Sun and skin"),
        (
            "natural treatment instead of chemo",
            "Replacing proven treatment",
        ),
        (
            "is it my fault it spread",
            "Feelings after hearing the cancer has spread",
        ),
    ]);
    let ws = Workspace::with_bundled_corpus();
    // By words alone, "stage 4" and "surgery" find the passages that name stages and local
    // treatment first.
    assert_answered(
        &ws,
        &[],
        &[(
            "why wont they do surgery to take the breast out if its stage 4",
            "Primary tumour surgery in de novo disease",
        )],
    );
    let stools = search(&ws, "pt on xeloda 6 watery stools today", &[]);
    assert_eq!(stools.urgent_symptoms, ["severe or ongoing diarrhoea"]);
}

#[test]
fn doubling_up_a_missed_tablet_gets_the_note_that_no_doses_are_given() {
    // A new user's session (2026-12-05, stop 61): nothing found, and no word on where to ask.
    let ws = Workspace::with_bundled_corpus();
    let output = search(
        &ws,
        "i forgot to take my ibrance yesterday should i double up",
        &[],
    );
    assert!(output.asks_for_dose);
}

#[test]
fn a_back_that_hurts_at_night_is_read_as_back_pain_at_night() {
    // A new user's session (2026-12-05, stop 61): the right passages came first but with no
    // notice ("hurts" is no "pain").
    let ws = Workspace::with_bundled_corpus();
    assert_urgent_first(
        &ws,
        &[(
            "my back hurts at night and worse lying down is it the cancer",
            "spinal cord compression",
        )],
    );
    assert_names_no_urgent_symptom(&ws, &["my back hurts after gardening"]);
}

#[test]
fn a_misspelled_phrase_in_the_lexicon_leaves_its_words_to_spelling() {
    // "chemo brian" and "sore tounge" were nothing found (2026-12-05, stop 61). Listed as
    // misspellings, their words must still be offered the word meant elsewhere: a word of any
    // lexicon term was taken for a real word that no passage uses, and offered nothing.
    assert_answered_by_words_and_by_default(&[(
        "chemo brian cant remember anything",
        "What helps with chemo brain?",
    )]);
    let ws = Workspace::with_bundled_corpus();
    let brian = search(&ws, "mets to the brian", &[]);
    assert_eq!(reported_absent(&brian, "brian").suggestions, ["brain"]);
    let tounge = search(&ws, "my tounge is swollen", &[]);
    let offered = &reported_absent(&tounge, "tounge").suggestions;
    assert!(offered.contains(&"tongue".to_string()), "{offered:?}");
}

#[test]
fn a_crisis_said_beside_a_place_or_a_fear_is_still_a_crisis() {
    // A trial of the urgent list (2026-12-05, stop 61): the exceptions for a wish about where
    // to die were words, so "hospital", "bed" and "scared" anywhere silenced a wish to die;
    // ending "her life", an overdose and a temperature with decimals had no notice either, and
    // "can´t" typed with an accent was not "can't".
    let ws = Workspace::with_bundled_corpus();
    let crisis = "thoughts of suicide or self-harm";
    assert_urgent_first(
        &ws,
        &[
            ("I'm in hospital and I just want to die", crisis),
            ("I'm stuck in bed all day and I want to die", crisis),
            ("my wife keeps saying she wants to end her life", crisis),
            ("thinking of taking all my pills tonight", crisis),
            ("i dont want to be alive anymore", crisis),
            (
                "she has 39.2 degrees and is on chemo",
                "fever or signs of infection during treatment",
            ),
            ("she can\u{b4}t walk", "spinal cord compression"),
            (
                "mid back pain thats much worse when I cough or sneeze",
                "spinal cord compression",
            ),
        ],
    );
    assert_names_no_urgent_symptom(
        &ws,
        &[
            "i want to die at home not in hospital",
            "whats the point of going on holiday now",
            "what's the point of living wills if doctors ignore them",
            "I want to end it with my boyfriend, he hasn't supported me",
            "what water temperature is ok for a bath with lymphoedema in my arm",
            "I get loose stools a day or two after chemo, is that normal",
            "i wet myself when i sneeze",
        ],
    );
}
