//! Documents from JSON Lines: one JSON object a line, as `dedup` and the evaluation tools read
//! them (feature `jsonl`, on by default).
//!
//! A line holds `id` and `text` (required), `title` and `lang` (optional); other fields are
//! ignored. A headline-only item may leave `text` out (or `null`) when it has a `title`: its
//! text is then empty and the title is the document. Ids are kept as **strings**: a JSON number is converted to its decimal text, so
//! `{"id": 1}` and `{"id": "1"}` name the same document — the second is reported as a
//! duplicate of the first, naming both line numbers, instead of being dropped silently.
//! Blank lines are skipped, and so is a UTF-8 byte-order mark opening the input. Every problem
//! carries its 1-based line number.
//!
//! ```
//! use lintas::jsonl::{Problem, Reader};
//! let input = "{\"id\": 1, \"text\": \"Banjir di Semarang.\", \"lang\": \"id\"}\n\
//!              \n\
//!              {\"id\": \"1\", \"title\": \"Floods\", \"text\": \"Floods in Semarang.\"}\n";
//! let mut reader = Reader::new(input.as_bytes());
//! let first = reader.next().unwrap().unwrap();
//! assert_eq!((first.id.as_str(), first.line, first.lang.as_deref()), ("1", 1, Some("id")));
//! let err = reader.next().unwrap().unwrap_err();
//! assert_eq!(err.line(), 3);
//! assert!(matches!(err.problem(), Some(Problem::DuplicateId { first_line: 1, .. })));
//! assert!(reader.next().is_none());
//! ```

use serde_json::Value;
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::BufRead;

/// One document read from a line of JSONL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// 1-based line number in the input (0 for a record parsed with [`Record::parse`]).
    pub line: usize,
    /// The document id: the `id` string, or a JSON number's decimal text.
    pub id: String,
    /// The `title` field, when present and not null.
    pub title: Option<String>,
    /// The `text` field; empty for a headline-only line (`text` missing or `null`, a `title`
    /// given).
    pub text: String,
    /// The `lang` field as given, when it is a string (not validated).
    pub lang: Option<String>,
}

impl Record {
    /// Parses one line. `Ok(None)` for a blank line.
    ///
    /// # Errors
    /// The [`Problem`] with the line (duplicates are found by [`Reader`], not here).
    ///
    /// ```
    /// use lintas::jsonl::{Problem, Record};
    /// let r = Record::parse(r#"{"id": 7, "text": "body"}"#).unwrap().unwrap();
    /// assert_eq!(r.id, "7");
    /// assert_eq!(Record::parse("  ").unwrap(), None);
    /// assert_eq!(Record::parse(r#"{"id": "x"}"#), Err(Problem::MissingText));
    /// // A headline-only item: the title is the document.
    /// let h = Record::parse(r#"{"id": "h", "title": "Floods in Semarang", "text": null}"#)
    ///     .unwrap()
    ///     .unwrap();
    /// assert_eq!((h.text.as_str(), h.full_text().as_ref()), ("", "Floods in Semarang"));
    /// ```
    pub fn parse(line: &str) -> Result<Option<Record>, Problem> {
        let line = line.trim();
        if line.is_empty() {
            return Ok(None);
        }
        let v: Value = serde_json::from_str(line).map_err(|e| Problem::NotJson(e.to_string()))?;
        let obj = v.as_object().ok_or(Problem::NotObject)?;
        let id = match obj.get("id") {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            Some(Value::Number(x)) => x.to_string(),
            Some(_) => return Err(Problem::InvalidId),
            None => return Err(Problem::MissingId),
        };
        let title = match obj.get("title") {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Null) | None => None,
            Some(_) => return Err(Problem::InvalidTitle),
        };
        let text = match obj.get("text") {
            Some(Value::String(s)) => s.clone(),
            // A headline-only item (a feed entry without a summary) is its title.
            Some(Value::Null) | None if title.as_deref().is_some_and(|t| !t.is_empty()) => {
                String::new()
            }
            Some(Value::Null) | None => return Err(Problem::MissingText),
            Some(_) => return Err(Problem::InvalidText),
        };
        let lang = obj.get("lang").and_then(Value::as_str).map(str::to_string);
        Ok(Some(Record {
            line: 0,
            id,
            title,
            text,
            lang,
        }))
    }

    /// The text to analyse: the title and the text joined by a blank line; the text alone
    /// when there is no title or the text already starts with it; the title alone when the
    /// text is empty.
    /// [`Analyzer::analyze_article`](crate::Analyzer::analyze_article) with the title and the
    /// text gives the same features and also marks the title's as the headline.
    ///
    /// ```
    /// let r = lintas::jsonl::Record::parse(r#"{"id": "a", "title": "T", "text": "body"}"#)
    ///     .unwrap()
    ///     .unwrap();
    /// assert_eq!(r.full_text(), "T\n\nbody");
    /// ```
    pub fn full_text(&self) -> Cow<'_, str> {
        match &self.title {
            Some(t) if !t.trim().is_empty() && self.text.trim().is_empty() => Cow::Borrowed(t),
            Some(t) if !t.trim().is_empty() && !self.text.trim_start().starts_with(t.trim()) => {
                Cow::Owned(format!("{t}\n\n{}", self.text))
            }
            _ => Cow::Borrowed(&self.text),
        }
    }
}

/// What is wrong with a line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    /// The line is not UTF-8.
    #[error("invalid UTF-8 at byte {valid_up_to}")]
    InvalidUtf8 {
        /// Bytes of the line that are valid UTF-8.
        valid_up_to: usize,
    },
    /// The line is not JSON (serde_json's message).
    #[error("not JSON: {0}")]
    NotJson(String),
    /// The line is JSON but not an object.
    #[error("not a JSON object")]
    NotObject,
    /// No `id` field.
    #[error("missing `id`")]
    MissingId,
    /// `id` is neither a non-empty string nor a number.
    #[error("`id` must be a non-empty string or a number")]
    InvalidId,
    /// No `text` field (or `null`), and no title to stand for it.
    #[error("missing `text` (and no `title`)")]
    MissingText,
    /// `text` is not a string.
    #[error("`text` must be a string")]
    InvalidText,
    /// `title` is neither a string nor null.
    #[error("`title` must be a string or null")]
    InvalidTitle,
    /// The id was read before (ids are strings: `1` and `"1"` are the same id).
    #[error("duplicate id {id:?} (first at line {first_line})")]
    DuplicateId {
        /// The id.
        id: String,
        /// The line that holds the first document with this id.
        first_line: usize,
    },
}

/// An error from [`Reader`]: a line that cannot be used, or a failed read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// Line `line` cannot be used; reading can go on with the next line.
    #[error("line {line}: {problem}")]
    Line {
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        problem: Problem,
    },
    /// Reading failed after `line` complete lines; the reader stops.
    #[error("read error after line {line}: {source}")]
    Io {
        /// Lines read before the failure.
        line: usize,
        /// The underlying error.
        source: std::io::Error,
    },
}

impl ReadError {
    /// The line the error is about (for [`ReadError::Io`], the last line read).
    pub fn line(&self) -> usize {
        match self {
            ReadError::Line { line, .. } | ReadError::Io { line, .. } => *line,
        }
    }

    /// The problem with the line, `None` for a read error.
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            ReadError::Line { problem, .. } => Some(problem),
            ReadError::Io { .. } => None,
        }
    }
}

/// Reads [`Record`]s from JSONL, one a line, reporting unusable lines with their numbers and
/// repeated ids with the line of their first use; blank lines are skipped.
///
/// An [`Iterator`] of `Result<Record, ReadError>`: after a [`ReadError::Line`] the next
/// call goes on with the next line (a caller that wants strictness stops at the first
/// error); after a [`ReadError::Io`] it returns `None`.
#[derive(Debug)]
pub struct Reader<R> {
    inner: R,
    line: usize,
    buf: Vec<u8>,
    seen: HashMap<String, usize>,
    failed: bool,
}

impl<R: BufRead> Reader<R> {
    /// A reader over `inner` (wrap a file in [`std::io::BufReader`]).
    pub fn new(inner: R) -> Reader<R> {
        Reader {
            inner,
            line: 0,
            buf: Vec::new(),
            seen: HashMap::new(),
            failed: false,
        }
    }

    /// Lines read so far.
    pub fn lines_read(&self) -> usize {
        self.line
    }

    /// The bytes of the line read last (without its line end), e.g. to read more fields from
    /// it.
    pub fn last_line(&self) -> &[u8] {
        let mut b = &self.buf[..];
        while let [rest @ .., b'\n' | b'\r'] = b {
            b = rest;
        }
        b
    }
}

impl<R: BufRead> Iterator for Reader<R> {
    type Item = Result<Record, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        loop {
            self.buf.clear();
            match self.inner.read_until(b'\n', &mut self.buf) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(source) => {
                    self.failed = true;
                    return Some(Err(ReadError::Io {
                        line: self.line,
                        source,
                    }));
                }
            }
            self.line += 1;
            // A byte-order mark opening the file (Windows tools write one) is not content.
            if self.line == 1 && self.buf.starts_with(b"\xEF\xBB\xBF") {
                self.buf.drain(..3);
            }
            let line = self.line;
            let err = |problem| Some(Err(ReadError::Line { line, problem }));
            let text = match std::str::from_utf8(&self.buf) {
                Ok(t) => t,
                Err(e) => {
                    return err(Problem::InvalidUtf8 {
                        valid_up_to: e.valid_up_to(),
                    })
                }
            };
            match Record::parse(text) {
                Ok(None) => continue,
                Err(p) => return err(p),
                Ok(Some(mut r)) => {
                    r.line = line;
                    if let Some(&first_line) = self.seen.get(&r.id) {
                        return err(Problem::DuplicateId {
                            id: r.id,
                            first_line,
                        });
                    }
                    self.seen.insert(r.id.clone(), line);
                    return Some(Ok(r));
                }
            }
        }
    }
}

/// One flagged pair as a JSON line (no line end): `a`, `b`, `score`, `jaccard`,
/// `containment`, `estimate`, `threshold`, `probability` (the event model's, whichever
/// verifier decided; `score` equals it when the probability decided the pair) (rounded to 4
/// decimals) and `shared`, the most
/// telling shared features as `"kind:label"` strings; then the event evidence (`evidence`,
/// by [`crate::Evidence::NAMES`]), its contributions `for` and `against` the same event, and
/// the `conflicts` when there are any. `a` and `b` come first, the rest in key order. This is
/// what `dedup --output` writes and what an evaluation script reads (`a` and `b` are the two
/// ids).
///
/// ```
/// let mut d = lintas::Detector::new();
/// d.add("en", "Floods in Semarang killed eight people on Monday, the agency BNPB said.").unwrap();
/// let found = d.add("id", "Banjir di Semarang menewaskan delapan orang pada Senin, kata BNPB.").unwrap();
/// let line = lintas::jsonl::match_line(&found[0]);
/// assert!(line.starts_with(r#"{"a":"en","b":"id","#), "{line}");
/// let v: serde_json::Value = serde_json::from_str(&line).unwrap();
/// assert!(v["evidence"]["jaccard"].as_f64().unwrap() > 0.0);
/// assert!(v["for"].as_object().is_some_and(|f| !f.is_empty()));
/// ```
pub fn match_line(m: &crate::Match) -> String {
    fn round4(x: f64) -> f64 {
        (x * 10_000.0).round() / 10_000.0
    }
    let shared: Vec<Value> = m
        .explanation
        .top
        .iter()
        .map(|(k, l)| Value::String(format!("{k}:{l}")))
        .collect();
    let mut o = serde_json::Map::new();
    for (k, v) in [
        ("score", m.score),
        ("jaccard", m.jaccard),
        ("containment", m.containment),
        ("estimate", m.estimate),
        ("threshold", m.threshold),
        ("probability", m.probability),
    ] {
        o.insert(k.into(), Value::from(round4(v)));
    }
    o.insert("shared".into(), Value::Array(shared));
    let named = |v: &[(String, f64)]| -> Value {
        Value::Object(
            v.iter()
                .map(|(n, c)| (n.clone(), Value::from(round4(*c))))
                .collect(),
        )
    };
    o.insert("for".into(), named(&m.explanation.evidence_for));
    o.insert("against".into(), named(&m.explanation.evidence_against));
    if !m.explanation.conflicts.is_empty() {
        o.insert(
            "conflicts".into(),
            Value::Array(
                m.explanation
                    .conflicts
                    .iter()
                    .map(|c| Value::from(c.as_str()))
                    .collect(),
            ),
        );
    }
    o.insert(
        "evidence".into(),
        Value::Object(
            crate::Evidence::NAMES
                .iter()
                .zip(m.evidence.values())
                .map(|(n, v)| (n.to_string(), Value::from(round4(v))))
                .collect(),
        ),
    );
    // `a` and `b` first (a reader can see the pair at a glance), the rest in key order.
    let rest = Value::Object(o).to_string();
    format!(
        "{{\"a\":{},\"b\":{},{}",
        Value::from(&*m.a),
        Value::from(&*m.b),
        &rest[1..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(input: &[u8]) -> Vec<Result<Record, String>> {
        Reader::new(input)
            .map(|r| r.map_err(|e| e.to_string()))
            .collect()
    }

    #[test]
    fn fields_and_line_numbers() {
        let got = read(
            b"{\"id\": \"a\", \"text\": \"x\", \"title\": null, \"lang\": \"en\", \"other\": [1]}\n\
              \r\n\
              {\"id\": 12, \"text\": \"y\", \"title\": \"T\", \"lang\": 5}\r\n",
        );
        let a = got[0].as_ref().unwrap();
        assert_eq!((a.line, a.id.as_str(), a.title.as_deref()), (1, "a", None));
        assert_eq!(a.lang.as_deref(), Some("en"));
        let b = got[1].as_ref().unwrap();
        assert_eq!((b.line, b.id.as_str(), b.lang.as_deref()), (3, "12", None));
        assert_eq!(b.full_text(), "T\n\ny");
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn a_byte_order_mark_opening_the_file_is_skipped() {
        let got =
            read(b"\xEF\xBB\xBF{\"id\":\"a\",\"text\":\"x\"}\r\n{\"id\":\"b\",\"text\":\"y\"}\n");
        let ids: Vec<String> = got.into_iter().map(|r| r.unwrap().id).collect();
        assert_eq!(ids, ["a", "b"]);
        // Only at the start of the file: elsewhere it is a line that is not JSON.
        let got =
            read(b"{\"id\":\"a\",\"text\":\"x\"}\n\xEF\xBB\xBF{\"id\":\"b\",\"text\":\"y\"}\n");
        assert!(
            got[1].as_ref().is_err_and(|e| e.contains("not JSON")),
            "{got:?}"
        );
    }

    #[test]
    fn numeric_ids_keep_their_decimal_text() {
        for (json, id) in [
            ("0", "0"),
            ("-3", "-3"),
            ("1.5", "1.5"),
            ("12345678901234", "12345678901234"),
            // A float read correctly rounded (serde_json's `float_roundtrip`): the nearest
            // double to this tie is ...568; the default fast path gives ...566.
            ("12345678901234567.0", "1.2345678901234568e+16"),
            ("1e-5", "0.00001"),
        ] {
            let r = Record::parse(&format!("{{\"id\": {json}, \"text\": \"\"}}"))
                .unwrap()
                .unwrap();
            assert_eq!(r.id, id);
        }
    }

    #[test]
    fn number_and_string_ids_collide_naming_both_lines() {
        let got = read(b"{\"id\": 1, \"text\": \"a\"}\n{\"id\": \"2\", \"text\": \"b\"}\n{\"id\": \"1\", \"text\": \"c\"}\n");
        assert!(got[0].is_ok() && got[1].is_ok());
        assert_eq!(
            got[2].as_ref().unwrap_err(),
            "line 3: duplicate id \"1\" (first at line 1)"
        );
    }

    #[test]
    fn every_problem_is_reported_with_its_line_and_reading_goes_on() {
        let input = b"{not json\n[1]\n{\"text\": \"t\"}\n{\"id\": \"\", \"text\": \"t\"}\n\
            {\"id\": true, \"text\": \"t\"}\n{\"id\": \"a\"}\n{\"id\": \"a\", \"text\": null}\n\
            {\"id\": \"a\", \"text\": 3}\n{\"id\": \"a\", \"text\": \"t\", \"title\": 1}\n\
            {\"id\": \"a\", \"text\": \"\xff\"}\n{\"id\": \"ok\", \"text\": \"t\"}";
        let got = read(input);
        let errs: Vec<&str> = got
            .iter()
            .filter_map(|r| r.as_ref().err())
            .map(|s| s.as_str())
            .collect();
        let expect = [
            "line 1: not JSON",
            "line 2: not a JSON object",
            "line 3: missing `id`",
            "line 4: `id` must be",
            "line 5: `id` must be",
            "line 6: missing `text`",
            "line 7: missing `text`",
            "line 8: `text` must be a string",
            "line 9: `title` must be a string or null",
            "line 10: invalid UTF-8 at byte 21",
        ];
        assert_eq!(errs.len(), expect.len(), "{errs:?}");
        for (e, want) in errs.iter().zip(expect) {
            assert!(e.starts_with(want), "{e:?} should start with {want:?}");
        }
        let last = got.last().unwrap().as_ref().unwrap();
        assert_eq!((last.id.as_str(), last.line), ("ok", 11));
    }

    #[test]
    fn a_headline_only_line_is_its_title() {
        let got = read(
            b"{\"id\": \"h\", \"title\": \"Floods in Semarang\"}\n\
              {\"id\": \"n\", \"title\": \"Floods\", \"text\": null}\n\
              {\"id\": \"e\", \"title\": \"\"}\n\
              {\"id\": \"t\", \"title\": null, \"text\": null}\n",
        );
        let ok: Vec<(&str, &str, &str)> = got
            .iter()
            .filter_map(|r| r.as_ref().ok())
            .map(|r| {
                (
                    r.id.as_str(),
                    r.text.as_str(),
                    r.title.as_deref().unwrap_or(""),
                )
            })
            .collect();
        assert_eq!(
            ok,
            [("h", "", "Floods in Semarang"), ("n", "", "Floods")],
            "{got:?}"
        );
        let errs: Vec<&str> = got
            .iter()
            .filter_map(|r| r.as_ref().err())
            .map(|s| s.as_str())
            .collect();
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert!(errs
            .iter()
            .all(|e| e.contains("missing `text` (and no `title`)")));
    }

    #[test]
    fn last_line_gives_the_raw_line_for_more_fields() {
        let mut r = Reader::new(&b"{\"id\": \"a\", \"text\": \"t\", \"event\": \"e1\"}\r\n"[..]);
        r.next().unwrap().unwrap();
        let v: Value = serde_json::from_slice(r.last_line()).unwrap();
        assert_eq!(v["event"], "e1");
        assert_eq!(r.lines_read(), 1);
    }

    #[test]
    fn a_read_error_ends_the_iteration() {
        struct Failing;
        impl std::io::Read for Failing {
            fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("disk gone"))
            }
        }
        let mut r = Reader::new(std::io::BufReader::new(Failing));
        let e = r.next().unwrap().unwrap_err();
        assert!(matches!(e, ReadError::Io { line: 0, .. }) && e.problem().is_none());
        assert!(r.next().is_none());
    }

    #[test]
    fn title_already_at_the_start_of_the_text_is_not_repeated() {
        let r = Record::parse(r#"{"id": "a", "title": " Floods ", "text": "Floods hit."}"#)
            .unwrap()
            .unwrap();
        assert_eq!(r.full_text(), "Floods hit.");
    }
}
