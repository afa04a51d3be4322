//! Code snippets taken from files (`:::code` and `[!code-lang[](path)]`): which lines to
//! show and which to highlight, as DocFX chooses them.

use pulldown_cmark_escape::escape_html;

use super::docfx::CodeRef;

/// Why a snippet could not be taken from its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnippetError {
    /// No `<id>` tags or `#region id` in the file.
    NoRegion(String),
    /// A `range` that is not line numbers (`1-5,7`), or names no line of the file.
    BadRange(String),
}

impl std::fmt::Display for SnippetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SnippetError::NoRegion(id) => write!(
                f,
                "the file has no snippet `{id}` (`<{id}>` ... `</{id}>` or `#region {id}`)"
            ),
            SnippetError::BadRange(range) => write!(
                f,
                "the range `{range}` is not line numbers of the file (write `1-5,7`)"
            ),
        }
    }
}

/// The lines of `text` that `code` shows, their common indentation removed.
pub fn select<'t>(text: &'t str, code: &CodeRef) -> Result<Vec<&'t str>, SnippetError> {
    let lines: Vec<&str> = text.lines().collect();
    let mut shown: Vec<&str> = match &code.id {
        Some(id) => region(&lines, id).ok_or_else(|| SnippetError::NoRegion(id.clone()))?,
        None => lines.clone(),
    };
    if let Some(range) = &code.range {
        let spans = spans(range).ok_or_else(|| SnippetError::BadRange(range.clone()))?;
        let picked: Vec<&str> = spans
            .iter()
            .flat_map(|&(start, end)| {
                let end = end.unwrap_or(shown.len()).min(shown.len());
                shown
                    .get(start.saturating_sub(1)..end)
                    .unwrap_or_default()
                    .iter()
                    .copied()
            })
            .collect();
        if picked.is_empty() {
            return Err(SnippetError::BadRange(range.clone()));
        }
        shown = picked;
    }
    let indent = shown
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    Ok(shown
        .into_iter()
        .map(|l| l.get(indent..).unwrap_or_else(|| l.trim_start()))
        .collect())
}

/// The lines between `<id>` and `</id>` tags (in comments of any language), or between
/// `#region id` and its `#endregion`; marker lines of other snippets inside are left out.
fn region<'t>(lines: &[&'t str], id: &str) -> Option<Vec<&'t str>> {
    let open = format!("<{}>", id.to_ascii_lowercase());
    let close = format!("</{}>", id.to_ascii_lowercase());
    let lower: Vec<String> = lines.iter().map(|l| l.to_ascii_lowercase()).collect();
    if let Some(start) = lower.iter().position(|l| l.contains(&open)) {
        let end = lower[start + 1..]
            .iter()
            .position(|l| l.contains(&close))
            .map_or(lines.len(), |e| start + 1 + e);
        return Some(
            lines[start + 1..end]
                .iter()
                .zip(&lower[start + 1..end])
                .filter(|(_, l)| !is_tag_line(l))
                .map(|(line, _)| *line)
                .collect(),
        );
    }
    let is_region = |l: &str, name: &str| {
        l.trim_start()
            .trim_start_matches(['/', '\'', '<', '!', '-', ' '])
            .strip_prefix("#region")
            .is_some_and(|rest| rest.trim().eq_ignore_ascii_case(name))
    };
    let start = lines.iter().position(|l| is_region(l, id))?;
    let mut depth = 0usize;
    let mut end = lines.len();
    for (j, line) in lines.iter().enumerate().skip(start + 1) {
        let marker = line
            .trim_start()
            .trim_start_matches(['/', '\'', '<', '!', '-', ' '])
            .to_ascii_lowercase();
        if marker.starts_with("#region") {
            depth += 1;
        } else if marker.starts_with("#endregion") {
            if depth == 0 {
                end = j;
                break;
            }
            depth -= 1;
        }
    }
    Some(lines[start + 1..end].to_vec())
}

/// Whether a line only holds a snippet tag (`// <name>`, `# </name>`).
fn is_tag_line(lower: &str) -> bool {
    let text = lower
        .trim()
        .trim_start_matches(['/', '#', '\'', '-', '*', ';', '!', ' '])
        .trim_end_matches(['-', '>', '*', '/', ' ']);
    let Some(inner) = text.strip_prefix('<') else {
        return false;
    };
    let name = inner.trim_start_matches('/').trim_end_matches('>');
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Parses `1-5,7,10-` into 1-based inclusive spans (`None`: to the end).
pub fn spans(spec: &str) -> Option<Vec<(usize, Option<usize>)>> {
    spec.split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| match part.split_once('-') {
            Some((start, end)) => {
                let start = start.trim().parse::<usize>().ok().filter(|&s| s > 0)?;
                let end = match end.trim() {
                    "" => None,
                    end => Some(end.parse::<usize>().ok().filter(|&e| e >= start)?),
                };
                Some((start, end))
            }
            None => {
                let line = part.parse::<usize>().ok().filter(|&l| l > 0)?;
                Some((line, Some(line)))
            }
        })
        .collect()
}

/// The code block for `lines`: the language's class, highlighted lines marked.
pub fn to_html(lines: &[&str], language: &str, highlight: Option<&str>) -> String {
    let marked = highlight.and_then(spans).unwrap_or_default();
    let is_marked = |n: usize| {
        marked
            .iter()
            .any(|&(start, end)| n >= start && end.is_none_or(|e| n <= e))
    };
    let language: String = language
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '#' | '.'))
        .collect::<String>()
        .to_ascii_lowercase();
    let mut html = if language.is_empty() {
        String::from("<pre><code>")
    } else {
        format!("<pre><code class=\"language-{language}\">")
    };
    for (n, line) in lines.iter().enumerate() {
        let mut escaped = String::new();
        // Writing to a String cannot fail.
        let _ = escape_html(&mut escaped, line);
        if is_marked(n + 1) {
            html.push_str("<mark>");
            html.push_str(&escaped);
            html.push_str("</mark>");
        } else {
            html.push_str(&escaped);
        }
        html.push('\n');
    }
    html.push_str("</code></pre>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(id: Option<&str>, range: Option<&str>) -> CodeRef {
        CodeRef {
            language: "azurecli".into(),
            source: "x.sh".into(),
            range: range.map(str::to_string),
            id: id.map(str::to_string),
            highlight: None,
        }
    }

    const SCRIPT: &str = "#!/bin/bash\n# <Create>\n  az group create \\\n    --name rg\n  # <Inner>\n  az acr create\n  # </Inner>\n# </Create>\n# <Assign>\naz role assignment create\n# </Assign>\n";

    #[test]
    fn regions_ranges_and_dedent() {
        assert_eq!(
            select(SCRIPT, &code(Some("Create"), None)),
            Ok(vec!["az group create \\", "  --name rg", "az acr create"])
        );
        assert_eq!(
            select(SCRIPT, &code(Some("assign"), None)),
            Ok(vec!["az role assignment create"])
        );
        assert_eq!(
            select(SCRIPT, &code(None, Some("1,10-"))),
            Ok(vec![
                "#!/bin/bash",
                "az role assignment create",
                "# </Assign>"
            ])
        );
        assert_eq!(
            select(SCRIPT, &code(Some("Missing"), None)),
            Err(SnippetError::NoRegion("Missing".into()))
        );
        assert_eq!(
            select(SCRIPT, &code(None, Some("40-50"))),
            Err(SnippetError::BadRange("40-50".into()))
        );
        assert_eq!(
            select(SCRIPT, &code(None, Some("two"))),
            Err(SnippetError::BadRange("two".into()))
        );
        let cs = "class A {\n    #region Snippet\n    void F() {\n        #region Inner\n        G();\n        #endregion\n    }\n    #endregion\n}\n";
        assert_eq!(
            select(cs, &code(Some("snippet"), None)),
            Ok(vec![
                "void F() {",
                "    #region Inner",
                "    G();",
                "    #endregion",
                "}"
            ])
        );
    }

    #[test]
    fn highlighted_lines_are_marked_and_text_escaped() {
        assert_eq!(
            to_html(&["a <b>", "c", "d"], "YAML", Some("2-3")),
            "<pre><code class=\"language-yaml\">a &lt;b&gt;\n<mark>c</mark>\n<mark>d</mark>\n</code></pre>\n"
        );
        assert_eq!(
            to_html(&["x"], "\"><script>", None),
            "<pre><code class=\"language-script\">x\n</code></pre>\n"
        );
    }
}
