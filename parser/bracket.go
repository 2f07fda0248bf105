package parser

import (
	"github.com/alecthomas/participle/v2/lexer"

	"github.com/symdiff/symdiff/ast"
)

// The Iverson bracket: a "[" where an operand starts (not after a name,
// where it indexes) opens [a <= b], or a chain [2 <= k <= n], valued 1
// where the comparisons hold and 0 where not. Operands are integers (indices
// and sizes), so a < b is read as a + 1 <= b.

// bracketNode is [x0 op x1 op x2 ...] with op "<=" or "<".
type bracketNode struct {
	at  spot
	xs  []Node
	ops []string
}

func (n *bracketNode) pos() spot { return n.at }

// bracket parses the rest of [a <= b ...] after the "[".
func (p *exprParser) bracket() (Node, error) {
	open := p.next()
	n := &bracketNode{at: open.spot()}
	for {
		x, err := p.binary(ast.PrecAdd)
		if err != nil {
			return nil, err
		}
		n.xs = append(n.xs, x)
		t := p.peek()
		if isPunct(t, "<=") || isPunct(t, "<") {
			p.next()
			n.ops = append(n.ops, t.Value)
			continue
		}
		if isPunct(t, "]") && len(n.ops) > 0 {
			p.next()
			return n, nil
		}
		if isPunct(t, "]") {
			return nil, p.errorf(t, "a bracket [...] states a condition: write [a <= b] or [1 <= k <= n]")
		}
		return nil, p.errorf(t, "expected \"<=\", \"<\" or \"]\" in the condition [a <= b], found %s", describe(t))
	}
}

// bracket lowers [a <= b < c] to Iverson nodes: a < b is a + 1 <= b at
// the start of a chain and a <= b - 1 further on, so that the chain stays
// one bracket; a chain that cannot (a <= b < c <= d) is a product.
func (lw *lowerer) bracket(n *bracketNode) (ast.Expr, error) {
	xs := make([]ast.Expr, len(n.xs))
	for i, x := range n.xs {
		e, err := lw.expr(x)
		if err != nil {
			return nil, err
		}
		xs[i] = e
	}
	type pair struct{ a, b ast.Expr }
	pairs := make([]pair, len(n.ops))
	for i, op := range n.ops {
		pairs[i] = pair{xs[i], xs[i+1]}
		switch {
		case op == "<" && i == 0:
			pairs[i].a = plus(xs[i], 1)
		case op == "<":
			pairs[i].b = plus(xs[i+1], -1)
		}
	}
	var factors []ast.Expr
	chain := []ast.Expr{pairs[0].a, pairs[0].b}
	for _, p := range pairs[1:] {
		if p.a == chain[len(chain)-1] {
			chain = append(chain, p.b)
			continue
		}
		factors = append(factors, ast.NewIverson(chain...))
		chain = []ast.Expr{p.a, p.b}
	}
	factors = append(factors, ast.NewIverson(chain...))
	return ast.NewMul(factors...), nil
}

// plus is e + d, folded when e is a number.
func plus(e ast.Expr, d int64) ast.Expr {
	if n, ok := e.(*ast.Num); ok {
		return ast.NewNum(n.Value.Add(ast.Int(d)))
	}
	return ast.NewAdd(e, ast.NewInt(d))
}

// The assume statement: assume x > 0, assume 0 < p < 1, assume k in 1..d,
// assume y[i] in {0, 1}, assume sum(c=1..K, t[i,c]) == 1.
type assumeSyntax struct {
	Pos  lexer.Position
	X    Node               `parser:"'assume' @@"`
	In   *inSyntax          `parser:"( 'in' @@"`
	Cmps []*assumeCmpSyntax `parser:"| @@+ )"`
}

type inSyntax struct {
	Set []Node `parser:"( '{' @@ ( ',' @@ )* '}'"`
	Lo  Node   `parser:"| @@ '..'"`
	Hi  Node   `parser:"@@ )"`
}

type assumeCmpSyntax struct {
	Op string `parser:"@('<' | '<=' | '>' | '>=' | '==')"`
	Y  Node   `parser:"@@"`
}

func (lw *lowerer) assume(a *assumeSyntax) (ast.Stmt, error) {
	x, err := lw.expr(a.X)
	if err != nil {
		return nil, err
	}
	st := &ast.AssumeStmt{X: x}
	if a.In != nil {
		st.In = true
		if a.In.Set != nil {
			for _, n := range a.In.Set {
				v, err := lw.expr(n)
				if err != nil {
					return nil, err
				}
				if _, ok := v.(*ast.Num); !ok {
					return nil, lw.errorf(n.pos(), "the values of a set are numbers: assume y[i] in {0, 1}")
				}
				st.Set = append(st.Set, v)
			}
			return st, nil
		}
		if _, ok := x.(*ast.Sym); !ok {
			return nil, lw.errorf(a.X.pos(), "a range is assumed for an index: assume k in 1..d")
		}
		if st.Lo, err = lw.expr(a.In.Lo); err != nil {
			return nil, err
		}
		if st.Hi, err = lw.expr(a.In.Hi); err != nil {
			return nil, err
		}
		return st, nil
	}
	for _, c := range a.Cmps {
		y, err := lw.expr(c.Y)
		if err != nil {
			return nil, err
		}
		st.Ops = append(st.Ops, c.Op)
		st.Rest = append(st.Rest, y)
	}
	return st, nil
}
