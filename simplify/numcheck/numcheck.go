// Package numcheck compares expressions numerically: it draws points
// where both sides are defined (at all magnitudes, and inside the bounds
// the sides' logs and roots imply: domain.go), evaluates them in float64,
// and confirms a difference at high precision, against a bound on the
// rounding of the evaluation (precise.go), before calling it a
// counterexample. It is the prover's and the rule checker's independent
// witness, and it reads nothing but the expressions (package ast), so it
// cannot share a bug with the symbolic engine.
package numcheck

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/symdiff/symdiff/ast"
)

// Numerical testing. Points are drawn from a fixed seed, so the same
// identity always gets the same verdict. Real values are float64 numbers
// with few significant bits (multiples of 1/1024 near 0), exact in float64
// and in big.Float, so a high-precision evaluation sees exactly the point
// float64 saw. They come from three sources: a box around 0 (small
// values read well in a counterexample), all magnitudes from 1e-6 to 1e8
// of both signs, and the spans the sides' domains imply (domain.go).

// A Counterexample is a point where two expressions differ.
type Counterexample struct {
	Bindings ast.Bindings
	// Left and Right are the two sides' values at 512 bits, to 30 digits.
	Left, Right string
	// LeftF and RightF are the float64 values.
	LeftF, RightF float64
	// Diff is left − right to 6 digits when the sides print alike to 30
	// digits (log(exp(x) + exp(-1000)) against x at 962: both 962), so a
	// reader sees by how much they differ; else "".
	Diff string
}

// newCounter makes the counterexample at pt with the sides' values.
func newCounter(pt ast.Bindings, l, r *big.Float, fl, fr float64) *Counterexample {
	c := &Counterexample{Bindings: pt, Left: valueText(l), Right: valueText(r), LeftF: fl, RightF: fr}
	if c.Left == c.Right {
		d := new(big.Float).SetPrec(max(l.Prec(), r.Prec())).Sub(l, r)
		c.Diff = d.Text('g', 6)
	}
	return c
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
	// free index is mostly drawn below it. maxIndex is the largest number used
	// as an index: sizes must reach it.
	minHi, maxIndex int64
	// ranged are the names with an assumed range (ranges.go), in the
	// order they are drawn.
	ranged []string
	// subscripts are the free names used as an array's index.
	subscripts map[string]bool
	// inRange are the free indices that subscript an array where a sum
	// runs over it (k in w[k] when some sum reads w[j] for its j): as the
	// README says, such an index lies in that sum's range, and is never
	// drawn past it.
	inRange map[string]bool
}

// slotOf names one index position of an array.
type slotOf struct {
	array string
	pos   int
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
	nm := names{arrays: map[string]int{}, subscripts: map[string]bool{}, inRange: map[string]bool{}}
	sizes, indices, scalars := map[string]bool{}, map[string]bool{}, map[string]bool{}
	runOver := map[slotOf]bool{}           // positions a sum's variable reads
	freeAt := map[string]map[slotOf]bool{} // free index → positions it reads
	// bound lists the variables of the sums around e: a few names, where
	// a map copied at every sum was a tenth of what a proof's check
	// allocated.
	var walk func(e ast.Expr, bound []string)
	seen := map[ast.Expr]bool{}
	isBound := func(bound []string, n string) bool { return slices.Contains(bound, n) }
	walk = func(e ast.Expr, bound []string) {
		if len(bound) == 0 {
			if seen[e] {
				return
			}
			seen[e] = true
		}
		switch x := e.(type) {
		case *ast.Sym:
			if !isBound(bound, x.Name) {
				scalars[x.Name] = true
			}
		case *ast.Index:
			nm.arrays[x.Name] = len(x.Indices)
			for p, i := range x.Indices {
				if s, ok := i.(*ast.Sym); ok && !isBound(bound, s.Name) {
					indices[s.Name] = true
					nm.subscripts[s.Name] = true
					if freeAt[s.Name] == nil {
						freeAt[s.Name] = map[slotOf]bool{}
					}
					freeAt[s.Name][slotOf{x.Name, p}] = true
				} else if ok {
					runOver[slotOf{x.Name, p}] = true
				}
				noteNumber(&nm, i)
			}
		case *ast.Call:
			if x.Fn == "delta" {
				for _, a := range x.Args {
					if s, ok := a.(*ast.Sym); ok && !isBound(bound, s.Name) {
						indices[s.Name] = true
					}
					noteNumber(&nm, a)
				}
			}
			for _, a := range x.Args {
				walk(a, bound)
			}
		case *ast.Iverson:
			// The operands of a condition are indices and sizes.
			for _, a := range x.Args {
				for _, n := range ast.FreeNames(a) {
					if !isBound(bound, n) {
						indices[n] = true
					}
				}
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
					if !isBound(bound, n) {
						sizes[n] = true
					}
				}
				walk(b, bound)
			}
			walk(x.Body, append(bound[:len(bound):len(bound)], x.Var))
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
		for at := range freeAt[n] {
			if runOver[at] {
				nm.inRange[n] = true
			}
		}
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

// recyclePoints lets Sample reuse the map and values of a point it is
// done with for the next one (arrays.go); tests turn it off.
var recyclePoints = true

// lazyArrays lets Sample bind a point's arrays only as far as it reads
// them (arrays.go); tests turn it off to compare with whole arrays.
var lazyArrays = true

// arrayDim is the extent of every dimension of a random array: larger
// than any size or free index drawn.
const arrayDim = 16

type pointGen struct {
	rng *rand.Rand
	nm  names
	// simple points come first: small sizes and quarter-integers, so that
	// a counterexample, when one is easy to find, is easy to read.
	simple bool
	// wide points draw scalars and array entries from all magnitudes.
	wide bool
	// spans bound the scalars whose domain is restricted.
	spans map[string]span
	as    *Assumptions // what the user assumed (assume.go); may be nil
	// assumed lists the names as has sets or intervals for, sorted, once
	// assumedSorted.
	assumed       []string
	assumedSorted bool
	// empty reports that the last point drawn left a range empty at
	// every try (ranges.go): it is not to be used.
	empty bool
	// unmet reports that the last point drawn could not be made to
	// satisfy an equality assumption (equations.go), or breaks an
	// assumed comparison (order.go).
	unmet bool
	// small points draw sizes from 1 even where numbers are used as
	// indices: sum(j=3..n, x[j]) == sum(j=1..n, x[j]) - x[1] - x[2] is
	// false at n = 1 only.
	small bool
	// lazy points bind their arrays only up to their extent (arrays.go);
	// complete binds the rest.
	lazy bool
	// arrayNames are the arrays' names, sorted; cur is the last point's
	// arrays, and erng, on emix, draws their entries.
	arrayNames []string
	cur        pointArrays
	emix       entrySource
	erng       *rand.Rand
	// blk holds the last point's map and values; spare, those of a point
	// given back (recycle), for the next point to reuse.
	blk, spare pointBlocks
}

// newPointGen makes a generator of points for the names nm, from seed.
func newPointGen(seed uint64, n int, nm names, spans map[string]span, as *Assumptions) *pointGen {
	return &pointGen{rng: rand.New(rand.NewPCG(seed, uint64(n))), nm: nm, spans: spans, as: as}
}

// wideReal is ±10^u for u uniform in [-6, 8], with 10 significant bits.
func wideReal(r *rand.Rand) float64 {
	v := roundBits((1+9*r.Float64())*math.Pow10(r.IntN(14)-6), 10)
	if r.IntN(2) == 0 {
		v = -v
	}
	return v
}

// real draws a value; in a wide point, from all magnitudes with
// probability wide/8.
func (g *pointGen) real(wide int) float64 { return drawReal(g.rng, g.simple, g.wide, wide) }

// drawReal draws a value from r for a point that is simple or wide (see
// pointGen), from all magnitudes with probability wide/8 in a wide one.
func drawReal(r *rand.Rand, simple, isWide bool, wide int) float64 {
	if isWide && !simple && r.IntN(8) < wide {
		return wideReal(r)
	}
	if simple {
		v := float64(r.IntN(17)-8) / 4
		if v == 0 {
			v = 0.5
		}
		return v
	}
	var v float64
	switch u := r.Float64(); {
	case u < 0.55:
		v = r.Float64()*5 - 2.5
	case u < 0.85:
		v = 0.05 + r.Float64()*2.95
	default:
		v = -(0.05 + r.Float64()*2.95)
	}
	v = math.Round(v*1024) / 1024
	if v == 0 {
		v = 1.0 / 1024
	}
	return v
}

// drawSizes draws the sizes, then the free indices that have no range:
// mostly from 1 to the smallest size, where the sums they meet reach them,
// and one point in four just past it, since nothing says such an index is
// in range (sum(j=1..d, delta(j, k)) is 0 at k = d + 1, not 1), unless it
// reads an array that a sum runs over (nm.inRange). An index with an
// assumed range is drawn by drawRanged. A later
// try (a range was left empty) draws the sizes from a wider box.
func (g *pointGen) drawSizes(b ast.Bindings, try int) {
	minSize := int64(3)
	if g.nm.minHi > 0 {
		minSize = g.nm.minHi
	}
	floor := max(1, min(g.nm.maxIndex, arrayDim/2)) // sizes reach the numbers used as indices
	if g.small {
		floor = 1
	}
	for _, n := range g.nm.sizes {
		v := floor - 1 + int64(1+g.rng.IntN(5+try))
		if g.simple {
			v = floor - 1 + int64(1+g.rng.IntN(2+try))
		}
		minSize = min(minSize, v)
		b[n] = g.scalar(float64(v))
	}
	minSize = max(minSize, 1)
	for _, n := range g.nm.indices {
		v := 1 + g.rng.Int64N(minSize)
		if !g.simple && g.rng.IntN(4) == 0 && !g.nm.inRange[n] {
			v = minSize + 1 + g.rng.Int64N(2)
		}
		b[n] = g.scalar(float64(v))
	}
}

func (g *pointGen) next() ast.Bindings {
	b := g.newPoint()
	g.empty, g.unmet = false, false
	for try := 0; ; try++ {
		g.drawSizes(b, try)
		if g.drawRanged(b) {
			break
		}
		if try == rangeTries-1 {
			g.empty = true
			break
		}
	}
	for _, n := range g.nm.scalars {
		v := g.real(5)
		if s, ok := g.spans[n]; ok && !(v > s.lo && v < s.hi) {
			// Mostly inside the domain, sometimes anywhere.
			if g.simple || g.rng.IntN(4) > 0 {
				v = g.inSpan(s)
			}
		}
		b[n] = g.scalar(v)
	}
	// One draw of the point's stream keys all its array entries.
	g.cur = pointArrays{seed: g.rng.Uint64(), simple: g.simple, wide: g.wide}
	lazy := g.lazy && !g.as.touchArrays(&g.nm)
	if !lazy {
		if sizesFirst {
			g.as.solveSizes(b) // before the arrays take their shape from them
		}
		g.bindArrays(b, math.MaxInt)
	}
	g.as.apply(g, b)
	if g.as != nil && len(g.as.Order) > 0 {
		g.drawOrderNames(b)
	}
	if g.as != nil && len(g.as.Equations) > 0 && (!g.as.solve(g, b) || !g.as.Admits(b)) {
		g.unmet = true
	}
	if g.as != nil && len(g.as.Order) > 0 && !g.unmet {
		g.unmet = !g.as.admitsOrder(b)
	}
	if lazy {
		// After the assumptions, which may have changed sizes.
		g.bindArrays(b, extent(&g.nm, b))
	}
	if g.as.arrays() != nil && !g.unmet && !g.declaredFit(b, !lazy) {
		if !lazy && g.declaredFit(b, false) && !g.as.readsArrays(g.arrayNames) {
			// The assumptions set a size after the arrays were bound
			// whole (assume n == 3), and read none of their entries:
			// bound again at the sizes.
			g.bindArrays(b, math.MaxInt)
		} else {
			g.unmet = true // not a point of the declarations
		}
	}
	return b
}

// A Report is the outcome of sampling two expressions.
type Report struct {
	// Counter is a confirmed counterexample, nil if none was found.
	Counter *Counterexample
	// Tried says what was done, for a person.
	Tried string
	// Valid counts the points where both sides were defined; 0 means the
	// check saw nothing of the domain.
	Valid int
	// Stuck counts the points where the sides differed by less than the
	// rounding bound at every precision tried: no evidence either way.
	Stuck int
}

// Refute looks for a counterexample at random points.
func Refute(ctx context.Context, a, b ast.Expr) (*Report, error) {
	return Sample(ctx, a, b, 200, true, 30*time.Second)
}

// Check evaluates a claimed equality at a few points: a counterexample
// means the claim is wrong, and no valid point means it was not checked.
func Check(ctx context.Context, a, b ast.Expr) (*Report, error) {
	return Sample(ctx, a, b, 24, false, 2*time.Second)
}

// Sample evaluates a and b at up to n points where both are defined.
// Every difference float64 sees is re-examined at high precision against
// a rounding bound (precise.go). With deep set, it also compares the two
// at high precision at a few points where float64 sees no difference (to
// catch near misses). The search stops after budget (sums over huge
// ranges are slow to evaluate), and says so.
func Sample(ctx context.Context, a, b ast.Expr, n int, deep bool, budget time.Duration) (*Report, error) {
	return SampleAssuming(ctx, a, b, n, deep, budget, nil)
}

// SampleAssuming is Sample at points where the assumptions hold.
func SampleAssuming(ctx context.Context, a, b ast.Expr, n int, deep bool, budget time.Duration, as *Assumptions) (*Report, error) {
	nm := classify(a, b)
	as.withRanges(&nm)
	g := newPointGen(0x5eed, n, nm, domainSpans(ctx, nm.scalars, a, b), as)
	g.lazy = lazyArrays
	rep := &Report{}
	if as != nil && len(as.Contradictions) > 0 {
		rep.Tried = "no point was drawn: the assumptions contradict each other (" + strings.Join(as.Contradictions, "; ") + ")"
		return rep, nil
	}
	if why := as.noSize(); why != "" {
		rep.Tried = "no point was drawn: " + why
		return rep, nil
	}
	if as != nil && len(as.Unsolved) > 0 {
		rep.Tried = "no point was drawn: cannot draw points where " + strings.Join(as.Unsolved, " and ") + " holds"
		return rep, nil
	}
	closeCalls, bigOnly, beyond, empty, unmet, pastDeclared := 0, 0, 0, 0, 0, 0
	var pastWhy error // the first read past a declared array's shape
	pa, pb := compile(a), compile(b)
	defer pa.release()
	defer pb.release()
	var bigCounter *Counterexample
	var agreePoints, wideAgree []ast.Bindings
	deadline := time.Now().Add(budget)
	outOfTime, searched := false, false
	var last ast.Bindings
	var lastArrays pointArrays // how last's arrays were drawn
	for attempt := 0; attempt < 3*n && rep.Valid < n; attempt++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if time.Now().After(deadline) && (rep.Valid > 0 || searched) {
			outOfTime = true
			break
		}
		g.simple = attempt < n/4
		g.wide = attempt%2 == 1
		// The last eighth of the points: sizes below the numbers used as
		// indices too, the first half of them simple.
		// With declared arrays, a quarter of the points too: a sum past a
		// declared extent is undefined at every larger size
		// (sum(j=1..d, w[2,j]) with w : vector(3) has a value at d = 1).
		g.small = nm.maxIndex > 1 && (rep.Valid >= n-n/8 || as.arrays() != nil && attempt%4 == 3)
		g.simple = g.simple || g.small && rep.Valid < n-n/16
		pt := g.next()
		if g.empty {
			empty++
			continue
		}
		if g.unmet {
			unmet++
			continue
		}
		drawn := true // pt is the point drawn, not one the search found
		if rep.Valid == 0 && !searched && attempt >= n && len(nm.scalars) > 0 {
			// Nothing defined so far: walk the scalars of the last point out.
			searched = true
			// Walked out with its whole arrays, bound as it was drawn, in
			// blocks of its own.
			drawnArrays, drawnBlk := g.cur, g.blk
			g.cur, g.blk = lastArrays, pointBlocks{}
			g.complete(last)
			lastArrays = g.cur
			g.cur, g.blk = drawnArrays, drawnBlk
			if found, ok := search(ctx, a, b, last, nm.scalars); ok && as.Admits(found) {
				pt, drawn = found, false
				g.cur, g.blk = lastArrays, pointBlocks{}
			}
		}
		va, vb, errA, errB := evalBoth(ctx, pa, pb, pt)
		if (readPast(errA) || readPast(errB)) && g.complete(pt) {
			// A read past the short arrays (arrays.go): the whole point
			// decides.
			va, vb, errA, errB = evalBoth(ctx, pa, pb, pt)
		}
		if as.arrays() != nil && (readPast(errA) || readPast(errB)) {
			// Past a declared shape: undefined there, and said why if no
			// point has a value.
			if pastDeclared++; pastWhy == nil {
				pastWhy = cmp.Or(errA, errB)
			}
		}
		last, lastArrays = pt, g.cur
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if overflowed(va, errA) || overflowed(vb, errB) {
			// Too large for float64 (a polynomial of degree 4096, exp(800)):
			// compare at high precision only.
			c, err := compare(ctx, a, b, pt, deadline)
			if errors.Is(err, errUnsupported) {
				beyond++
				continue
			}
			if err == nil && !c.defined {
				continue
			}
			if err != nil {
				return nil, err
			}
			rep.Valid++
			bigOnly++
			switch {
			case c.differ:
				// Kept in reserve: a counterexample float64 can show is
				// easier to check.
				if bigCounter == nil {
					l, _ := c.left.Float64()
					r, _ := c.right.Float64()
					bigCounter = newCounter(pt, c.left, c.right, l, r)
				}
			case c.stuck:
				rep.Stuck++
			}
			continue
		}
		if errA != nil || errB != nil {
			continue
		}
		rep.Valid++
		if floatClose(va, vb) {
			// Kept for a comparison at high precision (deep), with the
			// whole arrays, as a counterexample there is shown; else
			// nothing refers to the point any more (last only serves
			// while no point is valid).
			switch {
			case deep && len(agreePoints) < 3:
				g.complete(pt)
				agreePoints = append(agreePoints, pt)
			case deep && g.wide && len(wideAgree) < 3:
				g.complete(pt)
				wideAgree = append(wideAgree, pt)
			case drawn && recyclePoints:
				last = nil
				g.recycle()
			}
			continue
		}
		// Compared at high precision, and shown if they differ, with the
		// whole arrays, as drawn.
		g.complete(pt)
		ce, stuck, err := confirm(ctx, a, b, pt, va, vb, deadline, as)
		if err != nil {
			return nil, err
		}
		if ce != nil {
			rep.Counter = ce
			return rep, nil
		}
		if stuck {
			rep.Stuck++
		} else {
			closeCalls++ // float64 rounding, not a real difference
		}
	}
	if bigCounter != nil {
		rep.Counter = bigCounter
		return rep, nil
	}
	// Where the random points found none, the special ones (special.go);
	// in a search for a counterexample (deep), not in the check of a
	// proof.
	if deep {
		ce, err := special(ctx, g, a, b, time.Now().Add(max(budget/4, 100*time.Millisecond)))
		if err != nil {
			return nil, err
		}
		if ce != nil {
			rep.Counter = ce
			return rep, nil
		}
	}
	if rep.Valid == 0 && unmet > 0 {
		if as != nil && len(as.Order) > 0 {
			rep.Tried = fmt.Sprintf("no point was found where the assumptions hold (%d points tried)", unmet)
		} else {
			rep.Tried = fmt.Sprintf("no point was found where the equality assumptions hold exactly (%d points tried: a solved value was undefined, outside its assumed values, or not exactly representable)", unmet)
		}
		return rep, nil
	}
	if rep.Valid == 0 && empty > 0 {
		rep.Tried = fmt.Sprintf("no point was found where the ranges %s are non-empty (%d points tried, each with up to %d draws of the sizes)", describeRanges(as, nm), empty, rangeTries)
		return rep, nil
	}
	if rep.Valid == 0 {
		where := "where both sides are defined"
		if as != nil && (len(as.Order) > 0 || len(as.Intervals) > 0 || len(as.Sets) > 0 || len(as.Ranges) > 0) {
			where += " and the assumptions hold"
		}
		if beyond > 0 {
			where = fmt.Sprintf("where both sides are defined and within the range evaluated, 2^±%d (%d points were beyond it)", maxExpBits, beyond)
		}
		rep.Tried = fmt.Sprintf("no point was found %s (%d tried, at magnitudes from 1e-6 to 1e8, inside the bounds the logs and roots imply, and by walking each name out to ±2^27)", where, 3*n)
		if pastDeclared > 0 {
			rep.Tried += fmt.Sprintf("; at %d of them an entry is read past the declared shape of its array (at the first: %v)", pastDeclared, pastWhy)
		}
		if low := belowOne(as, a, b); low != "" {
			rep.Tried += fmt.Sprintf("; an array is read at an index below 1 (%s), and numbers are bound to arrays from index 1 only", low)
		}
		return rep, nil
	}
	tried := fmt.Sprintf("numerically equal at %d random points", rep.Valid)
	if outOfTime {
		tried += fmt.Sprintf(" (the time for sampling, %v, ran out)", budget)
	}
	if deep {
		deepPoints := append(agreePoints, wideAgree...)
		checked := 0
		for _, pt := range deepPoints {
			ce, stuck, err := confirm(ctx, a, b, pt, math.NaN(), math.NaN(), deadline.Add(budget/2), as)
			if err != nil {
				return nil, err
			}
			if ce != nil {
				rep.Counter = ce
				return rep, nil
			}
			if stuck {
				rep.Stuck++
			}
			checked++
		}
		if checked > 0 {
			tried += fmt.Sprintf(", and to more than 40 digits at %d of them", checked)
		}
	}
	if closeCalls > 0 {
		tried += fmt.Sprintf(" (%d differences in float64 vanished at higher precision)", closeCalls)
	}
	if bigOnly > 0 {
		tried += fmt.Sprintf(" (%d of the points only at high precision: the values overflow float64)", bigOnly)
	}
	if rep.Stuck > 0 {
		tried += fmt.Sprintf(" (at %d points the sides differed by less than the rounding bound of the evaluation, up to %d bits: no evidence either way)", rep.Stuck, maxPrec)
	}
	rep.Tried = tried
	return rep, nil
}

// evalBoth evaluates a and b at pt in float64, b only if a is defined.
func evalBoth(ctx context.Context, a, b compiled, pt ast.Bindings) (va, vb float64, errA, errB error) {
	va, errA = a.eval(ctx, pt)
	if errA == nil {
		vb, errB = b.eval(ctx, pt)
	}
	return va, vb, errA, errB
}

// compiled is an expression evaluated at many points: by its
// ast.Program, which gives ast.EvalBound's value and error without
// walking the DAG as a tree, or by EvalBound where it has none.
type compiled struct {
	e ast.Expr
	p *ast.Program
}

func compile(e ast.Expr) compiled { return compiled{e: e, p: ast.Compile(e)} }

// release gives the program's buffers back; c is not evaluated after it.
func (c compiled) release() { c.p.Release() }

func (c compiled) eval(ctx context.Context, pt ast.Bindings) (float64, error) {
	if c.p == nil {
		return ast.EvalBound(ctx, c.e, nil, pt)
	}
	return c.p.Eval(ctx, pt)
}

// overflowed reports an evaluation that failed only because float64 ran
// out of range (the result is ±Inf, or NaN from Inf - Inf).
func overflowed(v float64, err error) bool {
	if err == nil || !(math.IsInf(v, 0) || math.IsNaN(v)) {
		return false // without errors.As, whose target escapes: an allocation per evaluation
	}
	var de *ast.DomainError
	return errors.As(err, &de)
}

func floatClose(a, b float64) bool {
	if a == b {
		return true
	}
	scale := math.Max(math.Abs(a), math.Abs(b))
	return math.Abs(a-b) <= 1e-9*scale
}

// confirm compares the two sides at high precision (compare): the point
// is a counterexample only if the difference stands clear of the rounding
// bound at two precisions. stuck reports a difference that stayed below
// the bound up to the highest precision tried.
func confirm(ctx context.Context, a, b ast.Expr, pt ast.Bindings, fa, fb float64, deadline time.Time, as *Assumptions) (ce *Counterexample, stuck bool, err error) {
	c, err := compare(ctx, a, b, pt, deadline)
	if err != nil {
		if errors.Is(err, errUnsupported) {
			return nil, false, nil
		}
		return nil, false, err
	}
	if nearKink(ctx, a, pt) || nearKink(ctx, b, pt) {
		return nil, false, nil // the sign of a kink's argument is in doubt there
	}
	if !c.differ {
		return nil, c.stuck, nil
	}
	if !as.fits(pt, true, true) {
		// Not a point of the declarations (a size that is not a whole
		// number from 1, an array not of its declared shape): a
		// difference there is no counterexample.
		return nil, false, nil
	}
	if math.IsNaN(fa) {
		fa, _ = c.left.Float64()
		fb, _ = c.right.Float64()
	}
	return newCounter(trim(ctx, a, b, pt, as.declared), c.left, c.right, fa, fb), false, nil
}

// Confirm checks a point found elsewhere (the prover's search on the set
// where a kink's argument is zero): a counterexample if the two sides
// differ there at high precision, as for a point drawn here.
func Confirm(ctx context.Context, a, b ast.Expr, pt ast.Bindings, as *Assumptions) (*Counterexample, error) {
	ce, _, err := confirm(ctx, a, b, pt, math.NaN(), math.NaN(), time.Now().Add(5*time.Second), as)
	return ce, err
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
// evaluate exactly as before. Declared arrays keep their declared shape.
func trim(ctx context.Context, a, b ast.Expr, pt ast.Bindings, declared func(string) bool) ast.Bindings {
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
			if declared(n) {
				small[n] = v
			} else {
				small[n] = cut(v, e)
			}
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
	nm := classify(parts...)
	g := newPointGen(0xc0ffee, n, nm, domainSpans(ctx, nm.scalars, a, b), nil)
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
		ce, _, err := confirm(ctx, a, b, pt, va, vb, time.Time{}, nil)
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

// CondsHold reports whether a rule's conditions hold at pt (evaluated in
// float64; a condition that cannot be evaluated does not hold).
func CondsHold(conds []ast.Cond, pt ast.Bindings) bool { return condsHold(conds, pt) }

// valueText writes a side's value to 30 digits; a zero is 0 whatever its
// sign (−step(…)/n at 0 is −0 as a float, not a value a person writes).
func valueText(v *big.Float) string {
	if v.Sign() == 0 {
		return "0"
	}
	return v.Text('g', 30)
}
