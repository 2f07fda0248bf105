package workload

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/cmd/internal/session"
	"github.com/symdiff/symdiff/parser"
)

// small are the workloads at sizes the tests can afford.
func small() []*Workload {
	return []*Workload{CE(3, 2), MSE(3, 2), SinNest(6), PowerSum(7), Product(6), CEHessian(3, 2)}
}

// derivative runs a Diff workload through a session as symdiff diff does.
func derivative(t *testing.T, w *Workload) (*parser.Context, ast.Expr, ast.Expr) {
	t.Helper()
	s := session.New()
	pc := s.Context()
	input, err := parser.ParseExpr(w.Input, pc)
	if err != nil {
		t.Fatalf("%s: %v", w.Title(), err)
	}
	target, err := parser.ParseExpr(w.Statement(), pc)
	if err != nil {
		t.Fatalf("%s: %v", w.Title(), err)
	}
	res, err := s.Simplify(context.Background(), target)
	if err != nil {
		t.Fatalf("%s: %v", w.Title(), err)
	}
	return pc, input, res.Expr
}

// TestCheckDiff: the check accepts symdiff's answers at small sizes and
// rejects wrong ones: the derivative by another variable, the answer
// off by one part in a million, the input itself, and a right value in a
// form larger than the residual form.
func TestCheckDiff(t *testing.T) {
	bg := context.Background()
	for _, w := range small() {
		pc, input, got := derivative(t, w)
		if err := CheckDiff(bg, w, pc, input, got); err != nil {
			t.Errorf("right answer rejected: %v", err)
		}
		wrong := []ast.Expr{
			ast.NewMul(got, ast.NewNum(ast.Frac(1000001, 1000000))),
			input,
		}
		if w.Var == "w1" {
			_, _, byW2 := derivative(t, &Workload{Input: w.Input, Var: "w2", Var2: w.Var2})
			wrong = append(wrong, byW2)
		}
		for _, e := range wrong {
			if err := CheckDiff(bg, w, pc, input, e); err == nil {
				t.Errorf("%s: wrong answer %.80s accepted", w.Title(), ast.String(e))
			} else {
				t.Logf("rejected as it should be: %.200v", err)
			}
		}
	}
	// The residual form's value in a larger form (plus the input, minus
	// the input, twice) is not the residual form.
	w := CE(3, 2)
	pc := session.New().Context()
	input, _ := parser.ParseExpr(w.Input, pc)
	answer, _ := parser.ParseExpr(w.Answer, pc)
	large := ast.NewAdd(answer, input, ast.NewNeg(input), input, ast.NewNeg(input))
	if err := CheckDiff(bg, w, pc, input, large); err == nil || !strings.Contains(err.Error(), "residual form") {
		t.Errorf("unsimplified derivative accepted as the residual form: %v", err)
	}
}

// TestDAGEval: the DAG evaluator the check uses for results too large to
// evaluate as trees agrees with ast.Eval on the small workloads' results
// and inputs.
func TestDAGEval(t *testing.T) {
	for _, w := range small() {
		_, input, got := derivative(t, w)
		at := w.Point(rand.New(rand.NewPCG(3, 15)))
		for _, e := range []ast.Expr{input, got} {
			want, err := ast.Eval(e, nil, bindings(at))
			if err != nil {
				t.Fatal(err)
			}
			v, err := dagEval(e, at, map[ast.Expr]float64{})
			if err != nil || !closeTo(v, want) {
				t.Errorf("%s: %.60s: DAG evaluation %v (%v), ast.Eval %v", w.Title(), ast.String(e), v, err, want)
			}
		}
	}
	if _, err := dagEval(ast.NewCall("tanh", ast.NewSym("x")), map[string]float64{"x": 1}, map[ast.Expr]float64{}); err == nil {
		t.Error("a function it does not know was evaluated")
	}
}

// TestCheckParse: the definitions of W7 parse to as many definitions as
// written, with the values Go computes; a file with one line fewer fails.
func TestCheckParse(t *testing.T) {
	w := Definitions(20000)
	pc := session.New().Context()
	stmts, err := parser.ParseFile("defs.sd", w.Input, pc)
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckParse(w, stmts); err != nil {
		t.Error(err)
	}
	if err := CheckParse(w, stmts[:len(stmts)-1]); err == nil {
		t.Error("a missing definition was not noticed")
	}
	// The value check fails when a body is not the one Go computes: a1
	// given a2's.
	swapped := append([]*parser.Statement{}, stmts...)
	d := *stmts[1].Stmt.(*ast.DefStmt).Def
	d.Name = "a1"
	swapped[0] = &parser.Statement{Stmt: &ast.DefStmt{Def: &d}}
	if err := CheckParse(w, swapped); err == nil {
		t.Error("a wrong body for a1 was not noticed")
	}
}

// TestSuite: All lists W1–W8 at every size of the issue, with distinct
// keys (benchmark names).
func TestSuite(t *testing.T) {
	seen := map[string]bool{}
	count := map[string]int{}
	for _, w := range All() {
		if seen[w.Key()] {
			t.Errorf("key %s twice", w.Key())
		}
		seen[w.Key()] = true
		count[w.ID]++
	}
	want := map[string]int{"W1": 4, "W2": 4, "W3": 3, "W4": 3, "W5": 3, "W6": 4, "W7": 1, "W8": 2}
	if fmt.Sprint(count) != fmt.Sprint(want) {
		t.Errorf("workloads per ID %v, want %v", count, want)
	}
	if w := Definitions(1 << 20); len(w.Input) < 1<<20 || len(w.Input) > 1<<20+200 {
		t.Errorf("W7 is %d bytes, want 1 MiB", len(w.Input))
	}
}
