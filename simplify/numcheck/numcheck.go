// Package numcheck compares expressions numerically: it draws points
// where both sides are defined, evaluates them in float64, and confirms a
// difference at high precision before calling it a counterexample. It is
// the prover's and the rule checker's independent witness, and it reads
// nothing but the expressions (package ast), so it cannot share a bug with
// the symbolic engine.
package numcheck

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/symdiff/symdiff/ast"
)

// Numerical testing. Points are drawn from a fixed seed, so the same
// identity always gets the same verdict. Real values are multiples of
// 1/1024, exact in float64 and in big.Float, so a high-precision
// evaluation sees exactly the point float64 saw.

// A Counterexample is a point where two expressions differ.
type Counterexample struct {
	Bindings ast.Bindings
	// Left and Right are the two sides' values at 512 bits, to 30 digits.
	Left, Right string
	// LeftF and RightF are the float64 values.
	LeftF, RightF float64
}

// Summary describes the point and the two values in one line.
func (c *Counterexample) Summary() string {
	return fmt.Sprintf("at %s the left side is %s and the right side is %s", c.Point(), c.Left, c.Right)
}

// Point lists the bindings as NAME=VALUE, sorted by name.
func (c *Counterexample) Point() string {
	names := make([]string, 0, len(c.Bindings))
	for n := range c.Bindings {
		names = append(names, n)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = n + "=" + c.Bindings[n].String()
	}
	return strings.Join(parts, " ")
}

// names classifies the free names of the two sides.
type names struct {
	scalars []string
	sizes   []string
	indices []string
	arrays  map[string]int // name → number of indices
	// minHi is the smallest numeric upper bound of a sum (0 if none): a
	// free index must not exceed it. maxIndex is the largest number used
	// as an index: sizes must reach it.
	minHi, maxIndex int64
}

// noteNumber records a number used as an index.
func noteNumber(nm *names, e ast.Expr) {
	if n, ok := e.(*ast.Num); ok {
		if v, ok := n.Value.Int64(); ok && v > nm.maxIndex {
			nm.maxIndex = v
		}
	}
}

func classify(es ...ast.Expr) names {
	nm := names{arrays: map[string]int{}}
	sizes, indices, scalars := map[string]bool{}, map[string]bool{}, map[string]bool{}
	var walk func(e ast.Expr, bound map[string]bool)
	seen := map[ast.Expr]bool{}
	walk = func(e ast.Expr, bound map[string]bool) {
		if len(bound) == 0 {
			if seen[e] {
				return
			}
			seen[e] = true
		}
		switch x := e.(type) {
		case *ast.Sym:
			if !bound[x.Name] {
				scalars[x.Name] = true
			}
		case *ast.Index:
			nm.arrays[x.Name] = len(x.Indices)
			for _, i := range x.Indices {
				if s, ok := i.(*ast.Sym); ok && !bound[s.Name] {
					indices[s.Name] = true
				}
				noteNumber(&nm, i)
			}
		case *ast.Call:
			if x.Fn == "delta" {
				for _, a := range x.Args {
					if s, ok := a.(*ast.Sym); ok && !bound[s.Name] {
						indices[s.Name] = true
					}
					noteNumber(&nm, a)
				}
			}
			for _, a := range x.Args {
				walk(a, bound)
			}
		case *ast.Sum:
			if n, ok := x.Hi.(*ast.Num); ok {
				if v, ok := n.Value.Int64(); ok && v >= 1 && (nm.minHi == 0 || v < nm.minHi) {
					nm.minHi = v
				}
			}
			for _, b := range []ast.Expr{x.Lo, x.Hi} {
				for _, n := range ast.FreeNames(b) {
					if !bound[n] {
						sizes[n] = true
					}
				}
				walk(b, bound)
			}
			inner := make(map[string]bool, len(bound)+1)
			for k, v := range bound {
				inner[k] = v
			}
			inner[x.Var] = true
			walk(x.Body, inner)
		default:
			for _, k := range ast.Children(e) {
				walk(k, bound)
			}
		}
	}
	for _, e := range es {
		walk(e, nil)
	}
	for n := range sizes {
		nm.sizes = append(nm.sizes, n)
		delete(indices, n)
		delete(scalars, n)
	}
	for n := range indices {
		nm.indices = append(nm.indices, n)
		delete(scalars, n)
	}
	for n := range scalars {
		if _, isArray := nm.arrays[n]; !isArray {
			nm.scalars = append(nm.scalars, n)
		}
	}
	sort.Strings(nm.sizes)
	sort.Strings(nm.indices)
	sort.Strings(nm.scalars)
	return nm
}

// arrayDim is the extent of every dimension of a random array: larger
// than any size or free index drawn.
const arrayDim = 16

type pointGen struct {
	rng *rand.Rand
	nm  names
	// simple points come first: small sizes and quarter-integers, so that
	// a counterexample, when one is easy to find, is easy to read.
	simple bool
}

func (g *pointGen) real() float64 {
	if g.simple {
		v := float64(g.rng.IntN(17)-8) / 4
		if v == 0 {
			v = 0.5
		}
		return v
	}
	var v float64
	switch r := g.rng.Float64(); {
	case r < 0.55:
		v = g.rng.Float64()*5 - 2.5
	case r < 0.85:
		v = 0.05 + g.rng.Float64()*2.95
	default:
		v = -(0.05 + g.rng.Float64()*2.95)
	}
	v = math.Round(v*1024) / 1024
	if v == 0 {
		v = 1.0 / 1024
	}
	return v
}

func (g *pointGen) next() ast.Bindings {
	b := ast.Bindings{}
	minSize := int64(3)
	if g.nm.minHi > 0 {
		minSize = g.nm.minHi
	}
	floor := max(1, min(g.nm.maxIndex, arrayDim/2)) // sizes reach the numbers used as indices
	for _, n := range g.nm.sizes {
		v := floor - 1 + int64(1+g.rng.IntN(5))
		if g.simple {
			v = floor - 1 + int64(1+g.rng.IntN(2))
		}
		minSize = min(minSize, v)
		b[n] = ast.Scalar(float64(v))
	}
	minSize = max(minSize, 1)
	for _, n := range g.nm.indices {
		b[n] = ast.Scalar(float64(1 + g.rng.Int64N(minSize)))
	}
	for _, n := range g.nm.scalars {
		b[n] = ast.Scalar(g.real())
	}
	names := make([]string, 0, len(g.nm.arrays))
	for n := range g.nm.arrays {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		rank := g.nm.arrays[n]
		dim := arrayDim
		if rank >= 3 {
			dim = 6
		}
		shape := make([]int, rank)
		size := 1
		for k := range shape {
			shape[k] = dim
			size *= dim
		}
		data := make([]float64, size)
		for k := range data {
			data[k] = g.real()
		}
		b[n] = ast.Value{Shape: shape, Data: data}
	}
	return b
}

// Refute looks for a counterexample at random points; it returns nil and
// a description of what was tried if there is none.
func Refute(ctx context.Context, a, b ast.Expr) (*Counterexample, string, error) {
	return Sample(ctx, a, b, 200, true, 30*time.Second)
}

// Check evaluates a claimed equality at a few points: a counterexample
// means the claim is wrong.
func Check(ctx context.Context, a, b ast.Expr) (*Counterexample, string, error) {
	return Sample(ctx, a, b, 24, false, 2*time.Second)
}

// Sample evaluates a and b at up to n points where both are defined.
// With deep set, it also compares the two at high precision at a few
// points where float64 sees no difference (to catch near misses).
// The search stops after budget (sums over huge ranges are slow to
// evaluate), and says so.
func Sample(ctx context.Context, a, b ast.Expr, n int, deep bool, budget time.Duration) (*Counterexample, string, error) {
	g := &pointGen{rng: rand.New(rand.NewPCG(0x5eed, uint64(n))), nm: classify(a, b)}
	valid, closeCalls := 0, 0
	var agreePoints []ast.Bindings
	deadline := time.Now().Add(budget)
	outOfTime := false
	for attempt := 0; attempt < 3*n && valid < n; attempt++ {
		if err := ctx.Err(); err != nil {
			return nil, "", err
		}
		if valid > 0 && time.Now().After(deadline) {
			outOfTime = true
			break
		}
		g.simple = attempt < n/4
		pt := g.next()
		va, err := ast.EvalBound(ctx, a, nil, pt)
		if err != nil {
			if ctx.Err() != nil {
				return nil, "", ctx.Err()
			}
			continue
		}
		vb, err := ast.EvalBound(ctx, b, nil, pt)
		if err != nil {
			if ctx.Err() != nil {
				return nil, "", ctx.Err()
			}
			continue
		}
		valid++
		if floatClose(va, vb) {
			if len(agreePoints) < 4 {
				agreePoints = append(agreePoints, pt)
			}
			continue
		}
		ce, err := confirm(ctx, a, b, pt, va, vb)
		if err != nil {
			return nil, "", err
		}
		if ce != nil {
			return ce, "", nil
		}
		closeCalls++ // float64 rounding, not a real difference
	}
	if valid == 0 {
		return nil, fmt.Sprintf("no point was found where both sides are defined (%d tried)", 3*n), nil
	}
	tried := fmt.Sprintf("numerically equal at %d random points", valid)
	if outOfTime {
		tried += fmt.Sprintf(" (the time for sampling, %v, ran out)", budget)
	}
	if deep {
		for _, pt := range agreePoints {
			ce, err := confirm(ctx, a, b, pt, math.NaN(), math.NaN())
			if err != nil {
				return nil, "", err
			}
			if ce != nil {
				return ce, "", nil
			}
		}
		if len(agreePoints) > 0 {
			tried += fmt.Sprintf(", and to more than 40 digits at %d of them", len(agreePoints))
		}
	}
	if closeCalls > 0 {
		tried += fmt.Sprintf(" (%d differences in float64 vanished at higher precision)", closeCalls)
	}
	return nil, tried, nil
}

func floatClose(a, b float64) bool {
	if a == b {
		return true
	}
	scale := math.Max(math.Abs(a), math.Abs(b))
	return math.Abs(a-b) <= 1e-9*scale
}

// confirm re-evaluates at 256 and 512 bits. The point is a counterexample
// if the difference is clearly non-zero at 512 bits and agrees with the
// difference at 256 bits: a rounding artefact shrinks as precision grows,
// a real difference does not.
func confirm(ctx context.Context, a, b ast.Expr, pt ast.Bindings, fa, fb float64) (*Counterexample, error) {
	var diffs [2]*big.Float
	var left, right *big.Float
	for k, prec := range []uint{256, 512} {
		va, err := ast.EvalBig(ctx, a, nil, pt, prec)
		if err != nil {
			return nil, ignoreDomain(err)
		}
		vb, err := ast.EvalBig(ctx, b, nil, pt, prec)
		if err != nil {
			return nil, ignoreDomain(err)
		}
		diffs[k] = new(big.Float).SetPrec(prec).Sub(va, vb)
		left, right = va, vb
	}
	d := diffs[1]
	if d.Sign() == 0 || nearKink(ctx, a, pt) || nearKink(ctx, b, pt) {
		return nil, nil
	}
	scale := new(big.Float).Abs(left)
	if r := new(big.Float).Abs(right); r.Cmp(scale) > 0 {
		scale = r
	}
	// |d| must exceed 2^-150 |scale| (far above 512-bit rounding) ...
	thresh := new(big.Float).SetMantExp(scale, -150)
	if new(big.Float).Abs(d).Cmp(thresh) <= 0 {
		return nil, nil
	}
	// ... and the 256-bit difference must agree with it to 2^-60.
	gap := new(big.Float).Sub(diffs[0], d)
	gap.Abs(gap)
	if gap.Cmp(new(big.Float).SetMantExp(new(big.Float).Abs(d), -60)) > 0 {
		return nil, nil
	}
	if math.IsNaN(fa) {
		fa, _ = left.Float64()
		fb, _ = right.Float64()
	}
	return &Counterexample{Bindings: trim(ctx, a, b, pt), Left: left.Text('g', 30), Right: right.Text('g', 30), LeftF: fa, RightF: fb}, nil
}

// Confirm checks a point found elsewhere (the prover's search on the set
// where a kink's argument is zero): a counterexample if the two sides
// differ there at high precision, as for a point drawn here.
func Confirm(ctx context.Context, a, b ast.Expr, pt ast.Bindings) (*Counterexample, error) {
	return confirm(ctx, a, b, pt, math.NaN(), math.NaN())
}

// nearKink reports whether a kink's argument (of abs, sign, step, max, ...)
// is so close to zero at pt that its sign is in doubt: not exactly zero at
// 512 bits, but below 2^-100. A value of sign(u) at a u that is really 0
// but computed as 1e-80 would fake a difference that precision does not
// remove.
func nearKink(ctx context.Context, e ast.Expr, pt ast.Bindings) bool {
	if !ast.HasKinks(e) {
		return false
	}
	d, err := ast.KinkDistanceBig(ctx, e, nil, pt, 512)
	if err != nil || d == nil || d.Sign() == 0 {
		return false
	}
	return d.Cmp(new(big.Float).SetMantExp(big.NewFloat(1), -100)) < 0
}

// trim cuts the random arrays of a counterexample down to the entries the
// expressions read, so that it can be shown: it tries extents from the
// largest size or index upwards and keeps the first at which both sides
// evaluate exactly as before.
func trim(ctx context.Context, a, b ast.Expr, pt ast.Bindings) ast.Bindings {
	va, errA := ast.EvalContext(ctx, a, nil, pt)
	vb, errB := ast.EvalContext(ctx, b, nil, pt)
	if errA != nil || errB != nil {
		return pt
	}
	extent := 1
	for _, v := range pt {
		if v.Shape == nil && v.Data[0] == math.Trunc(v.Data[0]) && v.Data[0] >= 1 && v.Data[0] <= arrayDim {
			extent = max(extent, int(v.Data[0]))
		}
	}
	for e := extent; e < arrayDim; e *= 2 {
		small := ast.Bindings{}
		for n, v := range pt {
			small[n] = cut(v, e)
		}
		ta, errA := ast.EvalContext(ctx, a, nil, small)
		tb, errB := ast.EvalContext(ctx, b, nil, small)
		if errA == nil && errB == nil && ta == va && tb == vb {
			return small
		}
	}
	return pt
}

// cut keeps the first e entries of every dimension of an array.
func cut(v ast.Value, e int) ast.Value {
	if v.Shape == nil {
		return v
	}
	shape := make([]int, len(v.Shape))
	for k, d := range v.Shape {
		shape[k] = min(d, e)
	}
	var data []float64
	var rec func(dim, off, stride int)
	strides := make([]int, len(v.Shape))
	st := 1
	for k := len(v.Shape) - 1; k >= 0; k-- {
		strides[k] = st
		st *= v.Shape[k]
	}
	rec = func(dim, off, _ int) {
		for i := 0; i < shape[dim]; i++ {
			o := off + i*strides[dim]
			if dim == len(shape)-1 {
				data = append(data, v.Data[o])
			} else {
				rec(dim+1, o, 0)
			}
		}
	}
	rec(0, 0, 0)
	return ast.Value{Shape: shape, Data: data}
}

// ignoreDomain treats a point where high precision finds a side undefined
// as no evidence either way.
func ignoreDomain(err error) error {
	var de *ast.DomainError
	if errors.As(err, &de) {
		return nil
	}
	var me *ast.MissingError
	if errors.As(err, &me) {
		return nil
	}
	if errors.Is(err, ast.ErrTooManySteps) {
		return nil
	}
	return err
}

// SampleRule compares two sides at up to n random points where the
// conditions hold, confirming any difference at high precision. It
// returns the counterexample, if any, and the numbers of points compared
// and skipped (a condition failed or a side was undefined).
func SampleRule(ctx context.Context, a, b ast.Expr, conds []ast.Cond, n int) (*Counterexample, int, int, error) {
	var parts []ast.Expr
	parts = append(parts, a, b)
	for _, c := range conds {
		parts = append(parts, c.X, c.Y)
	}
	g := &pointGen{rng: rand.New(rand.NewPCG(0xc0ffee, uint64(n))), nm: classify(parts...)}
	valid, skipped := 0, 0
	for attempt := 0; attempt < 4*n && valid < n; attempt++ {
		if err := ctx.Err(); err != nil {
			return nil, valid, skipped, err
		}
		g.simple = attempt < n/5
		pt := g.next()
		if !condsHold(conds, pt) {
			skipped++
			continue
		}
		va, errA := ast.EvalBound(ctx, a, nil, pt)
		vb, errB := ast.EvalBound(ctx, b, nil, pt)
		if errA != nil || errB != nil {
			skipped++
			continue
		}
		valid++
		if floatClose(va, vb) {
			continue
		}
		ce, err := confirm(ctx, a, b, pt, va, vb)
		if err != nil {
			return nil, valid, skipped, err
		}
		if ce != nil {
			return ce, valid, skipped, nil
		}
	}
	return nil, valid, skipped, nil
}

// condsHold evaluates a rule's conditions at a point.
func condsHold(conds []ast.Cond, pt ast.Bindings) bool {
	for _, c := range conds {
		x, err1 := ast.Eval(c.X, nil, pt)
		y, err2 := ast.Eval(c.Y, nil, pt)
		if err1 != nil || err2 != nil {
			return false
		}
		ok := false
		switch c.Op {
		case ">":
			ok = x > y
		case ">=":
			ok = x >= y
		case "<":
			ok = x < y
		case "<=":
			ok = x <= y
		case "!=":
			ok = x != y
		case "==":
			ok = x == y
		}
		if !ok {
			return false
		}
	}
	return true
}
