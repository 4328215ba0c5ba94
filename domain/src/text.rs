//! Text that people read, stored once per language, with where each language's text came from.
//!
//! Titles, objectives, summaries and outcomes are multilingual from the start, even when only
//! one language is filled, so adding a translation never changes a record's shape. A language
//! is either an original (written in it) or a translation of another language's text; a
//! translation remembers a fingerprint of the text it was made from, so when that text changes
//! the translation is known to be outdated without anyone having to mark it.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::lang::Lang;
use crate::validation::{Errors, Problem, text_problem};

/// One text in up to six languages. Empty strings are not stored.
///
/// Serialized as `{"en": "…", "fr": "…", "translated": {"fr": {"from": "en", "of": "…"}}}`;
/// `translated` is left out when no language is a translation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text {
    texts: BTreeMap<Lang, String>,
    translated: BTreeMap<Lang, Source>,
}

/// Where a translation came from: the language, and the fingerprint of that language's text
/// when the translation was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub from: Lang,
    pub of: String,
}

/// What a language's text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Written in this language.
    Original,
    /// A translation of the current text of its source language.
    Translation,
    /// A translation of a text that has changed (or gone) since.
    Outdated,
}

/// A short, stable fingerprint of a text (64-bit FNV-1a, in hex): the same on every device.
pub fn fingerprint(text: &str) -> String {
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    format!("{hash:016x}")
}

impl Text {
    /// A text written in one language.
    pub fn new(lang: Lang, text: impl Into<String>) -> Text {
        let mut t = Text::default();
        t.set(lang, text);
        t
    }

    /// Sets (or, with an empty string, removes) the text in `lang`. A translation edited this
    /// way stays a translation of the same source text: only `translate` marks it current.
    pub fn set(&mut self, lang: Lang, text: impl Into<String>) {
        let text = text.into();
        if text.trim().is_empty() {
            self.texts.remove(&lang);
            self.translated.remove(&lang);
        } else {
            self.texts.insert(lang, text);
        }
    }

    /// Sets `lang`'s text as a translation of `from`'s current text. Returns false, changing
    /// nothing, when there is no text in `from` or it is the same language.
    pub fn translate(&mut self, lang: Lang, text: impl Into<String>, from: Lang) -> bool {
        let Some(source) = self.texts.get(&from).filter(|_| from != lang) else { return false };
        let source = Source { from, of: fingerprint(source) };
        self.set(lang, text);
        if self.texts.contains_key(&lang) {
            self.translated.insert(lang, source);
        }
        true
    }

    pub fn get(&self, lang: Lang) -> Option<&str> {
        self.texts.get(&lang).map(String::as_str)
    }

    /// What the text in `lang` is; None when there is none.
    pub fn status(&self, lang: Lang) -> Option<Status> {
        self.texts.get(&lang)?;
        Some(match self.translated.get(&lang) {
            None => Status::Original,
            Some(source) if self.get(source.from).map(fingerprint).as_deref() == Some(source.of.as_str()) => Status::Translation,
            Some(_) => Status::Outdated,
        })
    }

    /// The language a translation in `lang` was made from.
    pub fn source(&self, lang: Lang) -> Option<Lang> {
        self.translated.get(&lang).map(|s| s.from)
    }

    /// The original text: in English if English is an original, else in the first original
    /// language in ITU's order, else (only translations, whose sources are gone) any text.
    pub fn original(&self) -> Option<(Lang, &str)> {
        let originals = || self.iter().filter(|(l, _)| self.status(*l) == Some(Status::Original));
        originals().find(|(l, _)| *l == Lang::En).or_else(|| originals().next()).or_else(|| self.iter().next())
    }

    /// The text for a reader of `lang`: theirs if there is one, else the original; with the
    /// language it is in.
    pub fn best(&self, lang: Lang) -> Option<(Lang, &str)> {
        self.get(lang).map(|t| (lang, t)).or_else(|| self.original())
    }

    /// Whether a translator into `lang` has work here: there is text, and none in `lang` or
    /// only an outdated translation.
    pub fn needs_translation(&self, lang: Lang) -> bool {
        !self.is_empty() && matches!(self.status(lang), None | Some(Status::Outdated))
    }

    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }

    pub fn languages(&self) -> impl Iterator<Item = Lang> + '_ {
        self.texts.keys().copied()
    }

    /// The texts in ITU's language order.
    pub fn iter(&self) -> impl Iterator<Item = (Lang, &str)> {
        Lang::ALL.into_iter().filter_map(|l| self.get(l).map(|t| (l, t)))
    }

    /// Whether any language's text contains `needle`, ignoring case.
    pub fn contains_ignore_case(&self, needle: &str) -> bool {
        let needle = needle.to_lowercase();
        self.texts.values().any(|t| t.to_lowercase().contains(&needle))
    }

    /// Checks, as `field`, every language's text (at most `max` characters, no control
    /// characters but line breaks and tabs) and every translation's note (a fingerprint).
    pub fn check(&self, errors: &mut Errors, field: &str, max: usize) {
        for problem in self.texts.values().filter_map(|t| text_problem(t, max)) {
            errors.add(field, problem);
        }
        let fingerprint = |of: &str| of.len() == 16 && of.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if self.translated.values().any(|source| !fingerprint(&source.of)) {
            errors.add(field, Problem::BadFormat);
        }
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let extra = usize::from(!self.translated.is_empty());
        let mut map = serializer.serialize_map(Some(self.texts.len() + extra))?;
        for (lang, text) in &self.texts {
            map.serialize_entry(lang.code(), text)?;
        }
        if !self.translated.is_empty() {
            map.serialize_entry("translated", &self.translated)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Text, D::Error> {
        deserializer.deserialize_map(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("texts by language code (ar, zh, en, fr, ru, es), and optionally `translated`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
        let mut text = Text::default();
        let mut translated = BTreeMap::<Lang, Source>::new();
        while let Some(key) = map.next_key::<String>()? {
            if key == "translated" {
                translated = map.next_value()?;
            } else if let Some(lang) = Lang::from_code(&key) {
                text.set(lang, map.next_value::<String>()?);
            } else {
                return Err(de::Error::unknown_field(&key, &["ar", "zh", "en", "fr", "ru", "es", "translated"]));
            }
        }
        // A translation's note is kept only beside a text, and never points at its own language.
        translated.retain(|lang, source| text.texts.contains_key(lang) && source.from != *lang);
        text.translated = translated;
        Ok(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn english_and_french() -> Text {
        let mut t = Text::new(Lang::En, "Broadband for schools");
        assert!(t.translate(Lang::Fr, "Le haut débit pour les écoles", Lang::En));
        t
    }

    #[test]
    fn a_reader_without_their_language_sees_the_original() {
        let mut t = Text::new(Lang::Fr, "Bonjour");
        t.translate(Lang::En, "Hello", Lang::Fr);
        assert_eq!(t.best(Lang::Ru), Some((Lang::Fr, "Bonjour")), "the original, not the English translation");
        assert_eq!(t.best(Lang::En), Some((Lang::En, "Hello")));
        t.set(Lang::Es, "Hola");
        assert_eq!(t.original(), Some((Lang::Fr, "Bonjour")), "the first original in ITU's order");
        t.set(Lang::Ar, "مرحبا");
        assert_eq!(t.original(), Some((Lang::Ar, "مرحبا")));
    }

    #[test]
    fn an_original_edited_after_translation_makes_the_translation_outdated() {
        let mut t = english_and_french();
        assert_eq!(t.status(Lang::En), Some(Status::Original));
        assert_eq!(t.status(Lang::Fr), Some(Status::Translation));
        assert!(!t.needs_translation(Lang::Fr));
        t.set(Lang::En, "Broadband for every school");
        assert_eq!(t.status(Lang::Fr), Some(Status::Outdated));
        assert!(t.needs_translation(Lang::Fr));
        // Putting the old text back makes the translation current again: it translates that text.
        t.set(Lang::En, "Broadband for schools");
        assert_eq!(t.status(Lang::Fr), Some(Status::Translation));
    }

    #[test]
    fn only_translating_again_marks_an_outdated_translation_current() {
        let mut t = english_and_french();
        t.set(Lang::En, "Broadband for every school");
        t.set(Lang::Fr, "Le haut débit pour chaque école");
        assert_eq!(t.status(Lang::Fr), Some(Status::Outdated), "an edit in the form is not a review");
        assert!(t.translate(Lang::Fr, "Le haut débit pour chaque école", Lang::En));
        assert_eq!(t.status(Lang::Fr), Some(Status::Translation));
    }

    #[test]
    fn a_translation_whose_source_is_removed_is_outdated() {
        let mut t = english_and_french();
        t.set(Lang::Es, "Banda ancha para escuelas");
        t.set(Lang::En, "");
        assert_eq!(t.status(Lang::Fr), Some(Status::Outdated));
        assert_eq!(t.original(), Some((Lang::Es, "Banda ancha para escuelas")));
    }

    #[test]
    fn a_translation_needs_a_source_in_another_language() {
        let mut t = Text::new(Lang::En, "x");
        assert!(!t.translate(Lang::Fr, "y", Lang::Ru), "no Russian text to translate");
        assert!(!t.translate(Lang::En, "y", Lang::En));
        assert_eq!(t, Text::new(Lang::En, "x"));
        assert!(t.needs_translation(Lang::Fr));
        assert!(!Text::default().needs_translation(Lang::Fr), "nothing to translate");
    }

    #[test]
    fn blank_text_is_not_stored_and_takes_its_translation_note_with_it() {
        let mut t = english_and_french();
        t.set(Lang::Fr, "   ");
        assert_eq!(t.status(Lang::Fr), None);
        assert_eq!(serde_json::to_string(&t).unwrap(), r#"{"en":"Broadband for schools"}"#);
    }

    #[test]
    fn serializes_as_a_language_map_with_translation_notes() {
        let t = Text::new(Lang::Ar, "مرحبا");
        assert_eq!(serde_json::to_string(&t).unwrap(), r#"{"ar":"مرحبا"}"#);
        let json = serde_json::to_value(english_and_french()).unwrap();
        assert_eq!(json["translated"]["fr"]["from"], "en");
        assert_eq!(json["translated"]["fr"]["of"], fingerprint("Broadband for schools"));
        assert_eq!(serde_json::from_value::<Text>(json).unwrap(), english_and_french());
        let back: Text = serde_json::from_str(r#"{"zh":"你好","en":"hi"}"#).unwrap();
        assert_eq!(back.get(Lang::Zh), Some("你好"));
        assert!(serde_json::from_str::<Text>(r#"{"de":"hallo"}"#).is_err());
    }

    #[test]
    fn stray_translation_notes_are_dropped_on_reading() {
        let t: Text = serde_json::from_str(r#"{"en":"x","translated":{"fr":{"from":"en","of":"0"},"en":{"from":"en","of":"0"}}}"#).unwrap();
        assert_eq!(t, Text::new(Lang::En, "x"));
    }

    #[test]
    fn fingerprints_are_stable() {
        assert_eq!(fingerprint(""), "cbf29ce484222325");
        assert_ne!(fingerprint("a"), fingerprint("b"));
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
