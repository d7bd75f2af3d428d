//! The token loop: each token read once, in order, by the first rule that takes it — numbers
//! (with their amounts and dates), entities, lexicon phrases, ordinals, number words,
//! function words, acronyms, names — and otherwise the word's cached features.

use super::anchors;
use super::concepts::{Lexicon, Phrases, Target};
use super::features::{self, FeatureBag};
use super::profile::{self, Profile, Segmentation, UnspacedRuns};
use super::scratch::Ctx;
use super::segment;
use super::stem::SnowballStemmer;
use super::tokenize::{Token, TokenKind, SENTENCE_ENDS_OF_SCRIPTS};
use super::word_cache::{
    word_key, LocalWords, WordCache, WordInfo, WordTable, ENTITY, KNOWN, MALAY, NAME_SALT, NUMBER,
    SPECIAL, STOP,
};
use super::{Analyzer, TokenClass};
use crate::hash::feature_hash;
use crate::{AnchorClass, FeatureKind, Lang, Position};
use std::sync::Arc;

/// Whether `s` holds two or more letters: a single letter is no acronym or name.
fn two_letters(s: &str) -> bool {
    // Most words are ASCII and start with two letters.
    match s.as_bytes() {
        [a, b, ..] if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() => true,
        _ => s.chars().filter(|c| c.is_alphabetic()).nth(1).is_some(),
    }
}

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

    /// The stemmer a name is keyed by, where names inflect ([`Profile::names_inflect`]).
    fn name_stemmer(&self, profile: &Profile) -> Option<&SnowballStemmer> {
        profile
            .lang
            .filter(|_| profile.names_inflect)
            .and_then(|l| self.stemmers.get(&l))
    }

    /// Keys of the stems of the words written in lowercase somewhere in the text, sorted;
    /// empty unless the profile takes every capitalised word for a name and keys names by
    /// their stem (nothing reads them elsewhere).
    fn lowercase_stems(&self, ctx: &Ctx, profile: &Profile) -> Vec<u64> {
        let Some(stemmer) = self
            .name_stemmer(profile)
            .filter(|_| profile.capitals_are_names)
        else {
            return Vec::new();
        };
        let mut out: Vec<u64> = ctx
            .tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| t.kind == TokenKind::Word && !t.cap)
            .map(|(i, _)| word_key(&stemmer.stem(ctx.low(i))))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Features of a tokenised text, and the number of word and number tokens read.
    /// `title_end` is where a title ends in the normalised text (`None`: no title, the first
    /// sentence is the headline).
    pub(super) fn extract(
        &self,
        ctx: &Ctx,
        lang: Option<Lang>,
        title_end: Option<usize>,
        trace: Option<&mut Vec<(std::ops::Range<usize>, TokenClass)>>,
    ) -> (usize, features::Features) {
        let lex = &*self.lexicon;
        let n = ctx.tokens.len();
        // The shared word cache is read under one lock per document; words it lacks are
        // computed into `local` and added when the document is done.
        let guard = self.cache.read().ok();
        let cache: Option<&WordCache> = guard.as_deref();
        // The language's profile, read by every rule below: fetched once per document.
        let profile = profile::for_detected(lang);
        let shared = cache.and_then(|c| lang.and_then(|l| c.words.get(&l)));
        // Touch every word's cache entry first, in a loop whose lookups do not depend on each
        // other: the processor overlaps their cache misses, which the main loop would otherwise
        // take one at a time.
        if let Some(m) = shared {
            let touched = ctx.keys.iter().fold(0u64, |acc, &k| acc ^ m.touch(k));
            std::hint::black_box(touched);
        }
        let mut rules = Rules {
            analyzer: self,
            ctx,
            lex,
            profile,
            phrases: lang.and_then(|l| lex.phrases(l)),
            mid_caps: Self::mid_caps(ctx),
            lowercase: self.lowercase_stems(ctx, profile),
            cache,
            shared,
            local: LocalWords {
                label_base: cache.map_or(0, |c| c.labels.len() as u32),
                extra_base: cache.map_or(0, |c| c.extras.len() as u32),
                ..LocalWords::default()
            },
            bag: FeatureBag::new(self.pair_window > 0, n),
            labels: anchors::Labels::default(),
            scratch: String::with_capacity(64),
            defer: trace.is_none() && profile.segmentation != Segmentation::SyllablePairs,
            trace,
            unspaced_prev: None,
            lowercase_filter: None,
            lowercase_scans: 0,
            lowercase_keys: Vec::new(),
            spans: Vec::new(),
            syllable: None,
            malay: None,
        };
        let (head_end, lead_end) = sections(ctx.text, &ctx.tokens, title_end);
        let mut words = 0;
        let mut i = 0;
        while i < n {
            // The headline's tokens, the lead's, then the body's: the position is set once a
            // section (a rule may take tokens past a section's end; the next section starts
            // after them).
            let (position, end) = if i < head_end {
                (Position::Headline, head_end)
            } else if i < lead_end {
                (Position::Lead, lead_end)
            } else {
                (Position::Body, n)
            };
            rules.bag.set_position(position);
            while i < end {
                i += rules.step(i, &mut words);
            }
        }
        rules.flush_syllable();
        let Rules {
            bag, local, cache, ..
        } = rules;
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

/// Sentences of the body that make its lead, the headline's included when there is no title.
pub(crate) const LEAD_SENTENCES: usize = 3;

/// Whether token `i`, which the tokeniser marks as starting a sentence, starts a sentence of
/// the lead's count: after a line break, or after `.` `!` `?` (closing quotes and brackets
/// between) followed by a capital or a digit, the stop not ending an abbreviation (`Mr.`,
/// `U.S.`), or after the full stops of CJK (`。`), Devanagari (`।`) and Urdu (`۔`) and the
/// Arabic question mark (`؟`), scripts without capitals. The tokeniser also starts one at `:`
/// `;` `(` and quotation marks, where a headline or a lead sentence goes on.
fn starts_lead_sentence(text: &str, tokens: &[Token], i: usize) -> bool {
    let t = tokens[i];
    let b = text.as_bytes();
    let mut j = t.start;
    while j > 0 && matches!(b[j - 1], b' ' | b'\t' | b'\r' | b'"' | b'\'' | b')' | b']') {
        j -= 1;
    }
    if j == 0 {
        return true;
    }
    match b[j - 1] {
        b'\n' => true,
        b'.' | b'!' | b'?' => {
            if !(t.cap || t.kind == TokenKind::Number) {
                return false;
            }
            // An abbreviation: a dotted token, or a short capitalised word, right before.
            let abbreviation = b[j - 1] == b'.'
                && i > 0
                && tokens[i - 1].end + 1 >= j
                && tokens[i - 1].end <= j
                && {
                    let p = tokens[i - 1].text(text);
                    p.contains('.') || (p.len() <= 3 && tokens[i - 1].cap)
                };
            !abbreviation
        }
        _ => {
            let before = text[..j].chars().next_back();
            before.is_some_and(|c| {
                matches!(c, '。' | '！' | '？') || SENTENCE_ENDS_OF_SCRIPTS.contains(&c)
            })
        }
    }
}

/// Where the headline and the lead end, as token indices: tokens before the first are the
/// headline (the title's, or the first sentence's when `title_end` is `None`), tokens before
/// the second the lead (the body's first [`LEAD_SENTENCES`] sentences, less the one that served
/// as headline). Sentences are the tokeniser's sentence starts that
/// [`starts_lead_sentence`] keeps.
pub(super) fn sections(text: &str, tokens: &[Token], title_end: Option<usize>) -> (usize, usize) {
    let n = tokens.len();
    let opens = |i: usize| tokens[i].sentence_start && starts_lead_sentence(text, tokens, i);
    let (head_end, mut sentences) = match title_end {
        // Token starts increase: the first token at or after the title's end opens the body.
        Some(end) => (tokens.partition_point(|t| t.start < end), 0),
        None => ((1..n).find(|&i| opens(i)).unwrap_or(n), 1),
    };
    if head_end >= n {
        return (n, n);
    }
    // The body's first token opens a sentence, whatever the tokeniser says of it.
    sentences += 1;
    let lead_end = (head_end + 1..n)
        .find(|&i| {
            sentences += usize::from(opens(i));
            sentences > LEAD_SENTENCES
        })
        .unwrap_or(n);
    (head_end, lead_end)
}

/// Lookups of [`Rules::written_in_lowercase`] answered by a scan of the tokens before the
/// keys are sorted for the rest of the text.
const LOWERCASE_SCANS: usize = 4;

/// Words of the lowercase-key bit filter of [`Rules::written_in_lowercase`]: 4,096 bits, so
/// a news article's few hundred lowercase words leave most bits clear.
const LOWERCASE_FILTER_WORDS: usize = 64;

/// The token a rule looks at: its index, the token, its text as written and lowercase, and
/// its word key.
#[derive(Clone, Copy)]
struct Tok<'a> {
    i: usize,
    t: Token,
    raw: &'a str,
    low: &'a str,
    key: u64,
}

/// One document's extraction: what the rules read (the tokens, the lexicon, the word cache)
/// and what they write (the feature bag, the words new to the cache, the trace).
///
/// [`Rules::token`] tries the rules on a word or number token in order; the first that takes
/// it says how many tokens it consumed.
struct Rules<'a, 't> {
    analyzer: &'a Analyzer,
    ctx: &'a Ctx<'t>,
    lex: &'a Lexicon,
    /// The document's language ([`UNDETERMINED`](profile::UNDETERMINED) when not detected).
    profile: &'static Profile,
    phrases: Option<&'a Phrases>,
    /// See [`Analyzer::mid_caps`].
    mid_caps: Vec<u64>,
    /// See [`Analyzer::lowercase_stems`].
    lowercase: Vec<u64>,
    /// See [`Rules::written_in_lowercase`]: a bit filter of the keys of the words written in
    /// lowercase (built at the first lookup), the scans made so far, and the sorted keys once
    /// there were enough scans.
    lowercase_filter: Option<Box<[u64; LOWERCASE_FILTER_WORDS]>>,
    lowercase_scans: usize,
    lowercase_keys: Vec<u64>,
    cache: Option<&'a WordCache>,
    shared: Option<&'a WordTable>,
    local: LocalWords,
    bag: FeatureBag,
    /// Anchor labels of one number, reused from token to token.
    labels: anchors::Labels,
    /// A label being written, reused from token to token.
    scratch: String,
    /// What each token (or segmented word) was used as: its byte range in the text.
    trace: Option<&'a mut Vec<(std::ops::Range<usize>, TokenClass)>>,
    /// Whether a plain word's feature may be counted later ([`FeatureBag::defer_id`]): not
    /// when tracing (each token is noted as it is read) nor when syllables pair up.
    defer: bool,
    /// The last character of a script written without spaces (English and Indonesian).
    unspaced_prev: Option<usize>,
    /// Word spans of a run of a script written without spaces, reused from run to run.
    spans: Vec<(usize, usize)>,
    /// Vietnamese: the last syllable read as a word (its token, its features, whether it
    /// was paired with the syllable before it), waiting to be paired with the next.
    syllable: Option<(usize, WordInfo, bool)>,
    /// Whether a document read as Indonesian is Malay ([`profile::id::is_malay`]), decided at
    /// its first number with a comma or word Malay reads otherwise ([`Rules::is_malay`]).
    malay: Option<bool>,
}

impl Rules<'_, '_> {
    #[inline(always)]
    fn note(&mut self, i: usize, class: TokenClass) {
        let tok = self.ctx.tokens[i];
        self.note_span(tok.start..tok.end, class);
    }

    /// Whether this document, read as Indonesian, is Malay ([`profile::id::is_malay`]),
    /// decided once, where it first matters.
    fn is_malay(&mut self) -> bool {
        let keys = &self.ctx.keys;
        *self
            .malay
            .get_or_insert_with(|| profile::id::is_malay(keys))
    }

    /// Notes a part of a token run (a segmented word) for the trace.
    fn note_span(&mut self, span: std::ops::Range<usize>, class: TokenClass) {
        if let Some(t) = self.trace.as_deref_mut() {
            t.push((span, class));
        }
    }

    /// Writes `prefix` and `value` into the scratch label and pushes it as an anchor.
    #[inline(always)]
    fn push_anchor(&mut self, prefix: AnchorClass, value: impl FnOnce(&mut String)) {
        self.scratch.clear();
        self.scratch.push_str(prefix.prefix());
        value(&mut self.scratch);
        self.bag.push(FeatureKind::Anchor, &self.scratch);
    }

    /// A character of a script written without spaces inside English or Indonesian text
    /// (a Chinese name quoted in an English article): bigrams with its neighbour, or the
    /// character alone when it has none — the analysis these two languages had before
    /// segmentation, kept so their output stays as pinned.
    #[inline(always)]
    fn unspaced_bigrams(&mut self, i: usize) -> usize {
        let ctx = self.ctx;
        let t = ctx.tokens[i];
        let raw = t.text(ctx.text);
        let code = self.profile.code;
        if let Some(p) = self.unspaced_prev.filter(|&p| ctx.tokens[p].end == t.start) {
            self.bag.push(
                FeatureKind::Local,
                &format!("{code}:{}{}", ctx.tokens[p].text(ctx.text), raw),
            );
        } else if !ctx
            .tokens
            .get(i + 1)
            .is_some_and(|x| x.kind == TokenKind::Unspaced && x.start == t.end)
        {
            self.bag.push(FeatureKind::Local, &format!("{code}:{raw}"));
        }
        self.unspaced_prev = Some(i);
        self.note(i, TokenClass::Local);
        1
    }

    /// A run of characters of a script written without spaces (one token each), split into
    /// words by the segmenter: each word that is not a function word is a local feature.
    /// Returns the tokens consumed and the words found.
    fn unspaced(&mut self, i: usize) -> (usize, usize) {
        let ctx = self.ctx;
        let tokens = &ctx.tokens;
        let mut j = i + 1;
        while j < tokens.len()
            && tokens[j].kind == TokenKind::Unspaced
            && tokens[j].start == tokens[j - 1].end
        {
            j += 1;
        }
        let run_start = tokens[i].start;
        let run = &ctx.text[run_start..tokens[j - 1].end];
        let mut spans = std::mem::take(&mut self.spans);
        segment::words(run, &mut spans);
        let code = self.profile.code;
        let lex = self.lex;
        let mut k = 0;
        while k < spans.len() {
            // A month and day in Han numerals (`三月十五日`) is the date `3月15日` is, when it
            // ends where a segment does.
            if let Some((n, month, day)) = self
                .profile
                .han_numerals
                .then(|| anchors::han_date(&run[spans[k].0..]))
                .flatten()
                .and_then(|(len, m, d)| {
                    let end = spans[k].0 + len;
                    let n = spans[k..].iter().position(|s| s.1 == end)? + 1;
                    Some((n, m, d))
                })
            {
                // The labels `3月15日` gives: the date, then the day as a number.
                self.labels.clear();
                self.labels.add_date(month, day);
                for l in self.labels.iter() {
                    self.bag.push(FeatureKind::Anchor, l);
                }
                self.push_anchor(AnchorClass::Number, |s| {
                    anchors::push_uint(s, u64::from(day))
                });
                let span = run_start + spans[k].0..run_start + spans[k + n - 1].1;
                self.note_span(span, TokenClass::Anchor);
                k += n;
                continue;
            }
            // The longest run of adjacent segments that is one headword of the lexicon or a
            // dictionary (`世界卫生组织`, WHO, which the segmenter splits into "world",
            // "health", "organisation"), else the segment alone.
            if let Some((n, target)) = self
                .profile
                .lang
                .and_then(|l| longest_headword(run, &spans[k..], |w| lex.word(l, w)))
            {
                let bag = &mut self.bag;
                target_feats(target, &mut |kind, label| bag.push(kind, &label));
                let span = run_start + spans[k].0..run_start + spans[k + n - 1].1;
                self.note_span(span, target_class(target));
                k += n;
                continue;
            }
            let (a, b) = spans[k];
            k += 1;
            let w = &run[a..b];
            let span = run_start + a..run_start + b;
            if self.profile.is_stopword(w) {
                self.note_span(span, TokenClass::Stopword);
                continue;
            }
            // A number in Han numerals (`三名`, `十五天`) is the number anchor English `three`
            // and digits give, and its counting word the entry it is (`天` day), if any.
            if let Some((n, counter)) = self
                .profile
                .han_numerals
                .then(|| anchors::han_numeral(w))
                .flatten()
            {
                self.push_anchor(AnchorClass::Number, |s| anchors::push_uint(s, n));
                if let Some(target) = self.profile.lang.and_then(|l| lex.word(l, counter)) {
                    let bag = &mut self.bag;
                    target_feats(target, &mut |kind, label| bag.push(kind, &label));
                }
                self.note_span(span, TokenClass::Anchor);
                continue;
            }
            // A word of the document's language that its lexicon or dictionary knows is the
            // entry's concepts (or entity), as a word of a language with spaces is.
            if let Some(target) = self.profile.lang.and_then(|l| lex.word(l, w)) {
                let bag = &mut self.bag;
                target_feats(target, &mut |kind, label| bag.push(kind, &label));
                self.note_span(span, target_class(target));
                continue;
            }
            self.scratch.clear();
            self.scratch.push_str(code);
            self.scratch.push(':');
            self.scratch.push_str(w);
            self.bag.push(FeatureKind::Local, &self.scratch);
            self.note_span(span, TokenClass::Local);
        }
        let found = spans.len();
        self.spans = spans;
        (j - i, found)
    }

    /// Vietnamese writes one syllable a word, and single syllables are shared by unrelated
    /// texts: adjacent syllables (only spaces between them) are paired (`vi:bệnh viện`), and
    /// a syllable with no such neighbour is kept alone. A pair the function-word list holds
    /// (`bởi vì`) is dropped.
    fn syllable(&mut self, i: usize, info: WordInfo) {
        let ctx = self.ctx;
        let t = ctx.tokens[i];
        let prev = self.syllable.take();
        let adjacent = prev.filter(|&(p, _, _)| {
            p + 1 == i
                && !t.sentence_start
                && ctx.text[ctx.tokens[p].end..t.start]
                    .bytes()
                    .all(|b| b == b' ')
        });
        match adjacent {
            Some((p, _, _)) => {
                let low = |k: usize| {
                    if ctx.tokens[k].plain {
                        ctx.tokens[k].text(ctx.text)
                    } else {
                        ctx.low(k)
                    }
                };
                self.scratch.clear();
                self.scratch.push_str(low(p));
                self.scratch.push(' ');
                self.scratch.push_str(low(i));
                if !self.profile.is_stopword(&self.scratch) {
                    self.scratch.insert(0, ':');
                    self.scratch.insert_str(0, self.profile.code);
                    self.bag.push(FeatureKind::Local, &self.scratch);
                }
                self.syllable = Some((i, info, true));
            }
            None => {
                self.syllable = prev;
                self.flush_syllable();
                self.syllable = Some((i, info, false));
            }
        }
        self.note(i, info.class);
    }

    /// Keeps the waiting Vietnamese syllable alone if it was never paired.
    fn flush_syllable(&mut self) {
        if let Some((_, info, false)) = self.syllable.take() {
            self.push_word(info);
        }
    }

    /// Token `i`, whatever its kind: how many tokens were read (counted in `words` as words).
    #[inline(always)]
    fn step(&mut self, i: usize, words: &mut usize) -> usize {
        match self.ctx.tokens[i].kind {
            TokenKind::Symbol => 1,
            TokenKind::Unspaced if self.profile.unspaced_runs == UnspacedRuns::Bigrams => {
                *words += 1;
                self.unspaced_bigrams(i)
            }
            TokenKind::Unspaced => {
                let (tokens, found) = self.unspaced(i);
                *words += found;
                tokens
            }
            TokenKind::Number | TokenKind::Word => {
                *words += 1;
                self.token(i)
            }
        }
    }

    /// A word or number token: the first rule that takes it, else the word's own features.
    #[inline(always)]
    fn token(&mut self, i: usize) -> usize {
        let ctx = self.ctx;
        let t = ctx.tokens[i];
        // A plain word (lowercase ASCII) is no number, acronym or name, and no currency
        // prefix: unless its cached flags name a rule, it gives its own features (what
        // `token_rules` would conclude, without reading its text).
        let mut known = None;
        if t.kind == TokenKind::Word && t.plain {
            let key = ctx.keys[i];
            let (analyzer, profile) = (self.analyzer, self.profile);
            let info = self.local.entry(self.shared, key, |local| {
                analyzer.compute_word(profile, t.text(ctx.text), local)
            });
            if info.flags & (SPECIAL | ENTITY | NUMBER | MALAY) == 0 && info.phrases == 0 {
                // A function word or a word of one feature (most words): counted later and
                // without a branch on which (see `FeatureBag::defer_id`).
                if info.feats <= 1 && self.defer {
                    let live = (info.flags & STOP == 0) & (info.feats == 1);
                    self.bag.defer_id(info.hash, info.kind, info.label, live);
                    return 1;
                }
                if info.flags & STOP != 0 {
                    self.note(i, TokenClass::Stopword);
                    return 1;
                }
                return self.word(i, info);
            }
            known = Some(info);
        }
        self.token_rules(i, known)
    }

    /// [`Rules::token`] through every rule; `known` is the token's word-cache entry when it
    /// was already read.
    #[inline(always)]
    fn token_rules(&mut self, i: usize, known: Option<WordInfo>) -> usize {
        let ctx = self.ctx;
        let t = ctx.tokens[i];
        let raw = t.text(ctx.text);
        let low = ctx.low(i);
        if let Some(k) = self.number(i, t, raw) {
            return k;
        }
        let key = ctx.keys[i];
        let tok = Tok {
            i,
            t,
            raw,
            low,
            key,
        };
        let (analyzer, profile) = (self.analyzer, self.profile);
        let info = match known {
            Some(info) => info,
            None => self.local.entry(self.shared, key, |local| {
                analyzer.compute_word(profile, low, local)
            }),
        };
        if info.flags & SPECIAL != 0 {
            if let Some(k) = self.special(i, low) {
                return k;
            }
        }
        if let Some(k) = self.entity(&tok, info) {
            return k;
        }
        if info.flags & MALAY != 0 && self.is_malay() {
            if let Some(k) = self.malay_reading(i, low) {
                return k;
            }
        }
        if let Some(k) = self.phrase(i, info) {
            return k;
        }
        if let Some(k) = self.ordinal(i, low, info) {
            return k;
        }
        if info.flags & NUMBER != 0 {
            self.push_anchor(AnchorClass::Number, |s| {
                anchors::push_uint(s, u64::from(info.extra))
            });
            self.note(i, TokenClass::Anchor);
            return 1;
        }
        if info.flags & STOP != 0 {
            self.note(i, TokenClass::Stopword);
            return 1;
        }
        if let Some(k) = self.acronym(&tok) {
            return k;
        }
        if let Some(k) = self.name(&tok, info) {
            return k;
        }
        self.word(i, info)
    }

    /// Numbers with what they carry (amounts, percentages, dates, years), including digits
    /// glued to `Rp` or `RM`; and the currency prefixes glued to `$` (`US$`), which the number after
    /// them reads.
    #[inline(always)]
    fn number(&mut self, i: usize, t: Token, raw: &str) -> Option<usize> {
        let ctx = self.ctx;
        let word = t.kind == TokenKind::Word;
        // Currency prefixes glued to `$` (US$), or to digits (Rp2,5); never lowercase.
        if word && !t.plain && anchors::is_dollar_prefix(ctx.text, &ctx.tokens, i) {
            self.note(i, TokenClass::Number);
            return Some(1);
        }
        // A number, or the digits of a word glued to `Rp` or `RM` (ringgit): (its text, its
        // currency).
        let (num_text, currency) = if word {
            (!t.plain)
                .then(|| {
                    let idr = raw.strip_prefix("Rp").or_else(|| raw.strip_prefix("RP"));
                    idr.map(|r| (r, "IDR"))
                        .or_else(|| raw.strip_prefix("RM").map(|r| (r, "MYR")))
                })
                .flatten()
                .filter(|(rest, _)| rest.starts_with(|c: char| c.is_ascii_digit()))
                .map(|(rest, cur)| (rest, Some(cur)))?
        } else {
            (raw, None)
        };
        // Malay writes `1,500` for 1500 where Indonesian writes `1.500`.
        let profile = if self.profile.lang == Some(crate::Lang::Indonesian)
            && num_text.contains(',')
            && self.is_malay()
        {
            &profile::id::MALAY_NUMBERS
        } else {
            self.profile
        };
        self.labels.clear();
        let after = anchors::number_at(
            ctx.text,
            &ctx.tokens,
            i,
            profile,
            &|j: usize| ctx.low(j),
            &ctx.keys,
            num_text,
            currency,
            &mut self.labels,
        );
        for l in self.labels.iter() {
            self.bag.push(FeatureKind::Anchor, l);
        }
        self.note(i, TokenClass::Number);
        Some(1 + after)
    }

    /// The rules of words flagged [`SPECIAL`] that come before entities: a credit, a time of
    /// day. Out of the token loop's way: few words have the flag.
    #[cold]
    #[inline(never)]
    fn special(&mut self, i: usize, low: &str) -> Option<usize> {
        self.credit(i, low)
            .or_else(|| self.time_of_day(i, low))
            .or_else(|| self.link(i, low))
    }

    /// Web addresses (`https://www.example.com/2019/09/08/taliban-talks.html`, `www.bnpb.go.id`,
    /// `pic.twitter.com/AbC123`): the words of a link's host and path (`https`, `www`, `com`,
    /// `html`, an id) are no part of the event, and its slug names the story linked to, most
    /// often another one. The link runs to the next whitespace.
    fn link(&mut self, i: usize, low: &str) -> Option<usize> {
        let ctx = self.ctx;
        let t = ctx.tokens[i];
        let after = &ctx.text[t.end..];
        let opens = match low {
            "http" | "https" => after.starts_with("://"),
            "www" => after.starts_with('.'),
            "pic" => after.starts_with(".twitter.com/"),
            _ => false,
        };
        if !opens {
            return None;
        }
        let end = after
            .find(char::is_whitespace)
            .map_or(ctx.text.len(), |k| t.end + k);
        let mut j = i;
        while j < ctx.tokens.len() && ctx.tokens[j].start < end {
            self.note(j, TokenClass::Link);
            j += 1;
        }
        Some(j - i)
    }

    /// Photo and image credits outside the headline (`… dimming again. Photo: Wakil
    /// Kohsar/Agence France-Presse/Getty Images`, `(Foto: ANTARA/Hafidz)`, `Photo by X/AP`):
    /// the credited photographers and agencies are no part of the event, yet as names they
    /// weigh more than the rest of a short item. A credit opens a sentence or a bracket with
    /// a credit word ([`is_credit_word`]) and `:` or `by`/`oleh`, and runs to the end of its
    /// line, its closing bracket, or a sentence end; longer than [`CREDIT_WORDS`] words it is
    /// read as text.
    fn credit(&mut self, i: usize, low: &str) -> Option<usize> {
        if self.bag.position() == Position::Headline || !is_credit_word(low) {
            return None;
        }
        let ctx = self.ctx;
        let (text, tokens) = (ctx.text, &ctx.tokens);
        let t = tokens[i];
        let bytes = text.as_bytes();
        let before = text[..t.start].trim_end_matches([' ', '\t']);
        let bracket = match before.as_bytes().last() {
            Some(b'(') => Some(b')'),
            Some(b'[') => Some(b']'),
            _ => None,
        };
        if !(t.sentence_start || bracket.is_some()) {
            return None;
        }
        // `:` (`Photo :` in French typography) or `by` / `oleh` after the credit word.
        let after = text[t.end..].trim_start_matches([' ', '\t']);
        let opened = after.starts_with(':')
            || tokens.get(i + 1).is_some_and(|n| {
                n.kind == TokenKind::Word && matches!(ctx.low(i + 1), "by" | "oleh")
            });
        if !opened {
            return None;
        }
        // Where the credit ends: its line's end, its bracket's close, or a full stop, `!` or
        // `?` followed by a space (a dot after a one-letter token is an initial: `J. Smith/AP`),
        // looked for in the gaps between its tokens, so that the work stops with the word
        // limit however long the line (a text of `Photo:` after `Photo:` stays linear).
        let ends_in = |gap: &[u8], prev: &Token| {
            gap.iter().enumerate().any(|(k, &b)| {
                b == b'\n'
                    || Some(b) == bracket
                    || (matches!(b, b'.' | b'!' | b'?')
                        && gap.get(k + 1).is_none_or(u8::is_ascii_whitespace)
                        && !(b == b'.' && k == 0 && prev.end - prev.start == 1))
            })
        };
        let mut j = i + 1;
        let mut words = 0;
        while j < tokens.len() {
            let (prev, next) = (&tokens[j - 1], &tokens[j]);
            if ends_in(&bytes[prev.end..next.start], prev) {
                break;
            }
            words += usize::from(next.kind != TokenKind::Symbol);
            if words > CREDIT_WORDS {
                return None;
            }
            j += 1;
        }
        for k in i..j {
            self.note(k, TokenClass::Credit);
        }
        Some(j - i)
    }

    /// "3 PM", "10 a.m.": times, not prime ministers.
    fn time_of_day(&mut self, i: usize, low: &str) -> Option<usize> {
        let ctx = self.ctx;
        (matches!(low, "pm" | "am" | "p.m." | "a.m.")
            && i > 0
            && ctx.tokens[i - 1].kind == TokenKind::Number)
            .then(|| {
                self.note(i, TokenClass::Number);
                1
            })
    }

    /// Entities (places, organisations, acronyms of the table), longest first, over at most
    /// six tokens.
    #[inline(always)]
    fn entity(&mut self, tok: &Tok, info: WordInfo) -> Option<usize> {
        let ctx = self.ctx;
        let Tok {
            i,
            t,
            raw,
            low,
            key,
        } = *tok;
        let end = ctx.tokens.len().min(i + 6);
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
        if !(info.flags & ENTITY != 0
            || (!t.plain
                && !raw.chars().any(char::is_lowercase)
                && raw != low
                && self.lex.has_entities_for(written_key(i))))
        {
            return None;
        }
        // Another language's name only where the capital says so, or for a word the text's
        // language does not know.
        let others = (!t.sentence_start && !t.title) || info.flags & KNOWN == 0;
        let (len, code) = self.lex.entity_from(
            self.profile.lang,
            (written_key(i), key),
            |k| next(k).map(written_key),
            |k| next(k).map(|j| ctx.keys[j]),
            others,
        )?;
        self.push_anchor(AnchorClass::Entity, |s| s.push_str(code));
        self.note(i, TokenClass::Anchor);
        Some(len)
    }

    /// Multi-word lexicon entries.
    #[inline(always)]
    fn phrase(&mut self, i: usize, info: WordInfo) -> Option<usize> {
        let ctx = self.ctx;
        let p = self.phrases.filter(|_| info.phrases != 0)?;
        let (len, target) = phrase_at(p, info.phrases, &ctx.keys, i)?;
        push_target(&mut self.bag, target);
        self.note(i, TokenClass::Concept);
        Some(len)
    }

    /// What Malay reads otherwise than Indonesian, in a Malay document: the longest Malay
    /// expression starting here (`balai polis`), else the word's Malay reading (`kerajaan`).
    fn malay_reading(&mut self, i: usize, low: &str) -> Option<usize> {
        let (ctx, lex) = (self.ctx, self.lex);
        let index = lex.malay_phrase_index(ctx.keys[i]);
        let (len, target) = phrase_at(lex.malay_phrases(), index, &ctx.keys, i)
            .or_else(|| profile::id::malay_sense(lex, low).map(|t| (1, t)))?;
        push_target(&mut self.bag, target);
        self.note(i, target_class(target));
        Some(len)
    }

    /// Ordinals written ke-7 / ke-7nya (Indonesian), ika-7 (Tagalog); a Tagalog day of a
    /// month is a date (`ika-15 ng Marso`, `ika-15 Marso`).
    #[inline(always)]
    fn ordinal(&mut self, i: usize, low: &str, info: WordInfo) -> Option<usize> {
        if info.flags & SPECIAL == 0 {
            return None;
        }
        let (d, tagalog) = match low.strip_prefix("ika-") {
            Some(d) => (d, true),
            None => (low.strip_prefix("ke-")?, false),
        };
        let digits: String = d.chars().take_while(char::is_ascii_digit).collect();
        let v = digits.parse::<u64>().ok()?;
        if tagalog && (1..=31).contains(&v) && digits.len() == d.len() {
            let ctx = self.ctx;
            let word = |j: usize| {
                (j < ctx.tokens.len() && ctx.tokens[j].kind == TokenKind::Word).then(|| ctx.low(j))
            };
            let mut j = i + 1;
            if word(j).is_some_and(|w| self.profile.month_links.contains(&w)) {
                j += 1;
            }
            if let Some(m) = word(j).and_then(|w| self.profile.month(w)) {
                self.labels.clear();
                self.labels.add_date(m, v as u32);
                for l in self.labels.iter() {
                    self.bag.push(FeatureKind::Anchor, l);
                }
                self.note(i, TokenClass::Number);
                return Some(j + 1 - i);
            }
        }
        self.push_anchor(AnchorClass::Number, |s| anchors::push_uint(s, v));
        self.note(i, TokenClass::Number);
        Some(1)
    }

    /// Acronyms: all capitals, 2–6 letters (dots of initialisms dropped), outside sentences
    /// written in capitals.
    #[inline(always)]
    fn acronym(&mut self, tok: &Tok) -> Option<usize> {
        let ctx = self.ctx;
        let Tok { i, t, raw, .. } = *tok;
        // A plain token (lowercase ASCII) is neither an acronym nor a name.
        if !(t.cap
            && raw.len() <= 8
            && !raw.chars().any(char::is_lowercase)
            && two_letters(raw)
            && !title_shouting(ctx, i))
        {
            return None;
        }
        self.push_anchor(AnchorClass::Acronym, |s| {
            s.extend(raw.chars().filter(|c| *c != '.'))
        });
        self.note(i, TokenClass::Anchor);
        Some(1)
    }

    /// Names: capitalised words the lexicon does not know, where capitals are informative
    /// (mid-sentence, or capitalised mid-sentence elsewhere in the text); elsewhere (a
    /// sentence's first word, a title-case headline) when the text never writes the word in
    /// lowercase; any capitalised unknown word in a language without a lexicon.
    #[inline(always)]
    fn name(&mut self, tok: &Tok, info: WordInfo) -> Option<usize> {
        let Tok {
            i,
            t,
            raw,
            low,
            key,
        } = *tok;
        let caps = t.cap;
        let informative =
            caps && ((!t.sentence_start && !t.title) || self.mid_caps.binary_search(&key).is_ok());
        // Without a lexicon, a capitalised word may be a name wherever it stands; where names
        // inflect and are keyed by their stem, not when the text also writes that stem in
        // lowercase: it is a common word that opened a sentence (`Результаты`, `Существует`,
        // `Предварительные`), whose stem would otherwise meet every other form of the word
        // as a name anchor. (Measured for every language without a lexicon too: one flag
        // less in Russian and Swahili, one more in Tagalog; DESIGN.md, section 10.)
        //
        // With a lexicon, a capitalised word it does not know, where capitals say nothing (a
        // sentence's first word, a title-case headline's words), is a name too unless the text
        // also writes it in lowercase or the language's broad word list holds it
        // (`According`, `Menurut`: [`Profile::is_common_word`]). `Embattled Nissan C.E.O.
        // Hiroto Saikawa to Resign` names Nissan and Hiroto only in its headline, and the
        // article that names them mid-sentence keys them as names; before, they became
        // concepts that never met those names (DESIGN.md, section 3, "Names").
        let uninformative_name = if self.profile.capitals_are_names {
            match self.analyzer.name_stemmer(self.profile) {
                Some(s) => self
                    .lowercase
                    .binary_search(&word_key(&s.stem(low)))
                    .is_err(),
                None => true,
            }
        } else {
            caps && !informative
                && self.profile.lang.is_some()
                && info.flags & KNOWN == 0
                && !self.profile.is_common_word(low)
                && !self.written_in_lowercase(key)
        };
        if caps && info.flags & KNOWN != 0 {
            // A word the lexicon knows, capitalised mid-sentence right after a name and never
            // written in lowercase in the text, is a surname too (`George Bush`, `Gordon
            // Brown`, `Condoleezza Rice`): the other language's text has no such word and
            // keys it as a name. Its concept stays. Before a name, a known capitalised word
            // is as often a title (`Presiden Joko Widodo`, `President Obama`) as a given
            // name, and taking every such word as a name cost ECB+ en-en pairs out of fold
            // (DESIGN.md, section 3, "Names"); so there only the language's list of given
            // names that are words counts (`Surya Paloh`, `Mark Zuckerberg`), wherever it
            // stands: a sentence with a name or two reads as title case
            // (`Token::title`), and the list leaves out words that are as often a verb
            // before a name in a headline (`Sue`, `Will`).
            let mid = !t.sentence_start && !t.title;
            if (mid && self.after_name(i) && !self.written_in_lowercase(key))
                || (self.profile.is_given_name_key(key) && self.before_name(i, 1))
            {
                self.push_name(low, key);
            }
            return None;
        }
        if !(caps
            && info.flags & KNOWN == 0
            && (informative || uninformative_name)
            && two_letters(raw))
        {
            return None;
        }
        self.push_name(low, key);
        self.note(i, TokenClass::Anchor);
        Some(1)
    }

    /// The word-cache flags of token `j`, a neighbour of token `i` (`lo`, `hi`: the earlier
    /// and the later of the two), when it is a capitalised word of two or more letters with
    /// one space between them; `None` otherwise.
    fn neighbour_flags(&mut self, j: usize, (lo, hi): (usize, usize)) -> Option<u8> {
        let ctx = self.ctx;
        let n = ctx.tokens.get(j)?;
        if n.kind != TokenKind::Word
            || !n.cap
            || &ctx.text[ctx.tokens[lo].end..ctx.tokens[hi].start] != " "
        {
            return None;
        }
        let low = ctx.low(j);
        if !two_letters(low) {
            return None;
        }
        let (analyzer, profile) = (self.analyzer, self.profile);
        let info = self.local.entry(self.shared, ctx.keys[j], |local| {
            analyzer.compute_word(profile, low, local)
        });
        Some(info.flags)
    }

    /// Whether the token before token `i`, with one space between, is a capitalised word of
    /// two or more letters that is no word the lexicon knows, function word, number word or
    /// entity: a name.
    fn after_name(&mut self, i: usize) -> bool {
        let Some(j) = i.checked_sub(1) else {
            return false;
        };
        self.neighbour_flags(j, (j, i))
            .is_some_and(|f| f & (KNOWN | STOP | NUMBER | ENTITY) == 0)
    }

    /// Whether the token after token `i`, with one space between, is a capitalised word of
    /// two or more letters that is no word the lexicon knows, function word, number word or
    /// entity (a name); or, `depth` times more, a given name that is a word before a name
    /// (`Bintang` in `Surya Bintang Sumarno`).
    fn before_name(&mut self, i: usize, depth: u32) -> bool {
        let j = i + 1;
        let Some(flags) = self.neighbour_flags(j, (i, j)) else {
            return false;
        };
        if flags & (KNOWN | STOP | NUMBER | ENTITY) == 0 {
            return true;
        }
        depth > 0
            && flags & (STOP | NUMBER | ENTITY) == 0
            && self.profile.is_given_name_key(self.ctx.keys[j])
            && self.before_name(j, depth - 1)
    }

    /// Adds the name anchor of the word `low` (key `key`).
    fn push_name(&mut self, low: &str, key: u64) {
        // The name feature is cached like a word, under a key of its own.
        let name_key = (key ^ NAME_SALT).max(1);
        // Languages whose names inflect for case (Путин, Путина, Путину) key a name by its
        // stem, so that the forms of one name meet.
        let analyzer = self.analyzer;
        let stem_names = self.profile.lang.filter(|_| self.profile.names_inflect);
        let name = self
            .local
            .entry(self.shared, name_key, |local| match stem_names {
                Some(l) => match analyzer.stemmers.get(&l) {
                    Some(s) => Analyzer::name_word(&s.stem(low), local),
                    None => Analyzer::name_word(low, local),
                },
                None => Analyzer::name_word(low, local),
            });
        if name.feats == 1 {
            self.bag.push_id(name.hash, name.kind, name.label);
        } else {
            self.bag.push(
                FeatureKind::Anchor,
                &format!("{}{}", AnchorClass::Name.prefix(), fold_name(low)),
            );
        }
    }

    /// Whether the text writes the word of `key` (the key of its lowercase form) in lowercase
    /// somewhere. It is asked only for unknown capitalised words at a sentence's start or in
    /// a title-case headline, a few times an article. The first question builds a bit filter
    /// of the lowercase words' keys in one pass; a key whose bit is clear (most names) is
    /// answered by it, one whose bit is set by a scan of the tokens, and after
    /// [`LOWERCASE_SCANS`] scans (a long text fills the filter) by the keys, sorted once.
    fn written_in_lowercase(&mut self, key: u64) -> bool {
        let ctx = self.ctx;
        let lowercase = || {
            ctx.keys
                .iter()
                .zip(&ctx.tokens)
                .filter(|(_, t)| t.kind == TokenKind::Word && !t.cap)
                .map(|(&k, _)| k)
        };
        let bit = |k: u64| {
            let b = (k >> 32) as usize % (64 * LOWERCASE_FILTER_WORDS);
            (b / 64, 1u64 << (b % 64))
        };
        let filter = self.lowercase_filter.get_or_insert_with(|| {
            // Every token sets its bit or nothing, without a branch (a token's case is as good
            // as random to the predictor).
            let mut f = Box::new([0u64; LOWERCASE_FILTER_WORDS]);
            for (t, &k) in ctx.tokens.iter().zip(&ctx.keys) {
                let (w, m) = bit(k);
                f[w] |= m * u64::from((t.kind == TokenKind::Word) & !t.cap);
            }
            f
        });
        let (w, m) = bit(key);
        if filter[w] & m == 0 {
            return false;
        }
        self.lowercase_scans += 1;
        if self.lowercase_scans <= LOWERCASE_SCANS {
            return lowercase().any(|k| k == key);
        }
        if self.lowercase_scans == LOWERCASE_SCANS + 1 {
            self.lowercase_keys = lowercase().collect();
            self.lowercase_keys.sort_unstable();
            self.lowercase_keys.dedup();
        }
        self.lowercase_keys.binary_search(&key).is_ok()
    }

    /// A word no rule took: its cached features (concepts, or local words); Vietnamese
    /// syllables are paired first ([`Rules::syllable`]).
    #[inline(always)]
    fn word(&mut self, i: usize, info: WordInfo) -> usize {
        if self.profile.segmentation == Segmentation::SyllablePairs && info.feats > 0 {
            self.syllable(i, info);
            return 1;
        }
        self.push_word(info);
        self.note(i, info.class);
        1
    }

    /// A word's cached features.
    #[inline(always)]
    fn push_word(&mut self, info: WordInfo) {
        if info.feats > 0 {
            self.bag.push_id(info.hash, info.kind, info.label);
            for k in 1..u32::from(info.feats) {
                let e = self.local.extra(self.cache, info.extra + k - 1);
                self.bag.push_id(e.hash, e.kind, e.label);
            }
        }
    }
}

/// The longest phrase of `phrases` (its list `index`, 0 for none) starting at token `i`, whose
/// following tokens' keys are `keys[i + 1..]`, looked at no further than six tokens on: its
/// number of tokens and its target.
fn phrase_at<'l>(
    phrases: &'l Phrases,
    index: u32,
    keys: &[u64],
    i: usize,
) -> Option<(usize, &'l Target)> {
    let end = keys.len().min(i + 6);
    phrases.longest(index, |k| (i + k < end).then(|| keys[i + k]))
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

/// The most segments [`longest_headword`] joins into one headword.
const MAX_JOINED_SEGMENTS: usize = 5;

/// The longest run of two or more adjacent segments at the start of `spans` (byte spans of
/// `run`, nothing between them) that `lookup` knows as one word: how many segments, and its
/// entry. `None` when no such run is a headword (the first segment alone is looked up by the
/// caller, after its function-word check).
fn longest_headword<'l>(
    run: &str,
    spans: &[(usize, usize)],
    lookup: impl Fn(&str) -> Option<&'l Target>,
) -> Option<(usize, &'l Target)> {
    let start = spans.first()?.0;
    // Adjacent segments: each begins where the one before it ends.
    let adjacent = 1 + spans
        .windows(2)
        .take(MAX_JOINED_SEGMENTS - 1)
        .take_while(|w| w[0].1 == w[1].0)
        .count();
    (2..=adjacent)
        .rev()
        .find_map(|n| lookup(&run[start..spans[n - 1].1]).map(|t| (n, t)))
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

/// What a word read as `target` is, for [`Analyzer::trace`](crate::Analyzer::trace): an
/// entity is an anchor, concepts are a concept.
fn target_class(target: &Target) -> TokenClass {
    match target {
        Target::Concepts(_) => TokenClass::Concept,
        Target::Entity(_) => TokenClass::Anchor,
    }
}

/// The most words a credit holds after its opening word and `:` (`Wakil Kohsar/Agence
/// France-Presse/Getty Images` is six); a longer run is text.
const CREDIT_WORDS: usize = 12;

/// Words that may open a web address ([`Rules::link`]).
pub(super) fn is_link_start(low: &str) -> bool {
    matches!(low, "http" | "https" | "www" | "pic")
}

/// Words that open a photo or image credit (lowercase): English, Indonesian and the
/// European languages that write `Foto`, and Russian `фото`.
pub(super) fn is_credit_word(low: &str) -> bool {
    matches!(
        low,
        "photo"
            | "photos"
            | "photograph"
            | "picture"
            | "image"
            | "credit"
            | "foto"
            | "fotos"
            | "фото"
    )
}

/// Sentences written in capitals: acronym detection would take every word.
pub(super) fn title_shouting(ctx: &Ctx, i: usize) -> bool {
    let lo = i.saturating_sub(3);
    let hi = (i + 4).min(ctx.tokens.len());
    let long_caps = (lo..hi)
        // A plain word (ASCII without capitals) starts with a lowercase letter.
        .filter(|&j| j != i && ctx.tokens[j].kind == TokenKind::Word && !ctx.tokens[j].plain)
        .filter(|&j| {
            let w = ctx.tokens[j].text(ctx.text);
            w.chars().count() >= 4 && !w.chars().any(char::is_lowercase)
        })
        .count();
    long_caps >= 2
}

/// Lowercase name with diacritics removed (`Bílek` → `bilek`); a name with no Latin letter
/// (Cyrillic, Greek, Armenian: the other scripts with capitals) in Latin letters, by
/// `any_ascii`'s transliteration (`путин` → `putin`), so that it meets the same name written
/// in Latin. A word mixing Latin with another script keeps its letters.
pub(super) fn fold_name(low: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    if low.is_ascii() {
        return low.to_string();
    }
    if !low.chars().any(is_latin_letter) {
        let latin: String = any_ascii::any_ascii(low)
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if latin.chars().any(|c| c.is_ascii_alphabetic()) {
            return latin;
        }
    }
    low.nfd()
        .filter(|c| !matches!(*c as u32, 0x0300..=0x036F))
        .collect()
}

/// A letter of the Latin script (ASCII, Latin-1, Latin Extended A–E and Additional, IPA).
fn is_latin_letter(c: char) -> bool {
    c.is_alphabetic()
        && matches!(c as u32, 0..=0x02AF | 0x1D00..=0x1DBF | 0x1E00..=0x1EFF | 0x2C60..=0x2C7F
            | 0xA720..=0xA7FF | 0xAB30..=0xAB6F | 0xFF21..=0xFF5A)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fold_diacritics() {
        assert_eq!(fold_name("bílek"), "bilek");
        assert_eq!(fold_name("łódź"), "łodz");
    }

    #[test]
    fn names_of_other_scripts_read_in_latin_letters() {
        assert_eq!(fold_name("путин"), "putin");
        assert_eq!(fold_name("ухань"), "ukhan");
        assert_eq!(fold_name("τσίπρας"), "tsipras");
        assert_eq!(fold_name("covid-19"), "covid-19");
        // Mixed scripts, and characters with no Latin reading, keep their letters.
        assert_eq!(
            fold_name("covid-19\u{06a9}\u{0627}"),
            "covid-19\u{06a9}\u{0627}"
        );
        assert_eq!(fold_name("\u{0301}"), "");
    }

    /// Labels of a text analysed as `lang`, sorted.
    fn labels(text: &str, lang: crate::Lang) -> Vec<String> {
        crate::analysis::labels_as(&crate::Analyzer::new(), text, lang)
    }

    #[test]
    fn segments_of_one_headword_are_read_as_it() {
        // The segmenter splits the World Health Organization and the health ministry into
        // their words; the lexicon knows each whole.
        let who = labels("世界卫生组织宣布", crate::Lang::Mandarin);
        assert!(who.contains(&"ent:WHO".to_string()), "{who:?}");
        assert!(!who.contains(&"world".to_string()), "{who:?}");
        // The longest headword wins over a shorter one at the same start (`美国` alone is
        // the US; `美国疾控中心` is the CDC).
        let cdc = labels("美国疾控中心表示", crate::Lang::Mandarin);
        assert!(cdc.contains(&"ent:CDC".to_string()), "{cdc:?}");
        assert!(!cdc.contains(&"ent:US".to_string()), "{cdc:?}");
    }

    /// The trace of a text written without spaces reports its words as the segmenter and the
    /// lexicon read them, not the whole run as one local token.
    #[test]
    fn the_trace_of_unspaced_text_reports_each_word() {
        use crate::TokenClass;
        let text = "世界卫生组织宣布了新的措施。美国疾控中心表示，病例数量正在增加。";
        let (d, trace) = crate::Analyzer::new().trace(text);
        assert_eq!(d.lang(), Some(crate::Lang::Mandarin));
        let has = |w: &str, c: TokenClass| trace.iter().any(|(t, k)| t == w && *k == c);
        assert!(has("世界卫生组织", TokenClass::Anchor), "{trace:?}");
        assert!(has("美国疾控中心", TokenClass::Anchor), "{trace:?}");
        assert!(has("宣布", TokenClass::Concept), "{trace:?}");
        assert!(has("措施", TokenClass::Concept), "{trace:?}");
        assert!(has("了", TokenClass::Stopword), "{trace:?}");
        // Every reported word is a piece of the text, none a whole sentence.
        for (w, _) in &trace {
            assert!(text.contains(w.as_str()) && w.chars().count() <= 6, "{w}");
        }
    }

    #[test]
    fn the_longest_run_of_adjacent_segments_that_is_a_headword() {
        let run = "abcdef";
        let spans = [(0, 1), (1, 3), (3, 4), (4, 6)];
        let known = ["ab", "abcd", "bc"].map(|w| (w, Target::Entity(w.into())));
        let lookup = |w: &str| known.iter().find(|(k, _)| *k == w).map(|(_, t)| t);
        let hit = |spans: &[(usize, usize)]| longest_headword(run, spans, lookup).map(|(n, _)| n);
        // "abcd" (three segments) over "abc" (not known); "a" alone is the caller's.
        assert_eq!(hit(&spans), Some(3));
        // Not across a gap between segments.
        assert_eq!(hit(&[(0, 1), (2, 3), (3, 4)]), None);
        assert_eq!(hit(&spans[1..]), None);
        assert_eq!(hit(&[]), None);
    }
}
