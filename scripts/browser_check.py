#!/usr/bin/env python3
"""Open hwf's HTML report in a real browser (Debian's headless Chromium) with the network off.

Checks: no console errors, no request that leaves the file (every request other than the file
itself is blocked and counted as a failure), every <img> loaded, and the charts (inline SVG) are
there and have a size. Takes a full-page screenshot for a person to look at.

    python3 scripts/browser_check.py out/report.html out/report-screenshot.png

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


def main() -> int:
    report = Path(sys.argv[1]).resolve()
    shot = Path(sys.argv[2]) if len(sys.argv) > 2 else report.with_suffix(".png")
    url = report.as_uri()
    problems = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))

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
                problems.append(f"image not loaded: {src}")
        svgs = page.evaluate(
            "Array.from(document.querySelectorAll('figure svg')).map(s => s.getBoundingClientRect().width)"
        )
        if not svgs:
            problems.append("no charts (figure svg) in the report")
        if any(w < 100 for w in svgs):
            problems.append(f"a chart is drawn narrower than 100 px: {sorted(svgs)[:3]}")
        title = page.title()
        page.screenshot(path=str(shot), full_page=False)
        browser.close()
    print(f"{report.name}: title {title!r}; {len(svgs)} charts, {len(images)} images; screenshot {shot}")
    for pr in problems:
        print("PROBLEM:", pr)
    print(f"browser: {0 if problems else 1} passed, {1 if problems else 0} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
