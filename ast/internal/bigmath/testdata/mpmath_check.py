#!/usr/bin/env python3
"""Independent accuracy check of package bigmath against mpmath.

Reads the file written by TestDumpForMpmath (see crosscheck_test.go), lines
  NAME PREC XM XE YM YE RM RE     (x = XM*2^XE, optional y, result r)
  NAME PREC XM XE YM YE ERR msg
recomputes each value with mpmath at far more bits, and prints per function
the worst relative error in units of 2^-PREC. Exits 1 if any exceeds the
contract 2^-(PREC-8). Results of 0 for references below big.Float's range
(about 2^-2147483648) are reported as underflow, which the contract allows.
"""
import sys

import mpmath
from mpmath import mp, mpf

FNS = {
    "Exp": mpmath.exp, "Log": mpmath.log, "Sqrt": mpmath.sqrt,
    "Sin": mpmath.sin, "Cos": mpmath.cos, "Tanh": mpmath.tanh,
    "Sigmoid": lambda x: 1 / (1 + mpmath.exp(-x)),
    "Softplus": lambda x: mpmath.log1p(mpmath.exp(x)),
    "Erf": mpmath.erf, "Erfc": mpmath.erfc,
    "NormCDF": mpmath.ncdf, "NormPDF": mpmath.npdf,
    "Pow": mpmath.power,
}
MIN_LOG2 = -2**31  # big.MinExp


def main(path):
    worst, errors, underflows, bad = {}, {}, {}, 0
    for line in open(path):
        f = line.split()
        name, prec = f[0], int(f[1])
        xm, xe = int(f[2]), int(f[3])
        # Enough bits for the argument itself (reductions near multiples
        # of pi need all of them) plus the precision checked.
        mp.prec = 2 * max(2 * prec, xm.bit_length()) + 1000
        x = mpmath.ldexp(mpf(xm), xe)
        args = [x] if f[4] == "-" else [x, mpmath.ldexp(mpf(int(f[4])), int(f[5]))]
        if f[6] == "ERR":
            errors.setdefault(name, []).append(
                (mpmath.nstr(x, 8), " ".join(f[7:])))
            continue
        r = mpmath.ldexp(mpf(int(f[6])), int(f[7]))
        ref = FNS[name](*args)
        if r == 0 and ref != 0 and mpmath.log(abs(ref), 2) < MIN_LOG2:
            underflows[name] = underflows.get(name, 0) + 1
            continue
        if ref == 0:
            bits = -mpmath.inf if r == 0 else mpmath.inf
        elif r == ref:
            bits = -mpmath.inf
        else:
            bits = float(mpmath.log(abs((r - ref) / ref), 2)) + prec
        if bits > 8:
            bad += 1
            print("CONTRACT VIOLATION", name, prec, mpmath.nstr(x, 15), mpmath.nstr(ref, 15), mpmath.nstr(r, 15))
        if name not in worst or bits > worst[name][0]:
            worst[name] = (bits, mpmath.nstr(x, 10))
    for name, (bits, x) in sorted(worst.items()):
        print(f"{name:9s} worst relative error 2^({bits:.2f}) * 2^-prec  (at x={x})")
    for name, n in sorted(underflows.items()):
        print(f"{name:9s} {n} results underflowed to 0 (reference below 2^MinExp)")
    for name, es in sorted(errors.items()):
        print(f"{name:9s} {len(es)} errors returned, e.g. {es[:2]}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
