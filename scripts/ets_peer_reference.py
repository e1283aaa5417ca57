#!/usr/bin/env python3
"""Peer reference fits for hwf's ETS: Python statsmodels' ETSModel on classic series.

Writes tests/fixtures/timeseries/ets_peer_statsmodels.json, which tests/ets.rs checks hwf against.
For every series below and every non-seasonal ETS model statsmodels can fit on it (multiplicative
error or trend only on positive series) it stores statsmodels' maximum-likelihood parameters,
initial states (l0, b0: the states before the first observation, as R's initstate), its
log-likelihood (`llf`, statsmodels' full Gaussian form, NOT R's concentrated one), the sum of
squared (relative, for M errors) one-step errors and 5-step forecasts.

Two further sections:
  * `r_oil_check`: statsmodels' log-likelihood evaluated at R forecast::ets' parameters on fpp2 oil
    (tests/fixtures/timeseries/fit_ets_results_nonseasonal.json), so the test can verify the
    full -> concentrated conversion against R's known log-likelihoods.
  * `holtwinters`: the two SSE-estimated fits of statsmodels' own Holt-Winters tests (SES fit3 on
    oil 1996-2007; damped Holt fit3 on ausair with alpha 0.8, beta* 0.2 fixed), with the parameters
    and initial states the published expectations leave out.

Deterministic: reruns with the same versions give the same file. Run it with

    python3 -m venv /tmp/smvenv
    /tmp/smvenv/bin/pip install statsmodels==0.14.5 numpy==2.4.6 scipy==1.17.1 pandas==2.3.3
    /tmp/smvenv/bin/python scripts/ets_peer_reference.py

(the versions actually used are recorded in the output's `versions`).
"""

import json
import math
import os
import sys
import warnings

import numpy as np
import pandas
import scipy
import statsmodels
from statsmodels.tsa.exponential_smoothing.ets import ETSModel
from statsmodels.tsa.holtwinters import Holt, SimpleExpSmoothing

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
FIX = os.path.join(ROOT, "tests", "fixtures", "timeseries")
OUT = os.path.join(FIX, "ets_peer_statsmodels.json")

# name -> (fixture file, values per aggregated observation (1 = as stored), what it is)
SERIES = {
    "oil": ("fpp2_oil_1965_2013.csv", 1, "fpp2 oil: Saudi Arabian oil production 1965-2013"),
    "nile": ("statsmodels_nile_1871_1970.csv", 1, "Nile annual flow at Aswan 1871-1970"),
    "lynx": ("sktime_lynx_1821_1934.csv", 1, "Canadian lynx trappings 1821-1934"),
    "airline_annual": (
        "sktime_airline_1949_1960_monthly.csv",
        12,
        "Box-Jenkins airline passengers, annual totals 1949-1960 (monthly values summed by year)",
    ),
    "shampoo": ("sktime_shampoo_sales_36_months.csv", 1, "shampoo sales, 36 months"),
    "sunspots": (
        "statsmodels_sunspots_1700_2008.csv",
        1,
        "yearly sunspot numbers 1700-2008 (has zeros: additive models only)",
    ),
    "ausair": ("fpp_ausair_1990_2004.csv", 1, "fpp ausair: Australian air passengers 1990-2004"),
}

# hwf's codes, in hwf's order (ets::all_specs).
MODELS = [
    (e, t, d)
    for e in ("A", "M")
    for (t, d) in (("N", False), ("A", False), ("A", True), ("M", False), ("M", True))
]
H = 5


def code(e, t, d):
    return f"{e}{t}{'d' if d else ''}N"


def load(name):
    """The series' values: the second column of the fixture CSV, summed in blocks if asked."""
    fname, block, _ = SERIES[name]
    with open(os.path.join(FIX, fname)) as f:
        rows = f.read().split("\n")[1:]
    vals = [float(r.split(",")[1]) for r in rows if r.strip()]
    if block > 1:
        assert len(vals) % block == 0
        vals = [sum(vals[i : i + block]) for i in range(0, len(vals), block)]
    return np.array(vals)


def model(y, e, t, d):
    kind = {"A": "add", "M": "mul"}
    return ETSModel(
        y,
        error=kind[e],
        trend=None if t == "N" else kind[t],
        damped_trend=d,
    )


def param_dict(res, t, d):
    p = dict(zip(res.model.param_names, np.asarray(res.params, dtype=float)))
    return {
        "alpha": float(p["smoothing_level"]),
        "beta": float(p["smoothing_trend"]) if t != "N" else None,
        "phi": float(p["damping_trend"]) if d else None,
        "l0": float(p["initial_level"]),
        "b0": float(p["initial_trend"]) if t != "N" else None,
    }


def fit_one(y, e, t, d):
    res = model(y, e, t, d).fit(disp=False)
    out = param_dict(res, t, d)
    resid = np.asarray(res.resid, dtype=float)  # one-step errors, relative for M errors
    out.update(
        {
            "llf": float(res.llf),
            "sse": float(np.sum(resid**2)),
            "forecast": [float(v) for v in np.asarray(res.forecast(H))],
            "converged": bool(res.mle_retvals.get("converged", False)),
            # statsmodels clips one-step forecasts <= 0 in its M-error likelihood instead of
            # refusing them; a fit with min_fitted <= 0 is outside a multiplicative model's domain.
            "min_fitted": float(np.min(np.asarray(res.fittedvalues, dtype=float))),
        }
    )
    return out


def r_oil_check():
    y = load("oil")
    with open(os.path.join(FIX, "fit_ets_results_nonseasonal.json")) as f:
        r = json.load(f)
    out = {}
    for damped, models in r.items():
        for c, fit in models.items():
            if not fit:
                continue
            d = damped == "TRUE"
            e, t = c[0], c[1]
            m = model(y, e, t, d)
            vals = {
                "smoothing_level": fit["alpha"][0],
                "smoothing_trend": fit["beta"][0] if t != "N" else None,
                "damping_trend": fit["phi"][0] if d else None,
                "initial_level": fit["initstate"][0],
                "initial_trend": fit["initstate"][1] if t != "N" else None,
            }
            params = np.array([vals[n] for n in m.param_names], dtype=float)
            out[code(e, t, d)] = {
                "r_loglik": float(fit["loglik"][0]),
                "statsmodels_llf_at_r_params": float(m.loglike(params)),
            }
    return out


def holtwinters():
    oil = load_file("fpp_oil_1996_2007.csv")
    air = load_file("fpp_ausair_1990_2004.csv")
    ses = SimpleExpSmoothing(oil, initialization_method="estimated").fit()
    damped = Holt(air, damped_trend=True, initialization_method="estimated").fit(
        smoothing_level=0.8, smoothing_trend=0.2
    )
    return {
        "ses_fit3_oil_1996_2007": {
            "alpha": float(ses.params["smoothing_level"]),
            "l0": float(ses.params["initial_level"]),
            "sse": float(ses.sse),
            "forecast": [float(v) for v in ses.forecast(1)],
        },
        "holt_damped_fit3_ausair": {
            "alpha": float(damped.params["smoothing_level"]),
            "beta_star": float(damped.params["smoothing_trend"]),
            "phi": float(damped.params["damping_trend"]),
            "l0": float(damped.params["initial_level"]),
            "b0": float(damped.params["initial_trend"]),
            "sse": float(damped.sse),
            "forecast": [float(v) for v in damped.forecast(5)],
        },
    }


def load_file(fname):
    with open(os.path.join(FIX, fname)) as f:
        rows = f.read().split("\n")[1:]
    return np.array([float(r.split(",")[1]) for r in rows if r.strip()])


def main():
    warnings.simplefilter("ignore")
    doc = {
        "generator": "scripts/ets_peer_reference.py",
        "versions": {
            "python": sys.version.split()[0],
            "statsmodels": statsmodels.__version__,
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "pandas": pandas.__version__,
        },
        "notes": (
            "statsmodels ETSModel(error, trend, damped_trend).fit(disp=False), default "
            "initialization_method='estimated'. llf is statsmodels' full Gaussian log-likelihood "
            "-n/2*(log(2*pi*SSE/n)+1) - sum(log yhat) (last term for M errors only); R's and hwf's "
            "concentrated form is llf - n/2*log(n) + n/2*(1+log(2*pi)). Bounds (statsmodels' "
            "defaults): 1e-4 <= alpha <= 1-1e-4, 1e-4 <= beta/alpha <= 1-1e-4, 0.8 <= phi <= 0.98. "
            "b0 of a multiplicative trend is a ratio. Models missing from 'fits' are listed in "
            "'refused' with the reason."
        ),
        "horizon": H,
        "series": {},
        "r_oil_check": r_oil_check(),
        "holtwinters": holtwinters(),
    }
    for name, (fname, block, what) in SERIES.items():
        y = load(name)
        entry = {
            "file": fname,
            "sum_blocks_of": block,
            "what": what,
            "n": int(len(y)),
            "fits": {},
            "refused": {},
        }
        positive = bool(np.all(y > 0))
        for e, t, d in MODELS:
            c = code(e, t, d)
            if (e == "M" or t == "M") and not positive:
                entry["refused"][c] = "series has values <= 0"
                continue
            try:
                f = fit_one(y, e, t, d)
                if math.isfinite(f["llf"]):
                    entry["fits"][c] = f
                else:
                    entry["refused"][c] = "statsmodels' optimiser ended at a non-finite llf"
            except Exception as ex:  # noqa: BLE001 - recorded, not hidden
                entry["refused"][c] = f"statsmodels failed: {ex}"
        doc["series"][name] = entry
    with open(OUT, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print("wrote", os.path.relpath(OUT, ROOT))


if __name__ == "__main__":
    main()
