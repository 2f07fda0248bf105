package ast_test

import (
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// spelledNames are names whose natural notations coincide in LaTeX or
// Unicode: x1, x_1 and x[1] are x_{1}; lambda and λ are \lambda; yhat,
// y_hat and ŷ are \hat{y}; x[1,2], x[12] and x1[2] were x_{12} or x_{1,2}.
var spelledNames = []string{"x", "x1", "x_1", "x12", "x_12", "lambda", "λ", "lambda1", "λ1", "lambda_1",
	"yhat", "y_hat", "ŷ", "y", "alpha", "α", "alpha_2", "α2", "CE", "w", "w1", "k"}

// RandomAtoms draws names and indexed names of spelledNames.
func randomAtoms(rng *rand.Rand) []ast.Expr {
	n := 2 + rng.IntN(6)
	var out []ast.Expr
	for range n {
		name := spelledNames[rng.IntN(len(spelledNames))]
		switch rng.IntN(6) {
		case 0:
			out = append(out, ast.NewIndex(name, ast.NewInt(1)))
		case 1:
			out = append(out, ast.NewIndex(name, ast.NewInt(12)))
		case 2:
			out = append(out, ast.NewIndex(name, ast.NewInt(1), ast.NewInt(2)))
		case 3:
			out = append(out, ast.NewIndex(name, ast.NewInt(2)))
		default:
			out = append(out, ast.NewSym(name))
		}
	}
	return out
}

// TestDistinctNamesInjective: over random sets of names that look alike,
// the names DistinctNames picks to write as spelled make the rendering
// one to one, in LaTeX and in Unicode: two distinct names or indexed
// names of one document never print the same. The oracle is the printed
// strings themselves. A set whose names already print apart is left in
// its natural notation (DistinctNames returns nil).
func TestDistinctNamesInjective(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 1))
	for range 2000 {
		atoms := randomAtoms(rng)
		for _, st := range []ast.Style{ast.LaTeX, ast.Unicode} {
			natural := map[string]ast.Expr{}
			clash := false
			for _, a := range atoms {
				s, _ := ast.Format(a, st)
				if b, ok := natural[s]; ok && b != a {
					clash = true
				}
				natural[s] = a
			}
			spelled := ast.DistinctNames(st, atoms...)
			if !clash && spelled != nil {
				t.Errorf("%v: no two names look alike, yet %v are spelled", atoms, spelled)
			}
			shown := map[string]ast.Expr{}
			for _, a := range atoms {
				s, _ := ast.FormatSpelled(a, st, nil, nil, spelled)
				if b, ok := shown[s]; ok && b != a {
					t.Fatalf("style %d: %s and %s both print %q (spelled %v)", st, ast.String(a), ast.String(b), s, spelled)
				}
				shown[s] = a
			}
		}
	}
}

// TestDistinctNamesChoice: which name keeps its natural notation.
func TestDistinctNamesChoice(t *testing.T) {
	for _, c := range []struct {
		st    ast.Style
		atoms []ast.Expr
		want  string // the atoms printed, joined by " | "
	}{
		{ast.LaTeX, []ast.Expr{ast.NewSym("x1"), ast.NewSym("x_1"), ast.NewIndex("x", ast.NewInt(1))}, `\mathit{x1} | \mathit{x\_1} | x_{1}`},
		{ast.LaTeX, []ast.Expr{ast.NewSym("x1"), ast.NewSym("x_1")}, `\mathit{x1} | x_{1}`},
		{ast.LaTeX, []ast.Expr{ast.NewSym("x1"), ast.NewSym("x2"), ast.NewIndex("w", ast.NewInt(1))}, `x_{1} | x_{2} | w_{1}`},
		{ast.LaTeX, []ast.Expr{ast.NewSym("lambda"), ast.NewSym("λ")}, `\mathit{lambda} | \lambda`},
		{ast.LaTeX, []ast.Expr{ast.NewSym("yhat"), ast.NewSym("y_hat"), ast.NewSym("ŷ")}, `\mathit{yhat} | \mathit{y\_hat} | \hat{y}`},
		{ast.LaTeX, []ast.Expr{ast.NewIndex("x", ast.NewInt(1), ast.NewInt(2)), ast.NewIndex("x", ast.NewInt(12))}, `x_{1,2} | x_{12}`},
		{ast.Unicode, []ast.Expr{ast.NewSym("lambda"), ast.NewSym("λ")}, `lambda | λ`},
		{ast.Unicode, []ast.Expr{ast.NewSym("lambda"), ast.NewSym("theta")}, `λ | θ`},
		{ast.Unicode, []ast.Expr{ast.NewIndex("x", ast.NewInt(1), ast.NewInt(2)), ast.NewIndex("x", ast.NewInt(12))}, `x[1,2] | x₁₂`},
	} {
		spelled := ast.DistinctNames(c.st, c.atoms...)
		got := ""
		for i, a := range c.atoms {
			s, _ := ast.FormatSpelled(a, c.st, nil, nil, spelled)
			if i > 0 {
				got += " | "
			}
			got += s
		}
		if got != c.want {
			t.Errorf("%v: got %s, want %s", c.atoms, got, c.want)
		}
	}
}
