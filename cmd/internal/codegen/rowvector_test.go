package codegen

import (
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/cmd/internal/session"
	"github.com/symdiff/symdiff/simplify/matrix"
)

// TestDeclaredRowVector: a declared R : matrix(1, d) was taken as a (d,)
// array and a (1, d) one refused ("R has shape (1, 2), want (d,)"). The
// code now takes it as a 1 × d array in every language (C: the same d
// doubles), gives the gradient with respect to it in that shape and each
// Hessian block in the shapes of its two variables put together. The
// oracles, at random points: central differences of the generated loss
// (and gradient) in the language itself, Python under -W error; the
// gradient and every Hessian entry as the session's eval gives d(L, R)
// and d(L, R[1,k], w[l]), which never see the generated code; and the
// shapes the functions return, against the declarations.
func TestDeclaredRowVector(t *testing.T) {
	const glm = "R : matrix(1, d)\nX : matrix(n, d)\ny : vector(n)\nL := sum((X*R' - y).^2)/n + sum(R.^4)\n"
	const data = "r : matrix(1, d)\na : vector(d)\nw : vector(d)\nL := log(1 + exp(r*w)) + a'*w + b*dot(w, w)^2\n"
	const mat = "W : matrix(n, d)\nR : matrix(1, d)\nL := sum(tanh(W*R').^2) + sum(exp(R))\n"
	cases := []struct {
		name, script string
		wrt          []string
		sizes        map[string]int
	}{
		{"wrt", glm, []string{"R"}, map[string]int{"n": 5, "d": 3}},
		{"wrt_1x1", glm, []string{"R"}, map[string]int{"n": 4, "d": 1}},
		{"data", data, []string{"w", "b"}, map[string]int{"d": 3}},
		{"mixed", data, []string{"w", "r", "b"}, map[string]int{"d": 2}},
		{"matrix", mat, []string{"W", "R"}, map[string]int{"n": 3, "d": 2}},
		{"matrix_first", mat, []string{"R", "W"}, map[string]int{"n": 2, "d": 3}},
		// The loss does not depend on R: its gradient is 0, still 1 × d.
		{"unused", "R : matrix(1, d)\nw : vector(d)\nL := dot(w, w)\n", []string{"w", "R"}, map[string]int{"d": 2, "len_R": 2}},
	}
	dir := t.TempDir()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			script := filepath.Join(dir, c.name+".sd")
			if err := os.WriteFile(script, []byte(c.script), 0o644); err != nil {
				t.Fatal(err)
			}
			tc := &tcase{defs: script, loss: "L", wrt: c.wrt, hessian: true, sizes: c.sizes}
			en, loss, wrt := tc.setup(t)
			ctx := context.Background()
			p, err := analyse(ctx, en, loss, wrt, true)
			if err != nil {
				t.Fatal(err)
			}
			rows := 0
			for _, in := range p.inputs {
				if in.row {
					rows++
				}
			}
			if rows != 1 {
				t.Fatalf("%d inputs taken as declared rows, want 1", rows)
			}
			for seed := uint64(1); seed <= 2; seed++ {
				vals, sizes := tc.data(p, seed)
				want := rowOracle(t, script, p, vals, sizes)
				for _, lang := range Langs {
					res, err := Generate(ctx, en, &Request{Loss: loss, Wrt: wrt, Hessian: true, Lang: lang, Package: "main", Version: "test"})
					if err != nil {
						t.Fatal(err)
					}
					for _, in := range res.Sig.Inputs {
						if in.User == "R" || in.User == "r" {
							if in.Rank != 2 || in.Dims[0] != "1" {
								t.Errorf("%s: the input %s is %v, want 1 × d", lang, in.User, in.Dims)
							}
							if !strings.Contains(res.Code, in.User+" (1 × "+in.Dims[1]+")") {
								t.Errorf("%s: the header does not say %s (1 × %s)", lang, in.User, in.Dims[1])
							}
						}
					}
					out := runDriverOpts(t, lang, res, p, vals, sizes, true)
					if len(out.Outs) != len(want) {
						t.Fatalf("%s: %d outputs, the oracle %d", lang, len(out.Outs), len(want))
					}
					for k := 1; k < len(want); k++ {
						if len(out.Outs[k]) != len(want[k]) {
							t.Fatalf("%s: output %s has %d entries, eval %d", lang, res.Sig.Outputs[k].Name, len(out.Outs[k]), len(want[k]))
						}
						for e := range want[k] {
							if err := relErr(out.Outs[k][e], want[k][e]); err > 1e-9 || math.IsNaN(err) {
								t.Errorf("%s (seed %d): %s[%d] = %.15g, eval gives %.15g", lang, seed, res.Sig.Outputs[k].Name, e, out.Outs[k][e], want[k][e])
							}
						}
					}
					for a := range p.wrt {
						for e, fd := range out.GFD[a] {
							if err := relErr(out.Outs[1+a][e], fd); err > 1e-6 || math.IsNaN(err) {
								t.Errorf("%s (seed %d): d loss/d %s[%d] = %.12g, central differences %.12g", lang, seed, p.wrt[a].name, e, out.Outs[1+a][e], fd)
							}
						}
					}
					for k, h := range out.HFD {
						for e := range h {
							if err := relErr(out.Outs[1+len(p.wrt)+k][e], h[e]); err > 1e-5 || math.IsNaN(err) {
								t.Errorf("%s (seed %d): Hessian block %d [%d] = %.12g, central differences %.12g", lang, seed, k, e, out.Outs[1+len(p.wrt)+k][e], h[e])
							}
						}
					}
					if t.Failed() {
						t.Fatalf("generated %s:\n%s", lang, res.Code)
					}
				}
			}
		})
	}
}

// rowOracle evaluates, with the session as symdiff eval does, the loss,
// d(L, v) for each variable, and each Hessian block entry by entry, at
// the values (a row bound as its 1 × d value), flattened row-major. A
// gradient's value must have its variable's declared shape.
func rowOracle(t *testing.T, script string, p *problem, vals map[string][]float64, sizes map[string]int) [][]float64 {
	t.Helper()
	ctx := context.Background()
	s := session.New()
	if err := s.LoadDefs(script); err != nil {
		t.Fatal(err)
	}
	b := ast.Bindings{}
	declDims := map[string][]int{}
	for _, in := range p.inputs {
		var shape []int
		for _, d := range in.declDims() {
			shape = append(shape, dimLen(sizes, d))
		}
		declDims[in.name] = shape
		if len(shape) == 0 {
			b[in.name] = ast.Scalar(vals[in.name][0])
			continue
		}
		b[in.name] = ast.Value{Shape: shape, Data: vals[in.name]}
	}
	for n, v := range sizes {
		b[n] = ast.Scalar(float64(v))
	}
	s.DeclareBindings(b)
	eval := func(src string) ast.Value {
		e, err := s.ParseExpr(ctx, src, "the oracle")
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		v, err := s.EvalValue(ctx, e, matrix.FitValues(b, e, s.Defs))
		if err != nil {
			t.Fatalf("eval %s: %v", src, err)
		}
		return v
	}
	out := [][]float64{eval("L").Data}
	for _, w := range p.wrt {
		v := eval(fmt.Sprintf("d(L, %s)", w.name))
		if shape := declDims[w.name]; !slices.Equal(v.Shape, shape) && (len(shape) > 0 || v.Shape != nil) {
			t.Fatalf("eval d(L, %s) has shape %v, the declaration %v", w.name, v.Shape, shape)
		}
		out = append(out, v.Data)
	}
	// entries lists a variable's entries, as written in d(L, ...).
	entries := func(name string) []string {
		shape := declDims[name]
		if len(shape) == 0 {
			return []string{name}
		}
		var out []string
		var rec func(idx []string, k int)
		rec = func(idx []string, k int) {
			if k == len(shape) {
				out = append(out, name+"["+strings.Join(idx, ",")+"]")
				return
			}
			for i := 1; i <= shape[k]; i++ {
				rec(append(slices.Clone(idx), fmt.Sprint(i)), k+1)
			}
		}
		rec(nil, 0)
		return out
	}
	for a := range p.wrt {
		for c := a; c < len(p.wrt); c++ {
			var block []float64
			for _, x := range entries(p.wrt[a].name) {
				for _, y := range entries(p.wrt[c].name) {
					block = append(block, eval(fmt.Sprintf("d(L, %s, %s)", x, y)).Data[0])
				}
			}
			out = append(out, block)
		}
	}
	return out
}

// TestDeclaredRowVectorShapeErrors: a row passed in another shape is
// refused with a message that says the shape it must have (NumPy, plain
// Python), and so is a row whose length disagrees with another array's.
func TestDeclaredRowVectorShapeErrors(t *testing.T) {
	py := pythonWithNumPy()
	needTool(t, py != "", "Python 3 with NumPy (Debian: apt-get install python3-numpy)")
	dir := t.TempDir()
	script := filepath.Join(dir, "rows.sd")
	src := "r : matrix(1, d)\na : vector(d)\nw : vector(d)\nL := log(1 + exp(r*w)) + a'*w\n"
	if err := os.WriteFile(script, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	tc := &tcase{defs: script, loss: "L", wrt: []string{"w", "r"}}
	en, loss, wrt := tc.setup(t)
	for _, c := range []struct {
		lang Lang
		call string // the arguments a, w, r
		want string
	}{
		{NumPy, "[1.0, 2.0], [0.5, 0.5], [0.1, 0.2]", "r has shape (2,), want (1, d)"},
		{NumPy, "[1.0, 2.0], [0.5, 0.5], [[0.1, 0.2], [0.3, 0.4]]", "r has shape (2, 2), want (1, d)"},
		{NumPy, "[1.0, 2.0], [0.5, 0.5], [[0.1, 0.2, 0.3]]", "r has shape (1, 3), want (1, d)"},
		{NumPy, "[1.0, 2.0], [0.5, 0.5], [[0.1], [0.2]]", "r has shape (2, 1), want (1, d)"},
		{Python, "[1.0, 2.0], [0.5, 0.5], [[0.1, 0.2], [0.3, 0.4]]", "len(r) = 2, want 1 (r is declared 1 × d)"},
		{Python, "[1.0, 2.0], [0.5, 0.5], [[0.1, 0.2, 0.3]]", "len(r[0]) = 3, want d = 2 (len(a))"},
	} {
		res, err := Generate(context.Background(), en, &Request{Loss: loss, Wrt: wrt, Lang: c.lang, Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		write(t, dir, "gen.py", res.Code)
		prog := fmt.Sprintf("from gen import loss_grad\ntry:\n    loss_grad(%s)\nexcept ValueError as e:\n    print(e)\nelse:\n    print('accepted')\n", c.call)
		cmd := exec.Command(py, "-W", "error", "-c", prog)
		cmd.Dir = dir
		b, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", c.lang, err, b)
		}
		if got := strings.TrimSpace(string(b)); got != c.want {
			t.Errorf("%s with (%s): %q, want %q\n%s", c.lang, c.call, got, c.want, res.Code)
		}
	}
}

// TestGradcheckDeclaredRow: gradcheck refused a declared row's 1 × d
// value, R=[[0.5,-1]] ("R has 1 indices in the loss, the value has 2
// dimensions"), which eval takes. It now takes it as the row it is: the
// symbolic entry it reports is eval's d(L, R) there, the same as at the
// flat value; a value of two rows is an error that says R is 1 × d.
func TestGradcheckDeclaredRow(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "rows.sd")
	src := "R : matrix(1, d)\nX : matrix(n, d)\ny : vector(n)\nL := sum((X*R' - y).^2)/n + sum(R.^4)\n"
	if err := os.WriteFile(script, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	tc := &tcase{defs: script, loss: "L", wrt: []string{"R"}, sizes: map[string]int{"n": 4, "d": 3}}
	en, loss, wrt := tc.setup(t)
	ctx := context.Background()
	p, err := analyse(ctx, en, loss, wrt, false)
	if err != nil {
		t.Fatal(err)
	}
	for seed := uint64(1); seed <= 3; seed++ {
		vals, sizes := tc.data(p, seed)
		want := rowOracle(t, script, p, vals, sizes)[1]
		given := ast.Bindings{
			"X": {Shape: []int{4, 3}, Data: vals["X"]},
			"y": {Shape: []int{4}, Data: vals["y"]},
		}
		var syms []float64
		for _, shape := range [][]int{{1, 3}, {3}} {
			given["R"] = ast.Value{Shape: shape, Data: vals["R"]}
			res, err := Check(ctx, en, &CheckRequest{Loss: loss, Wrt: wrt, Given: given})
			if err != nil {
				t.Fatalf("R of shape %v: %v", shape, err)
			}
			if !res.OK() || len(res.Rows) != 1 {
				t.Fatalf("R of shape %v: %+v", shape, res.Rows)
			}
			row := res.Rows[0]
			var k int
			if _, err := fmt.Sscanf(row.Entry, "R[%d]", &k); err != nil || k < 1 || k > 3 {
				t.Fatalf("entry %q", row.Entry)
			}
			if err := relErr(row.Symbolic, want[k-1]); err > 1e-12 {
				t.Errorf("R of shape %v: d L/d %s = %.15g, eval's d(L, R) %.15g", shape, row.Entry, row.Symbolic, want[k-1])
			}
			syms = append(syms, row.Symbolic)
		}
		if syms[0] != syms[1] {
			t.Errorf("the 1 × d value gives %v, the flat one %v", syms[0], syms[1])
		}
	}
	given := ast.Bindings{"R": {Shape: []int{2, 3}, Data: make([]float64, 6)}}
	_, err = Check(ctx, en, &CheckRequest{Loss: loss, Wrt: wrt, Given: given})
	if err == nil || !strings.Contains(err.Error(), "R is declared 1 × d, and the value has 2 rows") {
		t.Errorf("R of 2 rows: %v", err)
	}
}
