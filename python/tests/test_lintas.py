"""Tests of the Python package against the library's behaviour and pinned values."""

import json
import threading

import numpy as np
import pytest

import lintas

EN = (
    "Floods in Semarang killed eight people on Monday and forced 12,000 residents "
    "from their homes, the disaster agency BNPB said."
)
ID = (
    "Banjir di Semarang menewaskan delapan orang pada Senin dan memaksa 12.000 warga "
    "mengungsi, kata BNPB."
)
OTHER = "The central bank kept its benchmark rate at 5.25 percent on Wednesday."

# The same values as tests/golden.rs `text_signature_and_band_keys_are_pinned` (the Rust
# library on the same text): update both together.
EN_SIGNATURE_HEAD = [
    3420196027, 2192580986, 3857609287, 683841301, 3790548116, 683841301, 1824571387, 2192580986,
]
EN_BAND_KEYS_HEAD_U64 = [13432495942771403040, 15260060303019025994, 14447409936436669275]


def test_readme_sample_pair_is_flagged():
    d = lintas.Detector()
    assert d.add("en-1", EN) == []
    assert d.add("en-2", OTHER) == []
    found = d.add("id-1", ID)
    assert len(found) == 1
    m = found[0]
    assert (m.a, m.b) == ("en-1", "id-1")
    assert m.cross_language
    assert m.score >= m.threshold
    assert 0.0 < m.jaccard <= 1.0 and 0.0 <= m.containment <= 1.0
    assert ("anchor", "ent:SEMARANG") in m.explanation
    assert all(kind in {"anchor", "concept", "pair", "local"} for kind, _ in m.explanation)
    assert m.shared["anchor"] >= 1
    assert len(d) == 3
    assert "en-1" in repr(m)
    # The event evidence and its probability ride along with every match.
    assert 0.0 <= m.probability <= 1.0
    assert m.evidence["cross_language"] == 1.0 and m.evidence["jaccard"] > 0.0
    assert set(m.contributions) == {"for", "against"}
    assert all(c > 0 for c in m.contributions["for"].values())
    # The event verifier decides by that probability, against its own threshold.
    e = lintas.Detector(verifier="event")
    e.add("en-1", EN)
    e.add("en-2", OTHER)
    found = e.add("id-1", ID)
    assert len(found) == 1 and found[0].score == found[0].probability >= found[0].threshold
    with pytest.raises(lintas.LintasError, match="verifier"):
        lintas.Detector(verifier="neural")


def test_query_pairs_clusters():
    d = lintas.Detector()
    d.add("en", EN)
    d.add("other", OTHER)
    q = d.query(ID)
    assert [m.a for m in q] == ["en"]
    assert len(d) == 2  # query does not add
    d.add("id", ID)
    pairs = d.pairs()
    assert [(p.a, p.b) for p in pairs] == [("en", "id")]
    assert d.clusters(pairs) == [["en", "id"]]
    assert lintas.clusters(pairs) == [["en", "id"]]
    assert d.clusters([]) == []


def test_score_pair_explains_a_pair_flagged_or_not():
    d = lintas.Detector()
    d.add("en", EN)
    d.add("other", OTHER)
    d.add("id", ID)
    assert "en" in d and "nope" not in d
    flagged = d.score_pair("en", "id")
    (p,) = d.pairs()
    assert (flagged.a, flagged.b, flagged.score) == (p.a, p.b, p.score)
    assert flagged.score >= flagged.threshold
    # Not flagged: scored all the same, under its threshold, with its evidence.
    m = d.score_pair("other", "id")
    assert m is not None and m.score < m.threshold
    assert m.cross_language and "jaccard" in m.evidence
    with pytest.raises(KeyError, match="nope"):
        d.score_pair("en", "nope")


def test_signatures_shape_dtype_and_pinned_values():
    s = lintas.signatures([EN, ID, OTHER])
    assert isinstance(s, np.ndarray)
    assert s.dtype == np.uint32 and s.shape == (3, 128)
    assert s[0, :8].tolist() == EN_SIGNATURE_HEAD


def test_signatures_are_deterministic_and_thread_count_independent():
    texts = [EN, ID, OTHER] * 50
    a = lintas.signatures(texts, threads=1)
    b = lintas.signatures(texts)
    assert np.array_equal(a, b)
    assert np.array_equal(a[0], a[3])


def test_signature_size_and_seed():
    s = lintas.signatures([EN], num_hashes=256)
    assert s.shape == (1, 256)
    assert not np.array_equal(lintas.signatures([EN], seed=42), lintas.signatures([EN]))


def test_empty_text_gives_max_row_and_zero_keys():
    s = lintas.signatures(["", "   ", EN])
    assert (s[0] == 0xFFFFFFFF).all() and (s[1] == 0xFFFFFFFF).all()
    k = lintas.band_keys(s)
    assert (k[0] == 0).all() and (k[2] != 0).all()
    assert lintas.signatures([]).shape == (0, 128)


def test_band_keys_bit_cast_and_pinned():
    s = lintas.signatures([EN, ID, EN])
    k = lintas.band_keys(s)
    assert k.dtype == np.int64 and k.shape == (3, 32)
    assert k[0, :3].view(np.uint64).tolist() == EN_BAND_KEYS_HEAD_U64
    assert np.array_equal(k[0], k[2])  # equal signatures, equal keys
    assert not np.array_equal(k[0], k[1])
    assert (k < 0).any()  # values >= 2^63 arrive as negative int64, not as an OverflowError


def test_band_keys_other_shapes_and_layouts():
    s = lintas.signatures([EN, ID, OTHER])
    assert lintas.band_keys(s, bands=16, rows=8).shape == (3, 16)
    # A non-contiguous view gives the same keys as its contiguous copy.
    wide = lintas.signatures([EN, ID, OTHER], num_hashes=256)
    view = wide[:, ::2]
    assert np.array_equal(lintas.band_keys(view), lintas.band_keys(np.ascontiguousarray(view)))


def test_detect_language():
    code, conf = lintas.detect_language(ID)
    assert code == "id" and 0.0 < conf <= 1.0
    assert lintas.detect_language(EN)[0] == "en"
    assert lintas.detect_language("") == (None, 0.0)


def test_errors_are_lintas_errors_with_the_library_message():
    assert issubclass(lintas.LintasError, ValueError)
    d = lintas.Detector()
    d.add("a", EN)
    with pytest.raises(lintas.LintasError, match="duplicate document id `a`"):
        d.add("a", ID)
    with pytest.raises(lintas.LintasError, match="invalid parameter `num_hashes`"):
        lintas.signatures([EN], num_hashes=0)
    with pytest.raises(lintas.LintasError, match="must be at least bands × rows"):
        lintas.band_keys(lintas.signatures([EN], num_hashes=64))
    with pytest.raises(lintas.LintasError, match="invalid parameter `bands`"):
        lintas.band_keys(lintas.signatures([EN]), bands=0)
    with pytest.raises(lintas.LintasError):
        lintas.Detector(threshold=2.0)


def test_batch_calls_release_the_gil():
    # Another Python thread makes progress while a batch call runs.
    texts = [EN, ID, OTHER] * 400
    ticks = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(1)

    t = threading.Thread(target=tick)
    t.start()
    try:
        before = len(ticks)
        lintas.signatures(texts, threads=1)
        during = len(ticks) - before
    finally:
        stop.set()
        t.join()
    assert during > 0


def test_readme_example_runs(capsys):
    # The README's "From Python" example, run as written (when the repository is at hand).
    import pathlib
    import re

    readme = pathlib.Path(__file__).resolve().parents[2] / "README.md"
    if not readme.exists():
        pytest.skip("README.md not found next to python/")
    section = readme.read_text(encoding="utf-8").split("## From Python", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    exec(compile(code, str(readme), "exec"), {})
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "en id 0.703 True"
    assert out[2] == "[['en', 'id']]"
    assert out[-1] == "duplicate document id `en`"


# --- the engine API (lintas.Engine, lintas.Frequencies) and lintas.recipe ---

SAMPLE = __import__("pathlib").Path(__file__).resolve().parents[2] / "examples/data/sample.jsonl"


def _engine_docs():
    ids = ["en-1", "en-2", "id-1", "copy", "empty"]
    titles = [None, None, "Banjir di Semarang", None, None]
    texts = [EN, OTHER, ID, EN, "   "]
    return ids, titles, texts


def test_engine_fingerprints_copy_keys_and_frequencies():
    e = lintas.Engine()
    assert e.verifier == "combined" and e.bands == 32
    ids, titles, texts = _engine_docs()
    fps = e.fingerprints(ids, titles, texts)
    assert all(isinstance(f, bytes) and f[:4] == b"LNTP" for f in fps)
    assert e.ids(fps) == ids
    assert fps == e.fingerprints(ids, titles, texts, threads=1)
    ck = e.copy_keys(fps)
    assert ck.dtype == np.int64 and ck.shape == (5,)
    assert ck[0] == ck[3] != 0  # the same text: one copy group
    assert ck[4] == 0  # an empty document is a group of its own
    assert len(set(ck[:3].tolist())) == 3
    f = lintas.Frequencies.build(fps[:3])
    assert f.documents == 3 and len(f) > 0
    g = lintas.Frequencies.build(fps[:1])
    g.merge(lintas.Frequencies.build(fps[1:3]))
    assert g == f and g.documents == 3
    assert lintas.Frequencies.from_bytes(f.to_bytes()) == f
    assert f.to_bytes()[:4] == b"LNTD"
    assert lintas.Frequencies().documents == 0 and len(lintas.Frequencies()) == 0
    import pickle

    assert pickle.loads(pickle.dumps(f)) == f
    assert pickle.loads(pickle.dumps(e)).verifier == "combined"
    assert "documents=3" in repr(f)


def test_engine_keys_candidates_and_verify():
    e = lintas.Engine()
    ids, titles, texts = _engine_docs()
    fps = e.fingerprints(ids, titles, texts)
    reps = fps[:3] + fps[4:]  # the copy is represented by en-1
    freq = lintas.Frequencies.build(reps)
    doc, source, key = e.keys(reps, freq)
    assert doc.dtype == np.int64 and source.dtype == np.int32 and key.dtype == np.int64
    assert len(doc) == len(source) == len(key) > 0
    assert set(doc.tolist()) == {0, 1, 2}  # the empty document has no key
    assert (source[doc == 0] >= 0).sum() == 32  # one key per band
    assert set(source.tolist()) <= set(range(32)) | {-1, -2}
    # en-1 and id-1 share keys; the rule keeps them.
    rows = {}
    for d, s, k in zip(doc.tolist(), source.tolist(), key.tolist()):
        rows.setdefault((s, k), set()).add(d)
    shared = [0, 0, 0]
    for (s, _), ds in rows.items():
        if {0, 2} <= ds:
            shared[0 if s >= 0 else 1 if s == -1 else 2] += 1
    assert e.is_candidate([shared[0]], [shared[1]], [shared[2]]).tolist() == [True]
    got = e.is_candidate(np.array([1, 0, 0, 0]), [0, 2, 0, 1], np.array([0, 0, 2, 1], np.int32))
    assert got.dtype == np.bool_ and got.tolist() == [True, True, True, False]
    with pytest.raises(lintas.LintasError, match="items"):
        e.is_candidate([1], [1, 2], [0])
    ms = e.verify([reps[0], reps[0], reps[0]], [reps[2], reps[1], reps[3]], freq)
    assert ms[1] is None and ms[2] is None
    m = ms[0]
    assert m is not None and (m.a, m.b) == ("en-1", "id-1") and m.cross_language
    line = m.to_json()
    assert line.startswith('{"a":"en-1","b":"id-1","')
    assert __import__("json").loads(line)["score"] == round(m.score, 4)
    # score gives unflagged pairs too.
    s = e.score([reps[0]], [reps[1]], freq)[0]
    assert s is not None and s.score < s.threshold
    with pytest.raises(lintas.LintasError, match="items"):
        e.verify([reps[0]], [], freq)
    assert lintas.Engine("event").verify([reps[0]], [reps[2]], freq)[0] is not None
    with pytest.raises(lintas.LintasError, match="verifier"):
        lintas.Engine("neural")


def test_engine_refuses_malformed_bytes_with_the_library_message():
    e = lintas.Engine()
    fp = e.fingerprints(["a"], [None], [EN])[0]
    freq = lintas.Frequencies.build([fp])
    damaged = bytearray(fp)
    damaged[len(fp) // 2] ^= 1
    for bad, what in [(fp[:10], "fingerprint"), (bytes(damaged), "checksum"), (b"", "fingerprint")]:
        for call in (
            lambda: e.copy_keys([fp, bad]),
            lambda: e.keys([bad], freq),
            lambda: e.verify([fp], [bad], freq),
            lambda: lintas.Frequencies.build([bad]),
            lambda: e.ids([bad]),
        ):
            with pytest.raises(lintas.LintasError, match=what):
                call()
    fb = freq.to_bytes()
    with pytest.raises(lintas.LintasError, match="frequencies"):
        lintas.Frequencies.from_bytes(fb[:-3])
    v = bytearray(fb)
    v[4] = 99
    with pytest.raises(lintas.LintasError, match="version 99"):
        lintas.Frequencies.from_bytes(bytes(v))
    with pytest.raises(TypeError):
        e.copy_keys(["not bytes"])  # type: ignore[list-item]


def test_detector_add_many_and_titles():
    d = lintas.Detector()
    d.add_many(["en", "other", "id"], [EN, OTHER, ID], [None, None, "Banjir di Semarang"])
    assert len(d) == 3
    assert [(p.a, p.b) for p in d.pairs()] == [("en", "id")]
    with pytest.raises(lintas.LintasError):
        d.add_many(["en"], [EN])
    with pytest.raises(lintas.LintasError, match="items"):
        d.add_many(["x", "y"], [EN])
    assert d.add("t", EN, title="Floods in Semarang")[0].a == "en"


def test_publication_dates_leave_out_pairs_published_far_apart():
    d = lintas.Detector()
    d.add("en", EN, published="2026-02-09T22:00:00-05:00")
    # A year later: not the same event; the next day: the same.
    assert d.add("id-later", ID, published="2027-02-10") == []
    assert [m.a for m in d.add("id", ID, published="2026-02-10")] == ["en"]
    assert ("en", "id-later") not in {(m.a, m.b) for m in d.pairs()}
    d.set_published("id-later", None)
    assert ("en", "id-later") in {(m.a, m.b) for m in d.pairs()}
    with pytest.raises(KeyError):
        d.set_published("nobody", "2026-02-10")
    with pytest.raises(lintas.LintasError, match="published"):
        d.set_published("en", "10/02/2026")
    with pytest.raises(lintas.LintasError, match="published"):
        d.add("x", EN, published="2026-02-30")
    assert "x" not in d
    many = lintas.Detector()
    many.add_many(["en", "id", "id-later"], [EN, ID, ID],
                  published=["2026-02-09", "2026-02-10", "2027-02-10"])
    assert {(m.a, m.b) for m in many.pairs()} == {("en", "id")}
    with pytest.raises(lintas.LintasError):
        many.add_many(["a", "b"], [EN, ID], published=["2026-02-09"])
    assert len(many) == 3


def test_the_window_of_publication_days_is_a_setting():
    """max_days: 3 by default, a wider window, None for none; bad values raise."""
    dates = ["2026-02-01", "2026-02-06", "2026-03-20"]  # 5 and 47 days apart

    def pairs(**kw):
        d = lintas.Detector(**kw)
        d.add_many(["en", "id", "id-late"], [EN, ID, ID], published=dates)
        return {(m.a, m.b) for m in d.pairs() if m.a == "en"}

    assert pairs() == set()
    assert pairs(max_days=3) == set()
    assert pairs(max_days=7) == {("en", "id")}
    assert pairs(max_days=None) == {("en", "id"), ("en", "id-late")}
    assert lintas.Detector(max_days=0).add("x", EN, published="2026-02-01") == []
    for bad in (-1, 2**32):
        with pytest.raises(lintas.LintasError, match="max_days"):
            lintas.Detector(max_days=bad)


def test_recipe_read_pool_like_dedup(tmp_path):
    from lintas import recipe

    p = tmp_path / "pool.jsonl"
    p.write_bytes(
        b'{"id": 1, "text": "one", "lang": "en"}\n'
        b"\n"
        b'{"id": "x", "text": "two", "title": "T"}\n'
        b'{"id": "1", "text": "repeat"}\n'
        b"not json\n"
        b'{"id": "y"}\n'
        b'{"id": true, "text": "bool id"}\n'
        b'{"id": "z", "text": "t", "title": 3}\n'
        b'{"id": "w", "text": "\xff"}\n'
        b'{"id": 2.5, "text": "float id", "title": null}\n'
        b'{"id": "h", "title": "Headline only", "text": null}\n'
        b'{"id": "h2", "title": ""}\n'
    )
    warned = []
    cols = recipe.read_pool(str(p), warn=warned.append)
    assert cols["id"] == ["1", "x", "2.5", "h"]
    assert cols["ord"] == [0, 1, 2, 3]
    assert cols["title"] == [None, "T", None, "Headline only"]
    assert cols["text"] == ["one", "two", "float id", ""]
    assert len(warned) == 7
    assert "missing `text`" in warned[-1] and ":12:" in warned[-1]
    assert "duplicate id" in warned[0] and ":4:" in warned[0]
    with pytest.raises(lintas.LintasError, match="duplicate"):
        recipe.read_pool(str(p), strict=True)


def test_recipe_read_pool_reads_gzip_and_a_byte_order_mark_like_dedup(tmp_path):
    import gzip

    from lintas import recipe

    body = b'{"id": "a", "text": "one"}\r\n{"id": "b", "text": "two"}\n'
    want = recipe.read_pool(_write(tmp_path / "plain.jsonl", body))
    assert want["id"] == ["a", "b"]
    # A byte-order mark opens the file (Windows tools write one): not content.
    assert recipe.read_pool(_write(tmp_path / "bom.jsonl", recipe.BOM + body)) == want
    # gzip, by its bytes whatever the name; two members are one stream.
    two = gzip.compress(body[:27]) + gzip.compress(body[27:])
    for name, data in [("a.jsonl.gz", gzip.compress(body)), ("two.jsonl", two)]:
        assert recipe.read_pool(_write(tmp_path / name, data)) == want, name
    # A cut or damaged stream is an error, not a shorter pool.
    whole = gzip.compress(body * 200)
    flipped = bytearray(whole)
    flipped[len(whole) // 2] ^= 0x55
    for name, data in [("cut.gz", whole[: len(whole) // 2]), ("flip.gz", bytes(flipped))]:
        with pytest.raises(lintas.LintasError, match="read error after line"):
            recipe.read_pool(_write(tmp_path / name, data), warn=lambda m: None)


def _write(path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


def test_recipe_read_pool_reads_json_as_serde_json_does(tmp_path):
    """Python's json is laxer than dedup's serde_json; read_pool holds to serde_json: NaN,
    a number out of range and an escaped lone surrogate (which would fail in the engine: not
    UTF-8) make a line not JSON, and a number id reads as serde_json writes it."""
    import os
    import subprocess

    from lintas import recipe

    text = "Banjir besar di Kota Semarang menewaskan delapan orang pada Senin."
    ids = ["1e-5", "1.5e-7", "1e16", "1e3", "100.0", "-0.0", "123456789012345678901234567890",
           "18446744073709551615", "-9223372036854775808", "0.1", "2.5e-10", "7",
           "12345678901234567.0"]  # a tie: the nearest double is ...568, not ...566
    good = [f'{{"id": {i}, "text": "{text}"}}' for i in ids]
    bad = [
        '{"id": NaN, "text": "x"}',
        '{"id": "inf", "text": "x", "meta": {"n": -Infinity}}',
        '{"id": "big", "text": "x", "meta": [1e400]}',
        '{"id": "sur", "text": "Banjir \\ud800 di Semarang"}',
        '{"id": "sur2", "text": "x", "meta": {"\\udc00": 1}}',
    ]
    pair = '{"id": "pair", "text": "emoji \\ud83d\\ude00 pair"}'  # a pair of surrogates is one
    path = _write(tmp_path / "numbers.jsonl", "\n".join(good + bad + [pair]).encode() + b"\n")
    warned = []
    cols = recipe.read_pool(path, warn=warned.append)
    assert cols["id"] == ["0.00001", "1.5e-7", "1e+16", "1000.0", "100.0", "-0.0",
                          "1.2345678901234568e+29", "18446744073709551615",
                          "-9223372036854775808", "0.1", "2.5e-10", "7",
                          "1.2345678901234568e+16", "pair"]
    assert cols["text"][-1] == "emoji \U0001f600 pair"
    assert len(warned) == len(bad) and all("not JSON" in w for w in warned), warned
    dedup = os.environ.get("LINTAS_DEDUP")
    if dedup:
        # Every good line is a copy of the others: dedup's pairs name every id it read.
        out = subprocess.run([dedup, "--input", path, "--quiet"], check=True,
                             capture_output=True, text=True)
        seen = {x for line in out.stdout.splitlines() for x in
                (json.loads(line)["a"], json.loads(line)["b"])}
        assert seen == set(cols["id"][:-1])
        # The same lines skipped, by number.
        skipped = lambda lines: sorted(x.split(": skipped")[0].rsplit(":", 1)[1]
                                       for x in lines if ": skipped" in x)
        assert skipped(out.stderr.splitlines()) == skipped(warned) == ["14", "15", "16", "17", "18"]
        assert f"{len(bad)} malformed line(s) skipped, {len(good) + 1} document(s) read" in out.stderr


def test_recipe_representatives_groups_relabel():
    from lintas import recipe

    ords = np.array([0, 1, 2, 3, 4, 5])
    keys = np.array([7, 0, -3, 7, 0, 7])
    reps = recipe.representatives(ords, keys)
    assert reps.tolist() == [0, 1, 2, 0, 4, 0]
    assert recipe.groups(ords, reps) == {0: [0, 3, 5]}
    # Order of the input does not matter, only ords.
    perm = np.array([5, 3, 0, 2, 1, 4])
    assert recipe.representatives(ords[perm], keys[perm]).tolist() == reps[perm].tolist()
    line = '{"a":"x","b":"y","score":0.5}'
    assert recipe.relabel(line, "p", "q\u00e9") == '{"a":"p","b":"q\u00e9","score":0.5}'


def test_recipe_run_local_gives_the_detector_pairs(tmp_path):
    """The pandas reference recipe on the sample with copies and an empty document gives the
    Detector's pairs (dedup's), same scores, oriented by input order."""
    import json

    pytest.importorskip("pandas")
    from lintas import recipe

    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    first, third = json.loads(lines[0]), json.loads(lines[2])
    lines.append(json.dumps({**first, "id": "copy-of-first"}))
    lines.append(json.dumps({"id": "empty", "text": "  "}))
    lines.append(json.dumps({**first, "id": "second-copy-of-first"}))
    lines.append(json.dumps({**third, "id": "copy-of-third"}))
    pool = tmp_path / "pool.jsonl"
    pool.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "pairs.jsonl"
    got = recipe.run_local(str(pool), str(out), partitions=3)
    cols = recipe.read_pool(str(pool))
    d = lintas.Detector()
    d.add_many(cols["id"], cols["text"], cols["title"])
    want = {(m.a, m.b): round(m.score, 4) for m in d.pairs()}
    assert recipe.read_pairs(str(out)) == want
    assert len(got) == len(want) and ("copy-of-first", "second-copy-of-first") in want
    assert (got["a_ord"] < got["b_ord"]).all()
    by = {(m.a, m.b): m.to_json() for m in d.pairs()}
    written = out.read_text(encoding="utf-8").splitlines()
    assert sorted(written) == sorted(by.values())


def test_parse_date_reads_what_dedup_reads():
    assert lintas.parse_date("1970-01-01") == 0
    assert lintas.parse_date("2026-02-09") == 20493
    # A timestamp's day as written (its time and offset are not read); whitespace ignored.
    assert lintas.parse_date(" 2026-02-09T23:30:00-05:00 ") == 20493
    assert lintas.parse_date("2026-02-09 14:05") == 20493
    assert lintas.parse_date("0001-01-01") == -719162
    for bad in ["2026-02-30", "09/02/2026", "2026-2-9", "", "last Tuesday", "2026-02-09X"]:
        with pytest.raises(lintas.LintasError, match="published"):
            lintas.parse_date(bad)


def test_recipe_read_pool_reads_dates_like_dedup(tmp_path):
    from lintas import recipe

    p = tmp_path / "pool.jsonl"
    p.write_text(
        '{"id": "a", "text": "x", "published": "2026-02-09"}\n'
        '{"id": "b", "text": "x", "published": null}\n'
        '{"id": "c", "text": "x"}\n'
        '{"id": "d", "text": "x", "published": "yesterday"}\n'
        '{"id": "e", "text": "x", "published": 20260209}\n'
        '{"id": "a", "text": "x", "published": "not read: a repeated id"}\n'
        '{"id": "f", "text": "x", "published": "2026-02-10T01:00:00+07:00"}\n',
        encoding="utf-8",
    )
    warned = []
    cols = recipe.read_pool(str(p), warn=warned.append, date_field="published")
    assert cols["id"] == ["a", "b", "c", "d", "e", "f"]
    assert cols["published"] == [20493, None, None, None, None, 20494]
    assert [w.split(": ", 1)[0].rsplit(":", 1)[1] for w in warned] == ["4", "5", "6"]
    assert "matched undated" in warned[0] and '"yesterday"' in warned[0]
    assert "`published` is 20260209, not a date string" in warned[1]
    assert "duplicate id" in warned[2]
    with pytest.raises(lintas.LintasError, match=":4: .*yesterday"):
        recipe.read_pool(str(p), strict=True, date_field="published")
    # Without the option no date is read, and the columns are as before.
    assert "published" not in recipe.read_pool(str(p), warn=lambda m: None)
    for field in ["", "id", "title", "text", "lang"]:
        with pytest.raises(ValueError, match="not a date field"):
            recipe.read_pool(str(p), date_field=field)


def test_recipe_date_options_are_dedups():
    from lintas import recipe

    assert recipe.date_options(None, None) == (None, 3)
    assert recipe.date_options("published", None) == ("published", 3)
    assert recipe.date_options("published", "0") == ("published", 0)
    assert recipe.date_options("published", "+7") == ("published", 7)
    assert recipe.date_options("published", "none") == ("published", None)
    for bad in ["-1", "3.5", "three", "", "4294967296", "٣"]:
        with pytest.raises(ValueError, match="not a whole number of days or none"):
            recipe.date_options("published", bad)
    with pytest.raises(ValueError, match="needs --date-field"):
        recipe.date_options(None, "3")
    with pytest.raises(ValueError, match="not a date field"):
        recipe.date_options("text", None)


def test_recipe_within_days():
    pd = pytest.importorskip("pandas")
    from lintas import recipe

    pairs = pd.DataFrame({"a_ord": [0, 0, 1, 2, 0], "b_ord": [1, 2, 3, 3, 3], "score": [0.9] * 5})
    published = [100, 104, None, 103]
    kept = recipe.within_days(pairs, published, 3)
    # 0-1: 4 days apart (dropped); 0-2 and 2-3: 2 is undated; 1-3: 1 day; 0-3: 3 days.
    assert list(zip(kept["a_ord"], kept["b_ord"])) == [(0, 2), (1, 3), (2, 3), (0, 3)]
    assert list(kept["score"]) == [0.9] * 4 and list(kept.index) == [0, 1, 2, 3]
    # Same day only: the pairs with the undated document.
    assert len(recipe.within_days(pairs, published, 0)) == 2
    assert recipe.within_days(pairs, published, None) is pairs
    assert len(recipe.within_days(pairs.iloc[:0], published, 3)) == 0
    for bad in [-1, 2.5, True, "3"]:
        with pytest.raises(ValueError, match="max_days"):
            recipe.within_days(pairs, published, bad)


def test_recipe_run_local_with_dates_gives_dedups_pairs(tmp_path):
    """Publication dates on the engine path: a copy of a text published a month later is
    not a pair with the first or with its translation, though all three are one group of
    copies and one pair for the engine; the run gives exactly `dedup --date-field`'s pairs."""
    import os
    import subprocess

    pytest.importorskip("pandas")
    from lintas import recipe

    docs = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    by_id = {d["id"]: d for d in docs}
    dates = {"quake-en": "2026-01-01", "quake-id": "2026-01-02T20:00:00+07:00",
             "quake-distractor-id": "2026-01-03", "deal-en": "2026-03-01", "deal-id": "soon"}
    lines = [json.dumps({**d, "published": dates.get(d["id"])}) for d in docs]
    later = {**by_id["quake-en"], "id": "quake-en-later", "published": "2026-02-01"}
    lines.append(json.dumps(later))
    lines.append(json.dumps({**by_id["quake-en"], "id": "quake-en-undated"}))
    pool = tmp_path / "pool.jsonl"
    pool.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "pairs.jsonl"
    warned = []
    recipe.run_local(str(pool), str(out), partitions=3, date_field="published", warn=warned.append)
    got = recipe.read_pairs(str(out))
    assert len(warned) == 1 and "soon" in warned[0]
    plain = recipe.run_local(str(pool), partitions=3)
    plain_pairs = set(zip(plain["a"], plain["b"]))
    assert ("quake-en", "quake-en-later") in plain_pairs
    assert ("quake-en", "quake-id") in got and ("quake-en", "quake-en-undated") in got
    assert ("quake-id", "quake-en-undated") in got and ("deal-en", "deal-id") in got
    assert ("quake-en", "quake-en-later") not in got
    assert ("quake-id", "quake-en-later") not in got
    assert ("quake-en-later", "quake-en-undated") in got
    assert set(got) < plain_pairs and len(plain_pairs) - len(got) == 2

    def pairs_within(max_days):
        p = recipe.run_local(str(pool), date_field="published", max_days=max_days,
                             warn=lambda m: None)
        return set(zip(p["a"], p["b"]))

    # max_days=None keeps every pair; 0 keeps only same-day ones among dated documents.
    assert pairs_within(None) == plain_pairs
    assert pairs_within(3) == set(got)
    same_day = pairs_within(0)
    assert ("quake-en", "quake-id") not in same_day and ("deal-en", "deal-id") in same_day
    dedup = os.environ.get("LINTAS_DEDUP")
    if dedup:
        want = tmp_path / "dedup.jsonl"
        subprocess.run([dedup, "--input", str(pool), "--output", str(want), "--quiet",
                        "--date-field", "published"], check=True, capture_output=True)
        assert recipe.read_pairs(str(want)) == got
    with pytest.raises(ValueError, match="columns bring"):
        recipe.run_local(recipe.read_pool(str(pool)), date_field="published")


def test_cluster_pairs_do_not_depend_on_order(tmp_path) -> None:
    a, b, s = ["c", "a", "b", "a"], ["d", "b", "c", "c"], [0.3, 0.9, 0.5, 0.4]
    want = [["a", "b", "c"]]
    assert lintas.cluster_pairs(a, b, s) == want
    assert lintas.cluster_pairs(a[::-1], b[::-1], s[::-1]) == want
    with pytest.raises(lintas.LintasError):
        lintas.cluster_pairs(a, b, s[:2])
    # write_clusters: every recipe's last step, from a pairs file.
    from lintas import recipe

    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text("".join(
        json.dumps({"a": x, "b": y, "score": z}) + "\n" for x, y, z in zip(a, b, s)))
    out = tmp_path / "clusters.jsonl"
    assert recipe.write_clusters(str(pairs), str(out)) == 1
    assert [json.loads(line) for line in out.read_text().splitlines()] == [{"cluster": want[0]}]


def test_recipe_read_pool_reads_parquet_as_dedup_does(tmp_path):
    """A Parquet corpus's rows read as its JSONL lines are (the same documents, dates and
    skipped rows by number) and, with a dedup built with the parquet feature (CI's), as
    dedup reads them."""
    import os
    import subprocess

    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    from lintas import recipe

    bad_utf8 = b"Banjir \xff di Semarang"
    rows = [  # (id, title, text, lang, published as days since 1970 or None)
        (7, None, EN.encode(), "en", 20493),
        (8, "Banjir di Semarang", ID.encode(), None, 20494),
        (None, None, b"an id that is null", None, None),  # skipped: no id
        (9, "Headline alone", None, "id", None),  # a document: its title
        (10, None, None, None, None),  # skipped: neither text nor title
        (7, None, b"a repeated id", None, None),  # skipped: repeated
        (11, None, bad_utf8, None, None),  # skipped: not UTF-8
        (12, None, EN.encode(), None, -1),  # 1969-12-31: before the epoch, still its day
    ]
    ids, titles, texts, langs, days = map(list, zip(*rows))
    ms = [None if d is None else d * 86_400_000 + 3_600_000 for d in days]
    table = pa.table({
        "id": pa.array(ids, pa.int64()),
        "title": pa.array(titles, pa.string()),
        "text": pa.array(texts, pa.binary()),
        "lang": pa.array(langs, pa.string()).dictionary_encode(),
        "published": pa.array(ms, pa.timestamp("ms", tz="UTC")),
        "day": pa.array(days, pa.date32()),
    })
    path = str(tmp_path / "pool.parquet")
    pq.write_table(table, path, row_group_size=3)  # several row groups
    # The same rows as JSONL (dates as text; the bad bytes as a line that is not UTF-8).
    lines = []
    for i, t, x, lang, d in rows:
        obj = {"id": i, "title": t, "text": None if x is None else x.decode("utf-8", "replace"),
               "lang": lang}
        if d is not None:
            obj["published"] = (np.datetime64("1970-01-01") + np.timedelta64(d, "D")).item().isoformat()
        line = json.dumps(obj).encode()
        lines.append(line.replace(b"\\ufffd", b"\xff") if x == bad_utf8 else line)
    jsonl = _write(tmp_path / "pool.jsonl", b"\n".join(lines) + b"\n")
    for field in ("published", "day"):
        warned, warned_j = [], []
        got = recipe.read_pool(path, warn=warned.append, date_field=field)
        want = recipe.read_pool(jsonl, warn=warned_j.append, date_field="published")
        assert got == want, field
        assert got["id"] == ["7", "8", "9", "12"]
        assert got["text"][2] == "" and got["title"][2] == "Headline alone"
        assert got["published"] == [20493, 20494, None, -1]
        row = lambda ws: [w.split(": skipped")[0].rsplit(" ", 1)[-1].rsplit(":", 1)[-1]
                          for w in ws if ": skipped" in w]
        assert row(warned) == row(warned_j) == ["3", "5", "6", "7"], warned
        assert all(w.startswith(f"{path}: row ") for w in warned)
    with pytest.raises(lintas.LintasError, match="row 3"):
        recipe.read_pool(path, strict=True)
    # Columns are checked before any row is read.
    for columns, why in [
        ({"id": pa.array([1.5]), "text": pa.array(["x"])}, "column `id` is double"),
        ({"text": pa.array(["x"])}, "no `id` column"),
        ({"id": pa.array(["a"]), "body": pa.array(["x"])}, "no `text` column"),
        ({"id": pa.array(["a"]), "text": pa.array([1])}, "column `text` is int64"),
        ({"id": pa.array(["a"]), "text": pa.array(["x"]), "lang": pa.array([1])}, "`lang`"),
    ]:
        bad = str(tmp_path / "bad.parquet")
        pq.write_table(pa.table(columns), bad)
        with pytest.raises(lintas.LintasError, match=why):
            recipe.read_pool(bad)
    with pytest.raises(lintas.LintasError, match="date field `when`: no such column"):
        recipe.read_pool(path, date_field="when")
    # A damaged file is a LintasError, never pyarrow's own exception or a shorter corpus.
    data = open(path, "rb").read()
    # Cut in half; a page zeroed; a column name that is not UTF-8 (pyarrow's UnicodeDecodeError).
    for damaged in (data[: len(data) // 2], data[:8] + bytes(64) + data[72:],
                    data.replace(b"lang", b"l\xffng")):
        cut = _write(tmp_path / "damaged.parquet", damaged)
        with pytest.raises(lintas.LintasError):
            recipe.read_pool(cut, warn=lambda m: None)
    dedup = os.environ.get("LINTAS_DEDUP")
    if not dedup:
        return
    run = subprocess.run([dedup, "--input", path, "--output", "-", "--date-field", "day"],
                         capture_output=True, text=True)
    if "parquet feature" in run.stderr:
        # CI builds dedup with the feature before this step; elsewhere it may lack it.
        assert os.environ.get("CI") != "true", run.stderr
        return
    assert run.returncode == 0, run.stderr
    said = [l for l in run.stderr.splitlines() if ": skipped" in l]
    assert [l.split(": skipped")[0].rsplit(" ", 1)[-1] for l in said] == ["3", "5", "6", "7"]
    flagged = {i for l in run.stdout.splitlines() for i in (json.loads(l)["a"], json.loads(l)["b"])}
    assert flagged <= set(got["id"]) and {"7", "8"} <= flagged, run.stdout


def test_the_spark_recipe_checks_a_parquet_inputs_columns_before_spark_starts(tmp_path, capsys):
    """A Parquet input's columns are checked on the driver (recipe.ParquetRows), so a
    mistyped one is refused with read_pool's message before a session starts (no pyspark
    needed here), and nothing is written. Its rows are parity.py --parquet's to check."""
    import importlib.util
    import pathlib

    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    spec = importlib.util.spec_from_file_location(
        "spark_dedup", pathlib.Path(__file__).parents[1] / "recipes" / "spark_dedup.py")
    assert spec is not None and spec.loader is not None
    spark_dedup = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(spark_dedup)
    path = str(tmp_path / "pool.parquet")
    pq.write_table(pa.table({"id": [1.5, 2.5], "text": [EN, ID]}), path)
    out = tmp_path / "pairs.jsonl"
    args = spark_dedup.parser().parse_args(["--input", path, "--output", str(out)])
    assert spark_dedup.run(args) == 1
    assert "column `id` is double" in capsys.readouterr().err and not out.exists()


def test_run_local_on_parquet_finds_what_it_finds_on_jsonl(tmp_path):
    from lintas import recipe

    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    ids, texts = ["en", "id", "rate"], [EN, ID, "The central bank kept its rate at 5.25 percent."]
    jsonl = _write(tmp_path / "pool.jsonl", "".join(
        json.dumps({"id": i, "text": t}) + "\n" for i, t in zip(ids, texts)).encode())
    parquet = str(tmp_path / "pool.parquet")
    pq.write_table(pa.table({"id": ids, "text": texts}), parquet)
    for pool in (jsonl, parquet):
        recipe.run_local(pool, str(tmp_path / "pairs.jsonl"))
        assert recipe.read_pairs(str(tmp_path / "pairs.jsonl")).keys() == {("en", "id")}
