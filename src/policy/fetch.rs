//! Reading a published feed from a file, standard input or an http(s) URL, for
//! `bulletin check`.

use std::fs::File;
use std::io::Read;
use std::time::Duration;

use super::feed::Feed;

/// The largest feed read unless the caller allows more, so a wrong path or URL cannot
/// exhaust memory.
pub const DEFAULT_MAX_FEED_BYTES: u64 = 256 * 1024 * 1024;

/// Why a feed could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The file could not be read.
    #[error("cannot read the feed {0}: {1}")]
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
    #[error("cannot fetch the feed {0}: {1}")]
    Http(String, Box<ureq::Error>),
    /// The text is not a bulletin feed.
    #[error("{0} is not a bulletin policy feed: {1}")]
    Json(String, serde_json::Error),
    /// The feed's major version is not one this bulletin understands.
    #[error("{0} has schema_version {1}; this bulletin reads 1.x")]
    Version(String, String),
}

/// Reads the feed at `source`, at most `max_bytes` of it: an `http://` or `https://` URL
/// (fetched with a 30-second timeout), `-` for standard input, else a regular file.
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
    let feed: Feed =
        serde_json::from_slice(&bytes).map_err(|e| FetchError::Json(source.to_string(), e))?;
    if !feed.schema_version.starts_with("1.") {
        return Err(FetchError::Version(source.to_string(), feed.schema_version));
    }
    Ok(feed)
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
