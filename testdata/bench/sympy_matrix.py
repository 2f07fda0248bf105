#!/usr/bin/env python3
"""SymPy's MatrixSymbol on the inputs of symdiff's matrix benchmarks.

Not part of go test. It differentiates, with sympy's matrix calculus,
  CE  = -mean(y .* log(sigma(X*w)) + (1 - y) .* log(1 - sigma(X*w)))  by w
  the Hessian of CE by w (the derivative of that gradient by w)
  F   = sum(tanh(W10*tanh(W9*...tanh(W1*x))))                        by W1
and prints, for each, the time in process (median of the runs, after
one warm-up) and as a whole process (python3 started on this file for
that case alone, import included), and what sympy answered: the result,
or the exception it raised.

    python3 testdata/bench/sympy_matrix.py [--runs N]

The symdiff figures on the same inputs:
    go test -run '^$' -bench 'CE|Chain10' ./simplify/matrix/ ./cmd/symdiff/
"""
import statistics
import subprocess
import sys
import time

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction as Elementwise


def sigma(u):
    return 1 / (1 + sp.exp(-u))


def ce_setup():
    n, d = sp.symbols("n d", integer=True, positive=True)
    X = sp.MatrixSymbol("X", n, d)
    w = sp.MatrixSymbol("w", d, 1)
    y = sp.MatrixSymbol("y", n, 1)
    ones = sp.OneMatrix(n, 1)
    u = sp.Dummy("u")
    p = Elementwise(sp.Lambda(u, sigma(u)), X * w)
    logp = Elementwise(sp.Lambda(u, sp.log(u)), p)
    log1mp = Elementwise(sp.Lambda(u, sp.log(u)), ones - p)
    ce = -(y.T * logp + (ones - y).T * log1mp) / n
    return ce, w


def ce_gradient():
    ce, w = ce_setup()
    return ce.diff(w)


def ce_hessian():
    ce, w = ce_setup()
    return ce.diff(w).diff(w)


def mse_gradient():
    n, d = sp.symbols("n d", integer=True, positive=True)
    X = sp.MatrixSymbol("X", n, d)
    w = sp.MatrixSymbol("w", d, 1)
    y = sp.MatrixSymbol("y", n, 1)
    return (((X * w - y).T * (X * w - y)) / n).diff(w)


def chain(layers):
    def run():
        m = sp.symbols("m", integer=True, positive=True)
        x = sp.MatrixSymbol("x", m, 1)
        Ws = [sp.MatrixSymbol(f"W{k}", m, m) for k in range(1, layers + 1)]
        u = sp.Dummy("u")
        h = x
        for W in Ws:
            h = Elementwise(sp.Lambda(u, sp.tanh(u)), W * h)
        f = sp.OneMatrix(1, m) * h
        return f.diff(Ws[0])
    return run


# mse_gradient and chain1_dW1 are there for reference: inputs sympy
# answers.
CASES = {"ce_gradient": ce_gradient, "ce_hessian": ce_hessian, "chain10_dW1": chain(10),
         "mse_gradient": mse_gradient, "chain1_dW1": chain(1), "chain2_dW1": chain(2)}


def attempt(fn):
    try:
        r = fn()
        return "ok", str(r)
    except Exception as e:  # sympy's answer is what is reported
        return "error", f"{type(e).__name__}: {e}"


def main():
    runs = 5
    if "--runs" in sys.argv:
        runs = int(sys.argv[sys.argv.index("--runs") + 1])
    if "--one" in sys.argv:
        attempt(CASES[sys.argv[sys.argv.index("--one") + 1]])
        return
    print(f"sympy {sp.__version__}, python {sys.version.split()[0]}")
    for name, fn in CASES.items():
        status, text = attempt(fn)  # warm-up, and the answer
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            attempt(fn)
            times.append(time.perf_counter() - t0)
        procs = []
        for _ in range(3):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, __file__, "--one", name], check=True)
            procs.append(time.perf_counter() - t0)
        if len(text) > 300:
            text = text[:297] + "..."
        print(f"{name}: in process {statistics.median(times) * 1e3:.1f} ms (median of {runs}), "
              f"whole process {statistics.median(procs) * 1e3:.0f} ms (median of 3); {status}: {text}")


if __name__ == "__main__":
    main()
