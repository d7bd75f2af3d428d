//! Opening a persistent index from damaged files (`lintas::Index`).
//!
//! The input is a whole index directory: records of `[u8 file][u16 LE length][bytes]`, file 0
//! the `MANIFEST` and file n `seg-00000n.lseg` (a later record for the same file replaces
//! it), written to an empty directory that is then opened. Seeds are real indexes written by
//! `dedup --index` (`python3 fuzz/make_seeds.py`).
//!
//! A fuzz build (`--cfg fuzzing`, which cargo-fuzz sets) takes any file checksum, and the target
//! writes each file's body length into its header, so that mutations reach the decoders rather
//! than stopping at the framing (whose checks `src/store/format.rs`'s tests cover).
//!
//! Opening must give an index or an error, never a panic. An index that opens must answer its
//! pairs, a query and its memory report; a writer on it must take one more document and save
//! it, and after `compact` the index must open again with the same documents and the same
//! pairs as the writer had; one that keeps its texts is then rebuilt and opened again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lintas::{Analyzer, Date, Document, Index};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// Bytes of the framing header; the body length is at 16..24.
const HEADER_LEN: usize = 32;

fn analyzer() -> Arc<Analyzer> {
    static A: OnceLock<Arc<Analyzer>> = OnceLock::new();
    A.get_or_init(|| Arc::new(Analyzer::new())).clone()
}

/// This process's scratch directory (in memory where the system has one).
fn scratch() -> PathBuf {
    let base = Path::new("/dev/shm");
    let base = if base.is_dir() {
        base.to_path_buf()
    } else {
        std::env::temp_dir()
    };
    base.join(format!("lintas-fuzz-index-{}", std::process::id()))
}

/// The files an input describes, by name.
fn files(mut data: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    while data.len() >= 3 {
        let name = match data[0] {
            0 => "MANIFEST".to_string(),
            n => format!("seg-{n:06}.lseg"),
        };
        let len = usize::from(u16::from_le_bytes([data[1], data[2]]));
        let end = (3 + len).min(data.len());
        let mut bytes = data[3..end].to_vec();
        data = &data[end..];
        if bytes.len() >= HEADER_LEN {
            let body = (bytes.len() - HEADER_LEN) as u64;
            bytes[16..24].copy_from_slice(&body.to_le_bytes());
        }
        out.retain(|(n, _)| *n != name);
        out.push((name, bytes));
    }
    out
}

/// Every pair's ids and score, in a stable order.
fn pairs(index: &Index) -> Vec<(String, String, u64)> {
    let mut v: Vec<_> = index
        .corpus()
        .pairs()
        .iter()
        .map(|m| (m.a.to_string(), m.b.to_string(), m.score.to_bits()))
        .collect();
    v.sort();
    v
}

fuzz_target!(|data: &[u8]| {
    let dir = scratch();
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch directory");
    for (name, bytes) in files(data) {
        std::fs::write(dir.join(name), bytes).expect("scratch file");
    }
    if let Ok(index) = Index::open_read_only(&dir, analyzer()) {
        let before = pairs(&index);
        let _ = index.query(
            Some("Floods in Semarang"),
            "Floods kill eight in Semarang on Monday.",
        );
        let report = index.memory_report();
        let _ = format!("{report:?}");
        let n = index.len();
        drop(index);
        // A writer on what opened: one more document (dated, with a title), saved; then
        // compaction rewrites every live document into one segment, which must open again
        // with the writer's documents and pairs.
        if let Ok(mut index) = Index::open(&dir, analyzer()) {
            assert_eq!(index.len(), n, "a writer sees what a reader saw");
            assert_eq!(pairs(&index), before, "a writer finds what a reader found");
            let new = Document::new(
                "fuzz:new",
                "Flash floods killed eight people in Semarang on Monday.",
            )
            .with_title("Floods kill eight in Semarang")
            .with_published(Date::parse("2026-02-02").expect("a date"));
            let added = index.add_batch(vec![new]).is_ok();
            assert_eq!(index.len(), n + usize::from(added));
            if index.save().is_ok() {
                let before = pairs(&index);
                let n = index.len();
                if index.compact().is_ok() {
                    drop(index);
                    let again =
                        Index::open_read_only(&dir, analyzer()).expect("a compacted index opens");
                    assert_eq!(again.len(), n, "compaction keeps every live document");
                    assert_eq!(pairs(&again), before, "compaction keeps every pair");
                    // An index that keeps its texts can be re-analysed: same documents, and
                    // what the rebuild found is what opens.
                    if again.keeps_texts() {
                        drop(again);
                        if let Ok(rebuilt) = Index::rebuild(&dir, analyzer()) {
                            assert_eq!(rebuilt.len(), n, "a rebuild keeps every live document");
                            let found = pairs(&rebuilt);
                            drop(rebuilt);
                            let again = Index::open_read_only(&dir, analyzer())
                                .expect("a rebuilt index opens");
                            assert_eq!((again.len(), pairs(&again)), (n, found));
                        }
                    }
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
});
