//! Text for spreadsheets: CSV cells that a spreadsheet opens as text, never as a formula.

/// `text` as one CSV cell. A text that a spreadsheet would run as a formula (starting with
/// `=`, `+`, `-`, `@`, a tab or a carriage return) is prefixed with an apostrophe, which the
/// spreadsheet shows as text; a cell holding a separator, a quote or a line break is quoted.
/// Numbers are written as numbers, not through this.
pub fn cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_string() };
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_formula_is_written_as_text() {
        assert_eq!(cell("=HYPERLINK(\"http://x\",\"y\")"), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
        for formula in ["+1", "-1+2", "@SUM(A1)", "\tx"] {
            assert!(cell(formula).trim_start_matches('"').starts_with('\''), "{formula}");
        }
    }

    #[test]
    fn plain_text_stays_as_it_is_and_separators_are_quoted() {
        assert_eq!(cell("Asian Development Bank"), "Asian Development Bank");
        assert_eq!(cell("a, b"), "\"a, b\"");
        assert_eq!(cell("Banque \"mondiale\""), "\"Banque \"\"mondiale\"\"\"");
    }
}
