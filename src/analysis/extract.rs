//! The token loop: each token read once, in order, by the first rule that takes it — numbers
//! (with their amounts and dates), entities, lexicon phrases, ordinals, number words,
//! function words, acronyms, names — and otherwise the word's cached features.

use super::anchors;
use super::concepts::Target;
use super::features::{self, FeatureBag};
use super::scratch::Ctx;
use super::tokenize::TokenKind;
use super::word_cache::{
    word_key, LocalWords, WordCache, ENTITY, KNOWN, NAME_SALT, NUMBER, SPECIAL, STOP,
};
use super::{Analyzer, TokenClass};
use crate::hash::feature_hash;
use crate::{AnchorClass, FeatureKind, Lang};
use std::sync::Arc;

impl Analyzer {
    /// Keys of the words capitalised mid-sentence somewhere (outside title-case sentences),
    /// sorted: names even where capitalisation is uninformative.
    fn mid_caps(ctx: &Ctx) -> Vec<u64> {
        // Every key is written and the end moves past it only when it qualifies: a branch
        // here would be as good as random to the predictor.
        let mut mid_caps = vec![0u64; ctx.tokens.len() + 1];
        let mut k = 0;
        for (t, &key) in ctx.tokens.iter().zip(&ctx.keys) {
            mid_caps[k] = key;
            k += usize::from((t.kind == TokenKind::Word) & t.cap & !t.sentence_start & !t.title);
        }
        mid_caps.truncate(k);
        mid_caps.sort_unstable();
        mid_caps.dedup();
        mid_caps
    }

    /// Features of a tokenised text, and the number of word and number tokens read.
    pub(super) fn extract(
        &self,
        ctx: &Ctx,
        lang: Option<Lang>,
        mut trace: Option<&mut Vec<(usize, TokenClass)>>,
    ) -> (usize, features::Features) {
        let mut note = |i: usize, c: TokenClass| {
            if let Some(t) = trace.as_deref_mut() {
                t.push((i, c));
            }
        };
        let lex = &*self.lexicon;
        let n = ctx.tokens.len();
        let mid_caps = Self::mid_caps(ctx);
        // Undetermined text still gets anchors: entity surfaces marked for any language match,
        // and numbers are read with the decimal comma, as in most languages other than
        // English. (Esperanto is only the stand-in that selects that behaviour.)
        let lang_or = lang.unwrap_or(Lang::Esperanto);
        let lower_of = |j: usize| ctx.low(j);
        let phrases = lang.and_then(|l| lex.phrases(l));
        let lexicon_less = lang.is_some_and(|l| !l.has_lexicon());
        // Anchor labels are written into these buffers, reused from token to token.
        let mut labels = anchors::Labels::default();
        let mut scratch = String::with_capacity(64);
        // The shared word cache is read under one lock per document; words it lacks are
        // computed into `local` and added when the document is done.
        let guard = self.cache.read().ok();
        let cache: Option<&WordCache> = guard.as_deref();
        let shared = cache.and_then(|c| lang.and_then(|l| c.words.get(&l)));
        let mut local = LocalWords {
            label_base: cache.map_or(0, |c| c.labels.len() as u32),
            extra_base: cache.map_or(0, |c| c.extras.len() as u32),
            ..LocalWords::default()
        };
        // Touch every word's cache entry first, in a loop whose lookups do not depend on each
        // other: the processor overlaps their cache misses, which the main loop would otherwise
        // take one at a time.
        if let Some(m) = shared {
            let touched = ctx.keys.iter().fold(0u64, |acc, &k| acc ^ m.touch(k));
            std::hint::black_box(touched);
        }
        let mut bag = FeatureBag::new(self.pair_window > 0, n);
        let mut words = 0;
        let mut i = 0;
        let mut unspaced_prev: Option<usize> = None;
        while i < n {
            let t = ctx.tokens[i];
            let raw = t.text(ctx.text);
            // A plain token is its own lowercase form.
            let low: &str = if t.plain { raw } else { ctx.low(i) };
            match t.kind {
                TokenKind::Symbol => {
                    i += 1;
                    continue;
                }
                TokenKind::Unspaced => {
                    words += 1;
                    let code = lang.map_or("xx", |l| l.code());
                    if let Some(p) = unspaced_prev.filter(|&p| ctx.tokens[p].end == t.start) {
                        bag.push(
                            FeatureKind::Local,
                            &format!("{code}:{}{}", ctx.tokens[p].text(ctx.text), raw),
                        );
                    } else if !ctx
                        .tokens
                        .get(i + 1)
                        .is_some_and(|x| x.kind == TokenKind::Unspaced && x.start == t.end)
                    {
                        bag.push(FeatureKind::Local, &format!("{code}:{raw}"));
                    }
                    unspaced_prev = Some(i);
                    note(i, TokenClass::Local);
                    i += 1;
                    continue;
                }
                TokenKind::Number | TokenKind::Word => {}
            }
            words += 1;
            let word = t.kind == TokenKind::Word;
            // Currency prefixes glued to `$` (US$), or to digits (Rp2,5); never lowercase.
            if word && !t.plain && anchors::is_dollar_prefix(ctx.text, &ctx.tokens, i) {
                note(i, TokenClass::Number);
                i += 1;
                continue;
            }
            // A number, or the digits of a word glued to `Rp`: (its text, its currency).
            let number = if word {
                (!t.plain)
                    .then(|| raw.strip_prefix("Rp").or_else(|| raw.strip_prefix("RP")))
                    .flatten()
                    .filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
                    .map(|rest| (rest, Some("IDR")))
            } else {
                Some((raw, None))
            };
            if let Some((num_text, currency)) = number {
                labels.clear();
                let after = anchors::number_at(
                    ctx.text,
                    &ctx.tokens,
                    i,
                    lang_or,
                    &lower_of,
                    num_text,
                    currency,
                    &mut labels,
                );
                for l in labels.iter() {
                    bag.push(FeatureKind::Anchor, l);
                }
                note(i, TokenClass::Number);
                i += 1 + after;
                continue;
            }
            let key = ctx.keys[i];
            let info = local.entry(shared, key, |local| self.compute_word(lang, low, local));
            let entity = info.flags & ENTITY != 0;
            let special = info.flags & SPECIAL != 0;
            // "3 PM", "10 a.m.": times, not prime ministers.
            if special
                && matches!(low, "pm" | "am" | "p.m." | "a.m.")
                && i > 0
                && ctx.tokens[i - 1].kind == TokenKind::Number
            {
                note(i, TokenClass::Number);
                i += 1;
                continue;
            }
            // Entities (places, organisations, acronyms), longest first.
            // Tokens after this one, at most 6 in all.
            let end = n.min(i + 6);
            let next = |k: usize| (i + k < end).then_some(i + k);
            // A capitalised word is looked up as written only when it has no lowercase letter:
            // case-sensitive entities are written in capitals, the others are keyed lowercase.
            let written_key = |j: usize| {
                let t = &ctx.tokens[j];
                if t.plain {
                    ctx.keys[j]
                } else {
                    word_key(t.text(ctx.text))
                }
            };
            if entity
                || (!t.plain
                    && !raw.chars().any(char::is_lowercase)
                    && raw != low
                    && lex.has_entities_for(written_key(i)))
            {
                if let Some((len, code)) = lex.entity_from(
                    lang_or,
                    (written_key(i), key),
                    |k| next(k).map(written_key),
                    |k| next(k).map(|j| ctx.keys[j]),
                ) {
                    scratch.clear();
                    scratch.push_str(AnchorClass::Entity.prefix());
                    scratch.push_str(code);
                    bag.push(FeatureKind::Anchor, &scratch);
                    note(i, TokenClass::Anchor);
                    i += len;
                    continue;
                }
            }
            // Multi-word lexicon entries.
            if let Some(p) = phrases.filter(|_| info.phrases != 0) {
                if let Some((len, target)) =
                    lex.phrase_in(p, info.phrases, |k| next(k).map(|j| ctx.keys[j]))
                {
                    push_target(&mut bag, target);
                    note(i, TokenClass::Concept);
                    i += len;
                    continue;
                }
            }
            // Ordinals written ke-7 / ke-7nya.
            if let Some(d) = low.strip_prefix("ke-").filter(|_| special) {
                let digits: String = d.chars().take_while(char::is_ascii_digit).collect();
                if let Ok(v) = digits.parse::<u64>() {
                    scratch.clear();
                    scratch.push_str(AnchorClass::Number.prefix());
                    anchors::push_uint(&mut scratch, v);
                    bag.push(FeatureKind::Anchor, &scratch);
                    note(i, TokenClass::Number);
                    i += 1;
                    continue;
                }
            }
            if info.flags & NUMBER != 0 {
                scratch.clear();
                scratch.push_str(AnchorClass::Number.prefix());
                anchors::push_uint(&mut scratch, u64::from(info.extra));
                bag.push(FeatureKind::Anchor, &scratch);
                note(i, TokenClass::Anchor);
                i += 1;
                continue;
            }
            if info.flags & STOP != 0 {
                note(i, TokenClass::Stopword);
                i += 1;
                continue;
            }
            // A plain token (lowercase ASCII) is neither an acronym nor a name.
            let caps = t.cap;
            // Letters of a capitalised word, counted only where the checks get that far.
            let letters = || raw.chars().filter(|c| c.is_alphabetic()).count();
            // Acronyms: all capitals, 2–6 letters (dots of initialisms dropped).
            if caps
                && raw.len() <= 8
                && !raw.chars().any(char::is_lowercase)
                && letters() >= 2
                && !title_shouting(ctx, i)
            {
                scratch.clear();
                scratch.push_str(AnchorClass::Acronym.prefix());
                scratch.extend(raw.chars().filter(|c| *c != '.'));
                bag.push(FeatureKind::Anchor, &scratch);
                note(i, TokenClass::Anchor);
                i += 1;
                continue;
            }
            let informative =
                caps && ((!t.sentence_start && !t.title) || mid_caps.binary_search(&key).is_ok());
            if caps && info.flags & KNOWN == 0 && (informative || lexicon_less) && letters() >= 2 {
                // The name feature is cached like a word, under a key of its own.
                let name_key = (key ^ NAME_SALT).max(1);
                let name = local.entry(shared, name_key, |local| Self::name_word(low, local));
                if name.feats == 1 {
                    bag.push_id(name.hash, name.kind, name.label);
                } else {
                    bag.push(
                        FeatureKind::Anchor,
                        &format!("{}{}", AnchorClass::Name.prefix(), fold_name(low)),
                    );
                }
                note(i, TokenClass::Anchor);
                i += 1;
                continue;
            }
            if info.feats > 0 {
                bag.push_id(info.hash, info.kind, info.label);
                for k in 1..u32::from(info.feats) {
                    let e = local.extra(cache, info.extra + k - 1);
                    bag.push_id(e.hash, e.kind, e.label);
                }
            }
            note(i, info.class);
            i += 1;
        }
        // The shared cache's labels stay ids until asked for; this document's new ones are
        // resolved now (their ids change when they join the shared cache).
        let features = bag.finish(self.pair_window, local.label_base, |id| {
            local.label(cache, id).clone()
        });
        drop(guard);
        self.remember(lang, local);
        (words, features)
    }
}

pub(super) fn push_target(bag: &mut FeatureBag, target: &Target) {
    match target {
        Target::Concepts(stems) => {
            for s in stems.iter() {
                bag.push_hashed(
                    feature_hash(FeatureKind::Concept, s),
                    FeatureKind::Concept,
                    s,
                );
            }
        }
        Target::Entity(code) => bag.push(
            FeatureKind::Anchor,
            &format!("{}{code}", AnchorClass::Entity.prefix()),
        ),
    }
}

pub(super) fn target_feats(target: &Target, push: &mut impl FnMut(FeatureKind, Arc<str>)) {
    match target {
        Target::Concepts(stems) => {
            for s in stems.iter() {
                push(FeatureKind::Concept, s.clone());
            }
        }
        Target::Entity(code) => push(
            FeatureKind::Anchor,
            Arc::from(format!("{}{code}", AnchorClass::Entity.prefix())),
        ),
    }
}

/// Sentences written in capitals: acronym detection would take every word.
pub(super) fn title_shouting(ctx: &Ctx, i: usize) -> bool {
    let lo = i.saturating_sub(3);
    let hi = (i + 4).min(ctx.tokens.len());
    let long_caps = (lo..hi)
        .filter(|&j| j != i && ctx.tokens[j].kind == TokenKind::Word)
        .filter(|&j| {
            let w = ctx.tokens[j].text(ctx.text);
            w.chars().count() >= 4 && !w.chars().any(char::is_lowercase)
        })
        .count();
    long_caps >= 2
}

/// Lowercase name with diacritics removed (`Bílek` → `bilek`).
pub(super) fn fold_name(low: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    if low.is_ascii() {
        return low.to_string();
    }
    low.nfd()
        .filter(|c| !matches!(*c as u32, 0x0300..=0x036F))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fold_diacritics() {
        assert_eq!(fold_name("bílek"), "bilek");
    }
}
