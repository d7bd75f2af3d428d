"""lintas.Index: the persistent index from Python (open or create, add, query, delete, save,
reopen, locks, damage)."""

import json
import os
import pathlib
import subprocess

import pytest

import lintas

EN = ("Floods in Semarang killed eight people on Monday and forced 12,000 residents "
      "from their homes, the disaster agency BNPB said.")
ID = ("Banjir di Semarang menewaskan delapan orang pada Senin dan memaksa 12.000 "
      "warga mengungsi, kata BNPB.")
RATE = "The central bank kept its benchmark rate at 5.25 percent on Wednesday."


def test_a_batch_matches_what_was_saved_before(tmp_path: pathlib.Path) -> None:
    d = tmp_path / "idx"
    with lintas.Index(d) as idx:
        assert idx.add(["en", "rate"], [EN, RATE]) == []
        assert idx.has_unsaved_changes
        idx.save()
        assert idx.generation >= 1 and not idx.has_unsaved_changes
    with lintas.Index(d) as idx:
        assert len(idx) == 2 and "en" in idx and "id" not in idx
        found = idx.add(["id"], [ID], titles=[None])
        assert [(m.a, m.b, m.cross_language) for m in found] == [("en", "id", True)]
        # The same pair as a Detector over all three documents.
        det = lintas.Detector()
        for i, t in [("en", EN), ("rate", RATE), ("id", ID)]:
            det.add(i, t)
        want = det.pairs()[0]
        assert round(found[0].score, 12) == round(want.score, 12)
        q = idx.query(EN)
        assert {m.a for m in q} == {"en", "id"} and all(m.b == "" for m in q)
        assert idx.delete(["rate", "unknown"]) == 1
        idx.save()
        idx.compact()
    with lintas.Index(d, read_only=True) as ro:
        assert len(ro) == 2
        with pytest.raises(lintas.LintasError, match="read-only|read only"):
            ro.add(["x"], [RATE])


def test_publication_dates_are_stored_with_the_documents(tmp_path: pathlib.Path) -> None:
    d = tmp_path / "dated"
    with lintas.Index(d) as idx:
        assert idx.add(["en"], [EN], published=["2026-02-09"]) == []
        idx.save()
    with lintas.Index(d) as idx:
        found = idx.add(["id-later", "id"], [ID, ID], published=["2027-02-10", "2026-02-10"])
        assert ("en", "id") in {(m.a, m.b) for m in found}
        assert ("en", "id-later") not in {(m.a, m.b) for m in found}
        with pytest.raises(lintas.LintasError, match="one entry per document"):
            idx.add(["x"], [EN], published=[None, None])
        with pytest.raises(lintas.LintasError, match="published"):
            idx.add(["x"], [EN], published=["soon"])
        assert "x" not in idx


def test_the_window_of_publication_days_is_the_index_setting(tmp_path: pathlib.Path) -> None:
    d = tmp_path / "week"
    with lintas.Index(d, max_days=7) as idx:
        idx.add(["en"], [EN], published=["2026-02-01"])
        idx.save()
    # Another window for an existing index is refused, not applied to half of it.
    for other in (3, None):
        with pytest.raises(lintas.LintasError, match="max_days"):
            lintas.Index(d, max_days=other)
    with lintas.Index(d, max_days=7) as idx:
        found = idx.add(["id", "id-late"], [ID, ID], published=["2026-02-06", "2026-03-20"])
        assert {(m.a, m.b) for m in found if m.a == "en"} == {("en", "id")}
    with lintas.Index(d, read_only=True) as ro:
        assert {m.a for m in ro.query(EN)} == {"en"}  # the query has no date
    with pytest.raises(lintas.LintasError, match="max_days"):
        lintas.Index(tmp_path / "bad", max_days=-2)


def test_errors_are_lintas_errors(tmp_path: pathlib.Path) -> None:
    d = tmp_path / "idx"
    idx = lintas.Index(d)
    idx.add(["en"], [EN])
    with pytest.raises(lintas.LintasError, match="duplicate document id `en`"):
        idx.add(["en"], [EN])
    with pytest.raises(lintas.LintasError, match="one entry per document"):
        idx.add(["a", "b"], [EN])
    idx.save()
    # A second writer is refused while the first holds the lock.
    with pytest.raises(lintas.LintasError, match="lock"):
        lintas.Index(d)
    idx.close()
    with pytest.raises(lintas.LintasError, match="closed"):
        len(idx)
    # Other settings than the index's are refused, not answered wrongly.
    with pytest.raises(lintas.LintasError, match="corpus setting .* differs"):
        lintas.Index(d, verifier="event")
    with pytest.raises(lintas.LintasError, match="verifier must be"):
        lintas.Index(d, verifier="nope")
    # A damaged segment is detected on open.
    seg = sorted(p for p in d.iterdir() if p.name.startswith("seg"))[0]
    data = bytearray(seg.read_bytes())
    data[len(data) // 2] ^= 0xFF
    seg.write_bytes(bytes(data))
    with pytest.raises(lintas.LintasError, match="damaged"):
        lintas.Index(d)


def test_an_index_made_by_dedup_opens_in_python(tmp_path: pathlib.Path) -> None:
    dedup = os.environ.get("LINTAS_DEDUP")
    if not dedup:
        pytest.skip("LINTAS_DEDUP (the dedup binary) not set")
    src = tmp_path / "batch.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in [
        {"id": "en", "text": EN}, {"id": "rate", "text": RATE}]) + "\n")
    d = tmp_path / "idx"
    subprocess.run([dedup, "--index", str(d), "--input", str(src), "--output",
                    str(tmp_path / "p.jsonl"), "--quiet"], check=True)
    with lintas.Index(d) as idx:
        assert len(idx) == 2
        assert [(m.a, m.b) for m in idx.add(["id"], [ID])] == [("en", "id")]
