//! The pair search as separate steps, for a data engine (Spark, Ray, Dask, a SQL engine) that
//! does the shuffle: [`Engine`], [`Fingerprint`], [`Frequencies`], [`Key`].
//!
//! A [`Corpus`] finds its pairs in one process. An engine splits the same work into map
//! steps and one shuffle, and gets **the same pairs with the same scores** — because every
//! step here is the corpus's own code, and every score reads the same global document
//! frequencies:
//!
//! 1. **Fingerprint** every document ([`Engine::fingerprint`]): its features, signature and
//!    copy-group key. A map step; [`Fingerprint::to_bytes`] makes it a binary column.
//! 2. **Copies**: documents with the same non-zero [`Fingerprint::copy_key`] are one group
//!    (the corpus's near-exact copies, [`CorpusBuilder::collapse_copies`]). The group's first
//!    document in input order is its representative; only representatives go on. A key of
//!    0 (an empty document, or copies not collapsed) is a group of its own.
//! 3. **Document frequencies**, one global pass: [`Frequencies::add`] each representative
//!    (and each document of key 0) to a partial table, [`Frequencies::merge`] the partial
//!    tables. [`Frequencies::to_bytes`] broadcasts the result.
//! 4. **Keys**: [`Engine::keys`] gives each representative its rows: one per LSH band, and
//!    one per rare feature and per rare headline/lead feature (the corpus's blocking). The
//!    engine self-joins the rows on `(source, key)`; [`Engine::is_candidate`] decides a pair
//!    from how many keys of each source it shares.
//! 5. **Verify** each candidate pair with [`Engine::verify`] (the earlier document first),
//!    and expand a flagged pair of representatives to every pair of their groups' members;
//!    a group's own pairs are [`Engine::verify`] of the representative with itself.
//! 6. **Cluster** the flagged pairs on one machine with [`clusters`](crate::clusters).
//!
//! Publication dates ([`Corpus::set_published`], [`CorpusBuilder::max_days_apart`]) are not
//! part of a fingerprint: an engine whose rows carry dates filters the expanded pairs on its
//! own date column (`abs(date_a - date_b) <= max_days_apart`), which gives the corpus's pairs.
//!
//! ```
//! use lintas::{Analyzer, Corpus, Engine, Frequencies, KeySource};
//! use std::collections::BTreeMap;
//! let texts = [
//!     ("en-1", "Floods in Semarang killed eight people on Monday and forced 12,000 residents \
//!         from their homes, the disaster agency BNPB said."),
//!     ("en-2", "The central bank kept its benchmark rate at 5.25 percent on Wednesday."),
//!     ("id-1", "Banjir di Semarang menewaskan delapan orang pada Senin dan memaksa 12.000 \
//!         warga mengungsi, kata BNPB."),
//! ];
//! let analyzer = Analyzer::new();
//! let engine = Engine::new(Corpus::builder())?;
//! // 1. map: fingerprints (no copies among these three).
//! let fps: Vec<_> = texts.iter().map(|(id, t)| {
//!     let a = analyzer.analyze(t);
//!     engine.fingerprint(*id, a.detection().lang(), a.features())
//! }).collect();
//! // 3. one global pass: document frequencies.
//! let mut freq = Frequencies::new();
//! fps.iter().for_each(|f| freq.add(f));
//! // 4. keys, the self-join (here a map), and the candidate rule.
//! let mut shared: BTreeMap<(usize, usize), [usize; 3]> = BTreeMap::new();
//! let mut rows: BTreeMap<(i32, u64), Vec<usize>> = BTreeMap::new();
//! for (i, f) in fps.iter().enumerate() {
//!     for k in engine.keys(f, &freq) {
//!         rows.entry((k.source.code(), k.key)).or_default().push(i);
//!     }
//! }
//! for ((source, _), docs) in &rows {
//!     let column = match KeySource::from_code(*source).unwrap() {
//!         KeySource::Band(_) => 0,
//!         KeySource::Rare => 1,
//!         KeySource::Lead => 2,
//!     };
//!     for (x, &a) in docs.iter().enumerate() {
//!         for &b in &docs[x + 1..] {
//!             shared.entry((a, b)).or_default()[column] += 1;
//!         }
//!     }
//! }
//! // 5. verify the candidates with the global table.
//! let pairs: Vec<_> = shared.iter()
//!     .filter(|(_, n)| engine.is_candidate(n[0], n[1], n[2]))
//!     .filter_map(|(&(a, b), _)| engine.verify(&fps[a], &fps[b], &freq))
//!     .collect();
//! assert_eq!(pairs.len(), 1);
//! assert_eq!((&*pairs[0].a, &*pairs[0].b), ("en-1", "id-1"));
//! # Ok::<(), lintas::Error>(())
//! ```
//!
//! `tests/engine.rs` checks that these steps give exactly [`Corpus::pairs`] on the bundled
//! sample and the dev pools.
//!
//! A [`Corpus`] gives a held document's keys too ([`Corpus::keys`]); with the `parquet`
//! feature, `lintas::parquet` writes fingerprints' signatures and keys as Parquet files that
//! an SQL engine joins with built-in functions.

use super::copies::copy_key;
use super::corpus::{
    counts_for_lead, doc_of, is_lead, lang_slot, sorted_features, Corpus, CorpusBuilder,
    FeatureTable, Fid, NO_LANG,
};
use super::verify::Match;
use crate::sketch::lsh::{LshIndex, LshParams};
use crate::sketch::signature::Signature;
use crate::{Error, Feature, FeatureKind, Lang, Position, Result};
use ahash::AHashMap;
use std::sync::Arc;
use xxhash_rust::xxh3::xxh3_64;

/// The steps of the corpus's pair search, one call each, for an engine that does the
/// shuffle: [`Engine::fingerprint`], [`Frequencies`], [`Engine::keys`], [`Engine::is_candidate`],
/// [`Engine::verify`]. Built from the same [`CorpusBuilder`]
/// settings as the [`Corpus`] it stands in for.
#[derive(Debug, Clone)]
pub struct Engine {
    /// An empty corpus with the settings: its hasher, model and verification code.
    corpus: Corpus,
}

/// A document made ready for an engine: id, language, features (sorted by hash, each once),
/// signature and copy-group key. Self-contained: everything verification reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Fingerprint {
    id: Arc<str>,
    lang: Option<Lang>,
    features: Vec<Feature>,
    signature: Signature,
    copy_key: u64,
}

/// Where a candidate key comes from: one LSH band, rare-feature blocking or headline/lead
/// blocking. Two documents are compared only on keys of the same source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeySource {
    /// LSH band `b` (from 0): the key is the band's bucket.
    Band(u16),
    /// A rare feature (document frequency at most the rare cap): the key is its hash.
    Rare,
    /// A rare anchor or concept of the headline or lead: the key is its hash.
    Lead,
}

impl KeySource {
    /// The source as one integer column: the band number for a band, −1 for
    /// [`KeySource::Rare`], −2 for [`KeySource::Lead`].
    pub fn code(self) -> i32 {
        match self {
            KeySource::Band(b) => i32::from(b),
            KeySource::Rare => -1,
            KeySource::Lead => -2,
        }
    }

    /// The source of a [`code`](Self::code) (`None` below −2 or past 65,535).
    pub fn from_code(code: i32) -> Option<KeySource> {
        match code {
            -1 => Some(KeySource::Rare),
            -2 => Some(KeySource::Lead),
            b => u16::try_from(b).ok().map(KeySource::Band),
        }
    }
}

/// One candidate key of a document (see [`Engine::keys`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    /// Where it comes from.
    pub source: KeySource,
    /// The bucket or feature hash. Engines without unsigned 64-bit integers store it bit-cast
    /// to `i64` (`key as i64`): equality, all a join needs, is unchanged.
    pub key: u64,
}

/// Document frequencies of a whole corpus: in how many documents (copy groups counted once)
/// each feature occurs, how many documents there are, how many of each language and how many
/// hold a concept (a [`FeatureKind::Local`] word's rarity is counted among the documents of
/// its language, a concept's among the documents holding concepts, as in a [`Corpus`]). Built in parts and merged, so an engine
/// computes it in one pass; every score reads it, which is what makes an engine's scores
/// equal to the corpus's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Frequencies {
    documents: u64,
    /// Documents holding a [`FeatureKind::Concept`].
    concepts: u64,
    /// Documents by language ([`lang_slot`](super::corpus::lang_slot)); empty when the
    /// table was made without them ([`Frequencies::from_entries`]).
    by_lang: Vec<u64>,
    df: AHashMap<u64, u32>,
}

/// Magic and format version of [`Fingerprint::to_bytes`].
const FINGERPRINT_MAGIC: [u8; 4] = *b"LNTP";
const FINGERPRINT_VERSION: u8 = 1;
/// Magic and format version of [`Frequencies::to_bytes`].
const FREQUENCIES_MAGIC: [u8; 4] = *b"LNTD";
const FREQUENCIES_VERSION: u8 = 2;

impl Engine {
    /// An engine with the settings of `settings`.
    ///
    /// # Errors
    /// As [`CorpusBuilder::build`].
    pub fn new(settings: CorpusBuilder) -> Result<Engine> {
        Ok(Engine {
            corpus: settings.build()?,
        })
    }

    /// The settings it stands in for (the candidate rule's minimums, the blocking shares,
    /// the thresholds).
    pub fn settings(&self) -> super::CorpusSettings {
        self.corpus.settings()
    }

    /// The empty corpus holding the settings.
    #[cfg(feature = "parquet")]
    pub(crate) fn corpus(&self) -> &Corpus {
        &self.corpus
    }

    /// The LSH parameters ([`KeySource::Band`] runs over `0..bands`).
    pub fn lsh_params(&self) -> LshParams {
        self.corpus.lsh_params()
    }

    /// The fingerprint of a document from its analysis (`lang` and `features` as
    /// [`Corpus::add`] takes them).
    pub fn fingerprint(
        &self,
        id: impl Into<Arc<str>>,
        lang: Option<Lang>,
        features: &[Feature],
    ) -> Fingerprint {
        let fs = sorted_features(features);
        let copy_key = if self.corpus.config.collapse_copies && !fs.is_empty() {
            copy_key(lang, &fs, is_lead)
        } else {
            0
        };
        let hs: Vec<(u64, FeatureKind)> = fs.iter().map(|f| (f.hash, f.kind)).collect();
        let signature = self.corpus.sketch_hashes(&hs);
        Fingerprint {
            id: id.into(),
            lang,
            features: fs.into_iter().cloned().collect(),
            signature,
            copy_key,
        }
    }

    /// The longest document frequency rare-feature blocking reads, for a corpus of
    /// `freq.documents()` documents (as [`CorpusBuilder::max_rare_df`] says).
    pub fn rare_cap(&self, freq: &Frequencies) -> u32 {
        super::candidates::blocking_cap(freq.documents, self.corpus.config.max_rare_df)
    }

    /// The longest document frequency headline/lead blocking reads (see
    /// [`CorpusBuilder::max_lead_df`]).
    pub fn lead_cap(&self, freq: &Frequencies) -> u32 {
        super::candidates::blocking_cap(freq.documents, self.corpus.config.max_lead_df)
    }

    /// A document's candidate keys: one per LSH band (none for an empty signature), one per
    /// feature whose document frequency is at most [`rare_cap`](Self::rare_cap) (when
    /// rare-feature blocking is on), one per headline/lead anchor or concept at most
    /// [`lead_cap`](Self::lead_cap) (when headline/lead blocking is on). Bands first, then
    /// rare and lead keys by hash.
    pub fn keys(&self, fp: &Fingerprint, freq: &Frequencies) -> Vec<Key> {
        let hashes: Vec<(u64, bool)> = fp.features.iter().map(|f| (f.hash, is_lead(f))).collect();
        self.keys_from(&fp.signature, &hashes, freq)
    }

    /// [`keys`](Self::keys) of a fingerprint in its binary form ([`Fingerprint::to_bytes`]),
    /// read without making its labels: for an engine that keeps fingerprints as a binary
    /// column.
    ///
    /// # Errors
    /// As [`Fingerprint::from_bytes`].
    pub fn keys_of_bytes(&self, bytes: &[u8], freq: &Frequencies) -> Result<Vec<Key>> {
        let mut hashes: Vec<(u64, bool)> = Vec::new();
        let head = walk(bytes, |f| {
            hashes.push((f.hash, counts_for_lead(f.kind, f.position)));
        })?;
        Ok(self.keys_from(&head.signature, &hashes, freq))
    }

    /// The keys of a document from its signature and its features as `(hash, counts for
    /// headline/lead blocking)`.
    fn keys_from(
        &self,
        signature: &Signature,
        hashes: &[(u64, bool)],
        freq: &Frequencies,
    ) -> Vec<Key> {
        let mut out: Vec<Key> = self
            .lsh_params()
            .band_keys(signature)
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .map(|(b, key)| Key {
                source: KeySource::Band(b as u16),
                key,
            })
            .collect();
        let config = &self.corpus.config;
        if config.min_shared_rare > 0 {
            let cap = self.rare_cap(freq);
            out.extend(
                hashes
                    .iter()
                    .filter(|&&(h, _)| freq.df(h) <= cap)
                    .map(|&(key, _)| Key {
                        source: KeySource::Rare,
                        key,
                    }),
            );
        }
        if config.min_shared_lead > 0 {
            let cap = self.lead_cap(freq);
            out.extend(
                hashes
                    .iter()
                    .filter(|&&(h, lead)| lead && freq.df(h) <= cap)
                    .map(|&(key, _)| Key {
                        source: KeySource::Lead,
                        key,
                    }),
            );
        }
        out
    }

    /// Whether two documents sharing `bands` band keys, `rare` rare keys and `lead`
    /// headline/lead keys are a candidate pair: any band, or at least
    /// [`CorpusBuilder::min_shared_rare`] rare keys, or at least
    /// [`CorpusBuilder::min_shared_lead`] headline/lead keys (a minimum of 0 turns a source
    /// off).
    pub fn is_candidate(&self, bands: usize, rare: usize, lead: usize) -> bool {
        let c = &self.corpus.config;
        bands > 0
            || (c.min_shared_rare > 0 && rare >= c.min_shared_rare)
            || (c.min_shared_lead > 0 && lead >= c.min_shared_lead)
    }

    /// The match of a candidate pair when it is flagged (`a` is the earlier document, as in
    /// [`Corpus::pairs`]), scored with the global document frequencies `freq`; `None` when
    /// it is not flagged, a document is empty, or the signatures are incompatible.
    pub fn verify(&self, a: &Fingerprint, b: &Fingerprint, freq: &Frequencies) -> Option<Match> {
        self.score_with(a, b, freq, true)
    }

    /// The score of any pair, flagged or not (`None` only when a document is empty or the
    /// signatures are incompatible), as [`Corpus::score_pair`] gives it.
    pub fn score(&self, a: &Fingerprint, b: &Fingerprint, freq: &Frequencies) -> Option<Match> {
        self.score_with(a, b, freq, false)
    }

    /// [`verify`](Self::verify) of many candidate pairs, given as indexes into `fps`
    /// (`(earlier, later)`): each document's frequencies are looked up once, not once per
    /// pair, and the pairs are verified on every core with the `parallel` feature. One
    /// result per pair, in order. An index out of range gives `None`.
    pub fn verify_many(
        &self,
        fps: &[Fingerprint],
        pairs: &[(usize, usize)],
        freq: &Frequencies,
    ) -> Vec<Option<Match>> {
        let dfs: Vec<Vec<u32>> = super::par_map(fps, |fp| {
            fp.features.iter().map(|f| freq.df(f.hash)).collect()
        });
        super::par_map(pairs, |&(x, y)| {
            let (a, b) = (fps.get(x)?, fps.get(y)?);
            self.score_resolved(a, &dfs[x], b, &dfs[y], freq, true)
        })
    }

    fn score_with(
        &self,
        a: &Fingerprint,
        b: &Fingerprint,
        freq: &Frequencies,
        flagged_only: bool,
    ) -> Option<Match> {
        let df = |fp: &Fingerprint| -> Vec<u32> {
            fp.features.iter().map(|f| freq.df(f.hash)).collect()
        };
        self.score_resolved(a, &df(a), b, &df(b), freq, flagged_only)
    }

    /// The score of a pair whose features' document frequencies are `dfa` and `dfb` (in
    /// feature order) in a corpus counted by `freq`.
    fn score_resolved(
        &self,
        a: &Fingerprint,
        dfa: &[u32],
        b: &Fingerprint,
        dfb: &[u32],
        freq: &Frequencies,
        flagged_only: bool,
    ) -> Option<Match> {
        a.signature.check_compatible(&b.signature).ok()?;
        let keep_labels = self.corpus.config.keep_labels;
        if flagged_only && keep_labels {
            // Most candidates are not flagged: decide without the labels (one cache miss a
            // feature), then explain the flagged pairs with them.
            self.pair_corpus(a, dfa, b, dfb, freq, false, true)?;
        }
        self.pair_corpus(a, dfa, b, dfb, freq, keep_labels, flagged_only)
    }

    /// Scores a pair in a corpus of the two documents whose table holds the global
    /// frequencies, with the labels (for the explanation) or without.
    #[allow(clippy::too_many_arguments)]
    fn pair_corpus(
        &self,
        a: &Fingerprint,
        dfa: &[u32],
        b: &Fingerprint,
        dfb: &[u32],
        freq: &Frequencies,
        keep_labels: bool,
        flagged_only: bool,
    ) -> Option<Match> {
        // A corpus of the two documents whose table holds the global frequencies: the
        // corpus's own verification code reads it. Both feature lists are sorted by hash, so
        // one merge numbers the union in hash order and maps each document onto it.
        let mut table = FeatureTable::default();
        let (fa, fb) = (&a.features, &b.features);
        let (mut ia, mut ib) = (Vec::with_capacity(fa.len()), Vec::with_capacity(fb.len()));
        let (mut i, mut j) = (0, 0);
        while i < fa.len() || j < fb.len() {
            let (x, y) = (fa.get(i), fb.get(j));
            let take_a = match (x, y) {
                (Some(x), Some(y)) => x.hash <= y.hash,
                (Some(_), None) => true,
                _ => false,
            };
            let f = if take_a { x } else { y }.expect("one list has a feature left");
            let id = table.hashes.len() as Fid;
            table.hashes.push(f.hash);
            table.kinds.push(f.kind);
            table.df.push(if take_a { dfa[i] } else { dfb[j] });
            // A local feature belongs to the language of the document holding it (the
            // earlier one, `a`, when both do: as in a corpus, its first holder).
            table.langs.push(if f.kind == FeatureKind::Local {
                lang_slot(if take_a { a.lang } else { b.lang })
            } else {
                NO_LANG
            });
            if keep_labels {
                table.labels.push(f.label.clone());
            }
            if x.is_some_and(|x| x.hash == f.hash) {
                ia.push((id, x.expect("checked")));
                i += 1;
            }
            if y.is_some_and(|y| y.hash == f.hash) {
                ib.push((id, y.expect("checked")));
                j += 1;
            }
        }
        let doc = |fp: &Fingerprint, ids: &[(Fid, &Feature)]| {
            let mut d = doc_of(fp.id.clone(), fp.lang, u32::MAX, fp.copy_key, ids);
            d.signature = Some(fp.signature.clone());
            d
        };
        let (da, db) = (doc(a, &ia), doc(b, &ib));
        let scorer = Corpus {
            hasher: self.corpus.hasher.clone(),
            index: LshIndex::new(self.corpus.lsh_params()),
            docs: Vec::new(),
            ids: AHashMap::new(),
            table,
            copies: Default::default(),
            live: 0,
            distinct: usize::try_from(freq.documents).unwrap_or(usize::MAX),
            concept_docs: usize::try_from(freq.concepts).unwrap_or(usize::MAX),
            by_lang: freq
                .by_lang
                .iter()
                .map(|&n| usize::try_from(n).unwrap_or(usize::MAX))
                .collect(),
            published: AHashMap::new(),
            config: self.corpus.config.clone().keep_labels(keep_labels),
            model: self.corpus.model.clone(),
        };
        scorer.score_with(&da, &db, None, flagged_only)
    }
}

impl Fingerprint {
    /// The document's id.
    pub fn id(&self) -> &Arc<str> {
        &self.id
    }

    /// Its language.
    pub fn lang(&self) -> Option<Lang> {
        self.lang
    }

    /// Its features, sorted by hash, each hash once.
    pub fn features(&self) -> &[Feature] {
        &self.features
    }

    /// Its MinHash signature.
    pub fn signature(&self) -> &Signature {
        &self.signature
    }

    /// Its copy-group key: documents with the same non-zero key are near-exact copies
    /// (same language and features); 0 for an empty document or when copies are not
    /// collapsed.
    pub fn copy_key(&self) -> u64 {
        self.copy_key
    }

    /// Whether the document has no feature (it matches nothing).
    pub fn is_empty(&self) -> bool {
        self.features.is_empty()
    }

    /// The fingerprint in a compact binary form, for a binary column: magic `LNTP`, format
    /// version 1, then id, language code, copy key, signature ([`Signature::to_bytes`]) and
    /// features (hash, kind, position, count, label), ending with an XXH3 checksum of
    /// everything before it. Integers are little-endian.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Vec::with_capacity(64 + 560 + self.features.len() * 32);
        w.extend_from_slice(&FINGERPRINT_MAGIC);
        w.push(FINGERPRINT_VERSION);
        put_str(&mut w, &self.id);
        put_str(&mut w, self.lang.map_or("", |l| l.code()));
        w.extend_from_slice(&self.copy_key.to_le_bytes());
        let sig = self.signature.to_bytes();
        w.extend_from_slice(&(sig.len() as u32).to_le_bytes());
        w.extend_from_slice(&sig);
        w.extend_from_slice(&(self.features.len() as u32).to_le_bytes());
        for f in &self.features {
            w.extend_from_slice(&f.hash.to_le_bytes());
            w.push(f.kind.index() as u8);
            w.push(f.position as u8);
            w.extend_from_slice(&f.count.to_le_bytes());
            put_str(&mut w, &f.label);
        }
        let sum = xxh3_64(&w);
        w.extend_from_slice(&sum.to_le_bytes());
        w
    }

    /// Decodes [`to_bytes`](Self::to_bytes).
    ///
    /// # Errors
    /// [`Error::Malformed`] naming `fingerprint` when the bytes are cut, changed (checksum),
    /// of another format version, or do not decode.
    pub fn from_bytes(bytes: &[u8]) -> Result<Fingerprint> {
        let mut features = Vec::new();
        let mut utf8 = true;
        let head = walk(bytes, |f| match std::str::from_utf8(f.label) {
            Ok(label) => features.push(Feature {
                hash: f.hash,
                kind: f.kind,
                label: label.into(),
                count: f.count,
                position: f.position,
            }),
            Err(_) => utf8 = false,
        })?;
        if !utf8 {
            return Err(Error::malformed("fingerprint", "a label is not UTF-8"));
        }
        Ok(Fingerprint {
            id: head.id.into(),
            lang: head.lang,
            features,
            signature: head.signature,
            copy_key: head.copy_key,
        })
    }
}

/// A fingerprint's binary form read without making its labels: what [`Engine::keys_of_bytes`]
/// and [`Frequencies::add_bytes`] need.
struct Head<'a> {
    id: &'a str,
    lang: Option<Lang>,
    copy_key: u64,
    signature: Signature,
}

/// One feature of a fingerprint's binary form, its label borrowed from the bytes (checked as
/// UTF-8 only where it is made: the checksum already guards the bytes).
struct RawFeature<'a> {
    hash: u64,
    kind: FeatureKind,
    position: Position,
    count: u32,
    label: &'a [u8],
}

/// Reads a fingerprint's binary form once (checksum, header, every feature in order, given to
/// `each`); the one reader of the format.
fn walk<'a>(bytes: &'a [u8], mut each: impl FnMut(RawFeature<'a>)) -> Result<Head<'a>> {
    const WHAT: &str = "fingerprint";
    let mut r = Reader::checked(bytes, FINGERPRINT_MAGIC, FINGERPRINT_VERSION, WHAT)?;
    let id = r.str()?;
    let lang = match r.str()? {
        "" => None,
        c => Some(
            Lang::from_code(c)
                .ok_or_else(|| Error::malformed(WHAT, format!("unknown language `{c}`")))?,
        ),
    };
    let copy_key = r.u64()?;
    let n = r.u32()? as usize;
    let signature = Signature::from_bytes(r.take(n)?)?;
    let count = r.u32()? as usize;
    let mut last: Option<u64> = None;
    for _ in 0..count {
        let hash = r.u64()?;
        if last.is_some_and(|l| l >= hash) {
            return Err(Error::malformed(WHAT, "features not sorted by hash"));
        }
        last = Some(hash);
        let kind = *FeatureKind::ALL
            .get(r.u8()? as usize)
            .ok_or_else(|| Error::malformed(WHAT, "unknown feature kind"))?;
        let position = *Position::ALL
            .get(r.u8()? as usize)
            .ok_or_else(|| Error::malformed(WHAT, "unknown position"))?;
        let count = r.u32()?;
        let n = r.u32()? as usize;
        let label = r.take(n)?;
        each(RawFeature {
            hash,
            kind,
            position,
            count,
            label,
        });
    }
    r.end()?;
    Ok(Head {
        id,
        lang,
        copy_key,
        signature,
    })
}

impl Frequencies {
    /// An empty table (no document).
    pub fn new() -> Frequencies {
        Frequencies::default()
    }

    /// Counts a document: one more document, one more for each of its features. Add each
    /// copy group once (its representative).
    pub fn add(&mut self, fp: &Fingerprint) {
        self.count_document(fp.lang);
        if fp.features.iter().any(|f| f.kind == FeatureKind::Concept) {
            self.concepts += 1;
        }
        for f in &fp.features {
            *self.df.entry(f.hash).or_insert(0) += 1;
        }
    }

    /// [`add`](Self::add) of a fingerprint in its binary form, read without making its
    /// labels.
    ///
    /// # Errors
    /// As [`Fingerprint::from_bytes`]; the table is then unchanged.
    pub fn add_bytes(&mut self, bytes: &[u8]) -> Result<()> {
        let mut hashes = Vec::new();
        let mut concept = false;
        let head = walk(bytes, |f| {
            concept |= f.kind == FeatureKind::Concept;
            hashes.push(f.hash)
        })?;
        self.count_document(head.lang);
        self.concepts += u64::from(concept);
        for h in hashes {
            *self.df.entry(h).or_insert(0) += 1;
        }
        Ok(())
    }

    /// Adds another part's counts (documents and frequencies are sums). Merging is
    /// associative and commutative, so parts merge in any order.
    pub fn merge(&mut self, other: &Frequencies) {
        self.documents += other.documents;
        self.concepts += other.concepts;
        if self.by_lang.len() < other.by_lang.len() {
            self.by_lang.resize(other.by_lang.len(), 0);
        }
        for (n, &m) in self.by_lang.iter_mut().zip(&other.by_lang) {
            *n += m;
        }
        self.df.reserve(other.df.len());
        for (&h, &n) in &other.df {
            let e = self.df.entry(h).or_insert(0);
            *e = e.saturating_add(n);
        }
    }

    /// Documents counted.
    pub fn documents(&self) -> u64 {
        self.documents
    }

    /// Documents counted that hold a concept ([`FeatureKind::Concept`]): the documents a
    /// concept's rarity is counted among.
    pub fn concept_documents(&self) -> u64 {
        self.concepts
    }

    /// One more document, of language `lang`.
    fn count_document(&mut self, lang: Option<Lang>) {
        self.documents += 1;
        let l = lang_slot(lang) as usize;
        if self.by_lang.len() <= l {
            self.by_lang.resize(l + 1, 0);
        }
        self.by_lang[l] += 1;
    }

    /// Documents counted of one language (`None`: text whose language was not determined).
    pub fn documents_in(&self, lang: Option<Lang>) -> u64 {
        self.by_lang
            .get(lang_slot(lang) as usize)
            .copied()
            .unwrap_or(0)
    }

    /// Every `(language, documents)` counted, in [`Lang::ALL`] order, undetermined last.
    pub fn languages(&self) -> Vec<(Option<Lang>, u64)> {
        (0..self.by_lang.len())
            .filter(|&i| self.by_lang[i] > 0)
            .map(|i| (Lang::ALL.get(i).copied(), self.by_lang[i]))
            .collect()
    }

    /// The table with its documents counted by language: for a table made with
    /// [`from_entries`](Self::from_entries) (an engine's `GROUP BY lang` count; a language
    /// given twice adds up). Without them a local feature's rarity is counted among every
    /// document, and scores differ from a corpus's where more than one language is held.
    pub fn with_languages(
        mut self,
        counts: impl IntoIterator<Item = (Option<Lang>, u64)>,
    ) -> Frequencies {
        for (lang, n) in counts {
            let l = lang_slot(lang) as usize;
            if self.by_lang.len() <= l {
                self.by_lang.resize(l + 1, 0);
            }
            self.by_lang[l] = self.by_lang[l].saturating_add(n);
        }
        self
    }

    /// The document frequency of a feature hash (0 when no document has it).
    pub fn df(&self, hash: u64) -> u32 {
        self.df.get(&hash).copied().unwrap_or(0)
    }

    /// Distinct features counted.
    pub fn len(&self) -> usize {
        self.df.len()
    }

    /// Whether no feature is counted.
    pub fn is_empty(&self) -> bool {
        self.df.is_empty()
    }

    /// Every `(hash, document frequency)`, sorted by hash: for an engine that keeps the table
    /// as rows.
    pub fn entries(&self) -> Vec<(u64, u32)> {
        let mut v: Vec<(u64, u32)> = self.df.iter().map(|(&h, &n)| (h, n)).collect();
        v.sort_unstable();
        v
    }

    /// A table from `documents` and `(hash, document frequency)` rows (an engine's
    /// `GROUP BY hash` count); a hash given twice adds up. Add the documents' languages with
    /// [`with_languages`](Self::with_languages) and those holding a concept with
    /// [`with_concept_documents`](Self::with_concept_documents) (until then every document
    /// counts as holding one).
    pub fn from_entries(
        documents: u64,
        entries: impl IntoIterator<Item = (u64, u32)>,
    ) -> Frequencies {
        let mut df: AHashMap<u64, u32> = AHashMap::new();
        for (h, n) in entries {
            let e = df.entry(h).or_insert(0);
            *e = e.saturating_add(n);
        }
        Frequencies {
            documents,
            concepts: documents,
            by_lang: Vec::new(),
            df,
        }
    }

    /// The table with `n` documents holding a concept (an engine's count of the copy groups'
    /// representatives whose fingerprint holds a [`FeatureKind::Concept`]).
    pub fn with_concept_documents(mut self, n: u64) -> Frequencies {
        self.concepts = n;
        self
    }

    /// The table in binary form, for a broadcast: magic `LNTD`, format version 2, documents,
    /// documents holding a concept, the languages counted (a 4-byte count, then each language's code as a length-prefixed
    /// string, `""` for undetermined, and its 8-byte document count, in [`Lang::ALL`] order),
    /// then the entries sorted by hash (8-byte hash, 4-byte frequency), ending with an XXH3
    /// checksum. The same table always gives the same bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let entries = self.entries();
        let langs = self.languages();
        let mut w = Vec::with_capacity(41 + langs.len() * 16 + entries.len() * 12);
        w.extend_from_slice(&FREQUENCIES_MAGIC);
        w.push(FREQUENCIES_VERSION);
        w.extend_from_slice(&self.documents.to_le_bytes());
        w.extend_from_slice(&self.concepts.to_le_bytes());
        w.extend_from_slice(&(langs.len() as u32).to_le_bytes());
        for (lang, n) in langs {
            put_str(&mut w, lang.map_or("", Lang::code));
            w.extend_from_slice(&n.to_le_bytes());
        }
        w.extend_from_slice(&(entries.len() as u64).to_le_bytes());
        for (h, n) in entries {
            w.extend_from_slice(&h.to_le_bytes());
            w.extend_from_slice(&n.to_le_bytes());
        }
        let sum = xxh3_64(&w);
        w.extend_from_slice(&sum.to_le_bytes());
        w
    }

    /// Decodes [`to_bytes`](Self::to_bytes).
    ///
    /// # Errors
    /// [`Error::Malformed`] naming `frequencies` when the bytes are cut, changed (checksum),
    /// of another format version, or do not decode.
    pub fn from_bytes(bytes: &[u8]) -> Result<Frequencies> {
        const WHAT: &str = "frequencies";
        let mut r = Reader::checked(bytes, FREQUENCIES_MAGIC, FREQUENCIES_VERSION, WHAT)?;
        let documents = r.u64()?;
        let concepts = r.u64()?;
        let mut by_lang = Vec::new();
        for _ in 0..r.u32()? {
            let code = r.str()?;
            let lang = match code {
                "" => None,
                c => Some(Lang::from_code(c).ok_or_else(|| {
                    Error::malformed(WHAT, format!("unknown language code `{c}`"))
                })?),
            };
            let l = lang_slot(lang) as usize;
            if by_lang.len() <= l {
                by_lang.resize(l + 1, 0);
            }
            if by_lang[l] != 0 {
                return Err(Error::malformed(WHAT, "a language given twice"));
            }
            by_lang[l] = r.u64()?;
        }
        let n = r.u64()?;
        if n.saturating_mul(12) != r.rest() as u64 {
            return Err(Error::malformed(
                WHAT,
                format!("{n} entries do not fit the bytes"),
            ));
        }
        let mut df = AHashMap::with_capacity(n as usize);
        for _ in 0..n {
            let h = r.u64()?;
            if df.insert(h, r.u32()?).is_some() {
                return Err(Error::malformed(WHAT, "a hash given twice"));
            }
        }
        r.end()?;
        Ok(Frequencies {
            documents,
            concepts,
            by_lang,
            df,
        })
    }
}

fn put_str(w: &mut Vec<u8>, s: &str) {
    w.extend_from_slice(&(s.len() as u32).to_le_bytes());
    w.extend_from_slice(s.as_bytes());
}

/// Reads a checksummed binary form: magic, version, payload, 8-byte XXH3 of all before it.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    what: &'static str,
}

impl<'a> Reader<'a> {
    fn checked(bytes: &'a [u8], magic: [u8; 4], version: u8, what: &'static str) -> Result<Self> {
        if bytes.len() < 13 {
            return Err(Error::malformed(
                what,
                format!("truncated: {} bytes", bytes.len()),
            ));
        }
        if bytes[..4] != magic {
            return Err(Error::malformed(what, "wrong magic"));
        }
        if bytes[4] != version {
            return Err(Error::malformed(
                what,
                format!("unknown format version {} (expected {version})", bytes[4]),
            ));
        }
        let (body, sum) = bytes.split_at(bytes.len() - 8);
        // A fuzz build (`--cfg fuzzing`) takes any checksum, so that mutations reach the
        // decoding behind it (`fuzz/fuzz_targets/engine_bytes.rs`).
        if xxh3_64(body).to_le_bytes() != sum && !cfg!(fuzzing) {
            return Err(Error::malformed(what, "checksum mismatch (cut or changed)"));
        }
        Ok(Reader {
            bytes: body,
            at: 5,
            what,
        })
    }

    fn rest(&self) -> usize {
        self.bytes.len() - self.at
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if n > self.rest() {
            return Err(Error::malformed(self.what, "truncated"));
        }
        let s = &self.bytes[self.at..self.at + n];
        self.at += n;
        Ok(s)
    }

    fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }

    fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }

    fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().expect("8 bytes"),
        ))
    }

    fn str(&mut self) -> Result<&'a str> {
        let n = self.u32()? as usize;
        let what = self.what;
        std::str::from_utf8(self.take(n)?)
            .map_err(|_| Error::malformed(what, "a string is not UTF-8"))
    }

    fn end(&self) -> Result<()> {
        if self.rest() != 0 {
            return Err(Error::malformed(
                self.what,
                format!("{} bytes left over", self.rest()),
            ));
        }
        Ok(())
    }
}
