package session_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/cmd/internal/session"
	"github.com/symdiff/symdiff/parser"
)

// exprError is an engine error about a subexpression, as the derive and
// simplify errors are.
type exprError struct {
	e   ast.Expr
	msg string
}

func (e *exprError) Error() string  { return e.msg }
func (e *exprError) Expr() ast.Expr { return e.e }

// funcs declares foo and bar as functions, as derivative rules would.
var funcs = &parser.Context{Funcs: map[string]int{"foo": 1, "bar": 1}}

func mustExpr(t *testing.T, src string) ast.Expr {
	t.Helper()
	e, err := parser.ParseExpr(src, funcs)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestAt checks where an error from running a statement is placed: at the
// subexpression it is about when the statement contains it, otherwise at
// the statement.
func TestAt(t *testing.T) {
	src := "a := 1\nL := y*log(p) + foo(x)^2\n"
	stmts, err := parser.ParseFile("m.sd", src, funcs)
	if err != nil {
		t.Fatal(err)
	}
	st := stmts[1]
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"about a subexpression", &exprError{mustExpr(t, "foo(x)"), "no derivative rule for foo"},
			`m.sd:2:17: no derivative rule for foo
    L := y*log(p) + foo(x)^2
                    ^`},
		{"wrapped", fmt.Errorf("in the body: %w", &exprError{mustExpr(t, "log(p)"), "log of what"}),
			`m.sd:2:8: in the body: log of what
    L := y*log(p) + foo(x)^2
           ^`},
		{"not in the statement", &exprError{mustExpr(t, "bar(x)"), "no derivative rule for bar"},
			`m.sd:2:1: no derivative rule for bar
    L := y*log(p) + foo(x)^2
    ^`},
		{"no expression", errors.New("stopped: the time limit was reached"),
			`m.sd:2:1: stopped: the time limit was reached
    L := y*log(p) + foo(x)^2
    ^`},
		{"positioned error keeps its place", parser.ErrorAt(src, parser.Pos{Filename: "m.sd", Offset: 7, Line: 2, Col: 1}, "own place"),
			`m.sd:2:1: own place
    L := y*log(p) + foo(x)^2
    ^`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := session.At(src, st, tt.err).Error()
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("At (-want +got):\n%s", diff)
			}
		})
	}
}
