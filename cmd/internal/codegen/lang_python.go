package codegen

import (
	"fmt"
	"slices"
	"strings"

	"github.com/symdiff/symdiff/ast"
)

const pyKeywords = `False None True and as assert async await break class continue def del elif else except
finally for from global if import in is lambda nonlocal not or pass raise return try while with yield
math np numpy len range float list tuple Sequence sigmoid softplus normcdf normpdf lognormcdf normmills normtail acc fpow fexp fcosh fsinh`

// pyDialect is plain Python's syntax: math, lists and loops.
type pyDialect struct{}

func (pyDialect) call(fn string, args []code) code {
	a := make([]string, len(args))
	for i, x := range args {
		a[i] = x.s
	}
	switch fn { // the functions with kinks, and pi (kinks.go)
	case "pi":
		return code{"math.pi", pAtom}
	case ast.UndefinedFn: // a derivative that does not exist at the point
		return code{"math.nan", pAtom}
	case "abs", "max", "min":
		return code{fn + "(" + strings.Join(a, ", ") + ")", pAtom}
	case hypotFn: // math.hypot takes two before Python 3.8
		return code{nest("math.hypot", a), pAtom}
	case "relu":
		return code{"max(" + a[0] + ", 0.0)", pAtom}
	case "clip":
		return code{"min(max(" + a[0] + ", " + a[1] + "), " + a[2] + ")", pAtom}
	case "step":
		return code{"(1.0 if " + a[0] + " > 0 else 0.0)", pAtom}
	case "sign":
		return code{"float((" + a[0] + " > 0) - (" + a[0] + " < 0))", pAtom}
	}
	// exp, cosh, sinh and pow raise OverflowError in Python where C, Go
	// and NumPy give Inf: the f versions give Inf.
	f := map[string]string{"exp": "fexp", "log": "math.log", "sqrt": "math.sqrt", "tanh": "math.tanh", "cosh": "fcosh", "sinh": "fsinh",
		"sin": "math.sin", "cos": "math.cos", "pow": "fpow", "sigma": "sigmoid", "softplus": "softplus",
		"Phi": "normcdf", "phi": "normpdf", logPhiFn: "lognormcdf", millsFn: "normmills"}[fn]
	return code{f + "(" + strings.Join(a, ", ") + ")", pAtom}
}

func (pyDialect) pow(base code, exp ast.Expr) (code, bool) {
	if r, ok := smallPow(base, exp, func(b code) code { return code{"math.sqrt(" + b.s + ")", pAtom} }); ok {
		return r, true
	}
	n, ok := exp.(*ast.Num)
	if !ok {
		// Any other exponent (y^2, sigma(y), sqrt(2), w[j]) is rendered by
		// the emitter as math.pow(base, exponent); written here with the
		// input syntax it was XOR (y^2) or an undefined name (sigma, sqrt).
		return code{}, false
	}
	// b ** n raises OverflowError where C's pow gives Inf.
	return code{"fpow(" + base.s + ", " + pyExp(n) + ")", pAtom}, true
}

// pyExp renders a numeric exponent for **.
func pyExp(n *ast.Num) string {
	if v, ok := n.Value.Int64(); ok {
		return fmt.Sprint(v)
	}
	return "(" + numLit(n.Value).s + ")"
}

func (pyDialect) floatOf(s string) code {
	if strings.Contains(s, " ") {
		return code{"(" + s + ")", pAtom}
	}
	return code{s, pAtom}
}
func (pyDialect) delta(a, b string) code {
	return code{"(1.0 if " + a + " == " + b + " else 0.0)", pAtom}
}
func (pyDialect) declFloat(n, v string) string { return n + " = " + v }
func (pyDialect) assign(l, r string) string    { return l + " = " + r }
func (pyDialect) addTo(l, r string) string     { return l + " += " + r }
func (pyDialect) indent() string               { return "    " }
func (pyDialect) scalarOut(n string) string    { return n }
func (pyDialect) nested(in *input, out *output) bool {
	return in != nil || out != nil
}
func (pyDialect) loop(v, from, to string) (string, string) {
	if from == "0" {
		return fmt.Sprintf("for %s in range(%s):", v, to), ""
	}
	return fmt.Sprintf("for %s in range(%s, %s):", v, from, to), ""
}

const pyHelpers = `

def sigmoid(u: float) -> float:
    """1/(1 + exp(-u)), without overflow for large |u|."""
    if u >= 0:
        return 1.0 / (1.0 + math.exp(-u))
    e = math.exp(u)
    return e / (1.0 + e)
`

// pyOverflow are the helpers that give Inf where Python's float
// operations raise OverflowError (C, Go and NumPy give Inf, and a loss or
// gradient that overflows on the way may still come out finite: 1/Inf is
// 0). A helper's name is reserved (pyKeywords), so its call in the body
// says that it is used. fpow is math.pow, not **: (-8.0) ** (1/3) is a
// complex number in Python, which the loss and gradient returned
// silently, where math.pow raises ValueError (C and Go give NaN); only
// OverflowError is caught.
var pyOverflow = []struct{ name, def string }{
	{"fpow", `

def fpow(b: float, e: float) -> float:
    """math.pow(b, e), or +-inf where that is beyond the range of a float (C's pow), not OverflowError."""
    try:
        return math.pow(b, e)
    except OverflowError:
        return -math.inf if b < 0 and e % 2 == 1 else math.inf
`},
	{"fexp", `

def fexp(u: float) -> float:
    """math.exp(u), or inf where that is beyond the range of a float, not OverflowError."""
    try:
        return math.exp(u)
    except OverflowError:
        return math.inf
`},
	{"fcosh", `

def fcosh(u: float) -> float:
    """math.cosh(u), or inf where that is beyond the range of a float, not OverflowError."""
    try:
        return math.cosh(u)
    except OverflowError:
        return math.inf
`},
	{"fsinh", `

def fsinh(u: float) -> float:
    """math.sinh(u), or +-inf where that is beyond the range of a float, not OverflowError."""
    try:
        return math.sinh(u)
    except OverflowError:
        return math.copysign(math.inf, u)
`},
}

const pySoftplus = `

def softplus(u: float) -> float:
    """log(1 + exp(u)) as max(u, 0) + log1p(exp(-|u|)): no overflow, no lost precision."""
    return max(u, 0.0) + math.log1p(math.exp(-abs(u)))
`

const pyNorm = `

def normcdf(u: float) -> float:
    """The standard normal distribution function."""
    return 0.5 * math.erfc(-u / math.sqrt(2.0))
`

const pyNormPDF = `

def normpdf(u: float) -> float:
    """The standard normal density."""
    return math.exp(-u * u / 2.0) / math.sqrt(2.0 * math.pi)
`

const pyNormTail = `

def normtail(u: float) -> float:
    """The series 1 - 1/u^2 + 3/u^4 - ... (20 terms) in normcdf(u) = normpdf(u)/(-u)*normtail(u), for u below -15."""
    t, s = 1.0 / (u * u), 1.0
    for k in range(20, 0, -1):
        s = 1.0 - (2 * k - 1) * t * s
    return s
`

const pyLogNorm = `

def lognormcdf(u: float) -> float:
    """log(normcdf(u)): from the tail series below u = -15 (normcdf(u) is 0 below -38.5), as log1p(-normcdf(-u)) above 0."""
    if u < -15.0:
        return -0.5 * u * u - math.log(-u) - 0.91893853320467274178 + math.log(normtail(u))
    if u > 0.0:
        return math.log1p(-0.5 * math.erfc(u / math.sqrt(2.0)))
    return math.log(0.5 * math.erfc(-u / math.sqrt(2.0)))
`

const pyMills = `

def normmills(u: float) -> float:
    """normpdf(u)/normcdf(u): -u/normtail(u) below u = -15, where both underflow."""
    if u < -15.0:
        return -u / normtail(u)
    return math.exp(-u * u / 2.0) / math.sqrt(2.0 * math.pi) / (0.5 * math.erfc(-u / math.sqrt(2.0)))
`

// pyType is the type hint of an input of the given rank.
func pyType(rank int, out bool) string {
	if rank == 0 {
		return "float"
	}
	if out {
		return strings.Repeat("list[", rank) + "float" + strings.Repeat("]", rank)
	}
	return strings.Repeat("Sequence[", rank) + "float" + strings.Repeat("]", rank)
}

// pyHeader writes the comment at the top of a Python file.
func pyHeader(f *strings.Builder, p *problem, req *Request, fn string) {
	for _, l := range commentLines(p, req, fn) {
		f.WriteString(strings.TrimRight("# "+l, " ") + "\n")
	}
}

// pySizes writes the sizes read from arrays and the shape checks.
func pySizes(f *strings.Builder, p *problem, nm *namer, used map[string]bool, numpy bool) []string {
	var explicit []string
	for _, in := range p.inputs {
		if in.row && !numpy { // a list of one row: computed with as the row
			a := nm.user(in.name)
			fmt.Fprintf(f, "    if len(%s) != 1:\n        raise ValueError(f\"len(%s) = {len(%s)}, want 1 (%s is declared %s)\")\n    %s = %s[0]\n",
				a, in.name, a, in.name, strings.Join(in.declDims(), " × "), a, a)
		}
	}
	for _, s := range p.sizes {
		if !used[s.name] {
			continue
		}
		if s.from == nil {
			explicit = append(explicit, s.name)
			continue
		}
		arr := nm.user(s.from.name)
		switch {
		case numpy && s.from.row: // the row's shape is (1, d)
			fmt.Fprintf(f, "    %s = %s.shape[%d]\n", nm.user(s.name), arr, s.dim+1)
		case numpy:
			fmt.Fprintf(f, "    %s = %s.shape[%d]\n", nm.user(s.name), arr, s.dim)
		case s.dim == 0:
			fmt.Fprintf(f, "    %s = len(%s)\n", nm.user(s.name), arr)
		default:
			path := arr + strings.Repeat("[0]", s.dim)
			fmt.Fprintf(f, "    %s = len(%s) if len(%s) > 0 else 0\n", nm.user(s.name), path, arr)
		}
	}
	for _, in := range p.inputs {
		if in.rank == 0 {
			continue
		}
		a := nm.user(in.name)
		if numpy {
			want := make([]string, in.rank)
			need := false
			for d, s := range in.dims {
				want[d] = nm.user(s.name)
				if s.from != in || s.dim != d {
					need = true
				}
			}
			if in.row {
				want = append([]string{"1"}, want...)
			}
			shape := strings.Join(want, ", ")
			if len(want) == 1 {
				shape += ","
			}
			if need {
				want := strings.Join(in.declDims(), ", ")
				if len(in.declDims()) == 1 {
					want += ","
				}
				fmt.Fprintf(f, "    if %s.shape != (%s):\n        raise ValueError(f\"%s has shape {%s.shape}, want (%s)\")\n", a, shape, in.name, a, want)
			}
			continue
		}
		shown := in.name
		if in.row {
			shown += "[0]"
		}
		for d, s := range in.dims {
			if s.from == nil || (s.from == in && s.dim == d) || d > 1 {
				continue
			}
			if d == 0 {
				fmt.Fprintf(f, "    if len(%s) != %s:\n        raise ValueError(f\"len(%s) = {len(%s)}, want %s = {%s} (%s)\")\n",
					a, nm.user(s.name), shown, a, s.name, nm.user(s.name), s.fromDesc())
			} else {
				fmt.Fprintf(f, "    if any(len(row) != %s for row in %s):\n        raise ValueError(\"every row of %s must have %s = {} elements (%s)\".format(%s))\n",
					nm.user(s.name), a, in.name, s.name, s.fromDesc(), nm.user(s.name))
			}
		}
	}
	return explicit
}

func (in *input) dimNames() []string {
	out := make([]string, len(in.dims))
	for i, s := range in.dims {
		out[i] = s.name
	}
	return out
}

// genPython writes plain Python: lists and loops, the math module.
func genPython(p *problem, en Engine, req *Request) (*Result, error) {
	nm, fn, pl, ins, outs := newFrame(p, en, req, pyKeywords, false, "loss_grad", true).unpack()
	le := &loopEmitter{pl: pl, d: pyDialect{}, nm: nm, acc: map[*comp]string{}, uses: map[string]bool{}, inter: "    "}

	var alloc strings.Builder
	for i, t := range pl.outputs {
		switch {
		case t.out.kind == outLoss:
		case len(t.idxs) == 0:
			fmt.Fprintf(&alloc, "    %s = 0.0\n", outs[i].Name)
		default:
			dims := le.tempDims(t)
			s := "[0.0] * " + dims[len(dims)-1]
			for k := len(dims) - 2; k >= 0; k-- {
				s = "[" + s + " for _ in range(" + dims[k] + ")]"
			}
			fmt.Fprintf(&alloc, "    %s = %s\n", outs[i].Name, s)
		}
	}
	for _, c := range pl.comps {
		t := c.t
		if t.out != nil || t.local {
			continue
		}
		if len(t.idxs) == 0 {
			fmt.Fprintf(&alloc, "    %s = 0.0\n", t.name)
			continue
		}
		n := strings.Join(le.tempDims(t), " * ")
		if len(t.idxs) > 1 {
			n = "(" + n + ")"
		}
		fmt.Fprintf(&alloc, "    %s = [0.0] * %s\n", t.name, n)
	}
	le.block(pl.root, 0)
	body := alloc.String() + le.b.String()
	used := map[string]bool{}
	for _, s := range p.sizes {
		used[s.name] = true
	}
	var pre strings.Builder
	explicit := pySizes(&pre, p, nm, used, false)

	var f strings.Builder
	pyHeader(&f, p, req, fn)
	f.WriteString("\nimport math\nfrom collections.abc import Sequence\n")
	var params []string
	for _, in := range ins {
		params = append(params, in.Name+": "+pyType(in.Rank, false))
	}
	for _, s := range explicit {
		params = append(params, nm.user(s)+": int")
	}
	var rtypes, names []string
	for _, o := range outs {
		rtypes = append(rtypes, pyType(o.Rank, true))
		names = append(names, o.Name)
	}
	fmt.Fprintf(&f, "\n\ndef %s(%s) -> tuple[%s]:\n", fn, strings.Join(params, ", "), strings.Join(rtypes, ", "))
	fmt.Fprintf(&f, "    \"\"\"Return %s: %s.\"\"\"\n", strings.Join(names, ", "), p.computes())
	f.WriteString(pre.String())
	f.WriteString(body)
	ret := slices.Clone(names)
	for i, o := range outs {
		if pads := outPads(p, pl.outputs[i].out); len(pads) > 0 {
			ret[i] = pyPadded(ret[i], o.Rank, pads)
		}
	}
	fmt.Fprintf(&f, "    return %s\n", strings.Join(ret, ", "))
	for _, h := range pyOverflow {
		if strings.Contains(body, h.name+"(") {
			f.WriteString(h.def)
		}
	}
	if le.uses["sigma"] {
		f.WriteString(pyHelpers)
	}
	if le.uses["softplus"] {
		f.WriteString(pySoftplus)
	}
	if le.uses["Phi"] {
		f.WriteString(pyNorm)
	}
	if le.uses["phi"] {
		f.WriteString(pyNormPDF)
	}
	if le.uses[logPhiFn] || le.uses[millsFn] {
		f.WriteString(pyNormTail)
	}
	if le.uses[logPhiFn] {
		f.WriteString(pyLogNorm)
	}
	if le.uses[millsFn] {
		f.WriteString(pyMills)
	}
	return &Result{Code: f.String(), Sig: Signature{Func: fn, Inputs: ins, Sizes: explicit, Outputs: outs}}, nil
}

func (pyDialect) negInf() string { return "-math.inf" }

func (pyDialect) max(a, b string) string { return "max(" + a + ", " + b + ")" }
