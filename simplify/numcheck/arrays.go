package numcheck

import (
	"context"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/symdiff/symdiff/ast"
)

// Random arrays. A point's array is arrayDim entries long in each
// dimension (6 from rank 3), but a point reads only the entries up to its
// sizes and indices (sums over i = 1..n with n of 1 to 5): drawing all 256
// entries of a matrix for every point was a quarter of a proof's CPU and
// of its allocation. So each entry is drawn from a stream of its own,
// keyed by the point (a seed drawn from the point's stream), the array
// and the entry's position in the whole array: its value is the same
// however many entries are bound. A lazy point binds its arrays only up to
// its extent (the largest size, index or number used as an index); an
// evaluation that reads past it fails, and the point is completed (every
// entry bound, the ones bound before unchanged) and evaluated again. An
// evaluation that succeeds on the short arrays read only entries they hold,
// which the whole arrays hold with the same values, so it is the whole
// point's value: the points are the same as if every entry were drawn.
// Where the assumptions rewrite array entries (sets, intervals, sums,
// equations, comparisons) the arrays are bound whole before them.

// pointArrays is what completing the last point's arrays needs.
type pointArrays struct {
	seed         uint64
	simple, wide bool
	// partial is set when some array was bound short of its full extent.
	partial bool
}

// entrySource is a SplitMix64 stream, restarted for each entry.
type entrySource struct{ s uint64 }

func (e *entrySource) Uint64() uint64 {
	e.s += 0x9e3779b97f4a7c15
	return mix64(e.s)
}

// mix64 is SplitMix64's finaliser: every input bit moves every output bit.
func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// fullDim is the extent of every dimension of an array of rank rank.
func fullDim(rank int) int {
	if rank >= 3 {
		return 6
	}
	return arrayDim
}

// extent is how far a point's arrays are bound when lazy: the largest
// whole scalar of the point in 1..arrayDim (its sizes and indices), and
// the largest number used as an index.
func extent(nm *names, b ast.Bindings) int {
	e := int(min(max(nm.maxIndex, 1), arrayDim))
	for _, v := range b {
		if v.Shape == nil && len(v.Data) == 1 {
			x := v.Data[0]
			if x >= 1 && x <= arrayDim && x == math.Trunc(x) {
				e = max(e, int(x))
			}
		}
	}
	return e
}

// touchArrays reports whether the assumptions rewrite or read array
// entries of a point as it is drawn: then the arrays are bound whole.
func (as *Assumptions) touchArrays(nm *names) bool {
	if as == nil {
		return false
	}
	if len(as.Sums) > 0 || len(as.Equations) > 0 || len(as.Order) > 0 {
		return true
	}
	for n := range nm.arrays {
		if _, ok := as.Sets[n]; ok {
			return true
		}
		if _, ok := as.Intervals[n]; ok {
			return true
		}
	}
	return false
}

// declCap bounds a declared dimension that a point binds as declared; a
// larger one (or a size not drawn as a whole number in 1..declCap) is
// bound as an undeclared array's. It is also the stride of a declared
// array's entry keys, so that an entry's value does not depend on the
// point's sizes.
const declCap = 64

// numCap bounds a declared dimension written as a number (x :
// vector(100)) that a point binds as declared, and numEntries the
// entries of such an array: x was shown at 16 entries. Past them the
// array is bound as an undeclared one's, and a point with it does not fit
// its declarations (no counterexample is drawn there).
const (
	numCap     = 1024
	numEntries = 1 << 14
)

// numDims reports whether the dimensions full, of an array declared with
// some written as numbers, are ones a point binds as declared.
func numDims(full []int) bool {
	total := 1
	for _, f := range full {
		if f > numCap {
			return false
		}
		total *= f
	}
	return total <= numEntries
}

// arrays is as.Arrays, nil when as is.
func (as *Assumptions) arrays() map[string][]ast.Expr {
	if as == nil {
		return nil
	}
	return as.Arrays
}

// declared reports whether name is a declared vector or matrix.
func (as *Assumptions) declared(name string) bool {
	if as == nil {
		return false
	}
	_, ok := as.Arrays[name]
	return ok
}

// arrayDims sets full to the whole extent of each dimension of the point's
// array name and returns it with the stride of its entry keys: the
// declared dimensions, at the point's sizes, where name is declared and
// they are all in 1..declCap; else fullDim of the number of its indices
// in every dimension.
func (g *pointGen) arrayDims(name string, b ast.Bindings, full []int) ([]int, int) {
	full = full[:0]
	if dims, ok := g.as.arrays()[name]; ok {
		for _, d := range dims {
			v := -1
			switch d := d.(type) {
			case *ast.Num:
				if x, ok := d.Value.Int64(); ok && x >= 1 && x <= numCap {
					v = int(x)
				}
			case *ast.Sym:
				if x, ok := b[d.Name]; ok && x.Shape == nil && len(x.Data) == 1 {
					if f := x.Data[0]; f >= 1 && f <= declCap && f == math.Trunc(f) {
						v = int(f)
					}
				}
			}
			if v < 0 {
				full = full[:0]
				break
			}
			full = append(full, v)
		}
		if len(full) == len(dims) && numDims(full) {
			// The stride is declCap unless a dimension written as a
			// number is larger, so that the entries of arrays up to
			// declCap do not depend on the point's sizes.
			return full, max(declCap, slices.Max(full))
		}
	}
	rank := g.nm.arrays[name]
	for range rank {
		full = append(full, fullDim(rank))
	}
	return full, fullDim(rank)
}

// readsArrays reports whether an assumption reads or sets an entry of one
// of the arrays names.
func (as *Assumptions) readsArrays(names []string) bool {
	mentions := func(e ast.Expr) bool {
		found := false
		ast.Inspect(e, func(x ast.Expr) bool {
			if ix, ok := x.(*ast.Index); ok && slices.Contains(names, ix.Name) {
				found = true
			}
			if s, ok := x.(*ast.Sym); ok && slices.Contains(names, s.Name) {
				found = true
			}
			return !found
		})
		return found
	}
	for _, n := range names {
		_, set := as.Sets[n]
		_, iv := as.Intervals[n]
		if set || iv {
			return true
		}
	}
	for _, s := range as.Sums {
		if slices.Contains(names, s.Array) {
			return true
		}
	}
	for _, e := range as.Equations {
		if slices.Contains(names, e.Name) || mentions(e.Value) {
			return true
		}
	}
	for _, c := range as.Order {
		if mentions(c.L) || mentions(c.R) {
			return true
		}
	}
	return false
}

// declaredFit reports whether each declared array of the point b has its
// declared shape at b's sizes, and each of those sizes is a whole number
// from 1: an assumption may set a size after the arrays were bound
// (assume n == 1, with the arrays bound whole first), or draw it where no
// array has that size (assume n <= 1 drew n = -1). A size name past
// declCap does not fit: the array is bound in an undeclared one's shape
// then, and a counterexample showed n = 8.8e7 with w : vector(n) of 4
// entries. A size written as a number past numCap, or an array of more
// than numEntries entries, does not fit either. whole says the arrays were bound whole
// (a lazy point's are bound short, after the assumptions, at its sizes).
func (g *pointGen) declaredFit(b ast.Bindings, whole bool) bool {
	return g.as.fits(b, whole, false)
}

// fits is declaredFit; with sized, a size name of a declared array in b
// must be bound (a counterexample states the sizes of its arrays).
func (as *Assumptions) fits(b ast.Bindings, whole, sized bool) bool {
	for name, dims := range as.arrays() {
		v, ok := b[name]
		if !ok {
			continue
		}
		if whole && len(v.Shape) != len(dims) {
			return false
		}
		for k, d := range dims {
			want := -1
			switch d := d.(type) {
			case *ast.Num:
				x, ok := d.Value.Int64()
				if !ok || x < 1 || x > numCap {
					return false
				}
				want = int(x)
			case *ast.Sym:
				x, ok := b[d.Name]
				if !ok && sized {
					return false
				}
				if ok {
					if x.Shape != nil || len(x.Data) != 1 {
						return false
					}
					f := x.Data[0]
					if f < 1 || f > declCap || f != math.Trunc(f) {
						return false
					}
					want = int(f)
				}
			}
			if whole && want >= 0 && (k >= len(v.Shape) || v.Shape[k] != want) {
				return false
			}
		}
		if whole && !numDims(v.Shape) {
			return false
		}
	}
	return true
}

// bindSizesOf binds the size names of the declared array name that b
// lacks: the first whole number from the point's extent up that the
// assumptions allow (assume n >= 10); none, and the array takes an
// undeclared one's shape.
func (g *pointGen) bindSizesOf(name string, b ast.Bindings) {
	for _, d := range g.as.arrays()[name] {
		if s, ok := d.(*ast.Sym); ok {
			if _, bound := b[s.Name]; !bound {
				for v := extent(&g.nm, b); v <= declCap; v++ {
					if g.as.Holds(s.Name, float64(v)) {
						b[s.Name] = g.scalar(float64(v))
						break
					}
				}
			}
		}
	}
}

// bindArrays binds the arrays of the point g.cur describes, each
// dimension up to min(e, its full extent): all the data in one block.
func (g *pointGen) bindArrays(b ast.Bindings, e int) {
	if g.erng == nil {
		g.erng = rand.New(&g.emix)
	}
	if len(g.arrayNames) != len(g.nm.arrays) {
		g.arrayNames = slices.Sorted(maps.Keys(g.nm.arrays))
	}
	// A size of a declared array that the claim does not use (d of X :
	// matrix(n, d) in X[i,1] == 0) is bound too, to the point's extent, so
	// that the counterexample shows the array in a shape it declares.
	for _, n := range g.arrayNames {
		g.bindSizesOf(n, b)
	}
	var fullBuf [4]int
	total, ranks := 0, 0
	for _, n := range g.arrayNames {
		full, _ := g.arrayDims(n, b, fullBuf[:0])
		size := 1
		for _, f := range full {
			size *= min(e, f)
		}
		total += size
		ranks += len(full)
	}
	data, shapes := g.blk.data, g.blk.shapes
	if cap(data) < total {
		data = make([]float64, total)
	}
	if cap(shapes) < ranks {
		shapes = make([]int, ranks)
	}
	data, shapes = data[:total], shapes[:ranks]
	g.blk.data, g.blk.shapes = data, shapes
	partial := false
	for ai, n := range g.arrayNames {
		full, stride := g.arrayDims(n, b, fullBuf[:0])
		rank := len(full)
		shape := shapes[:rank:rank]
		shapes = shapes[rank:]
		size := 1
		for k, f := range full {
			shape[k] = min(e, f)
			partial = partial || shape[k] < f
			size *= shape[k]
		}
		vals := data[:size:size]
		data = data[size:]
		// The entry at position pos (0-based) of the short array has the
		// key of that position in the whole array.
		var buf [4]int
		pos := buf[:0]
		if rank > len(buf) {
			pos = make([]int, 0, rank)
		}
		pos = pos[:rank]
		clear(pos)
		for k := range vals {
			off := 0
			for p := range rank {
				off = off*stride + pos[p]
			}
			vals[k] = g.entry(ai, off)
			for p := rank - 1; p >= 0; p-- {
				if pos[p]++; pos[p] < shape[p] {
					break
				}
				pos[p] = 0
			}
		}
		b[n] = ast.Value{Shape: shape, Data: vals}
	}
	g.cur.partial = partial
}

// entry draws the entry at offset off of the whole array numbered array
// (in g.arrayNames) of the point g.cur describes. Array entries take far
// magnitudes more rarely than scalars (real(1)): one in a sum of many
// terms is enough to reach them, and most points stay defined.
func (g *pointGen) entry(array, off int) float64 {
	g.emix.s = mix64(g.cur.seed + (uint64(array)<<32|uint64(off))*0xd1342543de82ef95)
	return drawReal(g.erng, g.cur.simple, g.cur.wide, 1)
}

// readPast reports whether an evaluation failed on reading an array past
// its end: the one failure that the whole arrays may not have. Any other
// comes first in the evaluation at the short arrays, whose reads before
// it are the whole point's, so the whole point fails the same way. The
// words are ast's (eval.go); TestLazySampleSame fails if they change.
func readPast(err error) bool {
	return err != nil && strings.Contains(err.Error(), "index out of range")
}

// complete binds the whole arrays of the last point drawn, if it was
// drawn lazily and some array is short, and reports whether it did.
func (g *pointGen) complete(b ast.Bindings) bool {
	if !g.cur.partial {
		return false
	}
	g.bindArrays(b, math.MaxInt)
	return true
}

// pointBlocks are the allocations of a point: its map, its scalars'
// values, its arrays' entries and shapes.
type pointBlocks struct {
	b      ast.Bindings
	vals   []float64
	data   []float64
	shapes []int
}

// newPoint starts a point, in the blocks of the point given back last if
// there is one (most points of a check are used once and dropped: the
// map alone was 700 bytes of each).
func (g *pointGen) newPoint() ast.Bindings {
	blk := g.spare
	g.spare = pointBlocks{}
	if blk.b == nil {
		n := len(g.nm.sizes) + len(g.nm.indices) + len(g.nm.ranged) + len(g.nm.scalars)
		blk = pointBlocks{b: make(ast.Bindings, n+len(g.nm.arrays)), vals: make([]float64, 0, n)}
	} else {
		clear(blk.b)
		blk.vals = blk.vals[:0]
	}
	g.blk = blk
	return blk.b
}

// scalar binds v in the point's block of scalars while it has room.
func (g *pointGen) scalar(v float64) ast.Value {
	k := len(g.blk.vals)
	if k == cap(g.blk.vals) {
		return ast.Scalar(v)
	}
	g.blk.vals = append(g.blk.vals, v)
	return ast.Value{Data: g.blk.vals[k : k+1 : k+1]}
}

// recycle gives back the last point drawn, which nothing refers to any
// more: the next point reuses its map and values.
func (g *pointGen) recycle() {
	g.spare, g.blk = g.blk, pointBlocks{}
}

// solveSizes gives each declared size that the equations assume a value
// of (assume n == 3) that value at b, before the arrays are bound whole:
// bound at the size drawn, w : vector(n) did not fit n once the
// equations set it, and could not be bound again without losing an
// entry's assumed value (assume w[1] == 2), so no point was drawn. The
// scalar equations that read no array are substituted until nothing
// changes, in exact arithmetic, so that a chain gives the size too
// (assume n == m + 1 and m == 2: m = 2, then n = 3; n stayed unsolved
// when only equations of sizes were read). A size's value is given only
// where it is exactly a whole number from 1 to declCap that the
// assumptions allow, another name's where it is exactly a float64 they
// allow; solve gives them again, to the same values, with the rest.
func (as *Assumptions) solveSizes(b ast.Bindings) {
	if as == nil || len(as.Arrays) == 0 || len(as.Equations) == 0 {
		return
	}
	done := make([]bool, len(as.Equations))
	for changed := true; changed; {
		changed = false
		for i, eq := range as.Equations {
			if done[i] || len(eq.Indices) != 0 || as.readsArrayIn(eq.Value) {
				continue
			}
			r, _, err := ast.EvalExact(context.Background(), eq.Value, nil, b)
			if err != nil || r == nil {
				continue // a name not bound yet, or not exact
			}
			v, exact := r.Float64()
			if !exact || !as.Holds(eq.Name, v) {
				continue
			}
			if as.declaredSize(eq.Name) && (!r.IsInt() || v < 1 || v > declCap) {
				continue
			}
			done[i], changed = true, true
			b[eq.Name] = ast.Scalar(v)
		}
	}
}

// noSize says which size names of the declared arrays no whole number
// from 1 to declCap satisfies as their sets, intervals and the equations
// that give them a number allow (assume n < 1 or n == 0 for A :
// matrix(n, n)), or "" when each has one. A point has its
// declared arrays in their shape, at sizes that are whole numbers from 1:
// with none allowed there is no point, and a counterexample drawn anyway
// (n = -2, A 1×1) was none. It also names the arrays declared with sizes
// written as numbers that no point binds in their shape (numCap,
// numEntries).
func (as *Assumptions) noSize() string {
	if as == nil {
		return ""
	}
	var none, large []string
	for _, name := range slices.Sorted(maps.Keys(as.Arrays)) {
		dims := as.Arrays[name]
		var nums []int
		for _, d := range dims {
			if n, ok := d.(*ast.Num); ok {
				x, ok := n.Value.Int64()
				if !ok || x > numCap {
					x = numCap + 1
				}
				nums = append(nums, max(int(x), 1))
			}
		}
		if !numDims(nums) {
			large = append(large, name)
		}
		for _, d := range dims {
			s, ok := d.(*ast.Sym)
			if !ok || slices.Contains(none, s.Name) {
				continue
			}
			allowed := false
			for k := 1; k <= declCap && !allowed; k++ {
				allowed = as.Holds(s.Name, float64(k)) && as.fixed(s.Name, k)
			}
			if !allowed {
				none = append(none, s.Name)
			}
		}
	}
	var why []string
	if len(none) > 0 {
		slices.Sort(none)
		why = append(why, fmt.Sprintf("no whole number from 1 to %d satisfies the assumptions as the size %s of a declared array", declCap, strings.Join(none, ", ")))
	}
	if len(large) > 0 {
		why = append(why, fmt.Sprintf("%s is declared larger than the arrays a point binds (%d entries in a dimension, %d in all)", strings.Join(large, ", "), numCap, numEntries))
	}
	return strings.Join(why, "; ")
}

// fixed reports whether the size k of name is one the equations allow
// that give name a number (assume n == 0): any, where none does.
func (as *Assumptions) fixed(name string, k int) bool {
	for _, eq := range as.Equations {
		if eq.Name != name || len(eq.Indices) != 0 {
			continue
		}
		if n, ok := eq.Value.(*ast.Num); ok && n.Value.Cmp(ast.Int(int64(k))) != 0 {
			return false
		}
	}
	return true
}

// declaredSize reports whether name is a dimension of a declared array.
func (as *Assumptions) declaredSize(name string) bool {
	for _, dims := range as.Arrays {
		for _, d := range dims {
			if s, ok := d.(*ast.Sym); ok && s.Name == name {
				return true
			}
		}
	}
	return false
}

// readsArrayIn reports whether e reads an entry of an array (or names a
// declared one whole).
func (as *Assumptions) readsArrayIn(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(x ast.Expr) bool {
		switch x := x.(type) {
		case *ast.Index:
			found = true
		case *ast.Sym:
			found = found || as.declared(x.Name)
		}
		return !found
	})
	return found
}

// sizesFirst turns on solveSizes (the tests turn it off to see the
// oracle fail without it).
var sizesFirst = true
