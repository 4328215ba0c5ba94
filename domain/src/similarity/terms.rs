//! The terms of a text, as the similarity index compares them: content words reduced to their
//! stem with the language's Snowball stemmer (the one SurrealDB's search analyzers use, so
//! "similar" and search read words alike); in scripts written without spaces (Chinese), pairs
//! of neighbouring characters.

use rust_stemmers::{Algorithm, Stemmer};

use super::stop_words::is_stop_word;
use crate::lang::Lang;

/// A term, and the word it was read from (lower case), to show people which words two texts
/// share ("schools", not "school" or "schol").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub stem: String,
    pub word: String,
}

/// Words shorter than this say little once stop words are gone ("un", "de", "и").
const MIN_CHARS: usize = 3;

pub fn terms(lang: Lang, text: &str) -> Vec<Term> {
    let stemmer = stemmer(lang);
    let lower = text.to_lowercase();
    let mut out = Vec::new();
    for word in lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        let chars: Vec<char> = word.chars().collect();
        if chars.iter().any(|c| is_cjk(*c)) {
            let pairs = chars.windows(2).map(|w| w.iter().collect::<String>());
            let single = (chars.len() == 1).then(|| word.to_string());
            out.extend(pairs.chain(single).map(|t| Term { stem: t.clone(), word: t }));
        } else if chars.len() >= MIN_CHARS && !is_stop_word(lang, word) {
            let stem = stemmer.as_ref().map_or_else(|| word.to_string(), |s| s.stem(word).into_owned());
            out.push(Term { stem, word: word.to_string() });
        }
    }
    out
}

fn stemmer(lang: Lang) -> Option<Stemmer> {
    let algorithm = match lang {
        Lang::Ar => Algorithm::Arabic,
        Lang::En => Algorithm::English,
        Lang::Fr => Algorithm::French,
        Lang::Ru => Algorithm::Russian,
        Lang::Es => Algorithm::Spanish,
        Lang::Zh => return None,
    };
    Some(Stemmer::create(algorithm))
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(lang: Lang, text: &str) -> Vec<String> {
        terms(lang, text).into_iter().map(|t| t.stem).collect()
    }

    #[test]
    fn stop_words_go_and_inflections_meet() {
        assert_eq!(stems(Lang::En, "The Schools of an Era, including the school"), vec!["school", "era", "school"]);
        assert_eq!(stems(Lang::En, "developing"), stems(Lang::En, "developed"));
        assert_eq!(stems(Lang::Fr, "les écoles rurales, notamment l'école"), stems(Lang::Fr, "école rurale école"));
        assert_eq!(stems(Lang::Es, "las escuelas y la escuela"), stems(Lang::Es, "escuela escuela"));
        assert_eq!(stems(Lang::Ru, "для школ и в школах"), stems(Lang::Ru, "школа школы"));
        assert_eq!(terms(Lang::En, "Schools")[0].word, "schools");
    }

    #[test]
    fn chinese_is_read_by_pairs_of_characters() {
        assert_eq!(stems(Lang::Zh, "数字技能"), vec!["数字", "字技", "技能"]);
        assert_eq!(stems(Lang::Zh, "数"), vec!["数"]);
    }
}
