//! Segment files: one saved batch of documents, immutable once written.
//!
//! The body is a sequence of sections (4-byte tag, `u64` length, payload), in this order:
//!
//! * `FEAT`: the segment's distinct features, each once: `var n`, then per feature `u64`
//!   hash, `u8` kind tag (`A` `C` `P` `L`, [`FeatureKind::tag`]), label (`var` length +
//!   UTF-8).
//! * `DOCS`: `var n`, then per document: id (`var` length + UTF-8), language code (`var`
//!   length + ASCII; empty: undetermined), `u64` time added (unix seconds), `var` feature
//!   count, then per feature: `var` index into `FEAT`, `u8` position (0 headline, 1 lead,
//!   2 body), `var` count. Features in the order the analysis gave them (by hash).
//! * `TEXT` (only in an index created with `keep_texts`): `var n` (the same n), then per
//!   document: `u8` flags (bit 0: a title follows; bit 1: the language was given, not
//!   detected), the title if any, the body (each `var` length + UTF-8).
//! * `DATE` (only when a document has a publication date): `var n` (the same n), then per
//!   document `var`: 0 for none, else its date as days since 0001-01-01 plus one.
//! * `PART` (optional, derived): the documents in the corpus's own encoding, for a fast open
//!   (`matching/parts.rs`): `var` first feature row, `u8` 1 when rows carry labels, `var n`
//!   rows of `u64` hash, `u8` kind tag (and the label); then `var n` documents: id, language
//!   code, `u64` copy-group key, `u8` 1 for a copy, then five lists of feature ids (features,
//!   lead, dates, years, figures), each `var` length then `var`s, the features as gaps from the
//!   one before (they increase); then the event verifier's lists: a `u8` position per
//!   feature, `u8` weekdays named anywhere and `u8` in the headline or lead (bit 0 Monday),
//!   `var k` lead figures as (`var` feature id, `var` kind code). Restored in order, with the manifest's tombstones replayed
//!   at their epochs, the parts of all segments give the writers' corpus; an index with a
//!   segment without `PART` is opened from `DOCS`.

use super::format::{Reader, Writer};
use crate::matching::parts::{DocRow, FeatureRows, Part};
use crate::{Date, Feature, FeatureKind, Lang, Position};
use ahash::{AHashMap, AHashSet};
use std::sync::Arc;

/// A document as a segment holds it.
#[derive(Debug, Clone)]
pub(crate) struct StoredDoc {
    pub(crate) id: Arc<str>,
    pub(crate) lang: Option<Lang>,
    /// Unix seconds.
    pub(crate) added_at: u64,
    /// As the analysis gave them.
    pub(crate) features: Vec<Feature>,
    /// The text, in an index that keeps texts.
    pub(crate) text: Option<StoredText>,
    /// The publication date, when one was given.
    pub(crate) published: Option<Date>,
}

/// What a document was analysed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StoredText {
    pub(crate) title: Option<String>,
    pub(crate) body: String,
    /// Whether `lang` was given rather than detected (a rebuild gives it again).
    pub(crate) forced_lang: bool,
}

/// Labels shared across the segments of one load, so a label is held once in memory.
pub(crate) type Interner = AHashSet<Arc<str>>;

const FEAT: [u8; 4] = *b"FEAT";
const DOCS: [u8; 4] = *b"DOCS";
const TEXT: [u8; 4] = *b"TEXT";
const PART: [u8; 4] = *b"PART";
const DATE: [u8; 4] = *b"DATE";

/// A publication date as the `DATE` section stores it (0: none).
fn date_code(d: Option<Date>) -> u64 {
    d.map_or(0, |d| {
        (i64::from(d.days_since_epoch()) - i64::from(Date::MIN.days_since_epoch())) as u64 + 1
    })
}

/// The date of a `DATE` section's code; `Err` for a code no date has.
fn date_of(code: u64) -> Result<Option<Date>, String> {
    if code == 0 {
        return Ok(None);
    }
    i64::try_from(code - 1)
        .ok()
        .and_then(|x| i32::try_from(x + i64::from(Date::MIN.days_since_epoch())).ok())
        .and_then(Date::from_days_since_epoch)
        .map(Some)
        .ok_or_else(|| format!("publication date code {code} out of range"))
}

/// The publication dates of a segment's documents, in order (`None` when it has no `DATE`
/// section: no document was dated).
pub(crate) fn decode_dates(body: &[u8]) -> Result<Option<Vec<Option<Date>>>, String> {
    section(body, DATE)?.map(read_dates).transpose()
}

/// The payload of a segment body's section `tag` (the last, should it repeat), without
/// decoding the others; `None` when it has none.
fn section(body: &[u8], tag: [u8; 4]) -> Result<Option<&[u8]>, String> {
    let mut r = Reader::new(body, "segment");
    let mut payload = None;
    while !r.is_empty() {
        let (t, p) = r.section()?;
        if t == tag {
            payload = Some(p);
        }
    }
    Ok(payload)
}

/// The dates of a `DATE` section's payload.
fn read_dates(p: &[u8]) -> Result<Vec<Option<Date>>, String> {
    let mut r = Reader::new(p, "DATE section");
    let n = r.count(1)?;
    let mut v = Vec::with_capacity(n);
    for _ in 0..n {
        v.push(date_of(r.var()?).map_err(|e| r.fail(e))?);
    }
    if !r.is_empty() {
        return Err(r.fail("bytes after the last date"));
    }
    Ok(v)
}

/// Encodes documents as a segment body (`TEXT` only with `keep_texts`, `PART` when given).
pub(crate) fn encode(docs: &[&StoredDoc], keep_texts: bool, part: Option<&Part>) -> Vec<u8> {
    let mut dict: AHashMap<u64, u64> = AHashMap::new();
    let mut feat = Writer::default();
    let mut entries = 0u64;
    let mut body = Writer::default();
    body.var(docs.len() as u64);
    for d in docs {
        body.bytes(d.id.as_bytes());
        body.bytes(d.lang.map_or("", Lang::code).as_bytes());
        body.u64(d.added_at);
        body.var(d.features.len() as u64);
        for f in &d.features {
            let i = *dict.entry(f.hash).or_insert_with(|| {
                feat.u64(f.hash);
                feat.u8(f.kind.tag());
                feat.bytes(f.label.as_bytes());
                entries += 1;
                entries - 1
            });
            body.var(i);
            body.u8(f.position as u8);
            body.var(u64::from(f.count));
        }
    }
    let mut feat_section = Writer::default();
    feat_section.var(entries);
    feat_section.buf.extend_from_slice(&feat.buf);
    let mut out = Writer::default();
    out.section(FEAT, &feat_section.buf);
    out.section(DOCS, &body.buf);
    if keep_texts {
        let mut text = Writer::default();
        text.var(docs.len() as u64);
        for d in docs {
            let t = d.text.as_ref();
            let title = t.and_then(|t| t.title.as_deref());
            let forced = t.is_some_and(|t| t.forced_lang);
            text.u8(u8::from(title.is_some()) | (u8::from(forced) << 1));
            if let Some(title) = title {
                text.bytes(title.as_bytes());
            }
            text.bytes(t.map_or("", |t| &t.body).as_bytes());
        }
        out.section(TEXT, &text.buf);
    }
    if docs.iter().any(|d| d.published.is_some()) {
        let mut dates = Writer::default();
        dates.var(docs.len() as u64);
        for d in docs {
            dates.var(date_code(d.published));
        }
        out.section(DATE, &dates.buf);
    }
    if let Some(part) = part {
        out.section(PART, &encode_part(part));
    }
    out.buf
}

fn encode_part(part: &Part) -> Vec<u8> {
    let mut w = Writer::default();
    let f = &part.features;
    let labels = !f.labels.is_empty();
    w.var(u64::from(f.first));
    w.u8(u8::from(labels));
    w.var(f.hashes.len() as u64);
    for (i, (&h, k)) in f.hashes.iter().zip(&f.kinds).enumerate() {
        w.u64(h);
        w.u8(k.tag());
        if labels {
            w.bytes(f.labels[i].as_bytes());
        }
    }
    w.var(part.docs.len() as u64);
    for d in &part.docs {
        w.bytes(d.id.as_bytes());
        w.bytes(d.lang.map_or("", Lang::code).as_bytes());
        w.u64(d.key);
        w.u8(u8::from(d.copy));
        w.var(d.features.len() as u64);
        let mut prev = 0u32;
        for &x in d.features.iter() {
            w.var(u64::from(x.wrapping_sub(prev)));
            prev = x;
        }
        for list in [&d.lead, &d.dates, &d.years, &d.numbers] {
            w.var(list.len() as u64);
            for &x in list.iter() {
                w.var(u64::from(x));
            }
        }
        // The event verifier's lists: a position per feature, the weekday masks, and the
        // lead figures with their kind codes.
        for &p in d.event.positions.iter() {
            w.u8(p);
        }
        w.u8(d.event.days);
        w.u8(d.event.lead_days);
        w.var(d.event.lead_figures.len() as u64);
        for &(x, k) in d.event.lead_figures.iter() {
            w.var(u64::from(x));
            w.var(u64::from(k));
        }
    }
    w.buf
}

/// The `PART` section of a segment body, if it has one.
pub(crate) fn decode_part(body: &[u8]) -> Result<Option<Part>, String> {
    let Some(p) = section(body, PART)? else {
        return Ok(None);
    };
    let mut r = Reader::new(p, "PART section");
    let fid = |r: &mut Reader| -> Result<u32, String> {
        u32::try_from(r.var()?).map_err(|_| r.fail("feature id above u32"))
    };
    let first = fid(&mut r)?;
    let labels = match r.u8()? {
        0 => false,
        1 => true,
        x => return Err(r.fail(format!("unknown label flag {x}"))),
    };
    let n = r.count(9)?;
    let mut rows = FeatureRows {
        first,
        hashes: Vec::with_capacity(n),
        kinds: Vec::with_capacity(n),
        labels: Vec::with_capacity(if labels { n } else { 0 }),
    };
    let mut interner = Interner::new();
    for _ in 0..n {
        rows.hashes.push(r.u64()?);
        let tag = r.u8()?;
        rows.kinds
            .push(kind_of(tag).ok_or_else(|| r.fail(format!("unknown feature kind {tag}")))?);
        if labels {
            let l: Arc<str> = Arc::from(r.str()?);
            let l = interner.get(&l).cloned().unwrap_or_else(|| {
                interner.insert(l.clone());
                l
            });
            rows.labels.push(l);
        }
    }
    let n = r.count(14)?;
    let mut docs = Vec::with_capacity(n);
    for _ in 0..n {
        let id: Arc<str> = Arc::from(r.str()?);
        let code = r.str()?;
        let lang = if code.is_empty() {
            None
        } else {
            Some(
                Lang::from_code(code)
                    .ok_or_else(|| r.fail(format!("unknown language {code:?}")))?,
            )
        };
        let key = r.u64()?;
        let copy = match r.u8()? {
            0 => false,
            1 => true,
            x => return Err(r.fail(format!("unknown copy flag {x}"))),
        };
        let nf = r.count(1)?;
        let mut features = Vec::with_capacity(nf);
        let mut prev = 0u32;
        for _ in 0..nf {
            prev = prev.wrapping_add(fid(&mut r)?);
            features.push(prev);
        }
        let mut lists: [Box<[u32]>; 4] = Default::default();
        for list in lists.iter_mut() {
            let k = r.count(1)?;
            *list = (0..k).map(|_| fid(&mut r)).collect::<Result<_, _>>()?;
        }
        let [lead, dates, years, numbers] = lists;
        let positions: Box<[u8]> = r.raw(nf)?.into();
        if let Some(p) = positions.iter().find(|&&p| p > 2) {
            return Err(r.fail(format!("unknown position {p}")));
        }
        let (days, lead_days) = (r.u8()?, r.u8()?);
        let k = r.count(2)?;
        let lead_figures = (0..k)
            .map(|_| {
                let x = fid(&mut r)?;
                let code = u32::try_from(r.var()?).map_err(|_| r.fail("figure kind above u32"))?;
                Ok((x, code))
            })
            .collect::<Result<Box<[(u32, u32)]>, String>>()?;
        let event = crate::matching::event::EventLists {
            positions,
            days,
            lead_days,
            lead_figures,
        };
        docs.push(DocRow {
            event,
            id,
            lang,
            key,
            copy,
            features: features.into(),
            lead,
            dates,
            years,
            numbers,
        });
    }
    if !r.is_empty() {
        return Err(r.fail("bytes after the last document"));
    }
    Ok(Some(Part {
        features: rows,
        docs,
    }))
}

/// The ids and times added of a segment's documents, without their features (a fast open
/// takes the features from `PART`).
pub(crate) fn decode_ids(body: &[u8]) -> Result<Vec<(&str, u64)>, String> {
    let mut d = Reader::new(
        section(body, DOCS)?.ok_or("segment: the DOCS section is missing")?,
        "DOCS section",
    );
    let n = d.count(11)?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let id = d.str()?;
        let _lang = d.str()?;
        let added_at = d.u64()?;
        for _ in 0..d.count(3)? {
            d.var()?;
            d.u8()?;
            d.var()?;
        }
        out.push((id, added_at));
    }
    Ok(out)
}

fn kind_of(tag: u8) -> Option<FeatureKind> {
    FeatureKind::ALL.into_iter().find(|k| k.tag() == tag)
}

/// Decodes a segment body, calling `each(index, doc)` for every document in order. Texts
/// are read only with `texts`, and then must be there. Returns the number of documents.
pub(crate) fn decode(
    body: &[u8],
    interner: &mut Interner,
    texts: bool,
    mut each: impl FnMut(u32, StoredDoc) -> Result<(), String>,
) -> Result<u32, String> {
    let mut r = Reader::new(body, "segment");
    let mut sections: [Option<&[u8]>; 4] = [None; 4];
    let mut last = None;
    while !r.is_empty() {
        let (tag, payload) = r.section()?;
        let i = match tag {
            FEAT => 0,
            DOCS => 1,
            TEXT => 2,
            DATE => 3,
            // Derived: read by `decode_part`.
            PART => continue,
            _ => {
                return Err(r.fail(format!(
                    "section {:?} unknown to this format version",
                    String::from_utf8_lossy(&tag)
                )))
            }
        };
        if last.is_some_and(|l| l >= i) {
            return Err(r.fail("sections repeated or out of order"));
        }
        last = Some(i);
        sections[i] = Some(payload);
    }
    let (Some(feat), Some(docs)) = (sections[0], sections[1]) else {
        return Err("segment: a FEAT or DOCS section is missing".into());
    };

    let mut f = Reader::new(feat, "FEAT section");
    let n = f.count(10)?;
    let mut dict: Vec<(u64, FeatureKind, Arc<str>)> = Vec::with_capacity(n);
    for _ in 0..n {
        let hash = f.u64()?;
        let tag = f.u8()?;
        let kind = kind_of(tag).ok_or_else(|| f.fail(format!("unknown feature kind {tag}")))?;
        let label = f.str()?;
        let label = match interner.get(label) {
            Some(l) => l.clone(),
            None => {
                let l: Arc<str> = Arc::from(label);
                interner.insert(l.clone());
                l
            }
        };
        dict.push((hash, kind, label));
    }
    if !f.is_empty() {
        return Err(f.fail("bytes after the last feature"));
    }

    let mut d = Reader::new(docs, "DOCS section");
    let n_docs = d.count(11)?;
    let mut t = match (texts, sections[2]) {
        (true, None) => return Err("segment: the TEXT section is missing".into()),
        (true, Some(text)) => {
            let mut t = Reader::new(text, "TEXT section");
            let n = t.count(2)?;
            if n != n_docs {
                return Err(t.fail(format!("{n} texts for {n_docs} documents")));
            }
            Some(t)
        }
        _ => None,
    };
    let dates = sections[3].map(read_dates).transpose()?;
    if let Some(v) = &dates {
        if v.len() != n_docs {
            return Err(format!("segment: {} dates for {n_docs} documents", v.len()));
        }
    }
    for i in 0..n_docs {
        let id: Arc<str> = Arc::from(d.str()?);
        let code = d.str()?;
        let lang = if code.is_empty() {
            None
        } else {
            Some(
                Lang::from_code(code)
                    .ok_or_else(|| d.fail(format!("unknown language code {code:?}")))?,
            )
        };
        let added_at = d.u64()?;
        let nf = d.count(3)?;
        let mut features = Vec::with_capacity(nf);
        for _ in 0..nf {
            let k = d.len(dict.len().saturating_sub(1))?;
            let p = d.u8()?;
            let position = *Position::ALL
                .get(usize::from(p))
                .ok_or_else(|| d.fail(format!("unknown position {p}")))?;
            let count = u32::try_from(d.var()?).map_err(|_| d.fail("count above u32"))?;
            if dict.is_empty() {
                return Err(d.fail("a feature but an empty FEAT section"));
            }
            let (hash, kind, label) = &dict[k];
            features.push(Feature {
                hash: *hash,
                kind: *kind,
                label: label.clone(),
                count,
                position,
            });
        }
        let text = match &mut t {
            None => None,
            Some(t) => {
                let flags = t.u8()?;
                if flags > 3 {
                    return Err(t.fail(format!("unknown text flags {flags:#x}")));
                }
                let title = if flags & 1 != 0 {
                    Some(t.str()?.to_string())
                } else {
                    None
                };
                Some(StoredText {
                    title,
                    body: t.str()?.to_string(),
                    forced_lang: flags & 2 != 0,
                })
            }
        };
        each(
            i as u32,
            StoredDoc {
                id,
                lang,
                added_at,
                features,
                text,
                published: dates.as_ref().and_then(|v| v[i]),
            },
        )?;
    }
    if !d.is_empty() {
        return Err(d.fail("bytes after the last document"));
    }
    if let Some(t) = t {
        if !t.is_empty() {
            return Err(t.fail("bytes after the last text"));
        }
    }
    Ok(n_docs as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, labels: &[(&str, Position, u32)], text: Option<StoredText>) -> StoredDoc {
        StoredDoc {
            id: id.into(),
            lang: Some(Lang::Indonesian),
            added_at: 1_700_000_000,
            features: labels
                .iter()
                .map(|&(l, p, c)| Feature {
                    position: p,
                    count: c,
                    ..Feature::new(FeatureKind::Concept, l)
                })
                .collect(),
            text,
            published: None,
        }
    }

    #[test]
    fn documents_round_trip_with_shared_labels() {
        let a = doc(
            "a",
            &[
                ("flood", Position::Headline, 2),
                ("river", Position::Body, 1),
            ],
            Some(StoredText {
                title: Some("Banjir".into()),
                body: "Banjir besar.".into(),
                forced_lang: true,
            }),
        );
        let mut b = doc("b", &[("flood", Position::Lead, 7)], None);
        b.lang = None;
        let mut empty = doc("c", &[], None);
        // Without a date no DATE section is written; with one, every document's is stored.
        let undated = encode(&[&a, &b, &empty], false, None);
        assert!(!undated.windows(4).any(|w| w == DATE));
        assert_eq!(decode_dates(&undated).unwrap(), None);
        empty.published = Date::from_ymd(1, 1, 1);
        b.published = Date::from_ymd(2026, 12, 5);
        let dated = encode(&[&a, &b, &empty], false, None);
        assert_eq!(
            decode_dates(&dated).unwrap(),
            Some(vec![None, b.published, empty.published])
        );
        for keep in [false, true] {
            let body = encode(&[&a, &b, &empty], keep, None);
            let mut interner = Interner::new();
            let mut got = Vec::new();
            let n = decode(&body, &mut interner, keep, |i, d| {
                got.push((i, d));
                Ok(())
            })
            .unwrap();
            assert_eq!(n, 3);
            assert_eq!(interner.len(), 2, "each label once");
            for ((i, g), want) in got.iter().zip([&a, &b, &empty]) {
                assert_eq!(g.id, want.id, "{i}");
                assert_eq!(g.lang, want.lang);
                assert_eq!(g.added_at, want.added_at);
                assert_eq!(g.features, want.features);
                assert_eq!(g.published, want.published);
                if keep && *i == 0 {
                    assert_eq!(g.text, a.text);
                } else if keep {
                    assert_eq!(g.text.as_ref().map(|t| t.body.as_str()), Some(""));
                } else {
                    assert_eq!(g.text, None);
                }
            }
        }
    }

    #[test]
    fn damaged_bodies_are_errors_not_panics() {
        let mut a = doc(
            "a",
            &[("flood", Position::Headline, 2)],
            Some(StoredText {
                title: None,
                body: "x".into(),
                forced_lang: false,
            }),
        );
        a.published = Date::from_ymd(9999, 12, 31);
        let mut corpus = crate::Corpus::new();
        corpus.add(a.id.clone(), a.lang, &a.features).unwrap();
        let part = corpus.export(0, 0);
        let body = encode(&[&a], true, Some(&part));
        assert_eq!(decode_part(&body).unwrap(), Some(part));
        assert_eq!(decode_ids(&body).unwrap(), vec![(&*a.id, a.added_at)]);
        for n in 0..body.len() {
            let r = decode(&body[..n], &mut Interner::new(), true, |_, _| Ok(()));
            // Cut exactly before PART, a body is whole without it.
            let before_part = decode_part(&body[..n]).is_ok_and(|p| p.is_none());
            assert!(r.is_err() || before_part, "cut at {n}");
            let _ = decode_ids(&body[..n]);
            let _ = decode_dates(&body[..n]);
        }
        for i in 0..body.len() {
            for bit in [0x01, 0x80] {
                let mut b = body.clone();
                b[i] ^= bit;
                // Any outcome but a panic; most flips are errors.
                let _ = decode(&b, &mut Interner::new(), true, |_, _| Ok(()));
                let _ = decode_part(&b);
                let _ = decode_ids(&b);
                let _ = decode_dates(&b);
            }
        }
    }
}
