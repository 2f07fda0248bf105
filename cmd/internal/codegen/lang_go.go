package codegen

import (
	"fmt"
	"go/format"
	"strings"
	"unicode"

	"github.com/symdiff/symdiff/ast"
)

const goKeywords = `break case chan const continue default defer else fallthrough for func go goto if import
interface map package range return select struct switch type var
bool float64 int len make panic append cap copy new nil true false string error
math fmt acc`

// goDialect is Go's syntax. Helper functions are named after the
// generated function (lossGradSigmoid), so that several generated files
// can share a package.
type goDialect struct{ prefix string }

// helper names a helper function: sigmoid, softplus, normcdf, normpdf,
// delta.
func (g goDialect) helper(name string) string { return g.prefix + capitalize(name) }

func (g goDialect) call(fn string, args []code) code {
	a := make([]string, len(args))
	for i, x := range args {
		a[i] = x.s
	}
	switch fn { // the functions with kinks, and pi (kinks.go)
	case "pi":
		return code{"math.Pi", pAtom}
	case ast.UndefinedFn: // a derivative that does not exist at the point
		return code{"math.NaN()", pAtom}
	case "abs":
		return code{"math.Abs(" + a[0] + ")", pAtom}
	case "max", "min": // variadic: math.Max takes two
		return code{nest("math."+capitalize(fn), a), pAtom}
	case hypotFn: // variadic: math.Hypot takes two
		return code{nest("math.Hypot", a), pAtom}
	case "relu":
		return code{"math.Max(" + a[0] + ", 0)", pAtom}
	case "clip":
		return code{"math.Min(math.Max(" + a[0] + ", " + a[1] + "), " + a[2] + ")", pAtom}
	case "step", "sign":
		return code{g.helper(fn) + "(" + a[0] + ")", pAtom}
	}
	f := map[string]string{"exp": "math.Exp", "log": "math.Log", "sqrt": "math.Sqrt", "tanh": "math.Tanh", "cosh": "math.Cosh", "sinh": "math.Sinh",
		"sin": "math.Sin", "cos": "math.Cos", "pow": "math.Pow", "sigma": g.helper("sigmoid"), "softplus": g.helper("softplus"),
		"Phi": g.helper("normcdf"), "phi": g.helper("normpdf"), logPhiFn: g.helper("lognormcdf"), millsFn: g.helper("normmills")}[fn]
	return code{f + "(" + strings.Join(a, ", ") + ")", pAtom}
}

func (goDialect) pow(base code, exp ast.Expr) (code, bool) {
	return smallPow(base, exp, func(b code) code { return code{"math.Sqrt(" + b.s + ")", pAtom} })
}

func (goDialect) floatOf(s string) code { return code{"float64(" + s + ")", pAtom} }
func (g goDialect) delta(a, b string) code {
	return code{g.helper("delta") + "(" + a + ", " + b + ")", pAtom}
}
func (goDialect) declFloat(n, v string) string { return n + " := " + v }
func (goDialect) assign(l, r string) string    { return l + " = " + r }
func (goDialect) addTo(l, r string) string     { return l + " += " + r }
func (goDialect) indent() string               { return "\t" }
func (goDialect) scalarOut(n string) string    { return n }

func (goDialect) nested(in *input, out *output) bool { return in != nil || out != nil }

func (goDialect) loop(v, from, to string) (string, string) {
	if from == "0" {
		return fmt.Sprintf("for %s := range %s {", v, to), "}"
	}
	return fmt.Sprintf("for %s := %s; %s < %s; %s++ {", v, from, v, to, v), "}"
}

const goHelpers = `
// SIGMOID is 1/(1 + exp(-u)), without overflow for large |u|.
func SIGMOID(u float64) float64 {
	if u >= 0 {
		return 1 / (1 + math.Exp(-u))
	}
	e := math.Exp(u)
	return e / (1 + e)
}
`

const goStep = `
// STEP is the Heaviside step: 1 for u > 0, else 0 (also at 0).
func STEP(u float64) float64 {
	if u > 0 {
		return 1
	}
	return 0
}
`

const goSign = `
// SIGN is -1, 0 or 1 as u is negative, zero or positive.
func SIGN(u float64) float64 {
	switch {
	case u > 0:
		return 1
	case u < 0:
		return -1
	}
	return 0
}
`

const goSoftplus = `
// SOFTPLUS is log(1 + exp(u)), computed as max(u, 0) + log1p(exp(-|u|)),
// which neither overflows nor loses precision.
func SOFTPLUS(u float64) float64 {
	return math.Max(u, 0) + math.Log1p(math.Exp(-math.Abs(u)))
}
`

const goNorm = `
// NORMCDF is the standard normal distribution function Φ(u).
func NORMCDF(u float64) float64 { return 0.5 * math.Erfc(-u/math.Sqrt2) }
`

const goNormPDF = `
// NORMPDF is the standard normal density φ(u).
func NORMPDF(u float64) float64 { return math.Exp(-u*u/2) / math.Sqrt(2*math.Pi) }
`

const goDelta = `
// DELTA is the Kronecker delta.
func DELTA(a, b int) float64 {
	if a == b {
		return 1
	}
	return 0
}
`

const goNormTail = `
// NORMTAIL is the series 1 - 1/u^2 + 3/u^4 - 15/u^6 + ... (20 terms) in
// Φ(u) = φ(u)/(-u)·NORMTAIL(u), for u below -15, where its next term is
// below 1e-23 of the sum.
func NORMTAIL(u float64) float64 {
	t, s := 1/(u*u), 1.0
	for k := 20; k >= 1; k-- {
		s = 1 - float64(2*k-1)*t*s
	}
	return s
}
`

const goLogNorm = `
// LOGNORMCDF is log(Φ(u)): from the tail series below u = -15, where Φ(u)
// nears the end of float64's range (it is 0 below -38.5), and as
// log1p(-Φ(-u)) above 0, where Φ(u) rounds to 1.
func LOGNORMCDF(u float64) float64 {
	switch {
	case u < -15:
		return -u*u/2 - math.Log(-u) - 0.91893853320467274178 + math.Log(NORMTAIL(u))
	case u > 0:
		return math.Log1p(-0.5 * math.Erfc(u/math.Sqrt2))
	}
	return math.Log(0.5 * math.Erfc(-u/math.Sqrt2))
}
`

const goMills = `
// NORMMILLS is φ(u)/Φ(u): -u/NORMTAIL(u) below u = -15, where both
// underflow (0/0 below -38.5).
func NORMMILLS(u float64) float64 {
	if u < -15 {
		return -u / NORMTAIL(u)
	}
	return math.Exp(-u*u/2) / math.Sqrt(2*math.Pi) / (0.5 * math.Erfc(-u/math.Sqrt2))
}
`

// genGo writes a Go file: a package clause, a doc-commented function and
// its helpers, formatted by go/format.
func genGo(p *problem, en Engine, req *Request) (*Result, error) {
	nm, fn, pl, ins, outs := newFrame(p, en, req, goKeywords, false, "LossGrad", true).unpack()
	pkg := req.Package
	if pkg == "" {
		pkg = "loss"
	}

	gd := goDialect{prefix: lowerInitials(fn)}
	for _, h := range []string{"lognormcdf", "normmills", "normtail", "sigmoid", "softplus", "normcdf", "normpdf", "delta", "step", "sign"} {
		nm.taken[gd.helper(h)] = true
	}
	// A declared row R (a [][]float64 of one row) is computed with as its
	// row R0, and a result with a row's axes as a flat slice, nested at the
	// end (rows.go).
	var rows strings.Builder
	for i, in := range p.inputs {
		if in.row {
			a := nm.fresh(ins[i].Name + "0")
			nm.names[in.name] = a
			fmt.Fprintf(&rows, "\tif len(%s) != 1 {\n\t\tpanic(fmt.Sprintf(\"%s: len(%s) = %%d, want 1 (%s is declared %s)\", len(%s)))\n\t}\n\t%s := %s[0]\n",
				ins[i].Name, fn, ins[i].Name, in.name, strings.Join(in.declDims(), " × "), ins[i].Name, a, ins[i].Name)
		}
	}
	pads := make([][]int, len(pl.outputs))
	for i, t := range pl.outputs {
		if pads[i] = outPads(p, t.out); len(pads[i]) > 0 {
			t.name = nm.fresh(outs[i].Name + "0")
		}
	}
	le := &loopEmitter{pl: pl, d: gd, nm: nm, acc: map[*comp]string{}, uses: map[string]bool{}}
	used := map[string]bool{}
	sz := func(n string) string { used[n] = true; return nm.user(n) }
	le.inter = "\t"

	// Allocations of outputs and of the temps that are arrays.
	var alloc strings.Builder
	for i, t := range pl.outputs {
		if len(t.idxs) == 0 {
			continue
		}
		dims := make([]string, len(t.idxs))
		for k, v := range t.idxs {
			dims[k] = sz(sizeOf(p, v))
		}
		goMakeNested(&alloc, t.name, dims, len(pads[i]) > 0)
	}
	for _, c := range pl.comps {
		t := c.t
		if t.out != nil || t.local || len(t.idxs) == 0 {
			if t.out == nil && !t.local && len(t.idxs) == 0 {
				fmt.Fprintf(&alloc, "\tvar %s float64\n", t.name)
			}
			continue
		}
		dims := le.tempDims(t)
		for _, v := range t.idxs {
			ast.InspectOnce(p.ranges[v].hi, func(x ast.Expr) bool {
				if s, ok := x.(*ast.Sym); ok {
					used[s.Name] = true
				}
				return true
			})
		}
		fmt.Fprintf(&alloc, "\t%s := make([]float64, %s)\n", t.name, strings.Join(dims, "*"))
	}
	le.block(pl.root, 0)
	body := le.b.String()
	for _, s := range p.sizes {
		if strings.Contains(body, nm.user(s.name)) {
			used[s.name] = true
		}
	}

	// Checks of the shapes, for the sizes that are read from another array.
	var checks strings.Builder
	for _, in := range p.inputs {
		for d, s := range in.dims {
			if s.from == nil || (s.from == in && s.dim == d) || d > 1 {
				continue
			}
			used[s.name] = true
			a := nm.user(in.name)
			shown := a
			if in.row {
				shown = in.name + "[0]"
			}
			if d == 0 {
				fmt.Fprintf(&checks, "\tif len(%s) != %s {\n\t\tpanic(fmt.Sprintf(\"%s: len(%s) = %%d, want %s = %%d (%s)\", len(%s), %s))\n\t}\n",
					a, nm.user(s.name), fn, shown, s.name, s.fromDesc(), a, nm.user(s.name))
			} else {
				fmt.Fprintf(&checks, "\tfor i, row := range %s {\n\t\tif len(row) != %s {\n\t\t\tpanic(fmt.Sprintf(\"%s: len(%s[%%d]) = %%d, want %s = %%d (%s)\", i, len(row), %s))\n\t\t}\n\t}\n",
					a, nm.user(s.name), fn, shown, s.name, s.fromDesc(), nm.user(s.name))
			}
		}
	}
	var sizes strings.Builder
	var explicit []string
	for _, s := range p.sizes {
		if !used[s.name] {
			continue
		}
		if s.from == nil {
			explicit = append(explicit, s.name)
			continue
		}
		arr := nm.user(s.from.name)
		if s.dim == 0 {
			fmt.Fprintf(&sizes, "\t%s := len(%s)\n", nm.user(s.name), arr)
			continue
		}
		fmt.Fprintf(&sizes, "\t%s := 0\n", nm.user(s.name))
		cond := make([]string, s.dim)
		path := arr
		for k := 0; k < s.dim; k++ {
			cond[k] = "len(" + path + ") > 0"
			path += "[0]"
		}
		fmt.Fprintf(&sizes, "\tif %s {\n\t\t%s = len(%s)\n\t}\n", strings.Join(cond, " && "), nm.user(s.name), path)
	}

	// The file.
	var f strings.Builder // after the imports, which depend on it
	described := len(p.describe())
	for i, l := range commentLines(p, req, fn) {
		if i == 0 {
			fmt.Fprintf(&f, "// %s\n", l)
			continue
		}
		if l == "" {
			f.WriteString("//\n")
			continue
		}
		if i > 2 && i <= 2+described {
			fmt.Fprintf(&f, "//\t%s\n", l)
			continue
		}
		fmt.Fprintf(&f, "// %s\n", l)
	}
	var params []string
	for _, in := range ins {
		params = append(params, in.Name+" "+strings.Repeat("[]", in.Rank)+"float64")
	}
	for _, s := range explicit {
		params = append(params, nm.user(s)+" int")
	}
	var results []string
	var names []string
	for _, o := range outs {
		results = append(results, o.Name+" "+strings.Repeat("[]", o.Rank)+"float64")
		names = append(names, o.Name)
	}
	fmt.Fprintf(&f, "func %s(%s) (%s) {\n", fn, strings.Join(params, ", "), strings.Join(results, ", "))
	f.WriteString(rows.String())
	f.WriteString(sizes.String())
	f.WriteString(checks.String())
	f.WriteString(alloc.String())
	f.WriteString(body)
	for i, t := range pl.outputs {
		if len(pads[i]) > 0 {
			goPadded(&f, outs[i].Name, t.name, outs[i].Rank, pads[i])
		}
	}
	fmt.Fprintf(&f, "\treturn %s\n}\n", strings.Join(names, ", "))
	helper := func(tmpl string) {
		for _, h := range []string{"lognormcdf", "normmills", "normtail", "sigmoid", "softplus", "normcdf", "normpdf", "delta", "step", "sign"} {
			tmpl = strings.ReplaceAll(tmpl, strings.ToUpper(h), gd.helper(h))
		}
		f.WriteString(tmpl)
	}
	if le.uses["step"] {
		helper(goStep)
	}
	if le.uses["sign"] {
		helper(goSign)
	}
	if le.uses["sigma"] {
		helper(goHelpers)
	}
	if le.uses["softplus"] {
		helper(goSoftplus)
	}
	if le.uses["Phi"] {
		helper(goNorm)
	}
	if le.uses["phi"] {
		helper(goNormPDF)
	}
	if le.uses[logPhiFn] || le.uses[millsFn] {
		helper(goNormTail)
	}
	if le.uses[logPhiFn] {
		helper(goLogNorm)
	}
	if le.uses[millsFn] {
		helper(goMills)
	}
	if strings.Contains(body, gd.helper("delta")+"(") {
		helper(goDelta)
	}
	var imports []string
	if checks.Len() > 0 || rows.Len() > 0 {
		imports = append(imports, `"fmt"`)
	}
	if strings.Contains(f.String(), "math.") {
		imports = append(imports, `"math"`)
	}
	head := "// Code generated by symdiff codegen; DO NOT EDIT.\n\npackage " + pkg + "\n\n"
	if len(imports) > 0 {
		head += "import (\n\t" + strings.Join(imports, "\n\t") + "\n)\n\n"
	}
	src, err := format.Source([]byte(head + f.String()))
	if err != nil {
		return nil, fmt.Errorf("codegen: the generated Go does not parse (a bug): %v\n%s", err, f.String())
	}
	sig := Signature{Func: fn, Inputs: ins, Outputs: outs}
	sig.Sizes = explicit
	return &Result{Code: string(src), Sig: sig}, nil
}

// sizeOf returns the size name of an index variable's range (whose lower
// bound is 1 for the results' indices).
func sizeOf(p *problem, v string) string {
	if s, ok := p.ranges[v].hi.(*ast.Sym); ok {
		return s.Name
	}
	panic("codegen: the range of " + v + " is not a size")
}

// goMakeNested allocates a nested slice of zeros.
func goMakeNested(b *strings.Builder, name string, dims []string, declare bool) {
	op := "="
	if declare {
		op = ":="
	}
	fmt.Fprintf(b, "\t%s %s make(%sfloat64, %s)\n", name, op, strings.Repeat("[]", len(dims)), dims[0])
	if len(dims) == 1 {
		return
	}
	// One loop per level below the first.
	var rec func(path string, level int, ind string)
	vars := []string{"i1", "i2", "i3", "i4", "i5", "i6", "i7"}
	rec = func(path string, level int, ind string) {
		v := vars[level-1]
		fmt.Fprintf(b, "%sfor %s := range %s {\n", ind, v, path)
		elem := path + "[" + v + "]"
		fmt.Fprintf(b, "%s\t%s = make(%sfloat64, %s)\n", ind, elem, strings.Repeat("[]", len(dims)-level), dims[level])
		if level+1 < len(dims) {
			rec(elem, level+1, ind+"\t")
		}
		fmt.Fprintf(b, "%s}\n", ind)
	}
	rec(name, 1, "\t")
}

// lowerInitials lowers the leading capitals of a Go name, as an
// unexported name starts: LossGrad gives lossGrad, MLP mlp, CELoss ceLoss.
func lowerInitials(s string) string {
	r := []rune(s)
	n := 0
	for n < len(r) && unicode.IsUpper(r[n]) {
		n++
	}
	if n > 1 && n < len(r) && unicode.IsLower(r[n]) {
		n-- // the last capital starts the next word
	}
	for i := 0; i < n; i++ {
		r[i] = unicode.ToLower(r[i])
	}
	return string(r)
}

func (goDialect) negInf() string { return "math.Inf(-1)" }

func (goDialect) max(a, b string) string { return "math.Max(" + a + ", " + b + ")" }
