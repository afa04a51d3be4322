//! Reading a published feed from a file, standard input or an http(s) URL, for
//! `bulletin check`.

use std::fs::File;
use std::io::Read;
use std::time::Duration;

use serde::Deserialize;

use super::feed::{Feed, FeedCommit, FeedProduct};
use crate::diagnostic::io_reason;

/// The largest feed read unless the caller allows more, so a wrong path or URL cannot
/// exhaust memory.
pub const DEFAULT_MAX_FEED_BYTES: u64 = 256 * 1024 * 1024;

/// Why a feed could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The file could not be read.
    #[error("cannot read the feed {0}: {reason}", reason = io_reason(.1))]
    Io(String, std::io::Error),
    /// A FIFO, device, socket or folder: reading it could block forever or never end.
    #[error(
        "cannot read the feed {0}: it is not a regular file (give a file, a URL, or - for standard input)"
    )]
    NotAFile(String),
    /// More bytes than allowed.
    #[error(
        "the feed {feed} is larger than {} MiB; allow more with --max-feed-mib",
        .max_bytes.div_ceil(1024 * 1024)
    )]
    TooLarge {
        /// The feed as given.
        feed: String,
        /// The limit.
        max_bytes: u64,
    },
    /// The URL could not be fetched.
    #[error("cannot fetch the feed {0}: {reason}", reason = http_reason(.1))]
    Http(String, Box<ureq::Error>),
    /// The text is not JSON, or not JSON shaped as a feed.
    #[error("{0} is not a bulletin policy feed: {reason}", reason = json_reason(.1))]
    Json(String, serde_json::Error),
    /// The JSON has neither a site feed's `products` nor a product feed's `product`.
    #[error(
        "{0} is not a bulletin policy feed: it has neither `products` (a site's policy.json) nor `product` (a product's products/<id>/policy.json)"
    )]
    NoProducts(String),
    /// The feed's major version is not one this bulletin understands.
    #[error(
        "{0} has schema_version {1}; this bulletin reads a site's policy.json 1.x and a product's policy.json 1.x or 2.x"
    )]
    Version(String, String),
}

/// Reads the feed at `source`, at most `max_bytes` of it: an `http://` or `https://` URL
/// (fetched with a 30-second timeout), `-` for standard input, else a regular file. A
/// product's feed gives its one product and no advisories, since `check` reads products.
pub fn fetch(source: &str, max_bytes: u64) -> Result<Feed, FetchError> {
    let bytes = if source.starts_with("http://") || source.starts_with("https://") {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(30)))
            .timeout_connect(Some(Duration::from_secs(10)))
            .build()
            .into();
        agent
            .get(source)
            .call()
            .and_then(|mut response| {
                response
                    .body_mut()
                    .with_config()
                    .limit(max_bytes)
                    .read_to_vec()
            })
            .map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(_) => FetchError::TooLarge {
                    feed: source.to_string(),
                    max_bytes,
                },
                e => FetchError::Http(source.to_string(), Box::new(e)),
            })?
    } else if source == "-" {
        read_capped(std::io::stdin().lock(), source, max_bytes)?
    } else {
        read_capped(open_regular(source, max_bytes)?, source, max_bytes)?
    };
    let published: Published =
        serde_json::from_slice(&bytes).map_err(|e| FetchError::Json(source.to_string(), e))?;
    let major = major(&published.schema_version);
    let (products, advisories) = match (published.products, published.product) {
        (Some(products), _) if major == Some(1) => {
            let advisories = serde_json::from_value(published.advisories)
                .map_err(|e| FetchError::Json(source.to_string(), e))?;
            (products, advisories)
        }
        // The answer needs only the product; its advisories (summaries since 2.0.0) are not read.
        (None, Some(product)) if matches!(major, Some(1 | 2)) => (vec![product], Vec::new()),
        (None, None) => return Err(FetchError::NoProducts(source.to_string())),
        _ => {
            return Err(FetchError::Version(
                source.to_string(),
                published.schema_version,
            ));
        }
    };
    Ok(Feed {
        schema_version: published.schema_version,
        generated_at: published.generated_at,
        default_cloud: published.default_cloud,
        products,
        advisories,
        history_head: published.history_head,
        history_since: published.history_since,
    })
}

/// The major part of a semver version.
fn major(version: &str) -> Option<u64> {
    version.split('.').next()?.parse().ok()
}

/// A feed as published: the site's `policy.json` (every product and advisory, schema 1.x) or
/// a product's own `products/<id>/policy.json` (one product and summaries of the advisories it
/// cites, schema 2.x), which is what a fleet script watching one product fetches. Both answer
/// the same questions about their products.
#[derive(Deserialize)]
struct Published {
    schema_version: String,
    generated_at: String,
    #[serde(default)]
    default_cloud: Option<String>,
    #[serde(default)]
    products: Option<Vec<FeedProduct>>,
    #[serde(default)]
    product: Option<FeedProduct>,
    /// Read as advisories once the kind of feed is known.
    #[serde(default)]
    advisories: serde_json::Value,
    #[serde(default)]
    history_head: Option<FeedCommit>,
    #[serde(default)]
    history_since: Option<FeedCommit>,
}

/// Why a URL could not be fetched, in words.
fn http_reason(error: &ureq::Error) -> String {
    match error {
        ureq::Error::StatusCode(status) => format!("the server answered HTTP {status}"),
        ureq::Error::Timeout(_) => "no answer in time (30 seconds)".to_string(),
        ureq::Error::HostNotFound => "the host name is not known".to_string(),
        ureq::Error::ConnectionFailed => "the connection failed".to_string(),
        ureq::Error::TooManyRedirects => "too many redirects".to_string(),
        ureq::Error::BadUri(uri) => format!("`{uri}` is not a URL"),
        ureq::Error::Io(e) => io_reason(e),
        other => other.to_string(),
    }
}

/// Why JSON is not a feed, in words, with the line and column.
fn json_reason(error: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let (line, column) = (error.line(), error.column());
    match error.classify() {
        Category::Eof => format!("the JSON ends early (line {line})"),
        Category::Syntax => format!("it is not valid JSON (line {line}, column {column})"),
        Category::Io => error.to_string(),
        Category::Data => {
            // serde's sentence, without the location it appends.
            let said = error.to_string();
            let said = said
                .rsplit_once(" at line ")
                .map_or(said.as_str(), |(sentence, _)| sentence);
            let said = match said.strip_prefix("missing field ") {
                Some(field) => format!("{field} is missing"),
                None => said.replacen("invalid type: ", "a value of the wrong type: ", 1),
            };
            format!("{said} (line {line}, column {column})")
        }
    }
}

/// Opens `path` if it is a regular file (a link to one is fine) of at most `max_bytes`. The
/// type is checked before opening, since opening a FIFO waits for a writer, and again on
/// what was opened.
fn open_regular(path: &str, max_bytes: u64) -> Result<File, FetchError> {
    let io_error = |e| FetchError::Io(path.to_string(), e);
    if !std::fs::metadata(path).map_err(io_error)?.is_file() {
        return Err(FetchError::NotAFile(path.to_string()));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        // Should a FIFO be swapped in after the check, opening it must still not wait.
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let file = options.open(path).map_err(io_error)?;
    let metadata = file.metadata().map_err(io_error)?;
    if !metadata.is_file() {
        return Err(FetchError::NotAFile(path.to_string()));
    }
    if metadata.len() > max_bytes {
        return Err(FetchError::TooLarge {
            feed: path.to_string(),
            max_bytes,
        });
    }
    Ok(file)
}

/// Reads all of `reader`, failing once it gives more than `max_bytes`.
fn read_capped(reader: impl Read, source: &str, max_bytes: u64) -> Result<Vec<u8>, FetchError> {
    let mut bytes = Vec::new();
    reader
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| FetchError::Io(source.to_string(), e))?;
    if bytes.len() as u64 > max_bytes {
        return Err(FetchError::TooLarge {
            feed: source.to_string(),
            max_bytes,
        });
    }
    Ok(bytes)
}
