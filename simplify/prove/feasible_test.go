package prove

import (
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/simplify"
)

// TestInfeasible: sets of inequalities g > 0 (sign 1), g < 0 (sign -1),
// g >= 0 (2), g <= 0 (-2), decided by Fourier-Motzkin over their
// monomials.
func TestInfeasible(t *testing.T) {
	type c struct {
		g    string
		sign int
	}
	tests := []struct {
		cons []c
		want bool
	}{
		{[]c{{"a - b", 1}, {"b - c", 1}, {"c - a", 1}}, true}, // a > b > c > a
		{[]c{{"a - b", 1}, {"b - c", 1}, {"a - c", 1}}, false},
		{[]c{{"x", 1}, {"x", -1}}, true},
		{[]c{{"x - 1", 1}, {"x - 2", -1}}, false}, // 1 < x < 2
		{[]c{{"x - 2", 1}, {"x - 1", -1}}, true},  // 2 < x < 1
		{[]c{{"x*y + 1", 1}, {"x*y", -1}}, false}, // monomials are unknowns too
		{[]c{{"2*x*y + 1", -1}, {"x*y", 1}}, true},
		{[]c{{"exp(x)", 1}}, false},
		{[]c{{"0", 1}}, true},
		{[]c{{"x - 1", 2}, {"x - 1", -1}}, true},  // x >= 1 (weak) and x < 1
		{[]c{{"x - 1", 2}, {"x - 1", -2}}, false}, // x >= 1, x <= 1: x = 1
		{[]c{{"x - 1", 2}, {"x - 2", -2}, {"x - 3", 1}}, true},
		{nil, false},
	}
	for _, tt := range tests {
		var cons []strict
		for _, k := range tt.cons {
			e, err := parser.ParseExpr(k.g, nil)
			if err != nil {
				t.Fatal(err)
			}
			// sign 2 and -2 stand for >= 0 and <= 0.
			row := linearForm(canonical(e), max(-1, min(1, k.sign)))
			row.weak = k.sign == 2 || k.sign == -2
			cons = append(cons, row)
		}
		if got := infeasible(cons); got != tt.want {
			t.Errorf("infeasible(%v) = %v, want %v", tt.cons, got, tt.want)
		}
	}
}

func canonical(e ast.Expr) ast.Expr { return simplify.PlainCanonical(e) }

// TestWitness: a point of a case satisfies every inequality of it,
// checked by evaluating the inequalities as written (not the rows); an
// infeasible case, or one whose unknowns are not all names, has none.
func TestWitness(t *testing.T) {
	type c struct {
		g    string
		sign int // 1: g > 0, -1: g < 0, 2: g >= 0, -2: g <= 0
	}
	tests := []struct {
		cons []c
		ok   bool
	}{
		{[]c{{"x", 1}}, true},
		{[]c{{"x - 1", 1}, {"x - 2", -1}}, true},               // 1 < x < 2
		{[]c{{"x", 1}, {"x - 1e-12", -1}}, true},               // a thin slab
		{[]c{{"a - b", 1}, {"b - c", 1}, {"c + 3", -1}}, true}, // a > b > c < -3
		{[]c{{"x - y", 1}, {"y - 1e-10", 1}, {"x - 2e-10", -1}}, true},
		{[]c{{"x - 1", 2}, {"x - 1", -2}}, true}, // x = 1
		{[]c{{"2*x + 3*y - 1", 1}, {"x - y", -1}, {"y - 5", -1}}, true},
		{[]c{{"a - b", 1}, {"b - c", 1}, {"c - a", 1}}, false},
		{[]c{{"x - 1", 2}, {"x - 1", -1}}, false},
		{[]c{{"x*y", 1}}, false}, // a monomial: no witness claimed
		{nil, true},
	}
	for _, tt := range tests {
		var cons []strict
		var gs []ast.Expr
		for _, k := range tt.cons {
			e, err := parser.ParseExpr(k.g, nil)
			if err != nil {
				t.Fatal(err)
			}
			row := linearForm(canonical(e), max(-1, min(1, k.sign)))
			row.weak = k.sign == 2 || k.sign == -2
			cons = append(cons, row)
			gs = append(gs, e)
		}
		for _, frac := range []ast.Number{ast.Frac(1, 2), ast.Frac(1, 3)} {
			w, ok := witness(cons, frac)
			if ok != tt.ok {
				t.Errorf("witness(%v) ok = %v, want %v", tt.cons, ok, tt.ok)
				continue
			}
			if !ok {
				continue
			}
			sub := map[string]ast.Expr{}
			for n, v := range w {
				sub[n] = ast.NewNum(v)
			}
			for i, k := range tt.cons {
				v, ok := canonical(ast.Subst(gs[i], sub)).(*ast.Num)
				if !ok {
					t.Errorf("witness %v of %v leaves %s unknown", w, tt.cons, k.g)
					continue
				}
				s := v.Value.Sign()
				holds := map[int]bool{1: s > 0, -1: s < 0, 2: s >= 0, -2: s <= 0}[k.sign]
				if !holds {
					t.Errorf("witness %v of %v: %s has sign %d, want %d", w, tt.cons, k.g, s, k.sign)
				}
			}
		}
	}
}
