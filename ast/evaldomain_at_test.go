package ast_test

import (
	"errors"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestEvalDomainErrorAt (evalpos11): a DomainError says at which
// subexpression it happened (At) and at which values of the sums' indices
// (Index). The oracle: At is a node of the expression (or of a
// definition's body), and At evaluated alone, with the index values bound
// as names, fails with the same message; the node and values wanted are
// given by hand too.
func TestEvalDomainErrorAt(t *testing.T) {
	for _, tc := range []struct {
		src   string
		b     ast.Bindings
		at    string
		index []ast.IndexValue // innermost first
	}{
		{"1 + 2/(x - 1)", ast.Bindings{"x": ast.Scalar(1)}, "2/(x - 1)", nil},
		{"exp(log(x) + 1)", ast.Bindings{"x": ast.Scalar(0)}, "log(x)", nil},
		{"(x - 2)^(-3)*5", ast.Bindings{"x": ast.Scalar(2)}, "(x - 2)^-3", nil},
		{"sum(i=1..4, sqrt(2 - i))", nil, "sqrt(2 - i)", []ast.IndexValue{{Var: "i", Value: 3}}},
		{"sum(j=1..3, sum(i=1..3, 1/(i - j*2)))", nil, "1/(i - j*2)", []ast.IndexValue{{Var: "i", Value: 2}, {Var: "j", Value: 1}}},
		{"f(x) := 1/(x - 3)\n2*f(3)", nil, "1/(x - 3)", nil},
	} {
		e, defs := script(t, tc.src)
		_, err := ast.Eval(e, defs, tc.b)
		var de *ast.DomainError
		if !errors.As(err, &de) || de.At == nil {
			t.Errorf("%s: %v, want a DomainError with its place", tc.src, err)
			continue
		}
		if got := ast.String(de.At); got != tc.at {
			t.Errorf("%s: At %s, want %s", tc.src, got, tc.at)
		}
		if len(de.Index) != len(tc.index) {
			t.Errorf("%s: Index %v, want %v", tc.src, de.Index, tc.index)
		} else {
			for k := range de.Index {
				if de.Index[k] != tc.index[k] {
					t.Errorf("%s: Index %v, want %v", tc.src, de.Index, tc.index)
				}
			}
		}
		b := ast.Bindings{}
		for n, v := range tc.b {
			b[n] = v
		}
		for _, iv := range de.Index {
			b[iv.Var] = ast.Scalar(float64(iv.Value))
		}
		if d, ok := defs.Lookup("f"); ok && len(d.Params) == 1 {
			b[d.Params[0]] = ast.Scalar(3) // the argument f was called with
		}
		_, aerr := ast.Eval(de.At, defs, b)
		var ade *ast.DomainError
		if !errors.As(aerr, &ade) || ade.Msg != de.Msg {
			t.Errorf("%s: At %s alone gives %v, want %q", tc.src, tc.at, aerr, de.Msg)
		}
	}
}
