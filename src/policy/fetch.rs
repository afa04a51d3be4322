//! Reading a published feed from a file or an http(s) URL, for `bulletin check`.

use std::time::Duration;

use super::feed::Feed;

/// The largest feed accepted over the network, so a wrong URL cannot exhaust memory.
const MAX_FEED_BYTES: u64 = 256 * 1024 * 1024;

/// Why a feed could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The file could not be read.
    #[error("cannot read the feed {0}: {1}")]
    Io(String, std::io::Error),
    /// The URL could not be fetched.
    #[error("cannot fetch the feed {0}: {1}")]
    Http(String, Box<ureq::Error>),
    /// The text is not a bulletin feed.
    #[error("{0} is not a bulletin policy feed: {1}")]
    Json(String, serde_json::Error),
    /// The feed's major version is not one this bulletin understands.
    #[error("{0} has schema_version {1}; this bulletin reads 1.x")]
    Version(String, String),
}

/// Reads the feed at `source`: an `http://` or `https://` URL (fetched with a 30-second
/// timeout), else a file path.
pub fn fetch(source: &str) -> Result<Feed, FetchError> {
    let text = if source.starts_with("http://") || source.starts_with("https://") {
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
                    .limit(MAX_FEED_BYTES)
                    .read_to_string()
            })
            .map_err(|e| FetchError::Http(source.to_string(), Box::new(e)))?
    } else {
        std::fs::read_to_string(source).map_err(|e| FetchError::Io(source.to_string(), e))?
    };
    let feed: Feed =
        serde_json::from_str(&text).map_err(|e| FetchError::Json(source.to_string(), e))?;
    if !feed.schema_version.starts_with("1.") {
        return Err(FetchError::Version(source.to_string(), feed.schema_version));
    }
    Ok(feed)
}
