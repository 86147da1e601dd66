#!/usr/bin/env python3
"""The NumPy peer of w2lab's image-scale seed benchmark (seed_d3072_random): one seed of Euler-Maruyama with the
exact score of p_data = N(0, U diag(lam) U^T), U a Haar rotation, on the CIFAR-10 spectrum (d = 3072), M
particles from p_T, VP with beta from 0.05 to 10 on [eps, 1], written as w2lab computes it: the particles in U's
coordinates (where the score is diagonal), each step's normals drawn in the data's basis and rotated (U^T z), then
the Gaussian fit's W2 to p_data with its first-order bias, and sliced W2 (64 directions) against M fresh draws of
p_data in the data's basis. The rotation is drawn before the clock starts (w2lab draws it once per spectrum).

  python3 bin/bench_seed_numpy.py [--spectrum conf/spectra/cifar10_eigenvalues.npy] [--steps 4]
      [--particles 4096] [--eps 1e-3] [--repeat 3] [--json]

Prints seed_ms, the median of --repeat seeds, and the seed's fitted W2 (w2_fit, which must be close to w2lab's:
the draws differ, not the law).
"""
import argparse, json, time
import numpy as np

# the VP schedule of Pierret & Galerne's experiments, as the theory peer writes it
from bench_theory_numpy import T, beta, var

DIRECTIONS = 64


def haar(d, rng):
    q, r = np.linalg.qr(rng.standard_normal((d, d)))
    return q * np.sign(np.diag(r))


def fit_w2(y, lam):
    """The Gaussian fit of y (d x M, in the eigenbasis) against N(0, diag(lam)): W2 and the bias of W2^2."""
    m = y.shape[1]
    mean = y.mean(axis=1)
    cov = np.cov(y)
    r = np.sqrt(lam)
    k = np.clip(np.linalg.eigh(r[:, None] * cov * r[None, :])[0], 0.0, None)
    sq = np.sqrt(k)
    w2sq = mean @ mean + np.trace(cov) + lam.sum() - 2 * sq.sum()
    den = sq[:, None] + sq[None, :]
    with np.errstate(invalid='ignore', divide='ignore'):
        cross = np.where(den > 0, sq[:, None] * sq[None, :] / den, 0.0)
    bias = np.trace(cov) / m + (cross.sum() + np.trace(cross)) / (2 * (m - 1))
    return np.sqrt(max(w2sq, 0.0)), bias


def sliced(x, z, rng):
    theta = rng.standard_normal((DIRECTIONS, x.shape[0]))
    norm = np.linalg.norm(theta, axis=1)[:, None]
    px = np.sort(theta @ x / norm, axis=1)
    pz = np.sort(theta @ z / norm, axis=1)
    return np.sqrt(np.mean((px - pz) ** 2))


def seed(lam, u, steps, eps, m, rng):
    d = lam.size
    h = (T - eps) / steps
    y = np.sqrt(var(lam, T))[:, None] * rng.standard_normal((d, m))
    for k in range(steps):
        tf = T - k * h
        hb = h * beta(tf)
        a = 1 + hb - 2 * hb / var(lam, tf)
        y = a[:, None] * y + np.sqrt(2 * hb) * (u.T @ rng.standard_normal((d, m)))
    w2, bias = fit_w2(y, lam)
    data = u @ (np.sqrt(lam)[:, None] * rng.standard_normal((d, m)))
    return w2, bias, sliced(u @ y, data, rng)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--spectrum', default='conf/spectra/cifar10_eigenvalues.npy')
    p.add_argument('--steps', type=int, default=4)
    p.add_argument('--particles', type=int, default=4096)
    p.add_argument('--eps', type=float, default=1e-3)
    p.add_argument('--repeat', type=int, default=3)
    p.add_argument('--json', action='store_true')
    a = p.parse_args()
    lam = np.clip(np.load(a.spectrum).astype(np.float64), 0.0, None)
    rng = np.random.default_rng(0)
    u = haar(lam.size, rng)
    times = []
    for _ in range(a.repeat):
        start = time.perf_counter()
        w2, bias, sw = seed(lam, u, a.steps, a.eps, a.particles, rng)
        times.append((time.perf_counter() - start) * 1e3)
    out = {'seed_ms': float(np.median(times)), 'w2_fit': float(w2), 'fit_bias_sq': float(bias),
           'w2_sliced': float(sw)}
    if a.json:
        print(json.dumps(out))
    else:
        for k, v in out.items():
            print(f'{k} {v:.6g}')


if __name__ == '__main__':
    main()
