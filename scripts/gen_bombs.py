#!/usr/bin/env python3
"""Writes issue 20's memory bombs at full size into a folder (not committed: some are 100 MB), for
the figures in README's "Limits" section. Usage: python3 scripts/gen_bombs.py /tmp/bombs
Then: scripts/measure_bombs.sh /tmp/bombs (peak memory and time to the error of each)."""
import os
import sys
import zipfile
import zlib

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)


def q(items):
    return ",".join('"%s"' % x for x in items)


def keys_px(name, a, b, c):
    text = ('CHARSET="ANSI";\nLANGUAGE="en";\nSTUB="a","b";\nHEADING="c";\n'
            'VALUES("a")=%s;\nVALUES("b")=%s;\nVALUES("c")=%s;\n'
            'KEYS("a")=VALUES;\nKEYS("b")=VALUES;\nDATA=\n"0","0",%s\n;\n') % (
        q(range(a)), q(range(b)), q(range(c)), ",".join("1" for _ in range(c)))
    open(os.path.join(out, name), "w").write(text)


keys_px("px_keys_399M.px", 1000, 1000, 399)   # the 15 KB abort
keys_px("px_keys_100M.px", 1000, 1000, 100)   # the 12.6 KB variant accepted as 100 M cells

# JSON-stat, 20000 x 19999, sparse value (about 338 KB).
dims = ",".join('"%s":{"category":{"index":[%s]}}' % (d, q(range(n)))
                for d, n in (("a", 20000), ("b", 19999)))
open(os.path.join(out, "jsonstat_20000x19999.json"), "w").write(
    '{"version":"2.0","class":"dataset","id":["a","b"],"size":[20000,19999],"dimension":{%s},'
    '"value":{"0":1}}\n' % dims)

# CSV: one line of 100 MB and of 120 MB.
for mb in (100, 120):
    with open(os.path.join(out, "csv_one_line_%dMB.csv" % mb), "w") as f:
        f.write("kommun;antal\n0114;")
        chunk = "9" * (1 << 20)
        for _ in range(mb):
            f.write(chunk)
        f.write("\n")

import gen_malformed_parts as parts  # noqa: E402  (the minimal workbook of gen_malformed.py)


def stream_book(name, sheet_chunks, shared=None):
    with zipfile.ZipFile(os.path.join(out, name), "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        for pname, text in parts.fixed_parts():
            z.writestr(pname, text)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            for c in sheet_chunks():
                f.write(c)
        if shared is not None:
            with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
                for c in shared():
                    f.write(c)


def rows(n):
    def gen():
        yield parts.SHEET_HEAD.encode()
        yield b'<row r="1"><c r="A1" t="inlineStr"><is><t>kommun</t></is></c><c r="B1" t="inlineStr"><is><t>antal</t></is></c></row>'
        # Rows without r attributes repeat byte for byte, so they deflate about a thousandfold.
        block = b'<row><c t="inlineStr"><is><t>0114</t></is></c><c><v>5</v></c></row>' * 10000
        for _ in range(n // 10000):
            yield block
        yield parts.SHEET_TAIL.encode()
    return gen


# A zip bomb of real rows: ~2.9 GB of sheet XML in a few MB (the "3 MB accepted in 2.9 GB").
stream_book("xlsx_rows_bomb.xlsx", rows(43_000_000))


# One shared string of 2 GiB (the 2 MB file).
def big_string():
    yield b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>'
    chunk = b"a" * (1 << 24)
    for _ in range(128):
        yield chunk
    yield b"</t></si></sst>"


def small_sheet():
    yield (parts.SHEET_HEAD + '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>x</t></is></c></row>'
           + parts.SHEET_TAIL).encode()


stream_book("xlsx_shared_string_2GiB.xlsx", small_sheet, big_string)
print("written to", out)
