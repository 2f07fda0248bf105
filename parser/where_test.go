package parser_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// sinChainDerivative is d/dx of sin nested n deep as the engine computes
// it: the product of cos(sin^k(x)) for k < n, a tree quadratic in n and a
// DAG linear in it.
func sinChainDerivative(n int) ast.Expr {
	var s ast.Expr = ast.NewSym("x")
	fs := make([]ast.Expr, n)
	for k := range n {
		fs[k] = ast.NewCall("cos", s)
		s = ast.NewCall("sin", s)
	}
	return ast.NewMul(fs...)
}

// tower is ((x + 1)^2 + y)^2 ... n deep, with each level used twice: a
// tree exponential in n.
func tower(base ast.Expr, n int) ast.Expr {
	e := base
	for i := range n {
		e = ast.NewAdd(ast.NewMul(e, e), ast.NewCall("sin", e), ast.NewInt(int64(i)))
	}
	return e
}

// TestWhereRoundTrip: a result printed with named subexpressions parses
// back to the same (hash-consed) expression, and its text is linear in
// the DAG.
func TestWhereRoundTrip(t *testing.T) {
	g := &treeGen{r: rand.New(rand.NewPCG(7, 0x5eed))}
	cases := map[string]ast.Expr{
		"sin chain 300":  sinChainDerivative(300),
		"sin chain 5000": sinChainDerivative(5000),
		"tower":          tower(ast.NewAdd(ast.NewSym("x"), ast.One), 14),
		"names taken":    tower(ast.NewAdd(ast.NewSym("u1"), ast.NewSym("v_2")), 12),
		// Every prefix of the list taken, and the fallback's too: u_1
		// once came out as a name of the where clause, capturing the
		// variable u_1.
		"all names taken": tower(ast.NewAdd(ast.NewSym("u_1"), ast.NewMul(ast.NewSym("u1"), ast.NewSym("v1"), ast.NewSym("w1"),
			ast.NewSym("t1"), ast.NewSym("s1"), ast.NewSym("r1"), ast.NewSym("q1"), ast.NewSym("u__2"))), 12),
	}
	for i := range 20 {
		cases["random "+string(rune('a'+i))] = tower(g.expr(1+i%5, nil), 10+i%3)
	}
	for name, e := range cases {
		t.Run(name, func(t *testing.T) {
			s, err := ast.FormatWhere(e, ast.Plain)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(s, " where ") {
				t.Fatalf("no names given for a tree of %d nodes: %.200s", e.Size(), s)
			}
			got, err := parser.ParseExpr(s, userFuncs())
			if err != nil {
				t.Fatalf("%.300s\ndoes not parse: %v", s, err)
			}
			if got != e {
				t.Fatalf("%.300s\nparses to another expression: %.300s", s, ast.String(got))
			}
			if dag := dagSize(e); int64(len(s)) > 40*dag {
				t.Errorf("%d bytes printed for a DAG of %d nodes", len(s), dag)
			}
		})
	}
}

func dagSize(e ast.Expr) int64 {
	n := int64(0)
	ast.InspectOnce(e, func(ast.Expr) bool { n++; return true })
	return n
}

// TestWhereThreshold: below the threshold nothing is named, and the
// output is the tree as String prints it.
func TestWhereThreshold(t *testing.T) {
	for _, e := range []ast.Expr{
		sinChainDerivative(10), // 65 nodes
		tower(ast.NewSym("x"), 5),
		wideSum(2000),    // large, but hardly shared
		sumOfProducts(6), // shared factors, but short (larger: named prefixes and suffixes)
	} {
		s, err := ast.FormatWhere(e, ast.Plain)
		if err != nil || s != ast.String(e) {
			t.Errorf("%.200s: got %.200s (%v)", ast.String(e), s, err)
		}
	}
}

// sumOfProducts is d/dx (x+1)...(x+n): the n products of n-1 factors.
func sumOfProducts(n int) ast.Expr {
	x := ast.NewSym("x")
	terms := make([]ast.Expr, n)
	for k := range n {
		var fs []ast.Expr
		for j := range n {
			if j != k {
				fs = append(fs, ast.NewAdd(x, ast.NewInt(int64(j+1))))
			}
		}
		terms[k] = ast.NewMul(fs...)
	}
	return ast.NewAdd(terms...)
}

func wideSum(n int) ast.Expr {
	terms := make([]ast.Expr, n)
	for i := range terms {
		terms[i] = ast.NewMul(ast.NewInt(int64(i+2)), ast.NewCall("sin", ast.NewIndex("w", ast.NewInt(int64(i)))))
	}
	return ast.NewAdd(terms...)
}

// TestWhereExample: the form of the output, which the README shows.
func TestWhereExample(t *testing.T) {
	e := sinChainDerivative(50)
	s, _ := ast.FormatWhere(e, ast.Plain)
	const head = "cos(x)*cos(u1)*cos(u2)*"
	const tail = "u47 = sin(u46), u48 = sin(u47)"
	if !strings.HasPrefix(s, head) || !strings.HasSuffix(s, tail) || !strings.Contains(s, " where u1 = sin(x), u2 = sin(u1), ") {
		t.Errorf("got %.300s ... %s", s, s[max(0, len(s)-100):])
	}
	tex, _ := ast.FormatWhere(e, ast.LaTeX)
	if !strings.Contains(tex, `\quad \text{where } u_{1} = \sin`) {
		t.Errorf("LaTeX: %.300s", tex)
	}
}

// TestWhereErrors: the mistakes a where clause can hold, with the place.
func TestWhereErrors(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"u2*cos(x) where u2 = sin(u1), u1 = sin(x)", `1:26: u1 is used before it is defined: in a where clause, each name may use only the names before it
    u2*cos(x) where u2 = sin(u1), u1 = sin(x)
                             ^`},
		{"u1 where u1 = u1 + 1", `1:15: u1 is used before it is defined: in a where clause, each name may use only the names before it
    u1 where u1 = u1 + 1
                  ^`},
		{"u1 where u1 = 2, u1 = 3", `1:18: u1 is named twice in the where clause (first at 1:10)
    u1 where u1 = 2, u1 = 3
                     ^`},
		{"u1 where sin = 2", `1:10: sin is a built-in function: choose another name
    u1 where sin = 2
             ^`},
		{"u1 where u1 2", `1:13: expected "=" after u1 in a where clause, found the number 2
    u1 where u1 2
                ^`},
		{"u1 where", `1:9: expected a name after "where", found the end of the line
    u1 where
            ^`},
		{"u1 where u1 = 1,", `1:16: the input ends after ",": expected an expression
    u1 where u1 = 1,
                   ^`},
	} {
		_, err := parser.ParseExpr(c.src, nil)
		if err == nil || err.Error() != c.want {
			t.Errorf("%s:\ngot  %v\nwant %s", c.src, err, c.want)
		}
	}
	// The names stand for their expressions, later ones using earlier.
	got, err := parser.ParseExpr("u2*cos(x) + u1 where u1 = sin(x), u2 = sin(u1)", nil)
	want, _ := parser.ParseExpr("sin(sin(x))*cos(x) + sin(x)", nil)
	if err != nil || got != want {
		t.Errorf("got %v (%v), want %v", got, err, want)
	}
}

// TestDeepPrintsBack: an expression nested deeper than the parser reads
// brackets (MaxNesting) prints with its deep parts named every
// ast.ShareMaxDepth levels, and so parses back to itself; one nested less
// than ast.ShareMaxDepth deep prints as it is. sin nested 100,000 deep
// printed as 100,000 brackets, which did not read back.
func TestDeepPrintsBack(t *testing.T) {
	x, y := ast.NewSym("x"), ast.NewSym("y")
	chain := func(n int, step func(ast.Expr, int) ast.Expr) ast.Expr {
		e := ast.Expr(x)
		for i := range n {
			e = step(e, i)
		}
		return e
	}
	sin := func(e ast.Expr, _ int) ast.Expr { return ast.NewCall("sin", e) }
	cases := []struct {
		name  string
		e     ast.Expr
		named bool
	}{
		{"sin 999", chain(ast.ShareMaxDepth-1, sin), false},
		{"sin 1000", chain(ast.ShareMaxDepth, sin), true},
		{"sin 20001", chain(parser.MaxNesting+1, sin), true},
		{"sin 100000", chain(100_000, sin), true},
		{"powers 30000", chain(30_000, func(e ast.Expr, i int) ast.Expr {
			return ast.NewPow(ast.NewAdd(e, ast.NewInt(int64(i+1))), ast.NewInt(2))
		}), true},
		{"quotients 30000", chain(30_000, func(e ast.Expr, _ int) ast.Expr {
			return ast.NewDiv(ast.One, ast.NewAdd(y, e))
		}), true},
		{"mixed 30000", chain(30_000, func(e ast.Expr, i int) ast.Expr {
			switch i % 3 {
			case 0:
				return ast.NewNeg(ast.NewMul(y, ast.NewCall("exp", e)))
			case 1:
				return ast.NewCall("max", e, y)
			}
			return ast.NewPow(y, ast.NewAdd(e, ast.One))
		}), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := ast.FormatWhere(c.e, ast.Plain)
			if err != nil {
				t.Fatal(err)
			}
			if named := strings.Contains(s, " where "); named != c.named {
				t.Fatalf("names given: %v, want %v: %.200s", named, c.named, s)
			}
			if d := bracketDepth(s); d > parser.MaxNesting/4 {
				t.Errorf("brackets nest %d deep", d)
			}
			got, err := parser.ParseExpr(s, userFuncs())
			if err != nil {
				t.Fatalf("%.300s\ndoes not parse: %v", s, err)
			}
			if got != c.e {
				t.Fatalf("%.300s\nparses to another expression: %.300s", s, ast.String(got))
			}
		})
	}
}

// bracketDepth is how deep the brackets of s nest.
func bracketDepth(s string) int {
	d, deepest := 0, 0
	for _, c := range s {
		switch c {
		case '(', '[':
			d++
			deepest = max(deepest, d)
		case ')', ']':
			d--
		}
	}
	return deepest
}
