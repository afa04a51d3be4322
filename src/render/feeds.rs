//! Writing the policy feeds: `policy.json`, its schemas, and each product's own feed.
//!
//! `policy.json` holds every advisory whole, and runs to hundreds of megabytes on a large
//! site, so each advisory is serialised on its own (in parallel) and the file is streamed to
//! disk. A product's feed holds only summaries of its advisories. The bytes are exactly what
//! serde_json makes of [`Feed`] and [`feed::ProductFeed`] (a test holds them to it), so the
//! published schemas describe them. Feeds are compact, one line: they are read by scripts,
//! and indentation made a third of their bytes (`jq .` shows them indented).

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

use rayon::prelude::*;
use serde::Serialize;
use serde_json::value::RawValue;

use crate::policy::{
    self,
    feed::{self, Feed, FeedAdvisory, FeedProduct},
};
use crate::render::output::{OutputError, Staging, value_key};
use crate::routes::Routes;

/// [`Feed`] with each advisory already formatted.
#[derive(Serialize)]
struct FeedFile<'a> {
    schema_version: &'a str,
    generated_at: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    default_cloud: Option<&'a str>,
    products: &'a [FeedProduct],
    advisories: Vec<&'a RawValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    history_head: Option<&'a feed::FeedCommit>,
    #[serde(skip_serializing_if = "Option::is_none")]
    history_since: Option<&'a feed::FeedCommit>,
}

/// Each advisory as compact JSON, ready to splice into the feed's `advisories` array.
fn formatted(feed: &Feed) -> io::Result<HashMap<&str, Box<RawValue>>> {
    feed.advisories
        .par_iter()
        .map(|advisory| {
            let json = serde_json::to_string(advisory)?;
            Ok((advisory.id.as_str(), RawValue::from_string(json)?))
        })
        .collect()
}

/// Writes `policy.json`, `policy.schema.json`, `products/policy.schema.json` and
/// `products/<id>/policy.json`; `cited` lists each product's advisories.
pub fn write(
    feed: &Feed,
    cited: &BTreeMap<&str, Vec<&FeedAdvisory>>,
    out: &Staging,
) -> Result<(), OutputError> {
    let io_error = |source: io::Error| OutputError::Io {
        path: out.output().join(Routes::FEED),
        source,
    };
    // In place (`serve`), a feed is keyed by the value it is made from, so an edit that
    // changes no fact costs no serialising: at 10,000 notices `policy.json` alone is tens of
    // megabytes of JSON.
    if let Some(slot) = out.claim_keyed(Routes::FEED, out.is_keyed().then(|| value_key(feed)))? {
        let advisories = formatted(feed).map_err(io_error)?;
        let whole = FeedFile {
            schema_version: &feed.schema_version,
            generated_at: &feed.generated_at,
            default_cloud: feed.default_cloud.as_deref(),
            products: &feed.products,
            advisories: feed
                .advisories
                .iter()
                .filter_map(|a| advisories.get(a.id.as_str()).map(AsRef::as_ref))
                .collect(),
            history_head: feed.history_head.as_ref(),
            history_since: feed.history_since.as_ref(),
        };
        out.fill_with(slot, |w| compact_json(w, &whole))?;
    }
    out.write(Routes::FEED_SCHEMA, feed::schema().as_bytes())?;
    out.write(
        Routes::PRODUCT_FEED_SCHEMA,
        feed::product_schema().as_bytes(),
    )?;
    feed.products.par_iter().try_for_each(|product| {
        let path = Routes::product_feed(&product.id);
        let cited: Vec<&FeedAdvisory> = cited
            .get(product.id.as_str())
            .into_iter()
            .flatten()
            .copied()
            .collect();
        let product_feed = policy::product_feed(feed, product, &cited);
        let key = out.is_keyed().then(|| value_key(&product_feed));
        let Some(slot) = out.claim_keyed(&path, key)? else {
            return Ok(());
        };
        let mut bytes = Vec::new();
        compact_json(&mut bytes, &product_feed).map_err(|source| OutputError::Io {
            path: out.output().join(&path),
            source,
        })?;
        out.fill(slot, &bytes)
    })
}

/// Compact JSON with a final newline. serde_json escapes everything JSON requires, so no
/// notice text can break out of a string.
fn compact_json<T: Serialize>(w: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *w, value)?;
    w.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy;
    use crate::render::output::OutputLock;

    /// A feed with an advisory naming two products, a cloud default and text that needs
    /// escaping, built by the real pipeline from a small site.
    fn sample_feed() -> Feed {
        let dir = tempfile::tempdir().expect("temp dir");
        let content = dir.path().join("content");
        std::fs::create_dir_all(&content).expect("mkdir");
        std::fs::write(
            dir.path().join("bulletin.yaml"),
            "default_cloud: commercial\n",
        )
        .expect("write");
        std::fs::write(
            content.join("upgrade.md"),
            "---\ntitle: \"Upgrade \\\"now\\\"\"\nms.date: 2024-08-01\n---\n\n# Upgrade\n\n\
             Upgrade by September 23, 2024.\n\n\
             - Contoso Agent: version 1.2.3 or higher\n\
             - Fabrikam Sync <b>tool</b>: version 4.5 or higher\n",
        )
        .expect("write");
        let mut diagnostics = Vec::new();
        crate::site::analyse(
            &crate::site::BuildOptions {
                root: dir.path().to_path_buf(),
                ..Default::default()
            },
            &mut diagnostics,
        )
        .expect("analysis")
        .feed
    }

    fn expected<T: Serialize>(value: &T) -> String {
        serde_json::to_string(value).expect("serialise") + "\n"
    }

    fn read(dir: &std::path::Path, path: &str) -> String {
        std::fs::read_to_string(dir.join(path)).expect("written")
    }

    #[test]
    fn files_are_what_serde_makes_of_the_feed_types() {
        let feed = sample_feed();
        assert!(feed.products.len() >= 2, "{:?}", feed.products);
        let dir = tempfile::tempdir().expect("temp dir");
        let output = dir.path().join("public");
        let lock = OutputLock::acquire(&output).expect("lock");
        let out = Staging::begin(&output, &lock).expect("begin");
        let cited = policy::advisories_by_product(&feed);
        write(&feed, &cited, &out).expect("write");
        out.commit().expect("commit");

        assert_eq!(read(&output, "policy.json"), expected(&feed));
        for product in &feed.products {
            let advisories = cited.get(product.id.as_str()).cloned().unwrap_or_default();
            assert!(!advisories.is_empty());
            let product_feed = policy::product_feed(&feed, product, &advisories);
            assert_eq!(
                read(&output, &format!("products/{}/policy.json", product.id)),
                expected(&product_feed)
            );
        }
    }
}
