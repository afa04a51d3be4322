//! bulletin: a static-site generator for vendor advisories.
//!
//! The build is a pipeline that runs one way: [`load`] (walk, decode, frontmatter, identity)
//! -> [`markdown`] (DocFX extensions, links) -> [`extract`] (versions, dates, requirements) ->
//! [`reconcile`] (revisions, conflicts) -> [`policy`] (effective requirements, compliance) ->
//! [`render`] (site, feeds). [`model`] holds the vocabulary they share; [`site`] runs them.

pub mod catalog;
pub mod catalog_draft;
pub mod config;
pub mod date;
pub mod diagnostic;
pub mod extract;
pub mod init;
pub mod load;
pub mod markdown;
pub mod model;
pub mod names;
pub mod policy;
pub mod reconcile;
pub mod render;
pub mod report;
pub mod routes;
pub mod serve;
pub mod site;
pub mod slug;
pub mod version;
mod yaml;

pub use site::{BuildOptions, BuildReport, build};
