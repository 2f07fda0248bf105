package prove

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/derive"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify"
)

// TestDecideExpandedAgrees: normalize, given the side with its
// definitions opened, gives what the driver gives opening them itself
// (s.Normalize(e, true)): the same normal form and the same trace, step
// for step, on the sides of the seed's claims (definitions inside sums,
// derivatives), on sides without definitions, and on random expressions
// over the definitions' names.
func TestDecideExpandedAgrees(t *testing.T) {
	ctx := context.Background()
	defs := parsetest.DefsFrom(t, `z[i] := sum(j=1..d, x[i,j]*w[j])
p[i] := sigma(z[i])
CE := -mean(i=1..n, y[i]*log(p[i]) + (1 - y[i])*log(1 - p[i]))
q[i] := z[i]
MSE := mean(i=1..n, (y[i] - q[i])^2)
g(u) := u^2 + p[1]
`)
	srcs := []string{"d(CE, w[k])", "mean(i=1..n, x[i,k]*(p[i] - y[i]))", "d(MSE, w[k])", "2*mean(i=1..n, x[i,k]*(q[i] - y[i]))",
		"g(a + b) - a^2", "x + 1", "sum(i=1..n, p[i]*z[i])", "d(CE, z[m])", "sigma(z[2])*(1 - p[2])"}
	var sides []ast.Expr
	for _, src := range srcs {
		sides = append(sides, parsetest.MustParse(t, src, defs))
	}
	rng := rand.New(rand.NewPCG(6, 200))
	leaves := append([]ast.Expr{}, sides[5:]...)
	for range 40 {
		a, b := leaves[rng.IntN(len(leaves))], leaves[rng.IntN(len(leaves))]
		switch rng.IntN(3) {
		case 0:
			sides = append(sides, ast.NewAdd(a, b))
		case 1:
			sides = append(sides, ast.NewMul(a, b))
		default:
			sides = append(sides, ast.NewCall("log", ast.NewAdd(ast.One, ast.NewPow(a, ast.Two))))
		}
	}
	opt := simplify.Options{Defs: defs, Rules: load.Builtin()}
	opened := 0
	for _, side := range sides {
		e, _, err := derive.ExpandStep(ctx, side, derive.Options{Defs: defs, Rules: opt.Rules})
		if err != nil {
			t.Fatal(err)
		}
		want := simplify.New(opt)
		want.SetMode(simplify.Mode{Full: true})
		cw, tw := want.Normalize(ctx, e, true)
		got := simplify.New(opt)
		got.SetMode(simplify.Mode{Full: true})
		x := got.ExpandDefs(e)
		if x != e {
			opened++
		}
		cg, tg := normalize(ctx, got, e, x, true)
		if cg != cw {
			t.Fatalf("%s: normal form %s, want %s", ast.String(e), ast.String(cg), ast.String(cw))
		}
		if !sameTrace(tg, tw) {
			t.Fatalf("%s: trace of %d steps differs from the driver's %d", ast.String(e), len(tg), len(tw))
		}
		// Without definitions, normalize is the driver's call as it is.
		plain := simplify.New(opt)
		plain.SetMode(simplify.Mode{Full: true})
		cp, _ := normalize(ctx, plain, e, x, false)
		if cw2, _ := want.Normalize(ctx, e, false); cp != cw2 {
			t.Fatalf("%s without definitions: %s, want %s", ast.String(e), ast.String(cp), ast.String(cw2))
		}
	}
	if opened < len(srcs)/2 {
		t.Fatalf("only %d sides had definitions to open", opened)
	}
}

func sameTrace(a, b rules.Trace) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Rule != b[i].Rule || a[i].Before != b[i].Before || a[i].After != b[i].After || !sameTrace(a[i].Sub, b[i].Sub) {
			return false
		}
	}
	return true
}
