package session

import (
	"context"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/simplify/matrix"
)

// TestDeriveMatrix: Derive (diff --steps) of a matrix derivative gives the
// whole chain, from the input through index form back to the value a
// statement prints.
func TestDeriveMatrix(t *testing.T) {
	s := New()
	s.Declare("A", ast.MatrixShape(ast.NewSym("d"), ast.NewSym("d")))
	e, err := parser.ParseExpr("logdet(inv(A))", s.Context())
	if err != nil {
		t.Fatal(err)
	}
	d, _, err := s.Derive(context.Background(), e, ast.NewSym("A"))
	if err != nil {
		t.Fatal(err)
	}
	r := &Result{}
	if err := s.MatrixValue(context.Background(), r, ast.NewDeriv(e, ast.NewSym("A"))); err != nil {
		t.Fatal(err)
	}
	if d.Result != r.Value || ast.String(d.Result) != "-inv(A)'" {
		t.Errorf("the derivation ends in %s, the value is %s", ast.String(d.Result), ast.String(r.Value))
	}
	var rules []string
	for _, l := range d.Lines {
		rules = append(rules, l.Step.Rule.Name)
	}
	first, last := d.Lines[0].Step.Rule, d.Lines[len(d.Lines)-1].Step.Rule
	if first != matrix.PassIdentities || last != matrix.RuleFromIndex || d.Lines[1].Step.Rule.Name != matrix.RuleToIndex.Name {
		t.Errorf("steps %v: want the identities, index form, ..., back to matrix notation", rules)
	}
}
