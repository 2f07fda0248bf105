// Package explain says why the gradient of a loss is features × residual,
// or why it is not.
//
// A per-sample loss ℓ(z, y) of a linear predictor z has a gradient of the
// residual form ∂ℓ/∂z = c·(μ(z) − y) exactly when ∂²ℓ/∂z∂y is a constant
// −c: ℓ is then c·(A(z) − y·z) + B(y), the negative log-likelihood of an
// exponential family with its canonical link, with μ = A′. Explain decides
// this with the prover (a proof, or a refutation with a counterexample),
// finds μ and the log-partition A (matched against a small table and
// checked by differentiation with a proof), names the family, and proves
// the consequence for the weights of z = Xw: ∇_w = c·Xᵀ(μ(Xw) − y). When
// the cross derivative is not constant it shows the factor that stands in
// the way, ∂ℓ/∂z = W(z)·(μ(z) − y), and refutes the residual form.
//
// Everything is computed in index notation; a matrix rendering is a line
// of text built from the index form (the seam for a matrix layer).
// Assumptions about the labels (a two-point label set, one-hot labels) are
// passed in Options.Assume; each is recorded as a step of the explanation.
package explain

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/prove"
)

// Assumptions are facts about the labels that a loss's residual form may
// need. They are applied to the per-sample gradient ∂ℓ/∂z, each as a
// recorded step; the weight gradient is then proved through the chain rule
// and holds on the assumed labels.
type Assumptions struct {
	// LabelSet, when it has two values a and b, says every label is a or
	// b. On such labels ∂ℓ/∂z equals its interpolation in y, affine in y:
	// g(a) + (y − a)/(b − a)·(g(b) − g(a)).
	LabelSet []ast.Number
	// OneHot says that the labels of a sample sum to 1 over the class
	// index: sum(l=1..K, y[m,l]) = 1 (sum(l=1..K, y[l]) = 1 for the
	// classes of one sample).
	OneHot bool
}

// Options configure an explanation.
type Options struct {
	Simplify simplify.Options // the definitions and rules in force
	// Wrt names the linear predictor, or the weights w of the definition
	// z[i] := sum(j=lo..hi, x[i,j]*w[j]) the loss uses (explained through
	// z); empty means that definition, else z.
	Wrt string
	// Label names the labels; empty means y, else t.
	Label  string
	Assume Assumptions
	// Decls are the declared shapes of vectors and matrices: a loss in
	// matrix notation is explained through its index form, and Wrt then
	// names the weights w of the predictor X*w (or a declared vector that
	// is the predictor itself).
	Decls map[string]ast.Shape
}

// Verdict is what an explanation found.
type Verdict uint8

const (
	Undecided   Verdict = iota // the prover could not decide
	Residual                   // ∂ℓ/∂z = c·(μ(z) − y), proved
	NotResidual                // refuted: ∂²ℓ/∂z∂y is not constant
)

func (v Verdict) String() string {
	return [...]string{"undecided", "residual form", "not residual form"}[v]
}

// A Claim is one statement of an explanation with the prover's verdict.
// Want is the verdict the explanation's conclusion rests on: Proved for
// an identity it asserts, Refuted for one it denies; for a claim that
// only informs (the cross derivative's dependence on y, when it depends on
// z), the verdict found.
type Claim struct {
	Part  Part   // the part of the explanation it belongs to
	Say   string // what the claim says, in words
	Proof *prove.Proof
	Want  prove.Verdict
}

// Part names the parts of an explanation, in the order they are made.
type Part string

const (
	PartGradient Part = "gradient" // ∂ℓ/∂z as simplified, when assumptions rewrite it
	PartCross    Part = "cross"    // ∂²ℓ/∂z∂y: constant, or not
	PartResidual Part = "residual" // ∂ℓ/∂z = c·(μ − y), or W·(μ − y)
	PartFactor   Part = "factor"   // W = k·μ′/V(μ)
	PartFamily   Part = "family"   // A′ = μ
	PartWeights  Part = "weights"  // the gradient with respect to the weights
	PartMatrix   Part = "matrix"   // the same in matrix notation, for a loss written so
)

// Holds reports whether the prover gave the verdict the claim needs.
func (c Claim) Holds() bool { return c.Proof != nil && c.Proof.Verdict == c.Want }

// A Family is an exponential family recognised from its log-partition.
type Family struct {
	Name string   // "Bernoulli", "Gaussian", ...
	Link string   // "logit", "identity", ...
	Note string   // what else a reader should know
	A    ast.Expr // the log-partition A(z), with A′ = μ
}

// A Variance is a family's variance function V(μ) that the factor of a
// non-canonical link is measured against: W = K·μ′(z)/V(μ).
type Variance struct {
	Family string
	V      ast.Expr // in terms of the name μ
	K      ast.Expr
	Ratio  ast.Expr // μ′(z)/V(μ(z)): the factor that is not constant
}

// WeightGradient is the consequence for the weights w of z = Xw.
type WeightGradient struct {
	W     ast.Expr // the weight differentiated by, w[k]
	Index ast.Expr // c·Σ_i x[i,k]·(μ(z[i]) − y[i]) (+ the penalty's gradient)
	// Penalty is the gradient of the terms of the loss that do not go
	// through z (a regulariser), or nil.
	Penalty ast.Expr
	Matrix  string // the same in matrix notation, as text (Unicode)
	// MatrixExpr is the matrix form as an expression for the printers:
	// for a loss in matrix notation a matrix expression (proved against
	// d(loss, w) entry by entry); else X^T stands for the transpose, and
	// names for vectors and matrices.
	MatrixExpr ast.Expr
	// MatrixChain is the chain rule through the predictor in matrix
	// notation, Xᵀ·∂ℓ/∂z, when OnAssumed for a loss in matrix notation.
	MatrixChain ast.Expr
	// OnAssumed: the index form holds on the assumed labels; Proof then
	// proves the chain rule through z, Σ_i x[i,k]·∂ℓ/∂z[i].
	OnAssumed bool
	Chain     ast.Expr // Σ_i x[i,k]·∂ℓ/∂z[i] (+ penalty), when OnAssumed
	// Loss is the loss summed over samples, for a per-sample loss of
	// scalars (nil otherwise): what the gradient is of.
	Loss ast.Expr
}

// An Explanation is the answer for one loss.
type Explanation struct {
	Loss    ast.Expr
	Assume  Assumptions
	Z, Y    ast.Expr // the predictor and the label of one sample: z[m], y[m]
	Grad    ast.Expr // ∂ℓ/∂z, simplified
	Assumed rules.Trace
	Work    ast.Expr // ∂ℓ/∂z under the assumptions (Grad when there are none)
	Cross   ast.Expr // ∂²ℓ/∂z∂y, simplified
	Verdict Verdict
	// Residual form: ∂ℓ/∂z = C·(Mu − Y). Not: ∂ℓ/∂z = Factor·(Mu − Y),
	// when the gradient is affine in y (Factor is then not constant).
	C, Mu, Factor ast.Expr
	// Variance reads the factor as a GLM's: W = K·μ′(z)/V(μ).
	Variance *Variance
	Family   *Family
	Weights  *WeightGradient
	Claims   []Claim
	// OneHotSum is the sum of a sample's labels over the classes that the
	// one-hot assumption set to 1, with its range (nil when it was not
	// applied as a step).
	OneHotSum ast.Expr
	// Notes are remarks in words: what was assumed, what could not be done.
	Notes []string
	// Matrix is how a loss in matrix notation was read (nil for a loss
	// written with indices): the claims are made on its index form, and
	// the weight gradient is proved in matrix notation too.
	Matrix *MatrixForm
	// Jump: the gradient jumps with the label (a kink in z − y, as in
	// |z − y| or the pinball loss), which ∂²ℓ/∂z∂y, taken where it is
	// defined (0, or a constant), does not show; the verdict is not
	// residual form, from the gradient itself compared at two labels.
	Jump bool
	// FactorGradient is, for a loss in matrix notation that is not
	// residual form, its weight gradient Xᵀ(W(Xw) ⊙ (μ(Xw) − y)) with the
	// factor W that breaks the residual form (proved, a PartMatrix claim).
	FactorGradient ast.Expr

	defs *ast.Defs
}

// ExpandExceptPredictor opens the definitions in x other than the
// predictor's: μ = p[m] reads σ(z[m]).
func (e *Explanation) ExpandExceptPredictor(x ast.Expr) ast.Expr {
	name := ""
	switch z := e.Z.(type) {
	case *ast.Sym:
		name = z.Name
	case *ast.Index:
		name = z.Name
	}
	return e.defs.ExpandIf(x, func(n string) bool { return n != name })
}

// Defs returns the definitions the explanation was made with, the
// predictor it added to sum a per-sample loss included.
func (e *Explanation) Defs() *ast.Defs { return e.defs }

// Canonical reports whether the explanation calls the loss an
// exponential family with its canonical link: only for a proved residual
// form with a log-partition checked by differentiation.
func (e *Explanation) Canonical() bool { return e.Verdict == Residual && e.Family != nil }

// The explanation's own steps, as named rules.
var (
	RuleLabelSet = &rules.Rule{Name: "assume_label_set", Kind: rules.Assumption, Source: src,
		Doc:  "labels in a two-point set",
		Text: "for y in {a, b}: g(y) = g(a) + (y - a)/(b - a)*(g(b) - g(a)), affine in y"}
	RuleOneHot = &rules.Rule{Name: "assume_one_hot", Kind: rules.Assumption, Source: src,
		Doc: "one-hot labels", Text: "sum(l=1..K, y[m,l]) = 1"}
)

var src = rules.Source{File: "explain (built in)"}

// Rules lists the explanation's own rules.
func Rules() []*rules.Rule { return []*rules.Rule{RuleLabelSet, RuleOneHot} }

// ErrNoPredictor is returned when the loss has no linear predictor to
// differentiate by.
var ErrNoPredictor = errors.New("no linear predictor: define z[i] := sum(j=1..d, x[i,j]*w[j]) or name it with --wrt")

// explainer holds the state of one explanation.
type explainer struct {
	ctx  context.Context
	opt  Options
	sopt simplify.Options
	defs *ast.Defs
	z, y string // the predictor's and the labels' names
	// w names the weights --wrt gave, when the loss is explained through
	// their predictor; nonlinear: that predictor is not linear in them.
	w         string
	nonlinear bool
	taken     map[string]bool
	out       *Explanation
	// oneHotAssumed: one-hot labels come from an assume statement.
	oneHotAssumed bool
	// classes is the sum over the classes in μ of the categorical family.
	classes *ast.Sum
}

// Explain explains the gradient of loss.
func Explain(ctx context.Context, loss ast.Expr, opt Options) (*Explanation, error) {
	if opt.Simplify.Rules == nil {
		return nil, errors.New("explain: no rule set given")
	}
	if involved(loss, opt) {
		return explainMatrix(ctx, loss, opt)
	}
	return explain(ctx, loss, opt)
}

// explain explains a loss written with indices (or of scalars).
func explain(ctx context.Context, loss ast.Expr, opt Options) (*Explanation, error) {
	if n := len(opt.Assume.LabelSet); n != 0 && n != 2 {
		return nil, fmt.Errorf("a label set must have two values, not %d", n)
	}
	if n := opt.Assume.LabelSet; len(n) == 2 && n[0].Equal(n[1]) {
		return nil, fmt.Errorf("a label set must have two different values")
	}
	defs := opt.Simplify.Defs
	if defs == nil {
		defs = &ast.Defs{}
	}
	x := &explainer{ctx: ctx, opt: opt, sopt: opt.Simplify, defs: defs, out: &Explanation{Loss: loss, Assume: opt.Assume}}
	x.sopt.Defs = defs
	x.sopt.Expanded = false
	x.out.defs = defs
	if err := x.names(loss); err != nil {
		return nil, err
	}
	if err := x.run(); err != nil {
		return nil, err
	}
	return x.out, nil
}

// names finds the predictor and the labels and makes z[m] and y[m].
func (x *explainer) names(loss ast.Expr) error {
	x.z = x.opt.Wrt
	if p := x.predictorOfWeights(loss, x.z); p != "" {
		// --wrt w names the weights of z[i] := sum(j, x[i,j]*w[j]), as in
		// matrix notation: the question is about ∂ℓ/∂z, per sample, and
		// taken about w itself it would mix the feature index with the
		// sample index (x[m,m]).
		x.out.Notes = append(x.out.Notes, fmt.Sprintf("%s are the weights of the linear predictor %s: explained through %s, and the gradient for %s derived from it", x.z, p, p, x.z))
		x.z, x.w = p, x.z
	} else if _, defined := x.defs.Lookup(x.z); !defined && x.z != "" {
		// w inside a predictor that is not linear in it (x[i,j]*w[j]²,
		// exp(w[j]), Xw + w[1]²): taken as the predictor itself, w[m]
		// would tie the weight's index to the sample's. The question is
		// asked about z, which the loss is a function of, and no
		// Xᵀ(μ − y) is claimed for w.
		if ps := NotLinear(x.defs, loss, x.z); len(ps) == 1 {
			d, _ := x.defs.Lookup(ps[0])
			x.out.Notes = append(x.out.Notes, fmt.Sprintf("%s is not a linear predictor sum(j, x[i,j]*%s[j]) plus terms without %s (%s): explained through %s, with ∂ℓ/∂%s = Σ_i ∂%s[i]/∂%s·∂ℓ/∂%s[i]; no weight gradient c·Xᵀ(μ(z) − y) is derived for %s", ps[0], x.z, x.z, d, ps[0], x.z, ps[0], x.z, ps[0], x.z))
			x.z, x.w, x.nonlinear = ps[0], x.z, true
		} else if len(ps) > 1 {
			return fmt.Errorf("%s enters the loss through %s, none of them a linear predictor sum(j, x[i,j]*%s[j]) (plus terms without %s): name the predictor to explain through with --wrt", x.z, strings.Join(ps, ", "), x.z, x.z)
		}
	}
	if x.z == "" {
		all := x.defs.Expand(loss)
		used := ast.NamesUsed(x.defs.ExpandIf(loss, func(n string) bool { return !isLinearPredictor(x.defs, n) }))
		for _, n := range used {
			if isLinearPredictor(x.defs, n) {
				x.z = n
				break
			}
		}
		if x.z == "" && ast.HasFree(all, "z") {
			x.z = "z"
		}
		if x.z == "" {
			return ErrNoPredictor
		}
	}
	lx := x.expanded(loss)
	zArity, ok := arity(lx, x.z)
	if !ok {
		return fmt.Errorf("the loss does not depend on %s", x.z)
	}
	x.y = x.opt.Label
	if x.y == "" {
		for _, c := range LabelNames() {
			if _, ok := arity(lx, c); ok && c != x.z {
				x.y = c
				break
			}
		}
		if x.y == "" {
			return fmt.Errorf("no labels: the loss uses none of y, t, Y, T (other than the predictor %s); name them with --label", x.z)
		}
	}
	if x.y == x.z {
		return fmt.Errorf("%s is both the predictor and the labels: name the labels with --label", x.z)
	}
	yArity, ok := arity(lx, x.y)
	if !ok {
		return fmt.Errorf("the loss does not use the labels %s", x.y)
	}
	if zArity > 2 || yArity != zArity {
		return fmt.Errorf("the predictor %s has %d indices and the labels %s have %d: explain handles a scalar, z[i] with y[i], and z[i,l] with y[i,l]", x.z, zArity, x.y, yArity)
	}
	x.assumed()
	if yArity == 2 && len(x.opt.Assume.LabelSet) > 0 {
		return errors.New("a label set applies to one label per sample; for class labels use one-hot")
	}
	// New index names must not be free in the loss; the loss's own bound
	// names may be reused (d(MCE, Z[m,l]) with l bound inside MCE).
	x.taken = map[string]bool{}
	for _, n := range ast.FreeNames(x.defs.Expand(loss)) {
		x.taken[n] = true
	}
	for _, n := range x.defs.Names() {
		x.taken[n] = true
	}
	idx := func() []ast.Expr {
		var out []ast.Expr
		for _, base := range []string{"m", "l"}[:zArity] {
			out = append(out, ast.NewSym(x.fresh(base)))
		}
		return out
	}()
	if zArity == 0 {
		x.out.Z, x.out.Y = ast.NewSym(x.z), ast.NewSym(x.y)
	} else {
		x.out.Z, x.out.Y = ast.NewIndex(x.z, idx...), ast.NewIndex(x.y, idx...)
		x.sampleRanges(lx, idx)
	}
	return nil
}

// sampleRanges gives the prover the ranges of the sample's indices m (and
// l): those of the sums from 1 the loss takes over z or y at that
// position, when they agree. Every claim is about ∂ℓ/∂z[m] at an m in the
// data, and a counterexample with m outside it, or a count n = −0.5
// beside m = 1, is not one. A sum from elsewhere (classes 2..K) gives
// none, as the prover infers none from it: A′ = μ must then say which
// classes it holds for.
func (x *explainer) sampleRanges(loss ast.Expr, idx []ast.Expr) {
	found := make([]*simplify.Range, len(idx))
	clash := make([]bool, len(idx))
	ast.InspectOnce(loss, func(e ast.Expr) bool {
		s, ok := e.(*ast.Sum)
		if !ok || !ast.IsNum(s.Lo, 1) {
			return true
		}
		v := ast.NewSym(s.Var)
		ast.InspectOnce(s.Body, func(b ast.Expr) bool {
			ix, ok := b.(*ast.Index)
			if !ok || (ix.Name != x.z && ix.Name != x.y) || len(ix.Indices) != len(idx) {
				return true
			}
			for p, at := range ix.Indices {
				if at != v {
					continue
				}
				switch r := found[p]; {
				case r == nil:
					found[p] = &simplify.Range{Lo: s.Lo, Hi: s.Hi}
				case r.Lo != s.Lo || r.Hi != s.Hi:
					clash[p] = true
				}
			}
			return true
		})
		return true
	})
	own := false // x.sopt.Ranges is the caller's until cloned
	for p, r := range found {
		if r == nil || clash[p] {
			continue
		}
		if !own {
			x.sopt.Ranges = maps.Clone(x.sopt.Ranges)
			if x.sopt.Ranges == nil {
				x.sopt.Ranges = map[string]simplify.Range{}
			}
			own = true
		}
		x.sopt.Ranges[idx[p].(*ast.Sym).Name] = *r
	}
}

// assumed takes the user's assume statements about the labels as the
// explanation's assumptions too (a label set given as an option wins):
// `assume y[i] in {a, b}` is a label set, and
// `assume sum(c=1..K, y[i,c]) == 1` one-hot labels (which the simplifier
// then applies itself, as a rewrite).
func (x *explainer) assumed() {
	a := &x.opt.Assume
	for _, st := range x.sopt.Assume {
		switch {
		case st.In && len(st.Set) == 2 && x.isLabel(st.X) && len(a.LabelSet) == 0:
			n0, ok0 := st.Set[0].(*ast.Num)
			n1, ok1 := st.Set[1].(*ast.Num)
			if ok0 && ok1 && !n0.Value.Equal(n1.Value) {
				a.LabelSet = []ast.Number{n0.Value, n1.Value}
			}
		case !st.In && len(st.Ops) == 1 && st.Ops[0] == "==" && ast.IsNum(st.Rest[0], 1):
			if s, ok := st.X.(*ast.Sum); ok && s.Op == ast.OpSum {
				if idx, ok := s.Body.(*ast.Index); ok && idx.Name == x.y && len(idx.Indices) >= 1 && idx.Indices[len(idx.Indices)-1] == ast.NewSym(s.Var) {
					a.OneHot, x.oneHotAssumed = true, true
					x.out.Notes = append(x.out.Notes, fmt.Sprintf("one-hot labels, as %s says: the simplifier applies it to ∂ℓ/∂z", ast.StmtString(st)))
				}
			}
		}
	}
	x.out.Assume = *a
}

// isLabel reports whether e is the labels, y or y[i] with a free index.
func (x *explainer) isLabel(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Sym:
		return e.Name == x.y
	case *ast.Index:
		return e.Name == x.y && len(e.Indices) == 1
	}
	return false
}

// fresh returns a name like base not used yet, and takes it.
func (x *explainer) fresh(base string) string {
	n := base
	if x.taken[n] {
		n = ast.Fresh(base, func(c string) bool { return x.taken[c] })
	}
	x.taken[n] = true
	return n
}

// expanded opens every definition but the predictor's.
func (x *explainer) expanded(e ast.Expr) ast.Expr {
	return x.defs.ExpandIf(e, func(n string) bool { return n != x.z })
}

// arity returns the number of indices name is used with in e (0 for a
// scalar), and whether it is used at all.
func arity(e ast.Expr, name string) (int, bool) {
	n, found := 0, false
	ast.InspectOnce(e, func(y ast.Expr) bool {
		switch y := y.(type) {
		case *ast.Sym:
			if y.Name == name && !found {
				n, found = 0, true
			}
		case *ast.Index:
			if y.Name == name && !found {
				n, found = len(y.Indices), true
			}
		}
		return !found
	})
	return n, found
}

// constant reports whether e depends on neither the predictor nor the
// labels, through definitions included.
func (x *explainer) constant(e ast.Expr) bool {
	ex := x.expanded(e)
	return !ast.HasDeriv(ex) && !ast.HasFree(ex, x.z) && !ast.HasFree(ex, x.y)
}

func (x *explainer) simplify(e ast.Expr) (ast.Expr, error) {
	r, err := simplify.Simplify(x.ctx, e, x.sopt)
	if err != nil {
		return nil, err
	}
	return r.Expr, nil
}

// claim proves a == b and records it.
func (x *explainer) claim(part Part, say string, a, b ast.Expr, want prove.Verdict) (Claim, error) {
	pr, err := prove.Prove(x.ctx, a, b, x.sopt)
	if err != nil {
		if x.ctx.Err() != nil {
			return Claim{}, err
		}
		// The prover could not even try (a form it cannot evaluate): the
		// claim is undecided, with the reason, and the explanation goes on.
		pr = &prove.Proof{A: a, B: b, Verdict: prove.Unknown, Tried: err.Error()}
	}
	c := Claim{Part: part, Say: say, Proof: pr, Want: want}
	x.out.Claims = append(x.out.Claims, c)
	return c, nil
}

// replace replaces the node from by to wherever it occurs in e.
func replace(e, from, to ast.Expr) ast.Expr {
	return ast.Map(e, func(n ast.Expr) ast.Expr {
		if n == from {
			return to
		}
		return n
	})
}

func (x *explainer) run() error {
	out := x.out
	loss, z, y := out.Loss, out.Z, out.Y
	grad := ast.NewDeriv(loss, z)
	g, err := x.simplify(grad)
	if err != nil {
		return err
	}
	out.Grad, out.Work = g, g
	// work is the gradient the claims are about: d(loss, z) itself, or
	// its form under the assumptions.
	var work ast.Expr = grad
	if err := x.assume(); err != nil {
		return err
	}
	if len(out.Assumed) > 0 || x.oneHotAssumed {
		// The assumptions rewrite the simplified gradient (or the
		// simplifier applied the user's, as it simplified it): prove that it
		// is the gradient, so that the chain from d(loss, z) to the
		// residual form is proved but for the assumption steps.
		if _, err := x.claim(PartGradient, "∂ℓ/∂z before the assumptions", grad, g, prove.Proved); err != nil {
			return err
		}
		work = out.Work
	}
	cross := ast.NewDeriv(work, y)
	h, err := x.simplify(cross)
	if err != nil {
		return err
	}
	out.Cross = h
	c, err := x.simplify(ast.NewNeg(h))
	if err != nil {
		return err
	}
	if x.constant(c) && !ast.IsNum(c, 0) {
		return x.residual(work, cross, c)
	}
	return x.notResidual(work, cross, c)
}

// assume applies the assumptions to the gradient, a step each.
func (x *explainer) assume() error {
	if x.opt.Assume.OneHot {
		if err := x.oneHot(); err != nil {
			return err
		}
	}
	if len(x.opt.Assume.LabelSet) == 2 {
		return x.labelSet()
	}
	return nil
}

// oneHot replaces a sum of the sample's labels over the classes by 1.
func (x *explainer) oneHot() error {
	out := x.out
	idx, ok := out.Y.(*ast.Index)
	if !ok {
		out.Notes = append(out.Notes, "one-hot labels were assumed, but the labels are not class labels y[i,l] (or y[l] for one sample): the assumption is not used")
		return nil
	}
	// The labels of one sample are y[m, ·], or y[·] for a per-sample loss
	// over the classes.
	pre := idx.Indices[:len(idx.Indices)-1]
	var sums []*ast.Sum // the sums of the labels, one per range
	one := ast.Map(out.Work, func(n ast.Expr) ast.Expr {
		s, ok := n.(*ast.Sum)
		if ok && s.Op == ast.OpSum && s.Body == ast.NewIndex(idx.Name, append(slices.Clone(pre), ast.NewSym(s.Var))...) {
			if !slices.ContainsFunc(sums, func(t *ast.Sum) bool { return t.Lo == s.Lo && t.Hi == s.Hi }) {
				sums = append(sums, s)
			}
			return ast.One
		}
		return n
	})
	if len(sums) > 1 {
		// The labels cannot sum to 1 over two different ranges of classes
		// (unless the classes between are 0): which one is meant is not
		// for explain to choose.
		var rs []string
		for _, s := range sums {
			rs = append(rs, ast.String(s.Lo)+".."+ast.String(s.Hi))
		}
		out.Notes = append(out.Notes, fmt.Sprintf("one-hot labels were assumed, but the gradient sums the labels over the classes %s: the assumption is not used", strings.Join(rs, " and ")))
		return nil
	}
	if len(sums) == 1 {
		v := x.fresh("j")
		at := append(slices.Clone(pre), ast.NewSym(v))
		out.OneHotSum = ast.NewSum(ast.OpSum, v, sums[0].Lo, sums[0].Hi, ast.NewIndex(idx.Name, at...))
	}
	if one == out.Work {
		if !x.oneHotAssumed { // an assume statement is applied by the simplifier itself
			out.Notes = append(out.Notes, "one-hot labels were assumed, but the gradient has no sum of labels over the classes: the assumption is not used")
		}
		return nil
	}
	after, err := x.simplify(one)
	if err != nil {
		return err
	}
	out.Assumed = append(out.Assumed, rules.Step{Rule: RuleOneHot, Before: out.Work, After: after})
	out.Work = after
	return nil
}

// labelSet replaces the gradient by its interpolation between the two
// labels, which agrees with it on them and is affine in the label.
func (x *explainer) labelSet() error {
	out := x.out
	y, ls := out.Y, x.opt.Assume.LabelSet
	// A gradient already affine in y is its own interpolation (a second
	// derivative of 0 says so only where there are no kinks: a step's
	// derivative is 0 too).
	if !kinked(x.expanded(out.Work)) {
		if d2, err := x.simplify(ast.NewDeriv(ast.NewDeriv(out.Work, y), y)); err != nil {
			return err
		} else if isNum(d2, 0) {
			return nil
		}
	}
	a, b := ast.NewNum(ls[0]), ast.NewNum(ls[1])
	ga, gb := replace(out.Work, y, a), replace(out.Work, y, b)
	t := ast.NewDiv(ast.NewAdd(y, ast.NewNeg(a)), ast.NewNum(ls[1].Sub(ls[0])))
	interp := ast.NewAdd(ga, ast.NewMul(t, ast.NewAdd(gb, ast.NewNeg(ga))))
	after, err := x.simplify(interp)
	if err != nil {
		return err
	}
	if after != out.Work {
		out.Assumed = append(out.Assumed, rules.Step{Rule: RuleLabelSet, Before: out.Work, After: after})
		out.Work = after
	}
	return nil
}

// residual proves the residual form and finds μ, A and the family.
func (x *explainer) residual(work, cross, c ast.Expr) error {
	out := x.out
	y := out.Y
	out.C = c
	mu, err := x.simplify(ast.NewDiv(replace(out.Work, y, ast.Zero), c))
	if err != nil {
		return err
	}
	out.Mu = mu
	c1, err := x.claim(PartCross, "∂²ℓ/∂z∂y is the constant −c", cross, ast.NewNeg(c), prove.Proved)
	if err != nil {
		return err
	}
	c2, err := x.claim(PartResidual, "∂ℓ/∂z = c·(μ(z) − y)", work, times(c, minus(mu, y)), prove.Proved)
	if err != nil {
		return err
	}
	if c1.Holds() && c2.Proof.Verdict == prove.Refuted {
		// Had ∂ℓ/∂z been c′·(μ′(z) − y), its cross derivative would be −c′
		// wherever defined, so c′ = c and μ′ = μ: the counterexample
		// refutes the residual form for every c and μ. (It happens where
		// the gradient jumps with the label: |z − y| in a term.)
		out.Claims[len(out.Claims)-1].Want = prove.Refuted
		out.Claims[len(out.Claims)-2].Say = "∂²ℓ/∂z∂y is the constant −c where it is defined"
		out.Verdict = NotResidual
		out.Jump = kinked(x.expanded(work))
		out.Notes = append(out.Notes, "∂ℓ/∂z is not c·(μ(z) − y) with the c of ∂²ℓ/∂z∂y: it jumps with the label (a kink in the label), which a derivative taken where it is defined does not show")
		return nil
	}
	if !c1.Holds() || !c2.Holds() {
		out.Verdict = Undecided
		return nil
	}
	out.Verdict = Residual
	if err := x.family(); err != nil {
		return err
	}
	return x.weights()
}

// notResidual refutes the residual form and shows what breaks it.
func (x *explainer) notResidual(work, cross, c ast.Expr) error {
	out := x.out
	y := out.Y
	cl, err := x.dependence(cross, out.Z, x.z, "∂²ℓ/∂z∂y does not depend on z", prove.Refuted)
	if err != nil {
		return err
	}
	if cl.Proof.Verdict == prove.Refuted {
		out.Verdict = NotResidual
	}
	cy, err := x.dependence(cross, y, x.y, "∂ℓ/∂z is affine in y", prove.Proved)
	if err != nil {
		return err
	}
	// Either refutation shows the cross derivative is not constant; a
	// proof of the other is information, not a failure.
	for i := len(out.Claims) - 2; i < len(out.Claims); i++ {
		if v := out.Claims[i].Proof.Verdict; v != prove.Unknown {
			out.Claims[i].Want = v
		}
	}
	if cy.Proof.Verdict == prove.Refuted {
		out.Verdict = NotResidual
		out.Notes = append(out.Notes, "∂ℓ/∂z is not affine in the label: labels restricted to two values (a label set) may make it so")
		return nil
	}
	if x.otherLabels(out.Work) {
		out.Notes = append(out.Notes, fmt.Sprintf("∂ℓ/∂z depends on other labels than %s: with class labels, one-hot labels (sum over the classes = 1) may make it residual form", ast.String(y)))
		return nil
	}
	if ast.IsNum(c, 0) {
		// ∂²ℓ/∂z∂y = 0: the loss does not couple z and y at all.
		if cl.Proof.Verdict == prove.Proved {
			out.Verdict = NotResidual
		}
		g := x.expanded(out.Work)
		if !kinked(g) {
			out.Notes = append(out.Notes, "∂²ℓ/∂z∂y = 0: the gradient does not depend on the label")
			return nil
		}
		// With kinks, 0 holds only where the derivative is defined:
		// sign(z − y) has derivative 0 in y and still depends on it.
		// Compare the gradient itself at another label.
		cg, err := x.claim(PartCross, "∂ℓ/∂z does not depend on y: the same at another y", g, x.other(g, x.y), prove.Proved)
		if err != nil {
			return err
		}
		switch cg.Proof.Verdict {
		case prove.Proved:
			out.Notes = append(out.Notes, "∂²ℓ/∂z∂y = 0: the gradient does not depend on the label")
		case prove.Refuted:
			out.Claims[len(out.Claims)-1].Want = prove.Refuted
			out.Jump = true
			// The derivatives of the cross derivative are 0 only where
			// they are defined: say so, rather than that ∂ℓ/∂z is affine
			// in y, which the comparison refutes.
			for i := range out.Claims[:len(out.Claims)-1] {
				switch c := &out.Claims[i]; c.Say {
				case "∂ℓ/∂z is affine in y":
					c.Say = "∂²ℓ/∂z∂y does not depend on y where it is defined"
				case "∂²ℓ/∂z∂y does not depend on z":
					c.Say += " where it is defined"
				}
			}
			out.Notes = append(out.Notes, "∂²ℓ/∂z∂y = 0 only where it is defined: ∂ℓ/∂z jumps with the label (a kink in the label), so it is not c·(μ(z) − y) for any c")
		default:
			out.Claims[len(out.Claims)-1].Want = prove.Unknown
		}
		return nil
	}
	if cy.Proof.Verdict != prove.Proved {
		return nil
	}
	if kinked(x.expanded(out.Work)) {
		out.Notes = append(out.Notes, "the gradient has kinks (step, sign, max, ...): it is piecewise, and no factor W(z) in front of a residual is read from it")
		return nil
	}
	// Affine in y with a slope that depends on z: ∂ℓ/∂z = W(z)·(μ(z) − y).
	mu, err := x.simplify(ast.NewDiv(replace(out.Work, y, ast.Zero), c))
	if err != nil {
		return err
	}
	out.Mu = mu
	if err := x.nicerMu(); err != nil {
		return err
	}
	out.Factor = c
	if err := x.variance(); err != nil {
		return err
	}
	_, err = x.claim(PartResidual, "∂ℓ/∂z = W(z)·(μ(z) − y)", work, times(out.Factor, minus(out.Mu, y)), prove.Proved)
	return err
}

// dependence decides whether the cross derivative depends on v (the
// predictor or the label): first by differentiating it once more, which
// gives a counterexample in the loss's own terms; when that derivative is
// 0, by comparing the cross derivative with itself at another value of v,
// since a piecewise-constant one (the hinge's step) has derivative 0 where
// it is defined and is still not constant.
func (x *explainer) dependence(cross, v ast.Expr, name, say string, want prove.Verdict) (Claim, error) {
	out := x.out
	cl, err := x.claim(PartCross, say, ast.NewDeriv(cross, v), ast.Zero, want)
	if err != nil || cl.Proof.Verdict != prove.Proved {
		return cl, err
	}
	h := x.expanded(out.Cross)
	alt, err := x.claim(PartCross, say+": the same at another "+name, h, x.other(h, name), want)
	if err != nil {
		return alt, err
	}
	if alt.Proof.Verdict == prove.Refuted {
		// The derivative's 0 held only where it is defined: the
		// comparison is the answer.
		out.Claims = slices.Delete(out.Claims, len(out.Claims)-2, len(out.Claims)-1)
		return alt, nil
	}
	out.Claims = out.Claims[:len(out.Claims)-1]
	return cl, nil
}

// kinkFunc reports whether fn is a function with a kink or a jump. (A
// switch, not a map literal, which every command's start would build.)
func kinkFunc(fn string) bool {
	switch fn {
	case "abs", "sign", "step", "relu", "max", "min", "clip":
		return true
	}
	return false
}

// kinked reports whether e uses a function with a kink or a jump.
func kinked(e ast.Expr) bool {
	found := false
	ast.InspectOnce(e, func(n ast.Expr) bool {
		if c, ok := n.(*ast.Call); ok && kinkFunc(c.Fn) {
			found = true
		}
		return !found
	})
	return found
}

// other returns e with the sample's predictor (or label) renamed: z[m,·]
// becomes z2[m,·], a name of its own, so that comparing e with it asks
// whether e depends on them.
func (x *explainer) other(e ast.Expr, name string) ast.Expr {
	alt := x.fresh(name + "2")
	var sample ast.Expr
	if idx, ok := x.out.Z.(*ast.Index); ok {
		sample = idx.Indices[0]
	}
	return ast.Map(e, func(n ast.Expr) ast.Expr {
		switch n := n.(type) {
		case *ast.Sym:
			if n.Name == name && sample == nil {
				return ast.NewSym(alt)
			}
		case *ast.Index:
			if n.Name == name && sample != nil && n.Indices[0] == sample {
				return ast.NewIndex(alt, n.Indices...)
			}
		}
		return n
	})
}

// nicerMu replaces μ, as the simplifier leaves it, by a subexpression of
// the loss that it is proved equal to (Φ(z) rather than
// 1/((1 − Φ(z))·(1/Φ(z) + 1/(1 − Φ(z))))).
func (x *explainer) nicerMu() error {
	out := x.out
	mu := out.Mu
	seen := map[ast.Expr]bool{mu: true}
	var cands []ast.Expr
	// Candidates come from the gradient of the sample (Φ(z[m]) in the
	// probit's) and from a per-sample loss.
	ast.InspectOnce(ast.NewAdd(x.expanded(out.Work), x.expanded(out.Loss)), func(e ast.Expr) bool {
		if _, ok := e.(*ast.Sum); ok || seen[e] || e.Size() >= mu.Size() || e.Size() > 24 {
			return true
		}
		seen[e] = true
		if ast.HasFree(e, x.z) && !ast.HasFree(e, x.y) && !ast.HasDeriv(e) && x.freeIndices(e) {
			cands = append(cands, e)
		}
		return true
	})
	slices.SortStableFunc(cands, func(a, b ast.Expr) int { return int(a.Size() - b.Size()) })
	for _, c := range cands[:min(len(cands), 12)] {
		pr, err := prove.Prove(x.ctx, mu, c, x.sopt)
		if err != nil {
			return err
		}
		if pr.Verdict == prove.Proved {
			out.Mu = c
			return nil
		}
	}
	return nil
}

// freeIndices reports whether e's free index variables are those of the
// sample's predictor (a candidate must be a function of z[m]).
func (x *explainer) freeIndices(e ast.Expr) bool {
	ok := true
	ast.InspectOnce(e, func(n ast.Expr) bool {
		if idx, isIdx := n.(*ast.Index); isIdx && idx.Name == x.z {
			ok = ok && idx == x.out.Z
		}
		return ok
	})
	return ok
}

// Variance functions of the families a non-canonical link is measured
// against: ∂ℓ/∂z = W·(μ − y) with W = μ′(z)/V(μ) for the family's
// variance V; the link is canonical exactly when μ′ = V(μ).
var variances = []struct {
	Family string
	V      func(mu ast.Expr) ast.Expr
}{
	{"Bernoulli", func(mu ast.Expr) ast.Expr { return ast.NewMul(mu, ast.NewAdd(ast.One, ast.NewNeg(mu))) }},
	{"Gaussian", func(ast.Expr) ast.Expr { return ast.One }},
	{"Poisson", func(mu ast.Expr) ast.Expr { return mu }},
	{"gamma", func(mu ast.Expr) ast.Expr { return ast.NewPow(mu, ast.Two) }},
}

// constPart returns the product of the factors of e that are constant.
func (x *explainer) constPart(e ast.Expr) ast.Expr {
	switch e := e.(type) {
	case *ast.Neg:
		return ast.NewNeg(x.constPart(e.X))
	case *ast.Mul:
		var fs []ast.Expr
		for _, f := range e.Factors {
			if k := x.constPart(f); !isNum(k, 1) {
				fs = append(fs, k)
			}
		}
		return ast.NewMul(fs...)
	case *ast.Div:
		num, den := x.constPart(e.X), x.constPart(e.Y)
		if isNum(den, 1) {
			return num
		}
		return ast.NewDiv(num, den)
	}
	if x.constant(e) {
		return e
	}
	return ast.One
}

// variance writes the factor W as k·μ′(z)/V(μ) for the variance V of a
// family, when one fits with a constant k: the GLM reading of the factor.
func (x *explainer) variance() error {
	out := x.out
	if !ast.HasFree(x.expanded(out.Mu), x.z) {
		return nil // μ′ = 0: no variance to measure the factor by
	}
	for _, v := range variances {
		d, err := x.simplify(ast.NewDeriv(out.Mu, out.Z))
		if err != nil {
			return err
		}
		if isNum(d, 0) {
			return nil // μ′ = 0 where it is defined (a step): no variance reads the factor
		}
		var cand ast.Expr = d
		if V := v.V(out.Mu); !isNum(V, 1) {
			cand = ast.NewDiv(d, V)
		}
		k, err := x.simplify(ast.NewDiv(out.Factor, cand))
		if err != nil {
			return err
		}
		if !x.constant(k) {
			// The simplifier may not see the quotient is constant: try the
			// constant factors of W, and let the prover decide.
			k = x.constPart(out.Factor)
		}
		var w ast.Expr = cand
		if !isNum(k, 1) {
			w = ast.NewMul(k, cand)
		}
		if w, err = x.simplify(w); err != nil {
			return err
		}
		cl, err := x.claim(PartFactor, "W(z) = k·μ′(z)/V(μ), V the "+v.Family+" variance", out.Factor, w, prove.Proved)
		if err != nil {
			return err
		}
		if !cl.Holds() {
			out.Claims = out.Claims[:len(out.Claims)-1]
			continue
		}
		ratio, err := x.simplify(cand)
		if err != nil {
			return err
		}
		out.Factor, out.Variance = w, &Variance{Family: v.Family, V: v.V(ast.NewSym("μ")), K: k, Ratio: ratio}
		return nil
	}
	return nil
}

// otherLabels reports whether e uses labels other than the sample's Y.
func (x *explainer) otherLabels(e ast.Expr) bool {
	found := false
	ast.InspectOnce(x.expanded(e), func(n ast.Expr) bool {
		if idx, ok := n.(*ast.Index); ok && idx.Name == x.y && n != x.out.Y {
			found = true
		}
		return !found
	})
	return found
}

// A basis entry of the log-partition table: A = r·F(z) + s·z has
// A′ = r·f(z) + s, recognised when μ′/f′ = r and μ − r·f = s are
// constants.
type basis struct {
	F, f, df func(z ast.Expr) ast.Expr
	name     func(x *explainer, r, s ast.Expr) Family
}

func isNum(e ast.Expr, v int64) bool { return ast.IsNum(e, v) }

var table = []basis{
	{ // Gaussian: A = z²/2
		F:  func(z ast.Expr) ast.Expr { return ast.NewDiv(ast.NewPow(z, ast.Two), ast.Two) },
		f:  func(z ast.Expr) ast.Expr { return z },
		df: func(ast.Expr) ast.Expr { return ast.One },
		name: func(x *explainer, r, s ast.Expr) Family {
			if isNum(r, 1) && isNum(s, 0) {
				return Family{Name: "Gaussian", Link: "identity", Note: "least squares"}
			}
			return Family{Name: "Gaussian", Link: "identity", Note: "μ is affine in z"}
		},
	},
	{ // Bernoulli: A = softplus(z)
		F: func(z ast.Expr) ast.Expr { return ast.NewCall("softplus", z) },
		f: func(z ast.Expr) ast.Expr { return ast.NewCall("sigma", z) },
		df: func(z ast.Expr) ast.Expr {
			s := ast.NewCall("sigma", z)
			return ast.NewMul(s, ast.NewAdd(ast.One, ast.NewNeg(s)))
		},
		name: func(x *explainer, r, s ast.Expr) Family {
			ls := x.opt.Assume.LabelSet
			switch {
			case isNum(r, 1) && isNum(s, 0):
				note := "logistic regression, labels in {0, 1}"
				if len(ls) == 2 && !labelsAre(ls, 0, 1) {
					// softplus(z) - y*z with y in {-1, 1}: the form holds,
					// but exp(-ℓ) does not sum to 1 over these labels.
					note += fmt.Sprintf("; the assumed labels {%s, %s} are not those: on them the loss has this form but is not the Bernoulli negative log-likelihood", ls[0], ls[1])
				}
				return Family{Name: "Bernoulli", Link: "logit", Note: note}
			case isNum(r, 2) && isNum(s, -1) && labelsAre(ls, -1, 1):
				return Family{Name: "Bernoulli", Link: "logit", Note: "logistic regression with labels ±1: t = (1 + y)/2 is the 0/1 label, μ = 2σ(z) − 1 = tanh(z/2)"}
			case isNum(s, 0):
				return Family{Name: "binomial", Link: "logit", Note: "with " + ast.UnicodeString(x.perSample(r)) + " known trials"}
			}
			return Family{Name: "Bernoulli-type", Link: "logit", Note: "μ is affine in σ(z)"}
		},
	},
	{ // Poisson: A = exp(z)
		F:  func(z ast.Expr) ast.Expr { return ast.NewCall("exp", z) },
		f:  func(z ast.Expr) ast.Expr { return ast.NewCall("exp", z) },
		df: func(z ast.Expr) ast.Expr { return ast.NewCall("exp", z) },
		name: func(x *explainer, r, s ast.Expr) Family {
			if isNum(r, 1) && isNum(s, 0) {
				return Family{Name: "Poisson", Link: "log"}
			}
			if isNum(s, 0) {
				return Family{Name: "Poisson", Link: "log", Note: "with exposure " + ast.UnicodeString(x.perSample(r))}
			}
			return Family{Name: "Poisson-type", Link: "log", Note: "μ is affine in exp(z)"}
		},
	},
}

// labelsAre reports whether the label set is {a, b}, in either order.
func labelsAre(ls []ast.Number, a, b int64) bool {
	if len(ls) != 2 {
		return false
	}
	x, y := ast.Int(a), ast.Int(b)
	return ls[0].Equal(x) && ls[1].Equal(y) || ls[0].Equal(y) && ls[1].Equal(x)
}

// family finds the log-partition A with A′ = μ, by the table, and checks
// it by differentiation with a proof.
func (x *explainer) family() error {
	out := x.out
	z := out.Z
	mu := x.expanded(out.Mu)
	if !ast.HasFree(mu, x.z) {
		out.Notes = append(out.Notes, "μ does not depend on z: the loss is linear in z, which no exponential family's log-partition is")
		return nil
	}
	if idx, ok := z.(*ast.Index); ok && len(idx.Indices) == 2 {
		return x.multiclass(mu)
	}
	if cls, _ := x.classSum(mu); cls != nil {
		// z[l] with a sum over z[·] in μ: the classes of one sample.
		return x.multiclass(mu)
	}
	for _, b := range table {
		r, err := x.simplify(ast.NewDiv(ast.NewDeriv(mu, z), b.df(z)))
		if err != nil {
			return err
		}
		if !x.constant(r) {
			continue
		}
		s, err := x.simplify(ast.NewAdd(mu, ast.NewNeg(ast.NewMul(r, b.f(z)))))
		if err != nil {
			return err
		}
		if !x.constant(s) {
			continue
		}
		a := combine(r, b.F(z), s, z)
		cl, err := x.claim(PartFamily, "A′(z) = μ(z)", ast.NewDeriv(a, z), out.Mu, prove.Proved)
		if err != nil {
			return err
		}
		if !cl.Holds() {
			x.out.Claims = x.out.Claims[:len(x.out.Claims)-1]
			continue
		}
		f := b.name(x, r, s)
		f.A = a
		out.Family = &f
		return nil
	}
	out.Notes = append(out.Notes, "the log-partition A (an antiderivative of μ) is not in the table (z²/2, softplus, exp, logsumexp)")
	return nil
}

// perSample writes a per-sample quantity with the sample index i (mᵢ
// trials rather than the explanation's own index name).
func (x *explainer) perSample(e ast.Expr) ast.Expr {
	z, ok := x.out.Z.(*ast.Index)
	if !ok {
		return e
	}
	m := z.Indices[0].(*ast.Sym).Name
	if m == "i" || ast.HasFree(e, "i") {
		return e
	}
	return ast.Subst(e, map[string]ast.Expr{m: ast.NewSym("i")})
}

// combine writes r·F + s·z without unit factors and zero terms.
func combine(r, F, s, z ast.Expr) ast.Expr {
	var t ast.Expr = F
	if !isNum(r, 1) {
		t = ast.NewMul(r, F)
	}
	switch {
	case isNum(s, 0):
		return t
	case isNum(s, -1):
		return ast.NewAdd(t, ast.NewNeg(z))
	}
	return ast.NewAdd(t, ast.NewMul(s, z))
}

// multiclass matches A = logsumexp over the classes: the range is that of
// a sum over z[m, ·] in μ.
func (x *explainer) multiclass(mu ast.Expr) error {
	out := x.out
	cls, a := x.classSum(mu)
	if cls == nil {
		out.Notes = append(out.Notes, "no sum over the classes in μ: logsumexp does not apply")
		return nil
	}
	cl, err := x.claim(PartFamily, "A′(z) = μ(z)", ast.NewDeriv(a, out.Z), out.Mu, prove.Proved)
	if err != nil {
		return err
	}
	if !cl.Holds() {
		// Outside the classes the derivative of logsumexp is 0, and μ
		// need not be: the identity holds for the classes the sum runs
		// over only. Say so when the prover had no range for the class
		// index (a sum from 2, say: ranges are inferred from 1..N).
		z := out.Z.(*ast.Index)
		l := ast.String(z.Indices[len(z.Indices)-1])
		if _, ranged := cl.Proof.Ranges[l]; !ranged {
			out.Notes = append(out.Notes, fmt.Sprintf("A′ = μ can hold only for the classes %s = %s..%s that the sum in μ runs over (outside them ∂A/∂z = 0), and the prover found no such range for %s: the family is not named (add: assume %s in %s..%s)",
				l, ast.String(cls.Lo), ast.String(cls.Hi), l, l, ast.String(cls.Lo), ast.String(cls.Hi)))
		} else {
			out.Notes = append(out.Notes, "logsumexp's derivative is not μ")
		}
		return nil
	}
	x.classes = cls
	note := "A = logsumexp, μ = softmax"
	out.Family = &Family{Name: "categorical", Link: "softmax (multinomial logit)", Note: note, A: a}
	return nil
}

// classSum finds the sum over the classes in μ, a sum over z[m, ·] (or
// z[·] for the classes of one sample), and returns it with the
// log-partition logsumexp over the same classes.
func (x *explainer) classSum(mu ast.Expr) (*ast.Sum, ast.Expr) {
	z, ok := x.out.Z.(*ast.Index)
	if !ok {
		return nil, nil
	}
	pre := z.Indices[:len(z.Indices)-1]
	at := func(v string) ast.Expr { return ast.NewIndex(x.z, append(slices.Clone(pre), ast.NewSym(v))...) }
	var cls *ast.Sum
	ast.InspectOnce(mu, func(e ast.Expr) bool {
		s, ok := e.(*ast.Sum)
		if ok && cls == nil && ast.HasFree(s.Body, x.z) && containsNode(s.Body, at(s.Var)) {
			cls = s
		}
		return cls == nil
	})
	if cls == nil {
		return nil, nil
	}
	v := x.fresh("j")
	return cls, ast.NewCall("log", ast.NewSum(ast.OpSum, v, cls.Lo, cls.Hi, ast.NewCall("exp", at(v))))
}

func containsNode(e, n ast.Expr) bool {
	found := false
	ast.InspectOnce(e, func(y ast.Expr) bool {
		found = found || y == n
		return !found
	})
	return found
}

// affine returns the parts of a linear predictor
// z[i(,l)] := sum(j=lo..hi, x[i,j]*w[j(,l)]) (in either order), plus
// terms without w (an intercept b, an offset o[i]): z = Xw + b is affine
// in w and ∂z[i]/∂w[k] = x[i,k] still, which is all the weight gradient
// Σ_i x[i,k]·c·(μ(z[i]) − y[i]) rests on. It returns the names x and w,
// the sum over the features, and the offset (nil when there is none). With
// want given, the sum must be over the weights want (z[i] :=
// sum(j, x[i,j]*w[j]) + sum(j, u[i,j]*v[j]) is linear in w and in v).
func affine(d *ast.Def, want string) (xName, wName string, s *ast.Sum, offset ast.Expr, ok bool) {
	if d.Kind != ast.DefIndexed || len(d.Params) < 1 || len(d.Params) > 2 {
		return "", "", nil, nil, false
	}
	terms := []ast.Expr{d.Body}
	if a, isAdd := d.Body.(*ast.Add); isAdd {
		terms = a.Terms
	}
	var rest []ast.Expr
	for n, t := range terms {
		ts, isSum := t.(*ast.Sum)
		if !isSum || ts.Op != ast.OpSum || wName != "" {
			continue
		}
		if xn, wn, ok := weighs(d, ts); ok && (want == "" || wn == want) {
			xName, wName, s = xn, wn, ts
			rest = slices.Concat(terms[:n:n], terms[n+1:])
		}
	}
	if wName == "" {
		return "", "", nil, nil, false
	}
	// The offset must not move with w (z = Xw + w[1]² is not linear in
	// w) nor be the predictor itself; a name defined elsewhere is not
	// opened here, so a defined offset is taken as it is written.
	for _, t := range rest {
		if ast.HasFree(t, wName) || ast.HasFree(t, d.Name) || ast.HasFree(t, s.Var) {
			return "", "", nil, nil, false
		}
	}
	if len(rest) > 0 {
		offset = ast.NewAdd(rest...)
	}
	return xName, wName, s, offset, true
}

// weighs returns x and w when s is sum(j, x[i,j]*w[j(,l)]) over the
// parameters of d (in either order).
func weighs(d *ast.Def, s *ast.Sum) (xName, wName string, ok bool) {
	m, isMul := s.Body.(*ast.Mul)
	if !isMul || len(m.Factors) != 2 {
		return "", "", false
	}
	i, j := ast.NewSym(d.Params[0]), ast.NewSym(s.Var)
	wIdx := []ast.Expr{j}
	if len(d.Params) == 2 {
		wIdx = append(wIdx, ast.NewSym(d.Params[1]))
	}
	for _, o := range [][2]ast.Expr{{m.Factors[0], m.Factors[1]}, {m.Factors[1], m.Factors[0]}} {
		xi, ok1 := o[0].(*ast.Index)
		wi, ok2 := o[1].(*ast.Index)
		if ok1 && ok2 && slices.Equal(xi.Indices, []ast.Expr{i, j}) && slices.Equal(wi.Indices, wIdx) && xi.Name != wi.Name {
			return xi.Name, wi.Name, true
		}
	}
	return "", "", false
}

// predictorOfWeights returns the linear predictor the loss uses whose
// weights are named w, or "" when w is empty, is itself a predictor, or
// weighs none (or more than one).
func (x *explainer) predictorOfWeights(loss ast.Expr, w string) string {
	if w == "" || isLinearPredictor(x.defs, w) {
		return ""
	}
	found := ""
	for _, n := range ast.NamesUsed(x.defs.ExpandIf(loss, func(n string) bool { return !isLinearPredictor(x.defs, n) })) {
		d, ok := x.defs.Lookup(n)
		if !ok {
			continue
		}
		if _, _, _, _, ok := affine(d, w); ok && isLinearIn(x.defs, n, w) {
			if found != "" {
				return ""
			}
			found = n
		}
	}
	return found
}

// isLinearPredictor reports whether name is defined as a linear
// predictor whose offset, with its definitions opened, does not depend on
// the weights either.
// UsesPredictor reports whether loss, a scalar definition's head or
// body, is one explain can take up: it uses a linear predictor (one
// written with matrices too), or, with wrt given, it depends on wrt,
// through any definition (the weights w inside z[i] := sum(j, x[i,j]*w[j])
// included).
func UsesPredictor(decls map[string]ast.Shape, defs *ast.Defs, loss ast.Expr, wrt string) bool {
	if UsesMatrixPredictor(decls, defs, loss, wrt) {
		return true
	}
	if wrt != "" {
		return slices.Contains(ast.NamesUsed(defs.ExpandIf(loss, func(n string) bool { return n != wrt })), wrt)
	}
	return slices.ContainsFunc(ast.NamesUsed(defs.ExpandIf(loss, func(n string) bool { return !isLinearPredictor(defs, n) })), func(n string) bool {
		return isLinearPredictor(defs, n)
	})
}

// NotLinear returns the indexed definitions loss uses (through other
// definitions) that depend on the weights w but are not linear
// predictors in them, such as z[i] := sum(j, x[i,j]*w[j]^2), or with w
// empty those that are not linear predictors at all: explain cannot take
// w as the weights of z = Xw there.
func NotLinear(defs *ast.Defs, loss ast.Expr, w string) []string {
	cand := func(n string) bool {
		d, ok := defs.Lookup(n)
		if !ok || d.Kind != ast.DefIndexed || isLinearIn(defs, n, w) {
			return false
		}
		return w == "" || ast.HasFree(defs.Expand(d.Body), w)
	}
	var out []string
	for _, n := range ast.NamesUsed(defs.ExpandIf(loss, func(n string) bool { return !cand(n) })) {
		if cand(n) {
			out = append(out, n)
		}
	}
	return out
}

func isLinearPredictor(defs *ast.Defs, name string) bool { return isLinearIn(defs, name, "") }

// isLinearIn reports whether name is a linear predictor in the weights w
// (any, when w is empty).
func isLinearIn(defs *ast.Defs, name, w string) bool {
	d, ok := defs.Lookup(name)
	if !ok {
		return false
	}
	_, wName, _, off, ok := affine(d, w)
	return ok && (off == nil || !ast.HasFree(defs.Expand(off), wName))
}

// weights proves the consequence for the weights of z = Xw:
// ∂L/∂w[k] = Σ_i x[i,k]·c·(μ(z[i]) − y[i]), plus the gradient of the
// terms of the loss that do not go through z. A per-sample loss ℓ(z, y)
// of scalars is first summed over samples, with a predictor of fresh
// names.
func (x *explainer) weights() error {
	out := x.out
	loss := out.Loss
	var at func(e ast.Expr, i string) ast.Expr
	if _, scalar := out.Z.(*ast.Sym); scalar {
		if _, defined := x.defs.Lookup(x.z); defined {
			out.Notes = append(out.Notes, fmt.Sprintf("%s is defined, but not as a linear predictor: the gradient with respect to the weights is not derived", x.z))
			return nil
		}
		var err error
		if loss, err = x.lift(); err != nil {
			return err
		}
		at = func(e ast.Expr, i string) ast.Expr {
			ix := ast.NewSym(i)
			return replace(replace(e, out.Z, ast.NewIndex(x.z, ix)), out.Y, ast.NewIndex(x.y, ix))
		}
	} else {
		m := out.Z.(*ast.Index).Indices[0].(*ast.Sym).Name
		at = func(e ast.Expr, i string) ast.Expr { return ast.Subst(e, map[string]ast.Expr{m: ast.NewSym(i)}) }
	}
	d, ok := x.defs.Lookup(x.z)
	if !ok {
		out.Notes = append(out.Notes, fmt.Sprintf("%s is not defined as a linear predictor z[i] := sum(j=1..d, x[i,j]*w[j]): the gradient with respect to the weights is not derived", x.z))
		return nil
	}
	if x.nonlinear {
		return nil // said in the note on --wrt
	}
	xName, wName, _, _, ok := affine(d, x.w)
	if !ok || !isLinearIn(x.defs, x.z, x.w) {
		out.Notes = append(out.Notes, fmt.Sprintf("%s is not a linear predictor sum(j=1..d, x[i,j]*w[j]) (plus terms without w): the gradient with respect to the weights is not derived", x.z))
		return nil
	}
	lx := x.expanded(loss)
	// The sum over the samples, and the terms that do not go through z.
	var samples *ast.Sum
	ast.InspectOnce(lx, func(e ast.Expr) bool {
		s, ok := e.(*ast.Sum)
		if ok && samples == nil && usesAsSample(s.Body, x.z, s.Var) {
			samples = s
		}
		return samples == nil
	})
	if samples == nil {
		out.Notes = append(out.Notes, "the loss has no sum over the samples: the gradient with respect to the weights is not derived")
		return nil
	}
	var penalty []ast.Expr
	for _, t := range terms(lx) {
		if !ast.HasFree(t, x.z) {
			penalty = append(penalty, t)
		}
	}
	k := ast.NewSym(x.fresh("k"))
	wIdx := []ast.Expr{k}
	if z, ok := out.Z.(*ast.Index); ok && len(z.Indices) == 2 {
		wIdx = append(wIdx, z.Indices[1])
	}
	w := ast.NewIndex(wName, wIdx...)
	i := samples.Var
	if z, ok := out.Z.(*ast.Index); i == k.Name || (ok && z.Indices[0] == ast.NewSym(i)) {
		i = x.fresh("i")
	}
	feature := ast.NewIndex(xName, ast.NewSym(i), k)
	c, mu, y := at(out.C, i), at(out.Mu, i), at(out.Y, i)
	resid := minus(mu, y)
	var index ast.Expr
	perSample := c != out.C
	switch {
	case perSample:
		index = ast.NewSum(ast.OpSum, i, samples.Lo, samples.Hi, ast.NewMul(c, feature, resid))
	case isNum(c, 1):
		index = ast.NewSum(ast.OpSum, i, samples.Lo, samples.Hi, ast.NewMul(feature, resid))
	default:
		index = ast.NewMul(c, ast.NewSum(ast.OpSum, i, samples.Lo, samples.Hi, ast.NewMul(feature, resid)))
	}
	wg := &WeightGradient{W: w, Index: index}
	if loss != out.Loss {
		wg.Loss = loss
	}
	if len(penalty) > 0 {
		pg, err := x.simplify(ast.NewDeriv(ast.NewAdd(penalty...), w))
		if err != nil {
			return err
		}
		if !isNum(pg, 0) {
			wg.Penalty = pg
			wg.Index = ast.NewAdd(index, pg)
		}
	}
	out.Weights = wg
	mf := matrixFrom{xName: xName, wName: wName, i: i, k: k.Name, c: c, mu: mu, perSample: perSample, samples: samples, predictor: d}
	if _, _, _, offset, _ := affine(d, x.w); offset != nil {
		// The offset at the sample i (and the class of z[m,l]).
		sub := map[string]ast.Expr{d.Params[0]: ast.NewSym(i)}
		if z, ok := out.Z.(*ast.Index); ok && len(d.Params) == 2 && len(z.Indices) == 2 {
			sub[d.Params[1]] = z.Indices[1]
		}
		mf.offset = ast.Subst(offset, sub)
	}
	grad := ast.NewDeriv(loss, w)
	// The weights w[k] are those the predictor sums over: the claims are
	// for k in its range (w[k] outside it is not used, and its gradient
	// is 0, not Σ_i x[i,k]·…).
	saved := x.sopt
	defer func() { x.sopt = saved }()
	_, _, fs, _, _ := affine(d, x.w)
	x.sopt.Ranges = maps.Clone(x.sopt.Ranges)
	if x.sopt.Ranges == nil {
		x.sopt.Ranges = map[string]simplify.Range{}
	}
	x.sopt.Ranges[k.Name] = simplify.Range{Lo: fs.Lo, Hi: fs.Hi}
	if len(out.Assumed) == 0 && !x.oneHotAssumed {
		cl, err := x.claim(PartWeights, "∇_w = c·Σ_i x[i,k]·(μ(z[i]) − y[i])", grad, wg.Index, prove.Proved)
		if err == nil {
			mf.proved = cl
			x.matrix(mf)
		}
		return err
	}
	// Under assumptions the residual form holds on the assumed labels:
	// prove the chain rule through z, which holds for every label.
	wg.OnAssumed = true
	var chain ast.Expr = ast.NewSum(ast.OpSum, i, samples.Lo, samples.Hi, ast.NewMul(feature, at(out.Grad, i)))
	if wg.Penalty != nil {
		chain = ast.NewAdd(chain, wg.Penalty)
	}
	wg.Chain = chain
	cl, err := x.claim(PartWeights, "the chain rule through z: ∇_w = Σ_i x[i,k]·∂ℓ/∂z[i]", grad, chain, prove.Proved)
	if err == nil {
		mf.proved = cl
		x.matrix(mf)
	}
	return err
}

// lift sums a per-sample loss of scalars z and y over samples i = 1..n,
// with z[i] := sum(j=1..d, x[i,j]*w[j]) (names that the loss does not
// use), in a copy of the definitions.
func (x *explainer) lift() (ast.Expr, error) {
	out := x.out
	i, j := x.fresh("i"), x.fresh("j")
	n, d := x.fresh("n"), x.fresh("d")
	xs, ws := x.fresh("x"), x.fresh("w")
	defs := x.defs.Clone()
	pred := &ast.Def{Name: x.z, Kind: ast.DefIndexed, Params: []string{i},
		Body: ast.NewSum(ast.OpSum, j, ast.One, ast.NewSym(d), ast.NewMul(ast.NewIndex(xs, ast.NewSym(i), ast.NewSym(j)), ast.NewIndex(ws, ast.NewSym(j))))}
	if err := defs.Define(pred); err != nil {
		return nil, err
	}
	x.defs, x.sopt.Defs, out.defs = defs, defs, defs
	ix := ast.NewSym(i)
	body := replace(replace(x.expanded(out.Loss), out.Z, ast.NewIndex(x.z, ix)), out.Y, ast.NewIndex(x.y, ix))
	out.Notes = append(out.Notes, fmt.Sprintf("for the weights, the per-sample loss is summed over samples %s = 1..%s with %s", i, n, pred))
	return ast.NewSum(ast.OpSum, i, ast.One, ast.NewSym(n), body), nil
}

// times returns c·e, or e when c is 1.
func times(c, e ast.Expr) ast.Expr {
	if isNum(c, 1) {
		return e
	}
	return ast.NewMul(c, e)
}

// minus returns a − b, flattening a sum a.
func minus(a, b ast.Expr) ast.Expr {
	if s, ok := a.(*ast.Add); ok {
		return ast.NewAdd(append(slices.Clone(s.Terms), ast.NewNeg(b))...)
	}
	return ast.NewAdd(a, ast.NewNeg(b))
}

// usesAsSample reports whether body uses z[v, ...].
func usesAsSample(body ast.Expr, z, v string) bool {
	found := false
	ast.InspectOnce(body, func(e ast.Expr) bool {
		if idx, ok := e.(*ast.Index); ok && idx.Name == z && len(idx.Indices) > 0 && idx.Indices[0] == ast.NewSym(v) {
			found = true
		}
		return !found
	})
	return found
}

// terms splits a sum into its terms, through negations.
func terms(e ast.Expr) []ast.Expr {
	switch e := e.(type) {
	case *ast.Add:
		var out []ast.Expr
		for _, t := range e.Terms {
			out = append(out, terms(t)...)
		}
		return out
	case *ast.Neg:
		var out []ast.Expr
		for _, t := range terms(e.X) {
			out = append(out, ast.NewNeg(t))
		}
		return out
	}
	return []ast.Expr{e}
}

// matrixFrom is what the matrix form of the weight gradient is built
// from: the index form's parts, the sums it runs over, and the claim that
// proved it (with the ranges of its free indices).
type matrixFrom struct {
	xName, wName, i, k string
	c, mu              ast.Expr
	perSample          bool
	samples            *ast.Sum // the loss's sum over the samples
	predictor          *ast.Def // z[i(,l)] := sum(j=lo..hi, x[i,j]*w[j(,l)]) (+ offset)
	offset             ast.Expr // the predictor's terms without w at the sample i, or nil
	proved             Claim    // the weights claim
}

// fullRanges says why the proved index form has no matrix form, or ""
// when it has one. Matrix notation runs over every row and column: Xᵀr
// sums over every sample i = 1..n, Xw over every feature j = 1..d, and
// softmax(XW) − T over every class l = 1..K. The index form holds for
// the ranges its proof was made for, so each must start at 1 (and a
// softmax's normalising sum must run over the proved classes).
func (x *explainer) fullRanges(m matrixFrom) string {
	out := x.out
	if !m.proved.Holds() {
		return "the index form was not proved"
	}
	one := func(e ast.Expr) bool { return isNum(e, 1) }
	if !one(m.samples.Lo) {
		return fmt.Sprintf("the loss sums over the samples %s = %s..%s, and Xᵀ(…) sums over every row of X, from 1", m.samples.Var, ast.String(m.samples.Lo), ast.String(m.samples.Hi))
	}
	if _, _, s, _, _ := affine(m.predictor, x.w); !one(s.Lo) {
		return fmt.Sprintf("the predictor sums over the features %s = %s..%s, and Xw sums over every column of X, from 1", s.Var, ast.String(s.Lo), ast.String(s.Hi))
	}
	z, ok := out.Z.(*ast.Index)
	if !ok || len(z.Indices) != 2 {
		return ""
	}
	l := ast.String(z.Indices[1])
	r, ranged := m.proved.Proof.Ranges[l]
	switch {
	case !ranged:
		return fmt.Sprintf("the proof has no range for the classes %s, and the matrix form runs over every class", l)
	case !one(r.Lo):
		return fmt.Sprintf("it is proved for the classes %s = %s..%s only, and the matrix form runs over every class %s = 1..%s", l, ast.String(r.Lo), hiString(r.Hi), l, hiString(r.Hi))
	}
	if cls := x.classes; cls != nil && (!one(cls.Lo) || r.Hi == nil || cls.Hi != r.Hi) {
		return fmt.Sprintf("the softmax normalises over the classes %s..%s, and the proof is for %s = %s..%s", ast.String(cls.Lo), ast.String(cls.Hi), l, ast.String(r.Lo), hiString(r.Hi))
	}
	return ""
}

func hiString(e ast.Expr) string {
	if e == nil {
		return "∞"
	}
	return ast.String(e)
}

// matrix writes the weight gradient in matrix notation: c·Xᵀ(μ(Xw) − y),
// Xᵀ·diag(c)(μ(Xw) − y) for a weight per sample, softmax(XW) − T for
// classes. Every array indexed by the sample (or by the weight's index)
// becomes a vector named like it. It does so only when the proved index
// form runs over the full ranges the notation implies and every part is
// elementwise in the sample; otherwise a note says why there is none.
func (x *explainer) matrix(m matrixFrom) {
	out := x.out
	wg := out.Weights
	none := func(why string) {
		note := "no matrix form for the weight gradient: " + why
		if p := m.proved.Proof; m.proved.Holds() && len(p.Ranges) > 0 {
			note += "; the consequence is the index form above, for " + simplify.FormatRanges(p.Ranges, ast.String)
		}
		out.Notes = append(out.Notes, note)
	}
	if why := x.fullRanges(m); why != "" {
		none(why)
		return
	}
	i, k, c, mu, perSample := m.i, m.k, m.c, m.mu, m.perSample
	X := ast.NewSym(upper(m.xName))
	multi := out.Family != nil && out.Family.Name == "categorical"
	var W ast.Expr = ast.NewSym(m.wName)
	y := ast.NewSym(x.y)
	if multi {
		W, y = ast.NewSym(upper(m.wName)), ast.NewSym(upper(x.y))
	}
	Xw := ast.NewMul(X, W)
	pred := Xw
	vec := func(e ast.Expr) ast.Expr {
		return ast.Map(e, func(n ast.Expr) ast.Expr {
			idx, ok := n.(*ast.Index)
			if !ok {
				return n
			}
			if idx.Name == x.z {
				return pred
			}
			if s, ok := idx.Indices[0].(*ast.Sym); ok && (s.Name == i || s.Name == k) {
				return ast.NewSym(idx.Name)
			}
			return n
		})
	}
	if m.offset != nil {
		// z = Xw + b: the offset as a vector (o[i] → o) or a scalar.
		pred = ast.NewAdd(Xw, vec(m.offset))
	}
	mu = vec(x.expanded(mu))
	if multi {
		mu = ast.NewCall("softmax", pred)
	}
	Xt := ast.NewPow(X, ast.NewSym("T"))
	var e ast.Expr
	switch {
	case perSample:
		e = ast.NewMul(Xt, ast.NewCall("diag", vec(c)), minus(mu, y))
	case isNum(c, 1):
		e = ast.NewMul(Xt, minus(mu, y))
	default:
		e = ast.NewMul(c, Xt, minus(mu, y))
	}
	if wg.Penalty != nil {
		e = ast.NewAdd(e, vec(wg.Penalty))
	}
	// Matrix notation has no indices, sums or brackets left: a part that
	// still has them (a μ summing over the classes of a family that is
	// not named, a c that depends on the class) has no matrix form here.
	if why := x.notElementwise(e, m); why != "" {
		none(why)
		return
	}
	wg.MatrixExpr = e
	// The text: a coefficient that is a fraction or a sum in parentheses.
	text := ""
	if mul, ok := e.(*ast.Mul); ok && mul.Factors[0] == c && !perSample {
		switch c.(type) {
		case *ast.Div, *ast.Add, *ast.Neg:
			text = "(" + ast.UnicodeString(c) + ")·" + ast.UnicodeString(ast.NewMul(mul.Factors[1:]...))
		}
	}
	if text == "" {
		text = ast.UnicodeString(e)
	}
	xs, ws := ast.UnicodeString(X), ast.UnicodeString(W)
	wg.Matrix = strings.NewReplacer(xs+"^T·", xs+"ᵀ", xs+"^T", xs+"ᵀ", xs+"·"+ws, xs+ws).Replace(text)
}

// notElementwise says what in the matrix form e is not matrix notation:
// an index, a sum, an Iverson bracket, or a free index of the index form.
func (x *explainer) notElementwise(e ast.Expr, m matrixFrom) string {
	if ast.HasIverson(e) {
		return "a bracket [a ≤ b] on the indices stays in it"
	}
	why := ""
	ast.InspectOnce(e, func(n ast.Expr) bool {
		switch n := n.(type) {
		case *ast.Index:
			why = fmt.Sprintf("%s stays indexed", ast.UnicodeString(n))
		case *ast.Sum:
			why = fmt.Sprintf("%s is a sum over indices, not an elementwise function of Xw", ast.UnicodeString(n))
		case *ast.Sym:
			if n.Name == m.i || n.Name == m.k {
				why = fmt.Sprintf("the index %s stays free", n.Name)
			}
			if z, ok := x.out.Z.(*ast.Index); ok && len(z.Indices) == 2 && z.Indices[1] == ast.Expr(n) {
				why = fmt.Sprintf("the class index %s stays free", n.Name)
			}
		}
		return why == ""
	})
	return why
}

func upper(s string) string {
	r := []rune(s)
	if len(r) == 1 && r[0] >= 'a' && r[0] <= 'z' {
		return string(r[0] - 'a' + 'A')
	}
	return s
}

// LabelNames are the names the labels are looked for under, in this
// order, when the user names none (--label).
func LabelNames() []string { return []string{"y", "t", "Y", "T"} }
