//! lintas: cross-language near-duplicate detection for news.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod error;
pub mod sketch;

pub use error::{Error, Result};
pub use sketch::FeatureKind;
