//! MinHash signatures: similarity estimates with confidence intervals, and a compact binary
//! format.

use super::minhash::{MAX_HASHES, MIN_HASHES};
use crate::error::{Error, Result};
use crate::hash::SCHEME_VERSION;

/// Version of the binary format written by [`Signature::to_bytes`].
pub const FORMAT_VERSION: u8 = 1;

/// The magic bytes that open an encoded signature.
pub const MAGIC: [u8; 4] = *b"LNTS";

/// Length of the fixed header of an encoded signature, in bytes.
pub const HEADER_LEN: usize = 28;

/// z-score of the two-sided 95% intervals of [`Estimate`].
const Z95: f64 = 1.959_963_984_540_054;

/// How a signature's values were computed. Signatures of different constructions are
/// incompatible: their slots do not estimate the same thing slot by slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Construction {
    /// One-permutation hashing with optimal densification
    /// ([`MinHasher::sketch`](super::minhash::MinHasher::sketch)): one hash per feature.
    OnePermutation,
    /// The naive reference: `num_hashes` independent hashes per feature
    /// ([`MinHasher::sketch_naive_khash`](super::minhash::MinHasher::sketch_naive_khash)).
    KHash,
}

impl Construction {
    /// The byte stored in the binary format (1 = one-permutation, 2 = k independent hashes).
    ///
    /// ```
    /// use lintas::sketch::Construction;
    /// assert_eq!(Construction::OnePermutation.code(), 1);
    /// ```
    pub const fn code(self) -> u8 {
        match self {
            Construction::OnePermutation => 1,
            Construction::KHash => 2,
        }
    }

    /// The construction stored as `code`, if it is known.
    ///
    /// ```
    /// use lintas::sketch::Construction;
    /// assert_eq!(Construction::from_code(2), Some(Construction::KHash));
    /// assert_eq!(Construction::from_code(0), None);
    /// ```
    pub const fn from_code(code: u8) -> Option<Construction> {
        match code {
            1 => Some(Construction::OnePermutation),
            2 => Some(Construction::KHash),
            _ => None,
        }
    }
}

/// A similarity estimate with its standard error and a 95% confidence interval.
///
/// For a Jaccard estimate from `k` slots, `value` is the fraction `Ĵ` of equal slots,
/// `std_error = sqrt(Ĵ(1 − Ĵ)/k)` and `[lower, upper]` is the 95% **Wilson score interval** on
/// `k` Bernoulli trials (z = 1.96), which stays inside `[0, 1]` and has a sensible width even
/// when `Ĵ` is 0 or 1. The interval treats the `k` slots as independent trials; the slots of a
/// one-permutation signature are slightly negatively correlated, so it is if anything a little
/// conservative.
///
/// ```
/// use lintas::MinHasher;
/// let hasher = MinHasher::new();
/// let a: Vec<u64> = (0..200).collect();
/// let b: Vec<u64> = (100..300).collect(); // exact Jaccard 1/3
/// let est = hasher.sketch(&a).jaccard(&hasher.sketch(&b))?;
/// assert!(est.lower <= est.value && est.value <= est.upper);
/// assert!((est.value - 1.0 / 3.0).abs() < 0.15);
/// # Ok::<(), lintas::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Estimate {
    /// The point estimate, in `[0, 1]`.
    pub value: f64,
    /// The estimated standard error of `value`.
    pub std_error: f64,
    /// Lower end of the 95% confidence interval.
    pub lower: f64,
    /// Upper end of the 95% confidence interval.
    pub upper: f64,
}

impl Estimate {
    /// The estimate 0 with a zero-width interval (used for empty signatures).
    const ZERO: Estimate = Estimate {
        value: 0.0,
        std_error: 0.0,
        lower: 0.0,
        upper: 0.0,
    };

    /// The estimate from `hits` equal slots out of `trials`, with the Wilson score interval.
    fn from_trials(hits: usize, trials: usize) -> Estimate {
        if trials == 0 {
            return Estimate::ZERO;
        }
        let n = trials as f64;
        let p = hits as f64 / n;
        let z2 = Z95 * Z95;
        let denom = 1.0 + z2 / n;
        let center = (p + z2 / (2.0 * n)) / denom;
        let half = Z95 / denom * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
        Estimate {
            value: p,
            std_error: (p * (1.0 - p) / n).sqrt(),
            lower: (center - half).clamp(0.0, 1.0),
            upper: (center + half).clamp(0.0, 1.0),
        }
    }
}

/// A MinHash signature of a feature set (or multiset), with the parameters that made it.
///
/// Build one with [`MinHasher::sketch`](super::minhash::MinHasher::sketch) (or its weighted
/// variant) or decode one with [`Signature::from_bytes`].
///
/// A [`Signature`] is made by a [`MinHasher`](super::minhash::MinHasher) or decoded by
/// [`Signature::from_bytes`]; its fields are private, so its parameters always agree with its
/// values. Two signatures can be compared only if they were built with the same number of
/// hashes, seed, hash scheme and construction ([`Signature::check_compatible`]).
///
/// # Empty signatures
///
/// A signature of an empty feature set is *empty*: it holds no values and
/// [`is_empty`](Signature::is_empty) is `true`. Every similarity involving an empty signature
/// is 0.0 with a zero-width interval: an empty document is not a duplicate of anything, not
/// even of another empty document. The exact oracle ([`exact::jaccard`](super::exact::jaccard))
/// agrees: `jaccard(∅, ∅) = 0`.
///
/// # Binary layout
///
/// [`Signature::to_bytes`] writes, little-endian throughout:
///
/// | offset | size | field |
/// |-------:|-----:|-------|
/// | 0  | 4 | magic `b"LNTS"` |
/// | 4  | 1 | format version, [`FORMAT_VERSION`] (= 1) |
/// | 5  | 2 | hash scheme, `u16` ([`SCHEME_VERSION`]) |
/// | 7  | 1 | construction, `u8` ([`Construction::code`]) |
/// | 8  | 4 | `num_hashes`, `u32` |
/// | 12 | 8 | seed, `u64` |
/// | 20 | 8 | cardinality, `u64` |
/// | 28 | 4 × n | the values, `u32` each |
///
/// where `n = num_hashes` if the cardinality is non-zero and `n = 0` for an empty signature.
/// A 128-hash signature therefore takes 28 + 512 = 540 bytes.
///
/// ```
/// use lintas::{MinHasher, Signature};
/// let hasher = MinHasher::new();
/// let sig = hasher.sketch(&[1, 2, 3]);
/// assert_eq!(sig.num_hashes(), 128);
/// assert_eq!(sig.cardinality(), 3);
/// let bytes = sig.to_bytes();
/// assert_eq!(Signature::from_bytes(&bytes)?, sig);
/// # Ok::<(), lintas::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "SignatureFields"))]
pub struct Signature {
    values: Box<[u32]>,
    num_hashes: u32,
    seed: u64,
    scheme: u16,
    construction: Construction,
    cardinality: u64,
}

/// The unchecked fields of a deserialized signature, validated into a [`Signature`].
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct SignatureFields {
    values: Box<[u32]>,
    num_hashes: u32,
    seed: u64,
    scheme: u16,
    construction: Construction,
    cardinality: u64,
}

#[cfg(feature = "serde")]
impl TryFrom<SignatureFields> for Signature {
    type Error = Error;

    fn try_from(f: SignatureFields) -> Result<Signature> {
        validate(
            f.scheme,
            f.num_hashes,
            f.cardinality,
            f.values.len(),
            "signature",
        )?;
        Ok(Signature {
            values: f.values,
            num_hashes: f.num_hashes,
            seed: f.seed,
            scheme: f.scheme,
            construction: f.construction,
            cardinality: f.cardinality,
        })
    }
}

/// Checks the parameters of a decoded signature.
fn validate(
    scheme: u16,
    num_hashes: u32,
    cardinality: u64,
    num_values: usize,
    what: &'static str,
) -> Result<()> {
    if scheme != SCHEME_VERSION {
        return Err(Error::malformed(
            what,
            format!("unsupported hash scheme {scheme} (this library uses {SCHEME_VERSION})"),
        ));
    }
    if !(MIN_HASHES..=MAX_HASHES).contains(&(num_hashes as usize)) {
        return Err(Error::malformed(
            what,
            format!("num_hashes {num_hashes} is outside {MIN_HASHES}..={MAX_HASHES}"),
        ));
    }
    let expected = if cardinality == 0 {
        0
    } else {
        num_hashes as usize
    };
    if num_values != expected {
        return Err(Error::malformed(
            what,
            format!("{num_values} values, expected {expected}"),
        ));
    }
    Ok(())
}

impl Signature {
    /// Assembles a signature; the caller (a `MinHasher`) guarantees consistency.
    pub(crate) fn from_parts(
        values: Box<[u32]>,
        num_hashes: usize,
        seed: u64,
        construction: Construction,
        cardinality: u64,
    ) -> Signature {
        debug_assert!((MIN_HASHES..=MAX_HASHES).contains(&num_hashes));
        debug_assert_eq!(values.len(), if cardinality == 0 { 0 } else { num_hashes });
        Signature {
            values,
            num_hashes: num_hashes as u32,
            seed,
            scheme: SCHEME_VERSION,
            construction,
            cardinality,
        }
    }

    /// The number of hash slots of the signature's parameters (also for an empty signature,
    /// which stores no values).
    pub fn num_hashes(&self) -> usize {
        self.num_hashes as usize
    }

    /// The seed of the hasher that built the signature.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The hash scheme version ([`SCHEME_VERSION`]) the signature was built with.
    pub fn scheme(&self) -> u16 {
        self.scheme
    }

    /// How the values were computed.
    pub fn construction(&self) -> Construction {
        self.construction
    }

    /// The number of distinct features sketched (for a weighted signature, the total capped
    /// weight); the same as [`cardinality`](Self::cardinality).
    ///
    /// This is the size of the sketched *set*, not the number of stored values.
    pub fn len(&self) -> u64 {
        self.cardinality
    }

    /// Whether the sketched set was empty (cardinality 0). An empty signature stores no values
    /// and is similar to nothing.
    ///
    /// ```
    /// use lintas::MinHasher;
    /// assert!(MinHasher::new().sketch(&[]).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.cardinality == 0
    }

    /// The number of distinct features sketched (for a weighted signature, the total capped
    /// weight). [`containment`](Self::containment) needs it.
    pub fn cardinality(&self) -> u64 {
        self.cardinality
    }

    /// The slot values: `num_hashes` of them, or none for an empty signature.
    pub fn values(&self) -> &[u32] {
        &self.values
    }

    /// Checks that `other` was built with the same parameters, so that the two can be compared.
    ///
    /// # Errors
    ///
    /// [`Error::IncompatibleSignatures`] naming the first parameter that differs: `num_hashes`,
    /// `seed`, `scheme` or `construction` (compared as [`Construction::code`]).
    ///
    /// ```
    /// use lintas::MinHasher;
    /// let a = MinHasher::new().sketch(&[1, 2, 3]);
    /// let b = MinHasher::builder().seed(7).build()?.sketch(&[1, 2, 3]);
    /// assert!(a.check_compatible(&b).is_err());
    /// # Ok::<(), lintas::Error>(())
    /// ```
    pub fn check_compatible(&self, other: &Signature) -> Result<()> {
        let pairs: [(&'static str, u64, u64); 4] = [
            (
                "num_hashes",
                u64::from(self.num_hashes),
                u64::from(other.num_hashes),
            ),
            ("seed", self.seed, other.seed),
            ("scheme", u64::from(self.scheme), u64::from(other.scheme)),
            (
                "construction",
                u64::from(self.construction.code()),
                u64::from(other.construction.code()),
            ),
        ];
        for (field, left, right) in pairs {
            if left != right {
                return Err(Error::IncompatibleSignatures { field, left, right });
            }
        }
        Ok(())
    }

    /// An empty signature with the same parameters (a compatibility reference).
    pub(crate) fn parameters_only(&self) -> Signature {
        Signature {
            values: Box::default(),
            num_hashes: self.num_hashes,
            seed: self.seed,
            scheme: self.scheme,
            construction: self.construction,
            cardinality: 0,
        }
    }

    /// The number of slots at which the two signatures agree (0 if either is empty); the
    /// caller has checked compatibility.
    pub(crate) fn matching_slots(&self, other: &Signature) -> usize {
        self.values
            .iter()
            .zip(other.values.iter())
            .filter(|(a, b)| a == b)
            .count()
    }

    /// Estimates the Jaccard similarity `|A ∩ B| / |A ∪ B|` as the fraction of equal slots.
    ///
    /// Each slot agrees with probability `J` (plus a collision floor of about 2⁻³² from
    /// storing 32-bit values), so the estimate is unbiased with standard error
    /// `sqrt(J(1 − J)/k)`; see [`Estimate`] for the interval. An empty signature on either
    /// side gives 0 with a zero-width interval.
    ///
    /// # Errors
    ///
    /// [`Error::IncompatibleSignatures`] if the signatures were built with different
    /// parameters.
    ///
    /// ```
    /// use lintas::MinHasher;
    /// let h = MinHasher::new();
    /// let a = h.sketch(&[1, 2, 3, 4]);
    /// assert_eq!(a.jaccard(&a)?.value, 1.0);
    /// assert_eq!(a.jaccard(&h.sketch(&[]))?.value, 0.0);
    /// # Ok::<(), lintas::Error>(())
    /// ```
    pub fn jaccard(&self, other: &Signature) -> Result<Estimate> {
        self.check_compatible(other)?;
        if self.is_empty() || other.is_empty() {
            return Ok(Estimate::ZERO);
        }
        Ok(Estimate::from_trials(
            self.matching_slots(other),
            self.values.len(),
        ))
    }

    /// Estimates the containment `|A ∩ B| / |A|` of `self` (A) in `other` (B).
    ///
    /// From the Jaccard estimate `J` and the two cardinalities,
    /// `C = J (|A| + |B|) / ((1 + J) |A|)`, clamped to `[0, 1]`. The formula is increasing in
    /// `J`, so the interval bounds are the Jaccard bounds pushed through it; the standard error
    /// is propagated to first order (`dC/dJ = (|A| + |B|) / ((1 + J)² |A|)`). Containment of
    /// or in an empty signature is 0.
    ///
    /// # Errors
    ///
    /// [`Error::IncompatibleSignatures`] if the signatures were built with different
    /// parameters.
    ///
    /// ```
    /// use lintas::MinHasher;
    /// let h = MinHasher::new();
    /// let small: Vec<u64> = (0..100).collect();
    /// let big: Vec<u64> = (0..1000).collect();
    /// let c = h.sketch(&small).containment(&h.sketch(&big))?;
    /// assert!(c.value > 0.7);
    /// # Ok::<(), lintas::Error>(())
    /// ```
    pub fn containment(&self, other: &Signature) -> Result<Estimate> {
        let j = self.jaccard(other)?;
        if self.is_empty() || other.is_empty() {
            return Ok(Estimate::ZERO);
        }
        let a = self.cardinality as f64;
        let b = other.cardinality as f64;
        let through = |jv: f64| -> f64 {
            let c = jv * (a + b) / ((1.0 + jv) * a);
            if c.is_finite() {
                c.clamp(0.0, 1.0)
            } else {
                0.0
            }
        };
        let slope = (a + b) / ((1.0 + j.value) * (1.0 + j.value) * a);
        Ok(Estimate {
            value: through(j.value),
            std_error: slope * j.std_error,
            lower: through(j.lower),
            upper: through(j.upper),
        })
    }

    /// Encodes the signature in the compact binary format (see the [module
    /// documentation](Signature) for the layout).
    ///
    /// ```
    /// use lintas::MinHasher;
    /// let bytes = MinHasher::new().sketch(&[1, 2, 3]).to_bytes();
    /// assert_eq!(&bytes[..4], b"LNTS");
    /// assert_eq!(bytes.len(), 28 + 4 * 128);
    /// ```
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_LEN + 4 * self.values.len());
        out.extend_from_slice(&MAGIC);
        out.push(FORMAT_VERSION);
        out.extend_from_slice(&self.scheme.to_le_bytes());
        out.push(self.construction.code());
        out.extend_from_slice(&self.num_hashes.to_le_bytes());
        out.extend_from_slice(&self.seed.to_le_bytes());
        out.extend_from_slice(&self.cardinality.to_le_bytes());
        for v in self.values.iter() {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out
    }

    /// Decodes a signature written by [`to_bytes`](Self::to_bytes).
    ///
    /// # Errors
    ///
    /// [`Error::Malformed`] if the magic is wrong, the format version, hash scheme or
    /// construction is unknown, `num_hashes` is outside the valid range, or the input is
    /// shorter or longer than its header says.
    ///
    /// ```
    /// use lintas::{MinHasher, Signature};
    /// let sig = MinHasher::new().sketch(&[1, 2, 3]);
    /// let mut bytes = sig.to_bytes();
    /// assert_eq!(Signature::from_bytes(&bytes)?, sig);
    /// bytes.pop();
    /// assert!(Signature::from_bytes(&bytes).is_err());
    /// # Ok::<(), lintas::Error>(())
    /// ```
    pub fn from_bytes(bytes: &[u8]) -> Result<Signature> {
        const WHAT: &str = "signature";
        let header: &[u8; HEADER_LEN] = bytes
            .get(..HEADER_LEN)
            .and_then(|h| h.try_into().ok())
            .ok_or_else(|| {
                Error::malformed(
                    WHAT,
                    format!(
                        "truncated: {} bytes, the header alone is {HEADER_LEN}",
                        bytes.len()
                    ),
                )
            })?;
        if header[0..4] != MAGIC {
            return Err(Error::malformed(WHAT, "wrong magic (expected `LNTS`)"));
        }
        if header[4] != FORMAT_VERSION {
            return Err(Error::malformed(
                WHAT,
                format!(
                    "unknown format version {} (expected {FORMAT_VERSION})",
                    header[4]
                ),
            ));
        }
        let scheme = u16::from_le_bytes([header[5], header[6]]);
        let construction = Construction::from_code(header[7])
            .ok_or_else(|| Error::malformed(WHAT, format!("unknown construction {}", header[7])))?;
        let num_hashes = u32::from_le_bytes([header[8], header[9], header[10], header[11]]);
        let mut seed = [0u8; 8];
        seed.copy_from_slice(&header[12..20]);
        let seed = u64::from_le_bytes(seed);
        let mut cardinality = [0u8; 8];
        cardinality.copy_from_slice(&header[20..28]);
        let cardinality = u64::from_le_bytes(cardinality);

        let body = &bytes[HEADER_LEN..];
        if !body.len().is_multiple_of(4) {
            return Err(Error::malformed(
                WHAT,
                format!("body of {} bytes is not a whole number of u32", body.len()),
            ));
        }
        validate(scheme, num_hashes, cardinality, body.len() / 4, WHAT)?;
        let values: Box<[u32]> = body
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        Ok(Signature {
            values,
            num_hashes,
            seed,
            scheme,
            construction,
            cardinality,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_interval_contains_estimate() {
        for hits in 0..=16 {
            let e = Estimate::from_trials(hits, 16);
            assert!(e.lower <= e.value && e.value <= e.upper, "{e:?}");
            assert!(e.lower >= 0.0 && e.upper <= 1.0);
        }
        let e = Estimate::from_trials(0, 128);
        assert_eq!(e.lower, 0.0);
        assert!(e.upper > 0.0 && e.upper < 0.05);
    }
}
