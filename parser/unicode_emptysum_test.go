package parser_test

import (
	"fmt"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// TestUnicodeQuotientOfSumReadsBackSameValue (review5): a sum divided by
// something prints as Σ_{i=1}^{n} uᵢ/n, which reads back as the sum of
// the quotients. Over an empty range (n = 0) the two differ: the quotient
// of the sum divides 0 by 0, the sum of quotients has no term and is 0.
func TestUnicodeQuotientOfSumReadsBackSameValue(t *testing.T) {
	b := ast.Bindings{"n": ast.Scalar(0), "u": ast.Value{Shape: []int{2}, Data: []float64{1, 2}}}
	for _, src := range []string{
		"sum(i=1..n, u[i])/n",
		"sum(i=1..n, u[i])/sum(j=1..n, u[j])",
	} {
		e, err := parser.ParseExpr(src, nil)
		if err != nil {
			t.Fatal(err)
		}
		u := ast.UnicodeString(e)
		back, err := parser.ParseExpr(u, nil)
		if err != nil {
			t.Fatalf("%s prints as %s, which does not parse: %v", src, u, err)
		}
		v1, err1 := ast.Eval(e, nil, b)
		v2, err2 := ast.Eval(back, nil, b)
		if fmt.Sprint(v1, err1 != nil) != fmt.Sprint(v2, err2 != nil) {
			t.Errorf("%s prints as %s, which reads back as %s: at n = 0 %v (%v) became %v (%v)",
				src, u, ast.String(back), v1, err1, v2, err2)
		}
	}
}
