//! The byte level shared by `MANIFEST` and segment files: the 32-byte header with its
//! checksum, little-endian integers, LEB128 varints, length-prefixed strings and tagged
//! sections. Every read is bounds-checked and fails with [`Error::IndexCorrupt`].

use crate::{Error, Result};
use xxhash_rust::xxh3::Xxh3;

/// The format version this code writes and reads (header bytes 8..12).
pub(crate) const FORMAT_VERSION: u32 = 2;
/// Magic of a `MANIFEST` file.
pub(crate) const MANIFEST_MAGIC: [u8; 8] = *b"LNTSMANI";
/// Magic of a segment file.
pub(crate) const SEGMENT_MAGIC: [u8; 8] = *b"LNTSSEGM";
/// Bytes before a file's body.
pub(crate) const HEADER_LEN: usize = 32;
/// Seed of the file checksum (`"lintas-s"` read as a little-endian `u64`).
const CHECKSUM_SEED: u64 = u64::from_le_bytes(*b"lintas-s");

/// XXH3-64 of header bytes 8..24 (version, flags, body length) followed by the body.
fn checksum(meta: &[u8], body: &[u8]) -> u64 {
    let mut h = Xxh3::with_seed(CHECKSUM_SEED);
    h.update(meta);
    h.update(body);
    h.digest()
}

/// The header of a file whose body is `body`: magic, format version, flags (0), body
/// length, checksum.
pub(crate) fn header(magic: [u8; 8], body: &[u8]) -> [u8; HEADER_LEN] {
    let mut h = [0u8; HEADER_LEN];
    h[..8].copy_from_slice(&magic);
    h[8..12].copy_from_slice(&FORMAT_VERSION.to_le_bytes());
    h[12..16].copy_from_slice(&0u32.to_le_bytes());
    h[16..24].copy_from_slice(&(body.len() as u64).to_le_bytes());
    let sum = checksum(&h[8..24], body);
    h[24..32].copy_from_slice(&sum.to_le_bytes());
    h
}

/// The checksum a file's header records (for the manifest's copy of a segment's).
pub(crate) fn recorded_checksum(h: &[u8; HEADER_LEN]) -> u64 {
    u64::from_le_bytes(h[24..32].try_into().expect("8 bytes"))
}

/// Why a file's framing was rejected.
#[derive(Debug)]
pub(crate) enum FrameError {
    /// Damaged: the reason.
    Corrupt(String),
    /// Intact, but written in another format version.
    Version(u32),
}

/// Checks a whole file (`bytes`) and returns its body and checksum: the length against the
/// header, the checksum, then the format version (a damaged version field is a checksum
/// mismatch, not a version mismatch).
pub(crate) fn unframe(magic: [u8; 8], bytes: &[u8]) -> Result<(&[u8], u64), FrameError> {
    let corrupt = |s: String| Err(FrameError::Corrupt(s));
    if bytes.len() < HEADER_LEN {
        return corrupt(format!(
            "{} bytes, shorter than the {HEADER_LEN}-byte header (cut short?)",
            bytes.len()
        ));
    }
    if bytes[..8] != magic {
        return corrupt(format!(
            "magic {:?} instead of {:?}: not this kind of lintas index file",
            String::from_utf8_lossy(&bytes[..8]),
            String::from_utf8_lossy(&magic)
        ));
    }
    let le64 = |r: std::ops::Range<usize>| u64::from_le_bytes(bytes[r].try_into().expect("8"));
    let body_len = le64(16..24);
    let have = (bytes.len() - HEADER_LEN) as u64;
    if body_len != have {
        return corrupt(format!(
            "the header gives a body of {body_len} bytes, the file holds {have} (cut short or \
             written over?)"
        ));
    }
    let body = &bytes[HEADER_LEN..];
    let stored = le64(24..32);
    let computed = checksum(&bytes[8..24], body);
    // A fuzz build (cargo-fuzz sets `--cfg fuzzing`) takes any checksum, so that the fuzzer's
    // mutations reach the decoders behind it (`fuzz/fuzz_targets/index_open.rs`).
    if stored != computed && !cfg!(fuzzing) {
        return corrupt(format!(
            "checksum mismatch (recorded {stored:016x}, computed {computed:016x})"
        ));
    }
    let version = u32::from_le_bytes(bytes[8..12].try_into().expect("4"));
    if version != FORMAT_VERSION {
        return Err(FrameError::Version(version));
    }
    let flags = u32::from_le_bytes(bytes[12..16].try_into().expect("4"));
    if flags != 0 {
        return corrupt(format!("unknown header flags {flags:#x}"));
    }
    Ok((body, stored))
}

/// A body being written.
#[derive(Default)]
pub(crate) struct Writer {
    pub(crate) buf: Vec<u8>,
}

impl Writer {
    pub(crate) fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }

    pub(crate) fn u64(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    /// LEB128: seven bits a byte, low bits first, high bit set on every byte but the last.
    pub(crate) fn var(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.buf.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.buf.push(v as u8);
    }

    /// A varint length, then the bytes.
    pub(crate) fn bytes(&mut self, b: &[u8]) {
        self.var(b.len() as u64);
        self.buf.extend_from_slice(b);
    }

    /// A tagged section: 4-byte tag, `u64` payload length, payload.
    pub(crate) fn section(&mut self, tag: [u8; 4], payload: &[u8]) {
        self.buf.extend_from_slice(&tag);
        self.u64(payload.len() as u64);
        self.buf.extend_from_slice(payload);
    }
}

/// A body being read: every read checked against the end.
pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    /// What is being read, for error messages (`DOCS section`, `manifest`).
    what: &'static str,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(buf: &'a [u8], what: &'static str) -> Reader<'a> {
        Reader { buf, pos: 0, what }
    }

    /// A reason for [`Error::IndexCorrupt`] at the current position.
    pub(crate) fn fail(&self, reason: impl std::fmt::Display) -> String {
        format!("{} at byte {}: {reason}", self.what, self.pos)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.pos == self.buf.len()
    }

    pub(crate) fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    #[inline]
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if self.remaining() < n {
            return Err(self.short(n));
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    /// The next `n` bytes as they are.
    #[inline]
    pub(crate) fn raw(&mut self, n: usize) -> Result<&'a [u8], String> {
        self.take(n)
    }

    #[cold]
    #[inline(never)]
    fn short(&self, n: usize) -> String {
        self.fail(format!(
            "{n} bytes needed, {} left (cut short?)",
            self.remaining()
        ))
    }

    #[inline]
    pub(crate) fn u8(&mut self) -> Result<u8, String> {
        match self.buf.get(self.pos) {
            Some(&b) => {
                self.pos += 1;
                Ok(b)
            }
            None => Err(self.short(1)),
        }
    }

    pub(crate) fn u64(&mut self) -> Result<u64, String> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().expect("8")))
    }

    #[inline]
    pub(crate) fn var(&mut self) -> Result<u64, String> {
        // Most varints (feature ids as gaps, counts, positions) are one byte.
        match self.buf.get(self.pos) {
            Some(&b) if b & 0x80 == 0 => {
                self.pos += 1;
                Ok(u64::from(b))
            }
            _ => self.var_long(),
        }
    }

    #[inline(never)]
    fn var_long(&mut self) -> Result<u64, String> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            let bits = u64::from(b & 0x7f);
            if shift == 63 && bits > 1 {
                return Err(self.fail("varint overflows 64 bits"));
            }
            v |= bits << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(self.fail("varint longer than 10 bytes"))
    }

    /// A varint that must fit `usize` and be at most `max`.
    #[inline]
    pub(crate) fn len(&mut self, max: usize) -> Result<usize, String> {
        let v = self.var()?;
        match usize::try_from(v) {
            Ok(n) if n <= max => Ok(n),
            _ => Err(self.fail(format!("count {v} is larger than possible ({max})"))),
        }
    }

    /// A count of items of at least `min_size` bytes each: never more than the bytes left
    /// allow, so a damaged count cannot make a huge allocation.
    pub(crate) fn count(&mut self, min_size: usize) -> Result<usize, String> {
        let max = self.remaining() / min_size.max(1);
        self.len(max)
    }

    pub(crate) fn bytes(&mut self) -> Result<&'a [u8], String> {
        let n = self.len(self.remaining())?;
        self.take(n)
    }

    pub(crate) fn str(&mut self) -> Result<&'a str, String> {
        let b = self.bytes()?;
        std::str::from_utf8(b).map_err(|e| self.fail(format!("invalid UTF-8: {e}")))
    }

    /// The next section: its tag and payload.
    pub(crate) fn section(&mut self) -> Result<([u8; 4], &'a [u8]), String> {
        let tag: [u8; 4] = self.take(4)?.try_into().expect("4");
        let len = self.u64()?;
        let n = usize::try_from(len)
            .ok()
            .filter(|&n| n <= self.remaining())
            .ok_or_else(|| {
                self.fail(format!(
                    "section {} of {len} bytes, {} left",
                    String::from_utf8_lossy(&tag),
                    self.remaining()
                ))
            })?;
        Ok((tag, self.take(n)?))
    }
}

/// [`Error::IndexCorrupt`] for `file`.
pub(crate) fn corrupt(file: &std::path::Path, reason: impl Into<String>) -> Error {
    Error::IndexCorrupt {
        file: file.display().to_string(),
        reason: reason.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip_and_reject_overflow() {
        let mut w = Writer::default();
        let values = [0, 1, 127, 128, 300, u32::MAX as u64, u64::MAX];
        for v in values {
            w.var(v);
        }
        let mut r = Reader::new(&w.buf, "test");
        for v in values {
            assert_eq!(r.var().unwrap(), v);
        }
        assert!(r.is_empty());
        // 10 bytes whose last carries more than the 64th bit; 11 continuation bytes.
        let bad = [0xff; 9]
            .iter()
            .chain(&[0x02])
            .copied()
            .collect::<Vec<u8>>();
        assert!(Reader::new(&bad, "t").var().is_err());
        assert!(Reader::new(&[0x80; 11], "t").var().is_err());
        assert!(Reader::new(&[0x80], "t").var().is_err());
    }

    #[test]
    fn a_frame_detects_every_damage() {
        let body = b"some body bytes".to_vec();
        let mut file = header(SEGMENT_MAGIC, &body).to_vec();
        file.extend_from_slice(&body);
        let (got, _) = unframe(SEGMENT_MAGIC, &file).unwrap();
        assert_eq!(got, &body[..]);
        assert!(matches!(
            unframe(MANIFEST_MAGIC, &file),
            Err(FrameError::Corrupt(_))
        ));
        for i in 0..file.len() {
            let mut f = file.clone();
            f[i] ^= 0x10;
            assert!(unframe(SEGMENT_MAGIC, &f).is_err(), "byte {i} flipped");
        }
        for n in 0..file.len() {
            assert!(unframe(SEGMENT_MAGIC, &file[..n]).is_err(), "cut at {n}");
        }
        // Another version, intact: told apart from damage.
        let other = FORMAT_VERSION + 1;
        let mut v2 = file.clone();
        v2[8..12].copy_from_slice(&other.to_le_bytes());
        let sum = checksum(&v2[8..24], &body);
        v2[24..32].copy_from_slice(&sum.to_le_bytes());
        assert!(matches!(
            unframe(SEGMENT_MAGIC, &v2),
            Err(FrameError::Version(v)) if v == other
        ));
    }
}
