//! Reading what a person typed: free words, "quoted phrases", and exclusions (`-word`,
//! `-"a phrase"`, `NOT word`). Any text is accepted: unbalanced quotes, lone operators and stray
//! symbols are tolerated rather than rejected. This module only parses; `search` decides what
//! the parts mean for ranking.

/// One part of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clause {
    /// Words to rank by; any of them may match.
    Words(String),
    /// Words that must appear together, in order.
    Phrase(String),
    /// Words or a phrase that must not appear.
    Exclude(String),
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UserQuery {
    pub clauses: Vec<Clause>,
}

impl UserQuery {
    /// The free words of the query, joined.
    pub fn free_text(&self) -> String {
        let words: Vec<&str> = self
            .clauses
            .iter()
            .filter_map(|c| match c {
                Clause::Words(w) => Some(w.as_str()),
                _ => None,
            })
            .collect();
        words.join(" ")
    }
}

/// Parses a query. Never fails.
pub fn parse_user_query(text: &str) -> UserQuery {
    let mut clauses = Vec::new();
    let mut words: Vec<&str> = Vec::new();
    let mut rest = text.trim();
    let mut negate_next = false;
    while !rest.is_empty() {
        // `-"phrase"` and `-word` exclude; a lone `-` or `--` is punctuation.
        if let Some(after) = rest.strip_prefix('-')
            && after.starts_with(['"', '\u{201c}'])
        {
            negate_next = true;
            rest = after;
            continue;
        }
        let negated = std::mem::take(&mut negate_next);
        let (token, after) = next_token(rest);
        rest = after.trim_start();
        let word = match token {
            Token::Phrase(phrase) if phrase.is_empty() => continue,
            Token::Phrase(phrase) if negated => {
                clauses.push(Clause::Exclude(phrase));
                continue;
            }
            Token::Phrase(phrase) => {
                clauses.push(Clause::Phrase(phrase));
                continue;
            }
            Token::Word(word) => word,
        };
        match word {
            "" | "AND" | "OR" | "&&" | "||" | "+" => {}
            "NOT" | "!" => negate_next = true,
            _ => {
                let excluded = word
                    .strip_prefix('-')
                    .filter(|w| w.chars().next().is_some_and(char::is_alphanumeric));
                match (excluded, negated) {
                    (Some(excluded), _) => clauses.push(Clause::Exclude(excluded.to_string())),
                    (None, true) => clauses.push(Clause::Exclude(word.to_string())),
                    (None, false) if word.contains(char::is_alphanumeric) => {
                        words.push(word.strip_prefix('+').unwrap_or(word))
                    }
                    (None, false) => {}
                }
            }
        }
    }
    if !words.is_empty() {
        clauses.insert(0, Clause::Words(words.join(" ")));
    }
    UserQuery { clauses }
}

enum Token<'a> {
    Word(&'a str),
    Phrase(String),
}

/// The next whitespace-delimited word, or a quoted phrase. An unbalanced quote is dropped and
/// the words after it are read as free words.
fn next_token(text: &str) -> (Token<'_>, &str) {
    const QUOTES: [char; 3] = ['"', '\u{201c}', '\u{201d}'];
    if let Some(inner) = text.strip_prefix(QUOTES) {
        return match inner.find(QUOTES) {
            Some(end) => {
                let close_len = inner[end..].chars().next().map_or(1, char::len_utf8);
                (
                    Token::Phrase(inner[..end].trim().to_string()),
                    &inner[end + close_len..],
                )
            }
            None => (Token::Word(""), inner),
        };
    }
    let end = text.find(char::is_whitespace).unwrap_or(text.len());
    (Token::Word(&text[..end]), &text[end..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Vec<Clause> {
        parse_user_query(text).clauses
    }

    #[test]
    fn reads_words_phrases_and_exclusions() {
        assert_eq!(
            parse(r#"her2 "brain metastases" -surgery NOT radiation"#),
            [
                Clause::Words("her2".into()),
                Clause::Phrase("brain metastases".into()),
                Clause::Exclude("surgery".into()),
                Clause::Exclude("radiation".into()),
            ]
        );
    }

    #[test]
    fn tolerates_syntax_slips() {
        assert_eq!(parse(r#"bone "pain"#), [Clause::Words("bone pain".into())]);
        assert_eq!(parse("AND"), []);
        assert_eq!(parse("chemo AND OR"), [Clause::Words("chemo".into())]);
        assert_eq!(parse(r#"""#), []);
        assert_eq!(parse("- -- ---"), []);
        assert_eq!(parse("NOT"), []);
    }

    #[test]
    fn negated_phrase() {
        assert_eq!(
            parse(r#"trials -"phase 1""#),
            [
                Clause::Words("trials".into()),
                Clause::Exclude("phase 1".into())
            ]
        );
    }

    #[test]
    fn receptor_signs_are_not_exclusions() {
        assert_eq!(parse("ER- HER2+"), [Clause::Words("ER- HER2+".into())]);
    }
}
