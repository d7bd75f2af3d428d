//! Text in, explained matches out: the one module that sees both text and sketches.

use crate::analysis::{Analysis, Analyzer};
use crate::matching::{Corpus, CorpusBuilder, Match};
use crate::{Lang, Result};
use std::sync::Arc;

/// Finds news articles about the same event, across languages.
///
/// ```
/// use lintas::Detector;
/// let mut d = Detector::new();
/// d.add("en", "Floods in Semarang killed eight people on Monday and forced 12,000 \
///     residents from their homes, the disaster agency BNPB said.").unwrap();
/// let found = d.add("id", "Banjir di Semarang menewaskan delapan orang pada Senin dan \
///     memaksa 12.000 warga mengungsi, kata BNPB.").unwrap();
/// assert_eq!(found.len(), 1);
/// assert_eq!(&*found[0].a, "en");
/// ```
#[derive(Debug)]
pub struct Detector {
    analyzer: Arc<Analyzer>,
    corpus: Corpus,
}

/// Builder for [`Detector`]: an analyser and corpus settings.
#[derive(Debug, Default)]
pub struct DetectorBuilder {
    analyzer: Option<Arc<Analyzer>>,
    corpus: CorpusBuilder,
}

impl DetectorBuilder {
    /// The analyser (default: [`Analyzer::new`]). Share one `Arc<Analyzer>` between detectors
    /// to share its word cache.
    pub fn analyzer(mut self, analyzer: impl Into<Arc<Analyzer>>) -> Self {
        self.analyzer = Some(analyzer.into());
        self
    }

    /// Corpus settings: thresholds, MinHash size, candidates (default: [`Corpus::builder`]).
    pub fn corpus(mut self, corpus: CorpusBuilder) -> Self {
        self.corpus = corpus;
        self
    }

    /// Builds the detector. Cross-language pairs through the analyser's runtime dictionaries
    /// ([`Lexicon::dictionary_languages`](crate::Lexicon::dictionary_languages)) get the
    /// [`CorpusBuilder::dictionary_threshold`](crate::CorpusBuilder::dictionary_threshold) of
    /// their coverage unless the corpus settings give them a
    /// [`CorpusBuilder::pair_threshold`].
    ///
    /// # Errors
    /// Invalid corpus settings ([`crate::Error::InvalidParameter`]).
    pub fn build(self) -> Result<Detector> {
        let analyzer = self.analyzer.unwrap_or_else(|| Arc::new(Analyzer::new()));
        let corpus = self
            .corpus
            .dictionary_languages(&analyzer.lexicon().dictionary_languages())
            .build()?;
        Ok(Detector { analyzer, corpus })
    }
}

impl Default for Detector {
    fn default() -> Self {
        Detector::new()
    }
}

impl Detector {
    /// A detector with the built-in lexicon and the default thresholds.
    pub fn new() -> Detector {
        DetectorBuilder::default()
            .build()
            .expect("defaults are valid")
    }

    /// A builder.
    pub fn builder() -> DetectorBuilder {
        DetectorBuilder::default()
    }

    /// The analyser.
    pub fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }

    /// The corpus of documents added so far.
    pub fn corpus(&self) -> &Corpus {
        &self.corpus
    }

    /// Analyses a text and adds it; returns its matches among earlier documents.
    ///
    /// # Errors
    /// [`crate::Error::DuplicateId`] when the id was added before.
    pub fn add(&mut self, id: impl Into<Arc<str>>, text: &str) -> Result<Vec<Match>> {
        let analysis = self.analyzer.analyze(text);
        self.add_analyzed(id, &analysis)
    }

    /// Analyses an article given as a title and a body ([`Analyzer::analyze_article`]) and
    /// adds it; returns its matches among earlier documents. The features are those of
    /// [`Detector::add`] on the title and body joined; the title marks which of them are the
    /// headline ([`crate::Position`]).
    ///
    /// ```
    /// use lintas::Detector;
    /// let mut d = Detector::new();
    /// d.add_article("en", Some("Floods kill eight in Semarang"), "Floods in Semarang killed \
    ///     eight people on Monday and forced 12,000 residents from their homes, BNPB said.").unwrap();
    /// let found = d.add_article("id", Some("Banjir tewaskan delapan orang di Semarang"),
    ///     "Banjir di Semarang menewaskan delapan orang pada Senin dan memaksa 12.000 warga \
    ///     mengungsi, kata BNPB.").unwrap();
    /// assert_eq!(found.len(), 1);
    /// ```
    ///
    /// # Errors
    /// [`crate::Error::DuplicateId`] when the id was added before.
    pub fn add_article(
        &mut self,
        id: impl Into<Arc<str>>,
        title: Option<&str>,
        body: &str,
    ) -> Result<Vec<Match>> {
        let analysis = self.analyzer.analyze_article(title, body);
        self.add_analyzed(id, &analysis)
    }

    /// Like [`Detector::add_article`], with the article's publication date: its matches
    /// leave out documents published more than
    /// [`CorpusBuilder::max_days_apart`](crate::CorpusBuilder::max_days_apart) days from it
    /// (see [`Detector::set_published`]).
    ///
    /// ```
    /// use lintas::{Date, Detector};
    /// let mut d = Detector::new();
    /// let (en, id) = ("Floods in Semarang killed eight people on Monday and forced 12,000 \
    ///     residents from their homes, BNPB said.", "Banjir di Semarang menewaskan delapan \
    ///     orang pada Senin dan memaksa 12.000 warga mengungsi, kata BNPB.");
    /// d.add_article_dated("en", None, en, Some(Date::parse("2026-02-09")?))?;
    /// assert!(d.add_article_dated("id-2027", None, id, Some(Date::parse("2027-02-09")?))?.is_empty());
    /// assert_eq!(d.add_article_dated("id", None, id, Some(Date::parse("2026-02-10")?))?.len(), 1);
    /// # Ok::<(), lintas::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`crate::Error::DuplicateId`] when the id was added before.
    pub fn add_article_dated(
        &mut self,
        id: impl Into<Arc<str>>,
        title: Option<&str>,
        body: &str,
        published: Option<crate::Date>,
    ) -> Result<Vec<Match>> {
        let a = self.analyzer.analyze_article(title, body);
        self.corpus
            .insert_dated(id, a.detection().lang(), a.features(), published)
    }

    /// Like [`Detector::add_article`], with the language given instead of detected.
    ///
    /// # Errors
    /// [`crate::Error::DuplicateId`] when the id was added before.
    pub fn add_article_as(
        &mut self,
        id: impl Into<Arc<str>>,
        title: Option<&str>,
        body: &str,
        lang: Lang,
    ) -> Result<Vec<Match>> {
        let analysis = self.analyzer.analyze_article_as(title, body, lang);
        self.add_analyzed(id, &analysis)
    }

    /// Like [`Detector::add`], with the language given instead of detected.
    ///
    /// # Errors
    /// [`crate::Error::DuplicateId`] when the id was added before.
    pub fn add_as(
        &mut self,
        id: impl Into<Arc<str>>,
        text: &str,
        lang: Lang,
    ) -> Result<Vec<Match>> {
        let analysis = self.analyzer.analyze_as(text, lang);
        self.add_analyzed(id, &analysis)
    }

    /// Adds a document analysed elsewhere (for example in parallel with
    /// [`Detector::analyzer`]); returns its matches among earlier documents.
    ///
    /// # Errors
    /// [`crate::Error::DuplicateId`] when the id was added before.
    pub fn add_analyzed(
        &mut self,
        id: impl Into<Arc<str>>,
        analysis: &Analysis,
    ) -> Result<Vec<Match>> {
        self.corpus
            .insert(id, analysis.detection().lang(), analysis.features())
    }

    /// Adds a document analysed elsewhere without matching it; use [`Detector::pairs`] when
    /// the corpus is complete (scores then use the final document frequencies).
    ///
    /// # Errors
    /// [`crate::Error::DuplicateId`] when the id was added before.
    pub fn push_analyzed(&mut self, id: impl Into<Arc<str>>, analysis: &Analysis) -> Result<()> {
        self.corpus
            .add(id, analysis.detection().lang(), analysis.features())
            .map(|_| ())
    }

    /// Adds documents analysed elsewhere without matching them, like
    /// [`Detector::push_analyzed`] one after the other, with the per-document work on every
    /// core (see [`Corpus::add_many`]). Nothing is added when an id is held already or given
    /// twice.
    ///
    /// ```
    /// use lintas::Detector;
    /// let mut d = Detector::new();
    /// let texts = [("en", "Floods in Semarang killed eight people on Monday, BNPB said."),
    ///     ("id", "Banjir di Semarang menewaskan delapan orang pada Senin, kata BNPB.")];
    /// let analyses: Vec<_> = texts.iter().map(|(_, t)| d.analyzer().analyze(t)).collect();
    /// d.push_analyzed_many(texts.iter().zip(&analyses).map(|((id, _), a)| ((*id).into(), a)))
    ///     .unwrap();
    /// assert_eq!(d.pairs().len(), 1);
    /// ```
    ///
    /// # Errors
    /// [`crate::Error::DuplicateId`] when an id was added before or repeats.
    pub fn push_analyzed_many<'a>(
        &mut self,
        docs: impl IntoIterator<Item = (Arc<str>, &'a Analysis)>,
    ) -> Result<()> {
        self.corpus
            .add_many(
                docs.into_iter()
                    .map(|(id, a)| (id, a.detection().lang(), a.features())),
            )
            .map(|_| ())
    }

    /// Matches of a text against the corpus, without adding it.
    pub fn query(&self, text: &str) -> Vec<Match> {
        let a = self.analyzer.analyze(text);
        self.corpus.query(a.detection().lang(), a.features())
    }

    /// Matches of an article (a title and a body, as [`Detector::add_article`] reads them)
    /// against the corpus, without adding it.
    ///
    /// ```
    /// use lintas::Detector;
    /// let mut d = Detector::new();
    /// d.add("en", "Floods in Semarang killed eight people on Monday and forced 12,000 \
    ///     residents from their homes, the disaster agency BNPB said.").unwrap();
    /// let found = d.query_article(Some("Banjir Semarang"), "Banjir di Semarang menewaskan \
    ///     delapan orang pada Senin dan memaksa 12.000 warga mengungsi, kata BNPB.");
    /// assert_eq!(found.len(), 1);
    /// assert_eq!(d.corpus().len(), 1);
    /// ```
    pub fn query_article(&self, title: Option<&str>, body: &str) -> Vec<Match> {
        let a = self.analyzer.analyze_article(title, body);
        self.corpus.query(a.detection().lang(), a.features())
    }

    /// Every flagged pair, strongest first.
    pub fn pairs(&self) -> Vec<Match> {
        self.corpus.pairs()
    }

    /// Sets (or clears) a held document's publication date: [`Detector::pairs`] then leaves
    /// out a pair published more than
    /// [`CorpusBuilder::max_days_apart`](crate::CorpusBuilder::max_days_apart) days apart
    /// (three by default). Documents without a date are matched as before.
    ///
    /// ```
    /// use lintas::{Date, Detector};
    /// let mut d = Detector::new();
    /// let en = d.analyzer().analyze("Floods in Semarang killed eight people on Monday and \
    ///     forced 12,000 residents from their homes, the disaster agency BNPB said.");
    /// let id = d.analyzer().analyze("Banjir di Semarang menewaskan delapan orang pada Senin \
    ///     dan memaksa 12.000 warga mengungsi, kata BNPB.");
    /// d.push_analyzed("a", &en)?;
    /// d.push_analyzed("b", &id)?;
    /// assert_eq!(d.pairs().len(), 1);
    /// d.set_published("a", Some(Date::parse("2026-01-05")?))?;
    /// d.set_published("b", Some(Date::parse("2026-01-06")?))?;
    /// assert_eq!(d.pairs().len(), 1);
    /// d.set_published("b", Some(Date::parse("2027-01-06")?))?;
    /// assert!(d.pairs().is_empty());
    /// # Ok::<(), lintas::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`crate::Error::InvalidParameter`] when no document of that id is held.
    pub fn set_published(&mut self, id: &str, date: Option<crate::Date>) -> Result<()> {
        self.corpus.set_published(id, date)
    }

    /// Groups of documents about one event, from pairs already computed with
    /// [`Detector::pairs`] (see [`crate::clusters`]): the pairs are not computed again.
    ///
    /// ```
    /// use lintas::Detector;
    /// let mut d = Detector::new();
    /// d.add("en", "Floods in Semarang killed eight people on Monday and forced 12,000 \
    ///     residents from their homes, the disaster agency BNPB said.").unwrap();
    /// d.add("id", "Banjir di Semarang menewaskan delapan orang pada Senin dan \
    ///     memaksa 12.000 warga mengungsi, kata BNPB.").unwrap();
    /// let pairs = d.pairs();
    /// assert_eq!(d.clusters(&pairs), vec![vec!["en".into(), "id".into()]]);
    /// assert!(d.clusters(&[]).is_empty());
    /// ```
    pub fn clusters(&self, pairs: &[Match]) -> Vec<Vec<Arc<str>>> {
        crate::clusters(pairs)
    }
}
