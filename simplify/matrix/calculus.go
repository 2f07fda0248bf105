package matrix

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/ast/shape"
	"github.com/symdiff/symdiff/derive"
	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/numcheck"
	"github.com/symdiff/symdiff/simplify/prove"
)

// Options are what the matrix calculus works under.
type Options struct {
	Decls    map[string]ast.Shape // declared shapes
	Simplify simplify.Options     // its Defs may hold matrix definitions
	// EvalEntry, if set, evaluates one entry for Eval (its derivatives
	// worked out; derived says there were some): the session's scalar
	// evaluation, so that an entry has a scalar's answer, range checks and
	// errors. Nil: float64, with derivatives settled at high precision.
	EvalEntry func(ctx context.Context, x ast.Expr, defs *ast.Defs, b ast.Bindings, derived bool) (float64, error)
}

// A Result is a matrix expression worked out entry by entry.
type Result struct {
	Input   ast.Expr   // as written
	Shape   ast.Shape  // of the input
	Indices []string   // the free indices of an entry: none, row, or row and column
	Sizes   []ast.Expr // their ranges, 1..size
	Entry   ast.Expr   // the entry in index form, before simplification
	// Simplified is the simplification of the entry in index form, with
	// its trace.
	Simplified *simplify.Result
	// Value is the result in matrix notation; nil when none was found
	// (NoForm says why), and then Simplified.Expr is the result.
	Value  ast.Expr
	NoForm error
	// Notes say which assumptions about vectors the result used, or the
	// one it may want (assume.go).
	Notes []string
	// Atoms are the names that stand for inverses, determinants and
	// log-determinants in the index form (atoms.go).
	Atoms []*Atom
	// Written is the input rewritten by the matrix identities before its
	// translation to index form (Rule nil when none applied); Shown the
	// same for the result translated back (identities.go).
	Written, Shown rules.Step
	// Symmetrised is the step (G + G')/2 of a gradient by a symmetric
	// matrix, when G' = G was not proved (Rule nil otherwise).
	Symmetrised rules.Step
	// Convention says how a derivative by a symmetric matrix is taken,
	// when the input has one (symmetric.go).
	Convention string
}

// Note says, for a result with no matrix form, why and what is shown
// instead: "no matrix form found: the entry at [k,l] in index form, with
// Ainv = inv(A)".
func (r *Result) Note() string {
	if r.NoForm == nil {
		return ""
	}
	var b strings.Builder
	if errors.Is(r.NoForm, ErrNoMatrix) {
		b.WriteString(r.NoForm.Error())
		b.WriteString("; ")
	} else {
		b.WriteString("no matrix form found: ")
	}
	b.WriteString("the entry")
	if len(r.Indices) > 0 {
		b.WriteString(" at [" + strings.Join(r.Indices, ",") + "]")
	}
	b.WriteString(" in index form")
	if len(r.Atoms) > 0 {
		b.WriteString(", with " + atomLegend(r.Atoms))
	}
	if r.Convention != "" {
		b.WriteString("; " + r.Convention)
	}
	return b.String()
}

// atomLegend says what the atoms stand for: Ainv = inv(A), detA = det(A).
func atomLegend(atoms []*Atom) string {
	parts := make([]string, len(atoms))
	for i, a := range atoms {
		parts[i] = a.Name + " = " + ast.String(a.Expr())
	}
	return strings.Join(parts, ", ")
}

// outNames are the names tried first for the free indices of a result,
// as in the index calculus: the gradient's entry is d(CE, w[k]).
var outNames = []string{"k", "l"}

// translator returns a translator for e, with the indices of an entry of
// e chosen.
func newFor(e ast.Expr, opt Options) (*Translator, ast.Shape, []string, []ast.Expr, error) {
	t := NewTranslator(opt.Decls, opt.Simplify.Defs)
	t.Use(e)
	s, err := t.Shape(e)
	if err != nil {
		return nil, s, nil, nil, err
	}
	var idx []string
	var sizes []ast.Expr
	for i, n := range []ast.Expr{s.Rows, s.Cols} {
		if n == nil || n == ast.One {
			continue
		}
		name := outNames[i]
		if t.used[name] {
			name = t.Fresh()
		}
		t.used[name] = true
		idx, sizes = append(idx, name), append(sizes, n)
	}
	return t, s, idx, sizes, nil
}

// entryAt returns the entry of e at the indices.
func entryAt(t *Translator, e ast.Expr, s ast.Shape, idx []string) (ast.Expr, error) {
	var r, c ast.Expr
	k := 0
	if s.Rows != nil && s.Rows != ast.One {
		r = ast.NewSym(idx[k])
		k++
	}
	if s.Cols != nil && s.Cols != ast.One {
		c = ast.NewSym(idx[k])
	}
	return t.Entry(e, r, c)
}

// withEntryRanges adds the ranges of an entry's indices to the
// assumptions: the entry at [k] of a d-vector has k in 1..d. Without it
// diag(u)*v's entry u[k]*v[k]*[k <= d] kept its condition, printed back as
// u .* v .* 1, and diag(u)*v == u .* v was not proved.
func withEntryRanges(o simplify.Options, idx []string, sizes []ast.Expr) simplify.Options {
	as := make([]*ast.AssumeStmt, 0, len(idx)+len(o.Assume))
	for i, name := range idx {
		as = append(as, &ast.AssumeStmt{X: ast.NewSym(name), In: true, Lo: ast.One, Hi: sizes[i]})
	}
	o.Assume = append(as, o.Assume...)
	return o
}

// scalarOptions drops the definitions whose bodies are matrix expressions:
// the index form has them expanded, and the simplifier works on scalars.
func scalarOptions(t *Translator, opt simplify.Options) simplify.Options {
	opt.Assume, _ = indexAssumptions(t, opt.Assume)
	if opt.Defs == nil {
		return opt
	}
	defs := &ast.Defs{}
	for _, d := range opt.Defs.All() {
		if d.Kind == ast.DefScalar && t.Involved(d.Body) {
			continue
		}
		_ = defs.Define(d)
	}
	opt.Defs = defs
	return opt
}

// Simplify works out a matrix expression: its derivatives (d(f, w) for a
// vector w is the gradient, shaped like w; jacobian, hessian) are taken
// in index form, the entry is simplified, and translated back.
func Simplify(ctx context.Context, e ast.Expr, opt Options) (*Result, error) {
	t, s, idx, sizes, err := newFor(e, opt)
	if shape.IsTensor(err, e) {
		return tensor(ctx, e, opt)
	}
	if err != nil {
		return nil, err
	}
	if g, ok := symmetricGradient(e, t); ok {
		return simplifySymmetric(ctx, e, g, opt)
	}
	return simplifyAt(ctx, e, t, s, idx, sizes, opt)
}

// simplifyAt works out e, of shape s, at the indices idx.
func simplifyAt(ctx context.Context, e ast.Expr, t *Translator, s ast.Shape, idx []string, sizes []ast.Expr, opt Options) (*Result, error) {
	written, wstep := Identities(ctx, e, t.Env)
	entry, err := entryAt(t, written, s, idx)
	if err != nil {
		return nil, err
	}
	res, err := simplify.Simplify(ctx, entry, withEntryRanges(scalarOptions(t, opt.Simplify), idx, sizes))
	if err != nil {
		return nil, err
	}
	r := &Result{Input: e, Shape: s, Indices: idx, Sizes: sizes, Entry: entry, Simplified: res, Written: wstep}
	// The forms of the result in turn, first without outer products with
	// ones, then with them (back.go).
	r.Value, r.NoForm = backWith(res.Expr, idx, sizes, false)
	for _, outer := range []bool{false, true} {
		for _, x := range []ast.Expr{res.Expr, res.Exps, res.Canonical} {
			if r.NoForm == nil || x == nil {
				continue
			}
			if v, err := backWith(x, idx, sizes, outer); err == nil {
				r.Value, r.NoForm = v, nil
			}
		}
	}
	if r.Value != nil && s.IsRow() {
		// The entry was translated back as a column over its one index.
		r.Value = transpose(r.Value)
	}
	if r.Value != nil {
		r.Value, r.NoForm = t.fit(t.unatom(r.Value), s)
	}
	if r.Value != nil {
		r.Value, r.Shown = identitiesLike(ctx, r.Value, t.Env, t.inline(e))
	}
	r.Atoms = t.Atoms()
	_, assumed := indexAssumptions(t, opt.Simplify.Assume)
	r.Notes = assumptionNotes(r, assumed, opt.Simplify.Assume)
	r.Notes = append(r.Notes, invertibleNotes(t, r, e, written)...)
	r.Notes = append(r.Notes, cancelNotes(r)...)
	return r, nil
}

// fit checks that v, the translation back of an entry of a value of shape
// s, has that shape; a constant entry of a vector or matrix is
// broadcast with ones.
func (t *Translator) fit(v ast.Expr, s ast.Shape) (ast.Expr, error) {
	sv, err := t.Env.Of(v)
	if err != nil {
		return nil, err
	}
	if sv.IsScalar() && !s.IsScalar() {
		var ones ast.Expr
		switch {
		case s.IsVector():
			ones = ast.NewMatOp(ast.MatOnes, s.Rows)
		case s.IsRow():
			ones = ast.NewTranspose(ast.NewMatOp(ast.MatOnes, s.Cols))
		default:
			ones = ast.NewMatOp(ast.MatOnes, s.Rows, s.Cols)
		}
		if ast.IsNum(v, 1) {
			return ones, nil
		}
		return ast.NewMul(v, ones), nil
	}
	if !sameShape(sv, s) {
		return nil, fmt.Errorf("no matrix form found: %s is %s, not %s", ast.String(v), sv, s)
	}
	return v, nil
}

// transpose writes e' with the transpose moved inside scalar factors,
// quotients and sums: (2*w)' is 2*w'.
func transpose(e ast.Expr) ast.Expr {
	switch x := e.(type) {
	case *ast.Neg:
		return ast.NewNeg(transpose(x.X))
	case *ast.Div:
		return ast.NewDiv(transpose(x.X), x.Y)
	case *ast.Mul:
		fs := slices.Clone(x.Factors)
		fs[len(fs)-1] = transpose(fs[len(fs)-1]) // the one non-scalar stands last
		return ast.NewMul(fs...)
	case *ast.Add:
		ts := make([]ast.Expr, len(x.Terms))
		for i, t := range x.Terms {
			ts[i] = transpose(t)
		}
		return ast.NewAdd(ts...)
	}
	return ast.NewTranspose(e)
}

// ErrShapes is returned by Prove for two sides of different shapes.
var ErrShapes = errors.New("the two sides have different shapes")

// Prove proves a == b entry by entry: both sides are translated at the
// same symbolic indices (row k, column l) and the scalar prover decides.
// The proof's A and B are the matrix expressions as written.
func Prove(ctx context.Context, a, b ast.Expr, opt Options) (*prove.Proof, error) {
	if err := sidesShapes(a, b, opt); err != nil {
		return nil, err
	}
	return proveSides(ctx, a, b, opt, true)
}

// sidesShapes reports two sides of different shapes, each shape named,
// before they are put in one sum (which would say "cannot add"). Sizes
// are compared as written: eye(n) and eye(m) differ, n and m not being
// known to be equal.
func sidesShapes(a, b ast.Expr, opt Options) error {
	t := NewTranslator(opt.Decls, opt.Simplify.Defs)
	sa, errA := t.Shape(a)
	sb, errB := t.Shape(b)
	if errA != nil || errB != nil || sameShape(sa, sb) {
		return nil // a side's own error is reported by proveSides
	}
	why := ""
	if sa.Rows != sb.Rows && bothNames(sa.Rows, sb.Rows) || sa.Cols != sb.Cols && bothNames(sa.Cols, sb.Cols) {
		why = " (sizes with different names are not taken to be equal)"
	}
	return fmt.Errorf("%w: %s is %s and %s is %s%s", ErrShapes, ast.String(a), sa, ast.String(b), sb, why)
}

// bothNames reports whether both sizes are names.
func bothNames(x, y ast.Expr) bool {
	_, nx := x.(*ast.Sym)
	_, ny := y.(*ast.Sym)
	return nx && ny
}

// proveSides is Prove; the identities of matrix notation are applied to
// the sides first when rewrite is set.
func proveSides(ctx context.Context, a, b ast.Expr, opt Options, rewrite bool) (*prove.Proof, error) {
	t, s, idx, sizes, err := newFor(ast.NewAdd(a, b), opt)
	if err != nil {
		return nil, err
	}
	// The identities of matrix notation first: S' == S for a symmetric S
	// is then S == S. A derivative with a symmetric matrix in it is
	// worked out first: its symmetry is known in matrix notation, not in
	// index form.
	wa, stepA := a, rules.Step{}
	wb, stepB := b, rules.Step{}
	if rewrite {
		wa, stepA = symmetricSide(ctx, a, t, opt)
		wb, stepB = symmetricSide(ctx, b, t, opt)
	}
	if wa != a || wb != b {
		pr, err := proveSides(ctx, wa, wb, opt, false)
		if err != nil {
			return nil, err
		}
		if pr.Verdict == prove.Proved {
			var tr rules.Trace
			if stepA.Rule != nil {
				tr = append(tr, stepA)
			}
			tr = append(tr, pr.Trace...)
			if stepB.Rule != nil {
				tr = append(tr, rules.Trace{stepB}.Reversed()...)
			}
			pr.Trace = tr
		}
		pr.A, pr.B = a, b
		return pr, nil
	}
	sa, err := t.Shape(a)
	if err != nil {
		return nil, err
	}
	sb, err := t.Shape(b)
	if err != nil {
		return nil, err
	}
	if !sameShape(sa, sb) {
		return nil, fmt.Errorf("%w: %s is %s and %s is %s", ErrShapes, ast.String(a), sa, ast.String(b), sb)
	}
	ea, err := entryAt(t, a, s, idx)
	if err != nil {
		return nil, err
	}
	eb, err := entryAt(t, b, s, idx)
	if err != nil {
		return nil, err
	}
	sopt := withEntryRanges(scalarOptions(t, opt.Simplify), idx, sizes)
	if sopt.Decls == nil {
		// The scalar prover draws the declared arrays in their shape,
		// and their sizes as whole numbers from 1: without them, n < 1
		// refuted tr(A) == A[1,1] at n = -2 with A 1×1.
		sopt.Decls = opt.Decls
	}
	// A side with derivatives is proved from its simplified form: the
	// prover's canonical forms miss some equalities a second derivative's
	// leaves (sigma - sigma^2 against sigma*(1 - sigma) inside a mean).
	if ea, err = derived(ctx, ea, sopt); err != nil {
		return nil, err
	}
	if eb, err = derived(ctx, eb, sopt); err != nil {
		return nil, err
	}
	pr, err := prove.Prove(ctx, ea, eb, sopt)
	if err != nil {
		return nil, err
	}
	if pr.Verdict == prove.Unknown || pr.Verdict == prove.Refuted && len(t.atoms) > 0 {
		// Index sums in another order or with other names: tr(A*B*C)
		// against tr(C*A*B). (A counterexample without atoms is
		// confirmed: no need to try.)
		// inv(A)*A: the inverse cancels against its matrix.
		xa, xb := ea, eb
		if len(t.atoms) > 0 {
			xa, xb = cancelInverses(prenex(ea), t.atoms), cancelInverses(prenex(eb), t.atoms)
			if xa == prenex(ea) {
				xa = ea
			}
			if xb == prenex(eb) {
				xb = eb
			}
		}
		if ca, cb := orderSums(xa, xb); ca != ea || cb != eb {
			po, err := prove.Prove(ctx, ca, cb, sopt)
			if err != nil {
				return nil, err
			}
			if po.Verdict == prove.Proved {
				var tr rules.Trace
				if xa != ea {
					tr = append(tr, rules.Step{Rule: RuleInverse, Before: ea, After: xa, Uses: cancelledUses(ea, xa, t.atoms)})
				}
				if ca != xa {
					tr = append(tr, rules.Step{Rule: RuleSumOrder, Before: xa, After: ca})
				}
				tr = append(tr, po.Trace...)
				if cb != xb {
					tr = append(tr, rules.Step{Rule: RuleSumOrder, Before: cb, After: xb})
				}
				if xb != eb {
					tr = append(tr, rules.Step{Rule: RuleInverse, Before: xb, After: eb, Uses: cancelledUses(eb, xb, t.atoms)})
				}
				po.Trace, pr = tr, po
				if err := checkWithAtoms(ctx, pr, a, b, opt, t.atoms); err != nil {
					return nil, err
				}
			}
		}
	}
	// The claim with its definitions opened: F := w'*A*v - v'*A*w with A
	// symmetric mentions A only through F, and prove F == 0 was refuted
	// at a point with an A that is not symmetric.
	claim := opened(ast.NewAdd(a, b), opt)
	if pr.Verdict != prove.Proved && hasSymmetric(claim, opt.Decls) {
		if po, err := proveSymmetrized(ctx, ea, eb, sopt, symmetricNames(opt.Decls, t.atoms)); err != nil {
			return nil, err
		} else if po != nil {
			pr = po
			if err := checkWithAtoms(ctx, pr, a, b, opt, t.atoms); err != nil {
				return nil, err
			}
		}
	}
	if pr.Verdict == prove.Refuted && (len(t.atoms) > 0 || hasSymmetric(claim, opt.Decls) || wholeSizes(claim, opt.Decls)) {
		// The counterexample treats inv(A), det(A) and logdet(A) as
		// independent of A, and the entries S[i,j] and S[j,i] of a
		// symmetric S as independent; for sizes given as numbers its
		// arrays need not have those sizes (x : vector(3) at four
		// entries, row k = 3 of a 2×3 matrix): it stands only if the
		// sides differ with actual values of the declared shapes.
		if err := confirm(ctx, pr, a, b, opt, t.atoms); err != nil {
			return nil, err
		}
	}
	pr.A, pr.B = a, b
	return pr, nil
}

// checkWithAtoms checks a proof made with inverses and determinants
// taken as unknowns of their own against the actual ones: where the sides
// differ at a point, the proof becomes unknown, saying so.
func checkWithAtoms(ctx context.Context, pr *prove.Proof, a, b ast.Expr, opt Options, atoms []*Atom) error {
	if len(atoms) == 0 {
		return nil
	}
	check := &prove.Proof{Verdict: prove.Refuted}
	if err := confirm(ctx, check, a, b, opt, atoms); err != nil {
		return err
	}
	if check.Counter != nil {
		pr.Verdict, pr.Trace = prove.Unknown, nil
		pr.Tried = "the symbolic argument claimed equality, but the sides differ at a point (an internal inconsistency; please report it): " + check.Counter.Point()
	}
	return nil
}

// confirm looks for concrete vectors and matrices at which a and b
// differ, with inverses and determinants computed from them; the proof's
// counterexample is replaced by the first one found, or the verdict
// becomes unknown. A difference counts only when it stands clear of the
// rounding bound at high precision (differAt), with the inverses and
// determinants exact: a float64 tolerance took inv(B) + 1e-9*eye(3) for
// inv(B).
func confirm(ctx context.Context, pr *prove.Proof, a, b ast.Expr, opt Options, atoms []*Atom) error {
	rng := rand.New(rand.NewPCG(uint64(a.Size()), uint64(b.Size())))
	funcs := opt.Simplify.Rules.Defs()
	const draws = 30
	defined, inexact, unresolved, bothUndef, oneUndef := 0, 0, 0, 0, 0
	failed, why := 0, error(nil) // points not evaluated, and the first reason
	scalars := undeclared(ast.NewAdd(a, b), opt)
	indices := freeIndices(ast.NewAdd(a, b), opt)
	decls, sizes := claimDecls(ast.NewAdd(a, b), opt)
	// The sizes the assumptions allow (assume n == 1), and no point at
	// all where they allow none: a counterexample outside what was assumed
	// is none.
	allowed := allowedSizes(ctx, sizeNames(decls, sizes), opt)
	if why := noSizeText(allowed); why != "" {
		pr.Verdict, pr.Counter = prove.Unknown, nil
		pr.Tried = "no symbolic proof, and no numeric evidence either way: " + why
		return nil
	}
	outside := 0 // points where an assumption fails or cannot be decided
	for range draws {
		if err := ctx.Err(); err != nil {
			return err
		}
		bind := drawValuesSized(rng, decls, allowed)
		for _, n := range sizes {
			if _, ok := bind[n]; !ok {
				if vs, ok := allowed[n]; ok {
					bind[n] = ast.Scalar(float64(pickSize(rng, vs)))
					continue
				}
				bind[n] = ast.Scalar(float64(2 + rng.IntN(3))) // as drawValues draws a size
			}
		}
		for _, n := range scalars {
			if _, ok := bind[n]; ok {
				continue
			}
			if hi, ok := indexBound(indices[n], bind); ok {
				bind[n] = ast.Scalar(float64(1 + rng.IntN(hi)))
				continue
			}
			bind[n] = ast.Scalar(float64(rng.IntN(17)-8) / 4)
		}
		if len(opt.Simplify.Assume) > 0 {
			if h, sure := pointHolds(ctx, bind, opt); !h || !sure {
				outside++
				continue
			}
		}
		d, err := differAt(ctx, a, b, bind, opt, funcs)
		if err != nil {
			return err
		}
		if !d.known {
			if d.inexact {
				inexact++
			} else if d.why != nil {
				failed++
				if why == nil {
					why = d.why
				}
			}
			continue // a side undefined there, or an inverse not exact
		}
		if d.ce == nil && d.undefA && d.undefB {
			bothUndef++ // no evidence: not an agreement
			continue
		}
		if d.ce == nil && (d.undefA || d.undefB) {
			oneUndef++
			continue
		}
		defined++
		if d.ce == nil {
			if d.unresolved {
				unresolved++
			}
			continue
		}
		ce := d.ce
		c := &numcheck.Counterexample{Bindings: bind, Left: ce.Left, Right: ce.Right, LeftF: ce.LeftF, RightF: ce.RightF, Diff: ce.Diff}
		// The whole values, each entry to the float64 nearest it; the
		// entry's own high-precision values where they cannot be had or
		// print alike.
		if d.ok {
			if l, r := FormatValue(d.left), FormatValue(d.right); l != r {
				c.Left, c.Right, c.LeftF, c.RightF, c.Diff = l, r, d.left.Data[d.at], d.right.Data[d.at], ""
			}
		}
		pr.Counter = c
		return nil
	}
	pr.Verdict, pr.Counter = prove.Unknown, nil
	var unknowns []string
	if len(atoms) > 0 {
		unknowns = append(unknowns, atomLegend(atoms)+" taken as unknowns of their own")
	}
	if hasSymmetric(opened(ast.NewAdd(a, b), opt), opt.Decls) {
		unknowns = append(unknowns, "the entries of symmetric matrices taken as independent")
	}
	pr.Tried = fmt.Sprintf("no symbolic proof; the sides differ with %s, but agree at the %d of %d random points where they are defined", strings.Join(unknowns, " and "), defined, draws)
	if defined == 0 {
		// "agree at the 0 of 30" read as evidence; it is none. Why no
		// point could be used is said (the reasons are appended below):
		// a row vector's value refused at every point hid this.
		pr.Tried = fmt.Sprintf("no symbolic proof; the sides differ with %s, and none of %d random points could be used to compare them, so there is no numeric evidence either way", strings.Join(unknowns, " and "), draws)
	}
	if defined == 0 && bothUndef+oneUndef > 0 {
		pr.Tried = fmt.Sprintf("no symbolic proof; the sides differ with %s, and at none of %d random points do both have a value", strings.Join(unknowns, " and "), draws)
	}
	switch {
	case unresolved > 0 && unresolved == defined:
		pr.Tried = fmt.Sprintf("no symbolic proof; the sides differ with %s, and at the %d of %d random points where they are defined they differ by less than the check can resolve (%s their size: an inverse or determinant of a matrix whose entries are not rational is approximated)", strings.Join(unknowns, " and "), defined, draws, approxGapText)
	case unresolved > 0:
		pr.Tried += fmt.Sprintf(" (at %d of them only to within what the check can resolve, %s their size: an inverse or determinant of a matrix whose entries are not rational is approximated)", unresolved, approxGapText)
	}
	if bothUndef > 0 {
		pr.Tried += fmt.Sprintf("; both sides are undefined at %d of %d", bothUndef, draws)
	}
	if oneUndef > 0 {
		pr.Tried += fmt.Sprintf("; one side is undefined at %d of %d", oneUndef, draws)
	}
	if defined == 0 && failed > 0 {
		pr.Tried += fmt.Sprintf("; at %d of %d the sides could not be evaluated (at the first: %v)", failed, draws, why)
	}
	if outside > 0 {
		pr.Tried += fmt.Sprintf("; %d of %d random points lie outside the assumptions (or they could not be decided there) and were not used", outside, draws)
	}
	if inexact > 0 {
		pr.Tried += fmt.Sprintf(" (at %d points an inverse or determinant is of a matrix whose entries are not rational, which is not computed exactly: no evidence either way)", inexact)
	}
	return nil
}

// freeIndices maps each name that stands as an index of a declared
// vector or matrix in e (S[k,l], its definitions opened) to the sizes of
// the dimensions it indexes: such a name is a whole number in their range,
// and a point that draws it as -1.75 shows nothing (S[k,l] == S[l,l] was
// unknown, every point out of range).
func freeIndices(e ast.Expr, opt Options) map[string][]ast.Expr {
	if ds := opt.Simplify.Defs; ds != nil {
		e = ds.ExpandIf(e, func(string) bool { return true })
	}
	out := map[string][]ast.Expr{}
	ast.Inspect(e, func(x ast.Expr) bool {
		ix, ok := x.(*ast.Index)
		if !ok {
			return true
		}
		s, ok := opt.Decls[ix.Name]
		if !ok || s.IsScalar() {
			return true
		}
		dims := []ast.Expr{s.Rows, s.Cols}
		if s.IsVector() {
			dims = dims[:1]
		}
		if len(ix.Indices) != len(dims) {
			return true
		}
		for i, at := range ix.Indices {
			if v, ok := at.(*ast.Sym); ok {
				out[v.Name] = append(out[v.Name], dims[i])
			}
		}
		return true
	})
	return out
}

// indexBound is the largest value an index of the dimensions dims can
// take at the point b (the smallest of their sizes), false without one.
func indexBound(dims []ast.Expr, b ast.Bindings) (int, bool) {
	hi := 0
	for _, d := range dims {
		n, err := sizeValue(d, b)
		if err != nil {
			return 0, false
		}
		if hi == 0 || int(n) < hi {
			hi = int(n)
		}
	}
	return hi, hi > 0
}

// undeclared lists the names in e, its definitions opened, that are
// neither declared nor defined: scalars, drawn like the declared names
// (with none, no point would be defined and a false identity with a
// free scalar, det(A) == c, would stay unknown).
func undeclared(e ast.Expr, opt Options) []string {
	if ds := opt.Simplify.Defs; ds != nil {
		e = ds.ExpandIf(e, func(string) bool { return true })
	}
	var out []string
	for _, n := range ast.FreeNames(e) {
		if _, ok := opt.Decls[n]; ok {
			continue
		}
		if ds := opt.Simplify.Defs; ds != nil {
			if _, ok := ds.Lookup(n); ok {
				continue
			}
		}
		out = append(out, n)
	}
	return out
}

// symmetricSide rewrites a side of a proof with the matrix identities,
// after working out its derivatives when it mentions a symmetric matrix.
func symmetricSide(ctx context.Context, e ast.Expr, t *Translator, opt Options) (ast.Expr, rules.Step) {
	if ast.HasDeriv(e) && hasSymmetric(t.inline(e), opt.Decls) {
		if r, err := Simplify(ctx, e, opt); err == nil && r.Value != nil {
			return r.Value, rules.Step{Rule: derive.RuleDifferentiate, Before: e, After: r.Value}
		}
	}
	return proofIdentities(ctx, e, t.Env)
}

// wholeSizes reports whether e mentions a vector or matrix declared with
// a size that is a number.
func wholeSizes(e ast.Expr, decls map[string]ast.Shape) bool {
	for _, n := range ast.FreeNames(e) {
		s, ok := decls[n]
		if !ok || s.IsScalar() {
			continue
		}
		for _, d := range []ast.Expr{s.Rows, s.Cols} {
			if _, num := d.(*ast.Num); num {
				if !s.IsVector() || d == s.Rows {
					return true
				}
			}
		}
	}
	return false
}

// RuleSymmetrize is the step that writes each entry of a symmetric
// matrix as the mean of it and its mirror.
var RuleSymmetrize = &rules.Rule{Name: "symmetric_entries", Kind: rules.Pass, Source: rules.Source{File: "matrix (built in)"},
	Doc:  "an entry of a symmetric matrix is the mean of it and its mirror",
	Text: "S[a,b] = (S[a,b] + S[b,a])/2 for S declared symmetric(n)"}

// proveSymmetrized proves the entries ea == eb with each entry S[a,b] of
// a symmetric S written (S[a,b] + S[b,a])/2, or returns nil. It is
// sound and complete for the symmetry: the map S ↦ (S + S')/2 takes the
// matrices whose entries are independent onto the symmetric ones, so the
// rewritten sides are equal for all independent entries exactly when the
// sides are equal for every symmetric S (x'*S*y == y'*S*x).
func proveSymmetrized(ctx context.Context, ea, eb ast.Expr, sopt simplify.Options, symmetric map[string]bool) (*prove.Proof, error) {
	sym := func(e ast.Expr) ast.Expr {
		return ast.Rewrite(e, func(x ast.Expr) (ast.Expr, bool) {
			ix, ok := x.(*ast.Index)
			if !ok || len(ix.Indices) != 2 || !symmetric[ix.Name] || ix.Indices[0] == ix.Indices[1] {
				return nil, false
			}
			mirror := ast.NewIndex(ix.Name, ix.Indices[1], ix.Indices[0])
			return ast.NewDiv(ast.NewAdd(ix, mirror), ast.NewInt(2)), true
		})
	}
	sa, sb := sym(ea), sym(eb)
	if sa == ea && sb == eb {
		return nil, nil
	}
	pr, err := prove.Prove(ctx, sa, sb, sopt)
	if err != nil {
		return nil, err
	}
	ca, cb := sa, sb
	if pr.Verdict != prove.Proved {
		if ca, cb = orderSums(sa, sb); ca == sa && cb == sb {
			return nil, nil
		}
		if pr, err = prove.Prove(ctx, ca, cb, sopt); err != nil || pr.Verdict != prove.Proved {
			return nil, err
		}
	}
	tr := rules.Trace{{Rule: RuleSymmetrize, Before: ea, After: sa}}
	if ca != sa {
		tr = append(tr, rules.Step{Rule: RuleSumOrder, Before: sa, After: ca})
	}
	tr = append(tr, pr.Trace...)
	if cb != sb {
		tr = append(tr, rules.Step{Rule: RuleSumOrder, Before: cb, After: sb})
	}
	tr = append(tr, rules.Step{Rule: RuleSymmetrize, Before: sb, After: eb})
	pr.Trace = tr
	return pr, nil
}

// symmetricNames are the names whose entries are symmetric: the matrices
// declared symmetric and the atoms standing for their inverses.
func symmetricNames(decls map[string]ast.Shape, atoms []*Atom) map[string]bool {
	out := map[string]bool{}
	for n, s := range decls {
		if s.Symmetric {
			out[n] = true
		}
	}
	for _, a := range atoms {
		if m, ok := a.Arg.(*ast.Sym); ok && a.Kind == ast.MatInv && out[m.Name] {
			out[a.Name] = true
		}
	}
	return out
}

// hasSymmetric reports whether e mentions a name declared symmetric.
func hasSymmetric(e ast.Expr, decls map[string]ast.Shape) bool {
	for _, n := range ast.FreeNames(e) {
		if decls[n].Symmetric {
			return true
		}
	}
	return false
}

// opened returns e with the definitions it uses opened, the session's and
// the rules'.
func opened(e ast.Expr, opt Options) ast.Expr {
	if ds := opt.Simplify.Defs; ds != nil {
		e = ds.Expand(e)
	}
	if rs := opt.Simplify.Rules; rs != nil {
		if ds := rs.Defs(); ds != nil {
			e = ds.Expand(e)
		}
	}
	return e
}

// claimDecls returns the declarations of the names e reaches, its
// definitions opened, and the names e reaches that the declarations use as
// sizes, sorted. The points confirm draws are made from these alone, so
// that they are a function of the claim, its declarations and its
// definitions: drawn for every declared name, they changed with a
// declaration the claim does not use, and after a matrix result, whose
// shape the session gives the name _ (A*_ reads as a product), the
// playground (and the REPL) drew other points than run --json for the
// same proof ("agree at the 16 of 30 random points", not 15).
func claimDecls(e ast.Expr, opt Options) (map[string]ast.Shape, []string) {
	used := ast.FreeNames(opened(e, opt))
	decls := map[string]ast.Shape{}
	for _, n := range used {
		if sh, ok := opt.Decls[n]; ok {
			decls[n] = sh
		}
	}
	var sizes []string
	for _, n := range used {
		if _, ok := decls[n]; ok {
			continue
		}
		for _, sh := range opt.Decls {
			if isSizeName(sh, n) {
				sizes = append(sizes, n)
				break
			}
		}
	}
	slices.Sort(sizes)
	return decls, sizes
}

// sizeNames returns the size names of the declared arrays decls and the
// sizes the claim reads itself.
func sizeNames(decls map[string]ast.Shape, sizes []string) []string {
	out := slices.Clone(sizes)
	for _, sh := range decls {
		if sh.IsScalar() {
			continue
		}
		for _, d := range []ast.Expr{sh.Rows, sh.Cols} {
			if v, ok := d.(*ast.Sym); ok && !slices.Contains(out, v.Name) {
				out = append(out, v.Name)
			}
		}
	}
	slices.Sort(out)
	return out
}

// isSizeName reports whether the array shape sh has the name n as a size.
func isSizeName(sh ast.Shape, n string) bool {
	if sh.IsScalar() {
		return false
	}
	for _, d := range []ast.Expr{sh.Rows, sh.Cols} {
		if v, ok := d.(*ast.Sym); ok && v.Name == n {
			return true
		}
	}
	return false
}

// drawValues draws sizes from 2 to 4 and values in [-2, 2], in steps of
// 1/4, for the declared names.
func drawValues(rng *rand.Rand, decls map[string]ast.Shape) ast.Bindings {
	return drawValuesSized(rng, decls, nil)
}

// drawValuesSized is drawValues with each size name of allowed drawn
// among its values (pickSize).
func drawValuesSized(rng *rand.Rand, decls map[string]ast.Shape, allowed map[string][]int) ast.Bindings {
	b := ast.Bindings{}
	size := func(x ast.Expr) int {
		switch x := x.(type) {
		case *ast.Num:
			n, _ := x.Value.Int64()
			return int(n)
		case *ast.Sym:
			if v, ok := b[x.Name]; ok {
				return int(v.Data[0])
			}
			n := 0
			if vs, ok := allowed[x.Name]; ok {
				n = pickSize(rng, vs)
			} else {
				n = 2 + rng.IntN(3)
			}
			b[x.Name] = ast.Scalar(float64(n))
			return n
		}
		return 1
	}
	value := func() float64 { return float64(rng.IntN(17)-8) / 4 }
	for _, name := range slices.Sorted(maps.Keys(decls)) {
		s := decls[name]
		var v ast.Value
		switch {
		case s.IsScalar():
			v = ast.Scalar(value())
		case s.IsVector():
			v.Shape = []int{size(s.Rows)}
		default:
			v.Shape = []int{size(s.Rows), size(s.Cols)}
		}
		if v.Shape != nil {
			n := 1
			for _, k := range v.Shape {
				n *= k
			}
			v.Data = make([]float64, n)
			for i := range v.Data {
				v.Data[i] = value()
			}
			if s.Symmetric {
				m := v.Shape[0]
				for i := range m {
					for j := range i {
						v.Data[j*m+i] = v.Data[i*m+j]
					}
				}
			}
		}
		b[name] = v
	}
	return b
}

// derived simplifies e when it has derivatives.
func derived(ctx context.Context, e ast.Expr, opt simplify.Options) (ast.Expr, error) {
	if !ast.HasDeriv(e) {
		return e, nil
	}
	r, err := simplify.Simplify(ctx, e, opt)
	if err != nil {
		return nil, err
	}
	return r.Expr, nil
}

func sameShape(a, b ast.Shape) bool {
	if a.IsScalar() || b.IsScalar() {
		return a.IsScalar() && b.IsScalar()
	}
	return a.Rows == b.Rows && a.Cols == b.Cols
}
