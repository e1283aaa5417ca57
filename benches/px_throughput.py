#!/usr/bin/env python3
"""PX read throughput: hwf against pyaxis on one generated ~50 MB PC-Axis file.

Driven by scripts/bench-px; two subcommands, run as separate processes so that the peak memory
of the pyaxis process is pyaxis's own, not the generator's:

    px_throughput.py gen   OUT.px          # writes OUT.px and OUT.px.expected.json (stdlib only)
    px_throughput.py bench OUT.px --hwf target/release/hwf [--runs 3]

`gen` is deterministic (fixed seed, no clock, no environment): the same bytes on every run and
machine. The table is shaped like SCB's BE0101N1 ("Folkmängden efter region, civilstånd, ålder
och kön"): STUB "region","civilstånd","ålder","kön", HEADING "år" (1968-2024); 312 regions
(riket, 21 län, 290 kommuner; kommun names are synthetic), CODES for every variable, Swedish
labels full of å/ä/ö, CHARSET="ANSI" + CODEPAGE="windows-1252", encoded windows-1252, CRLF.
Cells are integers; a kommun that did not exist yet has ".." (not available) for its early years,
and a true zero is written "-" as SCB does. Län and riket are sums of their kommuner.

pyaxis 0.4.3 quirks the file and the checks accommodate (see pyaxis/pyaxis.py, metadata_processing.py,
data_processing.py):
  * It ignores CHARSET/CODEPAGE: the caller must pass encoding= (we pass 'windows-1252').
  * `metadata, data = text.split('DATA=')`: the string DATA= must occur exactly once in the whole
    file, so no note or label may contain it.
  * Every CR and LF becomes a space before parsing, so a quoted string continued over two lines
    ("abc"<CRLF>"def", legal PX) would become two list items: long lists are broken only after
    a comma, never inside a string.
  * List items are taken with the regex `"[ ]*(.+?)[ ]*"+?`: empty strings and leading/trailing
    blanks inside quotes are lost, so no value is empty or padded.
  * Only whitespace separates cells (commas/semicolons as separators are not supported).
  * `LANGUAGES` switches on a multilingual path that needs translated keys to sit next to each
    other; the file declares only LANGUAGE="sv" (hwf needs that to keep the Swedish labels).
  * It converts nothing to numbers: DATA stays a column of strings, `".."` becomes NaN, `"."` an
    empty string, and any other symbol, `"-"` included, is kept verbatim *with its quotes*. So the
    timed pyaxis parse does less work than hwf (no number parsing, no status); the numeric checks
    below convert afterwards, untimed.
  * No check that the cell count matches the dimensions; a mismatch only shows as a pandas length
    error, so the count is checked here explicitly.
"""

import argparse
import gc
import json
import os
import random
import resource
import subprocess
import sys
import time
from array import array

SEED = 20250221
YEARS = list(range(1968, 2025))
MB = 1_000_000  # MB here are 10^6 bytes

# The 21 län: code, name, population in thousands (roughly 2024), number of kommuner (real counts).
LAN = [
    ("01", "Stockholms län", 2450, 26), ("03", "Uppsala län", 400, 8),
    ("04", "Södermanlands län", 300, 9), ("05", "Östergötlands län", 470, 13),
    ("06", "Jönköpings län", 370, 13), ("07", "Kronobergs län", 205, 8),
    ("08", "Kalmar län", 245, 12), ("09", "Gotlands län", 61, 1),
    ("10", "Blekinge län", 157, 5), ("12", "Skåne län", 1420, 33),
    ("13", "Hallands län", 340, 6), ("14", "Västra Götalands län", 1760, 49),
    ("17", "Värmlands län", 283, 16), ("18", "Örebro län", 307, 12),
    ("19", "Västmanlands län", 280, 10), ("20", "Dalarnas län", 288, 15),
    ("21", "Gävleborgs län", 287, 10), ("22", "Västernorrlands län", 245, 7),
    ("23", "Jämtlands län", 132, 8), ("24", "Västerbottens län", 275, 15),
    ("25", "Norrbottens län", 249, 14),
]
PREFIXES = ["Väster", "Öster", "Norr", "Söder", "Ström", "Sjö", "Björk", "Häll", "Lång", "Äng",
            "Mål", "Å", "Ål", "Röd", "Gräs", "Ös", "Hög", "Sär", "Fjäll", "Kär", "Tå", "Lövå",
            "Mörk", "Bäck", "Gärds", "Skär", "Kvarn", "Ljung", "Mo", "Ny"]
SUFFIXES = ["sund", "köping", "vik", "å", "by", "ås", "hälla", "fors", "holm", "stad", "bo",
            "ö", "näs", "berg", "dal", "torp", "målen", "lösa", "hammar", "säter"]
CIV = [("OG", "ogifta"), ("G", "gifta"), ("SK", "skilda"), ("ÄNKL", "änkor/änklingar")]
SEX = [("1", "män"), ("2", "kvinnor")]
AGES = [(str(a), f"{a} år") for a in range(100)] + [("100+", "100+ år")]
STUB = ["region", "civilstånd", "ålder", "kön"]
HEADING = ["år"]


def regions(rng):
    """[(code, label, population in 2024 or None for aggregates, first year or None)], in file order."""
    kommuner = []
    used = set()
    for code, _name, pop, n in LAN:
        weights = sorted((rng.paretovariate(1.2) for _ in range(n)), reverse=True)
        total = sum(weights)
        for k, w in enumerate(weights):
            while True:
                label = rng.choice(PREFIXES) + rng.choice(SUFFIXES)
                if label not in used:
                    used.add(label)
                    break
            kommuner.append((f"{code}{k * 3 + 14:02d}", label, pop * 1000 * w / total, code))
    # A few kommuner were formed late (like Knivsta 2003, Nykvarn 1999): ".." before that.
    big_lan = {code for code, _name, _pop, n in LAN if n > 5}
    small = [i for i, k in enumerate(kommuner) if k[3] in big_lan]
    late = {i: rng.randrange(1971, 2004) for i in rng.sample(small, 8)}
    return kommuner, late


def age_profile():
    """Share of the population at each age (0..99, 100+), and the women's share at each age."""
    share = []
    for a in range(101):
        if a < 60:
            w = 1.0 + 0.1 * ((a % 23) / 23)
        else:
            w = max(0.0005, 1.0 - ((a - 60) / 42) ** 1.6)
        if a == 100:
            w = 0.004
        share.append(w)
    t = sum(share)
    women = [0.49 if a < 50 else min(0.85, 0.49 + (a - 50) * 0.007) for a in range(101)]
    return [s / t for s in share], women


def civ_shares(age, sex):
    """Shares ogifta, gifta, skilda, änkor/änklingar at this age for sex '1'/'2'."""
    if age < 18:
        return [1.0, 0.0, 0.0, 0.0]
    married = min(0.55, (age - 18) * 0.03)
    divorced = min(0.14, max(0.0, (age - 25) * 0.006))
    widowed = 0.0 if age < 45 else min(0.75 if sex == "2" else 0.45, ((age - 45) / 50) ** 2.2)
    married = max(0.0, married * (1 - widowed))
    single = max(0.0, 1.0 - married - divorced - widowed)
    return [single, married, divorced, widowed]


def gen(out):
    rng = random.Random(SEED)
    kommuner, late = regions(rng)
    ages, women = age_profile()
    n_years = len(YEARS)
    rows = [(c, a, s) for c in range(len(CIV)) for a in range(len(AGES)) for s in range(len(SEX))]
    # Per row (civ, age, sex) share of a region's population.
    row_share = []
    for c, a, s in rows:
        sex_share = women[a] if SEX[s][0] == "2" else 1 - women[a]
        row_share.append(ages[a] * sex_share * civ_shares(a, SEX[s][0])[c])

    NA = -1  # marker for ".." in the arrays
    width = len(rows) * n_years
    kom_vals = []
    for i, (_code, _label, pop, _lan) in enumerate(kommuner):
        growth = rng.uniform(-0.012, 0.02)
        trend = [(1 + growth) ** (y - 2024) for y in YEARS]
        first = late.get(i)
        v = array("q", bytes(8 * width))
        j = 0
        rand = rng.random
        for share in row_share:
            base = pop * share
            for t in trend:
                v[j] = int(base * t * (0.9 + 0.2 * rand()) + 0.5)
                j += 1
        kom_vals.append((v, first))

    # Aggregates: län and riket sum the true values of their kommuner (also before a kommun existed).
    lan_sum = {code: array("q", bytes(8 * width)) for code, *_ in LAN}
    riket = array("q", bytes(8 * width))
    for (v, _first), k in zip(kom_vals, kommuner):
        acc = lan_sum[k[3]]
        for j in range(width):
            acc[j] += v[j]
    for acc in lan_sum.values():
        for j in range(width):
            riket[j] += acc[j]
    # Now blank the early years of the late kommuner.
    year_idx = {y: i for i, y in enumerate(YEARS)}
    for v, first in kom_vals:
        if first is not None:
            stop = year_idx[first]
            for r in range(len(rows)):
                for t in range(stop):
                    v[r * n_years + t] = NA

    order = [("00", "Riket", riket)]
    for code, name, _pop, _n in LAN:
        order.append((code, name, lan_sum[code]))
        order += [(k[0], k[1], kv[0]) for k, kv in zip(kommuner, kom_vals) if k[3] == code]

    def qlist(items, per_line=10):
        """Quoted list, broken (CRLF) only after a comma, never inside a string."""
        q = [f'"{x}"' for x in items]
        return ",\r\n".join(",".join(q[i:i + per_line]) for i in range(0, len(q), per_line))

    dims = {
        "region": ([c for c, _, _ in order], [n for _, n, _ in order]),
        "civilstånd": ([c for c, _ in CIV], [n for _, n in CIV]),
        "ålder": ([c for c, _ in AGES], [n for _, n in AGES]),
        "kön": ([c for c, _ in SEX], [n for _, n in SEX]),
        "år": ([str(y) for y in YEARS], [str(y) for y in YEARS]),
    }
    var_code = {"region": "Region", "civilstånd": "Civilstand", "ålder": "Alder", "kön": "Kon",
                "år": "Tid"}
    h = [
        'CHARSET="ANSI";', 'AXIS-VERSION="2010";', 'CODEPAGE="windows-1252";', 'LANGUAGE="sv";',
        'CREATION-DATE="20250221 08:00";', 'DECIMALS=0;', 'SHOWDECIMALS=0;',
        'MATRIX="BE0101N1";', 'SUBJECT-CODE="BE";', 'SUBJECT-AREA="Befolkning";',
        'DESCRIPTION="Folkmängden efter region, civilstånd, ålder och kön. År 1968 - 2024";',
        'TITLE="Folkmängden efter region, civilstånd, ålder, kön och år";',
        'CONTENTS="Folkmängd";', 'UNITS="antal";',
        'STUB=' + ",".join(f'"{s}"' for s in STUB) + ';',
        'HEADING=' + ",".join(f'"{s}"' for s in HEADING) + ';',
    ]
    for name in STUB + HEADING:
        codes, labels = dims[name]
        h.append(f'VALUES("{name}")=' + qlist(labels) + ";")
    for name in STUB + HEADING:
        codes, _ = dims[name]
        h.append(f'CODES("{name}")=' + qlist(codes) + ";")
    h.append('TIMEVAL("år")=TLIST(A1),' + qlist(dims["år"][0]) + ";")
    for name in STUB + HEADING:
        h.append(f'VARIABLE-CODE("{name}")="{var_code[name]}";')
    h += [
        'ELIMINATION("region")="Riket";', 'ELIMINATION("civilstånd")=YES;',
        'ELIMINATION("ålder")=YES;', 'ELIMINATION("kön")=YES;',
        'LAST-UPDATED="20250221 08:00";', 'CONTACT="Befolkningsstatistik, SCB (syntetisk)";',
        'SOURCE="Statistiska centralbyrån; syntetiska uppgifter för prestandamätning";',
        'NOTE="Syntetisk tabell (synthetic). Kommuner som bildats senare saknar uppgift (..) för '
        'åren före bildandet.";',
        'DATASYMBOL2="uppgift saknas";', 'DATASYMBOLNIL="noll";',
        "DATA=",
    ]
    header = "\r\n".join(h) + "\r\n"

    n_cells = n_na = n_nil = 0
    total = 0
    vmax = 0
    vmin = None
    with open(out, "wb") as f:
        f.write(header.encode("cp1252"))  # strict: every label must be windows-1252
        last = len(order) - 1
        for ri, (_code, _label, v) in enumerate(order):
            lines = []
            for r in range(len(rows)):
                cells = []
                for x in v[r * n_years:(r + 1) * n_years]:
                    if x == NA:
                        cells.append('".."')
                        n_na += 1
                    elif x == 0:
                        cells.append('"-"')
                        n_nil += 1
                    else:
                        cells.append(str(x))
                        total += x
                        if x > vmax:
                            vmax = x
                        if vmin is None or x < vmin:
                            vmin = x
                lines.append(" ".join(cells))
                n_cells += len(cells)
            text = "\r\n".join(lines) + (";\r\n" if ri == last else "\r\n")
            f.write(text.encode("ascii"))
    expected = {
        "cells": n_cells, "dotdot": n_na, "nil": n_nil, "sum": total,
        "min": 0 if n_nil else vmin, "max": vmax,
        "dims": [{"name": n, "size": len(dims[n][0]), "first_label": dims[n][1][0],
                  "last_label": dims[n][1][-1]} for n in STUB + HEADING],
        "bytes": os.path.getsize(out),
    }
    with open(out + ".expected.json", "w", encoding="utf-8") as f:
        json.dump(expected, f, ensure_ascii=False, indent=1)
    print(f"generated {out}: {expected['bytes'] / MB:.1f} MB, {n_cells:,} cells "
          f"({n_na:,} '..', {n_nil:,} '-')")


def check(what, got, want, problems):
    if got != want:
        problems.append(f"{what}: got {got!r}, expected {want!r}")


def bench(path, hwf, runs):
    with open(path + ".expected.json", encoding="utf-8") as f:
        exp = json.load(f)
    size = os.path.getsize(path)
    problems = []

    # --- hwf: untimed run for the checks, then best of `runs` timed runs, output to /dev/null.
    out = subprocess.run([hwf, "inspect", path, "--json"], check=True, capture_output=True)
    info = json.loads(out.stdout)
    st = info["status"]
    check("hwf cells", info["cells"], exp["cells"], problems)
    check("hwf missing+suppressed", st["missing"] + st["suppressed"], exp["dotdot"], problems)
    check("hwf zero", st["zero"], exp["nil"], problems)
    check("hwf observed", st["observed"], exp["cells"] - exp["dotdot"] - exp["nil"], problems)
    check("hwf value_max", info["value_max"], exp["max"], problems)
    check("hwf value_min", info["value_min"], exp["min"], problems)
    check("hwf dimension labels", [d["label_sv"] for d in info["dimensions"]],
          [d["name"] for d in exp["dims"]], problems)
    check("hwf dimension sizes", [d["size"] for d in info["dimensions"]],
          [d["size"] for d in exp["dims"]], problems)
    check("hwf region labels (first, last)",
          (info["dimensions"][0]["codes"][0]["label_sv"], info["dimensions"][0]["codes"][-1]["label_sv"]),
          (exp["dims"][0]["first_label"], exp["dims"][0]["last_label"]), problems)
    hwf_times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([hwf, "inspect", path, "--json"], check=True, stdout=subprocess.DEVNULL)
        hwf_times.append(time.perf_counter() - t0)
    hwf_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB -> MiB

    # --- pyaxis: best of `runs` in-process parses.
    import pandas as pd
    from pyaxis import pyaxis
    py_times = []
    res = None
    for _ in range(runs):
        res = None
        gc.collect()
        t0 = time.perf_counter()
        res = pyaxis.parse(uri=path, encoding="windows-1252")
        py_times.append(time.perf_counter() - t0)
        check("pyaxis cells (this run)", len(res["DATA"]), exp["cells"], problems)
    py_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    df = res["DATA"]
    data = df["DATA"]
    check("pyaxis columns", list(df.columns), [d["name"] for d in exp["dims"]] + ["DATA"], problems)
    check("pyaxis region labels (first, last)", (df["region"].iloc[0], df["region"].iloc[-1]),
          (exp["dims"][0]["first_label"], exp["dims"][0]["last_label"]), problems)
    py_na = int(data.isna().sum())
    py_nil = int((data == '"-"').sum())
    check("pyaxis '..' (NaN)", py_na, exp["dotdot"], problems)
    check("pyaxis '-'", py_nil, exp["nil"], problems)
    nums = pd.to_numeric(data.where(data != '"-"', "0"), errors="coerce")
    check("pyaxis numeric cells", int(nums.notna().sum()), exp["cells"] - exp["dotdot"], problems)
    check("pyaxis sum", int(nums.sum()), exp["sum"], problems)
    check("pyaxis max", int(nums.max()), exp["max"], problems)
    # Same cells and same missing cells in both readers (also implied by the checks above).
    check("hwf vs pyaxis cells", info["cells"], len(df), problems)
    check("hwf vs pyaxis missing", st["missing"] + st["suppressed"], py_na, problems)
    del df, data, nums, res

    hwf_s, py_s = min(hwf_times), min(py_times)
    mb = size / MB
    print()
    print(f"{'file MB':>8} {'hwf s':>8} {'hwf MB/s':>9} {'pyaxis s':>9} {'pyaxis MB/s':>12}")
    print(f"{mb:8.1f} {hwf_s:8.3f} {mb / hwf_s:9.1f} {py_s:9.3f} {mb / py_s:12.1f}")
    print(f"(MB = 10^6 bytes; best of {runs}; hwf runs {', '.join(f'{t:.3f}' for t in hwf_times)} s; "
          f"pyaxis runs {', '.join(f'{t:.3f}' for t in py_times)} s)")
    verdict = ("both readers match the generator and each other (cells, '..', '-', labels; "
               "pyaxis sum/max, hwf min/max)" if not problems else
               f"{len(problems)} CHECK(S) FAILED, see below")
    print(f"cells {exp['cells']:,} ({exp['dotdot']:,} '..', {exp['nil']:,} '-'): {verdict}")
    print(f"peak RSS: hwf {hwf_rss:,.0f} MiB, pyaxis process {py_rss:,.0f} MiB "
          f"(pyaxis leaves cells as strings: its time includes no number parsing)")
    for p in problems:
        print(f"CHECK FAILED: {p}")
    print(f"px read: hwf {mb / hwf_s:.1f} MB/s, pyaxis {mb / py_s:.1f} MB/s, "
          f"ratio {py_s / hwf_s:.1f}× (same run)")
    return 1 if problems else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("gen")
    g.add_argument("out")
    b = sub.add_parser("bench")
    b.add_argument("file")
    b.add_argument("--hwf", required=True)
    b.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    if a.cmd == "gen":
        gen(a.out)
        return 0
    return bench(a.file, a.hwf, a.runs)


if __name__ == "__main__":
    sys.exit(main())
