package bigmath_test

import (
	"bufio"
	"fmt"
	"math"
	"math/big"
	"os"
	"strconv"
	"testing"

	"github.com/symdiff/symdiff/ast/internal/bigmath"
)

// TestDumpForMpmath writes arguments and results, exactly, for an
// independent check with mpmath (testdata/mpmath_check.py):
//
//	BIGMATH_DUMP=/tmp/d.txt BIGMATH_DUMP_PREC=256 go test -run DumpForMpmath ./ast/internal/bigmath/
//	python3 ast/internal/bigmath/testdata/mpmath_check.py /tmp/d.txt
//
// It is skipped unless BIGMATH_DUMP is set.
func TestDumpForMpmath(t *testing.T) {
	path := os.Getenv("BIGMATH_DUMP")
	if path == "" {
		t.Skip("BIGMATH_DUMP not set")
	}
	prec := uint(256)
	if s := os.Getenv("BIGMATH_DUMP_PREC"); s != "" {
		p, err := strconv.Atoi(s)
		if err != nil || p < 1 {
			t.Fatalf("bad BIGMATH_DUMP_PREC %q", s)
		}
		prec = uint(p)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := bufio.NewWriter(f)
	defer out.Flush()

	// exact prints x as "m e" with x = m·2^e and m an integer.
	exact := func(x *big.Float) string {
		if x.Sign() == 0 {
			return "0 0"
		}
		m := new(big.Float)
		e := x.MantExp(m)
		p := int(m.MinPrec())
		m.SetMantExp(m, p)
		mi, _ := m.Int(nil)
		return mi.String() + " " + strconv.Itoa(e-p)
	}
	emit := func(name string, x, y, r *big.Float, err error) {
		ys := "- -"
		if y != nil {
			ys = exact(y)
		}
		if err != nil {
			fmt.Fprintf(out, "%s %d %s %s ERR %v\n", name, prec, exact(x), ys, err)
			return
		}
		fmt.Fprintf(out, "%s %d %s %s %s\n", name, prec, exact(x), ys, exact(r))
	}

	rng := newRand(uint64(prec) + 1000)
	uni := func(a, b float64) float64 { return a + (b-a)*rng.Float64() }
	logUni := func(lo, hi float64) float64 {
		v := math.Pow(10, uni(lo, hi))
		if rng.IntN(2) == 0 {
			return -v
		}
		return v
	}
	// A third of the arguments get 60 more bits below the float64 ones.
	arg := func(v float64) *big.Float {
		x := new(big.Float).SetPrec(prec + 20).SetFloat64(v)
		if rng.IntN(3) == 0 && v != 0 {
			d := new(big.Float).SetPrec(prec + 20).SetFloat64(rng.Float64())
			d.SetMantExp(d, x.MantExp(nil)-60)
			x.Add(x, d)
		}
		return x
	}
	fns := map[string]unaryFn{}
	for _, u := range unaries {
		fns[u.name] = u.fn
	}
	run := func(name string, gen func() float64) {
		for range 300 {
			x := arg(gen())
			r, err := fns[name](x, prec)
			emit(name, x, nil, r, err)
		}
	}
	run("Exp", func() float64 { return uni(-50, 50) })
	run("Exp", func() float64 { return logUni(-300, 6) })
	run("Log", func() float64 { return math.Exp(uni(-700, 700)) })
	run("Log", func() float64 { return 1 + logUni(-15, -0.3) })
	run("Sqrt", func() float64 { return math.Abs(logUni(-300, 300)) })
	for _, name := range []string{"Sin", "Cos"} {
		run(name, func() float64 { return uni(-100, 100) })
		run(name, func() float64 { return logUni(-300, 18) })
		run(name, func() float64 { return float64(rng.IntN(2000000)-1000000) * math.Pi / 2 })
	}
	run("Tanh", func() float64 { return uni(-60, 60) })
	run("Tanh", func() float64 { return logUni(-300, 1) })
	for _, name := range []string{"Sigmoid", "Softplus"} {
		run(name, func() float64 { return uni(-800, 800) })
		run(name, func() float64 { return logUni(-300, 1.5) })
	}
	run("Erf", func() float64 { return uni(-10, 10) })
	run("Erf", func() float64 { return logUni(-300, 1) })
	run("Erfc", func() float64 { return uni(-10, 40) })
	run("Erfc", func() float64 { return logUni(-300, 3) })
	run("NormCDF", func() float64 { return uni(-60, 15) })
	run("NormCDF", func() float64 { return logUni(-300, 3) })
	run("NormPDF", func() float64 { return uni(-60, 60) })
	run("NormPDF", func() float64 { return logUni(-300, 3) })
	for range 900 {
		var x, y *big.Float
		switch rng.IntN(4) {
		case 0:
			x, y = arg(math.Abs(logUni(-3, 3))), arg(uni(-60, 60))
		case 1:
			x, y = arg(-math.Abs(logUni(-3, 3))), bf(float64(rng.IntN(400)-200))
		case 2:
			x, y = arg(1+logUni(-12, -6)), arg(float64(rng.IntN(1<<30)))
		default:
			x, y = arg(-(1 + logUni(-12, -6))), bf(float64(rng.IntN(1<<30)-1<<29))
		}
		r, err := bigmath.Pow(x, y, prec)
		emit("Pow", x, y, r, err)
	}

	// Hard cases: arguments within 2^-4000 of multiples of π/2, logarithms
	// at the ends of the exponent range and next to 1, far tails.
	for _, pp := range []uint{prec, prec + 10, prec + 40, 2 * prec, 3*prec + 17, 4000} {
		for _, k := range []float64{1, 2, 3, 4, -7, 1000001, 123456789} {
			x := new(big.Float).SetPrec(pp).Mul(bigmath.Pi(pp), bf(k))
			x.SetMantExp(x, -1)
			for _, name := range []string{"Sin", "Cos"} {
				r, err := fns[name](x, prec)
				emit(name, x, nil, r, err)
			}
		}
	}
	var hard []struct {
		name string
		x    *big.Float
	}
	add := func(name string, x *big.Float) {
		hard = append(hard, struct {
			name string
			x    *big.Float
		}{name, x})
	}
	for _, e := range []int{-1 << 30, -100000, -1000, 0, 1000, 1 << 30} {
		add("Log", new(big.Float).SetMantExp(bf(0.75), e))
		y := new(big.Float).SetPrec(prec+100).SetMantExp(bf(1), e)
		add("Log", y.Add(y, bf(1)))
	}
	for _, v := range []float64{1e-300, 1, 20, 30, 100, 1000, 30000, 38000, 38500} {
		add("Erfc", bf(v))
		add("NormCDF", bf(-v))
		add("NormCDF", bf(-v*math.Sqrt2))
		add("NormPDF", bf(v))
	}
	for _, v := range []float64{1e9, 1.48e9, -1.48e9, -1.4887e9} {
		add("Exp", bf(v))
		add("Sigmoid", bf(-v))
		add("Softplus", bf(-v))
	}
	for _, h := range hard {
		r, err := fns[h.name](h.x, prec)
		emit(h.name, h.x, nil, r, err)
	}
}
