// Package codegen turns a loss written in symdiff's index notation into
// code: a function that computes the loss and its gradient (and, on
// request, its Hessian) in Go, C, plain Python or NumPy. The gradient is
// derived and simplified symbolically; the code computes each shared
// subexpression once, hoists what depends on fewer indices out of inner
// loops, rewrites the formulas that overflow in floating point into stable
// ones, and says in a header comment what it computes and from what.
//
// gradcheck.go checks a symbolic gradient against central finite
// differences with the independent float64 evaluator.
package codegen

import (
	"context"
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/symdiff/symdiff/ast"
)

// A Lang is an output language.
type Lang string

// The languages.
const (
	Go     Lang = "go"
	Python Lang = "python"
	NumPy  Lang = "numpy"
	C      Lang = "c"
)

// Langs lists the languages.
var Langs = []Lang{Go, Python, NumPy, C}

// A Request says what to generate.
type Request struct {
	Loss    ast.Expr
	Wrt     []ast.Expr // b, w[k], W[a,b]
	Hessian bool
	Lang    Lang
	Func    string // the function's name; "" for LossGrad (Go) or loss_grad
	Package string // Go: the package; "" for "loss"
	Source  string // where the loss comes from, for the header comment
	Version string // symdiff's version, for the header; "" reads the build info
}

func (r *Request) version() string {
	if r.Version != "" {
		return r.Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

func (r *Request) sourceDesc(show func(ast.Expr) string) string {
	if r.Source != "" {
		return r.Source
	}
	return show(r.Loss)
}

// A Result is generated code and the signature of its function.
type Result struct {
	Code string
	Sig  Signature
}

// A Signature describes the generated function, in order: the inputs,
// then the sizes given explicitly, then (C) the output arrays.
type Signature struct {
	Func    string
	Inputs  []Param
	Sizes   []string // sizes passed as arguments
	Outputs []Param  // the loss, the gradients, the Hessian blocks
}

// A Param is an argument or a result of the generated function.
type Param struct {
	Name string   // as in the code
	User string   // the user's name (the variable, for gradients)
	Rank int      // 0 for a number
	Dims []string // the user's size names, one per dimension ("1" for a declared row's first)
}

// Generate writes the code for a request.
func Generate(ctx context.Context, en Engine, req *Request) (*Result, error) {
	p, err := analyse(ctx, en, req.Loss, req.Wrt, req.Hessian)
	if err != nil {
		return nil, err
	}
	switch req.Lang {
	case Go:
		return genGo(p, en, req)
	case C:
		return genC(p, en, req)
	case Python:
		return genPython(p, en, req)
	case NumPy:
		return genNumPy(p, en, req)
	}
	return nil, errorf("unknown language %q: choose one of go, python, numpy, c", string(req.Lang))
}

// ParseLang reads a language name.
func ParseLang(s string) (Lang, error) {
	for _, l := range Langs {
		if strings.EqualFold(s, string(l)) {
			return l, nil
		}
	}
	if strings.EqualFold(s, "py") {
		return Python, nil
	}
	return "", errorf("unknown language %q: choose one of go, python, numpy, c", s)
}

// outputParams describes the outputs, named by name.
func outputParams(p *problem, pl *plan, name func(*output) string) []Param {
	var out []Param
	for _, t := range pl.outputs {
		prm := Param{Name: name(t.out)}
		switch t.out.kind {
		case outLoss:
			prm.User = "loss"
		case outGrad:
			w := p.wrt[t.out.a]
			prm.User, prm.Dims = w.name, w.in.declDims()
			prm.Rank = len(prm.Dims)
		case outHess:
			wa, wb := p.wrt[t.out.a], p.wrt[t.out.b]
			prm.User, prm.Dims = wa.name+","+wb.name, append(wa.in.declDims(), wb.in.declDims()...)
			prm.Rank = len(prm.Dims)
		}
		out = append(out, prm)
	}
	return out
}

// inputParams describes the inputs.
func inputParams(p *problem, nm *namer) []Param {
	var out []Param
	for _, in := range p.inputs {
		prm := Param{Name: nm.user(in.name), User: in.name, Dims: in.declDims()}
		prm.Rank = len(prm.Dims)
		out = append(out, prm)
	}
	return out
}

// capitalize makes a name exported (Go).
func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// outNames are the default names of outputs: loss, gradW / grad_w,
// hessWW / hess_w_w.
func outNames(p *problem, camel bool) func(*output) string {
	return func(o *output) string {
		switch o.kind {
		case outGrad:
			if camel {
				return "grad" + capitalize(asciiName(p.wrt[o.a].name))
			}
			return "grad_" + asciiName(p.wrt[o.a].name)
		case outHess:
			a, b := asciiName(p.wrt[o.a].name), asciiName(p.wrt[o.b].name)
			if camel {
				return "hess" + capitalize(a) + capitalize(b)
			}
			return "hess_" + a + "_" + b
		}
		return "loss"
	}
}

func asciiName(n string) string {
	var b strings.Builder
	for _, r := range n {
		if r < 128 {
			b.WriteRune(r)
		} else {
			fmt.Fprintf(&b, "u%04x", r)
		}
	}
	return b.String()
}

// SplitVars splits at the commas outside brackets: "W[a,b],b" gives
// "W[a,b]" and "b".
func SplitVars(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '[', '(':
			depth++
		case ']', ')':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	if last := strings.TrimSpace(s[start:]); last != "" || len(out) > 0 {
		out = append(out, last)
	}
	return out
}

// A frame is what every language's generator sets up first: the names in
// use (keywords, the function, the user's names, the outputs, the
// temporaries), the function's name and the plan of the computation.
type frame struct {
	nm        *namer
	fn        string
	pl        *plan
	ins, outs []Param
}

// newFrame names the function (fn, or fn with "Hess" / "_hess" appended
// for a Hessian, unless the request names it) and plans the computation:
// with loops the sums are hoisted and scheduled as loops (Go, C, Python),
// without them they stay whole for vectorised code (NumPy). A camel-case
// fn gives camel-case output names.
func newFrame(p *problem, en Engine, req *Request, keywords string, ascii bool, fn string, loops bool) *frame {
	camel := !strings.Contains(fn, "_")
	f := &frame{nm: newNamer(keywords, ascii), fn: req.Func}
	if f.fn == "" {
		f.fn = fn
		if req.Hessian && camel {
			f.fn += "Hess"
		} else if req.Hessian {
			f.fn += "_hess"
		}
	}
	f.nm.taken[f.fn] = true
	f.pl = newPlan(p, loops)
	if loops {
		f.pl.schedule()
	}
	f.ins = inputParams(p, f.nm)
	for _, s := range p.sizes {
		f.nm.user(s.name)
	}
	for _, v := range p.order {
		f.nm.user(v)
	}
	outName := outNames(p, camel)
	for _, t := range f.pl.outputs {
		f.nm.taken[outName(t.out)] = true
	}
	tempNames(f.pl, en, f.nm, outName)
	f.outs = outputParams(p, f.pl, outName)
	return f
}

func (f *frame) unpack() (*namer, string, *plan, []Param, []Param) {
	return f.nm, f.fn, f.pl, f.ins, f.outs
}
