package codegen

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// These tests compile and run the generated code. Each generated gradient
// (and Hessian) is compared with central finite differences of the
// generated loss (gradient) on random data, and the generated loss and
// gradient with the independent float64 evaluator ast.Eval applied to the
// loss as written and to the symbolic gradient. Nothing is hard-coded.

// A tcase is a loss to generate code for.
type tcase struct {
	name    string
	defs    string // a script in testdata, or ""
	loss    string
	wrt     []string
	hessian bool
	sizes   map[string]int
}

var cases = []tcase{
	{name: "seed_CE", defs: "../../../examples/logistic.sd", loss: "CE", wrt: []string{"w[k]"}, hessian: true,
		sizes: map[string]int{"n": 7, "d": 3}},
	{name: "seed_MSE", defs: "../../../examples/logistic.sd", loss: "MSE", wrt: []string{"w[k]"}, hessian: true,
		sizes: map[string]int{"n": 6, "d": 4}},
	{name: "softmax_CE", defs: "testdata/softmax.sd", loss: "L", wrt: []string{"W[a,e]"},
		sizes: map[string]int{"n": 5, "d": 3, "K": 4}},
	{name: "poisson", defs: "testdata/poisson.sd", loss: "L", wrt: []string{"w[k]", "b"}, hessian: true,
		sizes: map[string]int{"n": 8, "d": 3}},
	{name: "mlp_tanh", defs: "testdata/mlp.sd", loss: "L", wrt: []string{"V[r,s]", "c[r]", "u[r]", "b"}, hessian: true,
		sizes: map[string]int{"n": 6, "d": 3, "H": 4}},
	// Beyond the list: a Hessian with a Kronecker delta (ridge), no
	// sums at all, a range not starting at 1 and a numeric index, a sum
	// of a constant, Phi and phi, powers.
	{name: "ridge", loss: "mean(i=1..n, (y[i] - sum(j=1..d, x[i,j]*w[j]))^2) + lam*sum(j=1..d, w[j]^2)",
		wrt: []string{"w[k]"}, hessian: true, sizes: map[string]int{"n": 5, "d": 3}},
	{name: "scalars", loss: "(a - 3)^2 + exp(a*b) + log(1 + exp(b)) + sqrt(1 + a^2)/b^2", wrt: []string{"a", "b"}, hessian: true},
	{name: "offsets", loss: "sum(i=2..n, x[i,2]*w^3 + sin(x[i,1]*w)) + sum(i=1..n, 2) * cos(w)", wrt: []string{"w"}, hessian: true,
		sizes: map[string]int{"n": 4, "len_x_2": 2}},
	{name: "probit", loss: "-mean(i=1..n, y[i]*log(Phi(z[i])) + (1 - y[i])*log(1 - Phi(z[i])))",
		defs: "testdata/probit.sd", wrt: []string{"w[k]"}, sizes: map[string]int{"n": 6, "d": 2}},
	// The log-cosh loss, and sinh and cosh of a parameter.
	{name: "logcosh", loss: "mean(i=1..n, log(cosh(f[i] - y[i]))) + sinh(a)*cosh(a/2)*f[1]",
		wrt: []string{"f[k]", "a"}, hessian: true, sizes: map[string]int{"n": 5}},
	// Functions with kinks (random data lies off the kinks): the hinge
	// loss with an L1 penalty, and the scalar ones with pi.
	{name: "hinge_l1", loss: "mean(i=1..n, max(0, 1 - y[i]*sum(j=1..d, x[i,j]*w[j]))) + lam*sum(j=1..d, abs(w[j]))",
		wrt: []string{"w[k]"}, sizes: map[string]int{"n": 6, "d": 3}},
	// if(cond, a, b) with a Hessian: the pieces' second derivatives,
	// each in its branch (the hand-written oracle of the boundaries is in
	// piecewise_test.go).
	{name: "piecewise_hess", loss: "sum(i=1..n, if(x[i]*w[1] + w[2] > 0, log(1 + x[i]*w[1] + w[2])^2, (x[i]*w[1] + w[2])^3))",
		wrt: []string{"w[k]"}, hessian: true, sizes: map[string]int{"n": 7, "len_w": 2}},
	// Exponents that are not numbers: plain Python wrote them with the
	// input syntax (x ** (y^2), x ** (sigma(y)), x ** (sqrt(2))), which is
	// XOR, an undefined name and an undefined name there.
	{name: "symbolic_exponents", loss: "(a^2 + 1)^(b^2) + (a^2 + 1)^sigma(b) + (b^2 + 2)^sqrt(2) + a*2^pi + sum(j=1..d, (a^2 + 1)^w[j])",
		wrt: []string{"a", "b", "w[k]"}, hessian: true, sizes: map[string]int{"d": 3}},
	{name: "kinks", loss: "clip(a, -1, 1)^2 + min(a, b)*relu(b - pi) + sign(a)*step(b)*a + max(a, b, 0.5)*abs(a - b)",
		wrt: []string{"a", "b"}, hessian: true},
}

// setup parses a case.
func (tc *tcase) setup(t testing.TB) (Engine, ast.Expr, []ast.Expr) {
	t.Helper()
	var scripts []string
	if tc.defs != "" {
		scripts = append(scripts, tc.defs)
	}
	en, err := LoadEngine(nil, scripts)
	if err != nil {
		t.Fatal(err)
	}
	loss, err := en.Parse(tc.loss)
	if err != nil {
		t.Fatal(err)
	}
	var wrt []ast.Expr
	for _, w := range tc.wrt {
		e, err := en.Parse(w)
		if err != nil {
			t.Fatal(err)
		}
		wrt = append(wrt, e)
	}
	return en, loss, wrt
}

// data draws random inputs of the case's sizes.
func (tc *tcase) data(p *problem, seed uint64) (map[string][]float64, map[string]int) {
	r := rand.New(rand.NewPCG(seed, 7))
	sizes := map[string]int{}
	for _, s := range p.sizes {
		n, ok := tc.sizes[s.name]
		if !ok {
			n = 3
		}
		sizes[s.name] = n
	}
	data := map[string][]float64{}
	for _, in := range p.inputs {
		n := 1
		for _, s := range in.dims {
			n *= sizes[s.name]
		}
		v := make([]float64, n)
		for i := range v {
			v[i] = r.NormFloat64() * 0.7
			if in.name == "y" || in.name == "t" {
				v[i] = r.Float64() // labels and counts: nonnegative
			}
		}
		data[in.name] = v
	}
	return data, sizes
}

// bindings turns data into the evaluator's bindings.
func bindings(p *problem, data map[string][]float64, sizes map[string]int) ast.Bindings {
	b := ast.Bindings{}
	for _, in := range p.inputs {
		if in.rank == 0 {
			b[in.name] = ast.Scalar(data[in.name][0])
			continue
		}
		shape := make([]int, in.rank)
		for d, s := range in.dims {
			shape[d] = sizes[s.name]
		}
		b[in.name] = ast.Value{Shape: shape, Data: data[in.name]}
	}
	for n, v := range sizes {
		b[n] = ast.Scalar(float64(v))
	}
	return b
}

// driverOut is what every driver prints.
type driverOut struct {
	Outs [][]float64 `json:"outs"` // the loss, the gradients, the Hessian blocks, flattened
	GFD  [][]float64 `json:"gfd"`  // finite differences of the loss, per variable
	HFD  [][]float64 `json:"hfd"`  // finite differences of the gradients, per Hessian block
	// Shapes are the outputs' shapes as returned (not from C, whose
	// outputs are flat arrays).
	Shapes [][]int `json:"shapes"`
}

// relErr is |a - b| / max(1, |a|, |b|).
func relErr(a, b float64) float64 {
	return math.Abs(a-b) / math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// tools says whether an external tool is there; missing tools skip the
// test, or fail it with SYMDIFF_REQUIRE_TOOLS=1.
func needTool(t *testing.T, ok bool, what string) {
	t.Helper()
	if ok {
		return
	}
	if os.Getenv("SYMDIFF_REQUIRE_TOOLS") == "1" {
		t.Fatalf("%s is missing, and SYMDIFF_REQUIRE_TOOLS=1 requires it", what)
	}
	t.Skipf("SKIPPED: %s is missing (install it, or set SYMDIFF_REQUIRE_TOOLS=1 to make this a failure)", what)
}

// pythonWithNumPy finds a Python 3 that imports NumPy (Debian's
// /usr/bin/python3 with python3-numpy first).
func pythonWithNumPy() string {
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		path, err := exec.LookPath(py)
		if err != nil {
			continue
		}
		if exec.Command(path, "-c", "import numpy").Run() == nil {
			return path
		}
	}
	return ""
}

func haveCC() (string, bool) {
	for _, cc := range []string{"cc", "gcc", "clang"} {
		if p, err := exec.LookPath(cc); err == nil {
			return p, true
		}
	}
	return "", false
}

func TestGeneratedCode(t *testing.T) {
	for _, tc := range cases {
		for _, lang := range Langs {
			t.Run(tc.name+"/"+string(lang), func(t *testing.T) {
				t.Parallel()
				runCase(t, &tc, lang)
			})
		}
	}
}

func runCase(t *testing.T, tc *tcase, lang Lang) {
	en, loss, wrt := tc.setup(t)
	ctx := context.Background()
	req := &Request{Loss: loss, Wrt: wrt, Hessian: tc.hessian, Lang: lang, Package: "main", Version: "test"}
	res, err := Generate(ctx, en, req)
	if err != nil {
		t.Fatal(err)
	}
	p, err := analyse(ctx, en, loss, wrt, tc.hessian)
	if err != nil {
		t.Fatal(err)
	}
	data, sizes := tc.data(p, 1)
	out := runDriver(t, lang, res, p, data, sizes)

	// Against finite differences of the generated code itself.
	for a := range p.wrt {
		g, fd := out.Outs[1+a], out.GFD[a]
		if len(g) != len(fd) {
			t.Fatalf("gradient %s has %d components, finite differences %d", p.wrt[a].name, len(g), len(fd))
		}
		for e := range g {
			if err := relErr(g[e], fd[e]); err > 1e-6 || math.IsNaN(err) {
				t.Errorf("d loss/d %s[%d]: generated %.12g, finite differences %.12g (error %.2g)", p.wrt[a].name, e, g[e], fd[e], err)
			}
		}
	}
	for k, h := range out.HFD {
		got := out.Outs[1+len(p.wrt)+k]
		for e := range h {
			if err := relErr(got[e], h[e]); err > 1e-5 || math.IsNaN(err) {
				t.Errorf("Hessian block %d [%d]: generated %.12g, finite differences %.12g (error %.2g)", k, e, got[e], h[e], err)
			}
		}
	}
	// Against the independent evaluator: the loss as written, the gradient
	// as derived.
	b := bindings(p, data, sizes)
	want, err := en.evaluate(ctx, p.original, b)
	if err != nil {
		t.Fatal(err)
	}
	if err := relErr(out.Outs[0][0], want); err > 1e-12 {
		t.Errorf("loss: generated %.17g, ast.Eval %.17g", out.Outs[0][0], want)
	}
	for a, w := range p.wrt {
		for e, got := range out.Outs[1+a] {
			bb := ast.Bindings{}
			for k, v := range b {
				bb[k] = v
			}
			// e is the row-major position: the index values, 1-based.
			rest := e
			for d := len(w.idx) - 1; d >= 0; d-- {
				n := sizes[w.in.dims[d].name]
				bb[w.idx[d]] = ast.Scalar(float64(rest%n + 1))
				rest /= n
			}
			want, err := en.evaluate(ctx, p.symbolic[a], bb)
			if err != nil {
				t.Fatal(err)
			}
			if err := relErr(got, want); err > 1e-12 {
				t.Errorf("d loss/d %s[%d]: generated %.17g, ast.Eval of the symbolic gradient %.17g", w.name, e, got, want)
			}
		}
	}
	if t.Failed() {
		t.Logf("generated code:\n%s", res.Code)
	}
}

// runDriver writes the generated code and a driver that calls it on the
// data, computes finite differences, and prints JSON; it runs it and
// reads the output.
func runDriver(t *testing.T, lang Lang, res *Result, p *problem, data map[string][]float64, sizes map[string]int) *driverOut {
	t.Helper()
	return runDriverOpts(t, lang, res, p, data, sizes, false)
}

// dimLen is the length of a dimension of a Param: its size, or 1 (a
// declared row's first).
func dimLen(sizes map[string]int, s string) int {
	if s == "1" {
		return 1
	}
	return sizes[s]
}

// runDriverOpts is runDriver; pyWarnings runs Python with -W error, so
// that a warning (a RuntimeWarning of NumPy, a DeprecationWarning) fails.
// Each output's shape, as the driver sees it (C has none), must be the
// one its Param declares.
func runDriverOpts(t *testing.T, lang Lang, res *Result, p *problem, data map[string][]float64, sizes map[string]int, pyWarnings bool) *driverOut {
	t.Helper()
	dir := t.TempDir()
	var cmd *exec.Cmd
	var blocks [][2]int
	for a := range p.hess {
		for b := a; b < len(p.wrt); b++ {
			blocks = append(blocks, [2]int{a, b})
		}
	}
	dims := map[string][]int{} // as the function takes them: a row is 1 × d
	for _, in := range res.Sig.Inputs {
		for _, s := range in.Dims {
			dims[in.User] = append(dims[in.User], dimLen(sizes, s))
		}
	}
	var wrtNames []string
	for _, w := range p.wrt {
		wrtNames = append(wrtNames, w.name)
	}
	d := &driver{sig: res.Sig, data: data, dims: dims, sizes: sizes, wrt: wrtNames, blocks: blocks}
	switch lang {
	case Go:
		write(t, dir, "data.txt", d.dataText())
		cmd = exec.Command(goDriver(t, res.Code, d.goMain()))
	case C:
		cc, ok := haveCC()
		needTool(t, ok, "a C compiler (cc)")
		write(t, dir, "loss.c", res.Code)
		write(t, dir, "main.c", d.cMain())
		build := exec.Command(cc, "-std=c99", "-O2", "-Wall", "-Wextra", "-Werror", "-pedantic", "-o", "main", "main.c", "-lm")
		build.Dir = dir
		if b, err := build.CombinedOutput(); err != nil {
			t.Fatalf("cc: %v\n%s\n%s", err, b, res.Code)
		}
		cmd = exec.Command(filepath.Join(dir, "main"))
	case Python, NumPy:
		py := pythonWithNumPy()
		needTool(t, py != "", "Python 3 with NumPy (Debian: apt-get install python3-numpy)")
		write(t, dir, "gen.py", res.Code)
		write(t, dir, "driver.py", d.pyMain(lang == NumPy))
		if pyWarnings {
			cmd = exec.Command(py, "-W", "error", "driver.py")
		} else {
			cmd = exec.Command(py, "driver.py")
		}
	}
	cmd.Dir = dir
	b, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("running the %s driver: %v\n%s\n--- code:\n%s", lang, err, stderr, res.Code)
	}
	var out driverOut
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("driver output: %v\n%s", err, b)
	}
	if lang != C {
		for i, o := range res.Sig.Outputs {
			want := []int{}
			for _, s := range o.Dims {
				want = append(want, dimLen(sizes, s))
			}
			if i >= len(out.Shapes) || fmt.Sprint(out.Shapes[i]) != fmt.Sprint(want) {
				t.Errorf("%s: output %s has shape %v, want %v (%s)", lang, o.Name, out.Shapes, want, strings.Join(o.Dims, " × "))
			}
		}
	}
	return &out
}

// goTool is the go command: the one on PATH, as go test itself was run.
func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return "go"
}

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A driver writes the test programs.
type driver struct {
	sig    Signature
	data   map[string][]float64
	dims   map[string][]int
	sizes  map[string]int
	wrt    []string
	blocks [][2]int
}

// dataText writes the driver's values a line per input: its name, then
// its values in the shortest form that reads back exactly.
func (d *driver) dataText() string {
	var b strings.Builder
	for _, in := range d.sig.Inputs {
		b.WriteString(in.User)
		for _, x := range d.data[in.User] {
			b.WriteString(" " + strconv.FormatFloat(x, 'g', -1, 64))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// goBuilds are the Go drivers built in this test process, by their
// sources: a loss is run at many points, and `go run` built and linked
// it anew for each (a third of the package's time).
var goBuilds = struct {
	sync.Mutex
	dir string
	bin map[[32]byte]*goBuild
}{bin: map[[32]byte]*goBuild{}}

type goBuild struct {
	once sync.Once
	path string
	out  []byte
	err  error
}

// goDriver returns the path of the Go driver built from the generated
// code and the driver's main, building it once per process.
func goDriver(t *testing.T, code, main string) string {
	t.Helper()
	key := sha256.Sum256([]byte(code + "\x00" + main))
	goBuilds.Lock()
	if goBuilds.dir == "" {
		dir, err := os.MkdirTemp("", "codegen-go-drivers-")
		if err != nil {
			goBuilds.Unlock()
			t.Fatal(err)
		}
		goBuilds.dir = dir
	}
	b := goBuilds.bin[key]
	if b == nil {
		b = &goBuild{}
		goBuilds.bin[key] = b
	}
	root := goBuilds.dir
	goBuilds.Unlock()
	b.once.Do(func() {
		dir := filepath.Join(root, fmt.Sprintf("%x", key[:8]))
		if b.err = os.MkdirAll(dir, 0o755); b.err != nil {
			return
		}
		for name, text := range map[string]string{"go.mod": "module gentest\n\ngo 1.22\n", "loss.go": code, "main.go": main} {
			if b.err = os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); b.err != nil {
				return
			}
		}
		build := exec.Command(goTool(), "build", "-o", "driver", ".")
		build.Dir = dir
		b.out, b.err = build.CombinedOutput()
		b.path = filepath.Join(dir, "driver")
	})
	if b.err != nil {
		t.Fatalf("go build of the driver: %v\n%s\n--- code:\n%s", b.err, b.out, code)
	}
	return b.path
}

func floats(v []float64) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = fmt.Sprintf("%.17g", x)
	}
	return strings.Join(s, ", ")
}

func ints(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ", ")
}

func (d *driver) goMain() string {
	var b strings.Builder
	b.WriteString("package main\n\nimport (\n\t\"encoding/json\"\n\t\"math\"\n\t\"os\"\n\t\"strconv\"\n\t\"strings\"\n)\n\n")
	// The values are read from data.txt (driver.dataText), so that one
	// build serves every point of a loss (goDriver).
	b.WriteString(`var data = readData()

func readData() map[string][]float64 {
	b, err := os.ReadFile("data.txt")
	if err != nil {
		panic(err)
	}
	m := map[string][]float64{}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		vs := []float64{}
		for _, s := range f[1:] {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				panic(err)
			}
			vs = append(vs, v)
		}
		m[f[0]] = vs
	}
	return m
}

`)
	b.WriteString("var dims = map[string][]int{\n")
	for _, in := range d.sig.Inputs {
		fmt.Fprintf(&b, "\t%q: {%s},\n", in.User, ints(d.dims[in.User]))
	}
	b.WriteString("}\n\n")
	b.WriteString(`func build(name string) any {
	v, ds := data[name], dims[name]
	var rec func(off, k int) any
	rec = func(off, k int) any {
		if k == len(ds) {
			return v[off]
		}
		stride := 1
		for _, x := range ds[k+1:] {
			stride *= x
		}
		switch len(ds) - k {
		case 1:
			return append([]float64(nil), v[off:off+ds[k]]...)
		case 2:
			out := make([][]float64, ds[k])
			for i := range out {
				out[i] = rec(off+i*stride, k+1).([]float64)
			}
			return out
		case 3:
			out := make([][][]float64, ds[k])
			for i := range out {
				out[i] = rec(off+i*stride, k+1).([][]float64)
			}
			return out
		default:
			out := make([][][][]float64, ds[k])
			for i := range out {
				out[i] = rec(off+i*stride, k+1).([][][]float64)
			}
			return out
		}
	}
	return rec(0, 0)
}

func shape(v any) []int {
	switch v := v.(type) {
	case float64:
		return []int{}
	case []float64:
		return []int{len(v)}
	case [][]float64:
		if len(v) == 0 {
			return []int{0}
		}
		return append([]int{len(v)}, shape(v[0])...)
	case [][][]float64:
		if len(v) == 0 {
			return []int{0}
		}
		return append([]int{len(v)}, shape(v[0])...)
	case [][][][]float64:
		if len(v) == 0 {
			return []int{0}
		}
		return append([]int{len(v)}, shape(v[0])...)
	}
	panic("shape")
}

func flatten(v any) []float64 {
	switch v := v.(type) {
	case float64:
		return []float64{v}
	case []float64:
		return v
	case [][]float64:
		var out []float64
		for _, r := range v {
			out = append(out, r...)
		}
		return out
	case [][][]float64:
		var out []float64
		for _, r := range v {
			out = append(out, flatten(r)...)
		}
		return out
	case [][][][]float64:
		var out []float64
		for _, r := range v {
			out = append(out, flatten(r)...)
		}
		return out
	}
	panic("flatten")
}

`)
	var args []string
	for _, in := range d.sig.Inputs {
		args = append(args, fmt.Sprintf("build(%q).(%sfloat64)", in.User, strings.Repeat("[]", in.Rank)))
	}
	for _, s := range d.sig.Sizes {
		args = append(args, fmt.Sprint(d.sizes[s]))
	}
	var outs []string
	for i := range d.sig.Outputs {
		outs = append(outs, fmt.Sprintf("o%d", i))
	}
	fmt.Fprintf(&b, "var shapes [][]int\n\nfunc call() [][]float64 {\n\t%s := %s(%s)\n\tshapes = [][]int{", strings.Join(outs, ", "), d.sig.Func, strings.Join(args, ", "))
	for _, o := range outs {
		fmt.Fprintf(&b, "shape(%s), ", o)
	}
	b.WriteString("}\n\treturn [][]float64{")
	for _, o := range outs {
		fmt.Fprintf(&b, "flatten(%s), ", o)
	}
	b.WriteString("}\n}\n\n")
	fmt.Fprintf(&b, "var wrt = []string{%s}\n", quoteAll(d.wrt))
	fmt.Fprintf(&b, "var blocks = [][2]int{%s}\n\n", blocksLit(d.blocks, "{", "}"))
	b.WriteString(`func main() {
	res := map[string]any{}
	outs, gfd := call(), [][]float64{}
	res["outs"], res["shapes"] = outs, shapes
	hfd := make([][]float64, len(blocks))
	for a, name := range wrt {
		v := data[name]
		fd := make([]float64, len(v))
		cols := make([][]float64, len(v))
		for e := range v {
			x := v[e]
			h := 1e-5 * math.Max(1, math.Abs(x))
			v[e] = x + h
			p := call()
			v[e] = x - h
			m := call()
			v[e] = x
			fd[e] = (p[0][0] - m[0][0]) / (2 * h)
			col := []float64{}
			for ga := range wrt {
				for k := range p[1+ga] {
					col = append(col, (p[1+ga][k]-m[1+ga][k])/(2*h))
				}
			}
			cols[e] = col
		}
		gfd = append(gfd, fd)
		for bi, bl := range blocks {
			if bl[1] != a {
				continue
			}
			off := 0
			for ga := 0; ga < bl[0]; ga++ {
				off += len(data[wrt[ga]])
			}
			na := len(data[wrt[bl[0]]])
			out := make([]float64, na*len(v))
			for k := 0; k < na; k++ {
				for l := range v {
					out[k*len(v)+l] = cols[l][off+k]
				}
			}
			hfd[bi] = out
		}
	}
	res["gfd"], res["hfd"] = gfd, hfd
	_ = json.NewEncoder(os.Stdout).Encode(res)
}
`)
	return b.String()
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

func blocksLit(bl [][2]int, open, close string) string {
	s := make([]string, len(bl))
	for i, b := range bl {
		s[i] = fmt.Sprintf("%s%d, %d%s", open, b[0], b[1], close)
	}
	return strings.Join(s, ", ")
}

func (d *driver) pyMain(numpy bool) string {
	var b strings.Builder
	b.WriteString("import json\nimport math\n\n")
	if numpy {
		b.WriteString("import numpy as np\n\n")
	}
	fmt.Fprintf(&b, "from gen import %s\n\n", d.sig.Func)
	b.WriteString("data = {\n")
	for _, in := range d.sig.Inputs {
		fmt.Fprintf(&b, "    %q: [%s],\n", in.User, floats(d.data[in.User]))
	}
	b.WriteString("}\ndims = {\n")
	for _, in := range d.sig.Inputs {
		fmt.Fprintf(&b, "    %q: [%s],\n", in.User, ints(d.dims[in.User]))
	}
	b.WriteString("}\n\n")
	if numpy {
		b.WriteString(`def build(name):
    v, ds = data[name], dims[name]
    if not ds:
        return v[0]
    return np.array(v).reshape(ds)


def flatten(v):
    return [float(x) for x in np.ravel(np.asarray(v))]


def shape(v):
    return list(np.shape(v))
`)
	} else {
		b.WriteString(`def build(name):
    v, ds = data[name], dims[name]

    def rec(off, k):
        if k == len(ds):
            return v[off]
        stride = 1
        for x in ds[k + 1:]:
            stride *= x
        return [rec(off + i * stride, k + 1) for i in range(ds[k])]
    return rec(0, 0)


def flatten(v):
    if isinstance(v, (list, tuple)):
        return [x for r in v for x in flatten(r)]
    return [float(v)]


def shape(v):
    if isinstance(v, (list, tuple)):
        return [len(v)] + (shape(v[0]) if v else [])
    return []
`)
	}
	var args []string
	for _, in := range d.sig.Inputs {
		args = append(args, fmt.Sprintf("build(%q)", in.User))
	}
	for _, s := range d.sig.Sizes {
		args = append(args, fmt.Sprint(d.sizes[s]))
	}
	fmt.Fprintf(&b, "\n\ndef call():\n    return [flatten(o) for o in %s(%s)]\n\n\n", d.sig.Func, strings.Join(args, ", "))
	fmt.Fprintf(&b, "shapes = [shape(o) for o in %s(%s)]\n", d.sig.Func, strings.Join(args, ", "))
	fmt.Fprintf(&b, "wrt = [%s]\nblocks = [%s]\n", quoteAll(d.wrt), blocksLit(d.blocks, "(", ")"))
	b.WriteString(`res = {"outs": call(), "gfd": [], "hfd": [None] * len(blocks), "shapes": shapes}
for a, name in enumerate(wrt):
    v = data[name]
    fd, cols = [], []
    for e in range(len(v)):
        x = v[e]
        h = 1e-5 * max(1.0, abs(x))
        v[e] = x + h
        p = call()
        v[e] = x - h
        m = call()
        v[e] = x
        fd.append((p[0][0] - m[0][0]) / (2 * h))
        cols.append([(p[1 + ga][k] - m[1 + ga][k]) / (2 * h) for ga in range(len(wrt)) for k in range(len(p[1 + ga]))])
    res["gfd"].append(fd)
    for bi, (ba, bb) in enumerate(blocks):
        if bb != a:
            continue
        off = sum(len(data[wrt[ga]]) for ga in range(ba))
        na = len(data[wrt[ba]])
        res["hfd"][bi] = [cols[l][off + k] for k in range(na) for l in range(len(v))]
print(json.dumps(res))
`)
	return b.String()
}

func (d *driver) cMain() string {
	var b strings.Builder
	b.WriteString("#include <stdio.h>\n#include <stdlib.h>\n#include <math.h>\n#include \"loss.c\"\n\n")
	for _, in := range d.sig.Inputs {
		fmt.Fprintf(&b, "static double in_%s[] = {%s};\n", in.Name, floats(d.data[in.User]))
	}
	total := 0
	var outSizes []int
	for _, o := range d.sig.Outputs[1:] {
		n := 1
		for _, s := range o.Dims {
			n *= dimLen(d.sizes, s)
		}
		outSizes = append(outSizes, n)
		total += n
	}
	fmt.Fprintf(&b, "static double outs[%d];\n", total+1)
	var args []string
	for _, in := range d.sig.Inputs {
		if in.Rank == 0 {
			args = append(args, "in_"+in.Name+"[0]")
		} else {
			args = append(args, "in_"+in.Name)
		}
	}
	for _, s := range d.sig.Sizes {
		args = append(args, fmt.Sprint(d.sizes[s]))
	}
	off := 1
	for _, n := range outSizes {
		args = append(args, fmt.Sprintf("outs + %d", off))
		off += n
	}
	fmt.Fprintf(&b, "static void call(double *o) {\n    outs[0] = %s(%s);\n    for (int e = 0; e < %d; e++) o[e] = outs[e];\n}\n\n", d.sig.Func, strings.Join(args, ", "), total+1)
	// The wrt arrays, their lengths, and where each output starts.
	var wrtArr, wrtLen []string
	for _, w := range d.wrt {
		for _, in := range d.sig.Inputs {
			if in.User == w {
				wrtArr = append(wrtArr, "in_"+in.Name)
				wrtLen = append(wrtLen, fmt.Sprint(len(d.data[w])))
			}
		}
	}
	fmt.Fprintf(&b, "static double *wrt[] = {%s};\nstatic int wlen[] = {%s};\n", strings.Join(wrtArr, ", "), strings.Join(wrtLen, ", "))
	fmt.Fprintf(&b, "static int nw = %d, ntot = %d;\n", len(d.wrt), total+1)
	var bl []string
	for _, x := range d.blocks {
		bl = append(bl, fmt.Sprintf("%d, %d", x[0], x[1]))
	}
	fmt.Fprintf(&b, "static int nblocks = %d;\nstatic int blocks[] = {%s};\n", len(d.blocks), strings.Join(append(bl, "-1, -1"), ", "))
	b.WriteString(`
static void list(const double *v, int n) {
    printf("[");
    for (int i = 0; i < n; i++) printf("%s%.17g", i ? ", " : "", v[i]);
    printf("]");
}

int main(void) {
    double *base = malloc(sizeof(double) * ntot), *p = malloc(sizeof(double) * ntot), *m = malloc(sizeof(double) * ntot);
    call(base);
    printf("{\"outs\": [[%.17g]", base[0]);
    int off = 1;
    for (int a = 0; a < nw; a++) { printf(", "); list(base + off, wlen[a]); off += wlen[a]; }
    for (int k = 0; k < nblocks; k++) { int n = wlen[blocks[2*k]] * wlen[blocks[2*k+1]]; printf(", "); list(base + off, n); off += n; }
    printf("], \"gfd\": [");
    double *hfd[16];
    for (int k = 0; k < nblocks; k++) hfd[k] = malloc(sizeof(double) * wlen[blocks[2*k]] * wlen[blocks[2*k+1]]);
    for (int a = 0; a < nw; a++) {
        double *v = wrt[a];
        double *fd = malloc(sizeof(double) * wlen[a]);
        for (int e = 0; e < wlen[a]; e++) {
            double x = v[e], h = 1e-5 * fmax(1.0, fabs(x));
            v[e] = x + h; call(p);
            v[e] = x - h; call(m);
            v[e] = x;
            fd[e] = (p[0] - m[0]) / (2 * h);
            for (int k = 0; k < nblocks; k++) {
                if (blocks[2*k+1] != a) continue;
                int ba = blocks[2*k], start = 1;
                for (int g = 0; g < ba; g++) start += wlen[g];
                for (int i = 0; i < wlen[ba]; i++)
                    hfd[k][i * wlen[a] + e] = (p[start + i] - m[start + i]) / (2 * h);
            }
        }
        if (a) printf(", ");
        list(fd, wlen[a]);
        free(fd);
    }
    printf("], \"hfd\": [");
    for (int k = 0; k < nblocks; k++) { if (k) printf(", "); list(hfd[k], wlen[blocks[2*k]] * wlen[blocks[2*k+1]]); free(hfd[k]); }
    printf("]}\n");
    free(base); free(p); free(m);
    return 0;
}
`)
	return b.String()
}
