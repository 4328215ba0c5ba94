//! Finding records by their words: the shapes the search and "similar" answers travel in, the
//! snippets that show where a record matched, and the simpler search a device runs over the
//! records it holds when it is offline.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::lang::Lang;
use crate::region::Region;
use crate::role::Role;
use crate::sync::record::Kind;
use crate::text::Text;
use crate::translation::joined;

/// Where a match starts and ends in a marked text (the server's highlighter writes these).
pub const MARK_START: char = '\u{2}';
pub const MARK_END: char = '\u{3}';

/// Characters of context kept on each side of the first match.
const CONTEXT: usize = 80;

/// Longest query taken; a longer one is cut.
pub const MAX_QUERY: usize = 200;

/// The kinds of record the search and "similar" look at.
pub const SEARCHED: [Kind; 3] = [Kind::Initiative, Kind::Project, Kind::Report];

/// A piece of a snippet: matched words or the text around them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Part {
    pub text: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hit: bool,
}

/// Where a record matched, in one of its languages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snippet {
    pub lang: Lang,
    pub parts: Vec<Part>,
}

/// A record as a list of found or similar records shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Found {
    pub kind: Kind,
    pub id: String,
    #[serde(default)]
    pub region: Option<Region>,
    pub title: Text,
    pub score: f64,
    /// Search: where it matched. Empty for similar records.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matches: Vec<Snippet>,
    /// Similar records: the words they share, most telling first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shared: Vec<String>,
}

/// Two initiatives whose texts overlap: `b` carries the score and the words they share.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pair {
    pub a: Found,
    pub b: Found,
}

/// The filters of a search; each absent one lets everything through.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Filters {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cycle: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// Who reviews possible duplicates (and decides to link or merge them): admins and
/// coordinators.
pub fn may_review_duplicates(roles: &[Role]) -> bool {
    roles.iter().any(|r| matches!(r, Role::Admin | Role::Coordinator { .. }))
}

/// The snippet of a text with marked matches: the first match with some context around it,
/// and every match inside that window. None when nothing in it is marked.
pub fn snippet(lang: Lang, marked: &str) -> Option<Snippet> {
    let chars: Vec<char> = marked.chars().collect();
    let first = chars.iter().position(|c| *c == MARK_START)?;
    let start = first.saturating_sub(CONTEXT);
    let window_end =
        chars[first..].iter().position(|c| *c == MARK_END).map(|e| first + e + 1 + CONTEXT).unwrap_or(chars.len()).min(chars.len());
    let mut parts: Vec<Part> = Vec::new();
    let mut hit = false;
    let mut current = String::new();
    if start > 0 {
        current.push('…');
    }
    for c in &chars[start..window_end] {
        match *c {
            MARK_START | MARK_END => {
                if !current.is_empty() {
                    parts.push(Part { text: std::mem::take(&mut current), hit });
                }
                hit = *c == MARK_START;
            }
            c => current.push(c),
        }
    }
    if window_end < chars.len() {
        current.push('…');
    }
    if !current.is_empty() {
        parts.push(Part { text: current, hit });
    }
    Some(Snippet { lang, parts })
}

/// The words of a query, lower-cased, for the device's search.
pub fn query_words(q: &str) -> Vec<String> {
    q.chars().take(MAX_QUERY).collect::<String>().to_lowercase().split_whitespace().map(str::to_string).collect()
}

/// The device's search over one record it holds: every word of the query must be in the
/// record's texts (in any of its languages, ignoring case). Returns where it matched.
pub fn local_matches(kind: Kind, fields: &Map<String, Value>, words: &[String]) -> Option<Vec<Snippet>> {
    if words.is_empty() {
        return None;
    }
    let texts: Vec<(Lang, String)> =
        Lang::ALL.into_iter().map(|lang| (lang, joined(kind, fields, lang))).filter(|(_, t)| !t.is_empty()).collect();
    let lower: Vec<String> = texts.iter().map(|(_, t)| t.to_lowercase()).collect();
    if !words.iter().all(|w| lower.iter().any(|t| t.contains(w.as_str()))) {
        return None;
    }
    let snippets = texts.iter().filter_map(|(lang, text)| snippet(*lang, &mark(text, words))).collect();
    Some(snippets)
}

/// `text` with each occurrence of the words marked (ignoring case). Marks are placed on the
/// lower-cased text's char positions, which match the text's where lower-casing keeps the
/// number of chars; where it does not, the text is left unmarked.
fn mark(text: &str, words: &[String]) -> String {
    let original: Vec<char> = text.chars().collect();
    let lower: Vec<char> = text.to_lowercase().chars().collect();
    if lower.len() != original.len() {
        return text.to_string();
    }
    let mut marked = vec![false; original.len()];
    for word in words {
        let w: Vec<char> = word.chars().collect();
        if w.is_empty() || w.len() > lower.len() {
            continue;
        }
        for i in 0..=lower.len() - w.len() {
            if lower[i..i + w.len()] == w[..] {
                marked[i..i + w.len()].iter_mut().for_each(|m| *m = true);
            }
        }
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (i, c) in original.iter().enumerate() {
        let was = i > 0 && marked[i - 1];
        if marked[i] && !was {
            out.push(MARK_START);
        }
        if !marked[i] && was {
            out.push(MARK_END);
        }
        out.push(*c);
    }
    if marked.last() == Some(&true) {
        out.push(MARK_END);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parts(s: &Snippet) -> Vec<(&str, bool)> {
        s.parts.iter().map(|p| (p.text.as_str(), p.hit)).collect()
    }

    #[test]
    fn a_snippet_shows_the_matches_with_their_context() {
        let s = snippet(Lang::Fr, "Connecter les \u{2}écoles\u{3} rurales et les \u{2}écoles\u{3} urbaines").expect("marked");
        assert_eq!(
            parts(&s),
            vec![("Connecter les ", false), ("écoles", true), (" rurales et les ", false), ("écoles", true), (" urbaines", false)]
        );
        assert_eq!(snippet(Lang::Fr, "rien ici"), None);
        let long = format!("{}\u{2}mot\u{3}{}", "a".repeat(200), "b".repeat(200));
        let s = snippet(Lang::Fr, &long).expect("marked");
        assert!(s.parts[0].text.starts_with('…') && s.parts[0].text.chars().count() == CONTEXT + 1);
        assert_eq!(s.parts[1], Part { text: "mot".into(), hit: true });
        assert!(s.parts[2].text.ends_with('…'));
    }

    #[test]
    fn the_devices_search_needs_every_word_in_some_language() {
        let fields = json!({"title": {"en": "Smart villages", "fr": "Villages intelligents"}, "summary": {"fr": "Connecter les écoles"}});
        let fields = fields.as_object().cloned().unwrap_or_default();
        let found = local_matches(Kind::Project, &fields, &query_words("ÉCOLES villages")).expect("both words");
        assert_eq!(found.len(), 2, "en for villages, fr for both");
        let fr = found.iter().find(|s| s.lang == Lang::Fr).expect("fr");
        assert!(fr.parts.iter().any(|p| p.hit && p.text == "écoles"));
        assert!(fr.parts.iter().any(|p| p.hit && p.text == "Villages"));
        assert_eq!(local_matches(Kind::Project, &fields, &query_words("villages hospitals")), None);
        assert_eq!(local_matches(Kind::Project, &fields, &[]), None);
    }
}
