//! Whether a query asks how much of a medicine to take. mbc's texts give no doses, on purpose:
//! the amount is the prescriber's and the pharmacist's to set. Such a question ("how many mg of
//! tamoxifen should i take", "calpol dose for my 4 year old") is still searched, since passages
//! about the medicine may help, but the answer says plainly that no dose is given, and where
//! to ask.

/// Words that only an amount of medicine explains.
const AMOUNT_WORDS: &[&str] = &[
    "mg",
    "mgs",
    "milligram",
    "milligrams",
    "mcg",
    "microgram",
    "micrograms",
    "dosage",
    "dosages",
    "overdose",
    "overdosed",
    "overdosing",
];

/// Words that, after "what" or "which" or before "dose", ask for an amount.
const DOSE_WORDS: &[&str] = &["dose", "doses", "dosing"];

/// Words that, soon after "how much" or "how many", say the amount is of a medicine, and soon
/// after "swallowed", that what was swallowed was one.
const MEDICINE_WORDS: &[&str] = &[
    "tablet",
    "tablets",
    "pill",
    "pills",
    "capsule",
    "capsules",
    "medicine",
    "medicines",
    "mg",
    "dose",
    "doses",
    "take",
    "give",
    "spoonful",
    "spoonfuls",
    "ml",
];

/// How far after "how much" the medicine word may come ("how much calpol can i give").
const REACH: usize = 4;

/// Words that, before "too much" or "too many", say someone took or gave a medicine: a
/// question about an overdose ("took too much ibuprofen"), though it names no dose. Only past
/// forms: "does chemo take too much out of you" and "taking too much time off work" ask for
/// no amount.
const TAKING_WORDS: &[&str] = &["took", "taken", "gave", "given", "swallowed"];

/// Words that, soon after a word of [`TAKING_WORDS`], say a medicine was taken or given by
/// mistake: "i took two letrozole by mistake", "she was given the wrong tablets by accident".
/// Not "extra" ("i took extra time off") nor "double" ("she was given a double mastectomy").
const BY_MISTAKE_WORDS: &[&str] = &["mistake", "accident", "accidentally"];

/// Words that, just before "dose", make it a dose the texts are not asked to give: one missed
/// ("missed a dose of letrozole": what to do about it, not how much) or of radiation, which
/// the note about medicines and their labels does not fit.
const NOT_AN_AMOUNT_BEFORE_DOSE: &[&str] = &[
    "missed",
    "miss",
    "forgot",
    "forgotten",
    "skipped",
    "skip",
    "radiation",
    "radiotherapy",
];

/// True when `query` asks for an amount of a medicine.
pub fn asks_for_dose(query: &str) -> bool {
    let lower = query.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    (0..words.len()).any(|i| asks_at(&words, i))
}

/// True when the words from `i` on ask for an amount of a medicine.
fn asks_at(words: &[&str], i: usize) -> bool {
    let has = |list: &[&str], word: &str| list.contains(&word);
    let word = words[i];
    let next = words.get(i + 1).copied().unwrap_or_default();
    let before = |back: usize| i.checked_sub(back).map_or("", |at| words[at]);
    has(AMOUNT_WORDS, word)
        || super::interpret::is_amount(word)
        || (matches!(
            word,
            "what" | "which" | "right" | "usual" | "max" | "maximum"
        ) && has(DOSE_WORDS, next))
        || (word == "how"
            && matches!(next, "much" | "many")
            && words[i + 2..]
                .iter()
                .take(REACH)
                .any(|w| has(MEDICINE_WORDS, w)))
        || (word == "too"
            && matches!(next, "much" | "many")
            && (has(TAKING_WORDS, before(1)) || has(TAKING_WORDS, before(2))))
        || (has(TAKING_WORDS, word)
            && words[i + 1..]
                .iter()
                .take(REACH + 1)
                .any(|w| has(BY_MISTAKE_WORDS, w)))
        // Taken twice, not given twice: "i was given radiotherapy twice" asks for no amount.
        || (matches!(word, "took" | "taken")
            && words[i + 1..].iter().take(REACH).any(|w| *w == "twice"))
        || (word == "double" && has(DOSE_WORDS, next))
        // Doubling up to make up a missed one, said of a medicine anywhere in the question: "i
        // forgot to take my ibrance yesterday should i double up". Not "we double up on lifts".
        || (word == "double" && next == "up" && words.iter().any(|w| has(MEDICINE_WORDS, w)))
        // What was swallowed was a medicine: "my son swallowed one of my tablets".
        || (word == "swallowed"
            && words[i + 1..]
                .iter()
                .take(REACH)
                .any(|w| has(MEDICINE_WORDS, w)))
        || (has(DOSE_WORDS, word)
            && matches!(next, "for" | "of")
            && !has(NOT_AN_AMOUNT_BEFORE_DOSE, before(1))
            && !has(NOT_AN_AMOUNT_BEFORE_DOSE, before(2)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_question_for_an_amount_of_medicine_is_one() {
        for query in [
            "how many mg of tamoxifen should i take",
            "what dose of capecitabine per day",
            "calpol dose for my 4 year old",
            "how much calpol can i give my 2 year old",
            "paracetamol overdose how many tablets",
            "letrozole dosage",
            "is 20mg of tamoxifen normal",
            "mum took too much ibuprofen",
            "i think i have taken too many painkillers",
            "i took two letrozole by mistake",
            "my son swallowed one of my tablets",
            "i took my tamoxifen twice today",
            "mum was given a double dose",
            "i forgot to take my ibrance yesterday should i double up",
            "missed my letrozole tablet can i double up tomorrow",
        ] {
            assert!(asks_for_dose(query), "{query}");
        }
    }

    #[test]
    fn a_question_about_doses_without_asking_for_one_is_not() {
        for query in [
            "why was my chemo dose reduced",
            "how much will treatment cost",
            "how many cycles of chemo",
            "dose dense chemotherapy",
            "how much do side effects last",
            "missed a dose of letrozole what do i do",
            "radiation dose for bone mets",
            "i worry too much about the cancer",
            "does chemo take too much out of you",
            "i took extra time off work",
            "she swallowed a fish bone",
            "i took a wrong turn to the hospital",
            "she swallowed her pride and asked for help",
            "she was given a double mastectomy",
            "i was given radiotherapy twice to my spine",
            "we double up on lifts to the hospital",
        ] {
            assert!(!asks_for_dose(query), "{query}");
        }
    }
}
