//! The HTML bulletin writes for DocFX directives: images, tab groups, zones and the pivot
//! selector. Everything here is escaped; the theme's `docfx.js` makes tabs and pivots
//! interactive, and without it (or in print) every tab and zone is shown, labelled.

use pulldown_cmark_escape::{escape_href, escape_html};

use super::docfx::Image;
use crate::model::PivotGroup;

fn html_text(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    // Writing to a String cannot fail.
    let _ = escape_html(&mut escaped, text);
    escaped
}

fn href(url: &str) -> String {
    let mut escaped = String::with_capacity(url.len());
    // Writing to a String cannot fail.
    let _ = escape_href(&mut escaped, url);
    html_text(&escaped)
}

/// Keeps what an id or class may hold: letters, digits, `-` and `_`.
pub fn token(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// An `<img>` for an image directive, in a link to `target` when it has one (its lightbox
/// or `link`).
pub fn image(image: &Image, src: &str, target: Option<&str>) -> String {
    let alt = if image.kind == "icon" && image.alt.is_empty() {
        String::new()
    } else {
        html_text(&image.alt)
    };
    let img = format!("<img src=\"{}\" alt=\"{alt}\" loading=\"lazy\">", href(src));
    match target {
        Some(target) => format!("<a href=\"{}\">{img}</a>", href(target)),
        None => img,
    }
}

/// A paragraph holding a content or icon image.
pub fn image_block(image: &Image, src: &str, target: Option<&str>) -> String {
    let class = match (image.kind.as_str(), image.border) {
        ("icon", _) => "docfx-image image-icon",
        (_, true) => "docfx-image image-border",
        (_, false) => "docfx-image",
    };
    format!(
        "<p class=\"{class}\">{}</p>\n",
        self::image(image, src, target)
    )
}

/// Opens a complex image: the image, then its long description in a disclosure.
pub fn complex_image_open(image: &Image, src: &str, target: Option<&str>) -> String {
    format!(
        "<figure class=\"docfx-image image-complex\">{}<details><summary>Description of the image</summary>\n",
        self::image(image, src, target)
    )
}

/// Opens a tab group.
pub const TAB_GROUP_OPEN: &str = "<div class=\"tabs\">\n";

/// Opens a tab's panel, labelled. `group` numbers the group on its page.
pub fn tab_panel_open(group: usize, id: &str, condition: Option<&str>, label: &str) -> String {
    let element_id = match condition {
        Some(condition) => format!("tabpanel-{group}-{}-{}", token(id), token(condition)),
        None => format!("tabpanel-{group}-{}", token(id)),
    };
    let condition = condition
        .map(|c| format!(" data-condition=\"{}\"", html_text(c)))
        .unwrap_or_default();
    format!(
        "<div class=\"tab-panel\" id=\"{element_id}\" data-tab=\"{}\"{condition}><p class=\"tab-label\">{}</p>\n",
        html_text(id),
        html_text(label)
    )
}

/// Opens a zone shown for `pivots`, labelled with their titles.
pub fn zone_open(pivots: &[String], titles: &[String]) -> String {
    let ids: Vec<String> = pivots.iter().map(|p| token(p)).collect();
    format!(
        "<div class=\"zone\" data-pivot=\"{}\"><p class=\"zone-label\">{}</p>\n",
        ids.join(" "),
        html_text(&titles.join(", "))
    )
}

/// The selector of a page's zones: one `<select>` per pivot group, hidden until the script
/// shows it.
pub fn pivot_selector(groups: &[PivotGroup]) -> String {
    let mut html = String::from("<div class=\"pivot-selector\" hidden>\n");
    for (n, group) in groups.iter().enumerate() {
        let id = format!("pivot-select-{}", n + 1);
        html.push_str(&format!(
            "<label for=\"{id}\">{}</label> <select id=\"{id}\" class=\"pivot-select\">",
            html_text(if group.prompt.is_empty() {
                &group.title
            } else {
                &group.prompt
            })
        ));
        for pivot in &group.pivots {
            html.push_str(&format!(
                "<option value=\"{}\">{}</option>",
                token(&pivot.id),
                html_text(&pivot.title)
            ));
        }
        html.push_str("</select>\n");
    }
    html.push_str("</div>\n");
    html
}
