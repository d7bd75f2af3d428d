//! Gold pools: JSONL documents with the fields evaluation reads (`event`, `lang`, `meta`).

use lintas::jsonl::{ReadError, Reader};
use serde_json::Value;

/// One document of a pool.
#[derive(Debug, Clone)]
pub struct Doc {
    /// The id (a numeric id as its decimal text, as `score.py` reads it).
    pub id: String,
    /// The `title` field, when present: analysed as the headline
    /// ([`lintas::Analyzer::analyze_article`]).
    pub title: Option<String>,
    /// The `text` field: the body.
    pub text: String,
    /// The `lang` field as given.
    pub lang: Option<String>,
    /// The whole JSON object (evaluation reads `event` and `meta`), when asked for.
    pub raw: Option<Value>,
}

/// A line of input that could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong with it.
    pub reason: String,
}

/// Reads a JSONL pool with [`lintas::jsonl::Reader`] (`id` and `text` required, `title` and
/// `lang` optional; repeated ids reported with the line of their first use). Unusable lines
/// are returned with their numbers; with `keep_raw` every document keeps its JSON object.
///
/// # Errors
/// The file cannot be opened or read.
pub fn read_pool(path: &str, keep_raw: bool) -> Result<(Vec<Doc>, Vec<BadLine>), String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot open {path}: {e}"))?;
    let mut reader = Reader::new(std::io::BufReader::new(file));
    let mut docs = Vec::new();
    let mut bad = Vec::new();
    while let Some(r) = reader.next() {
        match r {
            Ok(rec) => {
                let raw = if keep_raw {
                    // The reader has parsed this line as a JSON object already.
                    Some(
                        serde_json::from_slice(reader.last_line())
                            .map_err(|e| format!("{path}:{}: {e}", rec.line))?,
                    )
                } else {
                    None
                };
                docs.push(Doc {
                    id: rec.id,
                    title: rec.title,
                    text: rec.text,
                    lang: rec.lang,
                    raw,
                });
            }
            Err(e @ ReadError::Io { .. }) => return Err(format!("{path}: {e}")),
            Err(e) => bad.push(BadLine {
                line: e.line(),
                reason: e.problem().map(ToString::to_string).unwrap_or_default(),
            }),
        }
    }
    Ok((docs, bad))
}

impl Doc {
    /// Analyses the document: its title and body given apart, as `lang` when given.
    pub fn analyze(
        &self,
        analyzer: &lintas::Analyzer,
        lang: Option<lintas::Lang>,
    ) -> lintas::Analysis {
        match lang {
            Some(l) => analyzer.analyze_article_as(self.title.as_deref(), &self.text, l),
            None => analyzer.analyze_article(self.title.as_deref(), &self.text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_objects_ids_as_strings_and_bad_lines() {
        let dir = std::env::temp_dir().join(format!("lintas-eval-input-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("pool.jsonl");
        std::fs::write(
            &p,
            "{\"id\": 7, \"text\": \"b\", \"title\": \"T\", \"event\": \"e\"}\n{oops\n{\"id\": \"7\", \"text\": \"c\"}\n",
        )
        .unwrap();
        let (docs, bad) = read_pool(p.to_str().unwrap(), true).unwrap();
        assert_eq!(docs.len(), 1);
        assert_eq!(
            (
                docs[0].id.as_str(),
                docs[0].title.as_deref(),
                docs[0].text.as_str()
            ),
            ("7", Some("T"), "b")
        );
        assert_eq!(docs[0].raw.as_ref().unwrap()["event"], "e");
        assert_eq!(bad.len(), 2);
        assert_eq!(bad[1].line, 3);
        assert!(bad[1].reason.contains("first at line 1"), "{bad:?}");
        assert!(read_pool(dir.join("missing").to_str().unwrap(), false).is_err());
    }
}
