#!/usr/bin/env python3
"""Peer reference forecasts for `hwf forecast`: Python statsmodels' ETSModel on the real WHO NHWA
series of tests/fixtures/series/nordic_nhwa.csv, with prediction intervals.

Writes tests/fixtures/series/forecast_peer_statsmodels.json, which tests/forecast.rs checks hwf
against. The setting is the README's hold-out: each series from 1995 (Norway from 2002, where its
series start) to 2012, forecast 2013-2018 (6 steps). For every series and every non-seasonal ETS
model with additive trend or none (ANN, AAN, AAdN, MNN, MAN, MAdN, MMN, MMdN; the series are
positive) it stores statsmodels' maximum-likelihood parameters and initial states, SSE, `mse`
(SSE/n, the variance statsmodels' intervals use), the log-likelihood, the point forecasts and the
80 % and 95 % prediction intervals of `get_prediction(...).pred_int(alpha)`:

  * ANN, AAN, AAdN: statsmodels' "exact" intervals (the class-1 variance formulas, normal
    quantiles, variance mse * relative variance);
  * the others: statsmodels' "simulated" intervals, quantiles of `simulate_repetitions` sample
    paths (numpy's RandomState seeded with SIM_SEED).

With --fixture PATH it first rewrites the fixture itself from the shared collection's
`series/who_nhwa/derived_nordic_nhwa_long.csv` (PATH), as described in tests/fixtures/README.md.

Deterministic: reruns with the same versions give the same file. Run it with

    python3 -m venv /tmp/smvenv
    /tmp/smvenv/bin/pip install statsmodels==0.14.5 numpy==2.4.6 scipy==1.17.1 pandas==2.3.3
    /tmp/smvenv/bin/python scripts/forecast_peer_reference.py

(the versions actually used are recorded in the output's `versions`).
"""

import csv
import json
import os
import sys
import warnings

import numpy as np
import pandas
import scipy
import statsmodels
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
FIX = os.path.join(ROOT, "tests", "fixtures", "series")
DATA = os.path.join(FIX, "nordic_nhwa.csv")
OUT = os.path.join(FIX, "forecast_peer_statsmodels.json")

FROM, LAST, UNTIL = 1995, 2012, 2018
H = UNTIL - LAST
LEVELS = (80, 95)
REPS = 20000
SIM_SEED = 20240601
MODELS = ["ANN", "AAN", "AAdN", "MNN", "MAN", "MAdN", "MMN", "MMdN"]

# The fixture: (country, indicator) -> first year kept. Sweden keeps 1990-1994 to show its marked
# break; the others start where a break-free stretch does (see tests/fixtures/README.md).
FIXTURE_START = {"SWE": 1990, "DNK": 1995, "NOR": 2002, "ISL": 1995}
INDICATORS = {
    "HWF_0002": "Medical doctors (number)",
    "HWF_0008": "Nursing personnel (number)",
}
# Breaks in series named by the shared collection's API_AND_SERIES_ORIGINS.md, marked with
# Eurostat's flag `b` in the fixture's `symbol` column.
BREAKS = {("SWE", "HWF_0002", 1995), ("SWE", "HWF_0002", 2019), ("SWE", "HWF_0008", 1995)}


def write_fixture(src):
    with open(src, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    out = []
    for c, start in FIXTURE_START.items():
        for ind, label in INDICATORS.items():
            sel = sorted(
                (int(r["year"]), r["value"])
                for r in rows
                if r["country"] == c and r["indicator_code"] == ind and int(r["year"]) >= start
            )
            years = [y for y, _ in sel]
            assert years == list(range(years[0], years[-1] + 1)), (c, ind, "gap")
            for y, v in sel:
                out.append([c, ind, label, y, v, "observed", "b" if (c, ind, y) in BREAKS else ""])
    with open(DATA, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["country", "indicator", "indicator_en", "year", "value", "status", "symbol"])
        w.writerows(out)
    print("wrote", os.path.relpath(DATA, ROOT))


def load():
    series = {}
    with open(DATA, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            series.setdefault((r["country"], r["indicator"]), {})[int(r["year"])] = float(r["value"])
    return series


def model(y, code):
    # A pandas series (statsmodels 0.14.5's get_prediction needs an index).
    y = pandas.Series(y, index=pandas.RangeIndex(len(y)))
    e, t, d = code[0], code[1], code.endswith("dN")
    kind = {"A": "add", "M": "mul"}
    return ETSModel(y, error=kind[e], trend=None if t == "N" else kind[t], damped_trend=d)


def fit_one(y, code):
    res = model(y, code).fit(disp=False)
    p = dict(zip(res.model.param_names, np.asarray(res.params, dtype=float)))
    has_trend = code[1] != "N"
    damped = code.endswith("dN")
    pred = res.get_prediction(
        start=len(y), end=len(y) + H - 1, simulate_repetitions=REPS, random_state=SIM_SEED
    )
    intervals = {}
    for level in LEVELS:
        pi = np.asarray(pred.pred_int(alpha=1 - level / 100), dtype=float)
        intervals[str(level)] = {"lo": [float(v) for v in pi[:, 0]], "hi": [float(v) for v in pi[:, 1]]}
    resid = np.asarray(res.resid, dtype=float)
    return {
        "alpha": float(p["smoothing_level"]),
        "beta": float(p["smoothing_trend"]) if has_trend else None,
        "phi": float(p["damping_trend"]) if damped else None,
        "l0": float(p["initial_level"]),
        "b0": float(p["initial_trend"]) if has_trend else None,
        "llf": float(res.llf),
        "sse": float(np.sum(resid**2)),
        "mse": float(res.mse),
        "converged": bool(res.mle_retvals.get("converged", False)),
        "method": pred.method,
        "forecast": [float(v) for v in np.asarray(res.forecast(H))],
        "predicted_mean": [float(v) for v in np.asarray(pred.predicted_mean)],
        "intervals": intervals,
    }


def main():
    warnings.simplefilter("ignore")
    if len(sys.argv) == 3 and sys.argv[1] == "--fixture":
        write_fixture(sys.argv[2])
    doc = {
        "generator": "scripts/forecast_peer_reference.py",
        "versions": {
            "python": sys.version.split()[0],
            "statsmodels": statsmodels.__version__,
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "pandas": pandas.__version__,
        },
        "notes": (
            "statsmodels ETSModel(error, trend, damped_trend).fit(disp=False); intervals from "
            "get_prediction(start=n, end=n+h-1, simulate_repetitions, random_state).pred_int(alpha): "
            "method 'exact' (mse * class-1 relative variance, normal quantiles) for ANN/AAN/AAdN, "
            "'simulated' (sample quantiles of simulated paths, errors N(0, mse)) otherwise. "
            "mse = SSE/n (statsmodels); hwf's own intervals use SSE/(n - k) (R's)."
        ),
        "from": FROM,
        "last": LAST,
        "until": UNTIL,
        "levels": list(LEVELS),
        "simulate_repetitions": REPS,
        "random_state": SIM_SEED,
        "series": {},
    }
    for (c, ind), by_year in sorted(load().items()):
        first = max(FROM, min(by_year))
        years = list(range(first, LAST + 1))
        y = np.array([by_year[t] for t in years])
        entry = {"country": c, "indicator": ind, "first": first, "n": len(y), "values": list(map(float, y)), "fits": {}}
        for code in MODELS:
            entry["fits"][code] = fit_one(y, code)
        entry["held_out"] = [by_year.get(t) for t in range(LAST + 1, UNTIL + 1)]
        doc["series"][f"{c} {ind}"] = entry
    with open(OUT, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print("wrote", os.path.relpath(OUT, ROOT))


if __name__ == "__main__":
    main()
