//! Text that people read, stored once per language.
//!
//! Titles, objectives, summaries and outcomes are multilingual from the start, even when only
//! one language is filled, so adding a translation never changes a record's shape.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// One text in up to six languages. Empty strings are not stored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Text(BTreeMap<Lang, String>);

impl Text {
    /// A text written in one language.
    pub fn new(lang: Lang, text: impl Into<String>) -> Text {
        let mut t = Text::default();
        t.set(lang, text);
        t
    }

    /// Sets (or, with an empty string, removes) the text in `lang`.
    pub fn set(&mut self, lang: Lang, text: impl Into<String>) {
        let text = text.into();
        if text.trim().is_empty() {
            self.0.remove(&lang);
        } else {
            self.0.insert(lang, text);
        }
    }

    pub fn get(&self, lang: Lang) -> Option<&str> {
        self.0.get(&lang).map(String::as_str)
    }

    /// The text in `lang`, else English, else any language; with the language it is in.
    pub fn best(&self, lang: Lang) -> Option<(Lang, &str)> {
        [lang, Lang::En]
            .into_iter()
            .find_map(|l| self.get(l).map(|t| (l, t)))
            .or_else(|| self.0.iter().next().map(|(l, t)| (*l, t.as_str())))
    }

    pub fn is_empty(&self) -> bool {
        self.0.values().all(|t| t.trim().is_empty())
    }

    pub fn languages(&self) -> impl Iterator<Item = Lang> + '_ {
        self.0.keys().copied()
    }

    pub fn iter(&self) -> impl Iterator<Item = (Lang, &str)> {
        self.0.iter().map(|(l, t)| (*l, t.as_str()))
    }

    /// Whether any language's text contains `needle`, ignoring case.
    pub fn contains_ignore_case(&self, needle: &str) -> bool {
        let needle = needle.to_lowercase();
        self.0.values().any(|t| t.to_lowercase().contains(&needle))
    }

    /// The longest text in any language, in characters (for length limits).
    pub fn max_chars(&self) -> usize {
        self.0.values().map(|t| t.chars().count()).max().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn falls_back_to_english_then_any_language() {
        let mut t = Text::new(Lang::Fr, "Bonjour");
        assert_eq!(t.best(Lang::Ru), Some((Lang::Fr, "Bonjour")));
        t.set(Lang::En, "Hello");
        assert_eq!(t.best(Lang::Ru), Some((Lang::En, "Hello")));
        assert_eq!(t.best(Lang::Fr), Some((Lang::Fr, "Bonjour")));
    }

    #[test]
    fn blank_text_is_not_stored() {
        let mut t = Text::new(Lang::En, "x");
        t.set(Lang::En, "   ");
        assert!(t.is_empty());
        assert_eq!(serde_json::to_string(&t).unwrap(), "{}");
    }

    #[test]
    fn serializes_as_a_language_map() {
        let t = Text::new(Lang::Ar, "مرحبا");
        assert_eq!(serde_json::to_string(&t).unwrap(), r#"{"ar":"مرحبا"}"#);
        let back: Text = serde_json::from_str(r#"{"zh":"你好","en":"hi"}"#).unwrap();
        assert_eq!(back.get(Lang::Zh), Some("你好"));
        assert!(serde_json::from_str::<Text>(r#"{"de":"hallo"}"#).is_err());
    }

    #[test]
    fn search_ignores_case_in_every_language() {
        let mut t = Text::new(Lang::En, "Broadband Access");
        t.set(Lang::Ru, "Широкополосный доступ");
        assert!(t.contains_ignore_case("broadband"));
        assert!(t.contains_ignore_case("ШИРОКОПОЛОСНЫЙ"));
        assert!(!t.contains_ignore_case("spectrum"));
    }
}
