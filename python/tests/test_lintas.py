"""Tests of the Python package against the library's behaviour and pinned values."""

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
    3420196027, 1392229213, 3154269814, 683841301, 3790548116, 683841301, 1824571387, 2192580986,
]
EN_BAND_KEYS_HEAD_U64 = [17256640513075705551, 15260060303019025994, 1844201036053756062]


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
    assert out[0] == "en id 0.506 True"
    assert out[2] == "[['en', 'id']]"
    assert out[-1] == "duplicate document id `en`"
