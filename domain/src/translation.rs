//! The texts of a record that translators work on, and which of them need work in a language.
//! The translation page and the "needs translation" list read records through these, on the
//! device, so both work offline.

use serde_json::{Map, Value};

use crate::lang::Lang;
use crate::sync::record::Kind;
use crate::text::Text;

/// The multilingual fields of each kind of record, in the order a translator sees them.
pub fn text_fields(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Initiative => &["title", "objective", "expected_results"],
        Kind::Project => &["title", "summary", "outcomes"],
        Kind::Consultation => &["title", "intro"],
        Kind::Report => &["title", "context", "what_was_done", "what_worked", "what_did_not", "lessons", "in_kind_used"],
        Kind::Contribution | Kind::Submission => &[],
    }
}

/// A record's texts, field by field; a field that is absent or unreadable is an empty text.
pub fn texts(kind: Kind, fields: &Map<String, Value>) -> Vec<(&'static str, Text)> {
    text_fields(kind)
        .iter()
        .map(|name| (*name, fields.get(*name).and_then(|v| serde_json::from_value(v.clone()).ok()).unwrap_or_default()))
        .collect()
}

/// A record's texts in `lang`, every field's in turn, as one text to search or compare.
pub fn joined(kind: Kind, fields: &Map<String, Value>, lang: Lang) -> String {
    let texts = texts(kind, fields);
    let parts: Vec<&str> = texts.iter().filter_map(|(_, text)| text.get(lang)).filter(|t| !t.is_empty()).collect();
    parts.join("\n")
}

/// The fields whose text is missing in `lang`, or only an outdated translation.
pub fn needing(kind: Kind, fields: &Map<String, Value>, lang: Lang) -> Vec<&'static str> {
    texts(kind, fields).into_iter().filter(|(_, text)| text.needs_translation(lang)).map(|(name, _)| name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::record::fields_of;

    #[test]
    fn missing_and_outdated_texts_need_translation_and_empty_ones_do_not() {
        let mut title = Text::new(Lang::En, "Broadband for schools");
        title.translate(Lang::Fr, "Le haut débit pour les écoles", Lang::En);
        let mut objective = Text::new(Lang::En, "Connect every school");
        objective.translate(Lang::Fr, "Connecter chaque école", Lang::En);
        objective.set(Lang::En, "Connect every school by 2030");
        let fields = fields_of(&serde_json::json!({"title": title, "objective": objective, "expected_results": {}}));
        assert_eq!(needing(Kind::Initiative, &fields, Lang::Fr), vec!["objective"]);
        assert_eq!(needing(Kind::Initiative, &fields, Lang::Ar), vec!["title", "objective"]);
        assert!(needing(Kind::Initiative, &fields, Lang::En).is_empty());
        assert_eq!(joined(Kind::Initiative, &fields, Lang::Fr), "Le haut débit pour les écoles\nConnecter chaque école");
        assert_eq!(joined(Kind::Initiative, &fields, Lang::Ru), "");
    }
}
