package matrix_test

import (
	"context"
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify/matrix"
)

// TestInvCancel: a matrix next to its inverse, or the transposes of the
// pair, cancel (inv_cancel, inv_transpose_cancel), and the result of the
// hunt's derivative, inv(W)' - inv(W)'*W'*inv(W)', is the zero matrix.
func TestInvCancel(t *testing.T) {
	opt, pctx := symSetup(t)
	for _, c := range []struct{ src, want, rule string }{
		{"inv(A)*A", "eye(m)", "inv_cancel"},
		{"A*inv(A)*x", "x", "inv_cancel"},
		{"B*inv(A + B)*(A + B)", "B", "inv_cancel"},
		{"A'*inv(A)'*x", "x", "inv_transpose_cancel"},
		{"inv(A')*A'*x", "x", "inv_transpose_cancel"},
		{"inv(A)' - inv(A)'*A'*inv(A)'", "zeros(m, m)", "inv_transpose_cancel"},
		{"T*inv(T)", "eye(m)", "inv_cancel"},
		{"inv(X'*X)*X'*X*w", "w", "inv_cancel"},
		{"X'*X*inv(X'*X)", "eye(d)", "inv_cancel"},
	} {
		e := mustExpr(t, c.src, pctx)
		r, err := matrix.Simplify(context.Background(), e, opt)
		if err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
		if r.Value == nil {
			t.Errorf("%s: no matrix form: %v", c.src, r.NoForm)
			continue
		}
		if got := ast.String(r.Value); got != c.want {
			t.Errorf("%s = %s, want %s", c.src, got, c.want)
		}
		if applied := append(ruleNames(r.Written), ruleNames(r.Shown)...); !slices.Contains(applied, c.rule) {
			t.Errorf("%s: rule %s not applied (applied: %v)", c.src, c.rule, applied)
		}
		// The input has no value where the matrix is singular, the result
		// has one: a note says where it holds.
		if !slices.ContainsFunc(r.Notes, func(n string) bool { return strings.Contains(n, "is invertible") }) {
			t.Errorf("%s: no note on invertibility: %q", c.src, r.Notes)
		}
	}
}

// TestInvCancelRandom: random products of A, B, A + B, their inverses and
// transposes (the pairs that cancel and their near misses, A*inv(A)',
// inv(A)*B) keep their value when simplified, by refEval (the tests' own
// evaluator, no index form) at random matrices, well conditioned and
// nearly singular (where inv(A) is defined but large: the rules' condition
// is only that it is defined).
func TestInvCancelRandom(t *testing.T) {
	opt, pctx := symSetup(t)
	rng := rand.New(rand.NewPCG(61, 7))
	pool := []string{"A", "A'", "inv(A)", "inv(A)'", "B", "B'", "inv(B)", "inv(B)'", "(A + B)", "inv(A + B)", "(A + B)'", "inv(A + B)'", "T", "inv(T)"}
	pairs := [][2]string{{"A", "inv(A)"}, {"inv(A)", "A"}, {"A'", "inv(A)'"}, {"inv(A)'", "A'"}, {"inv(A + B)", "(A + B)"},
		{"A", "inv(A)'"}, {"inv(A)'", "A"}, {"A'", "inv(A)"}, {"inv(A)", "B"}, {"inv(A + B)", "A"},
		{"inv(A*B)", "A*B"}, {"A*B", "inv(A*B)"}, {"inv(A*B)", "B*A"}, {"inv(A*B)", "A"}}
	cancelled, checked := 0, 0
	for range 150 {
		n := 2 + rng.IntN(4)
		fs := make([]string, n)
		for i := range fs {
			fs[i] = pool[rng.IntN(len(pool))]
		}
		if rng.IntN(2) == 0 {
			// A pair that cancels, or a near miss, somewhere inside.
			pair := pairs[rng.IntN(len(pairs))]
			at := rng.IntN(len(fs) + 1)
			fs = slices.Insert(fs, at, pair[0], pair[1])
		}
		src := strings.Join(fs, "*") + "*x"
		if rng.IntN(3) == 0 {
			src = fmt.Sprintf("%s - %s*x", src, pool[rng.IntN(len(pool))])
		}
		e := mustExpr(t, src, pctx)
		r, err := matrix.Simplify(context.Background(), e, opt)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if r.Value == nil {
			continue
		}
		applied := append(ruleNames(r.Written), ruleNames(r.Shown)...)
		if slices.Contains(applied, "inv_cancel") || slices.Contains(applied, "inv_transpose_cancel") {
			cancelled++
		}
		checked++
		for trial := range 4 {
			env := drawExact(rng, trial%2 == 1)
			want, err1 := exactEval(e, env)
			got, err2 := exactEval(r.Value, env)
			if err1 != nil || err2 != nil {
				t.Fatalf("%s: %v, %v", src, err1, err2)
			}
			for i := range want.a {
				if want.a[i].Cmp(got.a[i]) != 0 {
					t.Fatalf("trial %d: %s = %s, but entry %d is %s against %s", trial, src, ast.String(r.Value), i, want.a[i].FloatString(6), got.a[i].FloatString(6))
				}
			}
		}
	}
	if cancelled < 20 || checked < 100 {
		t.Errorf("only %d of %d results cancelled an inverse", cancelled, checked)
	}
}

// ratMat is a matrix of exact rationals, for exactEval.
type ratMat struct {
	r, c int
	a    []*big.Rat
}

func newRatMat(r, c int) ratMat {
	m := ratMat{r, c, make([]*big.Rat, r*c)}
	for i := range m.a {
		m.a[i] = new(big.Rat)
	}
	return m
}

// drawExact draws m from 2 to 4, and A, B, T (symmetric) and x with
// rational entries; with nearly set, A is of rank 1 plus 10^-6 times a
// random matrix: invertible, but nearly singular.
func drawExact(rng *rand.Rand, nearly bool) map[string]ratMat {
	m := 2 + rng.IntN(3)
	small := func() *big.Rat { return big.NewRat(int64(rng.IntN(17)-8), 4) }
	env := map[string]ratMat{}
	for _, name := range []string{"A", "B", "T"} {
		v := newRatMat(m, m)
		for i := range m {
			for j := range m {
				v.a[i*m+j] = small()
			}
			v.a[i*m+i].Add(v.a[i*m+i], big.NewRat(int64(2*m+2), 1)) // diagonally dominant: invertible
		}
		env[name] = v
	}
	t := env["T"]
	for i := range m {
		for j := range i {
			t.a[j*m+i] = t.a[i*m+j]
		}
	}
	if nearly {
		a := newRatMat(m, m)
		u, v := make([]*big.Rat, m), make([]*big.Rat, m)
		for i := range m {
			u[i], v[i] = big.NewRat(int64(1+rng.IntN(5)), 1), big.NewRat(int64(1+rng.IntN(5)), 1)
		}
		for i := range m {
			for j := range m {
				a.a[i*m+j].Mul(u[i], v[j])
				a.a[i*m+j].Add(a.a[i*m+j], new(big.Rat).Mul(small(), big.NewRat(1, 1000000)))
			}
		}
		env["A"] = a
	}
	x := newRatMat(m, 1)
	for i := range m {
		x.a[i] = small()
	}
	env["x"] = x
	return env
}

// exactEval evaluates products, sums, transposes and inverses of
// matrices in exact arithmetic, by Gauss-Jordan elimination; an inverse of
// a singular matrix is an error (the test's matrices are invertible, and
// B + A may not be: such a draw is reported, not hidden).
func exactEval(e ast.Expr, env map[string]ratMat) (ratMat, error) {
	switch x := e.(type) {
	case *ast.Sym:
		v, ok := env[x.Name]
		if !ok {
			return ratMat{}, fmt.Errorf("no value for %s", x.Name)
		}
		return v, nil
	case *ast.Neg:
		v, err := exactEval(x.X, env)
		if err != nil {
			return ratMat{}, err
		}
		out := newRatMat(v.r, v.c)
		for i := range v.a {
			out.a[i].Neg(v.a[i])
		}
		return out, nil
	case *ast.Add:
		var acc ratMat
		for k, term := range x.Terms {
			v, err := exactEval(term, env)
			if err != nil {
				return ratMat{}, err
			}
			if k == 0 {
				acc = newRatMat(v.r, v.c)
			}
			if v.r != acc.r || v.c != acc.c {
				return ratMat{}, fmt.Errorf("%s: shapes differ", ast.String(e))
			}
			for i := range v.a {
				acc.a[i].Add(acc.a[i], v.a[i])
			}
		}
		return acc, nil
	case *ast.Mul:
		if len(x.Factors) == 2 {
			if n, ok := x.Factors[0].(*ast.Num); ok {
				v, err := exactEval(x.Factors[1], env)
				if err != nil {
					return ratMat{}, err
				}
				c, _ := new(big.Rat).SetString(n.Value.String())
				out := newRatMat(v.r, v.c)
				for i := range v.a {
					out.a[i].Mul(c, v.a[i])
				}
				return out, nil
			}
		}
	case *ast.MatOp:
		switch x.Kind {
		case ast.MatEye, ast.MatZeros:
			n := env["A"].r
			cols := n
			if x.Kind == ast.MatZeros && len(x.Args) == 1 {
				cols = 1
			}
			out := newRatMat(n, cols)
			if x.Kind == ast.MatEye {
				for i := range n {
					out.a[i*n+i].SetInt64(1)
				}
			}
			return out, nil
		}
		vs := make([]ratMat, len(x.Args))
		for i, a := range x.Args {
			v, err := exactEval(a, env)
			if err != nil {
				return ratMat{}, err
			}
			vs[i] = v
		}
		switch x.Kind {
		case ast.MatMul:
			acc := vs[0]
			for _, v := range vs[1:] {
				if acc.c != v.r {
					return ratMat{}, fmt.Errorf("%s: inner sizes differ", ast.String(e))
				}
				out := newRatMat(acc.r, v.c)
				for i := range acc.r {
					for j := range v.c {
						for k := range acc.c {
							out.a[i*v.c+j].Add(out.a[i*v.c+j], new(big.Rat).Mul(acc.a[i*acc.c+k], v.a[k*v.c+j]))
						}
					}
				}
				acc = out
			}
			return acc, nil
		case ast.MatTranspose:
			v := vs[0]
			out := newRatMat(v.c, v.r)
			for i := range v.r {
				for j := range v.c {
					out.a[j*v.r+i].Set(v.a[i*v.c+j])
				}
			}
			return out, nil
		case ast.MatInv:
			return ratInverse(vs[0])
		}
	}
	return ratMat{}, fmt.Errorf("exactEval: cannot evaluate %s", ast.String(e))
}

// ratInverse inverts a square matrix by Gauss-Jordan elimination.
func ratInverse(v ratMat) (ratMat, error) {
	n := v.r
	a := newRatMat(n, 2*n)
	for i := range n {
		for j := range n {
			a.a[i*2*n+j].Set(v.a[i*n+j])
		}
		a.a[i*2*n+n+i].SetInt64(1)
	}
	for col := range n {
		p := -1
		for i := col; i < n; i++ {
			if a.a[i*2*n+col].Sign() != 0 {
				p = i
				break
			}
		}
		if p < 0 {
			return ratMat{}, fmt.Errorf("a singular matrix has no inverse")
		}
		for j := range 2 * n {
			a.a[p*2*n+j], a.a[col*2*n+j] = a.a[col*2*n+j], a.a[p*2*n+j]
		}
		piv := new(big.Rat).Inv(a.a[col*2*n+col])
		for j := range 2 * n {
			a.a[col*2*n+j].Mul(a.a[col*2*n+j], piv)
		}
		for i := range n {
			if i == col || a.a[i*2*n+col].Sign() == 0 {
				continue
			}
			f := new(big.Rat).Set(a.a[i*2*n+col])
			for j := range 2 * n {
				a.a[i*2*n+j].Sub(a.a[i*2*n+j], new(big.Rat).Mul(f, a.a[col*2*n+j]))
			}
		}
	}
	out := newRatMat(n, n)
	for i := range n {
		for j := range n {
			out.a[i*n+j].Set(a.a[i*2*n+n+j])
		}
	}
	return out, nil
}
