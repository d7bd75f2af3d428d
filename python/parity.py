"""Every way of running lintas gives dedup's pairs: a parity check across paths.

    python python/parity.py --dedup target/release/examples/dedup [POOL.jsonl …] [--require-all]

For each pool (default: ../shared/eval/dev-en-id.jsonl, dev-independent.jsonl and
dev-multi.jsonl when present, else examples/data/sample.jsonl) it runs

* ``dedup``   — the Rust binary, ``dedup --input POOL --output X`` (the reference);
* ``detector``— ``lintas.Detector`` from Python (``add_many`` then ``pairs``);
* ``local``   — ``lintas.recipe.run_local``, the engine recipe with pandas;
* ``ray``     — ``python/recipes/ray_dedup.py`` (Ray Data, local; one Ray for all pools);
* ``spark``   — ``python/recipes/spark_dedup.py``'s job (PySpark, ``local[2]``; one session
  for all pools, run in a thread beside the other paths: its JVM mostly waits on small
  pools, so the two engines overlap),

and fails on any difference from dedup's pair set: the ids ``a``, ``b`` (in that order) and
the score rounded to 4 decimals. ``--dated POOL`` (repeatable) also checks a copy of POOL
with publication dates: every path reads them as ``dedup --date-field published`` does
(three days apart at most), so pairs published further apart must go from every path alike
(:func:`dated_copy` says what else the copy holds: every reader's edge cases).
``--parquet POOL`` (repeatable) checks a Parquet copy of POOL's dated copy
(:func:`parquet_copy`): ``dedup`` (built with the ``parquet`` feature) and every other path
read its rows alike. A path
whose engine is missing (ray or pyspark not importable, no ``java``, no recipe file) is
skipped with a message — a failure with
``--require-all``. Prints the pair count and wall time of every path on every pool.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path
from typing import Optional

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
POOLS = ["dev-en-id.jsonl", "dev-independent.jsonl", "dev-multi.jsonl"]
PATHS = ["dedup", "detector", "local", "ray", "spark"]

Pairs = dict[tuple[str, str], float]

#: The field a dated copy of a pool (``--dated``) holds its publication dates in.
DATE_FIELD = "published"


def dated_copy(pool: Path, out: Path) -> None:
    """A copy of ``pool`` with a publication date on its lines, from a hash of the line (so
    the same each run): a day of January 2026 on most, as a timestamp on one in five, none on
    one in ten and a value that is not a date on one in fifty (read as undated). The edges
    every reader must meet alike come too: a byte-order mark opening the file, CRLF endings,
    headline-only items, copies published ten days later (one group for the engines, not a
    pair), numeric and float ids, a repeated id, and lines Python's json reads but dedup's
    serde_json does not (``NaN``, a number out of range, an escaped lone surrogate). Lines
    that are not JSON objects are copied as they are."""
    import json

    with open(pool, encoding="utf-8") as f, open(out, "w", encoding="utf-8", newline="") as g:
        g.write("\ufeff")
        for line in f:
            try:
                obj = json.loads(line)
            except ValueError:
                obj = None
            if not isinstance(obj, dict):
                g.write(line)
                continue
            h = zlib.crc32(line.encode("utf-8"))
            k = h % 100  # picks the edge case this line carries, if any
            day = date(2026, 1, 1) + timedelta(days=h % 31)
            if h % 50 == 7:
                obj[DATE_FIELD] = "last Tuesday"
            elif h % 10 == 3:
                obj.pop(DATE_FIELD, None)
            elif h % 5 == 1:
                obj[DATE_FIELD] = f"{day.isoformat()}T23:30:00-05:00"
            else:
                obj[DATE_FIELD] = day.isoformat()
            if k == 11 and obj.get("title"):
                obj.pop("text", None)
            end = "\r\n" if k == 21 else "\n"
            g.write(json.dumps(obj, ensure_ascii=h % 2 == 0) + end)
            if k == 12 and "id" in obj:
                late = (day + timedelta(days=10)).isoformat()
                g.write(json.dumps({**obj, "id": f"{obj['id']}~late", DATE_FIELD: late}) + "\n")
            elif k == 31:
                g.write('{"id": NaN, "text": "Not JSON for serde_json."}\n')
            elif k == 32:
                g.write('{"id": "%d~surrogate", "text": "lone \\ud800 surrogate"}\n' % h)
            elif k == 33:
                g.write('{"id": "%d~huge", "text": "x", "n": 1e400}\n' % h)
            elif k == 34:
                # Numeric ids: an integer and a float (serde_json's text for it, not repr's).
                rest = json.dumps({f: v for f, v in obj.items() if f != "id"})[1:]
                g.write(f'{{"id": {h}, {rest}\n')
                g.write(f'{{"id": {h}e-12, {rest}\n')
            elif k == 35 and "id" in obj:
                g.write(json.dumps({"id": obj["id"], "text": "a repeated id"}) + "\n")


def parquet_copy(pool: Path, out: Path) -> None:
    """A Parquet copy of ``pool`` (with pyarrow): a row for each line that is a JSON object
    (others are dropped: Parquet has no malformed line), in order, in row groups of 500. ``id``
    as strings (a numeric id as its JSON text), ``title`` as strings, ``text`` as binary (UTF-8
    bytes, as older writers leave it), ``lang`` dictionary-encoded, and ``published`` a date
    column: the line's date where it reads as one, null elsewhere (a timestamp's local day is
    the date it opens with, as ``Date::parse`` reads it). Repeated ids, headline-only rows and
    null fields stay as they are."""
    import json

    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
    import pyarrow.parquet as pq  # type: ignore[import-untyped, unused-ignore]

    import lintas

    cols: dict[str, list[object]] = {k: [] for k in ("id", "title", "text", "lang", DATE_FIELD)}
    with open(pool, "rb") as f:
        for raw in f:
            try:
                obj = json.loads(raw.decode("utf-8-sig"))
            except ValueError:
                continue
            if not isinstance(obj, dict):
                continue
            v = obj.get("id")
            cols["id"].append(v if isinstance(v, str) or v is None else json.dumps(v))
            cols["title"].append(obj.get("title") if isinstance(obj.get("title"), str) else None)
            text = obj.get("text")
            cols["text"].append(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else None)
            cols["lang"].append(obj.get("lang") if isinstance(obj.get("lang"), str) else None)
            try:
                day = lintas.parse_date(obj[DATE_FIELD])
            except (KeyError, TypeError, lintas.LintasError):
                day = None
            cols[DATE_FIELD].append(day)
    table = pa.table({
        "id": pa.array(cols["id"], pa.string()),
        "title": pa.array(cols["title"], pa.string()),
        "text": pa.array(cols["text"], pa.binary()),
        "lang": pa.array(cols["lang"], pa.string()).dictionary_encode(),
        DATE_FIELD: pa.array(cols[DATE_FIELD], pa.date32()),
    })
    pq.write_table(table, out, row_group_size=500)


def iso_day(days: Optional[int]) -> Optional[str]:
    """Days since 1970-01-01 (``lintas.parse_date``) as ``YYYY-MM-DD``."""
    return None if days is None else (date(1970, 1, 1) + timedelta(days=days)).isoformat()


def default_pools() -> list[Path]:
    shared = REPO.parent / "shared" / "eval"
    found = [shared / p for p in POOLS if (shared / p).exists()]
    return found or [REPO / "examples" / "data" / "sample.jsonl"]


def missing_engine(path: str) -> Optional[str]:
    """Why an engine path cannot run here, or None."""
    if path in ("ray", "spark") and importlib.util.find_spec("pandas") is None:
        return "pandas is not installed"
    if path == "ray":
        if importlib.util.find_spec("ray") is None:
            return "ray is not installed (pip install 'ray[data]')"
        if not (HERE / "recipes" / "ray_dedup.py").exists():
            return "python/recipes/ray_dedup.py is missing"
    if path == "spark":
        if not (HERE / "recipes" / "spark_dedup.py").exists():
            return "python/recipes/spark_dedup.py is missing"
        if importlib.util.find_spec("pyspark") is None:
            return "pyspark is not installed (pip install pyspark)"
        if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
            return "java is not installed (apt-get install openjdk-17-jre-headless)"
    return None


def compare(want: Pairs, got: Pairs) -> list[str]:
    """The differences of ``got`` from ``want`` (first 10 of each kind)."""
    out = []
    missing = sorted(k for k in want if k not in got)
    extra = sorted(k for k in got if k not in want)
    scores = sorted(k for k in want if k in got and got[k] != want[k])
    for name, ks in [("missing", missing), ("extra", extra)]:
        if ks:
            out.append(f"{len(ks)} {name}: {ks[:10]}")
    if scores:
        out.append(
            f"{len(scores)} with another score: "
            + ", ".join(f"{k}: {got[k]} (dedup {want[k]})" for k in scores[:10])
        )
    return out


def load_recipe(name: str):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(name, HERE / "recipes" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class SparkRunner:
    """The Spark path: every pool's job in one SparkSession, on a thread of its own, so that
    the JVM starts once and Spark works while the other paths run."""

    def __init__(self, verifier: str, work: Path) -> None:
        self.verifier, self.work = verifier, work
        self.mod = load_recipe("spark_dedup")
        self.spark = None
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="spark")

    def submit(self, pool: Path, out: Path, date_field: Optional[str]) -> "Future[float]":
        return self.pool.submit(self._run, pool, out, date_field)

    def _run(self, pool: Path, out: Path, date_field: Optional[str]) -> float:
        if self.spark is None:
            # Spark's Python workers run the interpreter that has lintas installed.
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
            t = time.perf_counter()
            self.spark = self.mod.start_session(local_dir=str(self.work / "spark-local"))
            print(f"parity: spark session {time.perf_counter() - t:.1f} s", file=sys.stderr)
        argv = ["--input", str(pool), "--output", str(out), "--quiet"]
        argv += ["--verifier", self.verifier, "--work-dir", str(self.work / pool.stem)]
        if date_field:
            argv += ["--date-field", date_field]
        t = time.perf_counter()
        rc = self.mod.run(self.mod.parser().parse_args(argv), spark=self.spark)
        if rc != 0:
            raise RuntimeError(f"spark_dedup exited with {rc}")
        return time.perf_counter() - t

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        if self.spark is not None:
            self.spark.stop()


def main(argv: Optional[list[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("pools", nargs="*", type=Path, help="JSONL pools (default: the dev pools)")
    p.add_argument(
        "--dedup",
        type=Path,
        default=REPO / "target" / "release" / "examples" / "dedup",
        help="the dedup binary (cargo build --release -p lintas-examples --example dedup)",
    )
    p.add_argument("--paths", default=",".join(PATHS), help="paths to run, comma-separated")
    p.add_argument("--verifier", choices=["combined", "overlap", "event"], default="combined")
    p.add_argument("--partitions", type=int, default=4, help="shuffle blocks of the recipes")
    p.add_argument("--require-all", action="store_true", help="a missing engine fails")
    p.add_argument(
        "--engine-min-docs",
        type=int,
        default=0,
        help="run ray and spark only on pools of at least this many documents (their start-up "
        "dominates a tiny pool; the other paths and tests/engine.rs still cover it)",
    )
    p.add_argument("--keep", type=Path, default=None, help="keep the pair files here")
    p.add_argument(
        "--dated",
        type=Path,
        action="append",
        default=[],
        help="also check a copy of this pool with publication dates (every path reading them "
        "as dedup --date-field does); repeatable",
    )
    p.add_argument(
        "--parquet",
        type=Path,
        action="append",
        default=[],
        help="also check a Parquet copy of this pool's dated copy (dedup built with the parquet "
        "feature); repeatable",
    )
    a = p.parse_args(argv)

    import lintas
    from lintas import recipe

    pools = a.pools or default_pools()
    paths = [x for x in a.paths.split(",") if x]
    if "dedup" not in paths:
        paths.insert(0, "dedup")
    if not a.dedup.exists():
        print(f"parity: FAIL: no dedup binary at {a.dedup}", file=sys.stderr)
        return 1
    skips: dict[str, str] = {}
    for path in paths:
        why = missing_engine(path)
        if why:
            skips[path] = why
    tmp = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="lintas-parity-"))
    tmp.mkdir(parents=True, exist_ok=True)
    # The dated copies are pools of their own, read with --date-field.
    fields: dict[Path, str] = {}
    for pool in a.dated:
        copy = tmp / f"{pool.stem}-dated.jsonl"
        dated_copy(pool, copy)
        pools.append(copy)
        fields[copy] = DATE_FIELD
    for pool in a.parquet:
        dated = tmp / f"{pool.stem}-dated-for-parquet.jsonl"
        dated_copy(pool, dated)
        # Its own stem: every output file and Spark work directory is named by the stem.
        copy = tmp / f"{pool.stem}-dated-parquet.parquet"
        parquet_copy(dated, copy)
        pools.append(copy)
        fields[copy] = DATE_FIELD
    # Output files and Spark's work directories are named by a pool's stem: one each.
    stems = [pool.stem for pool in pools]
    if len(set(stems)) != len(stems):
        print(f"parity: FAIL: pools with the same file stem: {sorted(stems)}", file=sys.stderr)
        return 1
    ray_mod = None
    spark: Optional[SparkRunner] = None
    spark_jobs: dict[Path, "Future[float]"] = {}
    failures: list[str] = []
    rows: list[tuple[str, str, str, str, str]] = []

    def run_path(path: str, pool: Path, out: Path) -> None:
        nonlocal ray_mod
        field = fields.get(pool)
        # What the pandas and Ray recipes take alike.
        engine_args = {"verifier": a.verifier, "partitions": a.partitions, "date_field": field}
        if path == "dedup":
            cmd = [str(a.dedup), "--input", str(pool), "--output", str(out), "--quiet"]
            if a.verifier != "combined":
                cmd += ["--verifier", a.verifier]
            if field:
                cmd += ["--date-field", field]
            subprocess.run(cmd, check=True)
        elif path == "detector":
            cols = recipe.read_pool(str(pool), warn=lambda m: None, date_field=field)
            d = lintas.Detector(verifier=a.verifier)
            published = [iso_day(x) for x in cols["published"]] if field else None
            d.add_many(cols["id"], cols["text"], cols["title"], published=published)
            with open(out, "w", encoding="utf-8") as f:
                for m in d.pairs():
                    f.write(m.to_json() + "\n")
        elif path == "local":
            recipe.run_local(str(pool), str(out), **engine_args, warn=lambda m: None)
        elif path == "ray":
            if ray_mod is None:
                ray_mod = load_recipe("ray_dedup")
                t = time.perf_counter()
                ray_mod.init_ray()
                print(f"parity: ray.init {time.perf_counter() - t:.1f} s", file=sys.stderr)
            ray_mod.run(str(pool), str(out), **engine_args, quiet=True)

    sizes = {}
    for pool in pools:
        if pool.suffix == ".parquet":
            import pyarrow.parquet as pq

            sizes[pool] = pq.ParquetFile(pool).metadata.num_rows
            continue
        with open(pool, encoding="utf-8") as f:
            sizes[pool] = sum(1 for line in f if line.strip())
    # The minimum never leaves the engines without a pool (the sample alone runs them).
    engine_min = a.engine_min_docs if max(sizes.values()) >= a.engine_min_docs else 0
    if "spark" in paths and "spark" not in skips:
        # Queued now: Spark works through the pools while the other paths run.
        spark = SparkRunner(a.verifier, tmp)
        for pool in pools:
            if sizes[pool] >= engine_min:
                spark_jobs[pool] = spark.submit(
                    pool, tmp / f"{pool.stem}.spark.jsonl", fields.get(pool)
                )
    try:
        for pool in pools:
            want: Optional[Pairs] = None
            want_groups = ""
            docs = sizes[pool]
            for path in paths:
                if path in skips:
                    rows.append((pool.name, path, "-", "-", "SKIP: " + skips[path]))
                    continue
                if path in ("ray", "spark") and docs < engine_min:
                    why = f"{docs} documents < --engine-min-docs {engine_min}"
                    rows.append((pool.name, path, "-", "-", "not run: " + why))
                    continue
                out = tmp / f"{pool.stem}.{path}.jsonl"
                t = time.perf_counter()
                try:
                    if path == "spark":
                        secs = spark_jobs[pool].result()  # its own run time, not the wait
                    else:
                        run_path(path, pool, out)
                        secs = time.perf_counter() - t
                    got = recipe.read_pairs(str(out))
                except Exception as e:  # noqa: BLE001 - reported as this path's failure
                    secs = time.perf_counter() - t
                    rows.append((pool.name, path, "-", f"{secs:.1f}", f"ERROR: {e}"))
                    failures.append(f"{pool.name} {path}: {e}")
                    continue
                # Every path ends with lintas' clusterer over its pairs file.
                groups_file = tmp / f"{pool.stem}.{path}.clusters.jsonl"
                recipe.write_clusters(str(out), str(groups_file))
                groups = groups_file.read_text(encoding="utf-8")
                if want is None:
                    want, want_groups = got, groups
                    status = "reference"
                else:
                    diff = compare(want, got)
                    if not diff and groups != want_groups:
                        diff = ["the same pairs but other clusters"]
                    status = "same" if not diff else "DIFFERENT: " + "; ".join(diff)
                    if diff:
                        failures.append(f"{pool.name} {path}: " + "; ".join(diff))
                rows.append((pool.name, path, str(len(got)), f"{secs:.1f}", status))
                print(f"parity: {pool.name:24} {path:9} {len(got):6} pairs {secs:7.1f} s  {status}",
                      file=sys.stderr, flush=True)
    finally:
        if spark is not None:
            spark.close()
    if ray_mod is not None:
        import ray

        ray.shutdown()
    print(f"{'pool':24} {'path':9} {'pairs':>6} {'secs':>7}  status")
    for r in rows:
        print(f"{r[0]:24} {r[1]:9} {r[2]:>6} {r[3]:>7}  {r[4]}")
    if not a.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    if skips and a.require_all:
        for path, why in skips.items():
            failures.append(f"{path} skipped under --require-all: {why}")
    if failures:
        print("parity: FAIL", file=sys.stderr)
        for failure in failures:
            print(f"  {failure}", file=sys.stderr)
        return 1
    ran = sorted({r[1] for r in rows if not r[4].startswith("SKIP")})
    print(f"parity: OK — {', '.join(ran)} give the same pairs on {len(pools)} pool(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
