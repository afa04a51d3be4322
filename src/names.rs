//! How names and titles are compared: after folding away case, spacing and punctuation, so
//! `HealthAD DS agent` is `Health AD-DS Agent` and `auto-upgrade` is `autoupgrade`. The
//! catalog, grouping of revisions and `bulletin check` all compare names this one way.

/// Folds a name for comparison: lower case, letters and digits only.
pub fn fold_name(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The words of a text, lower case: runs of letters and digits.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_spacing_and_punctuation() {
        assert_eq!(
            fold_name("Health AD-DS  Agent"),
            fold_name("healthadds agent")
        );
        assert_eq!(fold_name("auto-upgrade "), "autoupgrade");
        assert_eq!(words("Entra Connect, v2"), ["entra", "connect", "v2"]);
    }
}
