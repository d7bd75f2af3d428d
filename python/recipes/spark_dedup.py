#!/usr/bin/env python3
"""lintas on PySpark: `dedup --input X.jsonl --output pairs.jsonl`, with Spark doing the shuffle.

    python python/recipes/spark_dedup.py --input corpus.jsonl --output pairs.jsonl \\
        [--master local[2]] [--partitions N] [--verifier combined|overlap|event] \\
        [--date-field NAME [--max-days N|none]]

Writes the same pairs, in the same orientation and with the same scores, as
`dedup --input corpus.jsonl --output pairs.jsonl` (checked on the bundled sample, the three dev
pools and a 200,000-document synthetic corpus). It runs the steps of `lintas::Engine`
(src/matching/engine.rs), each one a Spark stage:

1. **Read** the JSONL on the executors (`textFile` + `zipWithIndex`): `ord` is the input line
   order; ids are the user's, never the engine's. Lines are read as `dedup` reads them
   (`lintas::jsonl`): blank lines skipped, malformed lines reported and skipped, a repeated id
   reported and its later document skipped. With `--date-field NAME`, each document's
   publication date is read from that field as `dedup --date-field` reads it (a value that
   is not a date is reported and the document kept undated). A Parquet input (told by its
   first bytes) is read a row group per task by `lintas.recipe.ParquetRows`, as `read_pool`
   and `dedup --input X.parquet` read it (its columns checked before Spark starts); `ord` is
   the row's index in the file.
2. **Fingerprint** with an Arrow `pandas_udf` (`Engine.fingerprints`, a binary column, plus
   `Engine.copy_keys`), written once to Parquet in the work directory so analysis runs once.
3. **Copy groups**: documents with the same non-zero copy key are one group; its first
   document by `ord` represents it. Only representatives go on.
4. **Document frequencies, one global pass**: a partial `Frequencies` per partition,
   merged with `treeReduce`, broadcast as bytes and decoded once per Python worker process.
5. **Keys**: `Engine.keys` explodes each representative into `(source, key, ord)` rows
   (32 LSH bands, rare features, rare headline/lead features).
6. **Self-join on (source, key)** with `a.ord < b.ord`, count shared keys per source
   (band / rare / lead) per pair, keep candidates with `Engine.is_candidate`.
7. **Verify** candidates (`Engine.verify`, the earlier document first, in batches); only
   candidate pairs get fingerprints back (`--verify`, below). A copy group's own pairs are
   the representative verified with itself.
8. **Expand** flagged pairs of representatives to every pair of their groups' members (the
   earlier document first), leave out pairs of two dated documents published more than
   `--max-days` (3) days apart (with `--date-field`, as `dedup`), sort by the later
   document's order, strongest first, and write JSONL lines exactly as `dedup` does
   (`Match.to_json`, ids substituted for members).

Cost and limits (see python/recipes/README-spark.md for figures measured on 2 cores):

* Spark moves each fingerprint (~4.7 KB: features with labels and the 128-value signature)
  through the fingerprint, copy-group and verify stages. Verification needs both fingerprints
  of a pair, two ways (`--verify auto` picks by what they move):
  `join` attaches both to every candidate row (2 x candidates x fingerprint size: fine when
  candidates per document are few); `blocks` puts representatives in K blocks by ord and runs
  one cogroup task per pair of blocks with the pairs between them and both blocks'
  fingerprints (K x all fingerprints moved, 2/K of them in one task's memory; K defaults to
  one block per 128 MB of fingerprints, at least two cells per core). Pools where a language
  floods the bands (dev-multi: 483k candidate pairs for 3,660 documents; the 200k synthetic
  corpus: 1.86M) take the blocks.
* The self-join is quadratic in a bucket's size: a (source, key) shared by n documents makes
  n(n-1)/2 join rows in one task. `--max-bucket N` drops buckets of more than N documents
  before the join. It is **off by default** because it changes the pairs (a pair found only
  in a dropped bucket is lost): parity with `dedup` holds only without it.
* The document-frequency table is built on executors but merged on the driver and broadcast:
  12 bytes a distinct feature (tens of MB for a few hundred thousand documents). Flagged pairs
  are expanded in Spark and streamed to the driver (`toLocalIterator`) only to write the one
  sorted output file.
* Ordering needs one global sort of the flagged pairs; `--clusters FILE` then runs lintas'
  own clusterer over the pairs written, on the driver (pairs are few next to documents).
* Settings: `--verifier` only (dedup's `--threshold`, `--use-lang-field`, lexicons are not
  exposed by the bindings' Engine yet).

Needs: Java 17+, `pip install pyspark pyarrow "pandas<3" numpy` and the lintas wheel in the
same Python the executors use (on a cluster, ship a venv with `--archives`, see
../shared/DISTRIBUTED.md).
"""

import argparse
import os
import shutil
import sys
import tempfile
import time

# ---------------------------------------------------------------------------------------------
# Executor-side helpers. Everything engine-independent comes from lintas.recipe (shared with
# the Ray recipe and the pandas reference run). The cached Engine and Frequencies live there
# (importable on every worker, so they last as long as the worker process), not in this
# script's globals, which cloudpickle ships by value with every task.
# ---------------------------------------------------------------------------------------------


def _engine(verifier: str):
    """One lintas.Engine per Python worker process."""
    from lintas.recipe import cached_engine

    return cached_engine(verifier)


def _row(n, read):
    """A line or row as read_pool reads it (``(object, problem, date)``) to the tuple
    (ord, id, title, text, problem, published, bad_date): a malformed one keeps its problem
    (reported, then dropped); ``published`` is the date in days since 1970 (None when missing
    or not a date: then ``bad_date`` says why)."""
    from lintas import recipe

    obj, problem, (days, bad) = read
    if problem is not None:
        return (n, None, None, None, problem, None, None)
    return (n, recipe._id_of(obj["id"]), obj.get("title"), obj.get("text") or "", None, days, bad)


def _parse_partition(rows, date_field=None):
    """Lines (bytes, 0-based line index) to ``_row``'s tuples, blank lines skipped. Repeated
    ids are found later, across partitions."""
    from lintas import recipe

    for raw, n in rows:
        read = recipe._line_row(raw, n == 0, date_field)
        if read is not None:
            yield _row(n, read)


def _lintas_error(text: str):
    """The message of the last ``LintasError`` in an error's text (Spark's, with a worker's
    traceback), or None."""
    mark = "LintasError: "
    at = text.rfind(mark)
    if at < 0:
        return None
    # The message runs to the line that closes the traceback or Spark's next frame.
    lines = text[at + len(mark):].splitlines()
    end = next((i for i, l in enumerate(lines) if not l.strip() or l.startswith("\tat ")), len(lines))
    return " ".join(l.strip() for l in lines[:end]) or None


def _parquet_partition(path, groups, date_field=None):
    """Row groups of a Parquet file to ``_row``'s tuples (``ord`` the 0-based row index),
    read by ``lintas.recipe.ParquetRows`` as read_pool reads them."""
    from lintas import recipe

    reader = recipe.ParquetRows(path, date_field)
    for g in groups:
        for n, read in enumerate(reader.rows([g]), reader.group_starts[g]):
            yield _row(n, read)


# ---------------------------------------------------------------------------------------------
# The job.
# ---------------------------------------------------------------------------------------------


def _default_partitions(path: str, cores: int) -> int:
    size = os.path.getsize(path)
    return max(2 * cores, -(-size // (32 << 20)))


def _cores(master: str) -> int:
    if master.startswith("local[") and master.endswith("]"):
        n = master[6:-1]
        return os.cpu_count() or 2 if n == "*" else max(1, int(n))
    return os.cpu_count() or 2


def start_session(master="local[2]", *, partitions=4, driver_memory="2g", batch=2048, local_dir=None):
    """The SparkSession the job runs in (the JVM starts here: most of a small pool's time).

    ``run`` makes one per input unless it is given one: a caller with several inputs (e.g.
    python/parity.py) starts one and passes it to every ``run``, then stops it."""
    from pyspark.sql import SparkSession

    b = (
        SparkSession.builder.master(master)
        .appName("lintas-dedup")
        .config("spark.driver.memory", driver_memory)
        .config("spark.sql.shuffle.partitions", str(partitions))
        .config("spark.default.parallelism", str(partitions))
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", str(batch))
        .config("spark.sql.adaptive.enabled", "true")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
    )
    if local_dir:
        b = b.config("spark.local.dir", local_dir)
    spark = b.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def run(args, spark=None) -> int:
    """The job on ``args`` (``parser()``'s options). In ``spark`` when given (left running;
    its ``spark.sql.shuffle.partitions`` is set to this input's), else in a session of its
    own, stopped at the end."""
    t0 = time.time()
    say = (lambda *a: None) if args.quiet else (
        lambda *a: print(f"spark_dedup: [{time.time() - t0:6.1f} s]", *a, file=sys.stderr, flush=True)
    )
    from lintas import recipe

    try:
        date_field, max_days = recipe.date_options(args.date_field, args.max_days)
    except ValueError as e:
        print(f"spark_dedup: {e}", file=sys.stderr)
        return 2
    inp = os.path.abspath(args.input)
    if not os.path.isfile(inp):
        print(f"spark_dedup: cannot open {args.input}", file=sys.stderr)
        return 1
    with open(inp, "rb") as f:
        head = f.read(4)
    parquet = None
    if head == recipe.PARQUET_MAGIC:
        # Its columns are checked here, before Spark starts; the executors read row groups.
        try:
            parquet = recipe.ParquetRows(inp, date_field)
        except recipe.LintasError as e:
            print(f"spark_dedup: {e}", file=sys.stderr)
            return 1
    gzipped = head[:2] == recipe.GZIP_MAGIC
    if gzipped and not inp.endswith(".gz"):
        # Spark decompresses by the file's name (Hadoop's codecs); dedup by its bytes.
        print(f"spark_dedup: {args.input} is gzip: name it *.gz for Spark to read it", file=sys.stderr)
        return 1
    if os.path.exists(args.output) and os.path.samefile(args.output, inp):
        print(f"spark_dedup: --output {args.output} is also the input", file=sys.stderr)
        return 1
    # Created before any work, as dedup does: an unwritable path fails at once.
    out = open(args.output, "w", encoding="utf-8")

    from pyspark.sql import Window
    from pyspark.sql import functions as F
    from pyspark.sql import types as T
    import pandas as pd
    from lintas.recipe import cached_frequencies, relabel, verified

    cores = _cores(args.master)
    parts = args.partitions or _default_partitions(inp, cores)
    work = args.work_dir or tempfile.mkdtemp(prefix="lintas-spark-")
    os.makedirs(work, exist_ok=True)
    verifier, threads = args.verifier, args.threads

    own_session = spark is None
    if own_session:
        spark = start_session(
            args.master, partitions=parts, driver_memory=args.driver_memory, batch=args.batch,
            local_dir=os.path.join(work, "spark-local"),
        )
    else:
        spark.conf.set("spark.sql.shuffle.partitions", str(parts))
    sc = spark.sparkContext
    bc = None
    try:
        # 1. Read: ord = 0-based line (or Parquet row) index, in input order.
        if parquet is None:
            unit, where = "line", lambda o: f"{args.input}:{o + 1}"
            lines = sc.textFile("file://" + inp if args.master.startswith("local") else args.input,
                                minPartitions=parts, use_unicode=False).zipWithIndex()
            read = lines.mapPartitions(lambda rows: _parse_partition(rows, date_field))
        else:
            # Row groups in parallel, each read by recipe.ParquetRows on an executor (the path
            # must be readable there, as textFile's is); ord from the groups' first rows.
            unit, where = "row", lambda o: f"{args.input}: row {o + 1}"
            n_groups = len(parquet.group_rows)
            groups_rdd = sc.parallelize(range(n_groups), max(min(n_groups, parts), 1))
            read = groups_rdd.mapPartitions(lambda gs: _parquet_partition(inp, gs, date_field))
        parsed_schema = T.StructType([
            T.StructField("ord", T.LongType(), False),
            T.StructField("id", T.StringType(), True),
            T.StructField("title", T.StringType(), True),
            T.StructField("text", T.StringType(), True),
            T.StructField("problem", T.StringType(), True),
            T.StructField("published", T.IntegerType(), True),
            T.StructField("bad_date", T.StringType(), True),
        ])
        parsed = spark.createDataFrame(read, parsed_schema)

        # 2. Fingerprints: an Arrow pandas_udf, written once to Parquet.
        @F.pandas_udf("fp binary, copy_key long")
        def fingerprint(ids: pd.Series, titles: pd.Series, texts: pd.Series) -> pd.DataFrame:
            e = _engine(verifier)
            tl = [t if isinstance(t, str) else None for t in titles]
            fps = e.fingerprints(ids.tolist(), tl, texts.tolist(), threads=threads)
            return pd.DataFrame({"fp": fps, "copy_key": e.copy_keys(fps, threads=threads)})

        fp_path = os.path.join(work, "fingerprints.parquet")
        (
            parsed.select(
                "ord", "id", "problem", "published", "bad_date",
                # Malformed lines (problem set) are fingerprinted as empty documents (cheap):
                # a Python UDF is evaluated on every row even under F.when.
                fingerprint(
                    F.coalesce("id", F.lit("")), "title", F.coalesce("text", F.lit(""))
                ).alias("s"),
            )
            .select("ord", "id", "problem", "published", "bad_date", "s.fp", "s.copy_key")
            .write.mode("overwrite").parquet(fp_path)
        )
        table = spark.read.parquet(fp_path)
        say("read and fingerprinted", fp_path)

        bad = table.where(F.col("problem").isNotNull())
        n_bad = bad.count()
        for r in bad.orderBy("ord").limit(20).collect():
            print(f"spark_dedup: {where(r.ord)}: skipped: {r.problem}", file=sys.stderr)
        ok = table.where(F.col("problem").isNull()).select(
            "ord", "id", "fp", "copy_key", "published", "bad_date"
        )
        # A repeated id: the later document is skipped (reported), as dedup does.
        first = Window.partitionBy("id").orderBy("ord")
        dup = (
            ok.select("ord", "id", F.min("ord").over(first).alias("first"))
            .where(F.col("ord") != F.col("first"))
        )
        n_dup = dup.count()
        for r in dup.orderBy("ord").limit(20).collect():
            print(
                f"spark_dedup: {where(r.ord)}: skipped: id {r.id!r} repeats {unit} {r.first + 1}",
                file=sys.stderr,
            )
        if n_bad + n_dup > 0:
            print(f"spark_dedup: {n_bad} malformed {unit}(s), {n_dup} repeated id(s) skipped",
                  file=sys.stderr)
            ok = ok.join(dup.select("ord"), "ord", "left_anti")
        if date_field is not None:
            # Reported as dedup reports them: the first 20, then how many in all.
            undated = ok.where(F.col("bad_date").isNotNull())
            n_undated = undated.count()
            for r in undated.orderBy("ord").limit(20).collect():
                print(f"spark_dedup: {where(r.ord)}: matched undated: {r.bad_date}",
                      file=sys.stderr)
            if n_undated > 20:
                print(f"spark_dedup: … and {n_undated - 20} more unreadable dates", file=sys.stderr)
            if n_undated:
                print(f"spark_dedup: {n_undated} document(s) with an unreadable `{date_field}` "
                      "were matched undated", file=sys.stderr)

        # 3. Copy groups: representative = min ord per non-zero copy key.
        groups = (
            ok.where(F.col("copy_key") != 0)
            .groupBy("copy_key")
            .agg(F.min("ord").alias("rep"), F.count(F.lit(1)).alias("size"))
            .where(F.col("size") > 1)
        )
        docs = (
            ok.join(groups, "copy_key", "left")
            .select(
                "ord", "id", "fp", "published",
                F.coalesce("rep", "ord").alias("rep"),
                F.coalesce("size", F.lit(1)).alias("size"),
            )
        )
        docs_path = os.path.join(work, "docs.parquet")
        docs.write.mode("overwrite").parquet(docs_path)
        docs = spark.read.parquet(docs_path)
        reps = docs.where(F.col("ord") == F.col("rep")).select("ord", "fp", "size")
        n_docs = docs.count()
        say(f"{n_docs} documents, copy groups done")

        # 4. Document frequencies: one partial per partition, merged, broadcast.
        def partial(batches):
            import lintas

            f = lintas.Frequencies()
            for b in batches:
                if len(b):
                    f.merge(lintas.Frequencies.build(b["fp"].tolist(), threads=threads))
            yield pd.DataFrame({"part": [f.to_bytes()]})

        def merge(x: bytes, y: bytes) -> bytes:
            import lintas

            f = lintas.Frequencies.from_bytes(x)
            f.merge(lintas.Frequencies.from_bytes(y))
            return f.to_bytes()

        freq_bytes = (
            reps.select("fp").mapInPandas(partial, "part binary")
            .rdd.map(lambda r: bytes(r[0]))
            .treeReduce(merge, depth=2)
        )
        bc = sc.broadcast(freq_bytes)
        say(f"document frequencies: {len(freq_bytes) / 1e6:.1f} MB broadcast")

        # 5. Keys of representatives: (source, key, ord).
        def keys(batches):
            e, freq = _engine(verifier), cached_frequencies(bc.value)
            for b in batches:
                doc, source, key = e.keys(b["fp"].tolist(), freq, threads=threads)
                yield pd.DataFrame({"source": source, "key": key, "ord": b["ord"].to_numpy()[doc]})

        keys_path = os.path.join(work, "keys.parquet")
        reps.select("ord", "fp").mapInPandas(keys, "source int, key long, ord long") \
            .write.mode("overwrite").parquet(keys_path)
        rows = spark.read.parquet(keys_path)
        if args.max_bucket:
            big = rows.groupBy("source", "key").count().where(F.col("count") > args.max_bucket)
            rows = rows.join(big.select("source", "key"), ["source", "key"], "left_anti")

        # 6. Self-join on (source, key), shared keys per column, the candidate rule.
        x, y = rows.alias("x"), rows.alias("y")
        hits = x.join(
            y,
            (F.col("x.source") == F.col("y.source"))
            & (F.col("x.key") == F.col("y.key"))
            & (F.col("x.ord") < F.col("y.ord")),
        ).select(F.col("x.ord").alias("a"), F.col("y.ord").alias("b"), F.col("x.source").alias("source"))
        counts = hits.groupBy("a", "b").agg(
            F.sum(F.when(F.col("source") >= 0, 1).otherwise(0)).alias("bands"),
            F.sum(F.when(F.col("source") == -1, 1).otherwise(0)).alias("rare"),
            F.sum(F.when(F.col("source") == -2, 1).otherwise(0)).alias("lead"),
        )

        @F.pandas_udf("boolean")
        def is_candidate(bands: pd.Series, rare: pd.Series, lead: pd.Series) -> pd.Series:
            e = _engine(verifier)
            return pd.Series(e.is_candidate(bands.to_numpy(), rare.to_numpy(), lead.to_numpy()))

        cand_path = os.path.join(work, "candidates.parquet")
        counts.where(is_candidate("bands", "rare", "lead")).select("a", "b") \
            .write.mode("overwrite").parquet(cand_path)
        cand = spark.read.parquet(cand_path)
        n_cand = cand.count()
        say(f"{n_cand} candidate pairs of representatives")

        # 7. Verify (the earlier document first); a group's own pairs are its representative
        # with itself. Two ways to bring fingerprints to pairs, picked by what they move:
        # * join: each candidate row gets both fingerprints (2 x candidates x fp size);
        # * blocks: representatives fall in K blocks by ord; a cell (i <= j) gets the pairs
        #   between blocks i and j and the fingerprints of both blocks, cogrouped (K x all
        #   representatives' fingerprints, 2/K of them in memory per cell).
        # Floods of candidates (dev-multi: 132 a document) want blocks; sparse ones the join.
        own = reps.where(F.col("size") > 1).select(F.col("ord").alias("a"), F.col("ord").alias("b"))
        pairs_ab = cand.select("a", "b").unionByName(own)
        n_reps, fp_bytes = reps.agg(F.count(F.lit(1)), F.sum(F.length("fp"))).first()
        fp_bytes = fp_bytes or 0
        k = args.verify_blocks
        if k == 0:
            k = max(-(-fp_bytes // (128 << 20)), 2)
            while k * (k + 1) // 2 < 2 * cores:
                k += 1
        use_blocks = args.verify == "blocks" or (args.verify == "auto" and 2 * n_cand > k * n_reps)
        flagged_path = os.path.join(work, "flagged.parquet")
        schema_v = "a long, b long, score double, line string"
        if use_blocks:
            say(f"verify: {k} blocks ({k * (k + 1) // 2} cells, fingerprints moved {k}x)")
            blk = lambda c: F.pmod(c, F.lit(k))  # noqa: E731
            cell = lambda x, y: F.least(x, y) * k + F.greatest(x, y)  # noqa: E731
            pc = pairs_ab.select("a", "b", cell(blk("a"), blk("b")).alias("cell"))
            fc = (
                reps.select("ord", "fp", blk("ord").alias("i"))
                .crossJoin(spark.range(k).select(F.col("id").alias("j")))
                .select("ord", "fp", cell(F.col("i"), F.col("j")).alias("cell"))
            )

            def verify_cell(pairs, fps):
                empty = pd.DataFrame({
                    "a": pd.Series([], dtype="int64"), "b": pd.Series([], dtype="int64"),
                    "score": pd.Series([], dtype="float64"), "line": pd.Series([], dtype=object),
                })
                if len(pairs) == 0:
                    return empty
                e, freq = _engine(verifier), cached_frequencies(bc.value)
                by_ord = dict(zip(fps["ord"].tolist(), fps["fp"].tolist()))
                a, b = pairs["a"].to_numpy(), pairs["b"].to_numpy()
                out = []
                # Big batches: Engine.verify decodes each distinct fingerprint once a call.
                step = max(args.batch, 16384)
                for s0 in range(0, len(a), step):
                    xa, xb = a[s0:s0 + step], b[s0:s0 + step]
                    ms = e.verify([by_ord[x] for x in xa.tolist()], [by_ord[y] for y in xb.tolist()],
                                  freq, threads=threads)
                    v = verified(ms, xa, xb)
                    if len(v):
                        out.append(v)
                return pd.concat(out, ignore_index=True) if out else empty

            flagged_df = pc.groupBy("cell").cogroup(fc.groupBy("cell")).applyInPandas(verify_cell, schema_v)
        else:
            say("verify: fingerprints joined to each candidate")
            fa = reps.select(F.col("ord").alias("a"), F.col("fp").alias("fa"))
            fb = reps.select(F.col("ord").alias("b"), F.col("fp").alias("fb"))
            to_verify = pairs_ab.join(fa, "a").join(fb, "b").select("a", "b", "fa", "fb")

            def verify(batches):
                e, freq = _engine(verifier), cached_frequencies(bc.value)
                for b in batches:
                    ms = e.verify(b["fa"].tolist(), b["fb"].tolist(), freq, threads=threads)
                    v = verified(ms, b["a"].to_numpy(), b["b"].to_numpy())
                    if len(v):  # an empty frame's `line` column is float64, which Arrow refuses
                        yield v

            flagged_df = to_verify.mapInPandas(verify, schema_v)
        flagged_df.write.mode("overwrite").parquet(flagged_path)
        flagged = spark.read.parquet(flagged_path)
        say(f"{flagged.count()} flagged pairs of representatives (and copy groups)")

        # 8. Expand to the groups' members, earlier document first, in dedup's order: by the
        # later representative; its group's own pairs first (by later, then earlier member);
        # then its matches strongest first, ties by the earlier representative's id, each
        # expanded member of the earlier group by member of the later group.
        members = docs.select("ord", "id", "rep", "published")
        mx = members.select(F.col("rep").alias("a"), F.col("ord").alias("xo"), F.col("id").alias("xi"),
                            F.col("published").alias("xp"))
        my = members.select(F.col("rep").alias("b"), F.col("ord").alias("yo"), F.col("id").alias("yi"),
                            F.col("published").alias("yp"))
        rep_id = docs.select(F.col("ord").alias("a"), F.col("id").alias("a_id"))
        own_pair = F.col("a") == F.col("b")
        member_pairs = (
            flagged.join(rep_id, "a").join(mx, "a").join(my, "b")
            .where(~own_pair | (F.col("xo") < F.col("yo")))
        )
        if date_field is not None and max_days is not None:
            # Two dated members published more than --max-days apart are not a pair (an
            # undated one is: a comparison with null is null, hence the explicit test).
            member_pairs = member_pairs.where(
                F.col("xp").isNull() | F.col("yp").isNull()
                | (F.abs(F.col("xp") - F.col("yp")) <= F.lit(max_days))
            )
        pairs = (
            member_pairs
            .select(
                F.least("xo", "yo").alias("ao"),
                F.greatest("xo", "yo").alias("bo"),
                F.when(F.col("xo") < F.col("yo"), F.col("xi")).otherwise(F.col("yi")).alias("ai"),
                F.when(F.col("xo") < F.col("yo"), F.col("yi")).otherwise(F.col("xi")).alias("bi"),
                F.col("b").alias("k0"),
                F.when(own_pair, 0).otherwise(1).alias("k1"),
                "score", "a_id",
                F.when(own_pair, F.col("yo")).otherwise(F.col("xo")).alias("k2"),
                F.when(own_pair, F.col("xo")).otherwise(F.col("yo")).alias("k3"),
                "line",
            )
            .orderBy("k0", "k1", F.col("score").desc(), "a_id", "k2", "k3")
        )
        n = 0
        for r in pairs.toLocalIterator(prefetchPartitions=True):
            out.write(relabel(r.line, r.ai, r.bi))
            out.write("\n")
            n += 1
        out.close()
        say(f"{n_docs} documents, {n} flagged pairs -> {args.output}")
    except Exception as e:  # noqa: BLE001 - only lintas' own errors are reported as such
        # A LintasError raised on an executor (a damaged Parquet page) reaches the driver
        # inside Spark's error, with the worker's traceback: reported as dedup reports it.
        why = _lintas_error(str(e))
        if why is None:
            raise
        out.close()
        print(f"spark_dedup: {why}", file=sys.stderr)
        return 1
    finally:
        if own_session:
            spark.stop()
        elif bc is not None:
            bc.destroy()  # the session goes on: free this input's table on the executors
        if not args.keep_work and not args.work_dir:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def parser() -> argparse.ArgumentParser:
    """The command's options (``run`` takes what it parses)."""
    p = argparse.ArgumentParser(
        prog="spark_dedup",
        description="lintas dedup on PySpark: the same pairs as `dedup --input X --output Y`.",
    )
    p.add_argument("--input", required=True, help="JSONL: id and text required, title optional")
    p.add_argument("--output", required=True, help="pairs JSONL, one flagged pair a line, as dedup writes")
    p.add_argument("--master", default="local[2]", help="Spark master (default local[2])")
    p.add_argument("--partitions", type=int, default=0,
                   help="input and shuffle partitions (default: 2 per core, at least one per 32 MB of input)")
    p.add_argument("--verifier", default="combined", choices=["combined", "overlap", "event"])
    p.add_argument("--threads", type=int, default=1,
                   help="lintas threads per Spark task (default 1: Spark runs one task per core)")
    p.add_argument("--batch", type=int, default=2048, help="Arrow batch size (rows) for the UDFs")
    p.add_argument("--driver-memory", default="2g", help="spark.driver.memory (local mode: all of Spark's JVM)")
    p.add_argument("--verify", default="auto", choices=["auto", "join", "blocks"],
                   help="how fingerprints reach candidate pairs (default auto: blocks when candidates "
                        "per document exceed half the block count)")
    p.add_argument("--verify-blocks", type=int, default=0,
                   help="blocks for --verify blocks (default: one per 128 MB of fingerprints, "
                        "at least enough for two cells per core)")
    p.add_argument("--max-bucket", type=int, default=0,
                   help="drop (source, key) buckets of more than N documents before the self-join; "
                        "OFF by default: it loses pairs, so the output no longer equals dedup's")
    p.add_argument("--work-dir", help="where intermediate Parquet goes (default: a temporary directory, removed)")
    p.add_argument("--keep-work", action="store_true", help="keep the temporary work directory")
    p.add_argument("--clusters", default=None,
                   help='also write groups about one event (lintas\' clusterer over the pairs written, '
                        'on the driver), one {"cluster": [ids]} line a group')
    p.add_argument("--date-field", default=None,
                   help="read publication dates (YYYY-MM-DD…) from this field and leave out pairs "
                   "published more than --max-days apart (as dedup --date-field)")
    p.add_argument("--max-days", default=None,
                   help="with --date-field: days apart still reported (default 3; none: keep every pair)")
    p.add_argument("--quiet", action="store_true")
    return p


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    rc = run(args)
    if rc == 0 and args.clusters:
        from lintas.recipe import write_clusters

        write_clusters(args.output, args.clusters)
    return rc


if __name__ == "__main__":
    sys.exit(main())
