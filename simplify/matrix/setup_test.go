package matrix_test

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/matrix"
	"github.com/symdiff/symdiff/simplify/prove"
)

// setupSource reads a script of declarations, definitions and assumptions
// (every test's preamble) into the options the matrix package takes and
// the parser context later expressions are read in.
func setupSource(tb testing.TB, name, src string) (matrix.Options, *parser.Context) {
	tb.Helper()
	rs := load.Builtin()
	defs := &ast.Defs{}
	pctx := load.Context(rs, defs)
	pctx.Shapes = map[string]ast.Shape{}
	stmts, err := parser.ParseFile(name, src, pctx)
	if err != nil {
		tb.Fatal(err)
	}
	opt := matrix.Options{Decls: pctx.Shapes, Simplify: simplify.Options{Defs: defs, Rules: rs}}
	for _, st := range stmts {
		switch s := st.Stmt.(type) {
		case *ast.DeclStmt:
			pctx.Shapes[s.Name] = s.Shape
		case *ast.DefStmt:
			if err := defs.Define(s.Def); err != nil {
				tb.Fatal(err)
			}
		case *ast.AssumeStmt:
			opt.Simplify.Assume = append(opt.Simplify.Assume, s)
		}
	}
	return opt, pctx
}

// corpusCase is one result of a corpus: the input, and the matrix form
// it must simplify to.
type corpusCase struct{ name, src, want string }

// runCorpus simplifies each case, requires its matrix form as written and
// reading back as the same node, and hands it to check (a comparison with
// finite differences by an evaluator of the test's own) three times.
func runCorpus(t *testing.T, cases []corpusCase, opt matrix.Options, pctx *parser.Context, seed uint64,
	check func(t *testing.T, e, result ast.Expr, opt matrix.Options, rng *rand.Rand, trial int)) {
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			e, err := parser.ParseExpr(tt.src, pctx)
			if err != nil {
				t.Fatal(err)
			}
			r, err := matrix.Simplify(context.Background(), e, opt)
			if err != nil {
				t.Fatal(err)
			}
			if r.Value == nil {
				t.Fatalf("%s: %v; index form %s", tt.src, r.NoForm, ast.String(r.Simplified.Expr))
			}
			got := ast.String(r.Value)
			if got != tt.want {
				t.Errorf("%s = %s, want %s", tt.src, got, tt.want)
			}
			if strings.Contains(got, "[") || strings.Contains(got, "..") {
				t.Errorf("%s = %s: not in matrix notation", tt.src, got)
			}
			back, err := parser.ParseExpr(got, pctx)
			if err != nil {
				t.Fatalf("%s does not read back: %v", got, err)
			}
			if back != r.Value {
				t.Errorf("%s reads back as %s, not %s", got, ast.Sexpr(back), ast.Sexpr(r.Value))
			}
			rng := rand.New(rand.NewPCG(uint64(len(tt.src)), seed))
			for trial := range 3 {
				check(t, e, r.Value, opt, rng, trial)
			}
		})
	}
}

// parsePair reads the two sides of a claim.
func parsePair(t *testing.T, pctx *parser.Context, a, b string) (ast.Expr, ast.Expr) {
	t.Helper()
	x, err := parser.ParseExpr(a, pctx)
	if err != nil {
		t.Fatal(err)
	}
	y, err := parser.ParseExpr(b, pctx)
	if err != nil {
		t.Fatal(err)
	}
	return x, y
}

// proveClaim reads and proves a == b and requires the verdict want; it
// returns the two sides and the proof, and false (after saying why) when
// the proof failed or gave another verdict.
func proveClaim(t *testing.T, opt matrix.Options, pctx *parser.Context, a, b, want string) (ast.Expr, ast.Expr, *prove.Proof, bool) {
	t.Helper()
	x, y := parsePair(t, pctx, a, b)
	pr, err := matrix.Prove(context.Background(), x, y, opt)
	if err != nil {
		t.Errorf("prove %s == %s: %v", a, b, err)
		return x, y, nil, false
	}
	if got := pr.Verdict.String(); got != want {
		t.Errorf("prove %s == %s: %s, want %s (%s)", a, b, got, want, pr.Tried)
		return x, y, pr, false
	}
	return x, y, pr, true
}
