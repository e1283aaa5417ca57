"""The numpy baseline of hwf's Monte Carlo kernel (`src/model/montecarlo/`).

The same projection, vectorised the way numpy is at its best: every draw and every cell of a
profession at once (arrays draws × regions × sexes × ages), a Python loop only over professions
and years. It reads what `cargo bench --bench kernel -- --export DIR` writes:

    python3 benches/kernel_numpy.py DIR [DRAWS]

1. check: draw 0 with hwf's own parameters (exit and completion rates, licence factors, demand
   shifts) must give hwf's draw 0 (licensed, supply, demand, required intake, Swedish licences) to a
   relative difference below 1e-9;
2. time: DRAWS draws (default 1,000) with numpy's own generator, from sampling to the percentile
   bands, the same work `Kernel::run` does.
"""

import json
import sys
import time
from pathlib import Path

import numpy as np


def load(folder):
    meta = json.loads(Path(folder, "meta.json").read_text())
    arrays = {f.stem: np.load(f) for f in Path(folder).glob("*.npy")}
    return meta, arrays


def beta_rate(point, k, n, law, rng, draws, clip):
    """point · u / E[u], u ~ Beta(α + w·k, β + w·(n − k)); the point where degenerate."""
    shape = (draws,) + point.shape
    if law["dist"] != "beta":
        return np.broadcast_to(point, shape).copy()
    n0 = np.maximum(n, 0.0)
    kc = np.clip(k, 0.0, n0)
    a = law["alpha"] + law["weight"] * kc
    b = law["beta"] + law["weight"] * (n0 - kc)
    valid = (point > 0) & (a > 0) & (b > 0)
    if not clip:
        valid &= n > 0
    u = rng.beta(np.where(valid, a, 1.0), np.where(valid, b, 1.0), size=shape)
    r = np.where(valid, point * u * (a + b) / np.where(valid, a, 1.0), point)
    return np.minimum(r, 1.0) if clip else r


def share_pools(point, k, n, drawn):
    """Ages pooled for the estimate (the same rate and counts as the age before) take the draw of
    the first age of their pool, as hwf does; the last age keeps its point rate (1)."""
    na = point.shape[-1]
    same = np.zeros(point.shape, dtype=bool)
    same[..., 1:] = (point[..., 1:] == point[..., :-1]) & (k[..., 1:] == k[..., :-1]) & (n[..., 1:] == n[..., :-1])
    first = np.where(same, 0, np.arange(na))
    first = np.maximum.accumulate(first, axis=-1)
    out = np.take_along_axis(drawn, np.broadcast_to(first, drawn.shape), axis=-1)
    out[..., na - 1] = point[..., na - 1]
    return out


def shift(law, rng, shape):
    if law["dist"] == "normal":
        return law["sd"] * rng.standard_normal(shape)
    return np.zeros(shape)


def factor(law, rng, shape):
    if law["dist"] == "lognormal":
        sd = law["sd"]
        return np.exp(sd * rng.standard_normal(shape) - 0.5 * sd * sd)
    if law["dist"] == "normal":
        return np.maximum(1.0 + law["sd"] * rng.standard_normal(shape), 0.0)
    return np.ones(shape)


def centred(x, weight):
    """Each year's region deviations less their weighted mean (weights: base-year FTE by region)."""
    w = weight / weight.sum(axis=1, keepdims=True)
    return x - (x * w[None, :, :, None]).sum(axis=2, keepdims=True)


def foreign_factors(meta, A, rng, draws):
    """Licences on foreign education, a factor per draw, profession, origin and year ahead: one level
    per draw for a declared law; with "estimated", the window level's error, each year's variation
    and a random trend from the window's middle, in logs, with mean 1."""
    laws, ny, P = meta["laws"], meta["ny"], meta["np"]
    if laws["foreign"]["dist"] != "estimated":
        level = factor(laws["foreign"], rng, (draws, P, 2))
        return np.repeat(level[..., None], ny - 1, axis=3)
    F = A["foreign_sd"]
    lv, yv, dr = F[:, [0, 2]][None, :, :, None], F[:, [1, 3]][None, :, :, None], F[:, [4, 5]][None, :, :, None]
    at = np.arange(1, ny)[None, None, None, :] + F[:, 6][None, :, None, None]
    var = yv * yv + (dr * at) ** 2
    z = rng.standard_normal((draws, P, 2, 1))
    w = rng.standard_normal((draws, P, 2, 1))
    nu = rng.standard_normal((draws, P, 2, ny - 1))
    return np.exp(lv * z - 0.5 * lv * lv) * np.exp(yv * nu + dr * w * at - 0.5 * var)


def sample(meta, A, rng, draws):
    laws = meta["laws"]
    ny = meta["ny"]
    return {
        "exit": share_pools(
            *(A[x].reshape(-1, 2, meta["na"]) for x in ("exit", "exit_k", "exit_n")),
            beta_rate(A["exit"], A["exit_k"], A["exit_n"], laws["exit"], rng, draws, True).reshape(
                draws, -1, 2, meta["na"]
            ),
        ).reshape(draws, -1, 2 * meta["na"]),
        "completion": beta_rate(
            A["completion"], A["completion_k"], A["completion_n"], laws["completion"], rng, draws, False
        ),
        "foreign": foreign_factors(meta, A, rng, draws),
        "imbalance": shift(laws["imbalance"], rng, (draws, meta["np"])),
        "growth": shift(laws["growth"], rng, (draws, meta["nf"])),
        # Process variation: the stocks' normal steps, the FTE ratio's lasting and yearly log
        # deviations, and the population's random walk on demand (year 0 untouched).
        "steps": np.concatenate(
            [
                A["drift"][None, :, :, None] * rng.standard_normal((draws, meta["np"], meta["nr"], 1)),
                rng.standard_normal((draws, meta["np"], meta["nr"], ny - 1)),
            ],
            axis=3,
        ),
        "ratio": np.concatenate(
            [
                np.zeros((draws, meta["np"], meta["nr"], 1)),
                centred(
                    A["ratio_sd"][None, :, 0, None, None] * rng.standard_normal((draws, meta["np"], meta["nr"], 1))
                    + A["ratio_sd"][None, :, 1, None, None]
                    * rng.standard_normal((draws, meta["np"], meta["nr"], ny - 1)),
                    A["base_fte"],
                )
                + A["ratio_sd"][None, :, 2, None, None] * rng.standard_normal((draws, meta["np"], 1, 1))
                + A["ratio_sd"][None, :, 3, None, None] * rng.standard_normal((draws, meta["np"], 1, ny - 1))
                # The random trend of the nation's FTE per licensed person, from the window's middle.
                + A["ratio_sd"][None, :, 4, None, None]
                * rng.standard_normal((draws, meta["np"], 1, 1))
                * (np.arange(1, ny)[None, None, None, :] + A["ratio_sd"][None, :, 5, None, None]),
            ],
            axis=3,
        ),
        # The national stock's random trend: cumulated growth drift, log factors by year.
        "trend": np.concatenate(
            [
                np.zeros((draws, meta["np"], 1)),
                np.cumsum(
                    A["ratio_sd"][None, :, 6, None]
                    * rng.standard_normal((draws, meta["np"], 1))
                    * (np.arange(1, ny)[None, None, :] + A["ratio_sd"][None, :, 7, None]),
                    axis=2,
                ),
            ],
            axis=2,
        ),
        "population": np.concatenate(
            [
                np.zeros((draws, meta["nr"], 1)),
                np.cumsum(meta["population_sd"] * rng.standard_normal((draws, meta["nr"], ny - 1)), axis=2),
            ],
            axis=2,
        ),
    }


def from_export(A):
    """Draw 0's parameters as hwf drew them, with a draw axis of one."""
    return {
        "exit": A["d0_exit"][None],
        "completion": A["d0_completion"][None],
        "foreign": A["d0_foreign"][None],
        "imbalance": A["d0_imbalance"][None],
        "growth": A["d0_growth"][None],
        "steps": A["d0_steps"][None],
        "ratio": A["d0_ratio"][None],
        "trend": A["d0_trend"][None],
        "population": A["d0_population"][None],
    }


def project(meta, A, S):
    """Per profession: licensed, supply, demand (draws × regions+nation × years), required intake
    and national Swedish licences (draws × years)."""
    P, nr, na, ny = meta["np"], meta["nr"], meta["na"], meta["ny"]
    window, rule, close_gap = meta["window"], meta["rule"], meta["close_gap"]
    years = meta["years"]
    base = years[0]
    D = S["exit"].shape[0]
    pipes = meta["pipelines"]
    # Parents first: a layer takes its parent's Swedish licences and is bounded by its cells.
    order = [p for p in range(P) if pipes[p]["bound"] is None] + [
        p for p in range(P) if pipes[p]["bound"] is not None
    ]
    bounds = {pipes[p]["bound"] for p in range(P)} - {None}
    out = [None] * P
    for p in order:
        # The national rates scaled by the county's level, then its net moves out by age.
        x = S["exit"][:, p].reshape(D, 1, 2, na) * A["region_exit"][p].reshape(1, nr, 1, 1)
        x = np.minimum(np.minimum(x, 1.0) + A["region_move"][p].reshape(1, nr, 1, na), 1.0)
        x[..., na - 1] = 1.0
        surv = 1.0 - x
        kind = pipes[p]["kind"]
        c = S["completion"][:, p]
        if kind == "programme":
            se = A["se_const"][p] + c @ A["se_coef"][p].T
            unit = A["unit_const"][p] + c @ A["unit_coef"][p].T
            post = A["post_const"][p] + c @ A["post_coef"][p].T
        else:
            se = np.tile(A["se_const"][p], (D, 1))
            unit = post = None
            if kind == "layer":
                parent_se = out[pipes[p]["parent"]]["se"]
                for ti in range(1, ny):
                    frm = years[ti] - pipes[p]["lag"]
                    if frm > base:
                        se[:, ti] = pipes[p]["share"] * parent_se[:, frm - base]
        prof = A["se_profile"][p].reshape(nr, 2, na)
        # Destinations routing: each region's factor on the year's licences, and where one more
        # licence enters (ones without routing).
        route = A["se_route"][p]
        entry = prof * A["se_margin"][p][:, None, None]
        entry_post = prof * A["se_post_margin"][p][:, None, None]
        f0 = A["foreign0"][p].reshape(nr, 2, na)
        f1 = A["foreign1"][p].reshape(nr, 2, na)
        w = A["w"][p].reshape(nr, 2, na)
        fe = S["foreign"][:, p, 0]
        ft = S["foreign"][:, p, 1]
        lic = np.zeros((D, nr + 1, ny))
        sup = np.zeros((D, nr + 1, ny))
        lic[:, :nr, 0] = A["base_lic"][p]
        sup[:, :nr, 0] = A["base_fte"][p]
        prev = np.broadcast_to(A["l0"][p].reshape(nr, 2, na), (D, nr, 2, na))
        # Each year's cells (a parent's, with its national stock trend), and a layer's bound:
        # the parent's cells, its trend taken off by the layer's own.
        cells = [None] * ny
        if p in bounds:
            cells[0] = np.broadcast_to(A["l0"][p].reshape(nr, 2, na), (D, nr, 2, na))
        bound = pipes[p]["bound"]
        if bound is not None:
            limit = [
                None if c is None else c * np.exp(-S["trend"][:, p, ti])[:, None, None, None]
                for ti, c in enumerate(out[bound]["cells"])
            ]
        for ti in range(1, ny):
            cur = (
                se[:, ti, None, None, None] * route[None, :, ti, None, None] * prof
                + fe[:, ti - 1, None, None, None] * f0
                + ft[:, ti - 1, None, None, None] * f1
            )
            cur[..., 1:] += prev[..., :-1] * surv[..., :-1]
            if kind == "certified":
                # Certificates: the rate of age a times the parent's persons aged a − 1 the year
                # before (its trend on, the layer's off) less the layer's own, at least 0.
                rates = A["certification"][p].reshape(1, 1, 2, na)
                parent = out[bound]["cells"][ti - 1] * np.exp(-S["trend"][:, p, ti - 1])[:, None, None, None]
                cur[..., 1:] += rates[..., 1:] * np.maximum(parent[..., :-1] - prev[..., :-1], 0.0)
            # Process variation: a step of sd √(φ·τ·L) and the region's lasting drift (held in
            # year 0 of the steps) on each region's whole stock.
            total = cur.sum(axis=(2, 3))
            k = A["process"][p][None, :]
            on = total > 0
            m = np.where(
                on,
                np.maximum(1.0 + k * S["steps"][:, p, :, ti] / np.sqrt(np.where(on, total, 1.0)) + S["steps"][:, p, :, 0], 0.0),
                1.0,
            )
            cur = cur * m[:, :, None, None]
            if bound is not None:
                cur = np.minimum(cur, limit[ti])
            if p in bounds:
                cells[ti] = cur * np.exp(S["trend"][:, p, ti])[:, None, None, None]
            lic[:, :nr, ti] = cur.sum(axis=(2, 3))
            sup[:, :nr, ti] = (cur * w).sum(axis=(2, 3))
            prev = cur
        trend = np.exp(S["trend"][:, p, None, 1:])
        lic[:, :nr, 1:] *= trend
        sup[:, :nr, 1:] *= trend
        sup[:, :nr, 1:] *= np.exp(S["ratio"][:, p, :, 1:])
        step = np.prod(1.0 + A["growth"][p] + S["growth"], axis=1)
        g = np.cumprod(np.concatenate([np.ones((D, 1)), np.repeat(step[:, None], ny - 1, axis=1)], axis=1), axis=1)
        dem = np.zeros((D, nr + 1, ny))
        dem[:, :nr] = (A["demand_a"][p] + S["imbalance"][:, p, None, None] * A["demand_b"][p]) * g[:, None, :]
        dem[:, :nr] *= np.exp(S["population"])
        for arr in (lic, sup, dem):
            arr[:, nr] = arr[:, :nr].sum(axis=1)
        req = np.full(D, np.nan)
        if kind == "programme":
            # For each year T of the window: supply with no beginners from intake_from on (s0)
            # and the FTE one beginner a year adds (slope), by the adjoint from T.
            s0s, slopes, dems = [], [], []
            for target in window:
                v = np.broadcast_to(w, (D, nr, 2, na)).copy()
                s0 = sup[:, nr, target].copy()
                slope = np.zeros(D)
                for ti in range(target, 0, -1):
                    if ti < target:
                        v[..., :-1] = surv[..., :-1] * v[..., 1:]
                        v[..., -1] = 0.0
                    gt = (v * entry).sum(axis=(1, 2, 3))
                    s0 -= post[:, ti] * (v * entry_post).sum(axis=(1, 2, 3))
                    slope += unit[:, ti] * gt
                s0s.append(s0)
                slopes.append(slope)
                dems.append(dem[:, nr, target])
            s0s, slopes, dems = np.array(s0s), np.array(slopes), np.array(dems)
            if not close_gap:
                dems = dems - (dem[:, nr, 0] - sup[:, nr, 0])[None]
            short = dems - s0s
            if rule == "least_squares":
                ss = (slopes**2).sum(axis=0)
                ok = ss > 1e-18
                req = np.where(ok, (slopes * short).sum(axis=0) / np.where(ok, ss, 1.0), np.nan)
            elif rule == "target_year":
                ok = slopes[-1] > 1e-9
                req = np.where(ok, short[-1] / np.where(ok, slopes[-1], 1.0), np.nan)
            else:  # from_year
                reach = slopes > 1e-9
                a = np.where(reach, short / np.where(reach, slopes, 1.0), -np.inf)
                bad = (~reach & (short > 0)).any(axis=0) | ~reach.any(axis=0)
                req = np.where(bad, np.nan, a.max(axis=0))
            req = np.maximum(req, 0.0)
        out[p] = {"lic": lic, "sup": sup, "dem": dem, "req": req, "se": se * prof.sum(), "cells": cells}
    return out


def bands(meta, out, qs):
    tol = meta["tolerance"]
    res = []
    for o in out:
        vals = np.stack([o["lic"], o["sup"], o["dem"], o["sup"] - o["dem"]], axis=1)
        q = np.percentile(vals, qs, axis=0)
        mean = vals.mean(axis=0)
        short = ((o["dem"] > 0) & (o["sup"] < o["dem"] * (1 - tol))).mean(axis=0)
        r = o["req"][np.isfinite(o["req"])]
        iq = np.percentile(r, qs) if r.size else None
        res.append((q, mean, short, iq))
    return res


def main():
    folder = sys.argv[1]
    draws = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    meta, A = load(folder)
    # 1. The same draw, to 1e-9.
    out = project(meta, A, from_export(A))
    nr, ny = meta["nr"], meta["ny"]
    worst = 0.0
    for p, o in enumerate(out):
        mine = np.concatenate([o["lic"][0].ravel(), o["sup"][0].ravel(), o["dem"][0].ravel(), o["req"][:1], o["se"][0]])
        theirs = A["d0_record"][p]
        both_nan = np.isnan(mine) & np.isnan(theirs)
        if (np.isnan(mine) != np.isnan(theirs)).any():
            raise SystemExit(f"profession {p}: NaN pattern differs")
        m, t = mine[~both_nan], theirs[~both_nan]
        rel = np.abs(m - t) / np.maximum(np.maximum(np.abs(m), np.abs(t)), 1.0)
        worst = max(worst, float(rel.max()))
    print(f"max_rel_diff={worst:.3e}")
    if worst >= 1e-9:
        raise SystemExit(f"numpy and hwf differ on draw 0: {worst:.3e} ≥ 1e-9")
    # 2. The timed run.
    rng = np.random.default_rng(meta["seed"])
    t0 = time.perf_counter()
    S = sample(meta, A, rng, draws)
    res = bands(meta, project(meta, A, S), [10, 50, 90])
    t = time.perf_counter() - t0
    assert len(res) == meta["np"]
    print(f"numpy_{draws}_draws_s={t:.4f}")


if __name__ == "__main__":
    main()
