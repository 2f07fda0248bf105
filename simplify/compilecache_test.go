package simplify_test

import (
	"os"
	"sync"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify"
)

// TestCompileCacheCorpus: the rules compiled once and shared between
// simplifiers give exactly what each simplifier compiling its own gives,
// on the corpus of real losses (testdata/corpus) and the MSE benchmark:
// the same hash-consed nodes (pointer-equal) for the result and the
// canonical form, and the same trace, step by step.
func TestCompileCacheCorpus(t *testing.T) {
	src, err := os.ReadFile("../testdata/corpus/losses.sd")
	if err != nil {
		t.Fatal(err)
	}
	defs := &ast.Defs{}
	stmts, err := parser.ParseFile("losses.sd", string(src), load.Context(builtin, defs))
	if err != nil {
		t.Fatal(err)
	}
	type job struct {
		text string
		e    ast.Expr
		defs *ast.Defs
	}
	var jobs []job
	for _, st := range stmts {
		switch x := st.Stmt.(type) {
		case *ast.DefStmt:
			if err := defs.Define(x.Def); err != nil {
				t.Fatalf("%s: %v", st.Text, err)
			}
		case *ast.ExprStmt:
			jobs = append(jobs, job{st.Text, x.X, defs.Clone()})
		}
	}
	if len(jobs) < 30 {
		t.Fatalf("only %d expressions in the corpus", len(jobs))
	}
	mse := "d(" + mseWrittenOut(3, 2) + ", w1)"
	jobs = append(jobs, job{mse, mustParse(t, mse, nil), nil})
	defer simplify.SetCompileCache(true)
	run := func(j job, cached bool) *simplify.Result {
		t.Helper()
		simplify.SetCompileCache(cached)
		res, err := simplify.Simplify(bg, j.e, simplify.Options{Rules: builtin, Defs: j.defs})
		if err != nil {
			t.Fatalf("%s: %v", j.text, err)
		}
		return res
	}
	shared := 0 // expressions whose rules were compiled once and shared
	for _, j := range jobs {
		simplify.ResetCaches()
		want := run(j, false)
		simplify.ResetCaches()
		cold := run(j, true)
		if simplify.CompileCacheLen() > 0 {
			shared++
		}
		warm := run(j, true) // from the compiled rules cold left
		for name, got := range map[string]*simplify.Result{"cold": cold, "warm": warm} {
			if got.Expr != want.Expr || got.Canonical != want.Canonical || got.Stop != want.Stop {
				t.Errorf("%s (%s cache): %s (canonical %s, %v), uncached %s (canonical %s, %v)", j.text, name,
					ast.String(got.Expr), ast.String(got.Canonical), got.Stop, ast.String(want.Expr), ast.String(want.Canonical), want.Stop)
				continue
			}
			if len(got.Trace) != len(want.Trace) {
				t.Errorf("%s (%s cache): %d steps, uncached %d", j.text, name, len(got.Trace), len(want.Trace))
				continue
			}
			for i, st := range got.Trace {
				w := want.Trace[i]
				if st.Rule != w.Rule || st.Before != w.Before || st.After != w.After || len(st.Sub) != len(w.Sub) {
					t.Errorf("%s (%s cache): step %d is %s, uncached %s", j.text, name, i, st.Rule.Name, w.Rule.Name)
					break
				}
			}
		}
	}
	if shared < len(jobs)/2 {
		t.Errorf("the compiled rules were shared for only %d of %d expressions", shared, len(jobs))
	}
	t.Logf("compiled rules shared for %d of %d expressions", shared, len(jobs))
}

// TestCompileCacheConcurrent: simplifiers started at once from a cold
// cache (as `run --jobs` does) share the compiled rules and give the
// results they give one at a time. Run with -race.
func TestCompileCacheConcurrent(t *testing.T) {
	srcs := []string{"d(" + mseWrittenOut(3, 2) + ", w1)", "d(" + mseWrittenOut(2, 3) + ", w3)",
		"d(log(1 + exp(-y*z)), z)", "d((sigma(z) - y)^2, z)", "d(sigma(x)*(1 - sigma(x)), x)", "d((tanh(w*x) - y)^2, w)"}
	want := make([]ast.Expr, len(srcs))
	es := make([]ast.Expr, len(srcs))
	for i, src := range srcs {
		es[i] = mustParse(t, src, nil)
		res, err := simplify.Simplify(bg, es[i], simplify.Options{Rules: builtin})
		if err != nil {
			t.Fatal(err)
		}
		want[i] = res.Expr
	}
	simplify.ResetCaches()
	got := make([]ast.Expr, 4*len(srcs))
	var wg sync.WaitGroup
	for k := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if res, err := simplify.Simplify(bg, es[k%len(es)], simplify.Options{Rules: builtin}); err == nil {
				got[k] = res.Expr
			}
		}()
	}
	wg.Wait()
	for k, g := range got {
		if w := want[k%len(want)]; g != w {
			t.Errorf("%s concurrently: %v, alone %s", srcs[k%len(srcs)], g, ast.String(w))
		}
	}
	if simplify.CompileCacheLen() == 0 {
		t.Error("the compiled rules were not shared")
	}
}
