package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestProveSizeThenEntryAssumptions: with w : vector(n), v : vector(m),
// assume n == N (and m == M) and an assumed entry w[k] == c, claims over
// the entries are decided at points where the sizes are the assumed ones
// and the entry has its value. The arrays were shaped at a drawn size
// before the assumptions set it, and could not be shaped again without
// losing the entry's value: every such claim was unknown ("no point where
// the equality assumptions hold"). The oracle is the test's own
// evaluation: each counterexample must have n = N, m = M, w of N entries
// with w[k] = c, v of M entries, and sides that differ there; a claim
// true by construction is never refuted, and one false by construction is
// refuted.
func TestProveSizeThenEntryAssumptions(t *testing.T) {
	defs := filepath.Join(t.TempDir(), "decl.sd")
	if err := os.WriteFile(defs, []byte("w : vector(n)\nv : vector(m)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(10, 3))
	halves := func() float64 { return float64(rng.IntN(9)-4) / 2 }
	for trial := range 30 {
		N, M := 2+rng.IntN(3), 1+rng.IntN(3)
		k, c := 1+rng.IntN(N), halves()
		// Two different entries of w, neither the assumed one where N
		// allows: free, so the claim between them is false.
		i := 1 + rng.IntN(N)
		for i == k && N > 2 {
			i = 1 + rng.IntN(N)
		}
		j := 1 + rng.IntN(N)
		for j == i || j == k && N > 2 {
			j = 1 + rng.IntN(N)
		}
		type claim struct {
			text string
			// sides evaluates the claim at w, v; truth by construction:
			// +1 true wherever the assumptions hold (proved or unknown),
			// -1 false at some such point (to be refuted).
			sides func(w, v []float64) (float64, float64)
			truth int
		}
		sum := func(w []float64) float64 {
			s := 0.0
			for _, x := range w {
				s += x
			}
			return s
		}
		claims := []claim{
			{fmt.Sprintf("w[%d] == %g", k, c), func(w, v []float64) (float64, float64) { return w[k-1], c }, 1},
			{fmt.Sprintf("2*w[%d] - %g == w[%d]", k, c, k), func(w, v []float64) (float64, float64) { return 2*w[k-1] - c, w[k-1] }, 1},
			{fmt.Sprintf("w[%d] == w[%d]", i, j), func(w, v []float64) (float64, float64) { return w[i-1], w[j-1] }, -1},
			{fmt.Sprintf("w[%d] + v[%d] == %g", k, M, c), func(w, v []float64) (float64, float64) { return w[k-1] + v[M-1], c }, -1},
			{fmt.Sprintf("sum(i=1..n, w[i]) == %g + w[%d]", c, i), func(w, v []float64) (float64, float64) { return sum(w), c + w[i-1] }, -1},
		}
		if N == 2 && i != k {
			// w[i] + w[k] = w[i] + c: true.
			claims[4].truth = 1
		}
		cl := claims[rng.IntN(len(claims))]
		args := []string{"prove", "--json", "--defs", defs, "--assume", fmt.Sprintf("n == %d", N), "--assume", fmt.Sprintf("m == %d", M), "--assume", fmt.Sprintf("w[%d] == %g", k, c), cl.text}
		out, stderr, status := runMain(t, args...)
		var res struct {
			Verdict string `json:"verdict"`
			Counter struct {
				Point map[string]json.RawMessage `json:"point"`
			} `json:"counterexample"`
		}
		if status == 2 || json.Unmarshal([]byte(out), &res) != nil {
			t.Fatalf("%d: %s: status %d, %s %s", trial, strings.Join(args, " "), status, out, stderr)
		}
		desc := fmt.Sprintf("%d: n == %d, m == %d, w[%d] == %g: prove %s", trial, N, M, k, c, cl.text)
		switch res.Verdict {
		case "refuted":
			if cl.truth > 0 {
				t.Errorf("%s: a true claim refuted: %s", desc, out)
				continue
			}
			var n, m float64
			var w, v []float64
			p := res.Counter.Point
			for name, dst := range map[string]any{"n": &n, "m": &m, "w": &w, "v": &v} {
				raw, ok := p[name]
				if !ok && (name == "m" || name == "v") {
					continue // the claim does not read v
				}
				if !ok || json.Unmarshal(raw, dst) != nil {
					t.Fatalf("%s: counterexample without %s: %s", desc, name, out)
				}
			}
			switch {
			case n != float64(N) || len(w) != N:
				t.Errorf("%s: counterexample with n = %v and %d entries of w: %s", desc, n, len(w), out)
			case w[k-1] != c:
				t.Errorf("%s: counterexample with w[%d] = %v: %s", desc, k, w[k-1], out)
			case v != nil && (m != float64(M) || len(v) != M):
				t.Errorf("%s: counterexample with m = %v and %d entries of v: %s", desc, m, len(v), out)
			default:
				if l, r := cl.sides(w, v); l == r {
					t.Errorf("%s: refuted at a point where both sides are %v: %s", desc, l, out)
				}
			}
		case "proved":
			if cl.truth < 0 {
				t.Errorf("%s: a false claim proved: %s", desc, out)
			}
		default:
			if cl.truth < 0 {
				t.Errorf("%s: %s, not refuted: %s", desc, res.Verdict, out)
			}
		}
	}
}

// TestProofWhereInEveryView: a proof that holds only where its sides are
// defined states where in the plain view, in --json and in LaTeX (the
// LaTeX derivation left it out, claiming the identity everywhere). The
// conditions are read from the plain view (the lines in parentheses under
// the verdict) and each must appear in the others.
func TestProofWhereInEveryView(t *testing.T) {
	for _, tt := range []struct{ claim, want string }{
		{"if(z < 0, 1/(x-x), 1) == if(z < 0, 1/(x-x), 1)", "wherever z < 0"},
		// The sides' domains the proof used.
		{"log(x*y) == log(x) + log(y)", "where x > 0, for the sides to be defined"},
		// A point where one side only has a value.
		{"x/x == 1", "at x=0 the left side is undefined"},
	} {
		dir := t.TempDir()
		file := filepath.Join(dir, "w.sd")
		if err := os.WriteFile(file, []byte("prove "+tt.claim+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		plain, stderr, status := runMain(t, "run", file)
		if status != 0 || !strings.HasPrefix(plain, "proved: ") || !strings.Contains(plain, tt.want) {
			t.Errorf("run %s: status %d, stdout %q, stderr %q; want proved with %q under it", tt.claim, status, plain, stderr, tt.want)
			continue
		}
		var notes []string
		for _, l := range strings.Split(plain, "\n")[1:] {
			if n, ok := strings.CutPrefix(l, "  ("); ok {
				notes = append(notes, strings.TrimSuffix(n, ")"))
			}
		}
		js, _, status := runMain(t, "run", "--json", file)
		tex, _, texStatus := runMain(t, "latex", file)
		for _, n := range notes {
			if status != 0 || !strings.Contains(js, strconv.Quote(n)) {
				t.Errorf("run --json %s: status %d, %q: no note %q", tt.claim, status, js, n)
			}
			if texStatus != 0 || !strings.Contains(tex, "This holds "+n+".") {
				t.Errorf("latex %s: status %d, %q: no sentence for %q", tt.claim, texStatus, tex, n)
			}
		}
	}
}
