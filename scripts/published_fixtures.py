#!/usr/bin/env python3
"""Writes tests/fixtures/published/: the embedded default data relabelled in the shapes agencies
publish (Socialstyrelsen's statistical database, SCB's population export), and a few broken
copies, as CSV and xlsx. Deterministic; run from the repository root:

    python3 scripts/published_fixtures.py

Every file is made from data/default/ (synthetic data) and data/codes/; the expected outcome of
each is in tests/fixtures/published/README.md and asserted in tests/contract.rs.
"""

import csv
import io
import os
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "fixtures", "published")


def codes(name):
    with open(os.path.join(ROOT, "data", "codes", name), encoding="utf-8") as f:
        return list(csv.DictReader(f))


COUNTIES = {r["code"]: r for r in codes("counties.csv")}
PROFESSIONS = {r["code"]: r for r in codes("professions.csv")}
PLURAL = {}
with open(os.path.join(ROOT, "data", "codes", "aliases.csv"), encoding="utf-8") as f:
    for r in csv.DictReader(f):
        # The first Swedish plural listed for each profession (Socialstyrelsen's spelling).
        if r["list"] == "professions" and r["code"] not in PLURAL and not r["alias"][0].isascii():
            PLURAL[r["code"]] = r["alias"]
for code, r in PROFESSIONS.items():
    # Professions whose plural is spelt like the singular (Läkare, Optiker) or in ASCII.
    PLURAL.setdefault(code, r["name_sv"])
for code, alias in [("ATP", "Arbetsterapeuter"), ("AUD", "Audionomer"), ("BMO", "Barnmorskor"),
                    ("DIE", "Dietister"), ("FYS", "Fysioterapeuter"), ("KIR", "Kiropraktorer"),
                    ("LOG", "Logopeder"), ("NAP", "Naprapater"), ("PSY", "Psykologer"),
                    ("PST", "Psykoterapeuter"), ("REC", "Receptarier"), ("SSK", "Sjuksköterskor"),
                    ("THY", "Tandhygienister"), ("SSSK", "Specialistsjuksköterskor"),
                    ("BMA", "Biomedicinska analytiker")]:
    PLURAL[code] = alias
SECTOR = {"R": "Region", "K": "Kommun", "P": "Privat"}
SEX = {"1": "Män", "2": "Kvinnor"}
ASSESS = {"brist": "Brist", "balans": "Balans", "överskott": "Överskott"}


def px(name):
    """The cells of a default PX file: (list of (variable, codes)), data values in stub/heading order."""
    text = open(os.path.join(ROOT, "data", "default", name), encoding="cp1252").read()
    head, data = text.split("DATA=", 1)
    stmts = head.replace("\r", "").split(";\n")
    def strings(v):
        return [s for s in v.replace("\n", "").split('"')[1::2]]
    stub = heading = None
    cds = {}
    for s in stmts:
        s = s.strip()
        if s.startswith("STUB="):
            stub = strings(s[5:])
        elif s.startswith("HEADING="):
            heading = strings(s[8:])
        elif s.startswith('CODES("'):
            var = s[7:s.index('")')]
            cds[var] = strings(s[s.index("=") + 1:])
    dims = [(v, cds[v]) for v in stub + heading]
    if "KEYS(" not in head:
        return dims, data.replace(";", " ").split()
    # The KEYS layout: each row starts with the keys of the stub variables; rows left out are 0.
    ncell = 1
    for _, c in dims[len(stub):]:
        ncell *= len(c)
    rows = {}
    for line in data.replace(";", "").strip().splitlines():
        parts = line.split('"')
        keys = tuple(parts[1:-1:2])
        rows[keys] = parts[-1].lstrip(",").split()
    values = []
    def walk(i, key):
        if i == len(stub):
            values.extend(rows.get(tuple(key), ["0"] * ncell))
            return
        for c in dims[i][1]:
            walk(i + 1, key + [c])
    walk(0, [])
    return dims, values


def cells(dims, values):
    """Yields (dict var -> code, value) in PX order."""
    sizes = [len(c) for _, c in dims]
    idx = [0] * len(dims)
    for v in values:
        yield {dims[i][0]: dims[i][1][idx[i]] for i in range(len(dims))}, v
        for i in reversed(range(len(dims))):
            idx[i] += 1
            if idx[i] < sizes[i]:
                break
            idx[i] = 0


def read_csv(name, delim):
    with open(os.path.join(ROOT, "data", "default", name), encoding="utf-8-sig") as f:
        return list(csv.reader(f, delimiter=delim))


def write_csv(name, rows, delim=";", quote=False):
    path = os.path.join(OUT, name)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=delim, lineterminator="\r\n",
                       quoting=csv.QUOTE_NONNUMERIC if quote else csv.QUOTE_MINIMAL)
        for r in rows:
            w.writerow(r)
    return rows


def col(n):
    s = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_xlsx(name, rows):
    """A minimal xlsx: one sheet, strings inline, numbers as numbers."""
    sheet = io.StringIO()
    sheet.write('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
    for i, r in enumerate(rows):
        sheet.write(f'<row r="{i + 1}">')
        for j, v in enumerate(r):
            ref = f"{col(j)}{i + 1}"
            if isinstance(v, (int, float)):
                sheet.write(f'<c r="{ref}"><v>{v}</v></c>')
            else:
                sheet.write(f'<c r="{ref}" t="inlineStr"><is><t>{esc(str(v))}</t></is></c>')
        sheet.write("</row>")
    sheet.write("</sheetData></worksheet>")
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Tabell" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet.getvalue(),
    }
    path = os.path.join(OUT, name)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, body in files.items():
            info = zipfile.ZipInfo(n, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, body)


def num(s):
    return float(s.replace(",", ".")) if ("," in s or "." in s) else int(s)


def main():
    os.makedirs(OUT, exist_ok=True)
    # Care use, relabelled: sectors as words, Män/Kvinnor, "34 år", "100+ år".
    rows = read_csv("care_use.csv", ";")
    out = [["Huvudman", "Kön", "Ålder", "Vårdkonsumtion per person"]]
    for r in rows[1:]:
        age = "100+ år" if r[2] == "100" else f"{r[2]} år"
        out.append([SECTOR[r[0]], SEX[r[1]], age, r[3]])
    write_csv("care_use_published.csv", out)
    write_xlsx("care_use_published.xlsx", [out[0]] + [r[:3] + [num(r[3])] for r in out[1:]])

    # Balance, as the regions answer: region names, plural professions, Region/Kommun.
    rows = read_csv("balance.csv", ",")
    out = [["År", "Region", "Yrke", "Huvudman", "Bedömning", "Antal"]]
    for r in rows[1:]:
        out.append([r[0], COUNTIES[r[1]]["region_name_sv"], PLURAL[r[2]], SECTOR[r[3]],
                    ASSESS[r[4]], r[5]])
    write_csv("balance_published.csv", out)
    one = [out[0]] + [r for r in out[1:] if r[1] == "Region Jämtland Härjedalen"]
    write_csv("balance_one_county.csv", one)

    # Population as SCB's export: a title line, then "01 Stockholms län","0 år","män",…
    dims, values = px("population.px")
    years = dims[3][1]
    table = {}
    for key, v in cells(dims, values):
        table.setdefault((key["län"], key["kön"], key["ålder"]), {})[key["år"]] = v
    out = [["Folkmängd efter region, ålder, kön och år"], [],
           ["region", "ålder", "kön"] + years]
    for c in dims[0][1]:
        for a in dims[2][1]:
            for s in dims[1][1]:
                cell = table[(c, s, a)]
                age = "100+ år" if a == "100" else f"{a} år"
                out.append([f"{c} {COUNTIES[c]['name_sv']}", age, "män" if s == "1" else "kvinnor"]
                           + [int(cell[y]) for y in years])
    write_csv("population_scb.csv", out, delim=",", quote=True)

    # Licensed persons in one county only (the planner's own), as the statistical database
    # writes them: plural professions, county names, Män/Kvinnor, "34 år", years as columns.
    dims, values = px("licensed.px")
    years = dims[4][1]
    table = {}
    for key, v in cells(dims, values):
        if key["län"] == "23" and key["yrke"] in ("SSK", "LAK"):
            table.setdefault((key["yrke"], key["kön"], key["ålder"]), {})[key["år"]] = v
    head = ["Yrke", "Län", "Kön", "Ålder"] + years
    out = [head]
    for (p, s, a), cell in sorted(table.items(), key=lambda kv: (kv[0][0], kv[0][1], int(kv[0][2]))):
        out.append([PLURAL[p], COUNTIES["23"]["name_sv"], SEX[s], f"{a} år"]
                   + [int(cell[y]) for y in years])
    write_csv("licensed_one_county.csv", out)
    write_xlsx("licensed_one_county.xlsx", out)

    # The same in 10-year bands (20-29 … 60-69, 70+): bands are refused for now.
    banded = [head]
    for p in ("LAK", "SSK"):
        for s in ("1", "2"):
            for lo, hi, label in [(20, 29, "20-29 år"), (30, 39, "30-39 år"), (40, 49, "40-49 år"),
                                  (50, 59, "50-59 år"), (60, 69, "60-69 år"), (70, 74, "70+ år")]:
                sums = [sum(int(table[(p, s, str(a))][y]) for a in range(lo, hi + 1)) for y in years]
                banded.append([PLURAL[p], COUNTIES["23"]["name_sv"], SEX[s], label] + sums)
    write_csv("licensed_bands.csv", banded)

    # Suppressed cells: small counts shown as ".." (as the statistical database does below 5).
    supp = [head]
    for r in out[1:]:
        supp.append(r[:4] + [".." if 0 < int(v) < 5 else v for v in r[4:]])
    write_csv("licensed_suppressed.csv", supp)

    # Near misses: county and profession names without their diacritics or misspelt.
    miss = [head]
    for r in out[1:3]:
        miss.append(["Sjukskoterskor", "Jamtlands lan"] + r[2:])
    write_csv("licensed_near_miss.csv", miss)

    # Employed persons as SCB's occupational register publishes them (issue 13.5): one county,
    # persons only (no FTE), no sector; SCB's export layout ("23 Jämtlands län","män","34 år").
    edims, evalues = px("employed.px")
    names = [v for v, _ in edims]
    eyears = edims[names.index("år")][1]
    persons = {}
    for key, v in cells(edims, evalues):
        if key["län"] == "23" and key["tabellinnehåll"] == "EMP":
            k = (key["yrke"], key["kön"], key["ålder"])
            cell = persons.setdefault(k, {y: 0 for y in eyears})
            cell[key["år"]] += int(v)
    order = list(edims[names.index("yrke")][1])
    emp = [["Anställda efter region, yrke, kön, ålder och år"], [],
           ["region", "yrke", "kön", "ålder"] + eyears]
    for (p, s, a), cell in sorted(persons.items(), key=lambda kv: (order.index(kv[0][0]), kv[0][1], int(kv[0][2]))):
        emp.append([f"23 {COUNTIES['23']['name_sv']}", PLURAL[p], "män" if s == "1" else "kvinnor", f"{a} år"]
                   + [cell[y] for y in eyears])
    write_csv("employed_persons_23.csv", emp, delim=",", quote=True)


if __name__ == "__main__":
    main()
