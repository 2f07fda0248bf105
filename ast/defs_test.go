package ast_test

import (
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// def reads one definition, such as "f(u) := u*a", without checking it
// against others (ParseFile would refuse a cycle itself): the head and the
// body are parsed as expressions, in which f is a function.
func def(t *testing.T, src string) *ast.Def {
	t.Helper()
	head, body, ok := strings.Cut(src, ":=")
	if !ok {
		t.Fatalf("%q is not a definition", src)
	}
	ctx := &parser.Context{Funcs: map[string]int{"f": 1}}
	h, err := parser.ParseExpr(head, ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, err := parser.ParseExpr(body, ctx)
	if err != nil {
		t.Fatal(err)
	}
	names := func(es []ast.Expr) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.(*ast.Sym).Name)
		}
		return out
	}
	switch h := h.(type) {
	case *ast.Sym:
		return &ast.Def{Name: h.Name, Kind: ast.DefScalar, Body: b}
	case *ast.Index:
		return &ast.Def{Name: h.Name, Kind: ast.DefIndexed, Params: names(h.Indices), Body: b}
	case *ast.Call:
		return &ast.Def{Name: h.Fn, Kind: ast.DefFunc, Params: names(h.Args), Body: b}
	}
	t.Fatalf("bad head in %q", src)
	return nil
}

// TestDefineCycles defines each line in turn and checks the outcome: ""
// for success, else the error.
func TestDefineCycles(t *testing.T) {
	tests := []struct {
		name  string
		steps [][2]string // definition, want error
	}{
		{"self", [][2]string{{"a := a + 1", "recursive definition: a refers to itself"}}},
		{"self through a function", [][2]string{{"f(u) := f(u) + 1", "recursive definition: f refers to itself"}}},
		{"two steps", [][2]string{{"a := b + 1", ""}, {"b := 2*a", "recursive definition: b → a → b"}}},
		{"three steps", [][2]string{{"a := b", ""}, {"b := c", ""}, {"c := a", "recursive definition: c → a → b → c"}}},
		{"indexed", [][2]string{{"p[i] := q[i]", ""}, {"q[i] := p[i]", "recursive definition: q → p → q"}}},
		{"a parameter is not a reference", [][2]string{{"a := 1", ""}, {"f(a) := a + 1", ""}, {"a := f(2)", ""}}},
		{"a sum index is", [][2]string{{"a := sum(b=1..2, b)", ""}, {"b := a", "recursive definition: b → a → b"}}},
		{"redefining removes old references", [][2]string{
			{"a := b", ""}, {"a := 1", ""}, {"b := a", ""}}},
		{"redefining keeps other references", [][2]string{
			{"a := b", ""}, {"c := b", ""}, {"a := 1", ""}, {"b := c", "recursive definition: b → c → b"}}},
		{"redefinition creating a cycle", [][2]string{
			{"a := 1", ""}, {"b := a", ""}, {"c := b", ""}, {"a := c", "recursive definition: a → c → b → a"}}},
		{"a refused definition changes nothing", [][2]string{
			{"a := b", ""}, {"b := a", "recursive definition: b → a → b"}, {"b := 1", ""}, {"c := a + b", ""}}},
		{"diamond", [][2]string{{"a := b + c", ""}, {"b := d", ""}, {"c := d", ""}, {"d := 1", ""}, {"d := a", "recursive definition: d → a → b → d"}}},
	}
	for _, budget := range []int{0, 32} { // the users index built at once, or not at all
		restore := ast.SetReachBudget(budget)
		defer restore()
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%s/budget=%d", tt.name, budget), func(t *testing.T) {
				defs := &ast.Defs{}
				for _, st := range tt.steps {
					err := defs.Define(def(t, st[0]))
					got := ""
					if err != nil {
						got = err.Error()
						var ce *ast.CycleError
						if !errors.As(err, &ce) {
							t.Errorf("%q: error is a %T", st[0], err)
						}
					}
					if got != st[1] {
						t.Fatalf("Define(%q) = %q, want %q", st[0], got, st[1])
					}
				}
			})
		}
	}
}

func TestDefsRemoveAndClone(t *testing.T) {
	defs := &ast.Defs{}
	for _, s := range []string{"a := b", "b := 1", "c := a"} {
		if err := defs.Define(def(t, s)); err != nil {
			t.Fatal(err)
		}
	}
	c := defs.Clone()
	defs.Remove("c")
	defs.Remove("nothing")
	if got, want := defs.Names(), []string{"a", "b"}; !cmp.Equal(got, want) {
		t.Errorf("Names after Remove = %v, want %v", got, want)
	}
	// With c gone, b may use c; in the clone, c := a still closes a cycle.
	if err := defs.Define(def(t, "b := c")); err != nil {
		t.Errorf("after Remove: %v", err)
	}
	if err := c.Define(def(t, "b := c")); err == nil || err.Error() != "recursive definition: b → c → a → b" {
		t.Errorf("in the clone: %v", err)
	}
	if got, want := c.Names(), []string{"a", "b", "c"}; !cmp.Equal(got, want) {
		t.Errorf("clone Names = %v, want %v", got, want)
	}
	var order []string
	for _, d := range c.All() {
		order = append(order, d.String())
	}
	if want := []string{"a := b", "b := 1", "c := a"}; !cmp.Equal(order, want) {
		t.Errorf("clone All = %v, want %v", order, want)
	}
	// A clone of a clone, changed first by Remove (the dependencies are
	// worked out by a clone's first change), still sees what depends on
	// what; the clone it came from is not changed.
	cc := c.Clone()
	cc.Remove("b")
	if err := cc.Define(def(t, "a := c")); err == nil || err.Error() != "recursive definition: a → c → a" {
		t.Errorf("in the clone of the clone: %v", err)
	}
	if err := cc.Define(def(t, "b := c")); err == nil || err.Error() != "recursive definition: b → c → a → b" {
		t.Errorf("in the clone of the clone, after Remove(b): %v", err)
	}
	if got, want := c.Names(), []string{"a", "b", "c"}; !cmp.Equal(got, want) {
		t.Errorf("clone Names after its clone changed = %v, want %v", got, want)
	}
}

// TestDefineChain: a chain of definitions, each using the one before, is
// checked for cycles in time linear in its length (it was quadratic: 10,000
// definitions took most of a minute).
func TestDefineChain(t *testing.T) {
	defs := &ast.Defs{}
	start := time.Now()
	prev := ast.Expr(ast.NewSym("x"))
	for i := range 20_000 {
		name := fmt.Sprintf("a%d", i)
		if err := defs.Define(&ast.Def{Name: name, Body: ast.NewAdd(prev, ast.One)}); err != nil {
			t.Fatal(err)
		}
		prev = ast.NewSym(name)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Logf("20,000 chained definitions took %v", d) // logged: no wall-clock assertions
	}
	// The cycle at the end of the chain is still found, with its path.
	err := defs.Define(&ast.Def{Name: "x", Body: ast.NewSym("a3")})
	if want := "recursive definition: x → a3 → a2 → a1 → a0 → x"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

// TestDefsAgainstModel runs random definitions, redefinitions, removals
// and clones against a plain model (a list in order, a depth-first search
// for cycles), so that the bookkeeping that makes Define O(1) amortised
// (stale places in the order, stale edges rebuilt in bulk) is checked
// where it is triggered: many redefinitions of a few names.
func TestDefsAgainstModel(t *testing.T) {
	type model struct {
		order []string
		defs  map[string]*ast.Def
	}
	uses := func(d *ast.Def) []string {
		var out []string
		for _, n := range ast.NamesUsed(d.Body) {
			if !slicesContains(d.Params, n) {
				out = append(out, n)
			}
		}
		return out
	}
	// reaches reports whether the definitions of m lead from name to goal.
	var reaches func(m *model, name, goal string, seen map[string]bool) bool
	reaches = func(m *model, name, goal string, seen map[string]bool) bool {
		d, ok := m.defs[name]
		if !ok || seen[name] {
			return false
		}
		seen[name] = true
		for _, u := range uses(d) {
			if u == goal || reaches(m, u, goal, seen) {
				return true
			}
		}
		return false
	}
	names := []string{"a", "b", "c", "d", "e", "f", "g", "h", "p", "q"}
	for seed := range 60 {
		// A third of the runs build the users index at the first cycle
		// check, a third after a forward search of one definition, and
		// the rest only if a search goes past the usual budget.
		restore := ast.SetReachBudget([]int{0, 1, 32}[seed%3])
		defer restore()
		rng := rand.New(rand.NewPCG(uint64(seed), 7))
		// Several Defs, each a clone of another made along the way, each
		// changed on its own: clones must not share what they change.
		all := []*ast.Defs{{}}
		models := []*model{{defs: map[string]*ast.Def{}}}
		for step := range 300 {
			k := rng.IntN(len(all))
			defs, m := all[k], models[k]
			name := names[rng.IntN(len(names))]
			switch r := rng.IntN(20); {
			case r == 0:
				defs.Remove(name)
				if _, ok := m.defs[name]; ok {
					delete(m.defs, name)
					m.order = slicesDelete(m.order, name)
				}
			case r == 1 && len(all) < 6:
				all = append(all, defs.Clone())
				models = append(models, &model{append([]string(nil), m.order...), maps.Clone(m.defs)})
			default:
				var terms []ast.Expr
				for range rng.IntN(3) {
					terms = append(terms, ast.NewSym(names[rng.IntN(len(names))]))
				}
				terms = append(terms, ast.NewSym("x"))
				if rng.IntN(8) == 0 {
					terms = append(terms, ast.NewMul(ast.NewTranspose(ast.NewSym("v")), ast.NewSym("v")))
				}
				d := &ast.Def{Name: name, Body: ast.NewAdd(terms...)}
				err := defs.Define(d)
				cycle := slicesContains(uses(d), name)
				for _, u := range uses(d) {
					cycle = cycle || reaches(m, u, name, map[string]bool{})
				}
				if (err != nil) != cycle {
					t.Fatalf("seed %d step %d: Define(%s) = %v, the model says cycle = %v", seed, step, d, err, cycle)
				}
				if err == nil {
					if _, ok := m.defs[name]; ok {
						m.order = slicesDelete(m.order, name)
					}
					m.defs[name] = d
					m.order = append(m.order, name)
				}
			}
			for i, ds := range all {
				m := models[i]
				var got []string
				for _, d := range ds.All() {
					got = append(got, d.Name)
					if m.defs[d.Name] != d {
						t.Fatalf("seed %d step %d: Defs %d holds another definition of %s", seed, step, i, d.Name)
					}
				}
				if !cmp.Equal(got, m.order, cmpopts.EquateEmpty()) || ds.Len() != len(m.order) {
					t.Fatalf("seed %d step %d: Defs %d order %v (Len %d), the model's %v", seed, step, i, got, ds.Len(), m.order)
				}
				matrices := false
				for _, d := range m.defs {
					matrices = matrices || strings.Contains(d.String(), "'")
				}
				if ds.HasMatrices() != matrices {
					t.Fatalf("seed %d step %d: Defs %d HasMatrices = %v, want %v", seed, step, i, ds.HasMatrices(), matrices)
				}
			}
		}
	}
}

func slicesContains(s []string, v string) bool { return slices.Contains(s, v) }

func slicesDelete(s []string, v string) []string {
	return slices.DeleteFunc(s, func(x string) bool { return x == v })
}

// TestExpandKeepsBoundNames: a sum's variable is bound in its body, and
// a function's or indexed definition's parameters in its body, so a
// definition of the same name does not apply there (i := 5 must not make
// sum(i=1..3, i) the sum of three fives: `prove sum(i=1..3, i) == 15`
// was proved). The expected trees are written by hand.
func TestExpandKeepsBoundNames(t *testing.T) {
	for _, c := range []struct {
		defs []string
		in   string
		want string
	}{
		{[]string{"i := 5"}, "sum(i=1..3, i)", "sum(i=1..3, i)"},
		{[]string{"i := 5"}, "mean(i=1..3, i*x)", "mean(i=1..3, i*x)"},
		{[]string{"i := 5"}, "sum(i=1..i, i*x)", "sum(i=1..5, i*x)"}, // the bounds are outside
		{[]string{"i := 5"}, "i + sum(i=1..3, i)", "5 + sum(i=1..3, i)"},
		{[]string{"i := 5", "j := i + 1"}, "sum(i=1..3, j*i)", "sum(i=1..3, (5 + 1)*i)"},
		{[]string{"i := 5", "w[k] := k^2"}, "sum(i=1..3, w[i])", "sum(i=1..3, i^2)"},
		{[]string{"i := 5", "f(u) := u + i"}, "sum(i=1..3, f(i))", "sum(i=1..3, i + 5)"},
		{[]string{"k := 3", "w[k] := k^2"}, "w[2] + k", "2^2 + 3"},
		{[]string{"u := 3", "f(u) := u*x"}, "f(2)", "2*x"},
		{[]string{"a := sum(i=1..3, i)", "i := 5"}, "a + i", "sum(i=1..3, i) + 5"},
		{[]string{"n := 4", "i := 5"}, "sum(i=1..n, sum(j=1..i, i*j))", "sum(i=1..4, sum(j=1..i, i*j))"},
	} {
		var ds ast.Defs
		for _, d := range c.defs {
			if err := ds.Define(def(t, d)); err != nil {
				t.Fatalf("%s: %v", d, err)
			}
		}
		ctx := &parser.Context{Funcs: map[string]int{"f": 1}}
		in, err := parser.ParseExpr(c.in, ctx)
		if err != nil {
			t.Fatal(err)
		}
		want, err := parser.ParseExpr(c.want, ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got := ds.Expand(in); got != want {
			t.Errorf("%s under %q: expands to %s, want %s", c.in, c.defs, ast.String(got), ast.String(want))
		}
	}
}

// TestDefsSnapshotsConcurrent: clones share storage with their original
// until either writes (defTable), so readers of snapshots run while the
// original goes on defining, and clone the snapshots themselves; -race
// checks that nothing is written where another reads. Each snapshot must
// keep seeing what it held when it was taken.
func TestDefsSnapshotsConcurrent(t *testing.T) {
	defs := &ast.Defs{}
	var wg sync.WaitGroup
	for i := range 200 {
		name := fmt.Sprintf("v%d", i%37)
		body := ast.NewAdd(ast.NewSym("x"), ast.NewInt(int64(i)))
		if i%37 > 0 { // a chain v0 ← v1 ← ... ← v36, redefined over and over
			body = ast.NewAdd(body, ast.NewSym(fmt.Sprintf("v%d", i%37-1)))
		}
		if err := defs.Define(&ast.Def{Name: name, Body: body}); err != nil {
			t.Fatal(err)
		}
		snap := defs.Clone()
		want := snap.All()
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 3 {
				c := snap.Clone()
				if err := c.Define(&ast.Def{Name: "mine", Body: ast.NewSym(name)}); err != nil {
					t.Error(err)
					return
				}
				if got := snap.All(); !slices.Equal(got, want) {
					t.Errorf("snapshot %d changed: %d definitions, had %d", i, len(got), len(want))
					return
				}
				if _, ok := snap.Lookup("mine"); ok {
					t.Errorf("snapshot %d sees its clone's definition", i)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// BenchmarkDefsSnapshots defines n names and takes a snapshot (Clone)
// after every 50, as `run --jobs 2` does for a script with a statement
// among every 50 definitions: each snapshot and the writes after it cost
// what they touch, not the whole table.
func BenchmarkDefsSnapshots(b *testing.B) {
	for _, n := range []int{10000, 100000} {
		ds := make([]*ast.Def, n)
		for i := range ds {
			ds[i] = &ast.Def{Name: fmt.Sprintf("a%d", i), Body: ast.NewAdd(ast.NewSym("x"), ast.NewInt(int64(i)))}
		}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				defs := &ast.Defs{}
				var snaps []*ast.Defs
				for i, d := range ds {
					if err := defs.Define(d); err != nil {
						b.Fatal(err)
					}
					if i%50 == 49 {
						snaps = append(snaps, defs.Clone())
					}
				}
				if len(snaps) != n/50 {
					b.Fatal(len(snaps))
				}
			}
		})
	}
}

// TestDefsManyNames: with thousands of names the table's per-leaf
// filters fill up and collide; a name defined (in a clone, after
// removals and redefinitions on either side) is always found, and one
// never defined or removed never is. The model is a Go map per Defs.
func TestDefsManyNames(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	all := []*ast.Defs{{}}
	models := []map[string]bool{{}}
	name := func() string { return fmt.Sprintf("n%d", rng.IntN(6000)) }
	for step := range 20000 {
		k := rng.IntN(len(all))
		ds, m := all[k], models[k]
		switch n := name(); {
		case step%2500 == 0:
			all = append(all, ds.Clone())
			models = append(models, maps.Clone(m))
		case rng.IntN(5) == 0:
			ds.Remove(n)
			delete(m, n)
		default:
			if err := ds.Define(&ast.Def{Name: n, Body: ast.NewSym("x" + n)}); err != nil {
				t.Fatal(err)
			}
			m[n] = true
		}
	}
	for k, ds := range all {
		for i := range 6000 {
			n := fmt.Sprintf("n%d", i)
			if _, got := ds.Lookup(n); got != models[k][n] {
				t.Fatalf("Defs %d: Lookup(%s) = %v, want %v", k, n, got, models[k][n])
			}
		}
		if ds.Len() != len(models[k]) {
			t.Errorf("Defs %d: Len = %d, want %d", k, ds.Len(), len(models[k]))
		}
	}
}

// TestDefsLeafMaps: the tests of Defs against their models again, with
// the leaves of the tables turned into maps from their second name on
// (most leaves of these tests' tables hold a list only).
func TestDefsLeafMaps(t *testing.T) {
	defer ast.SetLeafListMax(1)()
	t.Run("model", TestDefsAgainstModel)
	t.Run("many", TestDefsManyNames)
	t.Run("snapshots", TestDefsSnapshotsConcurrent)
	t.Run("remove", TestDefsRemoveAndClone)
}
