//! Themes: tera templates plus static files, from `themes/<name>/` or built into the binary.

use std::hash::{Hash, Hasher};
use std::path::Path;

use include_dir::{Dir, include_dir};
use tera::Tera;
use walkdir::WalkDir;

use crate::diagnostic::{Code, Diagnostic};

/// The default theme, compiled in so `bulletin build` works in a site with no `themes/`.
static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// The templates every theme must provide.
pub const REQUIRED_TEMPLATES: &[&str] = &[
    "index.html",
    "advisories.html",
    "advisory.html",
    "product.html",
    "products.html",
    "timeline.html",
    "search.html",
    "404.html",
];

/// A loaded theme: compiled templates and the static files to copy to `static/`.
pub struct Theme {
    /// The compiled templates, autoescaping `.html`.
    pub tera: Tera,
    /// Files under the theme's `static/`, by path relative to it.
    pub static_files: Vec<(String, Vec<u8>)>,
    /// A hash of the templates' sources: pages made with other templates differ.
    pub fingerprint: u64,
}

impl Theme {
    /// Loads theme `name` from `root/themes/<name>/`, or the built-in default theme when that
    /// folder does not exist and `name` is `default`.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Diagnostic> {
        let folder = root.join("themes").join(name);
        let (templates, static_files) = if folder.is_dir() {
            (
                read_tree(&folder.join("templates"))?,
                read_tree(&folder.join("static"))?,
            )
        } else if name == "default" {
            (embedded("templates"), embedded("static"))
        } else {
            return Err(Diagnostic::new(
                Code::Template,
                Path::new("themes").join(name),
                format!("the theme `{name}` set in bulletin.yaml does not exist"),
            ));
        };
        let mut tera = Tera::new();
        let sources: Vec<(String, String)> = templates
            .into_iter()
            .filter(|(name, _)| name.ends_with(".html") || name.ends_with(".xml"))
            .map(|(name, bytes)| (name, String::from_utf8_lossy(&bytes).into_owned()))
            .collect();
        let mut hasher = std::hash::DefaultHasher::new();
        sources.hash(&mut hasher);
        let fingerprint = hasher.finish();
        tera.add_raw_templates(sources).map_err(|e| {
            Diagnostic::new(
                Code::Template,
                Path::new("themes").join(name).join("templates"),
                e.to_string(),
            )
        })?;
        for required in REQUIRED_TEMPLATES {
            if !tera.contains_template(required) {
                return Err(Diagnostic::new(
                    Code::Template,
                    Path::new("themes").join(name).join("templates"),
                    format!("the theme has no `{required}` template"),
                ));
            }
        }
        Ok(Theme {
            tera,
            static_files,
            fingerprint,
        })
    }
}

fn embedded(folder: &str) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack: Vec<&Dir<'static>> = DEFAULT_THEME.get_dir(folder).into_iter().collect();
    while let Some(dir) = stack.pop() {
        stack.extend(dir.dirs());
        for file in dir.files() {
            if let Ok(relative) = file.path().strip_prefix(folder) {
                files.push((
                    relative.to_string_lossy().replace('\\', "/"),
                    file.contents().to_vec(),
                ));
            }
        }
    }
    files.sort();
    files
}

fn read_tree(folder: &Path) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    let mut files = Vec::new();
    if !folder.is_dir() {
        return Ok(files);
    }
    for entry in WalkDir::new(folder).sort_by_file_name() {
        let entry = entry.map_err(|e| Diagnostic::new(Code::Template, folder, e.to_string()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let bytes = std::fs::read(entry.path())
            .map_err(|e| Diagnostic::new(Code::Template, entry.path(), e.to_string()))?;
        let relative = entry.path().strip_prefix(folder).unwrap_or(entry.path());
        files.push((relative.to_string_lossy().replace('\\', "/"), bytes));
    }
    Ok(files)
}
