"""Type stubs of the native module ``lintas._lintas`` (re-exported by ``lintas``)."""

import os
from typing import Literal, Optional, Sequence, Union, final

import numpy as np
import numpy.typing as npt

__all__ = [
    "LintasError",
    "Detector",
    "Index",
    "Engine",
    "Frequencies",
    "Match",
    "signatures",
    "band_keys",
    "detect_language",
    "clusters",
    "cluster_pairs",
    "parse_date",
    "__version__",
]
__version__: str

class LintasError(ValueError):
    """An error from the lintas library (invalid parameter, duplicate id, …), with its message."""

@final
class Match:
    """A flagged pair of documents; ``a`` was added before ``b``."""

    @property
    def a(self) -> str:
        """Id of the earlier document."""
    @property
    def b(self) -> str:
        """Id of the later document."""
    @property
    def score(self) -> float:
        """The decision score: by default the probability of the same event for an English or
        Indonesian pair of one language, else the overlap score (rarity-weighted Jaccard,
        containment-boosted, conflict-penalised)."""
    @property
    def threshold(self) -> float:
        """The threshold the score was compared with."""
    @property
    def cross_language(self) -> bool:
        """Whether the cross-language threshold applied."""
    @property
    def jaccard(self) -> float:
        """Exact rarity-weighted Jaccard of the two feature sets."""
    @property
    def containment(self) -> float:
        """Exact rarity-weighted containment of the smaller set in the larger."""
    @property
    def estimate(self) -> float:
        """MinHash estimate of the plain Jaccard similarity."""
    @property
    def explanation(self) -> list[tuple[str, str]]:
        """The strongest shared features as ``(kind, label)``; kind is ``"anchor"``,
        ``"concept"``, ``"pair"`` or ``"local"``."""
    @property
    def probability(self) -> float:
        """The event model's probability that the two documents report the same event."""
    @property
    def evidence(self) -> dict[str, float]:
        """The event evidence by name (overlap, lead overlap, specific coverage, conflicts)."""
    @property
    def contributions(self) -> dict[str, dict[str, float]]:
        """Evidence ``"for"`` and ``"against"`` the same event: contributions to the log-odds."""
    @property
    def shared(self) -> dict[str, int]:
        """Shared feature counts by kind."""
    def to_json(self) -> str:
        """The pair as one JSON line (no line end), exactly as ``dedup --output`` writes it."""

@final
class Detector:
    """Finds news articles about the same event, across languages.

    Keyword arguments override the corpus settings; invalid values raise :class:`LintasError`.
    ``verifier="combined"`` (the default) decides English and Indonesian pairs of one
    language by the probability of the same event and the others by the overlap score;
    ``"event"`` decides every pair by the probability (experimental; the thresholds are then
    probabilities), ``"overlap"`` by the overlap score. Two documents with publication dates
    more than ``max_days`` apart (default 3; ``None``: no window) are not a pair.
    """

    def __new__(
        cls,
        *,
        verifier: Optional[Literal["combined", "overlap", "event"]] = None,
        threshold: Optional[float] = None,
        cross_threshold: Optional[float] = None,
        num_hashes: Optional[int] = None,
        candidate_threshold: Optional[float] = None,
        max_days: Optional[int] = 3,
    ) -> "Detector": ...
    def add(
        self,
        id: str,
        text: str,
        *,
        title: Optional[str] = None,
        published: Optional[str] = None,
    ) -> list[Match]:
        """Analyses ``text`` (``title`` as the headline, when given), adds it under ``id``; its
        matches among earlier documents, strongest first. ``published`` (``YYYY-MM-DD``, or a
        timestamp opening with one) leaves out documents published more than ``max_days`` from
        it. Raises :class:`LintasError` when ``id`` was added before or ``published`` is not
        a date."""
    def add_many(
        self,
        ids: Sequence[str],
        texts: Sequence[str],
        titles: Optional[Sequence[Optional[str]]] = None,
        *,
        published: Optional[Sequence[Optional[str]]] = None,
        threads: int = 0,
    ) -> None:
        """Adds documents without matching them, as ``dedup`` does (analysed in parallel
        without the GIL, added in order); then call :meth:`pairs`. ``published`` gives each
        document's date (or ``None``), as :meth:`add` reads it. Nothing is added when an id is
        held already or repeats, or a date does not read (:class:`LintasError`)."""
    def set_published(self, id: str, published: Optional[str]) -> None:
        """Sets (``None``: clears) a held document's publication date: a pair of two dated
        documents published more than ``max_days`` apart is not reported. ``KeyError`` when
        ``id`` is not held, :class:`LintasError` when ``published`` is not a date."""
    def query(self, text: str) -> list[Match]:
        """Matches of ``text`` against the documents added so far, without adding it; in each,
        ``a`` is the held document and ``b`` is ``""`` (the query has no id)."""
    def pairs(self) -> list[Match]:
        """Every flagged pair, strongest first (scored with the final document frequencies)."""
    def clusters(self, pairs: Sequence[Match]) -> list[list[str]]:
        """Groups of ids about one event, from pairs already computed (e.g. by ``pairs()``)."""
    def score_pair(self, a: str, b: str) -> Optional[Match]:
        """The pair scored as ``pairs()`` scores it, flagged or not (``score`` against
        ``threshold``, ``evidence``, ``contributions``): why two documents are or are not a
        match. ``None`` when either has no features; ``KeyError`` when either id is not held."""
    def __contains__(self, id: str, /) -> bool: ...
    def __len__(self) -> int: ...

@final
class Index:
    """A corpus that outlives the process: a directory of checksummed, append-only segments.

    Opens the index in ``path`` as its writer (taking its lock), creating it when the directory
    holds none; ``verifier``, ``max_days`` (dated documents published further apart are not a
    pair; default 3, ``None``: no window) and ``keep_texts`` are a new index's settings and
    must match an existing one's. ``read_only=True`` opens it without the lock, as of its last
    save, with the settings it was created with. Leaving a
    ``with`` block closes it *without* saving: call :meth:`save` inside. Errors (a damaged file,
    another writer, other settings) raise :class:`LintasError`.
    """

    def __new__(
        cls,
        path: Union[str, "os.PathLike[str]"],
        *,
        verifier: Optional[Literal["combined", "overlap", "event"]] = None,
        keep_texts: bool = False,
        read_only: bool = False,
        max_days: Optional[int] = 3,
    ) -> "Index": ...
    def add(
        self,
        ids: Sequence[str],
        texts: Sequence[str],
        titles: Optional[Sequence[Optional[str]]] = None,
        *,
        published: Optional[Sequence[Optional[str]]] = None,
    ) -> list[Match]:
        """Adds a batch; its matches against everything indexed before and among itself.
        ``published`` (one date or ``None`` per document, as :meth:`Detector.add` reads it)
        is stored with the documents: two dated documents published more than ``max_days``
        apart are not a pair. Nothing is written until :meth:`save`."""
    def query(self, text: str, title: Optional[str] = None) -> list[Match]:
        """Matches of an article against the index, without adding it (``b`` is ``""``)."""
    def delete(self, ids: Sequence[str]) -> int:
        """Deletes documents by id; how many were indexed."""
    def expire_older_than(self, unix_secs: int) -> int:
        """Deletes every document added before ``unix_secs``; how many."""
    def save(self) -> None:
        """Writes what changed since the last save (crash-safe)."""
    def compact(self) -> None:
        """Rewrites the index as one segment without its deleted documents."""
    def close(self) -> None:
        """Releases the index and its lock without saving."""
    @property
    def generation(self) -> int:
        """The save count of the index on disk."""
    @property
    def has_unsaved_changes(self) -> bool:
        """Whether there are changes not saved yet."""
    def __len__(self) -> int: ...
    def __contains__(self, key: str, /) -> bool: ...
    def __enter__(self) -> "Index": ...
    def __exit__(self, ty: object, value: object, tb: object) -> bool: ...

def clusters(pairs: Sequence[Match]) -> list[list[str]]:
    """Groups of document ids about one event, from flagged pairs."""

def cluster_pairs(a: Sequence[str], b: Sequence[str], score: Sequence[float]) -> list[list[str]]:
    """Groups of ids about one event from flagged pairs as columns (``a[i]`` with ``b[i]`` at
    ``score[i]``), in any order: :func:`clusters` for pairs an engine computed or a file
    holds. Raises :class:`LintasError` when the columns' lengths differ."""

def detect_language(text: str) -> tuple[Optional[str], float]:
    """``(code, confidence)``: an ISO 639-1 code such as ``"en"`` or ``"id"``, or ``None``
    (confidence 0) when undetermined."""

def parse_date(text: str) -> int:
    """A publication date as every lintas path reads it (``YYYY-MM-DD``, alone or opening a
    timestamp such as ``2026-02-09T14:05:00+07:00``; the time of day is not read), as days
    since 1970-01-01: the ``published`` column of :func:`lintas.recipe.read_pool`. Raises
    :class:`LintasError` with the reason when ``text`` is not such a date."""

def signatures(
    texts: Sequence[str],
    num_hashes: int = 128,
    *,
    seed: Optional[int] = None,
    threads: int = 0,
) -> npt.NDArray[np.uint32]:
    """MinHash signatures, shape ``(len(texts), num_hashes)``, dtype ``uint32``.

    Equal to the Rust library's ``MinHasher`` sketch of ``Analyzer::new().analyze(text)
    .hashes()``. A text with no features gives a row of ``0xFFFFFFFF``. Runs without the GIL,
    in parallel (``threads=0``: every core).
    """

def band_keys(
    signatures: npt.NDArray[np.uint32],
    bands: int = 32,
    rows: int = 4,
    *,
    threads: int = 0,
) -> npt.NDArray[np.int64]:
    """LSH band keys, shape ``(n, bands)``, dtype ``int64``, of a 2-D ``uint32`` array with at
    least ``bands * rows`` columns (another dtype raises ``TypeError``; too few columns,
    :class:`LintasError`).

    Each key is the library's unsigned 64-bit ``LshParams::band_keys`` value **bit-cast** to
    ``int64`` (for Spark, Parquet and Arrow, which lack ``uint64``); ``keys.view(np.uint64)``
    gives the library's value back. Rows of an empty document (all ``0xFFFFFFFF``) get keys
    ``0``: drop them before grouping.
    """

@final
class Frequencies:
    """Mergeable global document frequencies (``lintas::Frequencies``): in how many documents
    (copy groups counted once) each feature occurs. Every score reads them.

    Build one part per partition with :meth:`build` (representatives only), :meth:`merge`
    the parts, broadcast :meth:`to_bytes`, decode once per worker process. Pickles through
    its bytes.
    """

    def __init__(self) -> None:
        """An empty table."""
    @staticmethod
    def build(fingerprints: Sequence[bytes], *, threads: int = 0) -> "Frequencies":
        """A table counting each fingerprint once (:class:`LintasError` on malformed bytes)."""
    def merge(self, other: "Frequencies") -> None:
        """Adds another part's counts to this one, in place."""
    def to_bytes(self) -> bytes:
        """The compact, checksummed binary form (magic ``LNTD``, version 2: documents, documents by language, frequencies)."""
    @staticmethod
    def from_bytes(data: bytes) -> "Frequencies":
        """Decodes :meth:`to_bytes` (:class:`LintasError` when cut, changed or of another
        version)."""
    @property
    def documents(self) -> int:
        """Documents counted."""
    def __len__(self) -> int:
        """Distinct features counted."""
    def __eq__(self, value: object, /) -> bool: ...

@final
class Engine:
    """The pair search as separate steps for a data engine that does the shuffle
    (``lintas::Engine``): exactly ``dedup``'s pairs and scores. See :mod:`lintas.recipe`.

    ``verifier``: ``"combined"`` (dedup's default), ``"overlap"`` or ``"event"``
    (``dedup --verifier overlap|event``).
    Picklable.
    """

    def __new__(cls, verifier: str = "combined") -> "Engine":
        """``verifier``: ``"combined"``, ``"overlap"`` or ``"event"`` (else :class:`LintasError`)."""
    @property
    def verifier(self) -> str:
        """The verifier: ``"combined"``, ``"overlap"`` or ``"event"``."""
    @property
    def bands(self) -> int:
        """LSH bands (band keys have sources ``0..bands``)."""
    def fingerprints(
        self,
        ids: Sequence[str],
        titles: Sequence[Optional[str]],
        texts: Sequence[str],
        *,
        threads: int = 0,
    ) -> list[bytes]:
        """Fingerprints (``bytes`` each): documents analysed exactly as ``dedup`` analyses
        a JSONL line, in parallel without the GIL (``threads=0``: every core)."""
    def copy_keys(self, fingerprints: Sequence[bytes], *, threads: int = 0) -> npt.NDArray[np.int64]:
        """Copy-group keys as ``int64`` (bit-cast ``u64``): equal non-zero keys are near-exact
        copies; 0 is a group of its own."""
    def ids(self, fingerprints: Sequence[bytes]) -> list[str]:
        """The ids of fingerprints."""
    def keys(
        self, fingerprints: Sequence[bytes], freq: Frequencies, *, threads: int = 0
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32], npt.NDArray[np.int64]]:
        """Candidate keys as flat arrays ``(doc, source, key)``: ``doc`` indexes
        ``fingerprints``; ``source`` is the band number, -1 rare, -2 headline/lead; ``key`` is
        the bit-cast ``u64``."""
    def is_candidate(
        self, bands: npt.ArrayLike, rare: npt.ArrayLike, lead: npt.ArrayLike
    ) -> npt.NDArray[np.bool_]:
        """The candidate rule element by element over shared-key counts."""
    def verify(
        self,
        a: Sequence[bytes],
        b: Sequence[bytes],
        freq: Frequencies,
        *,
        threads: int = 0,
    ) -> list[Optional[Match]]:
        """``a[i]`` (the earlier document) verified with ``b[i]``: a :class:`Match` when
        flagged, else ``None``. Without the GIL, in parallel."""
    def score(
        self,
        a: Sequence[bytes],
        b: Sequence[bytes],
        freq: Frequencies,
        *,
        threads: int = 0,
    ) -> list[Optional[Match]]:
        """Like :meth:`verify`, a :class:`Match` for every pair, flagged or not (``None``
        only for an empty document or incompatible signatures)."""
