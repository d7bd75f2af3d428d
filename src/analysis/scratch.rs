//! The per-token view of one document while it is analysed ([`Ctx`]), and the buffers behind
//! it, kept per thread from one document to the next.

use super::detect::{self, Detection};
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

thread_local! {
    pub(super) static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// Per-token view used while analysing.
pub(super) struct Ctx<'t> {
    pub(super) text: &'t str,
    pub(super) tokens: Vec<Token>,
    /// Lowercase forms of the tokens that are not plain, one after another.
    pub(super) arena: String,
    /// Where each token that is not plain has its lowercase form in `arena`.
    pub(super) lows: Vec<(usize, usize)>,
    /// The [`word_key`] of each token's lowercase form (0 for symbols).
    pub(super) keys: Vec<u64>,
}

impl Ctx<'_> {
    /// The lowercase form of token `i`.
    #[inline(always)]
    pub(super) fn low(&self, i: usize) -> &str {
        let t = &self.tokens[i];
        if t.plain {
            &self.text[t.start..t.end]
        } else {
            let (a, b) = self.lows[i];
            &self.arena[a..b]
        }
    }
}

impl Analyzer {
    /// Normalises, tokenises and detects (unless `forced`), then runs `f` on the result.
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
        let detection = match forced {
            Some(l) => Detection::forced(l),
            None => detect::detect(&norm, &tokens, &self.lexicon),
        };
        // Lowercase forms in one buffer: no allocation per capitalised word.
        arena.clear();
        arena.reserve(norm.len() / 4);
        keys.clear();
        keys.reserve(tokens.len());
        lows.clear();
        lows.reserve(tokens.len());
        let bytes = norm.as_bytes();
        for t in &tokens {
            // Bytes, not `&str`: a token's bounds are char boundaries by construction, and
            // slicing a `str` checks them again.
            let w = &bytes[t.start..t.end];
            // Entities and phrases may continue with a number (`Formula 1`).
            let word = t.kind != TokenKind::Symbol;
            if t.plain {
                keys.push(if word { word_key_bytes(w) } else { 0 });
                lows.push((0, 0));
                continue;
            }
            let a = arena.len();
            if w.is_ascii() {
                arena.push_str(t.text(&norm));
                arena[a..].make_ascii_lowercase();
            } else {
                arena.push_str(&t.text(&norm).to_lowercase());
            }
            keys.push(if word {
                word_key_bytes(&arena.as_bytes()[a..])
            } else {
                0
            });
            lows.push((a, arena.len()));
        }
        let ctx = Ctx {
            text: &norm,
            tokens,
            arena,
            lows,
            keys,
        };
        let r = f(&ctx, detection);
        // Back for the next document, unless an enormous one made them too big to keep.
        if ctx.tokens.capacity() <= SCRATCH_KEEP_TOKENS {
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
