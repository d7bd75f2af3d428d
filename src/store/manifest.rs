//! The `MANIFEST`: which segments make up the index, in order, and what was deleted from
//! them, with everything an index must agree with to be opened.
//!
//! Body (little-endian; `var` is LEB128):
//!
//! ```text
//! u64 generation        one more at every save (at most 2^48)
//! u64 fingerprint       Analyzer::fingerprint of the analysis the features came from
//! u8  flags             bit 0: keep_texts
//! u64 created_at        unix seconds
//! var n, then n × (name, value)   corpus settings as text (var length + UTF-8 each)
//! u64 next_segment      number of the next segment file written (at most 2^48)
//! var n, then n × segment:
//!     u64 number        its file is seg-<number, 6+ digits>.lseg
//!     var documents
//!     u64 file length   bytes, header included
//!     u64 checksum      the checksum in the segment's header (must agree)
//!     var k, then k × (var, var)   tombstones: the index of a deleted document
//!                           (increasing: the first as is, each next one as the gap from
//!                           the one before) and its epoch, the number of segments the
//!                           index had (saved or not) when it was deleted
//! ```

use super::format::{Reader, Writer};
use super::settings::Settings;

/// The largest generation and next segment number a manifest may hold (2^48: a save a
/// microsecond for eight years).
pub(crate) const MAX_COUNTER: u64 = 1 << 48;

/// One segment as the manifest lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SegmentEntry {
    pub(crate) number: u64,
    pub(crate) docs: u32,
    pub(crate) file_len: u64,
    pub(crate) checksum: u64,
    /// Indexes of deleted documents, increasing.
    pub(crate) deleted: Vec<u32>,
    /// For each of `deleted`, the segments there were when it was deleted: a fast open
    /// replays the deletion once it has restored that many segments' parts.
    pub(crate) epochs: Vec<u32>,
}

impl SegmentEntry {
    pub(crate) fn file_name(&self) -> String {
        segment_file_name(self.number)
    }

    /// Documents not deleted.
    pub(crate) fn live(&self) -> u32 {
        self.docs - self.deleted.len() as u32
    }
}

pub(crate) fn segment_file_name(number: u64) -> String {
    format!("seg-{number:06}.lseg")
}

/// The manifest's contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Manifest {
    pub(crate) generation: u64,
    pub(crate) fingerprint: u64,
    pub(crate) keep_texts: bool,
    pub(crate) created_at: u64,
    pub(crate) settings: Settings,
    pub(crate) next_segment: u64,
    pub(crate) segments: Vec<SegmentEntry>,
}

impl Manifest {
    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.u64(self.generation);
        w.u64(self.fingerprint);
        w.u8(u8::from(self.keep_texts));
        w.u64(self.created_at);
        w.var(self.settings.len() as u64);
        for (name, value) in &self.settings {
            w.bytes(name.as_bytes());
            w.bytes(value.as_bytes());
        }
        w.u64(self.next_segment);
        w.var(self.segments.len() as u64);
        for s in &self.segments {
            w.u64(s.number);
            w.var(u64::from(s.docs));
            w.u64(s.file_len);
            w.u64(s.checksum);
            w.var(s.deleted.len() as u64);
            let mut prev = None;
            for (&d, &e) in s.deleted.iter().zip(&s.epochs) {
                w.var(u64::from(prev.map_or(d, |p: u32| d - p)));
                w.var(u64::from(e));
                prev = Some(d);
            }
        }
        w.buf
    }

    /// Decodes a manifest body; `Err` says what is damaged. The generation and the next
    /// segment number each grow by one a save, so a value past [`MAX_COUNTER`] is damage (and
    /// the next save could not add to it).
    pub(crate) fn decode(body: &[u8]) -> Result<Manifest, String> {
        let mut r = Reader::new(body, "manifest");
        let generation = r.u64()?;
        let fingerprint = r.u64()?;
        let flags = r.u8()?;
        if flags > 1 {
            return Err(r.fail(format!("unknown flags {flags:#x}")));
        }
        let created_at = r.u64()?;
        let n = r.count(2)?;
        let mut settings = Vec::with_capacity(n);
        for _ in 0..n {
            settings.push((r.str()?.to_string(), r.str()?.to_string()));
        }
        let next_segment = r.u64()?;
        for (what, v) in [
            ("generation", generation),
            ("next segment number", next_segment),
        ] {
            if v > MAX_COUNTER {
                return Err(r.fail(format!(
                    "{what} {v} beyond 2^48, which no index saves often enough to reach"
                )));
            }
        }
        let n = r.count(26)?;
        let mut segments: Vec<SegmentEntry> = Vec::with_capacity(n);
        for position in 0..n {
            let number = r.u64()?;
            if number >= next_segment || segments.last().is_some_and(|s| s.number >= number) {
                return Err(r.fail(format!(
                    "segment number {number} out of order (next is {next_segment})"
                )));
            }
            let docs = u32::try_from(r.var()?).map_err(|_| r.fail("segment too large"))?;
            let file_len = r.u64()?;
            let checksum = r.u64()?;
            let k = r.len(docs as usize)?;
            let mut deleted = Vec::with_capacity(k);
            let mut epochs = Vec::with_capacity(k);
            let mut prev: Option<u64> = None;
            for _ in 0..k {
                let v = r.var()?;
                let d = match prev {
                    None => v,
                    Some(_) if v == 0 => return Err(r.fail("tombstones not increasing")),
                    Some(p) => p.saturating_add(v),
                };
                if d >= u64::from(docs) {
                    return Err(r.fail(format!(
                        "tombstone {d} beyond the segment's {docs} documents"
                    )));
                }
                let e = r.var()?;
                if e <= position as u64 || e > n as u64 {
                    return Err(r.fail(format!("tombstone epoch {e} of segment {position} of {n}")));
                }
                deleted.push(d as u32);
                epochs.push(e as u32);
                prev = Some(d);
            }
            segments.push(SegmentEntry {
                number,
                docs,
                file_len,
                checksum,
                deleted,
                epochs,
            });
        }
        if !r.is_empty() {
            return Err(r.fail("bytes after the last segment"));
        }
        Ok(Manifest {
            generation,
            fingerprint,
            keep_texts: flags & 1 != 0,
            created_at,
            settings,
            next_segment,
            segments,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_round_trips() {
        let m = Manifest {
            generation: 7,
            fingerprint: 0xdead_beef,
            keep_texts: true,
            created_at: 1_700_000_000,
            settings: vec![("threshold".into(), "0.14".into())],
            next_segment: 12,
            segments: vec![
                SegmentEntry {
                    number: 3,
                    docs: 10,
                    file_len: 999,
                    checksum: 42,
                    deleted: vec![0, 4, 9],
                    epochs: vec![1, 2, 2],
                },
                SegmentEntry {
                    number: 11,
                    docs: 1,
                    file_len: 80,
                    checksum: 1,
                    deleted: vec![],
                    epochs: vec![],
                },
            ],
        };
        let body = m.encode();
        assert_eq!(Manifest::decode(&body).unwrap(), m);
        for n in 0..body.len() {
            assert!(Manifest::decode(&body[..n]).is_err(), "cut at {n}");
        }
        let mut bad = m.clone();
        bad.segments[0].deleted = vec![10];
        bad.segments[0].epochs = vec![1];
        assert!(Manifest::decode(&bad.encode()).is_err());
        let mut bad = m.clone();
        bad.segments[0].epochs = vec![1, 2, 3];
        assert!(
            Manifest::decode(&bad.encode()).is_err(),
            "an epoch beyond the segments"
        );
        // Counters no save could add one to (found by fuzz/fuzz_targets/index_open.rs: a
        // compaction of such an index overflowed).
        let mut at_max = m.clone();
        at_max.next_segment = MAX_COUNTER;
        at_max.generation = MAX_COUNTER;
        assert_eq!(Manifest::decode(&at_max.encode()).unwrap(), at_max);
        for bad in [
            Manifest {
                next_segment: u64::MAX,
                ..m.clone()
            },
            Manifest {
                generation: MAX_COUNTER + 1,
                ..m.clone()
            },
        ] {
            let e = Manifest::decode(&bad.encode()).unwrap_err();
            assert!(e.contains("beyond 2^48"), "{e}");
        }
        let mut bad = m;
        bad.segments[1].deleted = vec![0];
        bad.segments[1].epochs = vec![1];
        assert!(
            Manifest::decode(&bad.encode()).is_err(),
            "deleted before it was added"
        );
        bad.segments[1].epochs = vec![2];
        bad.segments.swap(0, 1);
        assert!(Manifest::decode(&bad.encode()).is_err());
    }
}
