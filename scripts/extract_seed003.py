#!/usr/bin/env python3
"""Extract the appendix table of seed decision 003 into a CSV.

The seed is a PDF-to-text extraction of a Swedish government decision that
distributes 30 000 000 kr over the 290 municipalities (appendix "Kommun  Belopp"),
kept in the repository as data/allocation/seed003_decision.txt (its origin is in
data/allocation/README.md).
Rows may be broken across lines, and page headers/footers and the footnote on
the `*` marker may appear between rows. This script:

  * locates the appendix (the first line that is the column header
    "Kommun  Belopp"),
  * reassembles rows: a name (optionally followed by `*`) and an amount
    "<digits in groups of three> kr", possibly on different lines, with a
    name possibly broken after a hyphen,
  * skips known non-row lines (column header, footnote text, page numbers,
    blank lines) and fails on any other unexpected line,
  * joins each name to data/codes/municipalities.csv,
  * writes data/allocation/seed003_appendix.csv in the order of the appendix,
  * runs the checks (290 rows, unique codes, all codes mapped, sum exactly
    30 000 000, every amount >= 35 000, exactly 16 stand-ins) and exits
    non-zero if any fails. Nothing is forced: a failed check is reported.

Standard library only. Usage (from the repository root):

    python3 scripts/extract_seed003.py [SEED_TXT] [MUNICIPALITIES_CSV] [OUT_CSV]
"""

import csv
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SEED = ROOT / "data" / "allocation" / "seed003_decision.txt"
DEFAULT_MUNI = ROOT / "data" / "codes" / "municipalities.csv"
DEFAULT_OUT = ROOT / "data" / "allocation" / "seed003_appendix.csv"

EXPECTED_ROWS = 290
EXPECTED_TOTAL = 30_000_000
EXPECTED_MINIMUM = 35_000
EXPECTED_STAND_INS = 16

# Spelling variants seen in official texts -> SCB name. Only used when the
# name does not match exactly (after whitespace/dash normalisation).
ALIASES = {
    "upplands-väsby": "Upplands Väsby",
    "upplandsväsby": "Upplands Väsby",
    "upplands bro": "Upplands-Bro",
    "malung": "Malung-Sälen",
    "malung sälen": "Malung-Sälen",
    "dals ed": "Dals-Ed",
    "region gotland": "Gotland",
    "gotlands kommun": "Gotland",
    "östra-göinge": "Östra Göinge",
    "lilla-edet": "Lilla Edet",
}

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212\u00ad"

AMOUNT_RE = r"(?P<amount>\d{1,3}(?:[ \u00a0\u202f]\d{3})*)\s*kr"
ROW_RE = re.compile(r"^(?P<name>[^\d\s*].*?)\s*(?P<star>\*)?\s+" + AMOUNT_RE + r"\s*$")
AMOUNT_ONLY_RE = re.compile(r"^" + AMOUNT_RE + r"\s*$")
NAME_ONLY_RE = re.compile(r"^(?P<name>[^\d*][^\d]*?)\s*(?P<star>\*)?$")
HEADER_RE = re.compile(r"^Kommun\s+Belopp$")
# Non-row lines that may legitimately sit between rows.
SKIP_RES = [
    HEADER_RE,
    re.compile(r"^\*\s*Uppgift om antalet personer"),  # footnote, line 1
    re.compile(r"^Istället har uppgift från 2018"),  # footnote, line 2
    re.compile(r"^(Sida\s+)?\d+\s*(\(\d+\)|/\s*\d+)?$"),  # page numbers
    re.compile(r"^Bilaga\b.*$"),
]


def clean(s):
    s = unicodedata.normalize("NFC", s)
    for d in DASHES:
        s = s.replace(d, "-")
    s = s.replace("\u00a0", " ").replace("\u202f", " ")
    s = re.sub(r"\s*-\s*", "-", s)
    return re.sub(r"\s+", " ", s).strip()


def key(s):
    return clean(s).casefold()


def load_municipalities(path):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    by_key = {}
    for r in rows:
        by_key[key(r["name_sv"])] = r
    return rows, by_key


def match(name, by_key, notes):
    """Return the municipality row for an appendix name, noting any non-exact match."""
    k = key(name)
    if k in by_key:
        if by_key[k]["name_sv"] != name:
            notes.append(f"'{name}' matched '{by_key[k]['name_sv']}' after whitespace/dash/case normalisation")
        return by_key[k]
    if k in ALIASES:
        target = ALIASES[k]
        notes.append(f"'{name}' matched '{target}' by alias")
        return by_key[key(target)]
    # Last resort: ignore spaces and hyphens; must be unique. Diacritics are
    # never folded (Habo/Håbo are two municipalities).
    squash = re.sub(r"[ -]", "", k)
    hits = [r for kk, r in by_key.items() if re.sub(r"[ -]", "", kk) == squash]
    if len(hits) == 1:
        notes.append(f"'{name}' matched '{hits[0]['name_sv']}' ignoring spaces/hyphens")
        return hits[0]
    return None


def parse(lines, by_key):
    """Yield (line_no, name, star, amount) for the appendix rows."""
    start = None
    for i, line in enumerate(lines):
        if HEADER_RE.match(clean(line)):
            start = i + 1
            break
    if start is None:
        raise SystemExit("appendix header 'Kommun  Belopp' not found")

    rows, problems, joins = [], [], []
    pending = None  # (first_line_no, name_text, star) of a name whose amount is on a later line
    for i in range(start, len(lines)):
        raw = lines[i].rstrip("\n")
        text = unicodedata.normalize("NFC", raw).strip()
        if not text:
            continue
        if any(r.match(clean(text)) for r in SKIP_RES):
            continue
        m = AMOUNT_ONLY_RE.match(text)
        if m:
            if not pending:
                problems.append(f"line {i + 1}: amount without a name: {raw!r}")
                continue
            joins.append(f"lines {pending[0]}-{i + 1}: '{pending[1]}'")
            rows.append((pending[0], pending[1], pending[2], m.group("amount")))
            pending = None
            continue
        m = ROW_RE.match(text)
        if m and not pending:
            rows.append((i + 1, clean(m.group("name")), bool(m.group("star")), m.group("amount")))
            continue
        if m and pending:
            # continuation of a broken name plus the amount, e.g. "Sälen  54 375 kr"
            name = join_name(pending[1], m.group("name"), by_key)
            joins.append(f"lines {pending[0]}-{i + 1}: '{name}'")
            rows.append((pending[0], name, pending[2] or bool(m.group("star")), m.group("amount")))
            pending = None
            continue
        m = NAME_ONLY_RE.match(text)
        if m:
            if pending:
                pending = (pending[0], join_name(pending[1], m.group("name"), by_key), pending[2] or bool(m.group("star")))
            else:
                pending = (i + 1, clean(m.group("name")), bool(m.group("star")))
            continue
        problems.append(f"line {i + 1}: unrecognised line: {raw!r}")
    if pending:
        problems.append(f"line {pending[0]}: name without an amount at end of text: {pending[1]!r}")
    return rows, problems, joins


def join_name(head, tail, by_key):
    """Join a name broken over two lines, choosing the join that names a municipality."""
    head, tail = clean(head), clean(tail)
    if head.endswith("-"):
        keep = head + tail  # real hyphen, e.g. Malung-Sälen, Upplands-Bro
        drop = head[:-1] + tail  # soft hyphenation at the line end
        for cand in (keep, drop):
            if key(cand) in by_key:
                return cand
        return keep
    spaced = head + " " + tail  # e.g. "Upplands" / "Väsby"
    closed = head + tail
    for cand in (spaced, closed):
        if key(cand) in by_key:
            return cand
    return spaced


def main(argv):
    seed = Path(argv[1]) if len(argv) > 1 else DEFAULT_SEED
    muni_path = Path(argv[2]) if len(argv) > 2 else DEFAULT_MUNI
    out = Path(argv[3]) if len(argv) > 3 else DEFAULT_OUT

    munis, by_key = load_municipalities(muni_path)
    lines = seed.read_text(encoding="utf-8").splitlines()
    rows, problems, joins = parse(lines, by_key)

    notes, unmatched, records = [], [], []
    for line_no, name, star, amount in rows:
        m = match(name, by_key, notes)
        if m is None:
            unmatched.append(f"line {line_no}: '{name}'")
            code = ""
        else:
            code = m["code"]
        kr = int(re.sub(r"\D", "", amount))
        records.append((code, name, kr, "yes" if star else "no"))

    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "name", "amount_kr", "stand_in_2018"])
        w.writerows(records)

    codes = [r[0] for r in records if r[0]]
    total = sum(r[2] for r in records)
    below = [(r[1], r[2]) for r in records if r[2] < EXPECTED_MINIMUM]
    at_min = [r[1] for r in records if r[2] == EXPECTED_MINIMUM]
    stand_ins = [r[1] for r in records if r[3] == "yes"]
    dup = sorted({c for c in codes if codes.count(c) > 1})
    missing = sorted({m["name_sv"] for m in munis} - {m["name_sv"] for m in munis if m["code"] in set(codes)})

    checks = [
        (f"rows == {EXPECTED_ROWS}", len(records) == EXPECTED_ROWS, len(records)),
        ("every name maps to a code", not unmatched, unmatched or "all mapped"),
        ("codes unique", not dup, dup or "unique"),
        ("every municipality present", not missing, missing or "all 290"),
        (f"sum == {EXPECTED_TOTAL}", total == EXPECTED_TOTAL, total),
        (f"every amount >= {EXPECTED_MINIMUM}", not below, below or f"min {min(r[2] for r in records)}"),
        (f"stand-ins == {EXPECTED_STAND_INS}", len(stand_ins) == EXPECTED_STAND_INS, len(stand_ins)),
        ("no unrecognised lines in the appendix", not problems, problems or "none"),
    ]
    print(f"wrote {out} ({len(records)} rows)")
    for label, ok, detail in checks:
        print(f"  [{'ok' if ok else 'FAIL'}] {label}: {detail}")
    print(f"  amounts exactly at the minimum: {at_min or 'none'}")
    print(f"  stand-ins (*): {', '.join(stand_ins)}")
    print(f"  rows reassembled from several lines: {joins or 'none'}")
    print(f"  names needing care: {notes or 'none (all exact)'}")
    return 0 if all(ok for _, ok, _ in checks) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
