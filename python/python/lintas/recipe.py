"""The engine-independent parts of the Spark and Ray recipes, and a pandas reference run.

A data engine finds ``dedup``'s pairs with :class:`lintas.Engine` in six steps; only the
shuffles (steps 4 and 5) are the engine's own. Everything else is here, so that every
recipe does it the same way — and gets the same pairs (``python/parity.py`` checks it)::

    1. read      read_pool(path)                   columns ord, id, title, text (dedup's reading)
    2. map       engine.fingerprints(ids, titles, texts) -> fp bytes; engine.copy_keys(fps)
    3. copies    representatives(ords, copy_keys)  -> rep ord of every document
       global    Frequencies.build(fps of reps) per partition, merged (one pass)
    4. map       engine.keys(rep fps, freq)         -> rows (ord, source, key)
       SHUFFLE   by (source, key); per block: count_shared(rows) -> (a, b, bands, rare, lead)
       SHUFFLE   by (a, b); per block: sum_shared(parts), then candidates(engine, counts)
    5. join      fps of a and b onto each candidate; engine.verify(fp_a, fp_b, freq)
                 -> verified(matches, a, b) rows (a, b, score, line) of representatives
    6. driver    expand(flagged, own, reps, ids)    -> every member pair, oriented by ord
                 own_pairs: engine.verify(rep, rep) for each group of copies
                 within_days(pairs, published)      with publication dates (dedup --date-field):
                                                    drops pairs published > max_days apart
                 write_pairs(path, pairs)           the JSONL dedup --output writes

Conventions: ``ord`` is the document's position in the input (0, 1, …; dedup's order).
A pair ``(a, b)`` always has ``a < b`` by ord and is verified as ``verify(fp[a], fp[b])``.
``source`` is the band number (0..31) of a band key, -1 for a rare feature, -2 for a
headline/lead feature; keys are ``int64`` (bit-cast ``u64``). Ids are the user's ``id`` field
as a string, never engine-generated.

Exports: :func:`read_pool`, :class:`ParquetRows`, :func:`representatives`, :func:`groups`,
:func:`partial_frequencies`, :func:`cached_frequencies`, :func:`cached_engine`, :func:`key_rows`,
:func:`count_shared`, :func:`sum_shared`, :func:`candidates`, :func:`verified`,
:func:`own_pairs`, :func:`expand`, :func:`within_days`, :func:`date_options`, :func:`relabel`,
:func:`write_pairs`, :func:`read_pairs`, :func:`run_local`. numpy is required; pandas
(``pip install "pandas<3"``) only for the functions that take or give a ``DataFrame``.
"""

from __future__ import annotations

import gzip
import json
import math
import sys
import zlib
from decimal import Decimal
from typing import Any, Callable, Iterable, Iterator, Optional, Sequence

import numpy as np
import numpy.typing as npt

from ._lintas import Engine, Frequencies, LintasError, Match, cluster_pairs, parse_date

#: A ``pandas.DataFrame`` (pandas is imported only by the functions that need it).
DataFrame = Any


def _pd() -> Any:
    import pandas  # type: ignore[import-untyped, unused-ignore]

    return pandas

__all__ = [
    "KEY_COLUMNS",
    "read_pool",
    "ParquetRows",
    "representatives",
    "groups",
    "partial_frequencies",
    "cached_frequencies",
    "cached_engine",
    "key_rows",
    "count_shared",
    "sum_shared",
    "candidates",
    "verified",
    "own_pairs",
    "expand",
    "relabel",
    "within_days",
    "date_options",
    "write_pairs",
    "read_pairs",
    "run_local",
]

#: The shared-key counts of a pair, by key source: LSH bands, rare features, headline/lead.
KEY_COLUMNS = ("bands", "rare", "lead")


# --- 1. reading ------------------------------------------------------------------------


def _id_of(v: Any) -> Optional[str]:
    """An id as dedup reads it: a non-empty string, or a number as serde_json writes it."""
    if isinstance(v, str):
        return v or None
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return _float_text(v)
    return None


#: The integers serde_json keeps exact (``u64`` and ``i64``); it reads others as ``f64``.
_EXACT_INTS = range(-(2**63), 2**64)


def _float_text(v: float) -> str:
    """A float as serde_json writes it (zmij): the shortest digits that read back, in fixed
    notation for decimal exponents -5 to 15 (``1000.0``, ``0.00001``), else ``1.5e-7``,
    ``1e+16``; Python's ``repr`` differs outside that range (``1.5e-07``, ``1e-05``)."""
    sign, digits, exp = Decimal(repr(v)).as_tuple()
    assert isinstance(exp, int), "finite"
    ds = "".join(map(str, digits)).rstrip("0") or "0"
    exp += len(digits) - len(ds)  # the zeros stripped
    e10 = len(ds) + exp - 1
    if -5 <= e10 <= 15:
        if exp >= 0:
            text = ds + "0" * exp + ".0"
        elif len(ds) + exp > 0:
            text = ds[: len(ds) + exp] + "." + ds[len(ds) + exp :]
        else:
            text = "0." + "0" * -(len(ds) + exp) + ds
    else:
        text = ds[0] + ("." + ds[1:] if len(ds) > 1 else "") + f"e{'+' if e10 >= 0 else '-'}{abs(e10)}"
    return ("-" if sign else "") + text


def _json_float(text: str) -> float:
    v = float(text)
    if math.isinf(v):
        raise ValueError("number out of range")
    return v


def _json_int(text: str) -> Any:
    v = int(text)
    if v in _EXACT_INTS:
        return v
    return _json_float(text)  # serde_json reads it as f64


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _has_surrogate(v: Any) -> bool:
    if isinstance(v, str):
        try:
            v.encode("utf-8")  # at C speed; only a surrogate fails
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(v, dict):
        return any(_has_surrogate(k) or _has_surrogate(x) for k, x in v.items())
    if isinstance(v, list):
        return any(_has_surrogate(x) for x in v)
    return False


def _loads(line: str) -> Any:
    """One JSON line as serde_json (dedup's reader) reads it, not as Python's ``json``
    would: ``NaN`` and ``Infinity`` are not JSON, a number out of ``f64``'s range is an
    error, integers outside ``i64``/``u64`` become floats, and a ``\\u`` escape of a lone
    surrogate is an error (a string holding one could not reach the engine: it is not UTF-8).
    Raises ``ValueError``."""
    obj = json.loads(
        line, parse_constant=_no_constant, parse_float=_json_float, parse_int=_json_int
    )
    if "\\u" in line and _has_surrogate(obj):
        raise ValueError("a lone surrogate escaped in a string")
    return obj


def _problem(obj: Any) -> Optional[str]:
    if not isinstance(obj, dict):
        return "not a JSON object"
    if "id" not in obj:
        return "missing `id`"
    if _id_of(obj["id"]) is None:
        return "`id` must be a non-empty string or a number"
    title = obj.get("title")
    if title is not None and not isinstance(title, str):
        return "`title` must be a string or null"
    text = obj.get("text")
    if text is None:
        # A headline-only item (a feed entry without a summary) is its title.
        if title:
            return None
        return "missing `text` (and no `title`)"
    if not isinstance(text, str):
        return "`text` must be a string"
    return None


def _date_of(obj: dict[str, Any], field: str) -> tuple[Optional[int], Optional[str]]:
    """The ``field`` date of a line as ``dedup --date-field`` reads it: ``(days, None)``,
    ``(None, None)`` when the field is missing or null, ``(None, reason)`` when it holds
    something that is not a date."""
    v = obj.get(field)
    if v is None:
        return None, None
    if not isinstance(v, str):
        shown = json.dumps(v, ensure_ascii=False, separators=(",", ":"))
        return None, f"`{field}` is {shown}, not a date string"
    try:
        return parse_date(v), None
    except LintasError as e:
        return None, str(e)


#: The first two bytes of a gzip stream: how ``dedup`` and :func:`read_pool` tell one.
GZIP_MAGIC = b"\x1f\x8b"
#: A UTF-8 byte-order mark, skipped where it opens the input (Windows tools write one).
BOM = b"\xef\xbb\xbf"


def _raw_lines(path: str) -> Iterator[bytes]:
    """The lines of ``path`` as bytes, as ``dedup --input`` reads them: gzip (told by its first
    two bytes, several members as one stream) decompressed; a cut or damaged stream raises
    :class:`LintasError` (``read error after line N``), never ends the input early."""
    with open(path, "rb") as f:
        stream: Any = gzip.GzipFile(fileobj=f, mode="rb") if f.peek(2)[:2] == GZIP_MAGIC else f
        n = 0
        try:
            for raw in stream:
                n += 1
                yield raw
        except (OSError, EOFError, zlib.error) as e:
            raise LintasError(f"{path}: read error after line {n}: {e}") from e


def _parse_line(raw: bytes, first: bool) -> Optional[tuple[Any, Optional[str]]]:
    """One input line as ``dedup``'s reader takes it, before ids are compared: ``None`` for a
    blank line, else ``(object, None)`` or ``(None, problem)``. A byte-order mark opening the
    input (``first``) is skipped. :func:`_line_row` adds the date."""
    if first and raw.startswith(BOM):
        raw = raw[len(BOM) :]
    try:
        line = raw.decode("utf-8").strip()
    except UnicodeDecodeError as e:
        return None, f"invalid UTF-8 at byte {e.start}"
    if not line:
        return None
    try:
        obj = _loads(line)
    except ValueError as e:
        return None, f"not JSON: {e}"
    problem = _problem(obj)
    return (None, problem) if problem is not None else (obj, None)


#: The first four bytes of a Parquet file: how ``dedup`` and :func:`read_pool` tell one.
PARQUET_MAGIC = b"PAR1"

#: The days (since 1970-01-01) of 0001-01-01 and 9999-12-31: ``lintas::Date``'s range.
_FIRST_DAY, _LAST_DAY = -719_162, 2_932_896

#: A date's result as :func:`read_pool` takes it: ``(days, None)``, ``(None, None)`` for no
#: date, ``(None, reason)`` for a value that is not one.
_Dated = tuple[Optional[int], Optional[str]]


def _is_parquet(path: str) -> bool:
    with open(path, "rb") as f:
        return f.read(4) == PARQUET_MAGIC


class ParquetRows:
    """The rows of a Parquet file as ``dedup --input X.parquet`` reads them (feature
    ``parquet``, ``examples/parquet_input.rs``), with pyarrow. Columns are found by name:
    ``id`` (strings or integers), ``text`` and/or ``title`` and ``lang`` (strings), the date
    field (date strings, dates or timestamps, a timestamp read as its UTC day); strings may be
    UTF-8 or binary holding UTF-8, dictionary-encoded or not. Opening checks the columns: a
    missing or mistyped one raises :class:`LintasError` before any row is read, as a file that
    does not open does; a damaged page raises it when reached (``read error after row N``).

    :meth:`rows` gives the rows of some row groups (all by default) as :func:`read_pool` takes
    them, so that an engine can read the row groups of one file in parallel
    (:attr:`group_rows` and :attr:`group_starts` count them) — the Spark recipe does."""

    def __init__(self, path: str, date_field: Optional[str] = None) -> None:
        try:
            import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
            import pyarrow.parquet as pq  # type: ignore[import-untyped, unused-ignore]
        except ImportError as e:
            raise LintasError(f"{path}: reading Parquet needs pyarrow (pip install pyarrow)") from e
        self.path, self.date_field, self._pa = path, date_field, pa
        # What pyarrow raises on a damaged file: its own errors, and UnicodeDecodeError where
        # damaged bytes sit in a column name or a string column it decodes into Python strings.
        self._damaged = (pa.ArrowException, OSError, UnicodeDecodeError)
        try:
            self._file = pq.ParquetFile(path)
            schema = self._file.schema_arrow
            #: The number of rows of each row group, in file order.
            self.group_rows: list[int] = [
                self._file.metadata.row_group(g).num_rows
                for g in range(self._file.metadata.num_row_groups)
            ]
        except self._damaged as e:
            raise LintasError(f"{path}: not a readable Parquet file: {e}") from e
        #: The rows before each row group.
        self.group_starts: list[int] = [0]
        for count in self.group_rows[:-1]:
            self.group_starts.append(self.group_starts[-1] + count)
        self.columns: list[str] = []  # the columns read, checked
        self._check(schema, "id", "id", True)
        # `|`, not `or`: both columns are checked (and read) when both are there.
        if not (self._check(schema, "text", "text", False)
                | self._check(schema, "title", "text", False)):
            raise LintasError(f"{path}: no `text` column (and no `title`)")
        self._check(schema, "lang", "text", False)
        if date_field is not None and not self._check(schema, date_field, "date", False):
            raise LintasError(f"{path}: date field `{date_field}`: no such column")

    def _is_text(self, ty: Any) -> bool:
        t = self._pa.types
        return bool(t.is_string(ty) or t.is_large_string(ty) or t.is_string_view(ty)
                    or t.is_binary(ty) or t.is_large_binary(ty) or t.is_binary_view(ty))

    def _check(self, schema: Any, name: str, kind: str, required: bool) -> bool:
        if name not in schema.names:
            if required:
                raise LintasError(f"{self.path}: no `{name}` column")
            return False
        t = self._pa.types
        ty = schema.field(name).type
        # pyarrow restores a dictionary column from the file's Arrow schema; dedup reads its
        # values (it does not use that schema).
        value = ty.value_type if t.is_dictionary(ty) else ty
        accepts, what = {
            "text": (self._is_text(value), "strings"),
            "id": (self._is_text(value) or t.is_integer(value), "strings or integers"),
            "date": (self._is_text(value) or t.is_date(value) or t.is_timestamp(value),
                     "date strings, dates or timestamps"),
        }[kind]
        if not accepts:
            raise LintasError(f"{self.path}: column `{name}` is {ty}; it must hold {what}")
        self.columns.append(name)
        return True

    def _values(self, batch: Any, name: str) -> list[Any]:
        pa, t = self._pa, self._pa.types
        a = batch.column(name)
        if t.is_dictionary(a.type):
            a = a.dictionary_decode()
        if name == self.date_field and not self._is_text(a.type):
            # Days since 1970-01-01, floored (a timestamp before 1970 is still its UTC day).
            if t.is_date32(a.type):
                return a.cast(pa.int32()).to_pylist()  # type: ignore[no-any-return]
            per = {"s": 86_400, "ms": 86_400_000, "us": 86_400_000_000, "ns": 86_400_000_000_000}
            unit = "ms" if t.is_date64(a.type) else a.type.unit
            return [None if v is None else v // per[unit] for v in a.cast(pa.int64()).to_pylist()]
        return a.to_pylist()  # type: ignore[no-any-return]

    @staticmethod
    def _text(v: Any, name: str) -> tuple[Any, Optional[str]]:
        if isinstance(v, bytes):
            try:
                return v.decode("utf-8"), None
            except UnicodeDecodeError as e:
                return None, f"`{name}`: invalid UTF-8 at byte {e.start}"
        return (str(v) if isinstance(v, int) else v), None

    def _date(self, v: Any) -> _Dated:
        if v is None:
            return None, None
        if isinstance(v, int):
            if _FIRST_DAY <= v <= _LAST_DAY:
                return v, None
            return None, f"`{self.date_field}` is outside the years 1 to 9999"
        v, bad = self._text(v, str(self.date_field))
        if bad is not None:
            return None, bad
        try:
            return parse_date(v), None
        except LintasError as e:
            return None, str(e)

    def _row(self, got: dict[str, list[Any]], i: int) -> tuple[dict[str, Any], Optional[str]]:
        """Row ``i`` and its problem, checked in dedup's order: id, title, text, lang."""
        row: dict[str, Any] = {"id": None}
        for name in ("id", "title", "text", "lang"):
            if name in got:
                row[name], bad = self._text(got[name][i], name)
                if bad is not None:
                    return row, bad
            if name == "id" and not row["id"]:
                return row, "`id` must be a non-empty string or a number"
            if name == "text":
                problem = _problem(row)
                if problem is not None:
                    return row, problem
        return row, None

    def rows(
        self, groups: Optional[Sequence[int]] = None
    ) -> Iterator[tuple[Optional[dict[str, Any]], Optional[str], _Dated]]:
        """``(object, None, date)`` or ``(None, problem, (None, None))`` for each row of the
        row groups ``groups`` (default: all), in order; ``date`` as :func:`_date_of` gives it.
        Repeated ids are the caller's to find (they span row groups)."""
        groups = range(len(self.group_rows)) if groups is None else groups
        undated: _Dated = (None, None)
        n = 0  # the row numbers are the file's, 1-based
        try:
            for g in groups:
                n = self.group_starts[g]
                for batch in self._file.iter_batches(row_groups=[g], columns=self.columns):
                    got = {name: self._values(batch, name) for name in self.columns}
                    for i in range(batch.num_rows):
                        n += 1
                        row, problem = self._row(got, i)
                        if problem is not None:
                            yield None, problem, undated
                        elif self.date_field is None:
                            yield row, None, undated
                        else:
                            yield row, None, self._date(got[self.date_field][i])
        except self._damaged as e:
            raise LintasError(f"{self.path}: read error after row {n}: {e}") from e


def _line_row(
    raw: bytes, first: bool, date_field: Optional[str]
) -> Optional[tuple[Optional[dict[str, Any]], Optional[str], _Dated]]:
    """One input line as :func:`read_pool` reads it, in the shape :meth:`ParquetRows.rows`
    gives a row (``(object, problem, date)``), ``None`` for a blank line; ``first``: the
    input's first line. Shared by :func:`read_pool` and the Spark recipe."""
    parsed = _parse_line(raw, first)
    if parsed is None:
        return None
    obj, problem = parsed
    dated = _date_of(obj, date_field) if obj is not None and date_field else (None, None)
    return obj, problem, dated


def _jsonl_rows(
    path: str, date_field: Optional[str]
) -> Iterator[Optional[tuple[Optional[dict[str, Any]], Optional[str], _Dated]]]:
    """The lines of a JSONL file as :func:`_line_row` reads them."""
    for n, raw in enumerate(_raw_lines(path), start=1):
        yield _line_row(raw, n == 1, date_field)


def read_pool(
    path: str,
    *,
    strict: bool = False,
    warn: Optional[Callable[[str], None]] = None,
    date_field: Optional[str] = None,
) -> dict[str, list[Any]]:
    """Reads a JSONL pool as ``dedup --input`` reads it (``lintas::jsonl::Reader``).

    A gzip file is read as such (by its first bytes, as dedup does: a cut or damaged one
    raises :class:`LintasError`), and a byte-order mark opening the file is skipped. A
    Parquet file (told by its first bytes) is read with pyarrow as ``dedup --input
    X.parquet`` reads it (the ``parquet`` feature): a row is a line, its columns found by
    name — ``id`` (strings or integers), ``text``/``title``/``lang`` (strings), the date
    field (date strings, dates or timestamps, read as their UTC day) — and reported as
    ``path: row N``; a missing or mistyped column raises :class:`LintasError`.
    One document a line: ``id`` (a non-empty string, or a number read as its decimal text)
    and ``text`` required, ``title`` optional (a string or null; a headline-only item may
    leave ``text`` out or null when its title is not empty), ``lang`` and other fields
    ignored (dedup detects the language). Blank lines are skipped; a malformed line or a
    repeated id (the later one) is reported through ``warn`` (default: standard error) and
    skipped — with ``strict``, it raises :class:`lintas.LintasError`.

    Returns columns as lists: ``ord`` (0, 1, … in input order), ``id``, ``title``, ``text``
    — ready for ``pandas.DataFrame``, ``spark.createDataFrame`` or ``ray.data.from_items``.

    ``date_field`` reads each document's publication date from that field, as
    ``dedup --date-field`` does, into one more column, ``published``: days since 1970-01-01
    (:func:`lintas.parse_date`), ``None`` when the field is missing or null. A value that is
    not a date is reported (``matched undated``) and the document kept undated; with
    ``strict``, it raises. :func:`within_days` then drops the pairs published too far apart.
    """
    if date_field is not None:
        _check_date_field(date_field)
    say = warn or (lambda m: print(m, file=sys.stderr))
    out: dict[str, list[Any]] = {"ord": [], "id": [], "title": [], "text": []}
    if date_field is not None:
        out["published"] = []
    seen: dict[str, int] = {}
    if _is_parquet(path):
        unit, where = "row", lambda n: f"{path}: row {n}"
        rows: Iterator[Any] = ParquetRows(path, date_field).rows()
    else:
        unit, where = "line", lambda n: f"{path}:{n}"
        rows = _jsonl_rows(path, date_field)
    for n, read in enumerate(rows, start=1):
        if read is None:
            continue
        obj, problem, (days, why) = read
        if problem is None:
            doc_id = _id_of(obj["id"])
            assert doc_id is not None
            if doc_id in seen:
                problem = f"duplicate id {json.dumps(doc_id)} (first at {unit} {seen[doc_id]})"
            else:
                seen[doc_id] = n
        if problem is not None:
            if strict:
                raise LintasError(f"{where(n)}: {problem}")
            say(f"{where(n)}: skipped: {problem}")
            continue
        if date_field is not None:
            if why is not None:
                if strict:
                    raise LintasError(f"{where(n)}: {why}")
                say(f"{where(n)}: matched undated: {why}")
            out["published"].append(days)
        out["ord"].append(len(out["id"]))
        out["id"].append(doc_id)
        out["title"].append(obj.get("title"))
        out["text"].append(obj.get("text") or "")
    return out


# --- 3. copies and frequencies -----------------------------------------------------------


def representatives(ords: npt.ArrayLike, copy_keys: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """The ord of each document's copy-group representative (aligned with ``ords``).

    Documents with the same non-zero copy key are one group, represented by its first
    document in input order (smallest ord); a key of 0 is a group of its own. Only
    representatives go on to frequencies, keys and verification.
    """
    o = np.asarray(ords, dtype=np.int64)
    k = np.asarray(copy_keys, dtype=np.int64)
    rep = o.copy()
    nz = np.flatnonzero(k != 0)
    if nz.size:
        order = nz[np.lexsort((o[nz], k[nz]))]  # by key, then ord
        ks = k[order]
        start = np.r_[True, ks[1:] != ks[:-1]]
        first = np.maximum.accumulate(np.where(start, np.arange(order.size), 0))
        rep[order] = o[order[first]]
    return rep


def groups(ords: npt.ArrayLike, reps: npt.ArrayLike) -> dict[int, list[int]]:
    """The groups of copies with more than one member: rep ord -> member ords, ascending."""
    o = np.asarray(ords, dtype=np.int64)
    r = np.asarray(reps, dtype=np.int64)
    moved = np.flatnonzero(o != r)
    out: dict[int, list[int]] = {}
    for rep in np.unique(r[moved]).tolist():
        members = np.sort(o[r == rep]).tolist()
        out[int(rep)] = [int(x) for x in members]
    return out


def partial_frequencies(fps: Sequence[bytes]) -> bytes:
    """One partition's part of the global frequencies, as bytes (``Frequencies.build`` of
    its representatives' fingerprints); merge the parts with :meth:`Frequencies.merge`."""
    return Frequencies.build(list(fps)).to_bytes()


_ENGINES: dict[str, Engine] = {}


def cached_engine(verifier: str = "combined") -> Engine:
    """``Engine(verifier)``, made once per process (for a worker's map functions)."""
    e = _ENGINES.get(verifier)
    if e is None:
        e = _ENGINES[verifier] = Engine(verifier)
    return e


_FREQ_CACHE: dict[tuple[int, bytes], Frequencies] = {}


def cached_frequencies(blob: bytes) -> Frequencies:
    """``Frequencies.from_bytes(blob)``, decoded once per process: a worker that gets the
    broadcast bytes with every batch decodes them on the first batch only. Keyed by the
    bytes' length and checksum (their last 8 bytes); keeps the two latest tables."""
    k = (len(blob), bytes(blob[-8:]))
    f = _FREQ_CACHE.get(k)
    if f is None:
        f = Frequencies.from_bytes(bytes(blob))
        while len(_FREQ_CACHE) >= 2:
            _FREQ_CACHE.pop(next(iter(_FREQ_CACHE)))
        _FREQ_CACHE[k] = f
    return f


# --- 4. keys and the self-join -------------------------------------------------------------


def key_rows(
    engine: Engine, ords: npt.ArrayLike, fps: Sequence[bytes], freq: Frequencies
) -> DataFrame:
    """The candidate-key rows of representatives: columns ``ord``, ``source``, ``key``."""
    pd = _pd()
    doc, source, key = engine.keys(list(fps), freq)
    o = np.asarray(ords, dtype=np.int64)
    return pd.DataFrame({"ord": o[doc], "source": source, "key": key})


def count_shared(rows: DataFrame) -> DataFrame:
    """The reduce of the key shuffle: for rows ``ord, source, key`` holding **every** row of
    the keys they hold (one block after partitioning by ``(source, key)``), each pair of ords
    sharing a key with its counts by source: columns ``a, b`` (``a < b``), ``bands``,
    ``rare``, ``lead``. A pair sharing keys in several blocks appears in each: add them up
    with :func:`sum_shared`. One pandas self-merge per block (quadratic in a bucket's size).
    """
    pd = _pd()
    cols = ["a", "b", *KEY_COLUMNS]
    if len(rows) < 2:
        return pd.DataFrame({c: np.zeros(0, dtype=np.int64) for c in cols})
    r = rows[["source", "key", "ord"]]
    # Only keys held by two documents or more make pairs.
    r = r[r.duplicated(["source", "key"], keep=False)]
    m = r.merge(r, on=["source", "key"], suffixes=("_a", "_b"))
    m = m[m["ord_a"] < m["ord_b"]]
    col = np.where(m["source"].to_numpy() >= 0, 0, np.where(m["source"].to_numpy() == -1, 1, 2))
    out = pd.DataFrame({"a": m["ord_a"].to_numpy(), "b": m["ord_b"].to_numpy()})
    for i, name in enumerate(KEY_COLUMNS):
        out[name] = (col == i).astype(np.int64)
    return out.groupby(["a", "b"], as_index=False, sort=False)[list(KEY_COLUMNS)].sum()


def sum_shared(parts: DataFrame) -> DataFrame:
    """Adds up the partial counts of :func:`count_shared` by pair (all rows of a pair must be
    in ``parts``: one block after partitioning by ``(a, b)``)."""
    return parts.groupby(["a", "b"], as_index=False, sort=False)[list(KEY_COLUMNS)].sum()


def candidates(engine: Engine, counts: DataFrame) -> DataFrame:
    """The pairs of ``counts`` (columns ``a, b, bands, rare, lead``) that the candidate rule
    keeps (:meth:`Engine.is_candidate`)."""
    keep = engine.is_candidate(counts["bands"], counts["rare"], counts["lead"])
    return counts[keep].reset_index(drop=True)


# --- 5. verification -------------------------------------------------------------------------


def verified(
    matches: Sequence[Optional[Match]], a: npt.ArrayLike, b: npt.ArrayLike
) -> DataFrame:
    """The flagged pairs of ``engine.verify`` results as rows ``a, b, score, line`` (``line``:
    :meth:`Match.to_json`, the representatives' dedup line), ``a, b`` the ords given."""
    pd = _pd()
    keep = [i for i, m in enumerate(matches) if m is not None]
    sa = np.asarray(a, dtype=np.int64)[keep]
    sb = np.asarray(b, dtype=np.int64)[keep]
    ms = [matches[i] for i in keep]
    return pd.DataFrame(
        {
            "a": sa,
            "b": sb,
            "score": np.array([m.score for m in ms if m is not None], dtype=np.float64),
            "line": [m.to_json() for m in ms if m is not None],
        }
    )


def own_pairs(
    engine: Engine, reps: Sequence[int], rep_fps: Sequence[bytes], freq: Frequencies
) -> DataFrame:
    """Each group of copies' own match: ``engine.verify(rep, rep)`` for each representative
    of a group with more than one member; rows ``rep, score, line``."""
    pd = _pd()
    fps = list(rep_fps)
    v = verified(engine.verify(fps, fps, freq), reps, reps)
    return pd.DataFrame({"rep": v["a"], "score": v["score"], "line": v["line"]})


# --- 6. expansion and output ---------------------------------------------------------------------


def _ids_head(a: str, b: str) -> str:
    return '{"a":' + json.dumps(a, ensure_ascii=False) + ',"b":' + json.dumps(b, ensure_ascii=False)


def relabel(line: str, a: str, b: str) -> str:
    """A dedup pair line (``{"a":…,"b":…,…}``) with other ids, the rest unchanged."""
    d = json.loads(line)
    head = _ids_head(d["a"], d["b"])
    if line.startswith(head):
        return _ids_head(a, b) + line[len(head) :]
    # Ids that serde_json escapes otherwise than json.dumps: rebuild the line.
    d.update(a=a, b=b)
    return json.dumps(
        {"a": a, "b": b, **{k: v for k, v in d.items() if k not in ("a", "b")}},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def expand(
    flagged: DataFrame,
    own: DataFrame,
    members: dict[int, list[int]],
    ids: Sequence[str],
) -> DataFrame:
    """Every member pair from the flagged pairs of representatives (``flagged``: rows
    ``a, b, score, line``) and the groups' own matches (``own``: rows ``rep, score, line``).

    A flagged pair of representatives stands for every pair of their groups' members (each
    oriented by ord: the earlier member is ``a``); a group's own match for every pair inside
    it. ``members``: :func:`groups` (a representative not in it is alone); ``ids[ord]`` is a
    document's id. Returns rows ``a_ord, b_ord, a, b, score, line`` (``line`` relabelled).
    """
    pd = _pd()
    out_a: list[int] = []
    out_b: list[int] = []
    scores: list[float] = []
    lines: list[str] = []

    def put(x: int, y: int, score: float, line: str) -> None:
        out_a.append(x)
        out_b.append(y)
        scores.append(score)
        lines.append(line)

    if len(own) == 0:  # an engine's empty result may have no columns
        own = pd.DataFrame({"rep": [], "score": [], "line": []})
    if len(flagged) == 0:
        flagged = pd.DataFrame({"a": [], "b": [], "score": [], "line": []})
    for rep, score, line in zip(own["rep"].tolist(), own["score"].tolist(), own["line"]):
        g = members.get(int(rep), [int(rep)])
        for j, y in enumerate(g):
            for x in g[:j]:
                put(x, y, score, relabel(line, ids[x], ids[y]))
    for a, b, score, line in zip(
        flagged["a"].tolist(), flagged["b"].tolist(), flagged["score"].tolist(), flagged["line"]
    ):
        ga, gb = members.get(int(a), [int(a)]), members.get(int(b), [int(b)])
        if len(ga) == 1 and len(gb) == 1:
            put(int(a), int(b), score, line)  # already the representatives' own line
            continue
        for x in ga:
            for y in gb:
                lo, hi = min(x, y), max(x, y)
                put(lo, hi, score, relabel(line, ids[lo], ids[hi]))
    return pd.DataFrame(
        {
            "a_ord": np.array(out_a, dtype=np.int64),
            "b_ord": np.array(out_b, dtype=np.int64),
            "a": [ids[x] for x in out_a],
            "b": [ids[y] for y in out_b],
            "score": np.array(scores, dtype=np.float64),
            "line": lines,
        }
    )


def within_days(
    pairs: DataFrame, published: Sequence[Optional[int]], max_days: Optional[int] = 3
) -> DataFrame:
    """The pairs (rows with ``a_ord, b_ord``) that publication dates allow, as ``dedup
    --date-field`` reports them: a pair of two dated documents more than ``max_days`` days
    apart is dropped; a pair with an undated document is kept. ``published[ord]``: a
    document's date as days since 1970-01-01 or ``None`` (:func:`read_pool`'s ``published``
    column); ``max_days=None`` keeps every pair (dedup's ``--max-days none``). The filter
    runs on member pairs, after :func:`expand`: two copies of one text published a month
    apart are not a pair either (``lintas::Corpus::set_published``)."""
    if max_days is None:
        return pairs
    if isinstance(max_days, bool) or not isinstance(max_days, (int, np.integer)) or max_days < 0:
        raise ValueError(f"max_days must be a whole number of days >= 0 or None, got {max_days!r}")
    if len(pairs) == 0:
        return pairs
    # Days since 1970 are exact in float64; NaN (undated) compares false, so it is kept.
    days = np.array([np.nan if d is None else float(d) for d in published], dtype=np.float64)
    apart = np.abs(days[pairs["a_ord"].to_numpy()] - days[pairs["b_ord"].to_numpy()]) > max_days
    return pairs[~apart].reset_index(drop=True)


def date_options(
    date_field: Optional[str], max_days: Optional[str]
) -> tuple[Optional[str], Optional[int]]:
    """A recipe's ``--date-field`` and ``--max-days`` as ``dedup`` reads them: ``(field,
    days)``, days a whole number, ``None`` for ``none`` (keep every pair) and 3 when not
    given. Raises ``ValueError`` with dedup's message for a field that cannot hold a date
    (empty, ``id``, ``title``, ``text``, ``lang``), a count that is not one, or
    ``--max-days`` without ``--date-field``."""
    if date_field is not None:
        _check_date_field(date_field)
    if max_days is None:
        return date_field, 3
    if date_field is None:
        raise ValueError(
            "--max-days needs --date-field (without dates there is nothing to compare)"
        )
    if max_days == "none":
        return date_field, None
    digits = max_days[1:] if max_days.startswith("+") else max_days
    if not (digits.isascii() and digits.isdigit()) or int(digits) > 0xFFFF_FFFF:
        raise ValueError(f"--max-days: not a whole number of days or none: {max_days}")
    return date_field, int(digits)


def _check_date_field(name: str) -> None:
    if not name or name in ("id", "title", "text", "lang"):
        raise ValueError(f"--date-field: {json.dumps(name)} is not a date field")


def write_pairs(path: str, pairs: DataFrame) -> int:
    """Writes pairs (rows with ``a_ord, b_ord, score, line``) as dedup's JSONL, ordered as
    dedup streams them: by the later document's input order, strongest first within it.
    Returns the number of pairs written."""
    p = pairs.sort_values(["b_ord", "score", "a_ord"], ascending=[True, False, True])
    with open(path, "w", encoding="utf-8") as f:
        for line in p["line"]:
            f.write(line)
            f.write("\n")
    return len(p)


def read_pairs(path: str) -> dict[tuple[str, str], float]:
    """A pairs JSONL as ``{(a, b): score rounded to 4 decimals}`` (``{"group": …}`` lines
    skipped): the form ``python/parity.py`` compares."""
    out: dict[tuple[str, str], float] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                if "a" in d:
                    out[(str(d["a"]), str(d["b"]))] = round(float(d["score"]), 4)
    return out


def write_clusters(pairs_path: str, clusters_path: str) -> int:
    """Every recipe's last step: lintas' own clusterer (:func:`lintas.cluster_pairs`) over the
    flagged pairs of ``pairs_path`` (their order does not matter), written to
    ``clusters_path`` as one JSON line a group, ``{"cluster": [ids…]}`` (largest first, ids
    sorted), as ``dedup --clusters`` prints them. Returns the number of groups. Pairs are few
    next to documents, so this runs on one machine."""
    a: list[str] = []
    b: list[str] = []
    score: list[float] = []
    with open(pairs_path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                if "a" in d:
                    a.append(str(d["a"]))
                    b.append(str(d["b"]))
                    score.append(float(d["score"]))
    groups = cluster_pairs(a, b, score)
    with open(clusters_path, "w", encoding="utf-8") as f:
        for g in groups:
            f.write(json.dumps({"cluster": g}, ensure_ascii=False))
            f.write("\n")
    return len(groups)


# --- the reference run ---------------------------------------------------------------------------


def _blocks(df: DataFrame, by: list[str], n: int) -> Iterable[DataFrame]:
    """``df`` split into ``n`` blocks by a hash of the ``by`` columns (an engine's shuffle)."""
    pd = _pd()
    h = pd.util.hash_pandas_object(df[by], index=False).to_numpy() % np.uint64(max(n, 1))
    for i in range(max(n, 1)):
        yield df[h == i]


def run_local(
    pool: "str | dict[str, list[Any]]",
    output: Optional[str] = None,
    *,
    verifier: str = "combined",
    partitions: int = 4,
    threads: int = 0,
    date_field: Optional[str] = None,
    max_days: Optional[int] = 3,
    warn: Optional[Callable[[str], None]] = None,
) -> DataFrame:
    """The whole recipe in one process with pandas, the shuffles simulated by splitting into
    ``partitions`` blocks: ``dedup``'s pairs (rows ``a_ord, b_ord, a, b, score, line``),
    written to ``output`` as dedup's JSONL when given. ``pool``: a JSONL path or
    :func:`read_pool` columns. A reference for the engine recipes and their tests.

    Publication dates, as ``dedup --date-field NAME --max-days N``: ``date_field`` reads them
    from a JSONL path; columns bring their own ``published`` column. Either way
    :func:`within_days` drops the pairs published more than ``max_days`` apart. ``warn``: as
    :func:`read_pool`'s, for the lines it skips or reads undated."""
    pd = _pd()
    if isinstance(pool, str):
        cols = read_pool(pool, date_field=date_field, warn=warn)
    elif date_field is not None:
        raise ValueError("date_field reads a JSONL path; columns bring a `published` column")
    else:
        cols = pool
    engine = Engine(verifier)
    ords = np.asarray(cols["ord"], dtype=np.int64)
    ids = list(cols["id"])
    # 2. fingerprints (map).
    fps = engine.fingerprints(ids, list(cols["title"]), list(cols["text"]), threads=threads)
    # 3. copy groups, frequencies over representatives in parts, merged.
    reps = representatives(ords, engine.copy_keys(fps))
    members = groups(ords, reps)
    is_rep = reps == ords
    rep_ords = ords[is_rep]
    by_ord = dict(zip(ords.tolist(), fps))
    rep_fps = [by_ord[o] for o in rep_ords.tolist()]
    freq = Frequencies()
    for i in range(max(partitions, 1)):
        freq.merge(Frequencies.from_bytes(partial_frequencies(rep_fps[i :: max(partitions, 1)])))
    # 4. keys, shuffle by (source, key), counts, shuffle by (a, b), candidate rule.
    rows = key_rows(engine, rep_ords, rep_fps, freq)
    parts = pd.concat([count_shared(b) for b in _blocks(rows, ["source", "key"], partitions)])
    cand = pd.concat(
        [candidates(engine, sum_shared(b)) for b in _blocks(parts, ["a", "b"], partitions)]
    )
    # 5. verify the candidates (earlier first), and each group of copies with itself.
    a, b = cand["a"].tolist(), cand["b"].tolist()
    flagged = verified(
        engine.verify([by_ord[x] for x in a], [by_ord[y] for y in b], freq, threads=threads),
        a,
        b,
    )
    own = own_pairs(engine, list(members), [by_ord[r] for r in members], freq)
    # 6. expansion to member pairs; output.
    pairs = expand(flagged, own, members, ids)
    if cols.get("published") is not None:
        pairs = within_days(pairs, cols["published"], max_days)
    if output is not None:
        write_pairs(output, pairs)
    return pairs
