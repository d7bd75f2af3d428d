//! Run options and the run: the path the `dedup` example takes, with experiment knobs.

use crate::input::Doc;
use lintas::{Analysis, Analyzer, CorpusBuilder, Detector, FeatureKind, Lang, Match};
use rayon::prelude::*;
use std::io::Write;
use std::sync::Arc;

/// The experiment knobs `--knob NAME=VALUE` accepts: corpus settings, then `pair_window` (an
/// analyser setting). A name not listed here is an error, never silently ignored.
pub const KNOBS: &[&str] = &[
    "event",
    "same",
    "cross",
    "anchor",
    "concept",
    "pair",
    "local",
    "date_penalty",
    "number_penalty",
    "number_conflict_min",
    "containment_factor",
    "containment_ratio",
    "containment_anchors",
    "containment_specific",
    "containment_headline",
    "dictionary_threshold",
    "min_shared_rare",
    "candidate_threshold",
    "num_hashes",
    "max_rare_df",
    "min_shared_lead",
    "max_lead_df",
    "rarity_prior",
    "weighted_sketch",
    "pair_window",
];

/// Parses `NAME=VALUE` for `--knob`.
///
/// # Errors
/// No `=`, a value that is not a number, or a name not in [`KNOBS`] (the message lists them).
pub fn parse_knob(kv: &str) -> Result<(String, f64), String> {
    let (k, v) = kv
        .split_once('=')
        .ok_or_else(|| format!("--knob takes NAME=VALUE, got {kv:?}"))?;
    if !KNOBS.contains(&k) {
        return Err(format!("unknown knob {k:?} (known: {})", KNOBS.join(", ")));
    }
    let v: f64 = v
        .parse()
        .map_err(|_| format!("--knob {k}: value must be a number, got {v:?}"))?;
    Ok((k.to_string(), v))
}

/// Settings of a run.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// `--threshold`: the overall threshold (same-language; cross-language keeps its ratio).
    pub threshold: Option<f64>,
    /// Experiment knobs, validated by [`parse_knob`], applied in order.
    pub knobs: Vec<(String, f64)>,
    /// Trust the `lang` field instead of detecting the language.
    pub use_lang_field: bool,
    /// `--lexicon LANG:FILE.tsv`: extra lexicon files (entries replace built-in ones).
    pub lexicons: Vec<(Lang, String)>,
    /// `--freedict LANG:PREFIX`: FreeDict dictionaries (`PREFIX.index` + `.dict[.dz]`), filling
    /// gaps only.
    pub freedicts: Vec<(Lang, String)>,
    /// `--freedict auto`: every FreeDict dictionary to or from English in this directory
    /// (`/usr/share/dictd`).
    pub freedict_dir: Option<String>,
    /// Progress on standard error.
    pub progress: bool,
}

impl RunOptions {
    /// Takes `--lexicon LANG:FILE` or `--freedict LANG:PREFIX` with its value.
    ///
    /// # Errors
    /// A missing or malformed value.
    pub fn lexicon_flag(&mut self, flag: &str, value: Option<String>) -> Result<(), String> {
        let v = value.ok_or_else(|| format!("{flag} needs LANG:PATH"))?;
        if flag == "--freedict" && v == "auto" {
            self.freedict_dir = Some("/usr/share/dictd".into());
            return Ok(());
        }
        let lp = crate::cli::lang_path(flag, &v)?;
        match flag {
            "--lexicon" => self.lexicons.push(lp),
            _ => self.freedicts.push(lp),
        }
        Ok(())
    }
}

/// The corpus settings of a run: knobs in order, then `--threshold`.
///
/// # Panics
/// On a knob name not in [`KNOBS`] (the parsers reject those).
pub fn corpus_builder(opts: &RunOptions) -> CorpusBuilder {
    let mut b = lintas::Corpus::builder();
    // The verifier first: it resets the thresholds to its own defaults.
    if let Some((_, v)) = opts.knobs.iter().rev().find(|(k, _)| k == "event") {
        b = match *v {
            0.0 => b.verifier(lintas::Verifier::Overlap),
            2.0 => b.verifier(lintas::Verifier::Combined),
            _ => b.verifier(lintas::Verifier::Event),
        };
    }
    for (k, v) in &opts.knobs {
        let v = *v;
        b = match k.as_str() {
            "event" => b,
            "same" => b.threshold(v),
            "cross" => b.cross_threshold(v),
            "anchor" => b.kind_weight(FeatureKind::Anchor, v),
            "concept" => b.kind_weight(FeatureKind::Concept, v),
            "pair" => b.kind_weight(FeatureKind::Pair, v),
            "local" => b.kind_weight(FeatureKind::Local, v),
            "date_penalty" => b.date_penalty(v),
            "number_penalty" => b.number_penalty(v),
            "number_conflict_min" => b.number_conflict_min(v as usize),
            "containment_factor" => b.containment_factor(v),
            "containment_ratio" => b.containment_ratio(v),
            "containment_anchors" => b.containment_anchors(v),
            "containment_specific" => b.containment_specific(v != 0.0),
            "containment_headline" => b.containment_headline(v),
            "dictionary_threshold" => b.dictionary_threshold(v, 0.0),
            "min_shared_rare" => b.min_shared_rare(v as usize),
            "candidate_threshold" => b.candidate_threshold(v),
            "num_hashes" => b.num_hashes(v as usize),
            "max_rare_df" => b.max_rare_df(v),
            "min_shared_lead" => b.min_shared_lead(v as usize),
            "max_lead_df" => b.max_lead_df(v),
            "rarity_prior" => b.rarity_prior(v),
            "weighted_sketch" => b.weighted_sketch(v != 0.0),
            "pair_window" => b, // an analyser knob, see `analyzer`
            other => panic!("knob {other:?} passed parse_knob but is not applied"),
        };
    }
    match opts.threshold {
        Some(t) => b.overall_threshold(t),
        None => b,
    }
}

/// The analyser of a run: `pair_window` and the extra lexicons.
///
/// # Errors
/// Unreadable or malformed lexicon files, invalid analyser settings.
pub fn analyzer(opts: &RunOptions) -> Result<Analyzer, String> {
    let mut b = Analyzer::builder();
    for (k, v) in &opts.knobs {
        if k == "pair_window" {
            b = b.pair_window(*v as usize);
        }
    }
    if !opts.lexicons.is_empty() || !opts.freedicts.is_empty() || opts.freedict_dir.is_some() {
        let mut lex = lintas::Lexicon::builtin();
        if let Some(dir) = &opts.freedict_dir {
            for l in lex.add_freedict_dir(dir).map_err(|e| e.to_string())? {
                eprintln!(
                    "freedict {}: {} entries added for {} (built-in entries kept)",
                    l.prefix.display(),
                    l.added,
                    l.lang.code()
                );
            }
        }
        for (lang, path) in &opts.lexicons {
            let n = lex.load_tsv(*lang, path).map_err(|e| e.to_string())?;
            if opts.progress {
                eprintln!("lexicon {path}: {n} entries for {}", lang.code());
            }
        }
        for (lang, prefix) in &opts.freedicts {
            let n = lex
                .add_freedict_prefix(*lang, prefix)
                .map_err(|e| e.to_string())?;
            if opts.progress {
                eprintln!(
                    "freedict {prefix}: {n} entries added for {} (built-in entries kept)",
                    lang.code()
                );
            }
        }
        b = b.lexicon(lex);
    }
    b.build().map_err(|e| e.to_string())
}

/// The outcome of a run.
pub struct RunOutput {
    /// The detector holding every document.
    pub detector: Detector,
    /// One analysis per document, in input order.
    pub analyses: Vec<Analysis>,
    /// Every flagged pair, strongest first.
    pub pairs: Vec<Match>,
    /// Documents whose `lang` field could not be used with `--use-lang-field`.
    pub unknown_lang_fields: usize,
}

/// Analyses every document (in parallel), adds them in input order, and returns the flagged
/// pairs.
///
/// # Errors
/// Invalid options or a repeated id.
pub fn run(docs: &[Doc], opts: &RunOptions) -> Result<RunOutput, String> {
    let analyzer = Arc::new(analyzer(opts)?);
    let corpus = corpus_builder(opts);
    let mut detector = Detector::builder()
        .analyzer(analyzer.clone())
        .corpus(corpus)
        .build()
        .map_err(|e| e.to_string())?;
    let mut unknown = 0;
    let forced: Vec<Option<Lang>> = docs
        .iter()
        .map(|d| {
            if !opts.use_lang_field {
                return None;
            }
            let l = d.lang.as_deref().and_then(Lang::from_code);
            unknown += usize::from(l.is_none());
            l
        })
        .collect();
    let total = docs.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let show = opts.progress && total >= 2000;
    let analyses: Vec<Analysis> = docs
        .par_iter()
        .zip(forced.par_iter())
        .map(|(d, f)| {
            let a = d.analyze(&analyzer, *f);
            let k = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            if show && k.is_multiple_of(1000) {
                eprint!("\ranalysed {k}/{total}");
                let _ = std::io::stderr().flush();
            }
            a
        })
        .collect();
    if show {
        eprintln!("\ranalysed {total}/{total}");
    }
    for (d, a) in docs.iter().zip(&analyses) {
        detector
            .push_analyzed(d.id.as_str(), a)
            .map_err(|e| e.to_string())?;
    }
    let pairs = detector.pairs();
    Ok(RunOutput {
        detector,
        analyses,
        pairs,
        unknown_lang_fields: unknown,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mistyped_knob_is_an_error_naming_the_known_ones() {
        let e = parse_knob("contaiment_factor=0.3").unwrap_err();
        assert!(
            e.contains("unknown knob") && e.contains("containment_factor"),
            "{e}"
        );
        assert!(parse_knob("same").is_err());
        assert!(parse_knob("same=abc").is_err());
        assert_eq!(parse_knob("same=0.2").unwrap(), ("same".to_string(), 0.2));
    }

    #[test]
    fn every_known_knob_is_applied() {
        // corpus_builder panics on a name it does not apply: every listed knob must pass.
        for k in KNOBS {
            let opts = RunOptions {
                knobs: vec![(k.to_string(), 1.0)],
                ..RunOptions::default()
            };
            let _ = corpus_builder(&opts);
        }
        let opts = RunOptions {
            knobs: vec![("same".into(), 0.3), ("cross".into(), 0.4)],
            ..RunOptions::default()
        };
        assert_eq!(
            corpus_builder(&opts).build().unwrap().thresholds(),
            (0.3, 0.4)
        );
    }

    #[test]
    fn run_flags_the_translation_pair() {
        let doc = |id: &str, text: &str| Doc {
            id: id.into(),
            title: None,
            text: text.into(),
            lang: None,
            raw: None,
        };
        let docs = [
            doc("en", "Floods in Semarang killed eight people on Monday and forced 12,000 residents from their homes, the disaster agency BNPB said."),
            doc("id", "Banjir di Semarang menewaskan delapan orang pada Senin dan memaksa 12.000 warga mengungsi, kata BNPB."),
            doc("other", "The central bank kept its benchmark rate at 5.25 percent on Wednesday."),
        ];
        let out = run(&docs, &RunOptions::default()).unwrap();
        assert_eq!(out.pairs.len(), 1);
        assert!(out.pairs[0].cross_language);
    }
}
