package matrix

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/ast/once"
	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/rulecheck"
)

// The identities are written in Go, so `symdiff rules check` checks them
// on instances, as it checks the simplifier's rules on their examples:
// each instance is an equation the rule states, whose two sides are
// compared at random values of checkDecls' names (in exact arithmetic
// where the entries are rational, as the prover's counterexamples are),
// with A also nearly singular, of rank 1 plus 10^-6 times a random
// matrix, for the rules whose condition is that an inverse is defined;
// and its left side, rewritten by the identities, must have taken the
// rule and kept its value.

// checkDecls are the names the instances use.
const checkDecls = "A B S: m×m, S symmetric; X: n×m; x, y, u: m; lam: scalar"

func checkShapes() map[string]ast.Shape {
	m, n := ast.NewSym("m"), ast.NewSym("n")
	sq := ast.MatrixShape(m, m)
	sym := sq
	sym.Symmetric = true
	return map[string]ast.Shape{"A": sq, "B": sq, "S": sym, "X": ast.MatrixShape(n, m),
		"x": ast.VectorShape(m), "y": ast.VectorShape(m), "u": ast.VectorShape(m), "lam": ast.ScalarShape}
}

// ruleInstances holds, by rule, equations the rule states: left side,
// right side.
//
// Built on first use: a map literal is built at every start otherwise
// (TestInitBudget), and only `rules check` reads it. A variable (a test
// swaps it) holding a function, which is data; a sync.OnceValue would be
// a call at every start.
var ruleInstances = instances

var instancesOnce struct {
	once.Once
	m map[string][][2]string
}

func instances() map[string][][2]string {
	instancesOnce.Do(func() { instancesOnce.m = makeInstances() })
	return instancesOnce.m
}

func makeInstances() map[string][][2]string {
	return map[string][][2]string{
		"inv_inv":              {{"inv(inv(A))", "A"}},
		"inv_transpose":        {{"inv(A')", "inv(A)'"}},
		"det_transpose":        {{"det(A')", "det(A)"}},
		"logdet_transpose":     {{"logdet(A')", "logdet(A)"}},
		"det_inv":              {{"det(inv(A))", "1/det(A)"}},
		"logdet_inv":           {{"logdet(inv(A))", "-logdet(A)"}},
		"inv_cancel":           {{"inv(A)*A", "eye(m)"}, {"A*inv(A)*x", "x"}, {"B*inv(A + B)*(A + B)", "B"}, {"inv(A*B)*A*B*x", "x"}},
		"inv_transpose_cancel": {{"A'*inv(A)'", "eye(m)"}, {"inv(A)'*A'*x", "x"}, {"inv(A)' - inv(A)'*A'*inv(A)'", "zeros(m, m)"}},
		"softmax_form": {
			{"(sum(exp(u))*diag(exp(u)) - exp(u)*exp(u)')/sum(exp(u))^2", "diag(softmax(u)) - softmax(u)*softmax(u)'"},
			{"sum(exp(A*x))^-2*(sum(exp(A*x))*diag(exp(A*x))*A - exp(A*x)*exp(A*x)'*A)", "(diag(softmax(A*x)) - softmax(A*x)*softmax(A*x)')*A"},
			{"-2*sum(exp(u))^-2*(exp(u)*exp(u)' - sum(exp(u))*diag(exp(u)))", "2*(diag(softmax(u)) - softmax(u)*softmax(u)')"},
			{"exp(u)*y'/sum(exp(u))", "softmax(u)*y'"},
		},
		"softmax_sum":         {{"softmax(u)'*ones(m)", "1"}, {"lam*ones(m)'*softmax(A*x)", "lam"}, {"sum(softmax(u))", "1"}},
		"eye_product":         {{"A*eye(m)", "A"}, {"eye(m)*A*x", "A*x"}},
		"inv_product":         {{"inv(A*B)", "inv(B)*inv(A)"}},
		"det_product":         {{"det(A*B)", "det(A)*det(B)"}},
		"det_scale":           {{"det(lam*A)", "lam^m*det(A)"}},
		"inv_scale":           {{"inv(lam*A)", "inv(A)/lam"}},
		"symmetric_transpose": {{"S'", "S"}, {"inv(S)'", "inv(S)"}, {"(X'*X)'", "X'*X"}, {"(x*x')'", "x*x'"}},
		"transpose_order":     {{"A' + A", "A + A'"}},
		"matrix_like_terms":   {{"A' + A'", "2*A'"}, {"2*A - 3*A", "-A"}},
	}
}

// A Parser reads an instance's side with the names' shapes declared; the
// caller passes the parser's, which the engine's packages do not link.
type Parser func(src string, shapes map[string]ast.Shape) (ast.Expr, error)

// CheckRule checks a matrix identity on its instances; nil for a rule
// with none (the passes, and rules of other packages).
func CheckRule(ctx context.Context, r *rules.Rule, set *rules.Set, parse Parser) *rulecheck.RuleReport {
	inst, ok := ruleInstances()[r.Name]
	if !ok || r.Source != matSource {
		return nil
	}
	start := time.Now()
	rep := &rulecheck.RuleReport{Name: r.Name, Kind: r.Kind.String(), Source: r.Source.String(), Verdict: rulecheck.RuleSound}
	defer func() { rep.Time = time.Since(start) }()
	decls := checkShapes()
	opt := Options{Decls: decls, Simplify: simplify.Options{Rules: set}}
	env := NewTranslator(decls, nil).Env
	var funcs *ast.Defs
	if set != nil {
		funcs = set.Defs()
	}
	rng := rand.New(rand.NewPCG(uint64(len(r.Name)), 17))
	for _, pair := range inst {
		lhs, err1 := parse(pair[0], decls)
		rhs, err2 := parse(pair[1], decls)
		if err1 != nil || err2 != nil {
			rep.Verdict, rep.Note = rulecheck.RuleUnchecked, fmt.Sprintf("instance %s == %s (%s): %v %v", pair[0], pair[1], checkDecls, err1, err2)
			return rep
		}
		// The rule as written in Go: it applies to the left side.
		got, step := proofIdentities(ctx, lhs, env)
		if !stepHas(step, r) {
			rep.Verdict, rep.Note = rulecheck.RuleUnsound, fmt.Sprintf("the rule does not apply to its instance %s (rewritten %s)", pair[0], ast.String(got))
			return rep
		}
		nearly := strings.Contains(pair[0], "inv(") || strings.Contains(pair[0], "det(")
		// Exponentials are compared at high precision, not exactly: fewer
		// points, each slower.
		draws := 20
		if strings.Contains(pair[0], "exp(") || strings.Contains(pair[0], "softmax(") {
			draws = 6
		}
		sides := [][2]ast.Expr{{lhs, rhs}}
		if got != rhs {
			sides = append(sides, [2]ast.Expr{lhs, got})
		}
		for i := range draws {
			if err := ctx.Err(); err != nil {
				rep.Verdict, rep.Note = rulecheck.RuleUnchecked, err.Error()
				return rep
			}
			bind := drawValues(rng, decls)
			if nearly && i%2 == 1 {
				bind["A"] = nearlySingular(rng, bind["A"].Shape[0])
			}
			// The equation, and the rewrite of its left side.
			for _, side := range sides {
				d, err := differAt(ctx, side[0], side[1], bind, opt, funcs)
				if err != nil || !d.known {
					rep.Skipped++ // a side undefined there (a singular lam*A), or not computed exactly
					continue
				}
				rep.Points++
				if d.ce != nil {
					rep.Verdict, rep.Counter = rulecheck.RuleUnsound, d.ce
					rep.Note = fmt.Sprintf("on %s == %s the sides differ", ast.String(side[0]), ast.String(side[1]))
					return rep
				}
			}
		}
	}
	if rep.Points == 0 {
		rep.Verdict, rep.Note = rulecheck.RuleUnchecked, "no point where the sides are defined"
		return rep
	}
	rep.Note = fmt.Sprintf("equal on %d instances (%s) at %d random points, the rewrite of each too", len(inst), checkDecls, rep.Points)
	return rep
}

// HasInstances reports whether CheckRule checks r.
func HasInstances(r *rules.Rule) bool {
	_, ok := ruleInstances()[r.Name]
	return ok && r.Source == matSource
}

// stepHas reports whether st or one of its sub-steps applied r.
func stepHas(st rules.Step, r *rules.Rule) bool {
	if st.Rule == nil {
		return false
	}
	for _, x := range st.Rules() {
		if x == r {
			return true
		}
	}
	return false
}

// nearlySingular is an n×n matrix of rank 1 plus 10^-6 times a matrix of
// small whole numbers: invertible (almost surely), with a condition
// number near 10^6.
func nearlySingular(rng *rand.Rand, n int) ast.Value {
	v := ast.Value{Shape: []int{n, n}, Data: make([]float64, n*n)}
	u, w := make([]float64, n), make([]float64, n)
	for i := range n {
		u[i], w[i] = float64(1+rng.IntN(4)), float64(1+rng.IntN(4))
	}
	for i := range n {
		for j := range n {
			v.Data[i*n+j] = u[i]*w[j] + float64(rng.IntN(9)-4)*1e-6
		}
	}
	return v
}
