package codegen

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/symdiff/symdiff/ast"
)

const cKeywords = `auto break case char const continue default do double else enum extern float for goto if
inline int long register restrict return short signed sizeof static struct switch typedef union unsigned
void volatile while _Bool _Complex _Imaginary NULL exp log sqrt tanh cosh sinh sin cos pow erfc fabs log1p fmax
sigmoid softplus normcdf normpdf lognormcdf normmills normtail calloc free malloc acc`

// cDialect is C99's syntax; arrays are flat and row-major.
type cDialect struct{}

func (cDialect) call(fn string, args []code) code {
	a := make([]string, len(args))
	for i, x := range args {
		a[i] = x.s
	}
	switch fn { // the functions with kinks, and pi (kinks.go)
	case "pi":
		return code{"3.14159265358979323846", pAtom}
	case ast.UndefinedFn: // a derivative that does not exist at the point
		return code{"NAN", pAtom}
	case "abs":
		return code{"fabs(" + a[0] + ")", pAtom}
	case "max", "min": // variadic: fmax takes two
		return code{nest("f"+fn, a), pAtom}
	case hypotFn: // variadic: hypot takes two
		return code{nest("hypot", a), pAtom}
	case "relu":
		return code{"fmax(" + a[0] + ", 0.0)", pAtom}
	case "clip":
		return code{"fmin(fmax(" + a[0] + ", " + a[1] + "), " + a[2] + ")", pAtom}
	case "step":
		return code{"((" + a[0] + ") > 0 ? 1.0 : 0.0)", pAtom}
	case "sign":
		return code{"(double)(((" + a[0] + ") > 0) - ((" + a[0] + ") < 0))", pAtom}
	}
	f := map[string]string{"exp": "exp", "log": "log", "sqrt": "sqrt", "tanh": "tanh", "cosh": "cosh", "sinh": "sinh", "sin": "sin", "cos": "cos",
		"pow": "pow", "sigma": "sigmoid", "softplus": "softplus", "Phi": "normcdf", "phi": "normpdf", logPhiFn: "lognormcdf", millsFn: "normmills"}[fn]
	return code{f + "(" + strings.Join(a, ", ") + ")", pAtom}
}

func (cDialect) pow(base code, exp ast.Expr) (code, bool) {
	return smallPow(base, exp, func(b code) code { return code{"sqrt(" + b.s + ")", pAtom} })
}

func (cDialect) floatOf(s string) code {
	if strings.Contains(s, " ") {
		return code{"(double)(" + s + ")", pAtom}
	}
	return code{"(double)" + s, pAtom}
}
func (cDialect) delta(a, b string) code       { return code{"(" + a + " == " + b + " ? 1.0 : 0.0)", pAtom} }
func (cDialect) declFloat(n, v string) string { return "double " + n + " = " + v + ";" }
func (cDialect) assign(l, r string) string    { return l + " = " + r + ";" }
func (cDialect) addTo(l, r string) string     { return l + " += " + r + ";" }
func (cDialect) indent() string               { return "    " }
func (cDialect) scalarOut(n string) string    { return "*" + n }
func (cDialect) nested(*input, *output) bool  { return false }
func (cDialect) loop(v, from, to string) (string, string) {
	return fmt.Sprintf("for (long %s = %s; %s < %s; %s++) {", v, from, v, to, v), "}"
}

const cHelpers = `
/* sigmoid is 1/(1 + exp(-u)), without overflow for large |u|. */
static double sigmoid(double u) {
    if (u >= 0) {
        return 1.0 / (1.0 + exp(-u));
    }
    double e = exp(u);
    return e / (1.0 + e);
}
`

const cSoftplus = `
/* softplus is log(1 + exp(u)), computed as max(u, 0) + log1p(exp(-|u|)),
   which neither overflows nor loses precision. */
static double softplus(double u) {
    return fmax(u, 0.0) + log1p(exp(-fabs(u)));
}
`

const cNorm = `
/* normcdf is the standard normal distribution function. */
static double normcdf(double u) { return 0.5 * erfc(-u / sqrt(2.0)); }
`

const cNormPDF = `
/* normpdf is the standard normal density. */
static double normpdf(double u) { return exp(-u * u / 2.0) / sqrt(2.0 * 3.14159265358979323846); }
`

const cNormTail = `
/* normtail is the series 1 - 1/u^2 + 3/u^4 - 15/u^6 + ... (20 terms) in
   normcdf(u) = normpdf(u)/(-u)*normtail(u), for u below -15, where its next
   term is below 1e-23 of the sum. */
static double normtail(double u) {
    double t = 1.0 / (u * u), s = 1.0;
    for (int k = 20; k >= 1; k--) {
        s = 1.0 - (2 * k - 1) * t * s;
    }
    return s;
}
`

const cLogNorm = `
/* lognormcdf is log(normcdf(u)): from the tail series below u = -15, where
   normcdf(u) nears the end of double's range (it is 0 below -38.5), and as
   log1p(-normcdf(-u)) above 0, where normcdf(u) rounds to 1. */
static double lognormcdf(double u) {
    if (u < -15.0) {
        return -0.5 * u * u - log(-u) - 0.91893853320467274178 + log(normtail(u));
    }
    if (u > 0.0) {
        return log1p(-0.5 * erfc(u / sqrt(2.0)));
    }
    return log(0.5 * erfc(-u / sqrt(2.0)));
}
`

const cMills = `
/* normmills is normpdf(u)/normcdf(u): -u/normtail(u) below u = -15, where
   both underflow (0/0 below -38.5). */
static double normmills(double u) {
    if (u < -15.0) {
        return -u / normtail(u);
    }
    return exp(-u * u / 2.0) / sqrt(2.0 * 3.14159265358979323846) / (0.5 * erfc(-u / sqrt(2.0)));
}
`

// genC writes a C99 function: const double* inputs, explicit sizes, the
// gradients into arrays the caller provides, the loss as the result.
func genC(p *problem, en Engine, req *Request) (*Result, error) {
	nm, fn, pl, ins, outs := newFrame(p, en, req, cKeywords, true, "loss_grad", true).unpack()
	le := &loopEmitter{pl: pl, d: cDialect{}, nm: nm, acc: map[*comp]string{}, uses: map[string]bool{}, inter: "    "}

	var pre strings.Builder
	if len(p.sizes) > 0 {
		conds := make([]string, len(p.sizes))
		for i, s := range p.sizes {
			conds[i] = nm.user(s.name) + " < 0"
		}
		fmt.Fprintf(&pre, "    if (%s) {\n        return NAN;\n    }\n", strings.Join(conds, " || "))
	}
	pre.WriteString("    double loss = 0.0;\n")
	// Zero the outputs; allocate the temps that are arrays.
	for i, t := range pl.outputs {
		if t.out.kind == outLoss {
			continue
		}
		if len(t.idxs) == 0 {
			fmt.Fprintf(&pre, "    *%s = 0.0;\n", outs[i].Name)
			continue
		}
		fmt.Fprintf(&pre, "    for (long e = 0; e < %s; e++) %s[e] = 0.0;\n", strings.Join(le.tempDims(t), " * "), outs[i].Name)
	}
	var arrays []string
	for _, c := range pl.comps {
		t := c.t
		if t.out != nil || t.local {
			continue
		}
		if len(t.idxs) == 0 {
			fmt.Fprintf(&pre, "    double %s = 0.0;\n", t.name)
			continue
		}
		fmt.Fprintf(&pre, "    double *%s = calloc((size_t)(%s), sizeof(double));\n", t.name, strings.Join(le.tempDims(t), " * "))
		arrays = append(arrays, t.name)
	}
	if len(arrays) > 0 {
		conds := make([]string, len(arrays))
		for i, a := range arrays {
			conds[i] = "!" + a
		}
		fmt.Fprintf(&pre, "    if (%s) {\n", strings.Join(conds, " || "))
		for _, a := range arrays {
			fmt.Fprintf(&pre, "        free(%s);\n", a)
		}
		pre.WriteString("        return NAN;\n    }\n")
	}
	le.block(pl.root, 0)

	var f strings.Builder
	f.WriteString("/*\n")
	for _, l := range commentLines(p, req, fn) {
		l = strings.ReplaceAll(l, "*/", "* /") // not the end of the comment
		f.WriteString(strings.TrimRight(" * "+l, " ") + "\n")
	}
	f.WriteString(" *\n * Arrays are row-major; the caller allocates the outputs:\n")
	for _, o := range outs {
		if o.User == "loss" {
			continue
		}
		n, shape := "1", ""
		if len(o.Dims) > 0 {
			n = strings.Join(o.Dims, "*")
		}
		// A declared row's axis of length 1 adds no doubles: d (1 × d).
		if dims := slices.DeleteFunc(slices.Clone(o.Dims), func(s string) bool { return s == "1" }); len(dims) > 0 && len(dims) < len(o.Dims) {
			n, shape = strings.Join(dims, "*"), " ("+strings.Join(o.Dims, " × ")+")"
		}
		fmt.Fprintf(&f, " *   %s: %s doubles%s\n", o.Name, n, shape)
	}
	f.WriteString(" * Returns the loss, or NaN if a size is negative or memory for intermediate arrays runs out.\n */\n")
	f.WriteString("#include <math.h>\n#include <stdlib.h>\n")
	if le.uses["sigma"] {
		f.WriteString(cHelpers)
	}
	if le.uses["softplus"] {
		f.WriteString(cSoftplus)
	}
	if le.uses["Phi"] {
		f.WriteString(cNorm)
	}
	if le.uses["phi"] {
		f.WriteString(cNormPDF)
	}
	if le.uses[logPhiFn] || le.uses[millsFn] {
		f.WriteString(cNormTail)
	}
	if le.uses[logPhiFn] {
		f.WriteString(cLogNorm)
	}
	if le.uses[millsFn] {
		f.WriteString(cMills)
	}
	var params []string
	for _, in := range ins {
		if in.Rank == 0 {
			params = append(params, "double "+in.Name)
		} else {
			params = append(params, "const double *"+in.Name)
		}
	}
	var sizes []string
	for _, s := range p.sizes {
		params = append(params, "long "+nm.user(s.name))
		sizes = append(sizes, s.name)
	}
	for _, o := range outs {
		if o.User != "loss" {
			params = append(params, "double *"+o.Name)
		}
	}
	fmt.Fprintf(&f, "\ndouble %s(%s) {\n", fn, strings.Join(params, ", "))
	// An input the code does not read (a variable the loss does not
	// depend on) is marked used, for -Wunused-parameter.
	all := pre.String() + le.b.String()
	for _, in := range ins {
		if !regexp.MustCompile(`\b` + regexp.QuoteMeta(in.Name) + `\b`).MatchString(all) {
			fmt.Fprintf(&f, "    (void)%s; /* the loss does not depend on it */\n", in.Name)
		}
	}
	f.WriteString(pre.String())
	f.WriteString(le.b.String())
	for _, a := range arrays {
		fmt.Fprintf(&f, "    free(%s);\n", a)
	}
	f.WriteString("    return loss;\n}\n")
	return &Result{Code: f.String(), Sig: Signature{Func: fn, Inputs: ins, Sizes: sizes, Outputs: outs}}, nil
}

func (cDialect) negInf() string { return "-INFINITY" }

func (cDialect) max(a, b string) string { return "fmax(" + a + ", " + b + ")" }
