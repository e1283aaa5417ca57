#!/usr/bin/env python3
"""Writes the hostile-input fixtures of tests/fixtures/malformed/ (issue 20's fault classes).

Each file is small and deterministic; the catalogue (CATALOGUE.md) says which error each must give.
Run from the repository root: python3 scripts/gen_malformed.py
"""
import io
import os
import struct
import zipfile
import zlib

OUT = "tests/fixtures/malformed"


def write(name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def ansi(s):
    return s.encode("cp1252")


def qlist(items):
    return ",".join('"%s"' % x for x in items)


# ---------- PC-Axis ----------
HEAD = 'CHARSET="ANSI";\nLANGUAGE="sv";\n'

write("px_values_twice.px", ansi(
    HEAD + 'STUB="län";\nHEADING="år";\nVALUES("län")="01","03";\n'
    'VALUES("län")="01","03","04";\nVALUES("år")="2020";\nDATA=\n1\n2;\n'))
write("px_stub_repeated.px", ansi(
    HEAD + 'STUB="län","län";\nHEADING="år";\nVALUES("län")="01","03";\n'
    'VALUES("år")="2020";\nDATA=\n1\n2;\n'))
write("px_variable_code_twice.px", ansi(
    HEAD + 'STUB="län";\nHEADING="år";\nVALUES("län")="01","03";\nVALUES("år")="2020";\n'
    'VARIABLE-CODE("län")="x";\nVARIABLE-CODE("år")="x";\nDATA=\n1\n2;\n'))
write("px_tlist_overflow.px", ansi(
    HEAD + 'STUB="län";\nHEADING="år";\nVALUES("län")="01","03";\n'
    'TIMEVAL("år")=TLIST(A1,"2147483647"-"2147483647");\nDATA=\n1\n2;\n'))
write("px_tlist_reversed.px", ansi(
    HEAD + 'STUB="län";\nHEADING="år";\nVALUES("län")="01","03";\n'
    'TIMEVAL("år")=TLIST(A1,"2021"-"2019");\nDATA=\n1 2 3\n4 5 6;\n'))
write("px_bad_cells.px", ansi(
    HEAD + 'STUB="län";\nHEADING="år";\nVALUES("län")="01","03","04";\nVALUES("år")="2019","2020";\n'
    'DATA=\n1 abc\n1e400 4\n5 x;\n'))


def keys_px(name, sizes, cells):
    a, b, c = sizes
    text = ('CHARSET="ANSI";\nLANGUAGE="en";\nSTUB="a","b";\nHEADING="c";\n'
            'VALUES("a")=%s;\nVALUES("b")=%s;\nVALUES("c")=%s;\n'
            'KEYS("a")=VALUES;\nKEYS("b")=VALUES;\nDATA=\n"0","0",%s\n;\n') % (
        qlist(range(a)), qlist(range(b)), qlist(range(c)), ",".join("1" for _ in range(cells)))
    write(name, ansi(text))


# The 15 KB bomb: a 1000 x 1000 x 399 cube with one key row.
keys_px("px_keys_bomb.px", (1000, 1000, 399), 399)
# Under the cell limit, but 10 M cells filled out from the 1000 one row writes.
keys_px("px_keys_sparse.px", (100, 100, 1000), 1000)
# A dense cube of 2 M cells whose DATA holds three.
write("px_dense_overstated.px", ansi(
    'CHARSET="ANSI";\nLANGUAGE="en";\nSTUB="a";\nHEADING="b";\nVALUES("a")=%s;\nVALUES("b")=%s;\n'
    'DATA=\n1 2 3;\n' % (qlist(range(2000)), qlist(range(1000)))))

# ---------- JSON-stat ----------


def jsonstat(ids, sizes, cats, value, extra=""):
    dims = ",".join('"%s":{"category":{"index":[%s]}}' % (i, qlist(c)) for i, c in zip(ids, cats))
    return ('{"version":"2.0","class":"dataset","label":"t","id":[%s],"size":[%s],'
            '"dimension":{%s},"value":%s%s}\n') % (
        qlist(ids), ",".join(str(s) for s in sizes), dims, value, extra)


write("jsonstat_sparse_bomb.json", jsonstat(
    ["a", "b", "c"], [1000, 1000, 51], [range(1000), range(1000), range(51)], '{"0":1}'))
write("jsonstat_sparse_expansion.json", jsonstat(
    ["a", "b"], [1000, 1001], [range(1000), range(1001)], '{"0":1}'))
write("jsonstat_negative_size.json",
      '{"version":"2.0","class":"dataset","id":["a","b"],"size":[-2,-2],'
      '"dimension":{"a":{"category":{"index":["1","2"]}},"b":{"category":{"index":["1","2"]}}},'
      '"value":[1,2,3,4]}\n')
write("jsonstat_duplicate_id.json", jsonstat(
    ["län", "län"], [2, 2], [["01", "03"], ["01", "03"]], "[1,2,3,4]"))
write("jsonstat_duplicate_category.json", jsonstat(
    ["län", "år"], [2, 2], [["01", "01"], ["2019", "2020"]], "[1,2,3,4]"))
# A NUL inside a category label, which hwf's own CSV of the table cannot carry.
write("jsonstat_nul_label.json",
      '{"version":"2.0","class":"dataset","label":"t","id":["kommun","år"],"size":[2,1],'
      '"dimension":{"kommun":{"category":{"index":["0114","0115"],'
      '"label":{"0114":"Upplands V\\u0000sby","0115":"Vallentuna"}}},'
      '"år":{"category":{"index":["2020"]}}},"value":[1,2]}\n')

# ---------- CSV ----------
write("csv_thousands_point.csv", "kommun;antal\n0114;1.500\n0115;2.300\n")
write("csv_nan_inf.csv", "kommun;antal\n0114;nan\n0115;5\n0116;inf\n0117;1e400\n")
write("csv_nul.csv", b"kommun;antal\n0114;5\n0115;\x006\n")
write("csv_utf16_no_bom.csv", "kommun;antal\n0114;5\n0115;6\n".encode("utf-16-le"))
write("csv_bom_not_utf8.csv", b"\xef\xbb\xbfkommun;antal\nG\xf6teborg;5\n")
write("csv_long_token.csv", "kommun;antal\n0114;5\n0115;6\n0116;%s\n" % ("9x" * 2500))
write("csv_long_line.csv", "kommun;antal\n0114;5\n0115;%s\n" % ("6" * 200))

# ---------- xlsx ----------
CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      '<Default Extension="xml" ContentType="application/xml"/>'
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
      '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
      '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
      '</Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>')
WB = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
      '<sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>')
WB_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
           '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
           '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
           '</Relationships>')
STYLES = ('<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
          '<fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders>'
          '<cellStyleXfs count="1"><xf/></cellStyleXfs>'
          '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>')


def cell(ref, v, style=None):
    s = ' s="%d"' % style if style is not None else ""
    if isinstance(v, str):
        return '<c r="%s" t="inlineStr"%s><is><t>%s</t></is></c>' % (ref, s, v)
    return '<c r="%s"%s><v>%s</v></c>' % (ref, s, v)


def sheet(rows, pad=""):
    body = "".join('<row r="%d">%s</row>' % (r, "".join(cell(*c) for c in cs)) for r, cs in rows)
    return ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<sheetData>%s%s</sheetData></worksheet>') % (body, pad)


def xlsx(parts):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts:
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text, compresslevel=9)
    return bytearray(buf.getvalue())


def book(sheet_xml, extra=()):
    return xlsx([("[Content_Types].xml", CT), ("_rels/.rels", RELS), ("xl/workbook.xml", WB),
                 ("xl/_rels/workbook.xml.rels", WB_RELS), ("xl/styles.xml", STYLES),
                 ("xl/worksheets/sheet1.xml", sheet_xml)] + list(extra))


GOOD = [(1, [("A1", "kommun"), ("B1", "antal")]), (2, [("A2", "0114"), ("B2", 5)])]


def set_size(data, name, size):
    """Rewrites the uncompressed size of part `name` in its local and central headers."""
    n = name.encode()
    i = 0
    while True:
        i = data.find(b"PK\x03\x04", i)
        if i < 0:
            break
        ln = struct.unpack_from("<H", data, i + 26)[0]
        if data[i + 30:i + 30 + ln] == n:
            struct.pack_into("<I", data, i + 22, size)
        i += 4
    i = 0
    while True:
        i = data.find(b"PK\x01\x02", i)
        if i < 0:
            break
        ln = struct.unpack_from("<H", data, i + 28)[0]
        if data[i + 46:i + 46 + ln] == n:
            struct.pack_into("<I", data, i + 24, size)
        i += 4
    return data


write("xlsx_far_cell.xlsx", bytes(book(sheet(GOOD + [(1048576, [("XFD1048576", 1)])]))))
write("xlsx_date_value.xlsx", bytes(book(sheet(
    GOOD + [(3, [("A3", "0115"), ("B3", 43831, 1)]), (4, [("A4", "0117"), ("B4", 7)])]))))
# A code cell holding a NUL, written as Excel escapes it (_x0000_); calamine unescapes it.
write("xlsx_nul_cell.xlsx", bytes(book(sheet(
    GOOD + [(3, [("A3", "01_x0000_15"), ("B3", 6)])]))))
# 20 MiB of white space between rows: valid XML, deflated about a thousandfold.
write("xlsx_zip_bomb.xlsx", bytes(book(sheet(GOOD, pad=" " * (20 << 20)))))
# A part that declares 2 GiB (the one shared string of 2 GiB), refused from the directory.
write("xlsx_huge_declared.xlsx", bytes(set_size(
    book(sheet(GOOD), [("xl/sharedStrings.xml", "<sst/>")]), "xl/sharedStrings.xml", 2 << 30)))
# A part that declares 1,000 bytes and inflates to more.
write("xlsx_size_lies.xlsx", bytes(set_size(
    book(sheet(GOOD, pad=" " * 100_000)), "xl/worksheets/sheet1.xml", 1000)))

# ---------- allocation ----------
FUNDING = "source,recipient,area,period_start,period_end,amount_sek,purpose\n"
write("funding_period_huge.csv", FUNDING + "Anslag 1:1,23,,0,4000000000,1000000,x\n")
write("funding_fractional_years.csv", FUNDING + "Anslag 1:1,23,,2020.7,2021.2,1000000,x\n")
write("spec_total_too_large.toml",
      'title = "t"\ntotal = 18446744073709551615\nfloor = 18446744073709551615\n'
      'recipients = "municipalities"\n\n[[indicator]]\nname = "population"\n'
      'table = "population.csv"\nyear = "2019"\nweight = 1.0\n')

appendix = open("data/allocation/seed003_appendix.csv", encoding="utf-8").read().splitlines()
head, rows = appendix[0], appendix[1:]
dup = []
for r in rows:
    f = r.split(",")
    if f[0] == "1489":
        amount = int(f[2])
        dup.append(",".join([f[0], f[1], str(amount // 2)] + f[3:]))
        dup.append(",".join([f[0], f[1], str(amount - amount // 2)] + f[3:]))
    else:
        dup.append(r)
write("audit_split_recipient.csv", "\n".join([head] + dup) + "\n")
floor = [",".join(r.split(",")[:2] + ["35000"] + r.split(",")[3:]) for r in rows]
write("audit_all_at_floor.csv", "\n".join([head] + floor) + "\n")
write("audit_missing_recipients.csv", "\n".join([head] + rows[10:]) + "\n")
