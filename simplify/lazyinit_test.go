package simplify_test

import (
	"context"
	"math"
	"slices"
	"sync"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify"
)

// TestLazyGoRules: the rules written in Go get their Apply on first use
// (goRuleList), not at initialisation. Goroutines racing to the first use
// (go test -race) all see the same list, and the list is the one the
// hand-kept goRuleChecks names, neither more nor fewer, each rule with
// its Apply set.
func TestLazyGoRules(t *testing.T) {
	lists := make([][]*rules.Rule, 16)
	var wg sync.WaitGroup
	for i := range lists {
		wg.Go(func() { lists[i] = simplify.Rules() })
	}
	wg.Wait()
	for i := range lists {
		if !slices.Equal(lists[i], lists[0]) {
			t.Fatalf("goroutine %d got another list of rules", i)
		}
	}
	seen := map[string]bool{}
	for _, r := range lists[0] {
		if r.Source.File != "simplify (built in)" {
			t.Errorf("rule %s: source %q", r.Name, r.Source)
		}
		if seen[r.Name] {
			t.Errorf("rule %s listed twice", r.Name)
		}
		seen[r.Name] = true
		if (r.Kind == rules.Simplify || r.Kind == rules.Basis) != (r.Apply != nil) {
			t.Errorf("rule %s (%s): Apply set %v", r.Name, r.Kind, r.Apply != nil)
		}
		if r.Apply != nil && goRuleChecks[r.Name].simplify == nil && goRuleChecks[r.Name].prove == nil {
			t.Errorf("rule %s has no entry in goRuleChecks", r.Name)
		}
	}
	for name := range goRuleChecks {
		if !seen[name] {
			t.Errorf("goRuleChecks names %s, which simplify.Rules() does not list (with its Apply)", name)
		}
	}
}

// TestSinTwelfthsValues: the closed forms that the sin and cos of
// multiples of pi/12 rewrite to, made on first use, have the values of
// math.Sin and math.Cos.
func TestSinTwelfthsValues(t *testing.T) {
	pi := ast.NewCall("pi")
	checked := 0
	for _, fn := range []string{"sin", "cos"} {
		for n := int64(-24); n <= 24; n++ {
			arg := ast.NewMul(ast.NewNum(ast.Frac(n, 12)), pi)
			res, err := simplify.Simplify(context.Background(), ast.NewCall(fn, arg), simplify.Options{Rules: load.Builtin()})
			if err != nil {
				t.Fatal(err)
			}
			got := res.Expr
			if c, ok := got.(*ast.Call); ok && (c.Fn == "sin" || c.Fn == "cos") {
				continue // no closed form for this n
			}
			v, err := ast.Eval(got, nil, nil)
			if err != nil {
				t.Fatalf("%s(%d*pi/12) = %s: %v", fn, n, ast.String(got), err)
			}
			want := math.Sin(float64(n) * math.Pi / 12)
			if fn == "cos" {
				want = math.Cos(float64(n) * math.Pi / 12)
			}
			if math.Abs(v-want) > 1e-12 {
				t.Errorf("%s(%d*pi/12) = %s = %v, want %v", fn, n, ast.String(got), v, want)
			}
			checked++
		}
	}
	if checked < 40 { // the multiples of pi/4 and pi/6 in -2pi..2pi: 2·(17+24-9)
		t.Errorf("only %d of the multiples of pi/12 had a closed form", checked)
	}
}
