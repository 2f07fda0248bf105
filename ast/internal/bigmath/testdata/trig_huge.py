#!/usr/bin/env python3
"""References for TestSinCosHugeMpmath (trig_huge_test.go): sin and cos of
arguments from 2^61 to 2^4000 (and exp(30000), near 2^43281) that are not float64 values, with mpmath at
1000 digits plus the argument's magnitude in bits (so its reduction modulo
pi is exact to far more digits than are printed).

Writes lines "LABEL M E SIN COS": the argument is exactly M*2^E, and SIN and
COS have 320 significant digits. Run from this directory:

    python3 trig_huge.py > trig_huge.txt
"""
import random

import mpmath
from mpmath import mp, mpf


def exact(x, bits):
    """x rounded to bits significant bits, as (M, E) with x = M*2^E."""
    m, e = mpmath.frexp(x)  # x = m*2^e, 0.5 <= |m| < 1
    mm = int(mpmath.nint(mpmath.ldexp(m, bits)))
    return mm, e - bits


def args():
    mp.prec = 50000
    for k in (19, 20, 25, 50, 100, 300, 1000, 1200):
        yield "10^%d/3" % k, exact(mpf(10) ** k / 3, 300)
    for k in (19, 20, 40, 200, 1000):
        yield "sqrt(2)*10^%d" % k, exact(mpmath.sqrt(2) * mpf(10) ** k, 300)
        yield "-sqrt(2)*10^%d" % k, exact(-mpmath.sqrt(2) * mpf(10) ** k, 300)
    for k in (42, 50, 700, 2000, 30000):
        yield "exp(%d)" % k, exact(mpmath.exp(k), 300)
    # Close to a multiple of pi: sin is about 2^-300 and the reduction has to
    # find more bits of pi than the exponent alone asks for.
    yield "10^30*pi", exact(mpf(10) ** 30 * mpmath.pi, 400)
    yield "2^3000*pi", exact(mpf(2) ** 3000 * mpmath.pi, 3400)
    rng = random.Random(9)
    for i in range(40):
        bits = rng.randint(54, 400)
        m = rng.getrandbits(bits) | (1 << (bits - 1)) | 1  # not a float64
        if rng.random() < 0.5:
            m = -m
        mag = rng.randint(62, 4000)  # 2^61 <= |x| < 2^4000
        yield "random%d" % i, (m, mag - bits)


def main():
    for label, (m, e) in list(args()):
        mag = max(m.bit_length() + e, 0)
        mp.dps = 1000
        mp.prec += mag + m.bit_length() + 64
        x = mpmath.ldexp(mpf(m), e)
        assert mpmath.ldexp(x, -e) == m  # exact
        s, c = mpmath.sin(x), mpmath.cos(x)
        print(label, m, e, mpmath.nstr(s, 320, min_fixed=1, max_fixed=0),
              mpmath.nstr(c, 320, min_fixed=1, max_fixed=0))


if __name__ == "__main__":
    main()
