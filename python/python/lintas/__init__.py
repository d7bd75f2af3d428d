"""lintas: cross-language near-duplicate detection for news.

Finds articles about the same event even when one is English and the other Indonesian
(and 15 more languages), with language-aware features, MinHash and LSH — no neural model.

* :class:`Detector` — text in, explained :class:`Match` es out.
* :class:`Index` — a corpus that outlives the process (a directory): add a day's batch, get
  its matches against everything indexed before, delete, expire, save.
* :func:`signatures` / :func:`band_keys` — batch functions for pipelines (Spark, Ray, Dask):
  a list of texts to a ``uint32`` signature matrix, signatures to ``int64`` LSH band keys.
* :class:`Engine` and :class:`Frequencies` — the pair search as separate steps for a data
  engine that does the shuffle (Spark, Ray): exactly ``dedup``'s pairs and scores.
  :mod:`lintas.recipe` holds the steps every engine shares and a pandas reference run;
  ``python/recipes/`` the Spark and Ray recipes.
* :func:`detect_language`, :func:`clusters`, :func:`parse_date` (a publication date as
  days since 1970-01-01); errors raise :class:`LintasError`
  (a ``ValueError``) with the library's message.
"""

from ._lintas import (
    Detector,
    Index,
    Engine,
    Frequencies,
    LintasError,
    Match,
    __version__,
    band_keys,
    cluster_pairs,
    clusters,
    detect_language,
    parse_date,
    signatures,
)

__all__ = [
    "Detector",
    "Index",
    "Engine",
    "Frequencies",
    "LintasError",
    "Match",
    "__version__",
    "band_keys",
    "cluster_pairs",
    "clusters",
    "detect_language",
    "parse_date",
    "signatures",
]
