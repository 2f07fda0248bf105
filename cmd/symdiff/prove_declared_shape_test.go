package main

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// A counterexample to a claim about entries of declared vectors and
// matrices gives each array in its declared shape, with the sizes the
// point gives: w : vector(3) was drawn as a 3×3 matrix for
// sum(j=1..d, w[2,j]) == 5, and w[5] == 1 was refuted with w of 8
// entries. The claims are random sums of templates whose values this test
// computes itself from the point; a read past a declared shape is never
// refuted.
func TestProveDeclaredShapes(t *testing.T) {
	defs := filepath.Join(t.TempDir(), "decl.sd")
	src := "w : vector(3)\nA : matrix(2, 3)\nX : matrix(n, d)\ny : vector(n)\n"
	if err := os.WriteFile(defs, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	type point struct {
		scalars map[string]float64
		arrays  map[string][][]float64 // rows; a vector is one column
		vector  map[string]bool        // given as a flat list
	}
	// at reads entry [i, j] (1-based), or reports a read past the shape.
	at := func(p point, name string, i, j int) (float64, bool) {
		a := p.arrays[name]
		if i < 1 || i > len(a) || j < 1 || j > len(a[i-1]) {
			return 0, false
		}
		return a[i-1][j-1], true
	}
	size := func(p point, n string) int { return int(p.scalars[n]) }
	type template struct {
		text  string
		value func(p point) (float64, bool)
	}
	sum := func(lo, hi int, f func(k int) (float64, bool)) (float64, bool) {
		s := 0.0
		for k := lo; k <= hi; k++ {
			v, ok := f(k)
			if !ok {
				return 0, false
			}
			s += v
		}
		return s, true
	}
	var templates []template
	for k := 1; k <= 3; k++ {
		templates = append(templates, template{fmt.Sprintf("w[%d]", k), func(p point) (float64, bool) { return at(p, "w", k, 1) }})
	}
	for i := 1; i <= 2; i++ {
		for j := 1; j <= 3; j++ {
			templates = append(templates, template{fmt.Sprintf("A[%d,%d]", i, j), func(p point) (float64, bool) { return at(p, "A", i, j) }})
		}
		for hi := 1; hi <= 3; hi++ {
			templates = append(templates, template{fmt.Sprintf("sum(j=1..%d, A[%d,j])", hi, i), func(p point) (float64, bool) {
				return sum(1, hi, func(j int) (float64, bool) { return at(p, "A", i, j) })
			}})
		}
	}
	templates = append(templates,
		template{"sum(i=1..n, X[i,1]*y[i])", func(p point) (float64, bool) {
			return sum(1, size(p, "n"), func(i int) (float64, bool) {
				x, ok1 := at(p, "X", i, 1)
				v, ok2 := at(p, "y", i, 1)
				return x * v, ok1 && ok2
			})
		}},
		template{"sum(j=1..d, X[1,j])", func(p point) (float64, bool) {
			return sum(1, size(p, "d"), func(j int) (float64, bool) { return at(p, "X", 1, j) })
		}},
		template{"sum(i=1..n, y[i]^2)", func(p point) (float64, bool) {
			return sum(1, size(p, "n"), func(i int) (float64, bool) { v, ok := at(p, "y", i, 1); return v * v, ok })
		}},
		template{"sum(j=1..m, w[2,j])", func(p point) (float64, bool) {
			return sum(1, size(p, "m"), func(j int) (float64, bool) { return at(p, "w", 2, j) })
		}},
	)
	declared := map[string][2]string{"w": {"3", "1"}, "A": {"2", "3"}, "X": {"n", "d"}, "y": {"n", "1"}}
	parse := func(raw map[string]json.RawMessage) (point, error) {
		p := point{scalars: map[string]float64{}, arrays: map[string][][]float64{}, vector: map[string]bool{}}
		for k, v := range raw {
			var f float64
			if json.Unmarshal(v, &f) == nil {
				p.scalars[k] = f
				continue
			}
			var flat []float64
			if json.Unmarshal(v, &flat) == nil {
				for _, x := range flat {
					p.arrays[k] = append(p.arrays[k], []float64{x})
				}
				p.vector[k] = true
				continue
			}
			var rows [][]float64
			if err := json.Unmarshal(v, &rows); err != nil {
				return p, fmt.Errorf("%s: %s", k, v)
			}
			p.arrays[k] = rows
		}
		return p, nil
	}
	dim := func(p point, d string) (int, bool) {
		if n, err := strconv.Atoi(d); err == nil {
			return n, true
		}
		v, ok := p.scalars[d]
		return int(v), ok && v == math.Trunc(v)
	}
	rng := rand.New(rand.NewPCG(9, 33))
	refuted := 0
	for trial := range 40 {
		var parts []string
		var used []template
		for range 1 + rng.IntN(3) {
			tp := templates[rng.IntN(len(templates))]
			used = append(used, tp)
			parts = append(parts, tp.text)
		}
		claim := strings.Join(parts, " + ") + " == 1234.5"
		out, stderr, status := runMain(t, "prove", "--json", "--defs", defs, claim)
		var res struct {
			Verdict string `json:"verdict"`
			Counter struct {
				Point map[string]json.RawMessage `json:"point"`
				Left  string                     `json:"left"`
			} `json:"counterexample"`
		}
		if status == 2 || json.Unmarshal([]byte(out), &res) != nil {
			t.Fatalf("%d: %s: status %d, %s %s", trial, claim, status, out, stderr)
		}
		if res.Verdict != "refuted" {
			// Only a claim whose every point reads past a shape may go
			// unrefuted: w[2,j] for m ≥ 2.
			if !strings.Contains(claim, "w[2,j]") {
				t.Errorf("%s: %s, want refuted", claim, res.Verdict)
			}
			continue
		}
		refuted++
		p, err := parse(res.Counter.Point)
		if err != nil {
			t.Fatalf("%s: %v", claim, err)
		}
		for name, rows := range p.arrays {
			want, ok := declared[name]
			if !ok {
				t.Errorf("%s: %s is not declared", claim, name)
				continue
			}
			r, okR := dim(p, want[0])
			c, okC := dim(p, want[1])
			if !okR || !okC || len(rows) != r || anyRow(rows, func(row []float64) bool { return len(row) != c }) {
				t.Errorf("%s: %s = %v, want %s×%s at %s", claim, name, rows, want[0], want[1], res.Counter.Point)
			}
		}
		total := 0.0
		for _, tp := range used {
			v, ok := tp.value(p)
			if !ok {
				t.Errorf("%s: %s reads past a shape at the counterexample %s", claim, tp.text, res.Counter.Point)
			}
			total += v
		}
		left, err := strconv.ParseFloat(res.Counter.Left, 64)
		if err != nil || math.Abs(left-total) > 1e-9*(1+math.Abs(total)) {
			t.Errorf("%s: left %q at %s, computed %v", claim, res.Counter.Left, res.Counter.Point, total)
		}
	}
	if refuted < 30 {
		t.Errorf("only %d of 40 claims refuted", refuted)
	}
	// Reads past a declared shape at every point: never refuted.
	for _, claim := range []string{"sum(j=1..4, w[j]) == 5", "sum(j=1..2, w[2,j]) == 1", "sum(i=1..3, A[i,1]) == 2"} {
		out, _, status := runMain(t, "prove", "--defs", defs, claim)
		if status == 1 || !strings.Contains(out, "past the declared shape") {
			t.Errorf("%s: status %d, %s; want not refuted, with the read past the shape said", claim, status, out)
		}
	}
	// A number past a dimension declared as a number is an error where
	// it is written.
	for _, c := range []struct{ claim, err string }{
		{"w[5] == 1", "1:3: w is declared vector(3): index 5 is out of range 1..3\n"},
		{"w[0] + 1 == 1", "1:3: w is declared vector(3): index 0 is out of range 1..3\n"},
		{"A[3,1] == 2", "1:3: A is declared matrix(2, 3): index 3 is out of range 1..2 (its rows)\n"},
		{"2*A[1,4] == 2", "1:7: A is declared matrix(2, 3): index 4 is out of range 1..3 (its columns)\n"},
	} {
		_, stderr, status := runMain(t, "prove", "--defs", defs, c.claim)
		if status != 2 || !strings.Contains(stderr, c.err) || !strings.Contains(stderr, "^") {
			t.Errorf("%s: status %d, %q; want 2, %q and a caret", c.claim, status, stderr, c.err)
		}
	}
	for _, c := range []string{"w[3] == 1", "A[2,3] == 1", "X[9,9] == 1"} {
		if _, stderr, status := runMain(t, "prove", "--defs", defs, c); status != 1 {
			t.Errorf("%s: status %d, %s; want refuted", c, status, stderr)
		}
	}
}

func anyRow(rows [][]float64, f func([]float64) bool) bool {
	for _, r := range rows {
		if f(r) {
			return true
		}
	}
	return false
}
