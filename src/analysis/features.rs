//! Stage 8: features — what the similarity core receives.
//!
//! Each feature is a `u64` ([`feature_hash`](crate::hash::feature_hash) of its kind
//! and label) with its [`FeatureKind`], its label (for explanations) and how often it
//! occurred. Concept unigrams, language-neutral anchors, language-local words and, when
//! enabled, order-free concept pairs within a short window (ordered n-grams collapse across
//! languages: Indonesian puts the head first).

use crate::hash::feature_hash;
use crate::{FeatureKind, Position};
use std::sync::Arc;

pub use crate::Feature;

/// Marks a bag item's label as one of the bag's own labels (see [`FeatureBag::push`]).
const OWNED: u32 = 1 << 31;

/// Highest label id the analyser's label space may use (ids at or above [`OWNED`] are the
/// bag's own).
pub(crate) const MAX_LABEL_ID: u32 = OWNED - 1;

/// One distinct feature of the document so far.
#[derive(Debug, Clone, Copy)]
struct Item {
    hash: u64,
    /// An id in the analyser's label space, or `OWNED | index` into the bag's own labels.
    label: u32,
    count: u32,
    kind: FeatureKind,
    /// The earliest position it occurred at.
    position: Position,
}

/// Collects features of one document, deduplicated by hash.
///
/// Labels are not touched while counting: a feature taken from the analyser's word cache
/// carries a label *id*, resolved once per distinct feature in [`FeatureBag::finish`]. Reading
/// a label (an `Arc<str>` on the heap) for every occurrence costs a cache miss per rare word.
#[derive(Debug)]
pub(crate) struct FeatureBag {
    /// Open addressing on the feature hash (already uniform): item index + 1, 0 when empty.
    /// Its length is a power of two, at least twice the number of items.
    slots: Vec<u32>,
    items: Vec<Item>,
    /// Labels made while analysing this document (anchors, lexicon phrases).
    owned: OwnedLabels,
    /// Items of concept occurrences in text order with their positions, for pairs (kept only
    /// when pairs are on).
    sequence: Vec<(u32, Position)>,
    pairs: bool,
    /// Where the token being read sits: the position of what is counted now (set through
    /// [`FeatureBag::set_position`], which counts the deferred features first).
    position: Position,
    /// Features of cached words waiting to be counted ([`FeatureBag::defer_id`]): the first
    /// `deferred` entries; the buffer is always at least one longer.
    pending: Vec<Deferred>,
    deferred: usize,
}

/// A word-cache feature whose counting is deferred: hash, label id, kind.
type Deferred = (u64, u32, FeatureKind);

/// The table and item buffers of the last bag finished on this thread, reused by the next
/// (see [`FeatureBag::new`]).
type Buffers = (Vec<u32>, Vec<Item>, Vec<Deferred>);

/// Buffers of bags that grew past this many slots are freed, not kept.
const KEEP_SLOTS: usize = 1 << 17;

/// Most features a bag defers (16 bytes each; [`FeatureBag::defer_id`]): a longer document
/// counts the rest at once, so a huge one leaves no huge buffer behind on its thread.
const MAX_DEFERRED: usize = 1 << 16;

thread_local! {
    static BUFFERS: std::cell::RefCell<Buffers> = const {
        std::cell::RefCell::new((Vec::new(), Vec::new(), Vec::new()))
    };
}

impl FeatureBag {
    /// A bag for a document of about `tokens` tokens; `pairs` keeps the concept sequence.
    /// Its table and items reuse the memory of the last bag finished on this thread.
    pub fn new(pairs: bool, tokens: usize) -> FeatureBag {
        let len = (tokens.saturating_mul(2))
            .clamp(64, 1 << 16)
            .next_power_of_two();
        let (mut slots, mut items, mut pending) =
            BUFFERS.with(|b| std::mem::take(&mut *b.borrow_mut()));
        slots.clear();
        slots.resize(len, 0);
        items.clear();
        items.reserve(len / 2);
        // One entry per token at most, and the one written past the end; entries are
        // written before they are read, so a longer buffer is kept as it is.
        let want = (tokens + 1).min(MAX_DEFERRED);
        if pending.len() < want {
            pending.resize(want, (0, 0, FeatureKind::Concept));
        }
        FeatureBag {
            slots,
            items,
            owned: OwnedLabels::default(),
            sequence: Vec::new(),
            pairs,
            position: Position::Headline,
            pending,
            deferred: 0,
        }
    }

    /// Where what is counted next sits; what was deferred is counted at the position it was
    /// deferred at.
    pub fn set_position(&mut self, position: Position) {
        self.count_deferred();
        self.position = position;
    }

    /// The position of what is counted now.
    pub fn position(&self) -> Position {
        self.position
    }

    /// Counts a feature of the analyser's label space later (before the position changes or
    /// the bag finishes), and only when `live`, without a branch on `live`: a word's being a
    /// function word or not is as good as random to the branch predictor. Counting later
    /// changes nothing the bag gives (items are sorted by hash, counts add up, a position
    /// is the earliest), except the concept sequence, so a bag that keeps pairs counts at
    /// once. Past the buffer's end (one entry per token of the `tokens` given to
    /// [`FeatureBag::new`], at most [`MAX_DEFERRED`]) features are counted at once.
    #[inline]
    pub fn defer_id(&mut self, hash: u64, kind: FeatureKind, label: u32, live: bool) {
        debug_assert!(label <= MAX_LABEL_ID);
        if self.pairs || self.deferred + 1 >= self.pending.len() {
            if live {
                self.push_id(hash, kind, label);
            }
            return;
        }
        self.pending[self.deferred] = (hash, label, kind);
        self.deferred += usize::from(live);
    }

    /// Counts the deferred features.
    fn count_deferred(&mut self) {
        let pending = std::mem::take(&mut self.pending);
        for &(hash, label, kind) in &pending[..self.deferred] {
            self.push_id(hash, kind, label);
        }
        self.pending = pending;
        self.deferred = 0;
    }

    /// The item holding `hash`, or the empty slot where it goes.
    #[inline]
    fn find(&self, hash: u64) -> std::result::Result<usize, usize> {
        let mask = self.slots.len() - 1;
        let mut p = (hash >> 32) as usize & mask;
        loop {
            let s = self.slots[p];
            if s == 0 {
                return Err(p);
            }
            let i = (s - 1) as usize;
            if self.items[i].hash == hash {
                return Ok(i);
            }
            p = (p + 1) & mask;
        }
    }

    #[inline]
    fn note_sequence(&mut self, item: usize, kind: FeatureKind) {
        if self.pairs && kind == FeatureKind::Concept {
            self.sequence.push((item as u32, self.position));
        }
    }

    #[inline]
    fn insert(&mut self, slot: usize, item: Item) -> usize {
        let i = self.items.len();
        self.items.push(item);
        self.slots[slot] = (i + 1) as u32;
        if self.items.len() * 2 > self.slots.len() {
            self.grow();
        }
        i
    }

    #[cold]
    #[inline(never)]
    fn grow(&mut self) {
        let len = self.slots.len() * 2;
        self.slots = vec![0; len];
        let mask = len - 1;
        for (i, item) in self.items.iter().enumerate() {
            let mut p = (item.hash >> 32) as usize & mask;
            while self.slots[p] != 0 {
                p = (p + 1) & mask;
            }
            self.slots[p] = (i + 1) as u32;
        }
    }

    /// Counts a feature whose label is `label` in the analyser's label space.
    #[inline]
    pub fn push_id(&mut self, hash: u64, kind: FeatureKind, label: u32) {
        debug_assert!(label <= MAX_LABEL_ID);
        self.count(hash, kind, |_| label);
    }

    /// Counts a feature with a label shared elsewhere (a lexicon concept).
    pub fn push_hashed(&mut self, hash: u64, kind: FeatureKind, label: &Arc<str>) {
        self.count(hash, kind, |bag| {
            OWNED | bag.owned.push(OwnedLabel::Shared(label.clone()))
        });
    }

    /// Counts a feature given by its label.
    pub fn push(&mut self, kind: FeatureKind, label: &str) {
        self.count(feature_hash(kind, label), kind, |bag| {
            OWNED | bag.owned.push_text(label)
        });
    }

    /// Counts one occurrence of `hash`; `label` gives the label id of a feature new to the
    /// document.
    #[inline]
    fn count(&mut self, hash: u64, kind: FeatureKind, label: impl FnOnce(&mut Self) -> u32) {
        let i = match self.find(hash) {
            Ok(i) => {
                let item = &mut self.items[i];
                item.count += 1;
                item.position = item.position.min(self.position);
                i
            }
            Err(slot) => {
                let label = label(self);
                self.insert(
                    slot,
                    Item {
                        hash,
                        label,
                        count: 1,
                        kind,
                        position: self.position,
                    },
                )
            }
        };
        self.note_sequence(i, kind);
    }

    fn label(&self, id: u32, resolve: &impl Fn(u32) -> Arc<str>) -> Arc<str> {
        label_of(&self.owned, id, resolve)
    }

    /// Order-free pairs of concepts at most `window` positions apart.
    fn add_pairs(&mut self, window: usize, resolve: &impl Fn(u32) -> Arc<str>) {
        if window == 0 {
            return;
        }
        let seq: Vec<(Arc<str>, Position)> = std::mem::take(&mut self.sequence)
            .into_iter()
            .map(|(i, p)| (self.label(self.items[i as usize].label, resolve), p))
            .collect();
        for i in 0..seq.len() {
            for j in i + 1..seq.len().min(i + 1 + window) {
                let ((a, _), (b, _)) = if seq[i].0 <= seq[j].0 {
                    (&seq[i], &seq[j])
                } else {
                    (&seq[j], &seq[i])
                };
                if a == b {
                    continue;
                }
                let label = format!("{a}+{b}");
                // A pair occurs where its later word does.
                self.position = seq[j].1;
                self.push(FeatureKind::Pair, &label);
            }
        }
    }

    /// The features, sorted by hash. Labels with an id below `lazy_below` (the analyser's
    /// shared labels, which never change) are left as ids, to be resolved only if asked for
    /// ([`Features::resolve`]); `resolve` gives the label of any other id of the analyser's
    /// label space now.
    pub fn finish(
        mut self,
        pair_window: usize,
        lazy_below: u32,
        resolve: impl Fn(u32) -> Arc<str>,
    ) -> Features {
        self.count_deferred();
        self.add_pairs(pair_window, &resolve);
        let sorted = sort_by_hash(&self.items);
        // Collected from exact-size iterators: no capacity check per element.
        let hashes: Vec<u64> = sorted.iter().map(|it| it.hash).collect();
        let mut owned = std::mem::take(&mut self.owned);
        let meta: Vec<Meta> = sorted
            .iter()
            .map(|it| Meta {
                label: if it.label & OWNED != 0 || it.label < lazy_below {
                    it.label
                } else {
                    OWNED | owned.push(OwnedLabel::Shared(resolve(it.label)))
                },
                count: it.count,
                kind: it.kind,
                position: it.position,
            })
            .collect();
        if self.slots.len() <= KEEP_SLOTS {
            let buffers = (
                std::mem::take(&mut self.slots),
                std::mem::take(&mut self.items),
                std::mem::take(&mut self.pending),
            );
            BUFFERS.with(|b| *b.borrow_mut() = buffers);
        }
        Features {
            hashes,
            meta,
            owned,
        }
    }
}

/// What a feature of a finished bag has besides its hash.
#[derive(Debug, Clone, Copy)]
struct Meta {
    /// An id in the analyser's label space (below the bag's `lazy_below`), or
    /// `OWNED | index` into [`Features::owned`].
    label: u32,
    count: u32,
    kind: FeatureKind,
    position: Position,
}

/// The features of a document, sorted by hash, with labels not yet resolved.
///
/// The hashes are all a signature needs; the labels (for explanations) are `Arc<str>`s
/// scattered on the heap, and cloning one per feature costs a cache miss or two each, so they
/// are resolved only when asked for.
#[derive(Debug, Clone, Default)]
pub(crate) struct Features {
    /// Distinct feature hashes, strictly increasing.
    hashes: Vec<u64>,
    /// Kind, count and label of each hash, in the same order.
    meta: Vec<Meta>,
    /// Labels made for this document (or resolved when it was finished).
    owned: OwnedLabels,
}

impl Features {
    /// The feature hashes, strictly increasing.
    pub fn hashes(&self) -> &[u64] {
        &self.hashes
    }

    /// Number of distinct features.
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    /// Whether any label is an id of the analyser's label space (to be resolved with
    /// [`Features::resolve`]).
    pub fn has_ids(&self) -> bool {
        self.meta.iter().any(|m| m.label & OWNED == 0)
    }

    /// The features with their labels; `resolve` gives the label of an id of the analyser's
    /// label space.
    pub fn resolve(&self, resolve: impl Fn(u32) -> Arc<str>) -> Vec<Feature> {
        self.hashes
            .iter()
            .zip(&self.meta)
            .map(|(&hash, m)| Feature {
                hash,
                kind: m.kind,
                label: label_of(&self.owned, m.label, &resolve),
                count: m.count,
                position: m.position,
            })
            .collect()
    }
}

/// The label with id `id`: `owned`'s for an `OWNED` id, else `resolve`'s.
fn label_of(owned: &OwnedLabels, id: u32, resolve: &impl Fn(u32) -> Arc<str>) -> Arc<str> {
    if id & OWNED != 0 {
        owned.get((id & !OWNED) as usize)
    } else {
        resolve(id)
    }
}

/// A label of one document: shared with the lexicon or the analyser, or text of the
/// document's own (anchors), kept in [`OwnedLabels::text`] until asked for.
#[derive(Debug, Clone)]
enum OwnedLabel {
    Shared(Arc<str>),
    Text { start: usize, end: usize },
}

/// The labels made for one document. The text of anchor labels is written into one buffer
/// and becomes an `Arc<str>` only when the labels are asked for
/// ([`Analysis::features`](crate::Analysis::features)): a caller that wants only a signature
/// makes no allocation per anchor.
#[derive(Debug, Clone, Default)]
struct OwnedLabels {
    text: String,
    labels: Vec<OwnedLabel>,
}

impl OwnedLabels {
    /// Keeps a label: its index.
    fn push(&mut self, label: OwnedLabel) -> u32 {
        self.labels.push(label);
        (self.labels.len() - 1) as u32
    }

    /// Keeps a label given by its text: its index.
    fn push_text(&mut self, label: &str) -> u32 {
        if self.text.capacity() == 0 {
            self.text.reserve(256);
        }
        let start = self.text.len();
        self.text.push_str(label);
        self.push(OwnedLabel::Text {
            start,
            end: self.text.len(),
        })
    }

    /// The label at `index`.
    fn get(&self, index: usize) -> Arc<str> {
        match &self.labels[index] {
            OwnedLabel::Shared(label) => label.clone(),
            OwnedLabel::Text { start, end } => Arc::from(&self.text[*start..*end]),
        }
    }
}

/// `items` sorted by hash: placed by their top byte (hashes are uniform, so each of the 256
/// buckets holds about `len / 256` items), then an insertion sort puts each bucket in order.
/// Linear in the number of items, where a comparison sort of a few hundred items takes eight
/// mispredicted comparisons each.
fn sort_by_hash(items: &[Item]) -> Vec<Item> {
    if items.len() < 64 {
        let mut v = items.to_vec();
        v.sort_unstable_by_key(|f| f.hash);
        return v;
    }
    let mut start = [0u32; 257];
    for it in items {
        start[(it.hash >> 56) as usize + 1] += 1;
    }
    for b in 1..257 {
        start[b] += start[b - 1];
    }
    let mut out = vec![items[0]; items.len()];
    for it in items {
        let b = (it.hash >> 56) as usize;
        out[start[b] as usize] = *it;
        start[b] += 1;
    }
    for i in 1..out.len() {
        let mut j = i;
        while j > 0 && out[j - 1].hash > out[j].hash {
            out.swap(j - 1, j);
            j -= 1;
        }
    }
    out
}

/// For bags without labels from the analyser's label space.
#[cfg(test)]
fn no_ids(_: u32) -> Arc<str> {
    unreachable!("the bag holds only its own labels")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pair labels of a bag of `words` (concepts, in this order) within `window`, sorted.
    fn pair_labels(words: &[&str], window: usize) -> Vec<Arc<str>> {
        let mut bag = FeatureBag::new(true, 8);
        for w in words {
            bag.push(FeatureKind::Concept, w);
        }
        let mut pairs: Vec<_> = bag
            .finish(window, 0, no_ids)
            .resolve(no_ids)
            .into_iter()
            .filter(|f| f.kind == FeatureKind::Pair)
            .map(|f| f.label)
            .collect();
        pairs.sort();
        pairs
    }

    #[test]
    fn pairs_are_order_free_and_windowed() {
        let pa = pair_labels(&["artifici", "intellig", "industri"], 2);
        let pb = pair_labels(&["industri", "intellig", "artifici"], 2);
        assert_eq!(pa, pb);
        assert_eq!(pa.len(), 3);
        assert_eq!(pair_labels(&["x", "y", "z"], 1).len(), 2);
    }

    #[test]
    fn grows_and_resolves_label_ids() {
        // Far more distinct features than the initial table holds, each pushed twice, half of
        // them by label id.
        let mut a = FeatureBag::new(false, 1);
        for round in 0..2 {
            for i in 0..5000u32 {
                let label = format!("w{i}");
                if i % 2 == 0 {
                    a.push_id(
                        feature_hash(FeatureKind::Concept, &label),
                        FeatureKind::Concept,
                        i,
                    );
                } else {
                    a.push(FeatureKind::Concept, &label);
                }
            }
            assert_eq!(a.items.len(), 5000, "round {round}");
        }
        // Ids below 2500 stay ids until resolved; the others are resolved when the bag finishes.
        let finished = a.finish(0, 2500, |id| {
            assert!(id >= 2500, "id {id} resolved early");
            Arc::from(format!("w{id}"))
        });
        assert!(finished.has_ids());
        assert_eq!(finished.len(), 5000);
        assert!(finished.hashes().windows(2).all(|w| w[0] < w[1]));
        let f = finished.resolve(|id| {
            assert!(id < 2500, "id {id} resolved twice");
            Arc::from(format!("w{id}"))
        });
        assert_eq!(f.len(), 5000);
        assert!(f.windows(2).all(|w| w[0].hash < w[1].hash));
        for x in &f {
            assert_eq!(x.count, 2);
            assert_eq!(x.hash, feature_hash(x.kind, &x.label), "{}", x.label);
        }
    }

    /// Features (label, count, position) of a bag fed by `feed`, sorted by label.
    fn counted(
        pairs: bool,
        tokens: usize,
        feed: impl FnOnce(&mut FeatureBag),
    ) -> Vec<(String, u32, Position)> {
        let mut bag = FeatureBag::new(pairs, tokens);
        feed(&mut bag);
        let mut f: Vec<_> = bag
            .finish(0, 0, |id| Arc::from(format!("w{id}")))
            .resolve(|id| Arc::from(format!("w{id}")))
            .into_iter()
            .map(|f| (f.label.to_string(), f.count, f.position))
            .collect();
        f.sort();
        f
    }

    #[test]
    fn deferred_counting_is_counting() {
        // Words 0..40 by id, every third one not live (a function word), over three
        // sections, with labelled features pushed at once in between; the same pushes
        // counted at once must give the same bag, whether the buffer suffices (200 tokens)
        // or overflows (10 tokens: the rest is counted at once).
        let id = |i: u32| {
            let l = format!("w{i}");
            (feature_hash(FeatureKind::Concept, &l), i)
        };
        let script = |bag: &mut FeatureBag, defer: bool| {
            for (s, position) in [Position::Headline, Position::Lead, Position::Body]
                .into_iter()
                .enumerate()
            {
                bag.set_position(position);
                for i in 0..40u32 {
                    let w = (i * 7 + s as u32 * 3) % 25;
                    let (hash, label) = id(w);
                    let live = !w.is_multiple_of(3);
                    if defer {
                        bag.defer_id(hash, FeatureKind::Concept, label, live);
                    } else if live {
                        bag.push_id(hash, FeatureKind::Concept, label);
                    }
                    if i.is_multiple_of(10) {
                        bag.push(FeatureKind::Anchor, &format!("num:{s}"));
                    }
                }
            }
        };
        let at_once = counted(false, 200, |b| script(b, false));
        assert!(at_once.iter().any(|f| f.2 == Position::Headline));
        assert!(at_once.iter().any(|f| f.2 == Position::Body));
        assert!(!at_once.iter().any(|f| f.0 == "w0" || f.0 == "w3"));
        assert_eq!(counted(false, 200, |b| script(b, true)), at_once);
        // The buffer is kept from bag to bag on a thread: a new thread's is as long as the
        // bag asks, so this one overflows.
        let overflowed = std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    counted(false, 10, |b| {
                        assert_eq!(b.pending.len(), 11);
                        script(b, true)
                    })
                })
                .join()
                .expect("the scoped thread")
        });
        assert_eq!(overflowed, at_once);
        // A bag keeping pairs counts at once (its concept sequence is in text order).
        assert_eq!(counted(true, 200, |b| script(b, true)), at_once);
    }

    #[test]
    fn counts_and_dedup() {
        let mut a = FeatureBag::new(true, 8);
        a.push(FeatureKind::Anchor, "num:5");
        a.push(FeatureKind::Anchor, "num:5");
        a.push(FeatureKind::Concept, "num:5");
        let f = a.finish(0, 0, no_ids).resolve(no_ids);
        assert_eq!(f.len(), 2);
        assert_eq!(f.iter().map(|x| x.count).sum::<u32>(), 3);
    }
}
