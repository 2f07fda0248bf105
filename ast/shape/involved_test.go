package shape_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/ast/shape"
)

// involvedRef is Involved by its definition, recursively: a MatOp, a
// declared non-scalar name, or a defined name whose body is involved.
func involvedRef(env *shape.Env, defs *ast.Defs, e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.MatOp:
		return true
	case *ast.Sym:
		if s, ok := env.Decls[x.Name]; ok && !s.IsScalar() {
			return true
		}
		if d, ok := defs.Lookup(x.Name); ok && d.Kind == ast.DefScalar && involvedRef(env, defs, d.Body) {
			return true
		}
	}
	for _, k := range ast.Children(e) {
		if involvedRef(env, defs, k) {
			return true
		}
	}
	return false
}

// TestInvolvedAgrees compares Involved with its definition on random
// expressions over random declarations and chains of definitions.
func TestInvolvedAgrees(t *testing.T) {
	names := []string{"a", "b", "c", "v", "s", "d0", "d1", "d2", "d3", "d4"}
	yes, no := 0, 0
	for seed := range uint64(500) {
		r := rand.New(rand.NewPCG(seed, 10))
		decls := map[string]ast.Shape{}
		for _, n := range []string{"a", "b", "c", "v", "s"} {
			switch r.IntN(4) {
			case 0:
				decls[n] = ast.VectorShape(ast.NewInt(3))
			case 1:
				decls[n] = ast.ScalarShape
			}
		}
		var gen func(depth, maxDef int) ast.Expr
		gen = func(depth, maxDef int) ast.Expr {
			if depth == 0 || r.IntN(4) == 0 {
				k := r.IntN(5 + maxDef)
				if r.IntN(6) == 0 {
					return ast.NewInt(int64(k))
				}
				return ast.NewSym(names[k])
			}
			switch r.IntN(6) {
			case 0:
				return ast.NewAdd(gen(depth-1, maxDef), gen(depth-1, maxDef))
			case 1:
				return ast.NewMul(gen(depth-1, maxDef), gen(depth-1, maxDef))
			case 2:
				return ast.NewCall("sin", gen(depth-1, maxDef))
			case 3:
				return ast.NewIndex("w", gen(depth-1, maxDef))
			case 4:
				if r.IntN(8) == 0 {
					return ast.NewMatOp(ast.MatSumAll, gen(depth-1, maxDef))
				}
			}
			return ast.NewPow(gen(depth-1, maxDef), ast.NewInt(2))
		}
		defs := &ast.Defs{}
		for i := range 5 {
			// d_i uses only a, b, c, v, s and d_j for j < i.
			if r.IntN(5) == 0 {
				continue
			}
			if err := defs.Define(&ast.Def{Name: fmt.Sprintf("d%d", i), Kind: ast.DefScalar, Body: gen(3, i)}); err != nil {
				t.Fatal(err)
			}
		}
		env := shape.New(decls, defs)
		for range 10 {
			e := gen(4, 5)
			got, want := env.Involved(e), involvedRef(env, defs, e)
			if got != want {
				t.Fatalf("seed %d: Involved(%s) = %v, want %v (declared %v)", seed, ast.String(e), got, want, decls)
			}
			if want {
				yes++
			} else {
				no++
			}
		}
	}
	if yes < 500 || no < 500 {
		t.Errorf("%d involved and %d not: the draw does not test both", yes, no)
	}
}

// TestInvolvedDeep: a chain 200,000 deep is walked without a stack as
// deep (the recursion grew it by tens of megabytes).
func TestInvolvedDeep(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 400,000 nodes")
	}
	e := ast.Expr(ast.NewSym("x"))
	for range 200_000 {
		e = ast.NewCall("sin", ast.NewAdd(e, ast.One))
	}
	env := shape.New(map[string]ast.Shape{"v": ast.VectorShape(ast.NewInt(3))}, nil)
	var got bool
	var before, after runtime.MemStats
	done := make(chan struct{})
	go func() {
		defer close(done)
		runtime.ReadMemStats(&before)
		got = env.Involved(e)
		runtime.ReadMemStats(&after)
	}()
	<-done
	if got {
		t.Error("a scalar chain is involved")
	}
	if grown := int64(after.StackInuse) - int64(before.StackInuse); grown > 4<<20 {
		t.Errorf("the stacks grew by %d MB", grown>>20)
	}
	if !env.Involved(ast.NewAdd(e, ast.NewSym("v"))) {
		t.Error("the chain plus a vector is not involved")
	}
}
