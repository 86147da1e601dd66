#!/usr/bin/env python3
"""The NumPy peer of w2lab's pipeline benchmark: score matching + Langevin in Hurault et al.'s Gaussian setting,
written as a researcher would (NumPy arrays, a Python loop over the SGD and Langevin steps).

Data: N(0, diag(lam)) in dimension d, lam_i = i**(-zeta); training set X of n_train samples (d x N).
Per seed, all of:
  noise-only   M draws of N(0, diag(lam + sigma^2)), Gaussian-fit W2 against N(0, diag(lam))
  exact        ULA (L steps, M particles from N(0, I)) with the exact score at sigma, Gaussian-fit W2
  fresh        DSM-SGD (batch 1, K steps, step tau, from A = 0, b = 0) on fresh samples, then ULA + fit
  train        DSM-SGD on the training set (indices drawn with replacement), then ULA + fit
  theory       for the training-set (A, b): the stationary law of ULA (Smith doubling) and its law after
               L steps from N(0, I), Bures-Wasserstein W2 of each against N(0, diag(lam))

  python3 bin/bench_pipeline_numpy.py [--configs FILE] [--d 16] [--zeta 1] [--sigma 0.5] [--tau 0.05]
      [--n-train 100] [--sgd-steps 20000] [--gamma 0.01] [--langevin-steps 500] [--particles 4096]
      [--seeds 1] [--repeat 3] [--sgd-only] [--json]

Without --configs prints sgd_steps_per_s (K training-set SGD steps per second, best of --repeat) and seed_ms
(milliseconds of the whole per-seed work for the command-line configuration, best of --repeat, averaged over
seeds 0..seeds-1); with --sgd-only the SGD steps alone. With --configs FILE (a JSON list of objects with keys d, zeta, sigma, tau, n_train,
sgd_steps, gamma, langevin_steps, particles, seeds) runs every configuration for its seeds, the generator
seeded with np.random.default_rng([config_index, seed]), and prints configs_ms (best of --repeat of the whole
list), configs_seeds (seeds run per pass) and sgd_steps_per_s as above.
"""
import argparse, json, time
import numpy as np


def spectrum(d, zeta):
    return np.arange(1, d + 1, dtype=np.float64) ** (-zeta)


def bures_w2(m, S, lam):
    """W2 between N(m, S) and N(0, diag(lam))."""
    r = np.sqrt(lam)
    M = r[:, None] * S * r[None, :]
    ev = np.clip(np.linalg.eigh(M)[0], 0.0, None)
    w2sq = m @ m + np.trace(S) + lam.sum() - 2 * np.sqrt(ev).sum()
    return np.sqrt(max(w2sq, 0.0))


def fit_w2(x, lam):
    """Gaussian-fit W2 of a particle block x (d x M) against N(0, diag(lam))."""
    return bures_w2(x.mean(axis=1), np.cov(x), lam)


def sgd(X, sigma, tau, K, rng):
    d, N = X.shape
    A = np.zeros((d, d))
    b = np.zeros(d)
    idx = rng.integers(0, N, size=K)
    Z = rng.standard_normal((K, d))
    for k in range(K):
        x = X[:, idx[k]]
        y = x + sigma * Z[k]
        r = A @ y + b - x
        A -= tau * np.outer(r, y)
        b -= tau * r
    return A, b


def sgd_fresh(lam, sigma, tau, K, rng):
    d = lam.size
    A = np.zeros((d, d))
    b = np.zeros(d)
    Xs = np.sqrt(lam) * rng.standard_normal((K, d))
    Z = rng.standard_normal((K, d))
    for k in range(K):
        x = Xs[k]
        y = x + sigma * Z[k]
        r = A @ y + b - x
        A -= tau * np.outer(r, y)
        b -= tau * r
    return A, b


def stable(A, sigma, gamma):
    """Whether ULA with the score of (A, b) has a stationary law: spectral radius of I - gamma P below 1."""
    B = np.eye(A.shape[0]) - gamma * (np.eye(A.shape[0]) - A) / sigma ** 2
    return np.all(np.isfinite(A)) and np.max(np.abs(np.linalg.eigvals(B))) < 1


def ula(A, b, sigma, gamma, L, M, rng):
    d = b.size
    P = (np.eye(d) - A) / sigma ** 2
    c = b / sigma ** 2
    s = np.sqrt(2 * gamma)
    x = rng.standard_normal((d, M))
    for _ in range(L):
        x = x + gamma * (c[:, None] - P @ x) + s * rng.standard_normal((d, M))
    return x


def theory(A, b, sigma, gamma, L, lam):
    """W2 of ULA's stationary law and of its law after L steps from N(0, I), for the linear score (A, b)."""
    d = b.size
    I = np.eye(d)
    P = (I - A) / sigma ** 2
    c = b / sigma ** 2
    B = I - gamma * P
    m_inf = np.linalg.solve(I - B, gamma * c)
    S = 2 * gamma * I
    Bk = B.copy()
    for _ in range(60):
        inc = Bk @ S @ Bk.T
        S = S + inc
        Bk = Bk @ Bk
        if np.trace(inc) < 1e-15 * np.trace(S):
            break
    w_inf = bures_w2(m_inf, S, lam)
    m = np.zeros(d)
    SL = I.copy()
    for _ in range(L):
        m = B @ m + gamma * c
        SL = B @ SL @ B.T + 2 * gamma * I
    return w_inf, bures_w2(m, SL, lam)


def seed_work(cfg, rng):
    d, sigma, tau, gamma = cfg['d'], cfg['sigma'], cfg['tau'], cfg['gamma']
    N, K, L, M = cfg['n_train'], cfg['sgd_steps'], cfg['langevin_steps'], cfg['particles']
    lam = spectrum(d, cfg['zeta'])
    X = np.sqrt(lam)[:, None] * rng.standard_normal((d, N))
    out = {}
    out['noise'] = fit_w2(np.sqrt(lam + sigma ** 2)[:, None] * rng.standard_normal((d, M)), lam)
    out['exact'] = fit_w2(ula(np.diag(lam / (lam + sigma ** 2)), np.zeros(d), sigma, gamma, L, M, rng), lam)
    # as w2lab: a learned chain without a stationary law is not run (its particles would overflow)
    A, b = sgd_fresh(lam, sigma, tau, K, rng)
    if stable(A, sigma, gamma):
        out['fresh'] = fit_w2(ula(A, b, sigma, gamma, L, M, rng), lam)
    A, b = sgd(X, sigma, tau, K, rng)
    if stable(A, sigma, gamma):
        out['train'] = fit_w2(ula(A, b, sigma, gamma, L, M, rng), lam)
        out['theory_inf'], out['theory_L'] = theory(A, b, sigma, gamma, L, lam)
    return out


def best(fn, repeat):
    times = []
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter(); out = fn(); times.append(time.perf_counter() - t0)
    return min(times), out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--configs')
    ap.add_argument('--d', type=int, default=16)
    ap.add_argument('--zeta', type=float, default=1.0)
    ap.add_argument('--sigma', type=float, default=0.5)
    ap.add_argument('--tau', type=float, default=0.05)
    ap.add_argument('--n-train', type=int, default=100)
    ap.add_argument('--sgd-steps', type=int, default=20000)
    ap.add_argument('--gamma', type=float, default=0.01)
    ap.add_argument('--langevin-steps', type=int, default=500)
    ap.add_argument('--particles', type=int, default=4096)
    ap.add_argument('--seeds', type=int, default=1)
    ap.add_argument('--repeat', type=int, default=3)
    ap.add_argument('--sgd-only', action='store_true')
    ap.add_argument('--json', action='store_true')
    a = ap.parse_args()
    cli = {'d': a.d, 'zeta': a.zeta, 'sigma': a.sigma, 'tau': a.tau, 'n_train': a.n_train,
           'sgd_steps': a.sgd_steps, 'gamma': a.gamma, 'langevin_steps': a.langevin_steps,
           'particles': a.particles, 'seeds': a.seeds}

    out = {'numpy': np.__version__}
    rng = np.random.default_rng([0, 0])
    lam = spectrum(a.d, a.zeta)
    X = np.sqrt(lam)[:, None] * rng.standard_normal((a.d, a.n_train))
    s, _ = best(lambda: sgd(X, a.sigma, a.tau, a.sgd_steps, rng), a.repeat)
    out['sgd_steps_per_s'] = a.sgd_steps / s

    if a.configs:
        with open(a.configs) as f:
            cfgs = json.load(f)

        def all_configs():
            n = 0
            for i, cfg in enumerate(cfgs):
                for seed in range(int(cfg['seeds'])):
                    seed_work(cfg, np.random.default_rng([i, seed]))
                    n += 1
            return n

        s, n = best(all_configs, a.repeat)
        out['configs_ms'] = s * 1e3
        out['configs_seeds'] = n
    elif not a.sgd_only:
        seeds = max(a.seeds, 1)

        def all_seeds():
            for seed in range(seeds):
                seed_work(cli, np.random.default_rng([0, seed]))

        s, _ = best(all_seeds, a.repeat)
        out['seed_ms'] = s * 1e3 / seeds

    if a.json:
        print(json.dumps(out))
    else:
        for k, v in out.items():
            print(f'{k:32s} {v}')


if __name__ == '__main__':
    main()
