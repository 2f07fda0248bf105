package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// A definition whose body holds a derivative is that derivative wherever
// it is used: after g := d(x^3, x), g was shown as d(x^3, x) and
// prove g == 3*x^2 was unknown; after f(u) := d(u^2, u), f(3) printed
// d(9, 3) (the parameter replaced inside the derivative's variable).
// Random bodies, their values against central differences computed here.
func TestDerivInDefinition(t *testing.T) {
	type term struct {
		text string
		f    func(u, y float64) float64
	}
	var terms []term
	for k := 1; k <= 4; k++ {
		terms = append(terms, term{fmt.Sprintf("u^%d", k), func(u, _ float64) float64 { return math.Pow(u, float64(k)) }})
	}
	for _, c := range []float64{1, 2, 0.5} {
		terms = append(terms,
			term{fmt.Sprintf("sin(%v*u)", c), func(u, _ float64) float64 { return math.Sin(c * u) }},
			term{fmt.Sprintf("exp(u/%v)", c*4), func(u, _ float64) float64 { return math.Exp(u / (c * 4)) }},
			term{fmt.Sprintf("y*u^2/%v", c), func(u, y float64) float64 { return y * u * u / c }},
			term{fmt.Sprintf("log(1 + u^2)*%v", c), func(u, _ float64) float64 { return math.Log(1+u*u) * c }},
		)
	}
	rng := rand.New(rand.NewPCG(7, 11))
	dir := t.TempDir()
	for trial := range 30 {
		var texts []string
		var fs []func(u, y float64) float64
		for range 1 + rng.IntN(3) {
			tm := terms[rng.IntN(len(terms))]
			texts = append(texts, tm.text)
			fs = append(fs, tm.f)
		}
		body := strings.Join(texts, " + ")
		p := func(u, y float64) float64 {
			s := 0.0
			for _, f := range fs {
				s += f(u, y)
			}
			return s
		}
		defs := filepath.Join(dir, fmt.Sprintf("d%d.sd", trial))
		src := fmt.Sprintf("f(u) := d(%s, u)\ng := d(%s, x)\nh(u) := f(u)*2 + g\n", body, strings.ReplaceAll(body, "u", "x"))
		if err := os.WriteFile(defs, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		a := float64(rng.IntN(9)-4) / 2
		y := float64(rng.IntN(5)+1) / 2
		const h = 1e-5
		want := (p(a+h, y) - p(a-h, y)) / (2 * h)
		check := func(what string, args ...string) {
			out, stderr, status := runMain(t, append([]string{"eval", "--defs", defs}, args...)...)
			got, err := strconv.ParseFloat(strings.TrimSpace(out), 64)
			if status != 0 || err != nil || math.Abs(got-want) > 1e-5*(1+math.Abs(want)) {
				t.Errorf("%s%s: %v: status %d, %q %q; want %v (central difference)", src, what, args, status, out, stderr, want)
			}
		}
		check("f at a number", fmt.Sprintf("f(%v)", a), fmt.Sprintf("y=%v", y))
		check("f at a name", "f(z)", fmt.Sprintf("z=%v", a), fmt.Sprintf("y=%v", y))
		check("g", "g", fmt.Sprintf("x=%v", a), fmt.Sprintf("y=%v", y))
		want = 3 * want // h(a) at x = a
		check("h", fmt.Sprintf("h(%v)", a), fmt.Sprintf("x=%v", a), fmt.Sprintf("y=%v", y))
		// simplify shows no derivative left, and prove agrees with it.
		out, stderr, status := runMain(t, "simplify", "--defs", defs, "h(x)")
		if status != 0 || strings.Contains(out, "d(") {
			t.Errorf("%ssimplify h(x): status %d, %q %q", src, status, out, stderr)
			continue
		}
		if _, stderr, status := runMain(t, "prove", "--defs", defs, "h(x) == "+strings.TrimSpace(out)); status != 0 {
			t.Errorf("%sprove h(x) == %s: status %d %q", src, strings.TrimSpace(out), status, stderr)
		}
	}
}
