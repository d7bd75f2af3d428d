"""Days apart in the leads: a veto against next developments (issue 10; research, dropped).

The sample's court distractor is an appeal lodged on 28 January against a verdict of 22
January, its election distractor names a Monday against the vote's Thursday, its first leg a
Tuesday against the final's Saturday; issue 10 says the held-out pool's false flags are
articles of one story "days or years apart". Two vetoes a wire editor might apply, read from
the leads (title and first three sentences) with a simple reading of dates and weekday names
in English and Indonesian:

* `date`: both leads write a day of the month (`22 January`, `Jan. 22`, `Kamis (22/1/2026)`)
  and no date of one lead is within `DAYS` days of one of the other's (day of the year,
  years ignored);
* `weekday`: the first weekday each lead names is two or more days apart (circularly).

Two readings:

* `oof`: every pair the combined verifier flags out of fold (`LINTAS_OOF_DUMP` of `evaluate
  … --oof`), counted by pool, same-language or cross-language, label and set-aside group,
  with how many each veto would remove;
* `feed`: dev-independent inside all 1,387 other dev-en-id documents (as
  `embedded.py` builds it, seed 1), scored by `score.py` with and without each veto.

usage (from the repository root, after `cargo build --release -p lintas-eval`):
  LINTAS_OOF_DUMP=/tmp/oof.jsonl ./target/release/evaluate ../shared/eval/dev-en-id.jsonl \\
      ../shared/eval/dev-independent.jsonl --oof
  python3 eval/research/lead_days.py oof /tmp/oof.jsonl [--days 3]
  python3 eval/research/lead_days.py feed [--size 1387] [--days 3]

Measured 6 December 2026 (DESIGN.md section 12, "Tried and dropped"): out of fold, `date`
removes 80 true ECB+ same-language pairs for 8 false ones (set-aside groups: 5 true, 1 false;
dev-independent: one set-aside `kashmir` pair, true), `weekday` 43 true for 2 false; in the
feed neither removes any false pair (the feed's false pairs are a day or two apart, or their
leads name no day), and `date` loses one true pair.
"""
import datetime
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import embedded  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.join(ROOT, "..", "shared", "eval")
EVALUATE = os.path.join(ROOT, "target", "release", "evaluate")

WEEKDAYS = [("monday", "senin"), ("tuesday", "selasa"), ("wednesday", "rabu"),
            ("thursday", "kamis"), ("friday", "jumat"), ("saturday", "sabtu"),
            ("sunday", "minggu")]
WEEKDAY = {w: i for i, ws in enumerate(WEEKDAYS) for w in ws}
WEEKDAY_RE = re.compile(r"\b(" + "|".join(WEEKDAY) + r")\b", re.I)
MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
          "sep": 9, "oct": 10, "nov": 11, "dec": 12, "januari": 1, "februari": 2, "maret": 3,
          "mei": 5, "juni": 6, "juli": 7, "agustus": 8, "agu": 8, "oktober": 10, "okt": 10,
          "desember": 12, "des": 12}
MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
DAY_MONTH = re.compile(r"\b(\d{1,2})\s+(" + MONTH + r")[a-z]*\.?(?![a-z])", re.I)
MONTH_DAY = re.compile(r"\b(" + MONTH + r")[a-z]*\.?\s+(\d{1,2})\b", re.I)
SLASHED = re.compile(r"\((\d{1,2})/(\d{1,2})(?:/\d{2,4})?\)")


def read(paths):
    docs = {}
    for p in paths:
        for line in open(p, encoding="utf-8"):
            if line.strip():
                d = json.loads(line)
                docs[d["id"]] = d
    return docs


def lead(d):
    sentences = re.split(r"(?<=[.!?])\s+|\n", d["text"])
    return (d.get("title") or "") + " | " + " ".join(sentences[:3])


def dates(text):
    out = set()
    for day, month in DAY_MONTH.findall(text):
        out.add((MONTHS[month.lower()], int(day)))
    for month, day in MONTH_DAY.findall(text):
        out.add((MONTHS[month.lower()], int(day)))
    for day, month in SLASHED.findall(text):
        out.add((int(month), int(day)))
    return {(m, d) for m, d in out if 1 <= m <= 12 and 1 <= d <= 31}


def day_of_year(md):
    m, d = md
    return datetime.date(2001, m, min(d, 28 if m == 2 else 30 if m in (4, 6, 9, 11) else d)) \
        .timetuple().tm_yday


def vetoes(a, b, days):
    """Which vetoes fire on two documents."""
    la, lb = lead(a), lead(b)
    da, db = dates(la), dates(lb)
    date = bool(da and db) and min(
        min(abs(day_of_year(x) - day_of_year(y)), 365 - abs(day_of_year(x) - day_of_year(y)))
        for x in da for y in db) >= days
    wa, wb = WEEKDAY_RE.search(la), WEEKDAY_RE.search(lb)
    weekday = False
    if wa and wb:
        x, y = WEEKDAY[wa.group(1).lower()], WEEKDAY[wb.group(1).lower()]
        weekday = min((x - y) % 7, (y - x) % 7) >= 2
    return {"date": date, "weekday": weekday, "either": date or weekday}


def oof(dump, days):
    docs = read([os.path.join(SHARED, n) for n in ("dev-en-id.jsonl", "dev-independent.jsonl")])
    counts = Counter()
    for line in open(dump, encoding="utf-8"):
        r = json.loads(line)
        flagged = r["p"] >= r["threshold"] if r["by_event"] else r["score"] >= r["threshold"]
        if not flagged:
            continue
        key = ("dev-independent" if r["pool"] else "dev-en-id",
               "cross" if r["cross"] else "same", r["label"], r["aside"])
        counts[key + ("flagged",)] += 1
        for name, fired in vetoes(docs[r["a"]], docs[r["b"]], days).items():
            counts[key + (name,)] += fired
    print("pool | languages | same event | set-aside | flagged | date | weekday | either")
    for key in sorted({k[:4] for k in counts}, key=str):
        print(" | ".join(map(str, key)), "|",
              " | ".join(str(counts[key + (n,)]) for n in ("flagged", "date", "weekday", "either")))


def feed(size, days):
    indep_path = os.path.join(SHARED, "dev-independent.jsonl")
    indep = [json.loads(l) for l in open(indep_path, encoding="utf-8") if l.strip()]
    ids = {d["id"] for d in indep}
    background = [l for l in open(os.path.join(SHARED, "dev-en-id.jsonl"), encoding="utf-8")
                  if l.strip() and json.loads(l)["id"] not in ids]
    random.Random(1).shuffle(background)
    docs = {d["id"]: d for d in indep}
    with tempfile.TemporaryDirectory() as tmp:
        pool, pairs, kept = (os.path.join(tmp, n)
                             for n in ("pool.jsonl", "pairs.jsonl", "vetoed.jsonl"))
        with open(pool, "w", encoding="utf-8") as f:
            for d in indep:
                f.write(json.dumps(d) + "\n")
            f.writelines(background[:size])
        subprocess.run([EVALUATE, pool, "--pairs-out", pairs], check=True, stdout=subprocess.DEVNULL)
        for veto in ("none", "date", "weekday", "either"):
            # The pairs the veto leaves; `embedded.score_between` keeps dev-independent's own.
            with open(kept, "w", encoding="utf-8") as f:
                for line in open(pairs, encoding="utf-8"):
                    p = json.loads(line)
                    if veto == "none" or not (p["a"] in ids and p["b"] in ids
                                              and vetoes(docs[p["a"]], docs[p["b"]], days)[veto]):
                        f.write(line)
            r = embedded.score_between(kept, ids, indep_path, tmp)
            print(f"{size} veto {veto:>7}: en-id {embedded.row(r, 'en-id')}"
                  f"  all {embedded.row(r, 'all')}")


def main():
    args = sys.argv[1:]
    days = int(args[args.index("--days") + 1]) if "--days" in args else 3
    if args[:1] == ["oof"] and len(args) >= 2:
        oof(args[1], days)
    elif args[:1] == ["feed"]:
        feed(int(args[args.index("--size") + 1]) if "--size" in args else 1387, days)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
