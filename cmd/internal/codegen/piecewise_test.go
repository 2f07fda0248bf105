package codegen

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The piecewise form if(cond, a, b) and the functions with kinks, run in
// every language. The oracle is written here by hand, not symdiff's
// evaluator: each case gives the loss term f(x, y) and its derivative in x
// by the documented convention (on a boundary, the derivative of the piece
// the condition selects there; relu'(0) = sign(0) = step(0) = 0; the first
// argument of max and min takes a tie). The inputs hold the boundaries
// exactly and points where the unselected piece is undefined (log of a
// negative number); the generated gradient is compared with the hand
// derivative everywhere and with central differences of the generated
// loss away from the boundaries.

// A pwCase is a loss sum(i=1..n, f(x[i], y[i])) with its hand oracle.
type pwCase struct {
	name string
	term string // f, in x[i] and y[i]
	f    func(x, y float64) float64
	df   func(x, y float64) float64 // d f / d x
	// kinks are the points where f or df jumps, as functions of x and y
	// whose zeros are the boundaries: central differences are not
	// compared within 1e-3 of one.
	kinks []func(x, y float64) float64
}

func sel(c bool, a, b float64) float64 {
	if c {
		return a
	}
	return b
}

func sgn(u float64) float64 {
	switch {
	case u > 0:
		return 1
	case u < 0:
		return -1
	}
	return 0
}

func stp(u float64) float64 { return sel(u > 0, 1, 0) }

var pwCases = []pwCase{
	{
		name: "huber",
		term: "if(abs(x[i] - y[i]) <= 1, (x[i] - y[i])^2/2, abs(x[i] - y[i]) - 1/2)",
		f: func(x, y float64) float64 {
			r := x - y
			return sel(math.Abs(r) <= 1, r*r/2, math.Abs(r)-0.5)
		},
		df: func(x, y float64) float64 {
			r := x - y
			return sel(math.Abs(r) <= 1, r, sgn(r))
		},
		kinks: []func(x, y float64) float64{
			func(x, y float64) float64 { return x - y - 1 },
			func(x, y float64) float64 { return x - y + 1 },
		},
	},
	{
		name: "pinball",
		term: "if(y[i] - x[i] >= 0, 3/10*(y[i] - x[i]), (3/10 - 1)*(y[i] - x[i]))",
		f: func(x, y float64) float64 {
			u := y - x
			return sel(u >= 0, 0.3*u, -0.7*u)
		},
		df:    func(x, y float64) float64 { return sel(y-x >= 0, -0.3, 0.7) },
		kinks: []func(x, y float64) float64{func(x, y float64) float64 { return y - x }},
	},
	{
		name: "clipped_and",
		term: "if(x[i] > -1 and x[i] < 1, x[i]^2*y[i], y[i])",
		f:    func(x, y float64) float64 { return sel(x > -1 && x < 1, x*x*y, y) },
		df:   func(x, y float64) float64 { return sel(x > -1 && x < 1, 2*x*y, 0) },
		kinks: []func(x, y float64) float64{
			func(x, y float64) float64 { return x - 1 },
			func(x, y float64) float64 { return x + 1 },
		},
	},
	{
		// The pieces are undefined where they are not selected (log(x[i])
		// for x[i] <= 0, log(x[i] - 1) for x[i] <= 1, sqrt(x[i] + 2) for
		// x[i] < -2, 1/(x[i] + 1) at -1); log(x[i])
		// occurs twice in its piece, which must not make it a variable
		// computed outside the branch.
		name: "undefined_piece",
		term: "if(x[i] > 0, log(x[i])^2 + log(x[i]), 0) + if(x[i] <= 2, x[i], 2 + log(x[i] - 1)) + if(x[i] >= -1, sqrt(x[i] + 2), 1/(x[i] + 1))",
		f: func(x, y float64) float64 {
			var a float64
			if x > 0 {
				a = math.Log(x)*math.Log(x) + math.Log(x)
			}
			b := x
			if x > 2 {
				b = 2 + math.Log(x-1)
			}
			c := 1 / (x + 1)
			if x >= -1 {
				c = math.Sqrt(x + 2)
			}
			return a + b + c
		},
		df: func(x, y float64) float64 {
			var a float64
			if x > 0 {
				a = (2*math.Log(x) + 1) / x
			}
			b := 1.0
			if x > 2 {
				b = 1 / (x - 1)
			}
			c := -1 / ((x + 1) * (x + 1))
			if x >= -1 {
				c = 0.5 / math.Sqrt(x+2)
			}
			return a + b + c
		},
		kinks: []func(x, y float64) float64{
			func(x, y float64) float64 { return x },
			func(x, y float64) float64 { return x - 2 },
			func(x, y float64) float64 { return x + 1 },
		},
	},
	{
		name: "nested",
		term: "if(x[i] > 0, if(x[i] > 1, log(x[i]), x[i] - 1), -x[i]^3*y[i])",
		f: func(x, y float64) float64 {
			switch {
			case x > 1:
				return math.Log(x)
			case x > 0:
				return x - 1
			}
			return -x * x * x * y
		},
		df: func(x, y float64) float64 {
			switch {
			case x > 1:
				return 1 / x
			case x > 0:
				return 1
			}
			return -3 * x * x * y
		},
		kinks: []func(x, y float64) float64{
			func(x, y float64) float64 { return x },
			func(x, y float64) float64 { return x - 1 },
		},
	},
	{
		name: "or_not",
		// log(y[i]) is selected only where y[i] > 0, and undefined
		// where it is not selected.
		term: "if(x[i] < -1 or not (y[i] > 0), x[i]*y[i], x[i]^2 + log(y[i]))",
		f: func(x, y float64) float64 {
			if x < -1 || !(y > 0) {
				return x * y
			}
			return x*x + math.Log(y)
		},
		df: func(x, y float64) float64 { return sel(x < -1 || !(y > 0), y, 2*x) },
		kinks: []func(x, y float64) float64{
			func(x, y float64) float64 { return x + 1 },
		},
	},
	{
		// The kink convention, tested at the kinks: relu'(0) = 0,
		// abs'(0) = sign(0) = 0, step(0) = sign(0) = 0, a tie of max or
		// min gives the first argument the whole derivative, clip has
		// slope 1 on the closed interval.
		name: "kinks",
		term: "relu(x[i]) + 2*abs(x[i]) + 3*sign(x[i]) + 5*step(x[i]) + max(x[i], y[i]) + 7*min(x[i], y[i]) + 11*max(y[i], x[i]) + 13*min(y[i], x[i]) + 17*clip(x[i], -1, 1)",
		f: func(x, y float64) float64 {
			return math.Max(x, 0) + 2*math.Abs(x) + 3*sgn(x) + 5*stp(x) + math.Max(x, y) + 7*math.Min(x, y) +
				11*math.Max(y, x) + 13*math.Min(y, x) + 17*math.Min(math.Max(x, -1), 1)
		},
		df: func(x, y float64) float64 {
			d := stp(x) + 2*sgn(x)
			d += sel(x >= y, 1, 0)     // max(x, y): x, the first, wins a tie
			d += 7 * sel(x <= y, 1, 0) // min(x, y): likewise
			d += 11 * sel(x > y, 1, 0) // max(y, x): y wins a tie
			d += 13 * sel(x < y, 1, 0) // min(y, x): likewise
			d += 17 * sel(x >= -1 && x <= 1, 1, 0)
			return d
		},
		kinks: []func(x, y float64) float64{
			func(x, y float64) float64 { return x },
			func(x, y float64) float64 { return x - y },
			func(x, y float64) float64 { return x - 1 },
			func(x, y float64) float64 { return x + 1 },
		},
	},
}

// pwData is the inputs: the boundaries exactly (-1, 0, 1, 2, and
// y = x, x ± 1 in exact binary fractions), points where a piece is
// undefined, and random points, some far from 0.
func pwData(seed uint64) (xs, ys []float64) {
	fixed := []float64{-1, 0, 1, 2, -3, -0.5, 0.5, 1.5, 2.5, -1.5, 0.25, -0.25, 40, -40}
	for _, x := range fixed {
		for _, y := range []float64{x, x - 1, x + 1, 0, 0.75, -0.75} {
			xs, ys = append(xs, x), append(ys, y)
		}
	}
	r := rand.New(rand.NewPCG(seed, 11))
	for range 30 {
		xs = append(xs, r.NormFloat64()*2)
		ys = append(ys, r.NormFloat64()*2)
	}
	xs = append(xs, 1e3*r.Float64()+5, -1e3*r.Float64()-5)
	ys = append(ys, r.NormFloat64(), r.NormFloat64())
	return xs, ys
}

func TestPiecewiseCode(t *testing.T) {
	for _, pc := range pwCases {
		for _, lang := range Langs {
			t.Run(pc.name+"/"+string(lang), func(t *testing.T) {
				t.Parallel()
				runPiecewise(t, &pc, lang)
			})
		}
	}
}

func runPiecewise(t *testing.T, pc *pwCase, lang Lang) {
	tc := tcase{loss: "sum(i=1..n, " + pc.term + ")", wrt: []string{"x[k]"}}
	en, loss, wrt := tc.setup(t)
	ctx := context.Background()
	res, err := Generate(ctx, en, &Request{Loss: loss, Wrt: wrt, Lang: lang, Package: "main", Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := analyse(ctx, en, loss, wrt, false)
	if err != nil {
		t.Fatal(err)
	}
	xs, ys := pwData(3)
	n := len(xs)
	data := map[string][]float64{"x": xs, "y": ys}
	sizes := map[string]int{"n": n}
	if _, ok := p.inputByNm["y"]; !ok {
		delete(data, "y")
	}
	out := runDriver(t, lang, res, p, data, sizes)
	defer func() {
		if t.Failed() {
			t.Logf("generated code:\n%s", res.Code)
		}
	}()

	var want float64
	for i := range xs {
		want += pc.f(xs[i], ys[i])
	}
	if got := out.Outs[0][0]; relErr(got, want) > 1e-12 || math.IsNaN(got) {
		t.Errorf("loss: generated %.17g, hand-written %.17g", got, want)
	}
	g, fd := out.Outs[1], out.GFD[0]
	if len(g) != n || len(fd) != n {
		t.Fatalf("gradient has %d components and %d finite differences, want %d", len(g), len(fd), n)
	}
	checked := 0
	for i := range xs {
		x, y := xs[i], ys[i]
		if d := pc.df(x, y); relErr(g[i], d) > 1e-12 || math.IsNaN(g[i]) {
			t.Errorf("d loss/d x[%d] at x=%g, y=%g: generated %.17g, hand-written %.17g", i+1, x, y, g[i], d)
		}
		near := false
		for _, k := range pc.kinks {
			if math.Abs(k(x, y)) < 1e-3*math.Max(1, math.Abs(x)) {
				near = true
			}
		}
		if near {
			continue
		}
		checked++
		// The differences are of the whole sum: rounding in it costs
		// about eps*|loss|/h.
		if err := relErr(g[i], fd[i]); err > 1e-6+1e-10*math.Abs(want) || math.IsNaN(err) {
			t.Errorf("d loss/d x[%d] at x=%g, y=%g: generated %.12g, central differences %.12g", i+1, x, y, g[i], fd[i])
		}
	}
	if checked < n/3 {
		t.Errorf("only %d of %d gradient components were away from the boundaries", checked, n)
	}
}

// TestPiecewiseHoisting checks the plan: nothing met only inside a piece
// becomes a variable (computed outside its branch), while a sum the
// condition uses is one, read inside the branch.
func TestPiecewiseHoisting(t *testing.T) {
	for _, tt := range []struct {
		loss, wrt string
		lang      Lang
		want      []string // lines of the generated code, trimmed
	}{
		{"sum(i=1..n, if(x[i] > 0, log(x[i])^2 + log(x[i]), 0))", "x[k]", Python, []string{
			"acc2 += (math.log(x[i]) + math.log(x[i]) * math.log(x[i]) if x[i] > 0.0 else 0.0)",
		}},
		{"if(x > 0 and not (y == 1), log(x)*log(x), y)", "x", C, []string{
			"loss = ((x > 0.0) && (!(y == 1.0)) ? log(x) * log(x) : y);",
		}},
		{"sum(i=1..n, if(sum(j=1..d, a[i,j]*w[j]) > 0, log(sum(j=1..d, a[i,j]*w[j])), 0))", "w[k]", Python, []string{
			"acc2 += (math.log(s1) if s1 > 0.0 else 0.0)",
		}},
		// The delta of the gradient is taken out of the if, so the sum
		// over i collapses: one loop, not one over i for every k.
		{"sum(i=1..n, if(abs(y[i] - f[i]) <= 1, (y[i] - f[i])^2/2, abs(y[i] - f[i]) - 1/2))", "f[k]", Python, []string{
			"grad_f[k] = (f[k] - y[k] if t2[k] <= 1.0 else -float((t1[k] > 0) - (t1[k] < 0)))",
		}},
		{"sum(i=1..n, if(abs(y[i] - f[i]) <= 1, (y[i] - f[i])^2/2, abs(y[i] - f[i]) - 1/2))", "f[k]", NumPy, []string{
			"grad_f = piecewise(t2 <= 1.0, lambda: f - y, lambda: -np.sign(t1))",
		}},
		{"if(x > 0 or y < 0, log(x), 0)", "x", NumPy, []string{
			"x = np.float64(x)",
			"loss = piecewise(np.logical_or(x > 0.0, y < 0.0), lambda: np.log(x), lambda: 0.0)",
		}},
	} {
		t.Run(tt.loss, func(t *testing.T) {
			tc := tcase{loss: tt.loss, wrt: []string{tt.wrt}}
			en, loss, wrt := tc.setup(t)
			res, err := Generate(context.Background(), en, &Request{Loss: loss, Wrt: wrt, Lang: tt.lang, Package: "main", Version: "test"})
			if err != nil {
				t.Fatal(err)
			}
			lines := map[string]bool{}
			for _, l := range strings.Split(res.Code, "\n") {
				lines[strings.TrimSpace(l)] = true
			}
			var missing []string
			for _, w := range tt.want {
				if !lines[w] {
					missing = append(missing, w)
				}
			}
			if diff := cmp.Diff([]string(nil), missing); diff != "" {
				t.Errorf("lines missing (-want +got):\n%s\ncode:\n%s", diff, res.Code)
			}
		})
	}
}

// TestPiecewiseRefused: a sum computed only inside a piece has no code.
func TestPiecewiseRefused(t *testing.T) {
	tc := tcase{loss: "if(b > 0, sum(i=1..n, log(x[i]*b)), 0)", wrt: []string{"b"}}
	en, loss, wrt := tc.setup(t)
	for _, lang := range Langs {
		_, err := Generate(context.Background(), en, &Request{Loss: loss, Wrt: wrt, Lang: lang, Package: "main", Version: "test"})
		want := "sum(i=1..n, log(b*x[i])) is computed only inside a piece of if(cond, a, b), and code for a sum inside a piece is not generated yet (use it outside the if too, or move the if into the sum)"
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", lang, err, want)
		}
	}
}
