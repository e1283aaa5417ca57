#!/usr/bin/env python3
"""Open hwf's HTML report in a real browser (Debian's headless Chromium) with the network off.

At a phone's width (400 px) and a desktop's (1 400 px), checks: no console errors, no request that
leaves the file (every request other than the file itself is blocked and counted as a failure),
every <img> loaded, every chart (inline SVG) there and visible, one drawing shown per chart (the
narrow one of a chart drawn twice below 800 px, the wide one above), the page no wider than the window
(wide tables and charts scroll in their own box), and no text on screen under 10 px (chart text
by its size times the scale the chart is drawn at). Takes a screenshot per width for a person to
look at: PREFIX-400.png and PREFIX-1400.png.

    python3 scripts/browser_check.py out/report/report.html out/report-screenshot
    python3 scripts/browser_check.py out/report/explorer.html out/explorer-screenshot

For the explorer (a file named ...explorer.html) it also picks a profession and a county and checks
the chart changes and the table's last year shows the supply and demand of projection/results.csv.

Needs `pip install playwright` (the Python package only; the browser is Debian's chromium, so no
browser download is needed).
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


WIDTHS = (400, 1400)

# Text below this many CSS pixels on screen is a problem: HTML text by its computed size, chart
# text by its font size times the scale the SVG is drawn at.
MIN_TEXT_PX = 10.0

SMALL_TEXT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  while (walker.nextNode()) {
    const n = walker.currentNode;
    if (!n.textContent.trim()) continue;
    const el = n.parentElement;
    if (!el || seen.has(el)) continue;
    seen.add(el);
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    let px = parseFloat(style.fontSize);
    if (el.closest('title')) continue;
    if (el instanceof SVGElement && el.getScreenCTM) {
      const m = el.getScreenCTM();
      if (m) px *= Math.hypot(m.a, m.b);
    }
    if (el.closest('details:not([open])')) continue;
    if (px < %f) out.push([el.tagName, px.toFixed(1), n.textContent.trim().slice(0, 40)]);
  }
  return out;
}""" % MIN_TEXT_PX


def check(browser, url, width, shot, problems):
    """Loads the page at `width` px, checks it and takes a screenshot; returns the chart count."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.on("console", lambda m: problems.append(f"{width} px: console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"{width} px: page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"{width} px: request failed: {r.url}"))

    def route(r):
        if r.request.url == url:
            r.continue_()
        else:
            problems.append(f"request leaves the file: {r.request.url}")
            r.abort()

    page.route("**/*", route)
    page.goto(url, wait_until="load")
    images = page.evaluate(
        "Array.from(document.images).map(i => [i.src.slice(0, 60), i.complete && i.naturalWidth > 0])"
    )
    for src, ok in images:
        if not ok:
            problems.append(f"{width} px: image not loaded: {src}")
    # Each figure: its shown drawings (a chart drawn twice shows its narrow drawing on a phone and
    # its wide one on a desktop, never both or neither).
    figures = page.evaluate(
        """() => Array.from(document.querySelectorAll('figure')).filter(f => f.querySelector('svg')).map(f => {
             const shown = Array.from(f.querySelectorAll('svg')).filter(s => s.getBoundingClientRect().width > 0);
             return [f.classList.contains('two'), shown.some(s => s.closest('.narrow') !== null),
                     shown.map(s => { const r = s.getBoundingClientRect(); return [r.width, r.height]; })];
           })"""
    )
    svgs = [wh for _, _, shown in figures for wh in shown]
    if not figures:
        problems.append(f"{width} px: no charts (figure svg) in the report")
    not_one = [len(shown) for _, _, shown in figures if len(shown) != 1]
    if not_one:
        problems.append(f"{width} px: {len(not_one)} figures show {not_one[:3]} drawings instead of one")
    narrow_wanted = width < 800
    wrong = [1 for two, narrow, _ in figures if two and narrow != narrow_wanted]
    if wrong:
        which = "narrow" if narrow_wanted else "wide"
        problems.append(f"{width} px: {len(wrong)} charts drawn twice do not show their {which} drawing")
    hidden = [wh for wh in svgs if wh[0] < 100 or wh[1] < 50]
    if hidden:
        problems.append(f"{width} px: {len(hidden)} charts drawn smaller than 100 x 50 px: {hidden[:3]}")
    scroll = page.evaluate("document.documentElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    if scroll > inner:
        wide = page.evaluate(
            """(w) => Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > w + 1)
                 .filter(e => !e.parentElement.closest('table, figure, pre, .scroll')).slice(0, 3)
                 .map(e => e.tagName + (e.id ? '#' + e.id : '') + ' ' + Math.round(e.getBoundingClientRect().right))""",
            inner,
        )
        problems.append(f"{width} px: the page scrolls sideways ({scroll} px wide in a {inner} px window): {wide}")
    small = page.evaluate(SMALL_TEXT)
    if small:
        problems.append(f"{width} px: {len(small)} texts under {MIN_TEXT_PX} px, e.g. {small[:3]}")
    page.screenshot(path=str(shot), full_page=False)
    page.close()
    twice = sum(1 for two, _, _ in figures if two)
    print(f"  {width} px: {len(svgs)} charts ({twice} drawn twice), {len(images)} images, page {scroll} px wide, "
          f"{len(small)} small texts; screenshot {shot}")
    return len(svgs)


def shown_number(text: str, lang: str) -> float:
    """A number as the page shows it: in Swedish spaces between thousands and a decimal comma, in
    English commas between thousands; the minus sign U+2212."""
    t = text.replace("\u2212", "-").replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    return float(t.replace(",", ".") if lang == "sv" else t.replace(",", ""))


def check_explorer(browser, url, results_csv, problems):
    """The explorer: pick a profession and a county, check that the chart changed and that the
    table's horizon row shows results.csv's supply and demand for them (summed over sectors)."""
    import csv

    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.on("pageerror", lambda e: problems.append(f"explorer: page error: {e}"))
    page.goto(url, wait_until="load")
    profs = page.evaluate("Array.from(document.getElementById('prof').options).map(o => o.value)")
    areas = page.evaluate("Array.from(document.getElementById('area').options).map(o => o.value)")
    if not profs or len(areas) < 2:
        problems.append(f"explorer: {len(profs)} professions and {len(areas)} areas to pick from")
        page.close()
        return
    supply_path = "document.querySelector('#chart path[stroke=\"#1f77b4\"]').getAttribute('d')"
    before = page.evaluate(supply_path)
    prof = "SSK" if "SSK" in profs else profs[-1]
    area = "23" if "23" in areas else areas[-1]
    page.select_option("#prof", prof)
    page.select_option("#area", area)
    after = page.evaluate(supply_path)
    if before == after:
        problems.append(f"explorer: the chart did not change for {prof} in {area}")
    if page.evaluate("location.hash") != f"#{prof}/{area}":
        problems.append(f"explorer: the address does not keep the view: {page.evaluate('location.hash')}")
    row = page.evaluate(
        "(() => { const r = document.querySelector('#tab tbody tr:last-child');"
        " return [r.dataset.year, Array.from(r.cells).map(c => c.textContent)]; })()"
    )
    year, cells = row[0], row[1]
    want = {"supply_fte": 0.0, "demand_fte": 0.0}
    found = False
    with open(results_csv, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["profession"] == prof and r["county"] == area and r["year"] == year:
                found = True
                for k in want:
                    want[k] += float(r[k] or 0)
    if not found:
        problems.append(f"explorer: no rows for {prof}, {area}, {year} in {results_csv}")
    for k, cell in (("supply_fte", cells[1]), ("demand_fte", cells[2])):
        got = shown_number(cell, page.evaluate("document.documentElement.lang"))
        if abs(got - want[k]) > 0.5 + 1e-9:
            problems.append(f"explorer: {prof} {area} {year} {k} shows {cell!r}, results.csv has {want[k]:.1f}")
    # Compared scenarios: the third menu switches the figures (and the address keeps it).
    scens = page.evaluate("Array.from(document.getElementById('scen').options).map(o => o.value)")
    if len(scens) > 1:
        last_row = "Array.from(document.querySelector('#tab tbody tr:last-child').cells).map(c => c.textContent)"
        first = page.evaluate(last_row)
        page.select_option("#scen", scens[1])
        second = page.evaluate(last_row)
        if first == second:
            problems.append(f"explorer: scenario {scens[1]} shows the same figures as the main one: {first}")
        if not page.evaluate("location.hash").endswith(f"/{scens[1]}"):
            problems.append(f"explorer: the address does not keep the scenario: {page.evaluate('location.hash')}")
        print(f"  explorer: {len(scens)} scenarios; the second's {year} row: {second[1:3]}")
    print(f"  explorer: {len(profs)} professions, {len(areas)} areas; {prof} in {area}, {year}: "
          f"supply {cells[1]}, demand {cells[2]} (results.csv {want['supply_fte']:.1f}, {want['demand_fte']:.1f})")
    page.close()


def main() -> int:
    report = Path(sys.argv[1]).resolve()
    prefix = Path(sys.argv[2]) if len(sys.argv) > 2 else report.with_suffix("")
    prefix = prefix.with_suffix("") if prefix.suffix == ".png" else prefix
    url = report.as_uri()
    problems = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        print(f"{report}:")
        for width in WIDTHS:
            check(browser, url, width, Path(f"{prefix}-{width}.png"), problems)
        if report.name.endswith("explorer.html"):
            check_explorer(browser, url, report.parent / "projection" / "results.csv", problems)
        browser.close()
    for pr in problems:
        print("PROBLEM:", pr)
    print(f"browser: {0 if problems else 1} passed, {1 if problems else 0} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
