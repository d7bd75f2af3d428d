//! The per-token view of one document while it is analysed ([`Ctx`]), and the buffers behind
//! it, kept per thread from one document to the next.

use super::detect::{self, Detection};
use super::profile::profile;
use super::tokenize::{self, Token, TokenKind};
use super::word_cache::word_key_bytes;
use super::{normalize, Analyzer};
use crate::Lang;

/// The per-token buffers of one document ([`Ctx`]), kept per thread between documents so
/// that their memory is reused rather than allocated and freed for every document.
#[derive(Default)]
pub(super) struct Scratch {
    pub(super) tokens: Vec<Token>,
    pub(super) arena: String,
    pub(super) lows: Vec<(usize, usize)>,
    pub(super) keys: Vec<u64>,
}

/// Buffers of documents of more tokens than this are freed, not kept.
pub(super) const SCRATCH_KEEP_TOKENS: usize = 1 << 16;

/// The lowercase buffer of a document longer than about this many bytes is freed, not kept.
pub(super) const SCRATCH_KEEP_BYTES: usize = 1 << 20;

thread_local! {
    pub(super) static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// Per-token view used while analysing.
pub(super) struct Ctx<'t> {
    pub(super) text: &'t str,
    pub(super) tokens: Vec<Token>,
    /// The text with its ASCII letters lowercased (same length, same offsets: an ASCII
    /// token's lowercase form is at the token's own offsets), followed by the lowercase forms
    /// of the other tokens, one after another.
    pub(super) arena: String,
    /// Where each token has its lowercase form in `arena`.
    pub(super) lows: Vec<(usize, usize)>,
    /// The [`word_key`] of each token's lowercase form (0 for symbols).
    pub(super) keys: Vec<u64>,
}

impl Ctx<'_> {
    /// The lowercase form of token `i`.
    #[inline(always)]
    pub(super) fn low(&self, i: usize) -> &str {
        let (a, b) = self.lows[i];
        &self.arena[a..b]
    }
}

impl Analyzer {
    /// Normalises, tokenises, keys the tokens and detects (unless `forced`), then runs `f` on
    /// the result.
    pub(super) fn with_ctx<R>(
        &self,
        text: &str,
        forced: Option<Lang>,
        f: impl FnOnce(&Ctx, Detection) -> R,
    ) -> (Detection, R) {
        let norm = normalize::normalize(text);
        // This thread's buffers from the previous document (empty if another analysis on this
        // thread holds them).
        let Scratch {
            tokens,
            mut arena,
            mut lows,
            mut keys,
        } = SCRATCH.with(|s| std::mem::take(&mut *s.borrow_mut()));
        let tokens = tokenize::tokenize_into(&norm, tokens);
        // Lowercase forms in one buffer: no allocation or copy per capitalised word. ASCII
        // letters lowercase in place, one byte for one byte, so the lowercased copy of the
        // whole text holds every ASCII token's lowercase form at the token's offsets; a token
        // with other characters (whose lowercase form may be longer) is appended after it.
        arena.clear();
        arena.reserve(norm.len() + norm.len() / 8);
        arena.push_str(&norm);
        arena.make_ascii_lowercase();
        keys.clear();
        keys.reserve(tokens.len());
        lows.clear();
        lows.reserve(tokens.len());
        for t in &tokens {
            // An ASCII token's lowercase form is at its own offsets in the lowercased copy.
            let (a, b) = if t.ascii {
                (t.start, t.end)
            } else {
                let a = arena.len();
                arena.push_str(&t.text(&norm).to_lowercase());
                (a, arena.len())
            };
            // Bytes, not `&str`: a token's bounds are char boundaries by construction, and
            // slicing a `str` checks them again. Entities and phrases may continue with a
            // number (`Formula 1`), so every token but a symbol has its key.
            let key = word_key_bytes(&arena.as_bytes()[a..b]);
            keys.push(if t.kind == TokenKind::Symbol { 0 } else { key });
            lows.push((a, b));
        }
        // Detection reads the function words by the keys just made.
        let detection = match forced {
            Some(l) => Detection::forced(l),
            None => detect::detect_keyed(&norm, &tokens, &keys, &self.lexicon),
        };
        // Letters the detected language reads as others (Persian `ي` as `ی`): the text and
        // the lowercase forms are folded (same length, same offsets) and the tokens keyed
        // again.
        let folding = detection
            .lang()
            .map(profile)
            .filter(|p| !p.letter_folds.is_empty())
            .filter(|p| norm.contains(|c: char| p.folds(c).is_some()));
        let norm = match folding {
            Some(p) => {
                let folded = p.fold_letters(&norm).into_owned();
                debug_assert_eq!(folded.len(), norm.len());
                arena = p.fold_letters(&arena).into_owned();
                for (k, t) in tokens.iter().enumerate() {
                    if !t.ascii && t.kind != TokenKind::Symbol {
                        let (a, b) = lows[k];
                        keys[k] = word_key_bytes(&arena.as_bytes()[a..b]);
                    }
                }
                std::borrow::Cow::Owned(folded)
            }
            None => norm,
        };
        let ctx = Ctx {
            text: &norm,
            tokens,
            arena,
            lows,
            keys,
        };
        let r = f(&ctx, detection);
        // Back for the next document, unless an enormous one made them too big to keep.
        if ctx.tokens.capacity() <= SCRATCH_KEEP_TOKENS
            && ctx.arena.capacity() <= SCRATCH_KEEP_BYTES
        {
            let Ctx {
                tokens,
                arena,
                lows,
                keys,
                ..
            } = ctx;
            SCRATCH.with(|s| {
                *s.borrow_mut() = Scratch {
                    tokens,
                    arena,
                    lows,
                    keys,
                }
            });
        }
        (detection, r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::word_cache::word_key;

    #[test]
    fn persian_and_urdu_read_arabic_yeh_and_kaf_as_their_own() {
        let a = Analyzer::new();
        let labels = |t: &str, lang| crate::analysis::labels_as(&a, t, lang);
        // "The health ministry announced new cases": Persian letters, then Arabic ones.
        let fa = "وزارت بهداشت ایران موارد جدید کرونا را اعلام کرد";
        let arabic_letters = fa.replace('ی', "ي").replace('ک', "ك");
        assert_ne!(fa, arabic_letters);
        let read = labels(fa, Lang::Persian);
        assert!(read.iter().any(|l| !l.starts_with("fa:")), "{read:?}");
        assert_eq!(labels(&arabic_letters, Lang::Persian), read);
        // `کرد` ("did") is a function word written either way.
        assert!(!read.iter().any(|l| l.contains("کرد")), "{read:?}");
        let ur = "وزیر اعظم نے کہا کہ حکومت نئی پالیسی کا اعلان کرے گی";
        let ur_arabic = ur.replace('ی', "ي").replace('ک', "ك");
        assert_eq!(labels(&ur_arabic, Lang::Urdu), labels(ur, Lang::Urdu));
        // Arabic keeps its letters.
        let ar = "قال الرئيس في كلمته";
        assert_ne!(
            labels(ar, Lang::Arabic),
            labels(&ar.replace('ي', "ی"), Lang::Arabic)
        );
    }

    #[test]
    fn every_token_has_its_lowercase_form_and_key() {
        let a = Analyzer::new();
        // ASCII capitals (read in the lowercased copy of the text), capitals whose lowercase
        // form is longer (`İ` is two bytes, `i̇` three), other scripts, and the buffer reused
        // after a longer text.
        let texts = [
            "İstanbul'da ÉCOLE Jakarta BMKG, Düsseldorf und ΑΘΗΝΑ: PT Kereta Api İNDONESIA.",
            &"Pemerintah Kota MEDAN menjalin kemitraan. ".repeat(50),
            "Gempa di PALU, kata İbrahim.",
        ];
        for text in texts {
            a.with_ctx(text, None, |ctx, _| {
                assert_eq!(ctx.keys.len(), ctx.tokens.len());
                for (i, t) in ctx.tokens.iter().enumerate() {
                    let want = t.text(ctx.text).to_lowercase();
                    assert_eq!(ctx.low(i), want, "token {i} of {text:?}");
                    if t.kind != TokenKind::Symbol {
                        assert_eq!(ctx.keys[i], word_key(&want));
                    }
                }
            });
        }
    }
}
