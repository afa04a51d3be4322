//! `bulletin.yaml`: the site's settings. Every key is optional.

use std::path::Path;

use serde::Deserialize;

use crate::diagnostic::{Code, Diagnostic};
use crate::routes::Routes;

/// The name of the settings file at the site root.
pub const CONFIG_FILE: &str = "bulletin.yaml";

/// Site settings, read from `bulletin.yaml`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SiteConfig {
    /// The site's name, shown in the header and the page titles.
    pub title: String,
    /// One sentence under the title on the home page.
    pub description: String,
    /// The URL path or absolute URL the site is served under, e.g. `/` or
    /// `https://example.org/advisories-site/`. Every internal link starts with it.
    pub base_url: String,
    /// The absolute URL the site is published at (e.g. `https://advisories.example/`), for
    /// what must name pages absolutely, `sitemap.xml`, when `base_url` is a path. Unset with
    /// such a `base_url`: no sitemap is written (warning B0905).
    pub site_url: Option<String>,
    /// Where the docset root (`docset_root`) is published, e.g.
    /// `https://learn.microsoft.com/entra/`: a link to a page that is not in the site goes
    /// to this prefix plus the page's path from the docset root, its extension dropped, as
    /// Learn publishes it. When unset, `vendor_site_url` plus `docset_url_path` is used.
    pub external_base_url: Option<String>,
    /// The vendor's site, for root-relative links such as `/azure/cloud-sync/overview`
    /// (e.g. `https://learn.microsoft.com`). When neither this nor `external_base_url` is
    /// set, links to pages that are not in the site are reported and shown as text.
    pub vendor_site_url: Option<String>,
    /// The path under `vendor_site_url` where the docset root is published (`/entra/` for
    /// the entra-docs repository's `docs/`). Empty: the root of the vendor's site.
    pub docset_url_path: String,
    /// The cloud that cloud-specific requirements apply to when `bulletin check` is given
    /// none (e.g. `commercial`). Unset: the strictest requirement applies.
    pub default_cloud: Option<String>,
    /// The theme folder under `themes/`; the built-in default theme when it does not exist.
    pub theme: String,
    /// The folder, relative to `content/`, that `~/` in links and includes refers to
    /// (DocFX's docset root). Defaults to `content/` itself.
    pub docset_root: String,
    /// Hosts (e.g. `www.youtube.com`) whose `https://` `<iframe>`s may stay in notice HTML,
    /// sandboxed. Empty: every iframe is removed. The theme's Content-Security-Policy must
    /// allow the same hosts in `frame-src` for the frames to load.
    pub iframe_hosts: Vec<String>,
    /// How many advisories `atom.xml` carries: the most recently changed ones. Feed readers
    /// poll the whole file again and again, so it holds what changed lately, not the archive.
    pub atom_entries: usize,
    /// Whether revisions are read from the git history of `content/` (`on`, the default;
    /// `off` reads the files alone). `--no-history` turns it off for one build.
    #[serde(deserialize_with = "on_off")]
    pub history: bool,
    /// The repository's web page (e.g. `https://github.com/MicrosoftDocs/entra-docs`): the
    /// commits of change logs link to `<repository_url>/commit/<id>`. Unset: not linked.
    pub repository_url: Option<String>,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "Advisories".to_string(),
            description: String::new(),
            base_url: "/".to_string(),
            site_url: None,
            external_base_url: None,
            vendor_site_url: None,
            docset_url_path: String::new(),
            default_cloud: None,
            theme: "default".to_string(),
            docset_root: String::new(),
            iframe_hosts: Vec::new(),
            atom_entries: 50,
            history: true,
            repository_url: None,
        }
    }
}

impl SiteConfig {
    /// The site's URLs, under `base_url`.
    pub fn routes(&self) -> Routes<'_> {
        Routes::new(&self.base_url)
    }

    /// The site's URLs as published, absolute: under `base_url` when it is absolute, else
    /// under `site_url`; `None` when neither is.
    pub fn published_routes(&self) -> Option<Routes<'_>> {
        let routes = self.routes();
        if routes.is_absolute() {
            return Some(routes);
        }
        self.site_url.as_deref().map(Routes::new)
    }

    /// The URL the docset root is published at, ending in `/`: `external_base_url`, else
    /// `vendor_site_url` plus `docset_url_path`; `None` when neither is set.
    pub fn docset_url(&self) -> Option<String> {
        if let Some(external) = &self.external_base_url {
            return Some(external.clone());
        }
        let site = self.vendor_site_url.as_deref()?.trim_end_matches('/');
        Some(match self.docset_url_path.as_str() {
            "" => format!("{site}/"),
            path => format!("{site}/{path}/"),
        })
    }

    /// Reads `bulletin.yaml` from the site root; defaults when the file does not exist.
    pub fn load(root: &Path) -> Result<SiteConfig, Diagnostic> {
        crate::yaml::read_optional(root, Path::new(CONFIG_FILE), "the settings")?
            .map_or_else(|| Ok(SiteConfig::default()), |text| Self::parse(&text))
    }

    /// Parses the text of `bulletin.yaml`.
    pub fn parse(text: &str) -> Result<SiteConfig, Diagnostic> {
        if text.trim().is_empty() {
            return Ok(SiteConfig::default());
        }
        let mut config: SiteConfig = serde_saphyr::from_str(text).map_err(|e| {
            crate::yaml::YamlFile {
                code: Code::InvalidConfig,
                path: Path::new(CONFIG_FILE),
                subject: CONFIG_FILE,
                source: text,
                offset: 0,
                expects,
            }
            .diagnostic(&e)
        })?;
        if !config.base_url.ends_with('/') {
            config.base_url.push('/');
        }
        for url in [&mut config.external_base_url, &mut config.site_url]
            .into_iter()
            .flatten()
        {
            if !url.ends_with('/') {
                url.push('/');
            }
        }
        if let Some(site_url) = &config.site_url
            && !Routes::new(site_url).is_absolute()
        {
            let diagnostic = Diagnostic::new(
                Code::InvalidConfig,
                CONFIG_FILE,
                format!("`site_url: {site_url}` is not an absolute URL"),
            )
            .with_hint("write the address the site is published at, starting with `https://` (e.g. `https://advisories.example/`)");
            let line = text
                .lines()
                .position(|l| l.trim_start().starts_with("site_url:"))
                .map(|i| i as u32 + 1);
            return Err(match line {
                Some(line) => diagnostic.at_line(line),
                None => diagnostic,
            });
        }
        config.docset_root = config.docset_root.trim_matches('/').to_string();
        if let Some(url) = config.repository_url.as_mut() {
            url.truncate(url.trim_end_matches('/').len());
        }
        config.docset_url_path = config.docset_url_path.trim_matches('/').to_string();
        // The hosts go into the pages' Content-Security-Policy, where a space or `;` would
        // add sources or whole directives.
        if let Some(bad) = config.iframe_hosts.iter().find(|h| !is_host_name(h)) {
            let diagnostic = Diagnostic::new(
                Code::InvalidConfig,
                CONFIG_FILE,
                format!("`{bad}` in `iframe_hosts` is not a host name"),
            )
            .with_hint("write host names only, such as `www.youtube.com` (no `https://`, paths or wildcards)");
            let line = text
                .lines()
                .position(|l| l.contains(bad.as_str()) && !bad.is_empty())
                .map(|i| i as u32 + 1);
            return Err(match line {
                Some(line) => diagnostic.at_source_text(text, line, bad),
                None => diagnostic,
            });
        }
        Ok(config)
    }
}

/// Reads `on`/`off` as well as `true`/`false`.
fn on_off<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    struct OnOff;
    impl serde::de::Visitor<'_> for OnOff {
        type Value = bool;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("`on` or `off`")
        }
        fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<bool, E> {
            Ok(value)
        }
        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<bool, E> {
            match value {
                "on" | "true" => Ok(true),
                "off" | "false" => Ok(false),
                other => Err(E::invalid_value(serde::de::Unexpected::Str(other), &self)),
            }
        }
    }
    deserializer.deserialize_any(OnOff)
}

/// Whether `host` is a plain host name, optionally with a port: letters, digits, `.`, `-`
/// and `:` only.
pub fn is_host_name(host: &str) -> bool {
    !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':'))
}

/// What each setting takes, for messages about a wrong value.
fn expects(key: &str) -> Option<&'static str> {
    match key {
        "title" | "description" | "theme" | "docset_root" | "docset_url_path" | "default_cloud" => {
            Some("text")
        }
        "base_url" => Some("a path such as `/` or a URL"),
        "external_base_url" | "vendor_site_url" => Some("a URL"),
        "iframe_hosts" => Some("a list of host names"),
        "atom_entries" => Some("a whole number"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_is_on_unless_turned_off() {
        assert!(SiteConfig::parse("title: x\n").expect("valid").history);
        for off in ["off", "false", "'off'"] {
            let config = SiteConfig::parse(&format!("history: {off}\n")).expect(off);
            assert!(!config.history, "{off}");
        }
        assert!(SiteConfig::parse("history: on\n").expect("on").history);
        let error = SiteConfig::parse("history: sometimes\n").expect_err("not a toggle");
        assert_eq!(error.code, Code::InvalidConfig);
        let url = SiteConfig::parse("repository_url: https://github.com/o/r/\n").expect("url");
        assert_eq!(
            url.repository_url.as_deref(),
            Some("https://github.com/o/r")
        );
    }

    #[test]
    fn iframe_hosts_must_be_host_names() {
        let ok = SiteConfig::parse("iframe_hosts: [www.youtube.com, player.vimeo.com:443]\n")
            .expect("valid");
        assert_eq!(ok.iframe_hosts.len(), 2);
        for bad in ["'*'", "\"a.com; script-src *\"", "\"\"", "https://a.com"] {
            let text = format!("title: x\niframe_hosts:\n  - ok.com\n  - {bad}\n");
            let error = SiteConfig::parse(&text).expect_err(bad);
            assert_eq!(error.code, Code::InvalidConfig, "{bad}");
            assert!(error.message.contains("iframe_hosts"), "{}", error.message);
            if bad != "\"\"" {
                assert_eq!(error.line, Some(4), "{bad}");
                let marked = error.marked().expect("the host marked");
                assert!(bad.contains(marked), "{bad}: {marked}");
            }
        }
    }

    /// What a person would type wrong, and that each message says which key, what it takes
    /// and where, in words a person uses (no parser vocabulary, no doubled prefixes).
    #[test]
    fn invalid_settings_are_explained_at_the_value() {
        let cases = [
            (
                "titel: x\n",
                "unknown key `titel`; did you mean `title`?",
                1,
                "titel",
            ),
            (
                "atom_entries: many\n",
                "`atom_entries` should be a whole number, not `many`",
                1,
                "many",
            ),
            (
                "title: x\natom_entries: -1\n",
                "`atom_entries` should be a whole number, not `-1`",
                2,
                "-1",
            ),
            (
                "title: [a, b]\n",
                "`title` should be text, not `[a, b]`",
                1,
                "[a, b]",
            ),
            (
                "iframe_hosts: www.youtube.com\n",
                "`iframe_hosts` should be a list of host names, not `www.youtube.com`",
                1,
                "www.youtube.com",
            ),
            ("title: x\ntitle: y\n", "`title` is set twice", 2, "title"),
        ];
        for (text, message, line, marked) in cases {
            let error = SiteConfig::parse(text).expect_err(text);
            assert_eq!(error.message, message, "{text}");
            assert_eq!(error.line, Some(line), "{text}");
            assert_eq!(error.marked(), Some(marked), "{text}");
        }
        let error = SiteConfig::parse("- a\n").expect_err("a list");
        assert!(!error.message.contains("error:"), "{}", error.message);
        assert!(
            !error.message.contains("mapping start"),
            "{}",
            error.message
        );
    }
}
