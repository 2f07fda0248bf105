package rules_test

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
)

// derivSet returns a set with derivative rules for f (both parameters)
// and g.
func derivSet() *rules.Set {
	s := rules.Empty()
	for _, d := range []struct {
		fn     string
		params []string
		wrt    int
	}{{"f", []string{"a", "b"}, 0}, {"f", []string{"a", "b"}, 1}, {"g", []string{"u"}, 0}} {
		s.AddDeriv(&rules.Rule{
			Name: rules.DerivName(d.fn, d.params, d.wrt), Kind: rules.Deriv,
			Fn: d.fn, Params: d.params, Wrt: d.wrt, Body: ast.NewSym(d.params[d.wrt]),
		})
	}
	return s
}

// TestDerivsOnFirstUse: a set whose derivative rules are read on first
// use reads them once, when Deriv, Derivs or Clone first asks (not for
// Funcs or the rewrite rules), and answers as the set they come from;
// adding to it or to its clone leaves the other as it was.
func TestDerivsOnFirstUse(t *testing.T) {
	from := derivSet()
	var reads atomic.Int32
	lazy := func() *rules.Set {
		s := rules.Empty()
		s.AddDecl("g", 1)
		s.DerivsOnFirstUse(func() *rules.Set { reads.Add(1); return from })
		return s
	}

	s := lazy()
	_ = s.Funcs()
	_ = s.AllRules()
	if n := reads.Load(); n != 0 {
		t.Fatalf("read %d times before the derivative rules were asked for", n)
	}
	if got, want := s.Funcs()["g"], 1; got != want {
		t.Errorf("Funcs()[g] = %d, want %d", got, want)
	}
	for _, c := range []struct {
		fn  string
		wrt int
		ok  bool
	}{{"f", 0, true}, {"f", 1, true}, {"g", 0, true}, {"g", 1, false}, {"h", 0, false}} {
		got, ok := s.Deriv(c.fn, c.wrt)
		want, _ := from.Deriv(c.fn, c.wrt)
		if ok != c.ok || got != want {
			t.Errorf("Deriv(%s, %d) = %v, %v; want %v, %v", c.fn, c.wrt, got, ok, want, c.ok)
		}
	}
	if got, want := len(s.Derivs()), len(from.Derivs()); got != want {
		t.Errorf("%d derivative rules, want %d", got, want)
	}
	if n := reads.Load(); n != 1 {
		t.Errorf("read %d times, want once", n)
	}

	// A clone has the rules; adding to it changes neither set.
	c := lazy().Clone()
	if _, ok := c.Deriv("g", 0); !ok {
		t.Error("the clone has no derivative rule for g")
	}
	replaced := &rules.Rule{Name: "d_g_new", Kind: rules.Deriv, Fn: "g", Params: []string{"u"}, Body: ast.One}
	c.AddDeriv(replaced)
	if d, _ := c.Deriv("g", 0); d != replaced {
		t.Error("AddDeriv on the clone did not replace g's rule")
	}
	if d, _ := from.Deriv("g", 0); d == replaced {
		t.Error("AddDeriv on the clone changed the set the rules were read from")
	}

	// Adding to the lazy set itself (not yet published) reads the rules
	// first and keeps them.
	a := lazy()
	a.AddDeriv(replaced)
	if d, _ := a.Deriv("g", 0); d != replaced {
		t.Error("AddDeriv on the lazy set did not replace g's rule")
	}
	if _, ok := a.Deriv("f", 1); !ok {
		t.Error("AddDeriv on the lazy set lost f's rules")
	}
	if d, _ := from.Deriv("g", 0); d == replaced {
		t.Error("AddDeriv on the lazy set changed the set the rules were read from")
	}
}

// TestDerivsOnFirstUseConcurrent: readers of a published set ask for its
// derivative rules at once; they are read once (run with -race).
func TestDerivsOnFirstUseConcurrent(t *testing.T) {
	from := derivSet()
	var reads atomic.Int32
	s := rules.Empty()
	s.DerivsOnFirstUse(func() *rules.Set { reads.Add(1); return from })
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			if i%2 == 0 {
				if _, ok := s.Deriv("f", 1); !ok {
					t.Error("no rule for f")
				}
			} else if len(s.Clone().Derivs()) != 3 {
				t.Error("the clone lacks rules")
			}
		})
	}
	wg.Wait()
	if n := reads.Load(); n != 1 {
		t.Errorf("read %d times, want once", n)
	}
}
