package parser

import (
	"github.com/symdiff/symdiff/ast"
)

// verb lowers a call to an algebra verb (expand(E), apart(E, x), ...):
// a Call node the session evaluates. The variable of apart, collect and
// subs must be a name or an indexed name (collect also takes a call such
// as sigma(z), which it treats as one variable). subs takes its
// substitutions as pairs, x = v or x, v, lowered to subs(E, x, v, y, w).
func (lw *lowerer) verb(n *callNode, v *ast.Verb) (ast.Expr, error) {
	if v.Pairs {
		switch {
		case len(n.args) < 2:
			return nil, lw.errorf(n.at, "%s takes an expression and one or more substitutions: write %s", v.Name, v.Usage)
		case len(n.args)%2 == 0:
			last := n.args[len(n.args)-1]
			return nil, lw.errorf(last.pos(), "this substitution has no value: write %s", v.Usage)
		}
	} else if len(n.args) != v.Arity {
		return nil, lw.errorf(n.at, "%s takes %s, found %d: write %s", v.Name, count(v.Arity, "argument", "arguments"), len(n.args), v.Usage)
	}
	args := make([]ast.Expr, len(n.args))
	for i, a := range n.args {
		e, err := lw.expr(a)
		if err != nil {
			return nil, err
		}
		args[i] = e
	}
	for i := 1; i < len(args) && v.Arity >= 2; i += 2 {
		_, isCall := args[i].(*ast.Call)
		switch args[i].(type) {
		case *ast.Sym, *ast.Index:
		default:
			if isCall && v.Name == "collect" {
				break
			}
			if v.Pairs {
				hint := v.Usage
				switch args[i+1].(type) {
				case *ast.Sym, *ast.Index: // subs(E, 2 = x): the sides swapped
					hint = "subs(E, " + ast.String(args[i+1]) + " = " + ast.String(args[i]) + ")"
				}
				return nil, lw.errorf(n.args[i].pos(), "%s replaces a name like x or w[k], not %s: write %s", v.Name, ast.String(args[i]), hint)
			}
			return nil, lw.errorf(n.args[i].pos(), "the second argument of %s must be a name like x or w[k]: write %s", v.Name, v.Usage)
		}
		if !v.Pairs {
			break
		}
		for j := 1; j < i; j += 2 {
			if args[j] == args[i] {
				return nil, lw.errorf(n.args[i].pos(), "%s is substituted twice: give each name one value", ast.String(args[i]))
			}
		}
	}
	return ast.NewCall(v.Name, args...), nil
}

// subsCall parses the arguments of subs after its name: the expression,
// then substitutions x = v (or x, v), read into a call with the arguments
// E, x, v, y, w, ... An "==" in a substitution is the usual slip, and
// a number before "=" the other (lowering checks the names: verb).
func (p *exprParser) subsCall(name *token) (Node, error) {
	at := name.spot()
	p.next() // (
	if isPunct(p.peek(), ")") {
		p.next()
		return &callNode{at: at, fn: name.Value}, nil
	}
	var out []Node
	for {
		x, err := p.binary(ast.PrecAdd)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
		t := p.peek()
		if len(out) > 1 && isPunct(t, "=") {
			p.next()
			v, err := p.binary(ast.PrecAdd)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
			t = p.peek()
		}
		if op, ok := isComparison(t); ok && op == ast.CondEq && len(out) > 1 {
			return nil, p.errorf(t, "a substitution is written with one \"=\": subs(E, x = v)")
		}
		if isPunct(t, ",") {
			p.next()
			continue
		}
		if isPunct(t, ")") {
			p.next()
			return &callNode{at: at, fn: name.Value, args: out}, nil
		}
		return nil, p.listError(t, ")", name)
	}
}
