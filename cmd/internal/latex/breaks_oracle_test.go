package latex

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// randBreakExpr builds a random expression rich in what rowsOf breaks:
// sums, products of calls, quotients with a sum above, negations, sums
// over an index and derivatives (whose operator must not be cut from its
// operand).
func randBreakExpr(r *rand.Rand, depth int) ast.Expr {
	x, y := ast.NewSym("x"), ast.NewSym("y")
	if depth == 0 {
		switch r.IntN(5) {
		case 4:
			// a product with it prints as a fraction: no break inside
			return ast.NewPow(ast.NewCall("sin", x), ast.NewInt(-int64(r.IntN(2)+1)))
		case 0:
			return x
		case 1:
			return y
		case 2:
			return ast.NewInt(int64(r.IntN(5) + 2))
		}
		return ast.NewCall([]string{"sin", "exp", "sigma", "tanh"}[r.IntN(4)], ast.NewMul(x, y))
	}
	kid := func() ast.Expr { return randBreakExpr(r, r.IntN(depth)) }
	n := 2 + r.IntN(4)
	args := func() []ast.Expr {
		es := make([]ast.Expr, n)
		for i := range es {
			es[i] = kid()
		}
		return es
	}
	// Sums and products are flat, as the engine's forms are (a product
	// inside a product prints without brackets, and then the pieces
	// bracket it: the same formula, which this oracle would not see).
	flat := func(es []ast.Expr) []ast.Expr {
		var out []ast.Expr
		for _, e := range es {
			switch x := e.(type) {
			case *ast.Mul:
				out = append(out, x.Factors...)
			case *ast.Add:
				out = append(out, x.Terms...)
			default:
				out = append(out, e)
			}
		}
		return out
	}
	switch r.IntN(8) {
	case 0, 1:
		es := args()
		for i, e := range es {
			if a, ok := e.(*ast.Add); ok {
				es[i] = ast.NewMul(ast.NewInt(2), a)
			}
		}
		return ast.NewAdd(es...)
	case 2, 3:
		es := flat(args())
		for i, e := range es {
			if _, ok := e.(*ast.Num); ok && i > 0 {
				es[i] = ast.NewSym("z") // numbers lead a product
			}
		}
		return ast.NewMul(es...)
	case 4:
		return ast.NewDiv(ast.NewAdd(kid(), kid()), kid())
	case 5:
		return ast.NewNeg(ast.NewMul(kid(), ast.NewAdd(kid(), kid())))
	case 6:
		return ast.NewDeriv(ast.NewMul(kid(), kid()), x)
	}
	return ast.NewCall([]string{"log", "exp", "sigma"}[r.IntN(3)], kid())
}

// quotientsOf lists the quotients that pieces may set as (1/b)·a.
func quotientsOf(e ast.Expr) []*ast.Div {
	var out []*ast.Div
	seen := map[ast.Expr]bool{}
	var walk func(ast.Expr)
	walk = func(e ast.Expr) {
		if seen[e] {
			return
		}
		seen[e] = true
		if d, ok := e.(*ast.Div); ok && breakable(d.X) {
			out = append(out, d)
		}
		for _, k := range ast.Children(e) {
			walk(k)
		}
	}
	walk(e)
	return out
}

var spaces = regexp.MustCompile(`\s+`)

// TestRowsOfKeepTheFormula: a formula broken over rows is the same
// formula. Rows joined again (a continued product's \cdot dropped, \Bigl(
// \Bigr) read as \left( \right)) must print e itself, with at most some
// quotients a/b written (1/b)·a; a product breaks only where every group
// and bracket before the break is closed, and never after an operator
// that takes what follows (∂/∂x, a sign, \sum).
func TestRowsOfKeepTheFormula(t *testing.T) {
	r := New(nil, Options{})
	rng := rand.New(rand.NewPCG(8, 2))
	broke := 0
	for it := 0; it < 400; it++ {
		e := canonical(randBreakExpr(rng, 4))
		for _, limit := range []float64{15, 30, 60} {
			rows := r.rowsOf(e, limit)
			if len(rows) > 1 {
				broke++
			}
			var joined []string
			for i, row := range rows {
				if i > 0 && !balanced(strings.Join(joined, " ")) {
					t.Errorf("%v at %v: a row ends inside a group or \\left \\right:\n%q", e, limit, rows)
				}
				if rest, ok := strings.CutPrefix(row, `\cdot `); ok && i > 0 {
					before := strings.Join(joined, " ")
					for _, op := range []string{"}", "+", "-"} {
						if strings.HasSuffix(strings.TrimSpace(before), `\partial x}`) || strings.HasSuffix(strings.TrimSpace(before), op) && op != "}" {
							t.Errorf("%v at %v: a product breaks after an operator:\n%q", e, limit, rows)
						}
					}
					row = rest
				}
				joined = append(joined, row)
			}
			got := norm(strings.Join(joined, " "))
			qs := quotientsOf(e)
			if len(qs) > 6 {
				qs = qs[:6]
			}
			ok := false
			for mask := 0; mask < 1<<len(qs) && !ok; mask++ {
				// Top down, so that a quotient inside a rewritten one is
				// found as written (ast.Map would see it rebuilt).
				var rewrite func(y ast.Expr) ast.Expr
				rewrite = func(y ast.Expr) ast.Expr {
					for i, q := range qs {
						if mask&(1<<i) != 0 && y == ast.Expr(q) {
							return ast.NewMul(ast.NewDiv(ast.One, rewrite(q.Y)), rewrite(q.X))
						}
					}
					kids := ast.Children(y)
					if len(kids) == 0 {
						return y
					}
					nk := make([]ast.Expr, len(kids))
					for i, k := range kids {
						nk[i] = rewrite(k)
					}
					return ast.WithChildren(y, nk)
				}
				e2 := rewrite(e)
				ok = got == norm(r.tex(e2))
			}
			if !ok {
				t.Fatalf("%v at %v: the rows are another formula:\n%q\nwhole: %s", e, limit, rows, r.tex(e))
			}
		}
	}
	if broke < 200 {
		t.Fatalf("only %d of 1200 formulas were broken: the test checks too little", broke)
	}
}

func norm(s string) string {
	s = strings.NewReplacer(`\Bigl(`, `\left(`, `\Bigr)`, `\right)`).Replace(s)
	return strings.TrimSpace(spaces.ReplaceAllString(s, " "))
}

// balanced reports whether the groups and \left \right pairs of s are
// closed: TeX cannot end a row inside either (a plain bracket can).
func balanced(s string) bool {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && strings.ContainsRune("{}", rune(s[i+1])) {
			i++
			continue
		}
		switch s[i] {
		case '{':
			n++
		case '}':
			n--
		}
	}
	return n == 0 && strings.Count(s, `\left`) == strings.Count(s, `\right`)
}

// TestSplitWhyKeepsTheWords: a justification broken over rows says the
// same: its words and formulas, in order, once \text groups and the
// spaces and punctuation of the breaks are set aside; and every row fits.
func TestSplitWhyKeepsTheWords(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 3))
	words := []string{"chain", "rule", "(abs(u)", "=", "u", "where", "u", ">=", "0,", "by", "sign", "analysis,", "-1", "or", "0)", "definition", "of"}
	eqs := []string{`\lvert u \rvert^{2} = u^{2}`, `\sigma'(u) = \sigma(u) \left(1 - \sigma(u)\right)`, `\log'(u) = \frac{1}{u}`}
	strip := func(s string) string {
		s = strings.NewReplacer(`\text{`, "", "}", "", `\ `, "", " ", "", ",", "", ";", "", "{", "").Replace(s)
		return s
	}
	for it := 0; it < 300; it++ {
		var parts []string
		for p := 0; p < 1+rng.IntN(3); p++ {
			var ws []string
			for w := 0; w < 3+rng.IntN(30); w++ {
				ws = append(ws, words[rng.IntN(len(words))])
			}
			part := `\text{` + strings.Join(ws, " ") + `}`
			if rng.IntN(2) == 0 {
				var es []string
				for k := 0; k < 1+rng.IntN(3); k++ {
					es = append(es, eqs[rng.IntN(len(eqs))])
				}
				part += `\text{: } ` + strings.Join(es, `,\ `)
			}
			parts = append(parts, part)
		}
		why := strings.Join(parts, `;\ `)
		limit := 30 + float64(rng.IntN(60))
		rows := splitWhy(why, limit)
		if strip(strings.Join(rows, "")) != strip(why) {
			t.Fatalf("split at %v changes the justification:\n%s\n%q", limit, why, rows)
		}
		for _, row := range rows {
			// a single equation wider than the row cannot break
			if width(row) > limit && !strings.Contains(row, `=`) {
				t.Errorf("row %q is %.0f wide, limit %v", row, width(row), limit)
			}
		}
	}
}

// canonical flattens products in products and sums in sums, and lets
// numbers only lead a product, as the engine's forms do: a nested product
// prints without brackets, and the pieces would bracket it (the same
// formula, but not one this oracle can compare).
func canonical(e ast.Expr) ast.Expr {
	return ast.Map(e, func(y ast.Expr) ast.Expr {
		switch x := y.(type) {
		case *ast.Mul:
			var fs []ast.Expr
			for _, f := range x.Factors {
				if m, ok := f.(*ast.Mul); ok {
					fs = append(fs, m.Factors...)
				} else {
					fs = append(fs, f)
				}
			}
			for i, f := range fs {
				if _, ok := f.(*ast.Num); ok && i > 0 {
					fs[i] = ast.NewSym("z")
				}
			}
			return ast.NewMul(fs...)
		case *ast.Add:
			var ts []ast.Expr
			for _, t := range x.Terms {
				if a, ok := t.(*ast.Add); ok {
					ts = append(ts, a.Terms...)
				} else {
					ts = append(ts, t)
				}
			}
			return ast.NewAdd(ts...)
		}
		return y
	})
}
