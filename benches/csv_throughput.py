"""Tidy CSV read and project timings for scripts/bench-csv (see that script for the steps).

hwf is timed as a subprocess (`hwf inspect FILE --json`, `hwf project`), with its peak memory from
GNU time; polars.read_csv is timed in-process, both with its type inference and with every column
as text (the faster of the two is the peer). Best of --runs wall-clock runs each.
"""

import argparse
import filecmp
import os
import subprocess
import sys
import time

import polars as pl

PX_INPUTS = ["employed", "licensed", "licences_issued", "population", "population_projection"]


def best(f, runs):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)


def run(cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def peak_kb(cmd):
    out = subprocess.run(
        ["/usr/bin/time", "-f", "%M"] + cmd,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    return int(out.stderr.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hwf", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    hwf = a.hwf

    files = {}
    for name in PX_INPUTS:
        out = os.path.join(a.tmp, name + ".csv")
        run([hwf, "convert", os.path.join(a.data, name + ".px"), out])
        files[name] = out
    scenario = os.path.join(a.tmp, "csv.toml")
    with open(scenario, "w") as f:
        f.write("[inputs]\n")
        for name, path in files.items():
            f.write(f'{name} = {{ file = "{path}" }}\n')

    print(f"{'file':<24}{'MB':>8}{'hwf s':>9}{'polars s':>10}{'text s':>9}{'ratio':>8}{'hwf peak MB':>13}")
    total_hwf = total_peer = 0.0
    for name, path in files.items():
        mb = os.path.getsize(path) / 1e6
        t_hwf = best(lambda: run([hwf, "inspect", path, "--json"]), a.runs)
        # Types inferred from every row (from the first rows alone, `0.9` or `100+` further down
        # fails the read).
        inferred = lambda: pl.read_csv(path, infer_schema_length=None)  # noqa: E731
        rows = inferred().height
        t_inf = best(inferred, a.runs)
        t_txt = best(lambda: pl.read_csv(path, infer_schema=False), a.runs)
        peer = min(t_inf, t_txt)
        peak = peak_kb([hwf, "inspect", path, "--json"]) / 1024
        total_hwf += t_hwf
        total_peer += peer
        print(
            f"{name:<24}{mb:>8.1f}{t_hwf:>9.2f}{t_inf:>10.2f}{t_txt:>9.2f}"
            f"{t_hwf / peer:>7.1f}×{peak:>13.0f}   ({rows} rows)"
        )

    px_out = os.path.join(a.tmp, "px")
    csv_out = os.path.join(a.tmp, "csv")

    def project_px():
        run([hwf, "project", "--out", px_out])

    def project_csv():
        run([hwf, "project", "--scenario", scenario, "--out", csv_out])

    t_px = best(project_px, a.runs)
    t_csv = best(project_csv, a.runs)
    same = filecmp.cmp(
        os.path.join(px_out, "results.csv"), os.path.join(csv_out, "results.csv"), shallow=False
    )
    print(f"hwf project: px {t_px:.2f} s, csv {t_csv:.2f} s; results.csv identical: {same}")
    if not same:
        print("the CSV run's results differ from the PX run's", file=sys.stderr)
        sys.exit(1)
    print(f"csv: {total_hwf / total_peer:.1f}× polars read; project {t_csv / t_px:.1f}× the px run")


if __name__ == "__main__":
    main()
