//! How close two records are by their texts: TF-IDF vectors over the words of every language a
//! record has, compared by cosine, with the words they share. Used to show "similar in other
//! regions" and possible duplicates; a person always decides what to do with a match.

use std::collections::HashMap;

/// Words too common to say anything, in the languages that write with spaces.
const STOP_WORDS: &[&str] = &[
    "the", "and", "for", "with", "that", "this", "from", "into", "its", "are", "was", "were", "will", "all", "their", "which", "les",
    "des", "une", "pour", "dans", "par", "sur", "aux", "est", "qui", "que", "avec", "leur", "ses", "los", "las", "del", "para", "con",
    "por", "una", "que", "sus", "como", "для", "или", "как", "что", "его", "при", "это",
];

/// The terms of a text: lower-case words of three letters or more (stop words left out); in
/// scripts written without spaces (Chinese), pairs of neighbouring characters.
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let lower = text.to_lowercase();
    for word in lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        let chars: Vec<char> = word.chars().collect();
        if chars.iter().any(|c| is_cjk(*c)) {
            out.extend(chars.windows(2).map(|w| w.iter().collect::<String>()));
            if chars.len() == 1 {
                out.push(word.to_string());
            }
        } else if chars.len() >= 3 && !STOP_WORDS.contains(&word) {
            out.push(stem(word));
        }
    }
    out
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF)
}

/// A light stem, enough for "schools"/"school", "villages"/"village", "boxes"/"box" and
/// "connectivities"/"connectivity" to meet.
fn stem(word: &str) -> String {
    let long_enough = |stem: &str| stem.chars().count() >= 3;
    if let Some(stem) = word.strip_suffix("ies").filter(|s| long_enough(s)) {
        return format!("{stem}y");
    }
    for suffix in ["sses", "shes", "ches", "xes", "zes"] {
        if let Some(stem) = word.strip_suffix(suffix).filter(|s| s.chars().count() >= 2) {
            return format!("{stem}{}", &suffix[..suffix.len() - 2]);
        }
    }
    match word.strip_suffix('s') {
        Some(stem) if long_enough(stem) && !stem.ends_with('s') && !stem.ends_with('u') && !stem.ends_with('i') => stem.to_string(),
        _ => word.to_string(),
    }
}

/// A record's weighted terms, normalized to length 1.
#[derive(Debug, Clone, Default)]
pub struct Vector(HashMap<String, f64>);

/// The collection every vector is weighed against (how rare each term is).
#[derive(Debug, Default)]
pub struct Index {
    docs: Vec<(String, HashMap<String, usize>)>,
    df: HashMap<String, usize>,
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
    /// Indexes the records `(id, text in every language it has)`.
    pub fn build<'a>(records: impl IntoIterator<Item = (String, &'a str)>) -> Index {
        let mut index = Index::default();
        for (id, text) in records {
            let mut counts: HashMap<String, usize> = HashMap::new();
            for term in terms(text) {
                *counts.entry(term).or_default() += 1;
            }
            for term in counts.keys() {
                *index.df.entry(term.clone()).or_default() += 1;
            }
            index.docs.push((id, counts));
        }
        index.vectors = index.docs.iter().map(|(_, counts)| index.vector(counts)).collect();
        index
    }

    fn idf(&self, term: &str) -> f64 {
        let n = self.docs.len() as f64;
        ((n + 1.0) / (self.df.get(term).copied().unwrap_or(0) as f64 + 1.0)).ln() + 1.0
    }

    fn vector(&self, counts: &HashMap<String, usize>) -> Vector {
        let mut weights: HashMap<String, f64> = counts.iter().map(|(t, n)| (t.clone(), (1.0 + (*n as f64).ln()) * self.idf(t))).collect();
        let norm = weights.values().map(|w| w * w).sum::<f64>().sqrt();
        if norm > 0.0 {
            weights.values_mut().for_each(|w| *w /= norm);
        }
        Vector(weights)
    }

    /// The vector of any text against this index (a search query, a record being written).
    pub fn vector_of(&self, text: &str) -> Vector {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for term in terms(text) {
            *counts.entry(term).or_default() += 1;
        }
        self.vector(&counts)
    }

    /// The `limit` records closest to `query` with a score of at least `min`, best first,
    /// among those `keep` accepts (for example: only other regions).
    pub fn closest(&self, query: &Vector, min: f64, limit: usize, keep: impl Fn(&str) -> bool) -> Vec<Match> {
        let mut found: Vec<Match> = self
            .docs
            .iter()
            .zip(&self.vectors)
            .filter(|((id, _), _)| keep(id))
            .filter_map(|((id, _), v)| {
                let (score, shared) = cosine(query, v);
                (score >= min && score > 0.0).then(|| Match { id: id.clone(), score, shared })
            })
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
                let (score, shared) = cosine(&self.vectors[i], &self.vectors[j]);
                if score >= min {
                    pairs.push((a.clone(), b.clone(), Match { id: b.clone(), score, shared }));
                }
            }
        }
        pairs.sort_by(|x, y| y.2.score.total_cmp(&x.2.score));
        pairs
    }
}

/// Cosine of two unit vectors, and their shared terms by weight (at most ten).
fn cosine(a: &Vector, b: &Vector) -> (f64, Vec<String>) {
    let (small, large) = if a.0.len() <= b.0.len() { (a, b) } else { (b, a) };
    let mut shared: Vec<(f64, &String)> = small.0.iter().filter_map(|(t, w)| large.0.get(t).map(|v| (w * v, t))).collect();
    let score = shared.iter().map(|(w, _)| w).sum::<f64>().min(1.0);
    shared.sort_by(|x, y| y.0.total_cmp(&x.0).then_with(|| x.1.cmp(y.1)));
    (score, shared.into_iter().take(10).map(|(_, t)| t.clone()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHOOLS: &str = "Connecting schools to broadband in rural areas, with teacher training in digital skills";
    const PARAPHRASE: &str = "Broadband connectivity for rural schools and digital skills for their teachers";
    const SPECTRUM: &str = "Spectrum management and the transition from analogue to digital terrestrial television";
    const EMERGENCY: &str = "Early warning systems and emergency telecommunications for disaster risk reduction";

    fn index() -> Index {
        Index::build([
            ("schools".to_string(), SCHOOLS),
            ("paraphrase".to_string(), PARAPHRASE),
            ("spectrum".to_string(), SPECTRUM),
            ("emergency".to_string(), EMERGENCY),
            ("french".to_string(), "Connecter les écoles rurales au haut débit et former les enseignants aux compétences numériques"),
            ("chinese".to_string(), "为农村学校提供宽带连接并培训教师的数字技能"),
        ])
    }

    fn score(index: &Index, text: &str, id: &str) -> f64 {
        index.closest(&index.vector_of(text), 0.0, 10, |d| d == id).first().map(|m| m.score).unwrap_or(0.0)
    }

    #[test]
    fn identical_texts_score_one_and_paraphrases_beat_unrelated_texts() {
        let index = index();
        assert!((score(&index, SCHOOLS, "schools") - 1.0).abs() < 1e-9);
        let paraphrase = score(&index, SCHOOLS, "paraphrase");
        let unrelated = score(&index, SCHOOLS, "emergency");
        assert!(paraphrase > 0.3, "{paraphrase}");
        assert!(unrelated < 0.05, "{unrelated}");
        assert!(score(&index, SCHOOLS, "spectrum") < paraphrase);
    }

    #[test]
    fn the_shared_words_explain_a_match() {
        let index = index();
        let found = index.closest(&index.vector_of(SCHOOLS), 0.1, 3, |d| d != "schools");
        assert_eq!(found[0].id, "paraphrase");
        for word in ["broadband", "rural", "school", "skill", "teacher"] {
            assert!(found[0].shared.iter().any(|w| w == word), "{word} in {:?}", found[0].shared);
        }
    }

    #[test]
    fn texts_match_within_a_language_and_across_records_that_have_several() {
        let index = index();
        // A French query finds the French record well before the English one (words are
        // compared as written: only "rural" is common to both); a record with an English and
        // a French text is found by either.
        let french = "haut débit pour les écoles rurales";
        assert!(score(&index, french, "french") > 0.2);
        assert!(score(&index, french, "french") > 3.0 * score(&index, french, "schools"));
        let both = Index::build([("both".to_string(), "Broadband for rural schools. Le haut débit pour les écoles rurales.")]);
        assert!(score(&both, french, "both") > 0.3);
        assert!(score(&both, "broadband rural schools", "both") > 0.3);
        // Chinese, written without spaces, is compared by pairs of characters.
        assert!(score(&index, "农村学校宽带", "chinese") > 0.2);
    }

    #[test]
    fn pairs_above_a_threshold_are_listed_once() {
        let index = index();
        let pairs = index.pairs_above(0.3, |_, _| true);
        assert_eq!(pairs.iter().map(|(a, b, _)| (a.as_str(), b.as_str())).collect::<Vec<_>>(), vec![("schools", "paraphrase")]);
        assert!(index.pairs_above(0.3, |a, b| a != "schools" && b != "schools").is_empty());
    }

    #[test]
    fn terms_drop_short_and_common_words_and_stem_plurals() {
        assert_eq!(terms("The Schools of an Era"), vec!["school", "era"]);
        assert_eq!(terms("connectivities"), vec!["connectivity"]);
        assert_eq!(
            terms("villages village boxes churches access status analysis"),
            vec!["village", "village", "box", "church", "access", "status", "analysis"]
        );
        assert_eq!(terms("数字"), vec!["数字"]);
    }
}
