#!/usr/bin/env python3
"""Reference values for hwf's PCLM (src/model/ungroup.rs), by a second, independent method.

R and `ungroup` are not installable here, so this script fits the same model a different way with
numpy: the B-spline basis from truncated powers and differences (Eilers & Marx 2010) instead of the
Cox-de Boor recursion, a dense composition matrix, and each IRLS step as a weighted least-squares
problem on the augmented rows [Q; sqrt(lambda) D] solved by numpy.linalg.lstsq (Eilers' own
formulation) instead of Cholesky on the normal equations. The model is the one documented in the
module: Poisson counts, log gamma = B beta, second-order difference penalty lambda * |D beta|^2
(ungroup's `lambda` is the square of this one), lambda chosen on 10^-2, 10^-1.5, ..., 10^6 by
BIC = dev + ln(m) * ED, ties to the larger lambda, then rescaled to the band totals.

The counts are hand-made shapes (a workforce hump, a population pyramid, a series with zero
bands), not observations. Run: python3 scripts/pclm_reference.py > tests/fixtures/ungroup/pclm_reference.json
"""
import json
import math
import sys

import numpy as np


def bbase(n, spacing, deg=3):
    """Cubic B-splines at ages 0..n-1, knots every `spacing` years over [-0.5, n-0.5]."""
    x = np.arange(n, dtype=float)
    xl, xr = -0.5, n - 0.5
    ndx = max(1, -(-n // spacing))
    dx = (xr - xl) / ndx
    knots = xl + dx * np.arange(-deg, ndx + deg + 1)
    tp = np.where(x[:, None] >= knots[None, :], (x[:, None] - knots[None, :]) ** deg, 0.0)
    d = np.diff(np.eye(len(knots)), n=deg + 1, axis=0) / (math.gamma(deg + 1) * dx**deg)
    return (-1) ** (deg + 1) * tp @ d.T


def composition(bands):
    first, last = bands[0][0], bands[-1][1]
    c = np.zeros((len(bands), last - first + 1))
    for i, (lo, hi) in enumerate(bands):
        c[i, lo - first : hi - first + 1] = 1.0
    return c


def fit(y, c, b, lam, beta):
    k = b.shape[1]
    d = np.diff(np.eye(k), n=2, axis=0)
    for _ in range(500):
        gam = np.exp(b @ beta)
        mu = c @ gam
        q = c @ (gam[:, None] * b)
        z = y - mu + q @ beta
        w = np.concatenate([1.0 / mu, np.ones(k - 2)])
        a = np.vstack([q, math.sqrt(lam) * d]) * np.sqrt(w)[:, None]
        rhs = np.concatenate([z, np.zeros(k - 2)]) * np.sqrt(w)
        new = np.linalg.lstsq(a, rhs, rcond=None)[0]
        change = np.max(np.abs(new - beta))
        beta = new
        if change < 1e-10:
            break
    else:
        raise RuntimeError("no convergence")
    gam = np.exp(b @ beta)
    mu = c @ gam
    q = c @ (gam[:, None] * b)
    r = q.T @ np.diag(1.0 / mu) @ q
    ed = float(np.trace(np.linalg.solve(r + lam * d.T @ d, r)))
    ok = y > 0
    dev = float(2 * (np.sum(y[ok] * np.log(y[ok] / mu[ok])) - np.sum(y - mu)))
    return beta, gam, mu, ed, dev


def case(name, bands, counts):
    y = np.array(counts, dtype=float)
    c = composition(bands)
    b = bbase(c.shape[1], 2)
    start = np.full(b.shape[1], math.log(y.sum() / c.shape[1]))
    _, g1, _, ed1, dev1 = fit(y, c, b, 1.0, start.copy())
    best = None
    beta = start.copy()
    for i in range(16, -1, -1):
        lam = 10.0 ** (-2.0 + 0.5 * i)
        beta, gam, mu, ed, dev = fit(y, c, b, lam, beta)
        crit = dev + math.log(len(y)) * ed
        if best is None or crit < best[0]:
            best = (crit, lam, gam, mu, ed, dev)
    crit, lam, gam, mu, ed, dev = best
    counts_out = []
    for i, (lo, hi) in enumerate(bands):
        seg = gam[lo - bands[0][0] : hi - bands[0][0] + 1]
        counts_out += list(seg * (y[i] / seg.sum()) if y[i] > 0 else np.zeros(len(seg)))
    return {
        "name": name,
        "bands": bands,
        "counts": counts,
        "lambda_1": {"gamma": g1.tolist(), "ed": ed1, "deviance": dev1},
        "bic": {"lambda": lam, "ed": ed, "deviance": dev, "criterion": crit, "counts": counts_out},
    }


def main():
    five = [(a, a + 4) for a in range(20, 75, 5)]
    pyramid = [(0, 0), (1, 4), (5, 9)] + [(a, a + 9) for a in range(10, 100, 10)] + [(100, 100)]
    cases = [
        case("workforce, 5-year bands", five,
             [1200, 5400, 7100, 7600, 7300, 6900, 6500, 5200, 2100, 600, 150]),
        case("population, mixed bands", pyramid,
             [115000, 470000, 600000, 1150000, 1250000, 1350000, 1300000, 1320000, 1200000,
              1050000, 700000, 230000, 2000]),
        case("zero bands", [(20, 24), (25, 29), (30, 34), (35, 39), (40, 44)], [0, 30, 80, 40, 0]),
    ]
    out = {
        "made_by": "scripts/pclm_reference.py",
        "numpy": np.__version__,
        "python": sys.version.split()[0],
        "cases": cases,
    }
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
