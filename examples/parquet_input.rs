//! `dedup --input X.parquet` (feature `parquet`): documents from the rows of a Parquet file, read
//! as `--input` reads JSONL lines — the same columns, the same rules, the same reports.
//!
//! Columns, found by name at the top level of the file's schema (others are never read):
//!
//! | column | types | |
//! |---|---|---|
//! | `id` | string, or an integer (read as its decimal text, as a JSON number id) | required |
//! | `text` | string | `text` or `title` required |
//! | `title` | string | optional |
//! | `lang` | string | optional (used with `--use-lang-field`) |
//! | `--date-field NAME` | string (`YYYY-MM-DD…`, `lintas::Date::parse`), date, or timestamp (its UTC day) | with the option |
//!
//! "String" is Parquet's UTF-8 byte arrays, or unannotated byte arrays holding UTF-8 (older
//! writers). The file's own Arrow schema is not used (a dictionary-encoded column reads as
//! plain strings). A row whose `id` is null or empty, or that has neither `text` nor a
//! `title`, or whose id repeats an earlier row's, is reported with its 1-based row number and
//! skipped (with `--strict`, the first one ends the run), exactly as a JSONL line would be; a
//! column of another type, or no `id` column, is an error when the file is opened. Rows are
//! read a record batch at a time. A damaged file is an error that ends the run (`read error
//! after row N`), never a panic: the footer's chunk offsets are checked against the file before
//! reading, and the parquet crate's own assertions on damaged pages are caught ([`guarded`]).

use crate::Doc;
use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Int16Type, Int32Type, Int64Type, Int8Type, TimestampMicrosecondType,
    TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType, UInt16Type, UInt32Type,
    UInt64Type, UInt8Type,
};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Schema, TimeUnit};
use parquet::arrow::arrow_reader::{
    ArrowReaderOptions, ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder,
};
use parquet::arrow::ProjectionMask;
use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::Once;

/// The rows of a Parquet file as documents; see the module documentation.
pub(crate) struct ParquetDocs {
    path: String,
    batches: ParquetRecordBatchReader,
    batch: Option<RecordBatch>,
    /// The next row of `batch`.
    at: usize,
    /// Rows read so far (1-based number of the last one).
    row: usize,
    seen: HashMap<String, usize>,
    strict: bool,
    /// A read error was returned: nothing follows it.
    failed: bool,
    date_field: Option<String>,
    /// Rows skipped as malformed.
    skipped: usize,
    /// Documents whose date did not read (kept undated).
    bad_dates: usize,
}

/// What a column may hold.
#[derive(Clone, Copy, PartialEq)]
enum Holds {
    Text,
    Id,
    Date,
}

fn accepts(holds: Holds, t: &DataType) -> bool {
    use DataType::*;
    let text = matches!(
        t,
        Utf8 | LargeUtf8 | Utf8View | Binary | LargeBinary | BinaryView
    );
    match holds {
        Holds::Text => text,
        Holds::Id => text || t.is_integer(),
        Holds::Date => text || matches!(t, Date32 | Date64 | Timestamp(_, _)),
    }
}

fn what(holds: Holds) -> &'static str {
    match holds {
        Holds::Text => "strings",
        Holds::Id => "strings or integers",
        Holds::Date => "date strings, dates or timestamps",
    }
}

impl ParquetDocs {
    /// Opens `path` and checks its columns (module documentation).
    pub(crate) fn open(
        path: &str,
        strict: bool,
        date_field: Option<&str>,
    ) -> Result<ParquetDocs, String> {
        let file = std::fs::File::open(path).map_err(|e| format!("cannot open {path}: {e}"))?;
        let len = file
            .metadata()
            .map_err(|e| format!("cannot read {path}: {e}"))?
            .len();
        let options = ArrowReaderOptions::new().with_skip_arrow_metadata(true);
        let unreadable = |e: String| format!("{path}: not a readable Parquet file: {e}");
        let builder =
            guarded(|| ParquetRecordBatchReaderBuilder::try_new_with_options(file, options))
                .and_then(|r| r.map_err(|e| e.to_string()))
                .map_err(unreadable)?;
        check_chunks(builder.metadata(), len).map_err(unreadable)?;
        let schema: &Schema = builder.schema();
        let mut roots = Vec::new();
        let mut column = |name: &str, holds: Holds, required: bool| -> Result<bool, String> {
            let Some((i, field)) = schema.column_with_name(name) else {
                return if required {
                    Err(format!("{path}: no `{name}` column"))
                } else {
                    Ok(false)
                };
            };
            if !accepts(holds, field.data_type()) {
                return Err(format!(
                    "{path}: column `{name}` is {}; it must hold {}",
                    field.data_type(),
                    what(holds)
                ));
            }
            roots.push(i);
            Ok(true)
        };
        column("id", Holds::Id, true)?;
        let text = column("text", Holds::Text, false)?;
        let title = column("title", Holds::Text, false)?;
        if !text && !title {
            return Err(format!("{path}: no `text` column (and no `title`)"));
        }
        column("lang", Holds::Text, false)?;
        if let Some(field) = date_field {
            if !column(field, Holds::Date, false)? {
                return Err(format!("{path}: --date-field {field}: no such column"));
            }
        }
        let mask = ProjectionMask::roots(builder.parquet_schema(), roots);
        let batches = guarded(|| builder.with_projection(mask).build())
            .and_then(|r| r.map_err(|e| e.to_string()))
            .map_err(unreadable)?;
        Ok(ParquetDocs {
            path: path.to_string(),
            batches,
            batch: None,
            at: 0,
            row: 0,
            seen: HashMap::new(),
            strict,
            failed: false,
            date_field: date_field.map(str::to_string),
            skipped: 0,
            bad_dates: 0,
        })
    }

    /// The document of row `i` of `batch` (`Err`: why it is skipped).
    fn doc(&self, batch: &RecordBatch, i: usize) -> Result<Doc, String> {
        let col = |name: &str| batch.column_by_name(name);
        let id = col("id")
            .map(|c| text_at(c, i, "id"))
            .transpose()?
            .flatten()
            .filter(|id| !id.is_empty())
            .ok_or("`id` must be a non-empty string or a number")?
            .into_owned();
        let title = col("title")
            .map(|c| text_at(c, i, "title"))
            .transpose()?
            .flatten()
            .map(Cow::into_owned);
        let text = match col("text")
            .map(|c| text_at(c, i, "text"))
            .transpose()?
            .flatten()
        {
            Some(t) => t.into_owned(),
            // A headline-only item (a feed entry without a summary) is its title.
            None if title.as_deref().is_some_and(|t| !t.is_empty()) => String::new(),
            None => return Err("missing `text` (and no `title`)".into()),
        };
        let lang = col("lang")
            .map(|c| text_at(c, i, "lang"))
            .transpose()?
            .flatten()
            .map(Cow::into_owned);
        Ok(Doc {
            id,
            title,
            text,
            lang,
            published: None,
        })
    }

    /// Reports how many rows were skipped and dates unread (after the last document).
    pub(crate) fn finish(&self, read: usize) {
        crate::report_unread(
            self.bad_dates,
            self.date_field.as_deref(),
            self.skipped,
            "row",
            read,
        );
    }
}

impl Iterator for ParquetDocs {
    type Item = Result<Doc, String>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let item = self.read();
        if matches!(item, Some(Err(_))) {
            self.failed = true; // a read error or --strict: the input ends here
        }
        item
    }
}

impl ParquetDocs {
    /// The next document, `Err` ending the run (a read error, or a bad row under `--strict`).
    fn read(&mut self) -> Option<Result<Doc, String>> {
        loop {
            let batch = match &self.batch {
                Some(b) if self.at < b.num_rows() => b.clone(),
                _ => {
                    let next = guarded(|| self.batches.next())
                        .and_then(|b| b.transpose().map_err(|e| e.to_string()));
                    match next {
                        Ok(Some(b)) => {
                            self.batch = Some(b);
                            self.at = 0;
                            continue;
                        }
                        Ok(None) => return None,
                        Err(e) => {
                            let after = self.row;
                            return Some(Err(format!(
                                "{}: read error after row {after}: {e}",
                                self.path
                            )));
                        }
                    }
                }
            };
            let i = self.at;
            self.at += 1;
            self.row += 1;
            let row = self.row;
            let at = format!("{}: row {row}", self.path);
            let read = match guarded(|| self.doc(&batch, i)) {
                Ok(read) => read,
                Err(e) => return Some(Err(format!("{at}: {e}"))),
            };
            let doc = read.and_then(|doc| match self.seen.get(&doc.id) {
                Some(first) => Err(format!("duplicate id {:?} (first at row {first})", doc.id)),
                None => Ok(doc),
            });
            let mut doc = match doc {
                Ok(d) => d,
                Err(e) => {
                    match crate::input_problem(self.strict, &mut self.skipped, &at, "skipped", &e) {
                        Some(stop) => return Some(Err(stop)),
                        None => continue,
                    }
                }
            };
            self.seen.insert(doc.id.clone(), row);
            if let Some(field) = &self.date_field {
                let c = batch.column_by_name(field).expect("checked when opened");
                let date = match guarded(|| date_at(c, i, field)) {
                    Ok(date) => date,
                    Err(e) => return Some(Err(format!("{at}: {e}"))),
                };
                match date {
                    Ok(d) => doc.published = d,
                    Err(e) => {
                        let how = "matched undated";
                        let (strict, count) = (self.strict, &mut self.bad_dates);
                        if let Some(stop) = crate::input_problem(strict, count, &at, how, &e) {
                            return Some(Err(stop));
                        }
                    }
                }
            }
            return Some(Ok(doc));
        }
    }
}

thread_local! {
    /// Whether this thread is inside a call into the parquet crate ([`guarded`]).
    static IN_PARQUET: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`, a call into the parquet crate, with a panic turned into an error. The crate
/// (and arrow's buffers under it) asserts instead of returning an error on some damaged files:
/// a bit buffer shorter than its page says, a chunk the footer places outside the file. A
/// damaged input must give `dedup`'s error, not a panic; the default panic message is held
/// back for these calls only (any other panic still prints it).
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !IN_PARQUET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    IN_PARQUET.with(|c| c.set(true));
    let r = std::panic::catch_unwind(AssertUnwindSafe(f));
    IN_PARQUET.with(|c| c.set(false));
    r.map_err(|p| {
        let why = p
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let why = why.lines().next().unwrap_or_default();
        format!("damaged data the Parquet reader could not decode ({why})")
    })
}

/// Every column chunk the footer points to lies inside the file: the parquet crate asserts
/// it (a panic) where a damaged footer says otherwise, so it is checked first.
fn check_chunks(meta: &parquet::file::metadata::ParquetMetaData, len: u64) -> Result<(), String> {
    for (g, group) in meta.row_groups().iter().enumerate() {
        if group.num_rows() < 0 {
            return Err(format!("row group {g} has {} rows", group.num_rows()));
        }
        for (c, chunk) in group.columns().iter().enumerate() {
            let start = chunk
                .dictionary_page_offset()
                .unwrap_or(chunk.data_page_offset());
            let inside = u64::try_from(start)
                .ok()
                .zip(u64::try_from(chunk.compressed_size()).ok())
                .and_then(|(s, n)| s.checked_add(n))
                .is_some_and(|end| end <= len)
                && chunk.data_page_offset() >= start;
            if !inside {
                return Err(format!(
                    "row group {g}, column {c}: its pages are not inside the file"
                ));
            }
        }
    }
    Ok(())
}

/// Row `i` of a string (or, for ids, integer) column; `None` when null.
fn text_at<'a>(a: &'a ArrayRef, i: usize, name: &str) -> Result<Option<Cow<'a, str>>, String> {
    if a.is_null(i) {
        return Ok(None);
    }
    let utf8 = |b: &'a [u8]| {
        std::str::from_utf8(b)
            .map(Cow::Borrowed)
            .map_err(|e| format!("`{name}`: invalid UTF-8 at byte {}", e.valid_up_to()))
    };
    let int = |v: i128| Cow::Owned(v.to_string());
    Ok(Some(match a.data_type() {
        DataType::Utf8 => Cow::Borrowed(a.as_string::<i32>().value(i)),
        DataType::LargeUtf8 => Cow::Borrowed(a.as_string::<i64>().value(i)),
        DataType::Utf8View => Cow::Borrowed(a.as_string_view().value(i)),
        DataType::Binary => utf8(a.as_binary::<i32>().value(i))?,
        DataType::LargeBinary => utf8(a.as_binary::<i64>().value(i))?,
        DataType::BinaryView => utf8(a.as_binary_view().value(i))?,
        DataType::Int8 => int(a.as_primitive::<Int8Type>().value(i).into()),
        DataType::Int16 => int(a.as_primitive::<Int16Type>().value(i).into()),
        DataType::Int32 => int(a.as_primitive::<Int32Type>().value(i).into()),
        DataType::Int64 => int(a.as_primitive::<Int64Type>().value(i).into()),
        DataType::UInt8 => int(a.as_primitive::<UInt8Type>().value(i).into()),
        DataType::UInt16 => int(a.as_primitive::<UInt16Type>().value(i).into()),
        DataType::UInt32 => int(a.as_primitive::<UInt32Type>().value(i).into()),
        DataType::UInt64 => int(a.as_primitive::<UInt64Type>().value(i).into()),
        other => return Err(format!("`{name}` is {other}")),
    }))
}

/// Row `i` of the date column; `None` when null. A timestamp is read as its UTC day.
fn date_at(a: &ArrayRef, i: usize, name: &str) -> Result<Option<lintas::Date>, String> {
    if a.is_null(i) {
        return Ok(None);
    }
    let day = |days: i64| {
        i32::try_from(days)
            .ok()
            .and_then(lintas::Date::from_days_since_epoch)
            .ok_or_else(|| format!("`{name}` is outside the years 1 to 9999"))
    };
    let per_day = |unit: &TimeUnit| match unit {
        TimeUnit::Second => 86_400,
        TimeUnit::Millisecond => 86_400_000,
        TimeUnit::Microsecond => 86_400_000_000,
        TimeUnit::Nanosecond => 86_400_000_000_000,
    };
    match a.data_type() {
        DataType::Date32 => day(a.as_primitive::<Date32Type>().value(i).into()).map(Some),
        // Date64 counts milliseconds.
        DataType::Date64 => {
            let ms = a.as_primitive::<Date64Type>().value(i);
            day(ms.div_euclid(per_day(&TimeUnit::Millisecond))).map(Some)
        }
        DataType::Timestamp(unit, _) => {
            let v = match unit {
                TimeUnit::Second => a.as_primitive::<TimestampSecondType>().value(i),
                TimeUnit::Millisecond => a.as_primitive::<TimestampMillisecondType>().value(i),
                TimeUnit::Microsecond => a.as_primitive::<TimestampMicrosecondType>().value(i),
                TimeUnit::Nanosecond => a.as_primitive::<TimestampNanosecondType>().value(i),
            };
            day(v.div_euclid(per_day(unit))).map(Some)
        }
        _ => {
            let s = text_at(a, i, name)?.expect("not null");
            lintas::Date::parse(&s).map(Some).map_err(|e| e.to_string())
        }
    }
}
