//! Eight bytes at a time: word arithmetic that classifies ASCII bytes without a branch per
//! byte, shared by normalisation, detection and tokenisation.

/// The high bit of each of eight bytes.
pub(crate) const HIGH: u64 = 0x8080_8080_8080_8080;
/// 1 in each of eight bytes.
pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;

/// Per byte of `x`, the high bit set when the byte is at least `c` (`c` ≤ 0x80), given
/// `y = x & !HIGH`: adding `0x80 - c` to a 7-bit value never carries into the next byte.
#[inline]
pub(crate) const fn at_least(y: u64, c: u8) -> u64 {
    (y + ONES * (0x80 - c as u64)) & HIGH
}
