#!/usr/bin/env python3
"""Execute every notebook in notebooks/ with nbclient (as CI does), failing on the first error.

    python3 scripts/run_notebooks.py        # after `hwf report` and the high-intake projection
"""

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

root = Path(__file__).resolve().parent.parent / "notebooks"
failed = 0
books = sorted(root.glob("*.ipynb"))
for path in books:
    nb = nbformat.read(path, as_version=4)
    try:
        NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(root)}}).execute()
        print(f"{path.name}: ok ({sum(c.cell_type == 'code' for c in nb.cells)} code cells)")
    except Exception as e:  # a failing cell: report it and go on to the next notebook
        failed += 1
        print(f"{path.name}: FAILED\n{e}")
print(f"notebooks: {len(books) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
