package workload

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// prec is the precision of the checks' evaluations, in bits: central
// differences lose about 32 of them to cancellation.
const prec = 256

// tol is the relative difference the checks accept. The differences,
// the answer and Want agree with a right result to far better than this;
// a wrong one is off by much more.
const tol = 1e-9

// CheckDiff confirms that result, the simplified derivative of input (a
// Diff workload's Input, parsed), is right at two random points: against
// central finite differences of input, against the workload's Answer and
// against its Want, all evaluated at 256 bits. It also asks for the form:
// with an Answer (the residual form), the result may not be more than
// twice its size.
func CheckDiff(ctx context.Context, w *Workload, pc *parser.Context, input, result ast.Expr) error {
	var answer ast.Expr
	if w.Answer != "" {
		a, err := parser.ParseExpr(w.Answer, pc)
		if err != nil {
			return fmt.Errorf("%s: the answer does not parse: %v", w.Title(), err)
		}
		answer = a
		if rs, as := result.Size(), a.Size(); rs > 2*as+8 {
			return fmt.Errorf("%s: the result is not in residual form: %d nodes, where the residual form has %d", w.Title(), rs, as)
		}
	}
	for seed := uint64(1); seed <= 2; seed++ {
		at := w.Point(rand.New(rand.NewPCG(seed, 15)))
		b := ast.Bindings{}
		for k, v := range at {
			b[k] = ast.Scalar(v)
		}
		got, err := evalResult(ctx, result, b, at)
		if err != nil {
			return fmt.Errorf("%s: the result does not evaluate at %v: %v", w.Title(), at, err)
		}
		fd, err := centralDifference(ctx, input, w.Var, w.Var2, b)
		if err != nil {
			return fmt.Errorf("%s: the input does not evaluate near %v: %v", w.Title(), at, err)
		}
		if !near(got, fd) {
			return fmt.Errorf("%s: the result is %s at seed %d, central differences of the input %s", w.Title(), got.Text('g', 20), seed, fd.Text('g', 20))
		}
		if answer != nil {
			want, err := ast.EvalBig(ctx, answer, nil, b, prec)
			if err != nil {
				return fmt.Errorf("%s: the answer does not evaluate: %v", w.Title(), err)
			}
			if !near(got, want) {
				return fmt.Errorf("%s: the result is %s at seed %d, the answer %s", w.Title(), got.Text('g', 20), seed, want.Text('g', 20))
			}
		}
		if w.Want != nil {
			if want := w.Want(at, prec); !near(got, want) {
				return fmt.Errorf("%s: the result is %s at seed %d, computed independently %s", w.Title(), got.Text('g', 20), seed, want.Text('g', 20))
			}
		}
	}
	return nil
}

// evalResult evaluates a result at 256 bits, or, when its tree is much
// larger than a tree evaluation can afford (W3's product of cosines of
// shared chains is quadratic as a tree, linear as a DAG), in float64 over
// the DAG, each shared node once.
func evalResult(ctx context.Context, e ast.Expr, b ast.Bindings, at map[string]float64) (*big.Float, error) {
	if e.Size() < 100_000 {
		return ast.EvalBig(ctx, e, nil, b, prec)
	}
	v, err := dagEval(e, at, map[ast.Expr]float64{})
	if err != nil {
		return nil, err
	}
	return new(big.Float).SetPrec(prec).SetFloat64(v), nil
}

// dagEval evaluates the node kinds and functions the workloads' results
// use, in float64, memoised per node.
func dagEval(e ast.Expr, at map[string]float64, memo map[ast.Expr]float64) (float64, error) {
	if v, ok := memo[e]; ok {
		return v, nil
	}
	var v float64
	all := func(es []ast.Expr, f func(float64)) error {
		for _, x := range es {
			y, err := dagEval(x, at, memo)
			if err != nil {
				return err
			}
			f(y)
		}
		return nil
	}
	var err error
	switch x := e.(type) {
	case *ast.Num:
		v = x.Value.Float64()
	case *ast.Sym:
		var ok bool
		if v, ok = at[x.Name]; !ok {
			return 0, fmt.Errorf("no value for %s", x.Name)
		}
	case *ast.Neg:
		v, err = dagEval(x.X, at, memo)
		v = -v
	case *ast.Add:
		err = all(x.Terms, func(y float64) { v += y })
	case *ast.Mul:
		v = 1
		err = all(x.Factors, func(y float64) { v *= y })
	case *ast.Div, *ast.Pow:
		var ys []float64
		kids := []ast.Expr{}
		if d, ok := x.(*ast.Div); ok {
			kids = append(kids, d.X, d.Y)
		} else {
			p := x.(*ast.Pow)
			kids = append(kids, p.X, p.Y)
		}
		err = all(kids, func(y float64) { ys = append(ys, y) })
		if err == nil {
			if _, ok := x.(*ast.Div); ok {
				v = ys[0] / ys[1]
			} else {
				v = math.Pow(ys[0], ys[1])
			}
		}
	case *ast.Call:
		fns := map[string]func(float64) float64{
			"sin": math.Sin, "cos": math.Cos, "exp": math.Exp, "log": math.Log,
			"sigma": func(u float64) float64 { return 1 / (1 + math.Exp(-u)) },
		}
		f, ok := fns[x.Fn]
		if !ok || len(x.Args) != 1 {
			return 0, fmt.Errorf("%s: not a function the workloads use", x.Fn)
		}
		v, err = dagEval(x.Args[0], at, memo)
		v = f(v)
	default:
		return 0, fmt.Errorf("%T: not a node the workloads' results have", e)
	}
	if err != nil {
		return 0, err
	}
	memo[e] = v
	return v, nil
}

// centralDifference approximates d(f, v) (or d(f, v, u)) at b by central
// differences with step 2^-32 (2^-24 for the mixed second derivative):
// the error, of order step², is far below tol.
func centralDifference(ctx context.Context, f ast.Expr, v, u string, b ast.Bindings) (*big.Float, error) {
	shift := func(e ast.Expr, name string, h ast.Number) ast.Expr {
		return ast.Subst(e, map[string]ast.Expr{name: ast.NewAdd(ast.NewSym(name), ast.NewNum(h))})
	}
	eval := func(e ast.Expr) (*big.Float, error) { return ast.EvalBig(ctx, e, nil, b, prec) }
	if u == "" {
		const inv = int64(1) << 32
		hi, err := eval(shift(f, v, ast.Frac(1, inv)))
		if err != nil {
			return nil, err
		}
		lo, err := eval(shift(f, v, ast.Frac(-1, inv)))
		if err != nil {
			return nil, err
		}
		d := new(big.Float).SetPrec(prec).Sub(hi, lo)
		return d.Mul(d, new(big.Float).SetPrec(prec).SetInt64(inv/2)), nil
	}
	const inv = int64(1) << 24
	total := new(big.Float).SetPrec(prec)
	for _, sv := range []int64{1, -1} {
		for _, su := range []int64{1, -1} {
			y, err := eval(shift(shift(f, v, ast.Frac(sv, inv)), u, ast.Frac(su, inv)))
			if err != nil {
				return nil, err
			}
			if sv*su < 0 {
				y.Neg(y)
			}
			total.Add(total, y)
		}
	}
	q := new(big.Float).SetPrec(prec).SetInt64(inv)
	q.Mul(q, q)
	q.Quo(q, new(big.Float).SetPrec(prec).SetInt64(4))
	return total.Mul(total, q), nil
}

// near reports whether a and b agree to tol relative to the larger.
func near(a, b *big.Float) bool {
	d := new(big.Float).Sub(a, b)
	d.Abs(d)
	m := new(big.Float).Abs(a)
	if n := new(big.Float).Abs(b); n.Cmp(m) > 0 {
		m = n
	}
	m.Mul(m, big.NewFloat(tol))
	return d.Cmp(m) <= 0 || d.Cmp(big.NewFloat(1e-60)) <= 0
}

// CheckParse confirms that stmts, the parse of a Parse workload's Input,
// are its definitions: as many as written, and the sampled ones with the
// values Sample computes in Go at a random point (float64).
func CheckParse(w *Workload, stmts []*parser.Statement) error {
	if len(stmts) != w.Statements {
		return fmt.Errorf("%s: %d statements, want %d", w.Title(), len(stmts), w.Statements)
	}
	bodies := map[string]ast.Expr{}
	for _, st := range stmts {
		d, ok := st.Stmt.(*ast.DefStmt)
		if !ok {
			return fmt.Errorf("%s: %q is not a definition", w.Title(), st.Text)
		}
		bodies[d.Def.Name] = d.Def.Body
	}
	at := w.Point(rand.New(rand.NewPCG(1, 15)))
	b := ast.Bindings{}
	for k, v := range at {
		b[k] = ast.Scalar(v)
	}
	for name, want := range w.Sample(at) {
		body, ok := bodies[name]
		if !ok {
			return fmt.Errorf("%s: no definition of %s", w.Title(), name)
		}
		got, err := ast.Eval(body, nil, b)
		if err != nil || math.Abs(got-want) > 1e-12*(1+math.Abs(want)) {
			return fmt.Errorf("%s: %s is %v (%v), want %v", w.Title(), name, got, err, want)
		}
	}
	return nil
}
