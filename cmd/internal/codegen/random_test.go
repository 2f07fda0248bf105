package codegen

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestRandomLosses cross-checks the planner and the emitters on random
// losses: sums of rows built from shared linear predictors, nested
// functions and products of sums, in every language, against ast.Eval of
// the loss as written and of the symbolic gradient. All cases of a
// language are compiled into one program (or loaded into one Python
// process), so the test stays quick.
func TestRandomLosses(t *testing.T) {
	const count = 24
	r := rand.New(rand.NewPCG(16, 2026))
	en := NewEngine()
	ctx := context.Background()
	var cases []*rcase
	for len(cases) < count {
		// Kept only where the loss and gradient are defined.
		c := newRandomCase(t, en, randomLoss(r), []string{"w[k]", "a"}, map[string]int{"n": 5, "d": 3}, len(cases),
			func(c *rcase) bool {
				_, err := en.evaluate(ctx, c.p.original, bindings(c.p, c.data, c.size))
				return err == nil
			})
		if c != nil {
			cases = append(cases, c)
		}
	}
	runRandomCases(t, en, cases)
}

// An rcase is a random loss of runRandomCases: by a vector over d, then a
// scalar.
type rcase struct {
	src  string
	p    *problem
	data map[string][]float64
	size map[string]int
	res  map[Lang]*Result
}

// newRandomCase parses the loss src, analyses it by wrt, draws its data
// at the sizes (seeded by the case's index) and generates it in every
// language as the function F<index>. keep, if set, may refuse the case
// before code is generated: nil is returned.
func newRandomCase(t *testing.T, en Engine, src string, wrt []string, sizes map[string]int, index int, keep func(*rcase) bool) *rcase {
	t.Helper()
	ctx := context.Background()
	loss, err := en.Parse(src)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	var ws []ast.Expr
	for _, w := range wrt {
		ws = append(ws, mustParse(t, en, w))
	}
	p, err := analyse(ctx, en, loss, ws, false)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	tc := &tcase{sizes: sizes}
	data, size := tc.data(p, uint64(index+1))
	c := &rcase{src: src, p: p, data: data, size: size, res: map[Lang]*Result{}}
	if keep != nil && !keep(c) {
		return nil
	}
	for _, lang := range Langs {
		res, err := Generate(ctx, en, &Request{Loss: loss, Wrt: ws, Lang: lang, Package: "main",
			Func: fmt.Sprintf("F%d", index), Version: "test"})
		if err != nil {
			t.Fatalf("%s in %s: %v", src, lang, err)
		}
		c.res[lang] = res
	}
	return c
}

// runRandomCases runs the generated code of every case in every language,
// all cases of a language in one program (or one Python process), and
// compares its loss and gradient with ast.Eval of the loss as written and
// of the symbolic gradient.
func runRandomCases(t *testing.T, en Engine, cases []*rcase) {
	ctx := context.Background()
	for _, lang := range Langs {
		t.Run(string(lang), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			var cmd *exec.Cmd
			var calls []string
			switch lang {
			case Go:
				write(t, dir, "go.mod", "module gentest\n\ngo 1.22\n")
				var main strings.Builder
				main.WriteString("package main\n\nimport (\n\t\"encoding/json\"\n\t\"os\"\n)\n\nfunc main() {\n\tvar out [][][]float64\n")
				for i, c := range cases {
					write(t, dir, fmt.Sprintf("f%d.go", i), c.res[Go].Code)
					d := &driver{sig: c.res[Go].Sig, data: c.data, dims: dimsOf(c.p, c.size), sizes: c.size}
					var args []string
					for _, in := range d.sig.Inputs {
						args = append(args, goLit(d.data[in.User], d.dims[in.User]))
					}
					for _, s := range d.sig.Sizes {
						args = append(args, fmt.Sprint(d.sizes[s]))
					}
					fmt.Fprintf(&main, "\t{\n\t\tl, gw, ga := %s(%s)\n\t\tout = append(out, [][]float64{{l}, {ga}, gw})\n\t}\n", d.sig.Func, strings.Join(args, ", "))
				}
				main.WriteString("\t_ = json.NewEncoder(os.Stdout).Encode(out)\n}\n")
				write(t, dir, "main.go", main.String())
				cmd = exec.Command(goTool(), "run", ".")
			case C:
				cc, ok := haveCC()
				needTool(t, ok, "a C compiler (cc)")
				var main strings.Builder
				main.WriteString("#include <stdio.h>\n\n")
				files := []string{"main.c"}
				for i, c := range cases {
					name := fmt.Sprintf("f%d.c", i)
					files = append(files, name)
					write(t, dir, name, c.res[C].Code)
					sig := c.res[C].Sig
					var params, args []string
					for _, in := range sig.Inputs {
						if in.Rank == 0 {
							params = append(params, "double")
							args = append(args, fmt.Sprintf("%.17g", c.data[in.User][0]))
						} else {
							params = append(params, "const double *")
							args = append(args, fmt.Sprintf("(const double[]){%s}", floats(c.data[in.User])))
						}
					}
					for _, s := range sig.Sizes {
						params = append(params, "long")
						args = append(args, fmt.Sprint(c.size[s]))
					}
					params = append(params, "double *", "double *")
					args = append(args, "gw", "&ga")
					fmt.Fprintf(&main, "double %s(%s);\n", sig.Func, strings.Join(params, ", "))
					calls = append(calls, fmt.Sprintf("    { double ga, gw[%d]; double l = %s(%s);\n      printf(\"%%s[[%%.17g], [%%.17g], [\", %d ? \", \" : \"\", l, ga);\n      for (int e = 0; e < %d; e++) printf(\"%%s%%.17g\", e ? \", \" : \"\", gw[e]);\n      printf(\"]]\"); }\n",
						c.size["d"], sig.Func, strings.Join(args, ", "), i, c.size["d"]))
				}
				main.WriteString("\nint main(void) {\n    printf(\"[\");\n")
				main.WriteString(strings.Join(calls, ""))
				main.WriteString("    printf(\"]\\n\");\n    return 0;\n}\n")
				write(t, dir, "main.c", main.String())
				build := exec.Command(cc, append([]string{"-std=c99", "-O2", "-Wall", "-Wextra", "-Werror", "-o", "main"}, append(files, "-lm")...)...)
				build.Dir = dir
				if out, err := build.CombinedOutput(); err != nil {
					t.Fatalf("cc: %v\n%s", err, out)
				}
				cmd = exec.Command(filepath.Join(dir, "main"))
			case Python, NumPy:
				py := pythonWithNumPy()
				needTool(t, py != "", "Python 3 with NumPy (Debian: apt-get install python3-numpy)")
				var main strings.Builder
				main.WriteString("import json\n\nimport numpy as np\n\nout = []\n")
				for i, c := range cases {
					write(t, dir, fmt.Sprintf("f%d.py", i), c.res[lang].Code)
					sig := c.res[lang].Sig
					var args []string
					for _, in := range sig.Inputs {
						if in.Rank == 0 {
							args = append(args, fmt.Sprintf("%.17g", c.data[in.User][0]))
							continue
						}
						arr := fmt.Sprintf("np.array([%s]).reshape(%s)", floats(c.data[in.User]), pyTuple(dimsOf(c.p, c.size)[in.User]))
						if lang == Python {
							arr += ".tolist()"
						}
						args = append(args, arr)
					}
					for _, s := range sig.Sizes {
						args = append(args, fmt.Sprint(c.size[s]))
					}
					fmt.Fprintf(&main, "from f%d import %s\nl, gw, ga = %s(%s)\nout.append([[float(l)], [float(ga)], [float(v) for v in np.ravel(gw)]])\n", i, sig.Func, sig.Func, strings.Join(args, ", "))
				}
				main.WriteString("print(json.dumps(out))\n")
				write(t, dir, "main.py", main.String())
				cmd = exec.Command(py, "main.py")
			}
			cmd.Dir = dir
			raw, err := cmd.Output()
			if err != nil {
				var stderr []byte
				if ee, ok := err.(*exec.ExitError); ok {
					stderr = ee.Stderr
				}
				t.Fatalf("running the %s cases: %v\n%s", lang, err, stderr)
			}
			var outs [][][]float64
			if err := json.Unmarshal(raw, &outs); err != nil {
				t.Fatalf("output: %v\n%s", err, raw)
			}
			for i, c := range cases {
				b := bindings(c.p, c.data, c.size)
				check := func(what string, got float64, e ast.Expr, extra ast.Bindings) {
					bb := ast.Bindings{}
					for k, v := range b {
						bb[k] = v
					}
					for k, v := range extra {
						bb[k] = v
					}
					want, err := en.evaluate(ctx, e, bb)
					if err != nil {
						t.Errorf("case %d %s: %s: %v", i, c.src, what, err)
						return
					}
					if relErr(got, want) > 1e-11 || math.IsNaN(got) {
						t.Errorf("case %d %s (%s):\n%s: generated %.17g, ast.Eval %.17g\n%s", i, c.src, lang, what, got, want, c.res[lang].Code)
					}
				}
				check("loss", outs[i][0][0], c.p.original, nil)
				w, a := c.p.wrt[0], c.p.wrt[1]
				check("d/d"+a.name, outs[i][1][0], c.p.symbolic[1], nil)
				for k, g := range outs[i][2] {
					check(fmt.Sprintf("d/d%s[%d]", w.name, k+1), g, c.p.symbolic[0], ast.Bindings{w.idx[0]: ast.Scalar(float64(k + 1))})
				}
			}
		})
	}
}

func mustParse(t *testing.T, en Engine, s string) ast.Expr {
	t.Helper()
	e, err := en.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func dimsOf(p *problem, sizes map[string]int) map[string][]int {
	dims := map[string][]int{}
	for _, in := range p.inputs {
		for _, s := range in.dims {
			dims[in.name] = append(dims[in.name], sizes[s.name])
		}
	}
	return dims
}

// goLit writes a Go literal of the value.
func goLit(v []float64, dims []int) string {
	switch len(dims) {
	case 0:
		return fmt.Sprintf("%.17g", v[0])
	case 1:
		return "[]float64{" + floats(v) + "}"
	}
	rows := make([]string, dims[0])
	n := len(v) / dims[0]
	for i := range rows {
		rows[i] = "{" + floats(v[i*n:(i+1)*n]) + "}"
	}
	return "[][]float64{" + strings.Join(rows, ", ") + "}"
}

func pyTuple(d []int) string {
	s := make([]string, len(d))
	for i, x := range d {
		s[i] = fmt.Sprint(x)
	}
	return "(" + strings.Join(s, ", ") + ",)"
}

// randomLoss writes a random loss over x (n × d), y (n), w (d), a and b.
func randomLoss(r *rand.Rand) string {
	preds := []string{
		"sum(j=1..d, x[i,j]*w[j])",
		"sum(j=1..d, x[i,j]*w[j]^2)",
		"sum(j=1..d, tanh(x[i,j]*w[j] + a))",
		"sum(j=1..d, x[i,j]*w[j])*a",
	}
	var row func(depth int) string
	row = func(depth int) string {
		if depth == 0 || r.IntN(4) == 0 {
			switch r.IntN(6) {
			case 0, 1:
				return preds[r.IntN(len(preds))]
			case 2:
				return "y[i]"
			case 3:
				return "a"
			case 4:
				return "x[i,1]"
			}
			return []string{"2", "0.5", "3"}[r.IntN(3)]
		}
		u := row(depth - 1)
		switch r.IntN(13) {
		case 0:
			return "tanh(" + u + ")"
		case 1:
			return "sigma(" + u + ")"
		case 2:
			return "softplus(" + u + ")"
		case 3:
			return "exp(tanh(" + u + "))"
		case 4:
			return "log(1 + (" + u + ")^2)"
		case 5:
			return "sqrt(1 + (" + u + ")^2)"
		case 6:
			return "(" + u + ")^2"
		case 7:
			return "1/(1 + (" + u + ")^2)"
		case 8:
			return "sin(" + u + ")"
		case 9:
			return "(" + u + ") + (" + row(depth-1) + ")"
		case 10:
			return "(" + u + ") - (" + row(depth-1) + ")"
		case 11:
			return "y[i]*log(sigma(" + u + ")) + (1 - y[i])*log(1 - sigma(" + u + "))"
		}
		return "(" + u + ")*(" + row(depth-1) + ")"
	}
	switch r.IntN(4) {
	case 0:
		return "sum(i=1..n, " + row(3) + ") + a^2"
	case 1:
		return "mean(i=1..n, " + row(3) + ")*mean(i=1..n, " + row(2) + ")"
	case 2:
		return "mean(i=1..n, " + row(3) + ") + b*sum(j=1..d, w[j]^2)"
	}
	return "-mean(i=1..n, " + row(4) + ")"
}
