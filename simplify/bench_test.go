package simplify_test

import (
	"fmt"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/prove"
)

func reportRate(b *testing.B, nodes int64) {
	if s := b.Elapsed().Seconds(); s > 0 {
		b.ReportMetric(float64(nodes)*float64(b.N)/s, "nodes/s")
	}
}

func BenchmarkSimplifySeedGradient(b *testing.B) {
	defs := logisticDefs(b)
	e := mustParse(b, "d(CE, w[k])", defs)
	for b.Loop() {
		res, err := simplify.Simplify(bg, e, simplify.Options{Rules: builtin, Defs: defs})
		if err != nil || ast.String(res.Expr) != "mean(i=1..n, x[i,k]*(p[i] - y[i]))" {
			b.Fatal(err, ast.String(res.Expr))
		}
	}
}

func BenchmarkProveSeedGradient(b *testing.B) {
	defs := logisticDefs(b)
	x := mustParse(b, "d(CE, w[k])", defs)
	y := mustParse(b, "mean(i=1..n, x[i,k]*(p[i] - y[i]))", defs)
	for b.Loop() {
		pr, err := prove.Prove(bg, x, y, simplify.Options{Rules: builtin, Defs: defs})
		if err != nil || pr.Verdict != prove.Proved {
			b.Fatal(err, pr.Verdict)
		}
	}
}

// wideSum is Σ_i (sigma(-t_i) + t_i*t_i - 2*t_i) over n distinct names,
// written out.
func wideSum(n int) ast.Expr {
	terms := make([]ast.Expr, 0, 3*n)
	for i := range n {
		ti := ast.NewSym(fmt.Sprintf("t%d", i))
		terms = append(terms, ast.NewCall("sigma", ast.NewNeg(ti)), ast.NewMul(ti, ti), ast.NewNeg(ast.NewMul(ast.Two, ti)))
	}
	return ast.NewAdd(terms...)
}

func BenchmarkSimplifyWideSum(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			e := wideSum(n)
			for b.Loop() {
				res, err := simplify.Simplify(bg, e, simplify.Options{Rules: builtin})
				if err != nil || res.Stop != simplify.StopFixpoint {
					b.Fatal(err, res.Stop)
				}
			}
			reportRate(b, e.Size())
		})
	}
}
