package codegen

import (
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/symdiff/symdiff/ast"
)

// randOperand returns a random term or factor: numbers, names, indexed
// names, and calls nested deep enough that some print past sortKeyLen
// with equal prefixes (sin(sin(...)) of different depths and arguments).
func randOperand(r *rand.Rand) ast.Expr {
	switch r.Intn(7) {
	case 6:
		// sin(sin(...)) 15 to 40 deep: equal prefixes, other heights.
		var e ast.Expr = ast.NewSym(string(rune('a' + r.Intn(2))))
		for d := 15 + r.Intn(26); d > 0; d-- {
			e = ast.NewCall("sin", e)
		}
		return e
	case 0:
		return ast.NewInt(int64(r.Intn(7) - 3))
	case 1:
		return ast.NewSym(string(rune('a' + r.Intn(4))))
	case 2:
		return ast.NewIndex("x", ast.NewSym("i"), ast.NewSym(string(rune('j'+r.Intn(2)))))
	case 3:
		return ast.NewNeg(ast.NewSym(string(rune('a' + r.Intn(4)))))
	}
	var e ast.Expr = ast.NewSym(string(rune('a' + r.Intn(3))))
	if r.Intn(2) == 0 {
		e = ast.NewAdd(e, ast.NewInt(int64(r.Intn(3))))
	}
	for d := r.Intn(30); d > 0; d-- {
		e = ast.NewCall([]string{"sin", "cos"}[r.Intn(2)], e)
		if r.Intn(8) == 0 {
			e = ast.NewCall("sin", e) // same prefixes, other heights
		}
	}
	if r.Intn(4) == 0 {
		e = ast.NewNeg(e)
	}
	return e
}

// fullKey is the sort key before bounded prefixes: the whole printed form.
func fullKey(x ast.Expr) string {
	k := keyOf(x)
	if k.key[1] == '0' {
		return k.key
	}
	return k.key[:2] + ast.String(k.x)
}

// TestOperandOrder checks operandLess against the whole printed forms it
// stands in for: where the bounded keys decide, they decide as the whole
// forms do; it is a strict weak order; and sortOperands gives one node for
// every order of the same operands.
func TestOperandOrder(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	decidedByHeight := 0
	for trial := 0; trial < 400; trial++ {
		// At most one number: numbers all sort alike and keep their order
		// (the stable sort), as they did before bounded keys.
		var ops []ast.Expr
		num := false
		for len(ops) < 2+trial%6 {
			o := randOperand(r)
			if _, ok := o.(*ast.Num); ok {
				if num {
					continue
				}
				num = true
			}
			ops = append(ops, o)
		}
		keys := make([]operandKey, len(ops))
		for i, o := range ops {
			keys[i] = keyOf(o)
		}
		for i := range keys {
			if operandLess(&keys[i], &keys[i]) {
				t.Fatalf("%s < itself", ast.String(ops[i]))
			}
			for j := range keys {
				a, b := &keys[i], &keys[j]
				ab, ba := operandLess(a, b), operandLess(b, a)
				if ab && ba {
					t.Fatalf("%s and %s each before the other", ast.String(ops[i]), ast.String(ops[j]))
				}
				fa, fb := fullKey(ops[i]), fullKey(ops[j])
				if a.key != b.key || a.cut != b.cut || !a.cut {
					if ab != (fa < fb) {
						t.Fatalf("%s before %s: %v, but by the whole printed forms %v", ast.String(ops[i]), ast.String(ops[j]), ab, fa < fb)
					}
				} else if a.height != b.height {
					decidedByHeight++
				}
				if !ab && !ba && fa != fb {
					t.Fatalf("%s and %s tie but print apart", ast.String(ops[i]), ast.String(ops[j]))
				}
				for k := range keys {
					if ab && operandLess(b, &keys[k]) && !operandLess(a, &keys[k]) {
						t.Fatalf("not transitive: %s, %s, %s", ast.String(ops[i]), ast.String(ops[j]), ast.String(ops[k]))
					}
				}
			}
		}
		want := sortOperands(ast.NewMul(ops...))
		for s := 0; s < 4; s++ {
			r.Shuffle(len(ops), func(i, j int) { ops[i], ops[j] = ops[j], ops[i] })
			if got := sortOperands(ast.NewMul(ops...)); got != want {
				t.Fatalf("one product sorted two ways:\n%s\n%s", ast.String(got), ast.String(want))
			}
			if got, want2 := sortOperands(ast.NewAdd(ops...)), sortOperands(ast.NewAdd(ops...)); got != want2 {
				t.Fatalf("one sum sorted two ways")
			}
		}
	}
	if decidedByHeight == 0 {
		t.Fatal("no pair went by height: the generator misses the case")
	}
}

// TestPrefixString checks the bounded printer against the whole one.
func TestPrefixString(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	for i := 0; i < 500; i++ {
		e := randOperand(r)
		whole := ast.String(e)
		for _, n := range []int{1, 5, 64, 200} {
			p, cut := ast.PrefixString(e, n)
			if cut != (len(whole) > n) || !strings.HasPrefix(whole, p) || (len(p) != n && cut) || (!cut && p != whole) {
				t.Fatalf("PrefixString(%s, %d) = %q, %v", whole, n, p, cut)
			}
		}
	}
}

// TestDeepProductLinear runs the walks of code generation over the
// derivative's shape of a sine nested 40,000 deep, a product of cosines of
// ever deeper arguments: each walk must look at each node once. Printing
// every factor whole (the sort keys before) or walking the tree (loop
// order, counting exps) is quadratic in the depth here: about 20,000 times
// one walk over the DAG, against which the time is measured, so that a
// loaded machine or -race slows both alike.
func TestDeepProductLinear(t *testing.T) {
	const depth = 40000
	var s ast.Expr = ast.NewSym("x")
	factors := make([]ast.Expr, 0, depth)
	for k := 0; k < depth; k++ {
		factors = append(factors, ast.NewCall("cos", s))
		s = ast.NewCall("sin", s)
	}
	prod := ast.NewMul(factors...)
	sum := ast.NewAdd(ast.NewCall("exp", s), ast.NewCall("exp", factors[depth-1]), ast.NewSym("b"))
	// One walk over the DAG that looks at every node: the unit of time.
	unit := time.Duration(1 << 62)
	for i := 0; i < 3; i++ {
		start := time.Now()
		n := 0
		ast.InspectOnce(ast.NewAdd(prod, sum), func(x ast.Expr) bool {
			if c, ok := x.(*ast.Call); ok && c.Fn == "cos" {
				n++
			}
			return true
		})
		if n != depth {
			t.Fatalf("%d cosines, want %d", n, depth)
		}
		unit = min(unit, time.Since(start))
	}
	start := time.Now()
	sorted := sortOperands(prod)
	p := &problem{loss: sum, grads: []ast.Expr{sorted}}
	p.loopOrder()
	if got := rawExps(p); got != 2 {
		t.Errorf("rawExps = %d, want 2", got)
	}
	took := time.Since(start)
	t.Logf("one walk %v, the walks of code generation %v (%.0f walks)", unit, took, float64(took)/float64(unit))
	if took > 200*unit+time.Second {
		t.Fatalf("the walks took %v, %.0f times one walk over the DAG", took, float64(took)/float64(unit))
	}
}
