//! What is particular to one language beyond its word lists: English and Indonesian
//! morphology today. A language's data lives in `data/`; its rules live here, one file each.

pub(crate) mod en;
pub(crate) mod id;
