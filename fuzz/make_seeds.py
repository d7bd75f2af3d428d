#!/usr/bin/env python3
"""Writes the seed corpora under fuzz/corpus/<target>/ from files of this repository only:
the bundled sample (examples/data/sample.jsonl), the test fixtures (tests/fixtures/) and the
language data (data/). Run from the repository root: python3 fuzz/make_seeds.py
Inputs stay under 16 KiB (the -max_len the README and .ci/run use)."""
import gzip, hashlib, json, os, struct, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fuzz", "corpus")
MAX = 16384

def write(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    assert len(data) <= MAX, (target, name, len(data))
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)

def chunks(text, size):
    """Whole lines, at most `size` bytes a chunk."""
    out, cur = [], ""
    for line in text.splitlines(keepends=True):
        if cur and len((cur + line).encode()) > size:
            out.append(cur)
            cur = ""
        cur += line
    if cur:
        out.append(cur)
    return out

def docs(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]

sample = docs("examples/data/sample.jsonl")
fixtures = docs("tests/fixtures/crosslang.jsonl")
def full(d):
    t = d.get("title")
    return f"{t}\n\n{d['text']}" if t and not d["text"].startswith(t) else d["text"]

# analyze: every article, and same-topic pairs as two documents (0x1E between them).
for d in sample + fixtures:
    write("analyze", f"{d['id']}.txt", full(d)[:MAX])
by_topic = {}
for d in sample + fixtures:
    by_topic.setdefault(d["id"].rsplit("-", 1)[0], []).append(d)
for topic, ds in sorted(by_topic.items()):
    if len(ds) >= 2:
        both = (full(ds[0]) + "\x1e" + full(ds[1])).encode()[:MAX].decode("utf-8", "ignore")
        write("analyze", f"pair-{topic}.txt", both)

# The rules that read the text around a token: photo credits (to a line's end, a bracket's
# close or a sentence end) and initialisms.
write("analyze", "credits.txt",
      "Talks stalled. Photo: Wakil Kohsar/Agence France-Presse/Getty Images\n"
      "Presiden meresmikan (Foto: ANTARA/Hafidz) bersama C.E.O. Budi.\n"
      "Photo by J. Smith/AP. Next.\n[Image: x\nfoto : \u0444\u043e\u0442\u043e: (Credit by")

# Other languages' entity spellings (California in Indonesian, Kalifornia and Amerika Serikat
# in English, acronyms that stay in their language) and the -en, -er and -est families.
write("analyze", "entities-families.txt",
      "Pejabat kesehatan di California, Amerika Serikat, mengonfirmasi kematian ketujuh.\n"
      "Officials in Kalifornia and Amerika Serikat said DIY RM MA AS darkened the deadliest, "
      "largest and worst Arab world Arabian Nights; Uni Emirat Arab, Arab Saudi.")

# jsonl: the sample in chunks of whole lines, each fixture line, ids as numbers and repeats.
for path, ds in (("examples/data/sample.jsonl", sample), ("tests/fixtures/crosslang.jsonl", fixtures)):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        for i, c in enumerate(chunks(f.read(), MAX)):
            write("jsonl", f"{os.path.basename(path)}.{i}", c)
    for d in ds[:4]:
        write("jsonl", f"line-{d['id']}.jsonl", json.dumps(d, ensure_ascii=False) + "\n")
write("jsonl", "numeric-and-string-ids.jsonl",
      '{"id": 1, "text": "a"}\n{"id": "1", "text": "b"}\n\n{"id": 2.5, "title": null, "text": "c"}\r\n{"id": true}\n[1]\n')

# lexicon_tsv: the lexicon and entity files in chunks of whole lines.
for dirpath, _, files in os.walk(os.path.join(ROOT, "data")):
    for fn in sorted(files):
        if fn.endswith(".tsv"):
            with open(os.path.join(dirpath, fn), encoding="utf-8") as f:
                for i, c in enumerate(chunks(f.read(), 8192)):
                    write("lexicon_tsv", f"{fn}.{i}", c)

# freedict: FreeDict-shaped .index + .dict pairs (index, NUL, dict) made from the lexicon:
# eng-ind (English headwords) and ind-eng, plain and gzip-compressed data.
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
def b64(n):
    s = ""
    while True:
        s = B64[n % 64] + s
        n //= 64
        if n == 0:
            return s
pairs = []
with open(os.path.join(ROOT, "data/lexicon/id-en/general.tsv"), encoding="utf-8") as f:
    for line in f:
        if line.startswith("#") or "\t" not in line:
            continue
        w, e = line.rstrip("\n").split("\t")[:2]
        pairs.append((w.strip(), e.strip()))
def freedict(entries):
    index, data = [], b"00-database-info\nmade from the lintas lexicon\n"
    index.append(f"00-database-info\t{b64(0)}\t{b64(len(data))}")
    for i, (head, senses) in enumerate(entries):
        if len(senses) > 1:
            body = head + "\n" + "".join(f"{k + 1}. {s}\n   gloss\n" for k, s in enumerate(senses))
        else:
            body = f"{head}\n{senses[0]}\n   gloss\n"
        b = body.encode()
        index.append(f"{head}\t{b64(len(data))}\t{b64(len(b))}")
        data += b
    return ("\n".join(index) + "\n").encode(), data
for start in (0, 150, 300):
    chunk = pairs[start:start + 120]
    eng = {}
    for w, e in chunk:
        eng.setdefault(e, []).append(w)
    for name, entries in (("eng-ind", sorted((e, ws) for e, ws in eng.items())),
                          ("ind-eng", [(w, [e, f"({e})"]) for w, e in chunk])):
        idx, data = freedict(entries)
        write("freedict", f"{name}-{start}", idx + b"\0" + data)
        write("freedict", f"{name}-{start}.dz", idx + b"\0" + gzip.compress(data, mtime=0))

# signature: the compact format (magic LNTS, version 1, scheme 1, construction, num_hashes,
# seed, cardinality, u32 values), one per sample document's words, both constructions, several
# sizes, and the empty signature.
SEED = struct.unpack("<Q", b"lintas-m")[0]
def sig(words, k, construction=1):
    vals = []
    for i in range(k if words else 0):
        best = min(int.from_bytes(hashlib.blake2b(f"{i}:{w}".encode(), digest_size=4).digest(), "little") for w in words)
        vals.append(best)
    card = len(set(words))
    head = b"LNTS" + bytes([1]) + struct.pack("<H", 1) + bytes([construction]) + struct.pack("<IQQ", k, SEED, card)
    return head + (b"".join(struct.pack("<I", v) for v in vals) if card else b"")
for i, d in enumerate(sample[:6]):
    words = full(d).lower().split()
    write("signature", f"{d['id']}-128", sig(words, 128))
    write("signature", f"{d['id']}-khash-64", sig(words, 64, 2))
write("signature", "empty-128", sig([], 128))
write("signature", "min-8", sig(["a", "b"], 8))
write("signature", "large-4096", sig(["x", "y", "z"], 4088))
print("seeds written under", OUT)

# index_open: whole index directories written by `dedup --index` on headline fixtures (with
# titles, kept texts, publication dates, a second batch and a deletion, and compacted), packed
# as the target reads them: [u8 file (0: MANIFEST, n: seg-00000n.lseg)][u16 LE length][bytes].
import subprocess, tempfile

def dedup(*args):
    subprocess.run(["cargo", "run", "--release", "-q", "--example", "dedup", "--", "--quiet",
                    "--output", os.devnull, *args], cwd=ROOT, check=True)

def pack(ix):
    out = b""
    for name in sorted(os.listdir(ix)):
        if name == "MANIFEST":
            n = 0
        elif name.startswith("seg-") and name.endswith(".lseg"):
            n = int(name[4:-5])
            if n > 255:
                continue
        else:
            continue
        data = open(os.path.join(ix, name), "rb").read()
        out += struct.pack("<BH", n, len(data)) + data
    return out

heads = docs("tests/fixtures/headlines.jsonl")
with tempfile.TemporaryDirectory() as tmp:
    def jsonl(name, rows):
        path = os.path.join(tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            for i, d in enumerate(rows):
                row = {"id": d["id"], "title": d["title"], "text": d["text"],
                       "date": f"2019-09-{1 + i % 28:02d}"}
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        return path
    first, second = jsonl("a.jsonl", heads[:4]), jsonl("b.jsonl", heads[4:7])
    ix = os.path.join(tmp, "dated")
    dedup("--input", first, "--index", ix, "--keep-texts", "--date-field", "date")
    dedup("--input", second, "--index", ix, "--date-field", "date")
    write("index_open", "two-batches-dated", pack(ix))
    gone = os.path.join(tmp, "gone.txt")
    with open(gone, "w") as f:
        f.write(heads[1]["id"] + "\n")
    dedup("--index", ix, "--delete-ids", gone)
    write("index_open", "deleted-one", pack(ix))
    dedup("--index", ix, "--compact")
    write("index_open", "compacted", pack(ix))
    plain = os.path.join(tmp, "plain")
    dedup("--input", jsonl("c.jsonl", heads[7:12]), "--index", plain)
    write("index_open", "undated-no-texts", pack(plain))
print("index seeds written under", os.path.join(OUT, "index_open"))

# engine_bytes: two texts of the sample (the same event in two languages, and two events),
# then edits of 3 bytes each (operation, position, value; see the target's doc).
by_id = {d["id"]: d for d in sample + fixtures}
for a, b, edits in (("court-en", "court-id", b""),
                    ("deal-en", "election-en", b""),
                    ("flood-en", "flood-id", bytes([0, 128, 1, 4, 40, 7, 8, 200, 0])),
                    ("quake-en", "quake-id", bytes([2, 10, 0, 7, 250, 0]))):
    ta, tb = (full(by_id[x]).encode()[:7000].decode("utf-8", "ignore") for x in (a, b))
    write("engine_bytes", f"{a}-{b}" + ("-edited" if edits else ""),
          ta.encode() + b"\x1e" + tb.encode() + b"\x1e" + edits)
print("engine seeds written under", os.path.join(OUT, "engine_bytes"))
