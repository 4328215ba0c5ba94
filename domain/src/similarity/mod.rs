//! How close two records are by their texts: TF-IDF vectors over the content words of every
//! language a record has (`terms`: stop words left out, each language's stemmer), compared by
//! cosine, with the words they share. Used to show "similar in other regions" and possible
//! duplicates; a person always decides what to do with a match. The thresholds are tuned on
//! the labelled pairs of `labelled_set`.

#[cfg(test)]
mod labelled_set;
mod stop_words;
mod terms;

use std::collections::HashMap;

pub use terms::{Term, terms};

use crate::lang::Lang;
use crate::text::Text;

/// Least score for a record to be called similar to another, when they share two words or
/// more; one word alone ("developing", "digital") must score `ONE_WORD_MIN`.
pub const SIMILAR_MIN: f64 = 0.05;
pub const ONE_WORD_MIN: f64 = 0.15;
/// Least score for two initiatives to be shown as possible duplicates.
pub const DUPLICATE_MIN: f64 = 0.3;
/// Most records shown as similar to one.
pub const MAX_SIMILAR: usize = 8;

/// A record's weighted terms, normalized to length 1.
#[derive(Debug, Clone, Default)]
pub struct Vector(HashMap<String, f64>);

/// The collection every vector is weighed against (how rare each term is).
#[derive(Debug, Default)]
pub struct Index {
    docs: Vec<(String, HashMap<String, usize>)>,
    df: HashMap<String, usize>,
    /// For each stem, the word people wrote most often for it (what a match shows).
    words: HashMap<String, String>,
    vectors: Vec<Vector>,
}

/// A record found close to another, with the terms that bring them together (most weight first).
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub id: String,
    pub score: f64,
    pub shared: Vec<String>,
}

impl Index {
    /// Indexes the records `(id, its texts)`.
    pub fn build<'a>(records: impl IntoIterator<Item = (String, &'a Text)>) -> Index {
        let mut index = Index::default();
        let mut written: HashMap<String, HashMap<String, usize>> = HashMap::new();
        for (id, text) in records {
            let terms = text_terms(text);
            for term in &terms {
                *written.entry(term.stem.clone()).or_default().entry(term.word.clone()).or_default() += 1;
            }
            let counts = counts(terms);
            for term in counts.keys() {
                *index.df.entry(term.clone()).or_default() += 1;
            }
            index.docs.push((id, counts));
        }
        index.words = written.into_iter().map(|(stem, words)| (stem, most_written(words))).collect();
        index.vectors = index.docs.iter().map(|(_, counts)| index.vector(counts)).collect();
        index
    }

    /// How rare a term is: a term of every record weighs almost nothing (no constant is added
    /// to keep common words in play, as is usual, because here they are what makes a match
    /// look arbitrary).
    fn idf(&self, term: &str) -> f64 {
        let n = self.docs.len() as f64;
        ((n + 1.0) / self.df.get(term).copied().unwrap_or(0).max(1) as f64).ln()
    }

    fn vector(&self, counts: &HashMap<String, usize>) -> Vector {
        let mut weights: HashMap<String, f64> = counts.iter().map(|(t, n)| (t.clone(), (1.0 + (*n as f64).ln()) * self.idf(t))).collect();
        let norm = weights.values().map(|w| w * w).sum::<f64>().sqrt();
        if norm > 0.0 {
            weights.values_mut().for_each(|w| *w /= norm);
        }
        Vector(weights)
    }

    /// The vector of any text against this index (a record being written, a query).
    pub fn vector_of(&self, text: &Text) -> Vector {
        self.vector(&counts(text_terms(text)))
    }

    /// The `limit` records most similar to `query`, best first, among those `keep` accepts
    /// (for example: only other regions): a score of `SIMILAR_MIN` with two shared words or
    /// more, or of `ONE_WORD_MIN` with one.
    pub fn similar(&self, query: &Vector, limit: usize, keep: impl Fn(&str) -> bool) -> Vec<Match> {
        let similar = |m: &Match| m.score >= SIMILAR_MIN && (m.shared.len() >= 2 || m.score >= ONE_WORD_MIN);
        self.ranked(query, limit, keep, similar)
    }

    /// The `limit` records closest to `query` with a score of at least `min`, best first,
    /// among those `keep` accepts.
    pub fn closest(&self, query: &Vector, min: f64, limit: usize, keep: impl Fn(&str) -> bool) -> Vec<Match> {
        self.ranked(query, limit, keep, |m| m.score >= min && m.score > 0.0)
    }

    fn ranked(&self, query: &Vector, limit: usize, keep: impl Fn(&str) -> bool, accept: impl Fn(&Match) -> bool) -> Vec<Match> {
        let mut found: Vec<Match> = self
            .docs
            .iter()
            .zip(&self.vectors)
            .filter(|((id, _), _)| keep(id))
            .map(|((id, _), v)| {
                let (score, shared) = self.cosine(query, v);
                Match { id: id.clone(), score, shared }
            })
            .filter(accept)
            .collect();
        found.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
        found.truncate(limit);
        found
    }

    /// The vector of an indexed record.
    pub fn vector_of_record(&self, id: &str) -> Option<&Vector> {
        self.docs.iter().position(|(d, _)| d == id).map(|i| &self.vectors[i])
    }

    /// Pairs of records scoring at least `min`, best first (each pair once), among those `keep`
    /// accepts as a pair.
    pub fn pairs_above(&self, min: f64, keep: impl Fn(&str, &str) -> bool) -> Vec<(String, String, Match)> {
        let mut pairs = Vec::new();
        for i in 0..self.docs.len() {
            for j in i + 1..self.docs.len() {
                let (a, b) = (&self.docs[i].0, &self.docs[j].0);
                if !keep(a, b) {
                    continue;
                }
                let (score, shared) = self.cosine(&self.vectors[i], &self.vectors[j]);
                if score >= min {
                    pairs.push((a.clone(), b.clone(), Match { id: b.clone(), score, shared }));
                }
            }
        }
        pairs.sort_by(|x, y| y.2.score.total_cmp(&x.2.score));
        pairs
    }

    /// Cosine of two unit vectors, and the words of their shared terms by weight (at most ten).
    fn cosine(&self, a: &Vector, b: &Vector) -> (f64, Vec<String>) {
        let (small, large) = if a.0.len() <= b.0.len() { (a, b) } else { (b, a) };
        let mut shared: Vec<(f64, &String)> = small.0.iter().filter_map(|(t, w)| large.0.get(t).map(|v| (w * v, t))).collect();
        let score = shared.iter().map(|(w, _)| w).sum::<f64>().min(1.0);
        shared.sort_by(|x, y| y.0.total_cmp(&x.0).then_with(|| x.1.cmp(y.1)));
        let word = |stem: &String| self.words.get(stem).unwrap_or(stem).clone();
        (score, shared.into_iter().take(10).map(|(_, t)| word(t)).collect())
    }
}

fn text_terms(text: &Text) -> Vec<Term> {
    text.iter().flat_map(|(lang, text): (Lang, &str)| terms(lang, text)).collect()
}

fn counts(terms: Vec<Term>) -> HashMap<String, usize> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for term in terms {
        *counts.entry(term.stem).or_default() += 1;
    }
    counts
}

/// The word written most often, the shorter (then the first in order) on a tie.
fn most_written(words: HashMap<String, usize>) -> String {
    let best = words.into_iter().max_by(|(a, m), (b, n)| m.cmp(n).then_with(|| b.len().cmp(&a.len())).then_with(|| b.cmp(a)));
    best.map(|(word, _)| word).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHOOLS: &str = "Connecting schools to broadband in rural areas, with teacher training in digital skills";
    const PARAPHRASE: &str = "Broadband connectivity for rural schools and digital skills for their teachers";
    const SPECTRUM: &str = "Spectrum management and the transition from analogue to digital terrestrial television";
    const EMERGENCY: &str = "Early warning systems and emergency telecommunications for disaster risk reduction";

    fn en(text: &str) -> Text {
        Text::new(Lang::En, text)
    }

    fn index() -> Index {
        let texts = [
            ("schools", en(SCHOOLS)),
            ("paraphrase", en(PARAPHRASE)),
            ("spectrum", en(SPECTRUM)),
            ("emergency", en(EMERGENCY)),
            (
                "french",
                Text::new(Lang::Fr, "Connecter les écoles rurales au haut débit et former les enseignants aux compétences numériques"),
            ),
            ("chinese", Text::new(Lang::Zh, "为农村学校提供宽带连接并培训教师的数字技能")),
        ];
        Index::build(texts.iter().map(|(id, text)| (id.to_string(), text)))
    }

    fn score(index: &Index, text: &Text, id: &str) -> f64 {
        index.closest(&index.vector_of(text), 0.0, 10, |d| d == id).first().map(|m| m.score).unwrap_or(0.0)
    }

    #[test]
    fn identical_texts_score_one_and_paraphrases_beat_unrelated_texts() {
        let index = index();
        assert!((score(&index, &en(SCHOOLS), "schools") - 1.0).abs() < 1e-9);
        let paraphrase = score(&index, &en(SCHOOLS), "paraphrase");
        let unrelated = score(&index, &en(SCHOOLS), "emergency");
        assert!(paraphrase > 0.3, "{paraphrase}");
        assert!(unrelated < 0.05, "{unrelated}");
        assert!(score(&index, &en(SCHOOLS), "spectrum") < paraphrase);
    }

    #[test]
    fn the_shared_words_explain_a_match_as_people_wrote_them() {
        let index = index();
        let found = index.closest(&index.vector_of(&en(SCHOOLS)), 0.1, 3, |d| d != "schools");
        assert_eq!(found[0].id, "paraphrase");
        for word in ["broadband", "rural", "schools", "skills"] {
            assert!(found[0].shared.iter().any(|w| w == word), "{word} in {:?}", found[0].shared);
        }
    }

    #[test]
    fn texts_match_within_a_language_and_across_records_that_have_several() {
        let index = index();
        // A French query finds the French record well before the English one (only "rural"
        // is common to both); a record with an English and a French text is found by either.
        let french = Text::new(Lang::Fr, "haut débit pour les écoles rurales");
        assert!(score(&index, &french, "french") > 0.2);
        assert!(score(&index, &french, "french") > 3.0 * score(&index, &french, "schools"));
        let mut both = en("Broadband for rural schools.");
        both.set(Lang::Fr, "Le haut débit pour les écoles rurales.");
        let both = Index::build([("both".to_string(), &both)]);
        assert!(score(&both, &french, "both") > 0.3);
        assert!(score(&both, &en("broadband rural schools"), "both") > 0.3);
        // Chinese, written without spaces, is compared by pairs of characters.
        assert!(score(&index, &Text::new(Lang::Zh, "农村学校宽带"), "chinese") > 0.2);
    }

    #[test]
    fn pairs_above_a_threshold_are_listed_once() {
        let index = index();
        let pairs = index.pairs_above(0.3, |_, _| true);
        assert_eq!(pairs.iter().map(|(a, b, _)| (a.as_str(), b.as_str())).collect::<Vec<_>>(), vec![("schools", "paraphrase")]);
        assert!(index.pairs_above(0.3, |a, b| a != "schools" && b != "schools").is_empty());
    }
}
