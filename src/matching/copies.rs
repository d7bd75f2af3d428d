//! Near-exact copies: documents whose analysis gives the same language and features are one
//! group, held, counted and matched once (see
//! [`CorpusBuilder::collapse_copies`](crate::CorpusBuilder::collapse_copies)); and the pair
//! stream, which matches the groups' representatives and expands their pairs to the members.

use super::corpus::{Corpus, Doc, NOT_A_COPY};
use super::verify::{BatchWeights, Match};
use crate::{Feature, Lang};
use ahash::AHashMap;
use std::sync::Arc;
use xxhash_rust::xxh3::Xxh3;

/// The groups of near-exact copies.
#[derive(Debug, Clone, Default)]
pub(super) struct Copies {
    /// Copy-group key → the slot of its representative.
    pub(super) by_key: AHashMap<u64, u32>,
    /// Representative → its copies' slots, ascending (the representative is the group's
    /// earliest document, so it is never among them).
    pub(super) members: AHashMap<u32, Vec<u32>>,
}

/// The key of a document's copy group: its language and every feature hash with whether it
/// counts for headline/lead blocking (so copies are indistinguishable to matching). Never 0.
pub(super) fn copy_key(lang: Option<Lang>, fs: &[&Feature], is_lead: fn(&Feature) -> bool) -> u64 {
    let mut h = Xxh3::with_seed(0x6c69_6e74_6173_4350);
    h.update(lang.map_or("", |l| l.code()).as_bytes());
    h.update(&[0xff]);
    for f in fs {
        h.update(&f.hash.to_le_bytes());
        h.update(&[u8::from(is_lead(f))]);
    }
    h.digest().max(1)
}

impl Copies {
    /// The slots of the group of representative `rep`, ascending, the representative first.
    pub(super) fn group(&self, rep: u32) -> impl Iterator<Item = u32> + '_ {
        std::iter::once(rep).chain(self.members.get(&rep).into_iter().flatten().copied())
    }

    /// Whether `rep` has copies.
    fn has_copies(&self, rep: u32) -> bool {
        self.members.get(&rep).is_some_and(|m| !m.is_empty())
    }

    /// A copy leaves its group.
    pub(super) fn leave(&mut self, rep: u32, slot: u32) {
        if let Some(m) = self.members.get_mut(&rep) {
            m.retain(|&s| s != slot);
            if m.is_empty() {
                self.members.remove(&rep);
            }
        }
    }

    /// The copy that takes over when representative `rep` is removed (its earliest), if any.
    pub(super) fn heir(&self, rep: u32) -> Option<u32> {
        self.members.get(&rep).and_then(|m| m.first().copied())
    }
}

impl Corpus {
    /// The removed representative `old`'s features pass to its earliest copy `heir`, which
    /// becomes the representative: the index, postings and group move to it; document
    /// frequencies are unchanged (the group still counts once).
    pub(super) fn promote(&mut self, old: Doc, heir: u32) {
        let old_slot = old.slot;
        let heir_doc = self.docs[heir as usize].take().expect("a copy is held");
        let mut doc = old;
        doc.id = heir_doc.id;
        doc.slot = heir;
        doc.copy_of = NOT_A_COPY;
        if let Some(sig) = self.index.remove(&old_slot) {
            // Same parameters as when it was inserted: cannot fail.
            let _ = self.index.insert(heir, sig);
        }
        for &f in doc.features.iter() {
            self.table.replace_posting(f, old_slot, heir);
        }
        let mut rest = self.copies.members.remove(&old_slot).unwrap_or_default();
        rest.retain(|&s| s != heir);
        for &s in &rest {
            if let Some(d) = self.docs[s as usize].as_mut() {
                d.copy_of = heir;
            }
        }
        if !rest.is_empty() {
            self.copies.members.insert(heir, rest);
        }
        if doc.key != 0 {
            self.copies.by_key.insert(doc.key, heir);
        }
        self.docs[heir as usize] = Some(doc);
    }

    /// Groups of near-exact copies with at least two documents, each in insertion order (its
    /// representative first), groups in their representatives' order. See
    /// [`CorpusBuilder::collapse_copies`](crate::CorpusBuilder::collapse_copies).
    pub fn copy_groups(&self) -> Vec<Vec<Arc<str>>> {
        let mut reps: Vec<u32> = self.copies.members.keys().copied().collect();
        reps.sort_unstable();
        reps.into_iter()
            .filter(|&r| self.copies.has_copies(r))
            .map(|r| self.copies.group(r).map(|s| self.id_of(s)).collect())
            .collect()
    }

    /// The id of a held slot.
    fn id_of(&self, slot: u32) -> Arc<str> {
        self.docs[slot as usize].as_ref().expect("held").id.clone()
    }

    /// The flagged pairs between copy groups' representatives (and single documents), later
    /// document's slot `first_slot` or more, streamed like [`Corpus::try_for_each_pair`]: what
    /// [`Corpus::try_for_each_pair`] gives before every pair is expanded to the members of
    /// both groups and each group's own pairs are added. With [`Corpus::copy_groups`], the
    /// compact form of the result for feeds that repeat one story many times.
    ///
    /// # Errors
    /// The first error of `sink`.
    pub fn try_for_each_representative_pair<E>(
        &self,
        first_slot: u32,
        mut sink: impl FnMut(Match) -> Result<(), E>,
    ) -> Result<(), E> {
        let touched = self.touched_since(first_slot);
        let table = self.batch_weights_since(first_slot, &touched);
        self.stream(first_slot, &touched, Some(&table), false, &mut sink)
    }

    /// The representatives of the groups with a member at slot `first_slot` or after, sorted:
    /// what [`Corpus::stream`] matches.
    pub(super) fn touched_since(&self, first_slot: u32) -> Vec<u32> {
        let mut touched: Vec<u32> = self.docs[(first_slot as usize).min(self.docs.len())..]
            .iter()
            .flatten()
            .map(|d| {
                if d.copy_of == NOT_A_COPY {
                    d.slot
                } else {
                    d.copy_of
                }
            })
            .collect();
        touched.sort_unstable();
        touched.dedup();
        touched
    }

    /// The pair stream. The groups touched since `first_slot` (a member at or after it) are
    /// matched by their representatives, in slot order and in chunks (in parallel with the
    /// `parallel` feature), against every representative before them and every untouched
    /// one, so each pair of groups is matched once. With `expand`, each representative pair
    /// becomes the pairs of the groups' members (at least one at or after `first_slot`), and
    /// a touched group's own pairs come first.
    pub(super) fn stream<E>(
        &self,
        first_slot: u32,
        touched: &[u32],
        table: Option<&BatchWeights>,
        expand: bool,
        mut sink: impl FnMut(Match) -> Result<(), E>,
    ) -> Result<(), E> {
        /// Groups matched per chunk: enough to keep every core busy, few enough that a
        /// chunk's pairs stay small.
        const CHUNK: usize = 1024;
        // From slot 0 every group is touched: skip the search.
        let is_touched = |s: u32| first_slot == 0 || touched.binary_search(&s).is_ok();
        for chunk in touched.chunks(CHUNK) {
            let found = super::par_map(chunk, |&rep| {
                let doc = self.docs[rep as usize]
                    .as_ref()
                    .expect("a representative is held");
                let mut v = self.matches_of(doc, Some(rep), table, |o| o < rep || !is_touched(o));
                for (o, m) in v.iter_mut() {
                    // `a` is the earlier document.
                    if *o > rep {
                        std::mem::swap(&mut m.a, &mut m.b);
                    }
                }
                v.sort_by(|x, y| {
                    y.1.score
                        .total_cmp(&x.1.score)
                        .then_with(|| x.1.a.cmp(&y.1.a))
                        .then_with(|| x.1.b.cmp(&y.1.b))
                });
                let own = (expand && self.copies.has_copies(rep))
                    .then(|| self.score_with(doc, doc, table, false))
                    .flatten();
                (rep, own, v)
            });
            for (rep, own, v) in found {
                if let Some(m) = own {
                    let g: Vec<u32> = self.copies.group(rep).collect();
                    for (j, &y) in g.iter().enumerate().filter(|&(_, &y)| y >= first_slot) {
                        for &x in g[..j].iter().filter(|&&x| !self.published_apart(x, y)) {
                            sink(Match {
                                a: self.id_of(x),
                                b: self.id_of(y),
                                ..m.clone()
                            })?;
                        }
                    }
                }
                for (o, m) in v {
                    if !expand || !(self.copies.has_copies(rep) || self.copies.has_copies(o)) {
                        if !self.published_apart(rep, o) {
                            sink(m)?;
                        }
                        continue;
                    }
                    for x in self.copies.group(o) {
                        for y in self.copies.group(rep) {
                            if x.max(y) < first_slot || self.published_apart(x, y) {
                                continue;
                            }
                            let (a, b) = if x < y { (x, y) } else { (y, x) };
                            sink(Match {
                                a: self.id_of(a),
                                b: self.id_of(b),
                                ..m.clone()
                            })?;
                        }
                    }
                }
            }
        }
        Ok(())
    }
}
