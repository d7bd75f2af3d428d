//! The per-token view of one document while it is analysed ([`Ctx`]), and the buffers behind
//! it, kept per thread from one document to the next.

use super::detect::{self, Detection};
use super::profile::{profile, Profile};
use super::tokenize::{self, Token, TokenKind};
use super::word_cache::{word_key, word_key_bytes};
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
        // Letters that stand for one of several (Urdu's Arabic heh), chosen word by word.
        let norm = match detection
            .lang()
            .map(profile)
            .filter(|p| !p.letter_choices.is_empty())
            .filter(|p| norm.contains(|c: char| p.choices(c).is_some()))
        {
            Some(p) => self.choose_letters(p, norm, &tokens, &mut arena, &lows, &mut keys),
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

/// At most this many letters of one word are chosen by trying every spelling (2⁴ lookups);
/// a word with more takes the first alternative of each.
const MAX_CHOICES: usize = 4;

impl Analyzer {
    /// The text with each word's [`Profile::letter_choices`] letters replaced by the spelling
    /// the language knows, and the word's lowercase form and key made again. Every
    /// alternative has its letter's UTF-8 length, so offsets do not move.
    fn choose_letters<'n>(
        &self,
        p: &Profile,
        norm: std::borrow::Cow<'n, str>,
        tokens: &[Token],
        arena: &mut String,
        lows: &[(usize, usize)],
        keys: &mut [u64],
    ) -> std::borrow::Cow<'n, str> {
        let mut text: Option<String> = None;
        let mut low = String::new();
        let mut spelling = String::new();
        let mut picked: Vec<char> = Vec::new();
        for (k, t) in tokens.iter().enumerate() {
            if t.ascii || t.kind == TokenKind::Symbol {
                continue;
            }
            let (a, b) = lows[k];
            low.clear();
            low.push_str(&arena[a..b]);
            let n = low.chars().filter(|&c| p.choices(c).is_some()).count();
            if n == 0 {
                continue;
            }
            self.spell(p, &low, n, &mut spelling, &mut picked);
            debug_assert_eq!(spelling.len(), low.len());
            arena.replace_range(a..b, &spelling);
            keys[k] = word_key_bytes(spelling.as_bytes());
            // The text's own letters, in the same order (a letter with choices has no case).
            let text = text.get_or_insert_with(|| norm.to_string());
            let original = &text[t.start..t.end];
            let mut next = picked.iter();
            let replaced: String = original
                .chars()
                .map(|c| match p.choices(c) {
                    Some(_) => next.next().copied().unwrap_or(c),
                    None => c,
                })
                .collect();
            debug_assert_eq!(replaced.len(), original.len());
            if replaced.len() == original.len() {
                text.replace_range(t.start..t.end, &replaced);
            }
        }
        match text {
            Some(t) => std::borrow::Cow::Owned(t),
            None => norm,
        }
    }

    /// Writes into `out` the spelling of `low` (whose `n` letters have choices) the language
    /// knows best ([`Analyzer::knows`]; the first of equals), or the first alternative of each
    /// letter when it knows none; the letters chosen, in order, into `picked`.
    fn spell(&self, p: &Profile, low: &str, n: usize, out: &mut String, picked: &mut Vec<char>) {
        // Spelling number `combo`: its digits (in each letter's own radix) pick the letters.
        let build = |combo: usize, out: &mut String, picked: &mut Vec<char>| {
            out.clear();
            picked.clear();
            let mut rest = combo;
            for c in low.chars() {
                match p.choices(c) {
                    Some(alts) => {
                        let pick = alts[rest % alts.len()];
                        rest /= alts.len();
                        out.push(pick);
                        picked.push(pick);
                    }
                    None => out.push(c),
                }
            }
        };
        let combos: usize = if n <= MAX_CHOICES {
            low.chars()
                .filter_map(|c| p.choices(c).map(<[char]>::len))
                .product()
        } else {
            0
        };
        // A function word first (`بھی` "also", though `بہی` "flowed" is an entry too), then
        // any other known word, in order.
        let mut best = (0u8, 0usize);
        for combo in 0..combos {
            build(combo, out, picked);
            let rank = self.knows(p, out);
            if rank > best.0 {
                best = (rank, combo);
                if rank == 2 {
                    return;
                }
            }
        }
        build(best.1, out, picked);
    }

    /// How well the language of `p` knows the lowercase word `w`: 2 for a function word, 1
    /// for an entry as its dictionary is read ([`Analyzer::local_entry`]: also without
    /// proclitics or an inflectional ending), a number or month word, or the start of an
    /// entity or phrase, 0 for none.
    fn knows(&self, p: &Profile, w: &str) -> u8 {
        let Some(l) = p.lang else {
            return 0;
        };
        if p.is_stopword(w) {
            return 2;
        }
        let lex = &self.lexicon;
        let key = word_key(w);
        u8::from(
            self.local_entry(p, w).is_some()
                || p.number_word(w).is_some()
                || p.month(w).is_some()
                || lex.has_entities_for(key)
                || lex.phrase_index(l, key) != 0,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn urdu_written_with_arabic_heh_reads_as_urdu_spelling() {
        let a = Analyzer::new();
        let labels = |t: &str| crate::analysis::labels_as(&a, t, Lang::Urdu);
        // "The government also said that this was very important": heh goal `ہ` (`کہا`,
        // `یہ`) and the aspirating `ھ` (`بھی`, `تھا`), then both typed as Arabic heh `ه`.
        let ur = "حکومت نے بھی کہا کہ یہ بہت اہم تھا اور وزارت صحت کی رپورٹ زیادہ تھی";
        let typed = ur.replace(['ہ', 'ھ'], "ه");
        assert_ne!(ur, typed);
        let read = labels(ur);
        assert!(read.iter().any(|l| !l.starts_with("ur:")), "{read:?}");
        assert_eq!(labels(&typed), read);
        // A word none of whose spellings is known takes heh goal, also with more hehs than
        // are searched; the text's offsets do not move.
        for word in ["گهنگهور", "زهقهپهلهدهکه"] {
            let read = labels(word);
            assert_eq!(read.len(), 1, "{read:?}");
            assert!(!read[0].contains('\u{0647}'), "{read:?}");
            assert!(read[0].contains('\u{06C1}'), "{read:?}");
        }
        // Persian writes Arabic heh as its own letter: kept.
        let fa = "گزارش وزارت بهداشت";
        let fa_read = crate::analysis::labels_as(&a, fa, Lang::Persian);
        assert!(fa_read.iter().any(|l| !l.starts_with("fa:")), "{fa_read:?}");
        assert_ne!(
            crate::analysis::labels_as(&a, &fa.replace('ه', "ہ"), Lang::Persian),
            fa_read
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
