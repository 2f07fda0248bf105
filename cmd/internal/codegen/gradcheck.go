package codegen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"math/big"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/cmd/internal/session"
	"github.com/symdiff/symdiff/simplify/numcheck"
)

// Gradient checking: the symbolic gradient, evaluated by ast.Eval, against
// central finite differences of the loss, evaluated the same way, at given
// or random points. Both sides use the float64 evaluator, which is
// independent of the derivative rules and of the simplifier.

// A CheckRequest says what to check.
type CheckRequest struct {
	Loss     ast.Expr
	Wrt      []ast.Expr
	Given    ast.Bindings // values given; the rest are drawn at random
	Points   int          // random points; 0 means 3 (1 when every value is given)
	Seed     uint64
	Tol      float64 // the largest relative error accepted; 0 means 1e-6
	Hessian  bool    // check the Hessian too, against differences of the gradient
	MaxTries int     // draws per point where the loss is undefined; 0 means 20
}

// A CheckResult is the worst error found for each variable.
type CheckResult struct {
	Rows   []CheckRow
	Worst  float64
	Tol    float64
	Points int
	Sizes  map[string]int // the sizes used (of the last point)
	// Forms are the results in matrix notation that were checked, for a
	// loss in matrix notation: d(loss, w) = X'*(sigma(X*w) - y)/n.
	Forms []string
	// At are the points, in the order checked (a row's Point is 1 for the
	// first): the values of the inputs, without the sizes.
	At []ast.Bindings
	// Kinks are the entries whose difference step meets a kink (abs,
	// relu, max, ..., a condition's boundary), where a central difference
	// is no check: they are checked against the convention at kinks.
	Kinks []KinkRow
	// Undecided are the entries whose finite difference could not be made
	// accurate enough to tell a relative error of Tol: its own error
	// stayed above fdResolve*Tol of its size with the step halved
	// maxHalvings times (or evaluated in float64). They are not ok.
	Undecided []UndecidedRow
}

// An UndecidedRow is an entry whose finite difference is too uncertain
// for a verdict: Numeric is known only to within NumErr.
type UndecidedRow struct {
	Var, Entry        string
	Point             int
	Symbolic, Numeric float64
	NumErr            float64
}

// A KinkRow is an entry at a kink: the one-sided differences, the
// symbolic value and the slope the convention at kinks prescribes (the
// central difference with every piece kept as at the point: relu'(0) = 0,
// sign(0) = 0, a tie of max or min to the first argument, ...). It is
// right where the symbolic value is the convention's and lies between the
// one-sided differences or equals one of them.
type KinkRow struct {
	Var, Entry  string
	Point       int
	Left, Right float64
	Symbolic    float64
	Convention  float64
	Agrees      bool // the symbolic value is the convention's
	Between     bool // ... between the one-sided differences, or one of them
	OK          bool // both
}

// A CheckRow is the worst component of one variable's gradient.
type CheckRow struct {
	Var       string // w[k]
	Entry     string // w[2], at the worst point
	Symbolic  float64
	Numeric   float64
	NumErr    float64 // the finite difference's own error, estimated
	RelErr    float64 // RelDiff beyond Bound: max(0, RelDiff - Bound), the verdict's measure
	RelDiff   float64 // |Symbolic - Numeric|/max(|Symbolic|, |Numeric|), raw
	Bound     float64 // NumErr/max(|Symbolic|, |Numeric|): the difference the finite difference explains
	Point     int
	Component int // how many components each point has
}

// OK reports whether every error is within the tolerance and every entry
// was decided.
func (r *CheckResult) OK() bool { return !r.Failed() && len(r.Undecided) == 0 }

// Failed reports whether an error is above the tolerance or an entry at a
// kink disagrees with the convention: the gradient is wrong. A result
// that is neither OK nor Failed could not be decided.
func (r *CheckResult) Failed() bool { return r.Worst > r.Tol || !r.kinksOK() }

// Verdict is "ok", "FAIL" or "cannot decide".
func (r *CheckResult) Verdict() string {
	switch {
	case r.Failed():
		return "FAIL"
	case !r.OK():
		return "cannot decide"
	}
	return "ok"
}

func (r *CheckResult) kinksOK() bool {
	for _, k := range r.Kinks {
		if !k.OK {
			return false
		}
	}
	return true
}

// relError is |a - b| / max(|a|, |b|, 1): relative for large values,
// absolute for small ones, where finite differences cannot do better.
func relError(a, b float64) float64 {
	return math.Abs(a-b) / math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// relParts are the raw relative difference of s and num and the finite
// difference's error relative to the same scale: excessError is the first
// beyond the second (up to rounding). gradcheck's REL ERROR column
// showed 0 where the two values agreed within the error, with neither
// shown; both are now columns of their own.
func relParts(s, num, errFD float64) (diff, bound float64) {
	scale := math.Max(math.Abs(s), math.Abs(num))
	if scale == 0 {
		return 0, 0
	}
	return math.Abs(s-num) / scale, errFD / scale
}

// excessError is the relative error of the symbolic value s against the
// finite difference num beyond the difference's own error errFD:
// (|s - num| - errFD)/max(|s|, |num|), at least 0. It is relative at every
// scale: |s - num|/max(|s|, |num|, 1) took 3e-166 against 1e-10 for
// agreement (an absolute error, unsaid), and a wrong 2e-166 would have
// passed as well.
func excessError(s, num, errFD float64) float64 {
	d := math.Abs(s-num) - errFD
	if d <= 0 {
		return 0
	}
	return d / math.Max(math.Abs(s), math.Abs(num))
}

// firstStep is the first finite difference step at x, a power of two
// near 1e-5 of |x| (2^-17 at 0), as an exponent: h = 2^firstStep(x). A
// step relative to x is possible because f is evaluated at high precision
// (centralDiff), where f(x ± h) for a tiny h loses nothing to rounding: a
// step of 1e-5*max(|x|, 1) at x = 1e-83 takes the slope of x^3 over
// [-1e-5, 1e-5], 1e-10, for its derivative 3e-166 at x. The step is
// exact, not a float64: 1e-5*|x| is 0 in float64 at x = 5e-324, and the
// difference divided 0 by 0.
func firstStep(x float64) int {
	if x == 0 {
		return -17
	}
	_, e := math.Frexp(x) // |x| = m*2^e, m in [1/2, 1)
	return e - 17
}

// fdPrec is the precision, in bits, of the evaluations of f for the
// finite differences: rounding of f, about 2^-fdPrec of it, divided by the
// least step, 2^-(17+maxHalvings) of |x|, is then far below any tolerance.
const fdPrec = 256

// maxHalvings bounds the halvings of the step in centralDiff: a step of
// 2^-57 of |x| is still far above rounding at fdPrec bits.
const maxHalvings = 40

// fdResolve is the share of the tolerance the finite difference's own
// error must be below for the difference to tell a derivative that is
// right from one that is wrong by the tolerance.
const fdResolve = 1.0 / 8

// centralDiff is the central difference of f at x and its error,
// estimated as its difference from the one with twice the step (a central
// difference's error falls by 4 with the step halved: what is left is a
// third of that). The step starts at 2^firstStep(x) and is halved until
// that error is below fdResolve*tol of max(|s|, |difference|), s the
// symbolic value, or maxHalvings is reached: where the step is coarse for
// f's curvature (sin(20000*x) at x = 1: 1e-5 spans 0.2 radians) the error
// estimate was large, and a derivative 0.1% off passed within it. resolved
// says whether the estimate got below that bound.
//
// x ± h are bound exactly (ast.Value.Exact) and f is evaluated at fdPrec
// bits; where that evaluation cannot be made (a function with no
// high-precision form), in float64 with eval's range check, and the step
// is not halved: rounding in float64 would then be all a smaller step
// measures.
func centralDiff(ctx context.Context, en Engine, f ast.Expr, bindAt func(float64, *big.Rat) ast.Bindings, x, s, tol float64) (num, errFD float64, resolved bool, err error) {
	defs := en.allDefs()
	xr := new(big.Rat).SetFloat64(x)
	inFloat := false
	at := func(k int, sign int) (ast.Bindings, *big.Float) {
		hb := new(big.Float).SetMantExp(big.NewFloat(1), k) // 2^k exactly
		hr, _ := hb.Rat(nil)
		if sign < 0 {
			hr.Neg(hr)
		}
		v := new(big.Rat).Add(xr, hr)
		vf, _ := v.Float64()
		return bindAt(vf, v), new(big.Float).SetPrec(fdPrec).SetRat(v)
	}
	diff := func(k int) (*big.Float, error) {
		bp, xp := at(k, 1)
		bm, xm := at(k, -1)
		fp, err1 := ast.EvalBig(ctx, f, defs, bp, fdPrec)
		fm, err2 := ast.EvalBig(ctx, f, defs, bm, fdPrec)
		if err := errors.Join(err1, err2); err != nil {
			var de *ast.DomainError
			if ctx.Err() != nil || errors.As(err, &de) {
				return nil, err
			}
			a, err1 := session.EvalNumber(ctx, f, defs, bp, false)
			b, err2 := session.EvalNumber(ctx, f, defs, bm, false)
			if err := errors.Join(err1, err2); err != nil {
				return nil, err
			}
			fp, fm = big.NewFloat(a), big.NewFloat(b)
			inFloat = true
		}
		d := new(big.Float).SetPrec(fdPrec).Sub(fp, fm)
		w := new(big.Float).SetPrec(fdPrec).Sub(xp, xm) // 2^(k+1), never 0
		return d.Quo(d, w), nil
	}
	k := firstStep(x)
	d1, err := diff(k)
	if err != nil {
		return 0, 0, false, err
	}
	first, _ := d1.Float64()
	for i := 1; ; i++ {
		if err := ctx.Err(); err != nil {
			return 0, 0, false, err
		}
		d2, err := diff(k - i)
		if err != nil {
			return 0, 0, false, err
		}
		num, _ = d2.Float64()
		e := new(big.Float).SetPrec(fdPrec).Sub(d1, d2)
		errFD, _ = e.Abs(e).Float64()
		resolved = errFD <= fdResolve*tol*math.Max(math.Abs(s), math.Abs(num))
		if s == 0 && !resolved {
			// A derivative of 0 has no size to be relative to (x^3 at 0:
			// the differences are h^2, their error 3/4 of that at every
			// step). It is taken as right where the differences fall
			// towards 0 as a step's error does (num within errFD/2 of
			// 0; a derivative ε != 0 makes num tend to ε and errFD to
			// 0) and have fallen below fdResolve*tol of the first.
			resolved = math.Abs(num) <= errFD/2 && math.Abs(num) <= fdResolve*tol*math.Abs(first)
		}
		if resolved || inFloat || i >= maxHalvings {
			return num, errFD, resolved, nil
		}
		d1 = d2
	}
}

// kinkStep is the float64 step of the check at kinks (StepKink,
// kinkRow), which evaluate f in float64: 2^firstStep(x), or the least
// float64 step where that is 0 (x = 5e-324).
func kinkStep(x float64) float64 {
	return math.Max(math.Ldexp(1, firstStep(x)), math.SmallestNonzeroFloat64)
}

// Check compares the symbolic gradient with finite differences.
func Check(ctx context.Context, en Engine, req *CheckRequest) (*CheckResult, error) {
	p, err := analyse(ctx, en, req.Loss, req.Wrt, req.Hessian)
	if err != nil {
		return nil, err
	}
	return check(ctx, p, req)
}

// check checks the analysed problem p.
func check(ctx context.Context, p *problem, req *CheckRequest) (*CheckResult, error) {
	en := p.en
	var err error
	tol := req.Tol
	if tol == 0 {
		tol = 1e-6
	}
	points := req.Points
	allGiven := true
	for _, in := range p.inputs {
		if _, ok := req.Given[in.name]; !ok {
			allGiven = false
		}
	}
	if points == 0 {
		points = 3
		if allGiven {
			points = 1
		}
	}
	tries := req.MaxTries
	if tries == 0 {
		tries = 20
	}
	for n := range req.Given {
		if _, ok := p.inputByNm[n]; ok {
			continue
		}
		if _, ok := p.sizeByNm[n]; ok {
			continue
		}
		return nil, errorf("%s=...: the loss has no input or size named %s", n, n)
	}
	res := &CheckResult{Tol: tol, Points: points}
	shown := func(a int, idx []string) string { return ast.String(p.wrt[a].expr(idx)) }
	if mf := p.matrix; mf != nil {
		// The answer in matrix notation is what is checked: its entries,
		// translated to index form anew, replace the index-form
		// derivatives.
		res.Forms = mf.checked(p)
		shown = func(a int, idx []string) string {
			if mf.names[a] != "" {
				return mf.names[a]
			}
			return ast.String(p.wrt[a].expr(idx))
		}
	}
	rows := make([]CheckRow, len(p.wrt))
	for a, w := range p.wrt {
		rows[a] = CheckRow{Var: shown(a, w.idx), RelErr: -1}
	}
	for a := range p.symHess {
		for bi := a; bi < len(p.wrt); bi++ {
			rows = append(rows, CheckRow{Var: "d2 " + shown(a, p.wrt[a].idx) + ", " + shown(bi, p.wrt[bi].hidx), RelErr: -1})
		}
	}
	r := rand.New(rand.NewPCG(req.Seed, 0x5eed))
	fixed := map[string]int{} // sizes not given: from 2 to 4, the same at every point
	for _, s := range p.sizes {
		fixed[s.name] = 2 + r.IntN(3)
	}
	for pt := 0; pt < points; pt++ {
		var b ast.Bindings
		var sizes map[string]int
		var lastErr error
		for try := 0; ; try++ {
			b, sizes, err = p.point(req.Given, fixed, r)
			if err != nil {
				return nil, err
			}
			// A point where the loss is undefined (log of a negative
			// number) is drawn again. Its value is eval's, at high
			// precision where float64 leaves its range on the way (x^4/x
			// at x = 1e98); a value beyond float64 (x^3 at 1e-132) is
			// defined, and its differences are taken at high precision.
			var re *ast.RangeError
			if _, lastErr = session.EvalNumber(ctx, p.original, en.allDefs(), b, false); lastErr == nil || errors.As(lastErr, &re) {
				break
			}
			var de *ast.DomainError
			if !errors.As(lastErr, &de) || allGiven || try+1 >= tries {
				return nil, fmt.Errorf("evaluating the loss: %w", lastErr)
			}
		}
		res.Sizes = sizes
		inputs := ast.Bindings{}
		for _, in := range p.inputs {
			inputs[in.name] = b[in.name]
		}
		res.At = append(res.At, inputs)
		for a, w := range p.wrt {
			if err := compare(ctx, en, &rows[a], res, tol, pt, b, p.original, nil, p.symbolic[a], w, w.idx, ""); err != nil {
				return nil, err
			}
		}
		// The Hessian: each block against central differences of the
		// gradient, for every component of the first variable.
		k := len(p.wrt)
		for a, wa := range p.symHessVars() {
			for bi := a; bi < len(p.wrt); bi++ {
				wb := p.wrt[bi]
				ca := components(wa, b)
				for _, c := range ca {
					if err := compare(ctx, en, &rows[k], res, tol, pt, b, p.symbolic[a], c.bind, p.symHess[a][bi], wb, wb.hidx, c.entry+", "); err != nil {
						return nil, err
					}
				}
				k++
			}
		}
		for i := range rows {
			res.Worst = math.Max(res.Worst, rows[i].RelErr)
		}
	}
	res.Rows = rows
	return res, nil
}

// point binds every input and size: the given values, the sizes drawn for
// every point (fixed), and random numbers (standard normal, scaled by 0.7) for the rest.
func (p *problem) point(given ast.Bindings, fixed map[string]int, r *rand.Rand) (ast.Bindings, map[string]int, error) {
	sizes := map[string]int{}
	for n, v := range given {
		if _, ok := p.sizeByNm[n]; ok {
			if v.Shape != nil || v.Data[0] != math.Trunc(v.Data[0]) || v.Data[0] < 1 {
				return nil, nil, errorf("%s=%s: a size is a whole number from 1", n, v)
			}
			sizes[n] = int(v.Data[0])
		}
	}
	// Sizes from the shapes of given arrays.
	for _, in := range p.inputs {
		v, ok := given[in.name]
		if !ok {
			continue
		}
		if in.row && len(v.Shape) == 2 {
			// A declared row's value is 1 × d, as eval takes it; its
			// entries are those of the vector the index form reads.
			if v.Shape[0] != 1 {
				return nil, nil, errorf("%s=%s: %s is declared %s, and the value has %d rows", in.name, v, in.name, strings.Join(in.declDims(), " × "), v.Shape[0])
			}
			v = ast.Value{Shape: v.Shape[1:], Data: v.Data, Exact: v.Exact}
			given = maps.Clone(given)
			given[in.name] = v
		}
		if len(v.Shape) != in.rank {
			return nil, nil, errorf("%s=%s: %s has %d indices in the loss, the value has %d dimensions", in.name, v, in.name, in.rank, len(v.Shape))
		}
		for d, s := range in.dims {
			if old, ok := sizes[s.name]; ok && old != v.Shape[d] {
				return nil, nil, errorf("%s=%s: dimension %d has length %d, but %s = %d", in.name, v, d+1, v.Shape[d], s.name, old)
			}
			sizes[s.name] = v.Shape[d]
		}
	}
	names := make([]string, 0, len(p.sizes))
	for _, s := range p.sizes {
		names = append(names, s.name)
	}
	sort.Strings(names)
	for _, n := range names {
		if _, ok := sizes[n]; !ok {
			sizes[n] = fixed[n]
		}
	}
	b := ast.Bindings{}
	for n, v := range sizes {
		b[n] = ast.Scalar(float64(v))
	}
	for _, in := range p.inputs {
		if v, ok := given[in.name]; ok {
			b[in.name] = v
			continue
		}
		if in.rank == 0 {
			b[in.name] = ast.Scalar(r.NormFloat64() * 0.7)
			continue
		}
		shape := make([]int, in.rank)
		total := 1
		for d, s := range in.dims {
			shape[d] = sizes[s.name]
			total *= shape[d]
		}
		data := make([]float64, total)
		for i := range data {
			data[i] = r.NormFloat64() * 0.7
		}
		b[in.name] = ast.Value{Shape: shape, Data: data}
	}
	return b, sizes, nil
}

// Print writes the result as a table and a verdict.
func (r *CheckResult) Print(w io.Writer) {
	var sz []string
	for n, v := range r.Sizes {
		sz = append(sz, fmt.Sprintf("%s=%d", n, v))
	}
	sort.Strings(sz)
	pts := "1 point"
	if r.Points > 1 {
		pts = fmt.Sprintf("%d points", r.Points)
	}
	fmt.Fprintf(w, "symbolic gradient against central finite differences at %s", pts)
	if len(sz) > 0 {
		fmt.Fprintf(w, " (%s)", strings.Join(sz, " "))
	}
	fmt.Fprintln(w)
	for _, f := range r.Forms {
		fmt.Fprintf(w, "  %s\n", f)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	// REL DIFF and FD BOUND come after REL ERROR, so that the columns
	// before keep their places for a reader that splits the line.
	fmt.Fprintln(tw, "VARIABLE\tCOMPONENTS\tWORST AT\tPOINT\tSYMBOLIC\tFINITE DIFF\tREL ERROR\tREL DIFF\tFD BOUND")
	for _, row := range r.Rows {
		if row.RelErr < 0 { // every entry at a kink: see below
			fmt.Fprintf(tw, "%s\t%d\t-\t-\t-\t-\t-\t-\t-\n", row.Var, row.Component)
			continue
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%.12g\t%s\t%.2g\t%.2g\t%.2g\n", row.Var, row.Component, row.Entry, row.Point, row.Symbolic, knownDigits(row.Numeric, row.NumErr), row.RelErr, row.RelDiff, row.Bound)
	}
	tw.Flush()
	// The values of the points the rows name: POINT is their number.
	shown := map[int]bool{}
	for _, row := range r.Rows {
		if row.RelErr >= 0 {
			shown[row.Point] = true
		}
	}
	for _, k := range r.Kinks {
		shown[k.Point] = true
	}
	for i, b := range r.At {
		if shown[i+1] {
			fmt.Fprintf(w, "point %d: %s\n", i+1, pointText(b))
		}
	}
	fmt.Fprintf(w, "REL DIFF is |symbolic - finite diff|/max(|symbolic|, |finite diff|); FD BOUND is the finite difference's own error on that scale (steps from 2^-17*|x|, halved until it is below %g of the tolerance, f at %d bits); REL ERROR is REL DIFF - FD BOUND, or 0\n", fdResolve, fdPrec)
	for _, l := range r.KinkLines() {
		fmt.Fprintln(w, l)
	}
	for _, l := range r.UndecidedLines() {
		fmt.Fprintln(w, l)
	}
	cmp := "<="
	if r.Worst > r.Tol {
		cmp = ">"
	}
	fmt.Fprintf(w, "%s: worst relative error %.2g %s tolerance %.2g%s%s\n", r.Verdict(), r.Worst, cmp, r.Tol, r.KinkSummary(), r.UndecidedSummary())
}

// UndecidedLines are the sentences on the entries that could not be
// decided.
func (r *CheckResult) UndecidedLines() []string {
	var out []string
	for _, u := range r.Undecided {
		out = append(out, fmt.Sprintf("%s (point %d): symbolic %.12g, finite difference %s known only to within %.2g, more than %g of the tolerance of its size with the step halved %d times: cannot decide",
			u.Entry, u.Point, u.Symbolic, knownDigits(u.Numeric, u.NumErr), u.NumErr, fdResolve, maxHalvings))
	}
	return out
}

// UndecidedSummary is a clause on the entries that could not be decided,
// for the verdict line: "" when there are none.
func (r *CheckResult) UndecidedSummary() string {
	if len(r.Undecided) == 0 {
		return ""
	}
	return fmt.Sprintf("; %d entries could not be decided: their finite differences are too uncertain", len(r.Undecided))
}

// knownDigits writes v, known to within err, with the digits that err
// leaves it (at most 12, at least 1): a finite difference of x^3 at 1e-83
// is 3e-166, not 3.00000000003e-166, whose last digits are its own error.
func knownDigits(v, err float64) string {
	digits := 12
	if v != 0 && err > 0 {
		digits = max(1, min(12, int(math.Floor(math.Log10(math.Abs(v)/err)))))
	}
	return strconv.FormatFloat(v, 'g', digits, 64)
}

// pointText writes a point's values, NAME=VALUE sorted by name, each
// value cut to 80 characters (a random matrix can be long).
func pointText(b ast.Bindings) string {
	names := make([]string, 0, len(b))
	for n := range b {
		names = append(names, n)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, n := range names {
		v := b[n].String()
		if len(v) > 80 {
			v = v[:77] + "..."
		}
		parts[i] = n + "=" + v
	}
	return strings.Join(parts, " ")
}

// A component is one entry of a variable: its index values bound, and its
// name (w[2]).
type component struct {
	bind  ast.Bindings
	entry string
	pos   int // row-major position in the value
}

// components lists the entries of w's value in b.
func components(w *wrtVar, b ast.Bindings) []component {
	val := b[w.in.name]
	var out []component
	for e := range val.Data {
		c := component{bind: ast.Bindings{}, entry: w.in.name, pos: e}
		if w.in.rank > 0 {
			vals := make([]string, w.in.rank)
			rest := e
			for d := w.in.rank - 1; d >= 0; d-- {
				m := val.Shape[d]
				c.bind[w.idx[d]] = ast.Scalar(float64(rest%m + 1))
				vals[d] = fmt.Sprint(rest%m + 1)
				rest /= m
			}
			c.entry += "[" + strings.Join(vals, ",") + "]"
		}
		out = append(out, c)
	}
	return out
}

// compare evaluates the derivative sym of f with respect to each entry of
// w (its indices named idx in sym) and compares it with central
// differences of f, keeping the worst in row. fb binds other indices of f
// and sym.
//
// An entry whose step meets a kink of f is checked against the convention
// at kinks instead (numcheck.StepKink) and noted in res.Kinks; one whose
// finite difference cannot be made accurate enough to tell, in
// res.Undecided.
func compare(ctx context.Context, en Engine, row *CheckRow, res *CheckResult, tol float64, pt int, b ast.Bindings, f ast.Expr, fb ast.Bindings,
	sym ast.Expr, w *wrtVar, idx []string, prefix string) error {
	val := b[w.in.name]
	with := func(extra ...ast.Bindings) ast.Bindings {
		bb := ast.Bindings{}
		for k, v := range b {
			bb[k] = v
		}
		for _, x := range extra {
			for k, v := range x {
				bb[k] = v
			}
		}
		return bb
	}
	for _, c := range components(w, b) {
		// The component's index values under the names sym uses.
		named := ast.Bindings{}
		for d, n := range idx {
			named[n] = c.bind[w.idx[d]]
		}
		entry := prefix + c.entry
		// The symbolic value as eval gives it: where float64 leaves its
		// range on the way (3*x^2 at x = 1e-83 is fine, x^4 is not), at
		// high precision; beyond float64, an error that says so.
		s, err := session.EvalNumber(ctx, sym, en.allDefs(), with(fb, named), true)
		if err != nil {
			return fmt.Errorf("evaluating the derivative at %s: %w", entry, err)
		}
		x := val.Data[c.pos]
		bindAt := func(v float64, exact *big.Rat) ast.Bindings {
			d := append([]float64(nil), val.Data...)
			d[c.pos] = v
			bv := ast.Value{Shape: val.Shape, Data: d}
			if exact != nil {
				bv.Exact = make([]*big.Rat, len(d))
				for i, y := range d {
					bv.Exact[i] = new(big.Rat).SetFloat64(y)
				}
				bv.Exact[c.pos] = exact
			}
			return with(fb, ast.Bindings{w.in.name: bv})
		}
		if pt == 0 {
			row.Component++
		}
		// At a kink a central difference is no check, and its step would
		// be halved in vain: the kink is looked for first.
		h := kinkStep(x)
		at := func(v float64) (float64, error) { return en.evaluate(ctx, f, bindAt(v, nil)) }
		ks, err := numcheck.StepKink(ctx, f, en.allDefs(), bindAt(x-h, nil), bindAt(x, nil), bindAt(x+h, nil), h)
		if err != nil {
			return fmt.Errorf("evaluating near %s: %w", entry, err)
		}
		if ks.OnKink {
			k, err := kinkRow(at, x, h, s, ks.Convention, tol)
			if err != nil {
				return fmt.Errorf("evaluating near %s: %w", entry, err)
			}
			k.Var, k.Entry, k.Point = row.Var, entry, pt+1
			res.Kinks = append(res.Kinks, k)
			continue
		}
		num, errFD, resolved, err := centralDiff(ctx, en, f, bindAt, x, s, tol)
		if err != nil {
			return fmt.Errorf("evaluating near %s: %w", entry, err)
		}
		if !resolved {
			res.Undecided = append(res.Undecided, UndecidedRow{Var: row.Var, Entry: entry, Point: pt + 1, Symbolic: s, Numeric: num, NumErr: errFD})
		}
		re := excessError(s, num, errFD)
		if math.IsNaN(re) {
			re = math.Inf(1)
		}
		diff, bound := relParts(s, num, errFD)
		// The worst entry: the largest error, and among entries with
		// none the largest raw difference (the row shows how close the
		// values came, not the first entry checked).
		if re > row.RelErr || re == row.RelErr && diff > row.RelDiff {
			row.RelErr, row.Entry, row.Symbolic, row.Numeric, row.NumErr, row.Point = re, entry, s, num, errFD, pt+1
			row.RelDiff, row.Bound = diff, bound
		}
	}
	return nil
}

// symHessVars returns the variables when the Hessian was derived, else
// none.
func (p *problem) symHessVars() []*wrtVar {
	if p.symHess == nil {
		return nil
	}
	return p.wrt
}

// kinkRow checks the symbolic value s of an entry at a kink: the
// one-sided differences, of second order (3-point), from f on either side
// of x, and the slope conv that the convention prescribes.
func kinkRow(f func(float64) (float64, error), x, h, s, conv, tol float64) (KinkRow, error) {
	var v [5]float64
	for i := range v {
		y, err := f(x + float64(i-2)*h)
		if err != nil {
			return KinkRow{}, err
		}
		v[i] = y
	}
	k := KinkRow{
		Left:       (3*v[2] - 4*v[1] + v[0]) / (2 * h),
		Right:      (-3*v[2] + 4*v[3] - v[4]) / (2 * h),
		Symbolic:   s,
		Convention: conv,
	}
	lo, hi := math.Min(k.Left, k.Right), math.Max(k.Left, k.Right)
	k.Between = s >= lo && s <= hi || relError(s, lo) <= tol || relError(s, hi) <= tol
	k.Agrees = relError(s, conv) <= tol
	k.OK = k.Agrees && k.Between
	return k, nil
}

// say describes an entry at a kink in a sentence.
func (k KinkRow) say() string {
	msg := fmt.Sprintf("%s (point %d) is at a kink: the one-sided differences are %.8g and %.8g; symdiff's convention gives %.8g",
		k.Entry, k.Point, k.Left+0, k.Right+0, k.Symbolic+0) // +0: no -0
	switch {
	case k.OK:
		return msg + ", as the convention prescribes: ok"
	case !k.Agrees:
		return msg + fmt.Sprintf(", but the convention at kinks prescribes %.8g: FAIL", k.Convention)
	}
	return msg + ", not between the one-sided differences: FAIL"
}

// KinkSummary is a clause on the entries at a kink, for the verdict line:
// "" when there are none.
func (r *CheckResult) KinkSummary() string {
	if len(r.Kinks) == 0 {
		return ""
	}
	bad := 0
	for _, k := range r.Kinks {
		if !k.OK {
			bad++
		}
	}
	if bad > 0 {
		return fmt.Sprintf("; FAIL: %d of %d entries at a kink disagree with the convention at kinks", bad, len(r.Kinks))
	}
	return fmt.Sprintf("; %d entries at a kink agree with the convention at kinks", len(r.Kinks))
}

// KinkLines are the sentences on the entries at a kink.
func (r *CheckResult) KinkLines() []string {
	var out []string
	for _, k := range r.Kinks {
		out = append(out, k.say())
	}
	return out
}
