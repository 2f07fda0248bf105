package matrix

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/derive"
	"github.com/symdiff/symdiff/simplify/numcheck"
)

// Eval evaluates a matrix expression numerically, entry by entry: each
// entry is translated to index form at whole-number indices and
// evaluated in float64. The sizes (n, d) are taken from the bindings of
// the declared names when they are not bound themselves. funcs holds the
// definitions of the rule files' functions.
func Eval(ctx context.Context, e ast.Expr, b ast.Bindings, opt Options, funcs *ast.Defs) (ast.Value, error) {
	return eval(ctx, e, b, opt, funcs, 0)
}

// eval is Eval, with inverses and log-determinants of matrices whose
// pivots are below minPivot (relative to their largest entry) undefined.
func eval(ctx context.Context, e ast.Expr, b ast.Bindings, opt Options, funcs *ast.Defs, minPivot float64) (ast.Value, error) {
	p, err := prepare(ctx, nil, e, b, opt, funcs, func(t *Translator, b ast.Bindings) error {
		return t.bindAtomsEval(ctx, b, opt, funcs, minPivot)
	})
	if err != nil {
		return ast.Value{}, err
	}
	out := p.value
	dopt := derive.Options{Defs: p.defs, Rules: opt.Simplify.Rules}
	entry := evalEntry
	if opt.EvalEntry != nil {
		entry = opt.EvalEntry
	}
	for i, x := range p.entries {
		if err := ctx.Err(); err != nil {
			return ast.Value{}, err
		}
		derived := ast.HasDeriv(x)
		if derived {
			if x, _, err = derive.Expand(ctx, x, dopt); err != nil {
				return ast.Value{}, err
			}
		}
		v, err := entry(ctx, x, p.defs, p.b, derived)
		if err != nil {
			if out.Shape != nil && ctx.Err() == nil {
				err = &EntryError{Expr: e, At: at(out.Shape, i), Err: err}
			}
			return ast.Value{}, err
		}
		if v == 0 {
			// -0 (6*w[k]*delta(k,l) off the diagonal, for w[k] < 0) is
			// printed as 0: a sign on a zero entry is noise to a reader.
			v = 0
		}
		out.Data = append(out.Data, v)
	}
	return out, nil
}

// An EntryError is the error of one entry of a vector or matrix: which
// entry, of what.
type EntryError struct {
	Expr ast.Expr
	At   []int // from 1
	Err  error
}

func (e *EntryError) Error() string {
	at := make([]string, len(e.At))
	for i, k := range e.At {
		at[i] = strconv.Itoa(k)
	}
	return fmt.Sprintf("entry [%s] of %s: %v", strings.Join(at, ", "), ast.String(e.Expr), e.Err)
}

func (e *EntryError) Unwrap() error { return e.Err }

// at is the position, from 1, of the i-th entry (row major) of a value of
// the given shape.
func at(shape []int, i int) []int {
	if len(shape) == 1 {
		return []int{i + 1}
	}
	return []int{i/shape[1] + 1, i%shape[1] + 1}
}

// exactMax is the largest matrix whose inverse and determinant eval
// computes exactly; a larger one is factored in float64.
const exactMax = 16

// bindAtomsEval binds the atoms for eval: exactly, in rationals, where
// the matrices' entries are rational (the numbers as written: 9.000001 is
// 9000001/1000000) and small enough, so that each entry of inv(A) comes
// out as the float64 nearest it. A float64 LU inverse of an ill-conditioned
// matrix printed 15 digits of which 6 were right (inv(A) at
// A = [[1,2,3],[4,5,6],[7,8,9.000001]]: 999998.334081734 for
// 999998.333333333). Elsewhere, as before, in float64.
func (t *Translator) bindAtomsEval(ctx context.Context, b ast.Bindings, opt Options, funcs *ast.Defs, minPivot float64) error {
	small := true
	for _, a := range t.atoms {
		if n, ok := a.Size.(*ast.Num); ok {
			if k, _ := n.Value.Int64(); k > exactMax {
				small = false
			}
		} else if s, ok := a.Size.(*ast.Sym); ok {
			if v, ok := b[s.Name]; !ok || v.Data[0] > exactMax {
				small = false
			}
		}
	}
	if small {
		logs := map[string]ast.Expr{}
		err := t.bindExact(ctx, b, opt, funcs, logs, nil)
		if err == nil {
			for name, l := range logs {
				v, err := ast.EvalBig(ctx, l, nil, nil, 256)
				if err != nil {
					return err
				}
				f, _ := v.Float64()
				b[name] = ast.Scalar(f)
			}
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if errors.Is(err, errSingular) {
			return err
		}
	}
	return t.bindAtoms(ctx, b, opt, funcs, minPivot)
}

// A prepared is a matrix expression made ready to evaluate: its entries
// in index form at whole-number indices (derivatives not yet worked out),
// the definitions they use, and the bindings with the sizes and the
// values of the inverses and determinants.
type prepared struct {
	value   ast.Value // the shape, with no data yet
	entries []ast.Expr
	defs    *ast.Defs
	b       ast.Bindings
}

// prepare translates e entry by entry with t (nil: a translator of its
// own); bind adds the values of the translator's atoms to the bindings
// (in float64, or exactly).
func prepare(ctx context.Context, t *Translator, e ast.Expr, b ast.Bindings, opt Options, funcs *ast.Defs, bind func(*Translator, ast.Bindings) error) (*prepared, error) {
	if t == nil {
		t = NewTranslator(opt.Decls, opt.Simplify.Defs)
		t.Use(e)
	}
	s, err := t.Shape(e)
	if err != nil {
		return nil, err
	}
	b, err = bindSizes(b, opt.Decls)
	if err != nil {
		return nil, err
	}
	defs := scalarOptions(t, opt.Simplify).Defs
	if defs == nil {
		defs = &ast.Defs{}
	}
	defs = defs.Clone()
	if funcs != nil {
		for _, d := range funcs.All() {
			if _, ok := defs.Lookup(d.Name); !ok {
				_ = defs.Define(d)
			}
		}
	}
	rows, err := sizeValue(s.Rows, b)
	if err != nil {
		return nil, err
	}
	cols, err := sizeValue(s.Cols, b)
	if err != nil {
		return nil, err
	}
	if rows*cols > 1<<20 {
		return nil, fmt.Errorf("%s has %d×%d entries: too many to evaluate", ast.String(e), rows, cols)
	}
	p := &prepared{value: ast.Value{Data: make([]float64, 0, rows*cols)}, defs: defs}
	switch {
	case s.IsScalar():
	case s.IsVector():
		p.value.Shape = []int{int(rows)}
	default:
		p.value.Shape = []int{int(rows), int(cols)}
	}
	p.entries = make([]ast.Expr, 0, rows*cols)
	for i := int64(1); i <= rows; i++ {
		for j := int64(1); j <= cols; j++ {
			var r, c ast.Expr
			if s.Rows != ast.One {
				r = ast.NewInt(i)
			}
			if s.Cols != ast.One {
				c = ast.NewInt(j)
			}
			x, err := t.Entry(e, r, c)
			if err != nil {
				return nil, err
			}
			p.entries = append(p.entries, x)
		}
	}
	if len(t.atoms) > 0 {
		b = maps.Clone(b)
		if err := bind(t, b); err != nil {
			return nil, err
		}
	}
	// Only now, after bind: bind evaluates the atoms' matrices through
	// prepare again, whose bindSizes checks a matrix(1, d) value as 1×d.
	// Flattened before, a declared row vector's value was refused there,
	// even by det(C) with R not in it.
	p.b = rowsFlat(b, opt.Decls)
	return p, nil
}

// bindSizes adds the sizes that the values of declared names imply, and
// checks the values against the declarations.
func bindSizes(b ast.Bindings, decls map[string]ast.Shape) (ast.Bindings, error) {
	out := ast.Bindings{}
	for k, v := range b {
		out[k] = v
	}
	// In order of the names, so that a conflict is reported the same way
	// on every run.
	for _, name := range slices.Sorted(maps.Keys(decls)) {
		s := decls[name]
		v, ok := b[name]
		if !ok {
			continue
		}
		var dims []ast.Expr
		switch {
		case s.IsScalar():
		case s.IsVector() && len(v.Shape) == 2:
			dims = []ast.Expr{s.Rows, ast.One} // [[1], [2]]: n×1, as declared
		case s.IsVector():
			dims = []ast.Expr{s.Rows}
		default:
			dims = []ast.Expr{s.Rows, s.Cols}
		}
		if len(v.Shape) != len(dims) {
			return nil, fmt.Errorf("%s is declared %s, but its value %s has %d dimension(s)", name, s.Decl(), FormatValue(v), len(v.Shape))
		}
		for i, d := range dims {
			switch d := d.(type) {
			case *ast.Num:
				if n, _ := d.Value.Int64(); n != int64(v.Shape[i]) {
					return nil, fmt.Errorf("%s is declared %s, but its value has %d entries in dimension %d", name, s.Decl(), v.Shape[i], i+1)
				}
			case *ast.Sym:
				if have, ok := out[d.Name]; ok {
					if len(have.Shape) != 0 || have.Data[0] != float64(v.Shape[i]) {
						return nil, fmt.Errorf("%s is declared %s with %s=%s, but its value has %d entries in dimension %d", name, s.Decl(), d.Name, FormatValue(have), v.Shape[i], i+1)
					}
					continue
				}
				out[d.Name] = ast.Scalar(float64(v.Shape[i]))
			}
		}
		if s.Symmetric {
			n := v.Shape[0]
			for i := range n {
				for j := range i {
					if v.Data[i*n+j] != v.Data[j*n+i] {
						return nil, fmt.Errorf("%s is declared %s, but its value is not symmetric: entry [%d,%d] is %g and entry [%d,%d] is %g", name, s.Decl(), i+1, j+1, v.Data[i*n+j], j+1, i+1, v.Data[j*n+i])
					}
				}
			}
		}
	}
	return out, nil
}

// rowsFlat writes the value of a matrix declared with one row,
// matrix(1, d), as a list of its d entries: in index form it has one
// index (P[j]). A vector's value written as a column, [[1], [2]], is its
// list too.
func rowsFlat(b ast.Bindings, decls map[string]ast.Shape) ast.Bindings {
	for name, v := range b {
		if s, ok := decls[name]; ok && s.Rows == ast.One && s.Cols != ast.One && len(v.Shape) == 2 && v.Shape[0] == 1 {
			b[name] = ast.Value{Shape: []int{v.Shape[1]}, Data: v.Data}
		}
		if s, ok := decls[name]; ok && s.IsVector() && len(v.Shape) == 2 && v.Shape[1] == 1 {
			b[name] = ast.Value{Shape: []int{v.Shape[0]}, Data: v.Data}
		}
	}
	return b
}

// sizeValue evaluates a size.
func sizeValue(e ast.Expr, b ast.Bindings) (int64, error) {
	switch e := e.(type) {
	case nil:
		return 1, nil
	case *ast.Num:
		n, ok := e.Value.Int64()
		if ok && n > 0 {
			return n, nil
		}
	case *ast.Sym:
		v, ok := b[e.Name]
		if !ok {
			return 0, fmt.Errorf("the size %s has no value: give one (%s=3) or a value for a name of that size", e.Name, e.Name)
		}
		if len(v.Shape) == 0 && v.Data[0] >= 1 && v.Data[0] == float64(int64(v.Data[0])) {
			return int64(v.Data[0]), nil
		}
	}
	return 0, fmt.Errorf("the size %s is not a positive whole number", ast.String(e))
}

// FormatValue prints a value so that it reads back as a binding: 0.5,
// [1, 2], [[1, 2], [3, 4]].
func FormatValue(v ast.Value) string {
	f := ast.FloatString
	switch len(v.Shape) {
	case 0:
		return f(v.Data[0])
	case 1:
		parts := make([]string, len(v.Data))
		for i, x := range v.Data {
			parts[i] = f(x)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case 2:
		rows := make([]string, v.Shape[0])
		for i := range rows {
			rows[i] = FormatValue(ast.Value{Shape: []int{v.Shape[1]}, Data: v.Data[i*v.Shape[1] : (i+1)*v.Shape[1]]})
		}
		return "[" + strings.Join(rows, ", ") + "]"
	}
	return v.String()
}

// derivPrec is the precision, in bits, at which an entry of a derivative
// is evaluated before it is rounded to a float64, as a scalar derivative
// is (symdiff eval says so).
const derivPrec = 512

// evalEntry evaluates one entry. A derivative is in the form the chain
// rule built, not one the user wrote, and that form can overflow where
// the value is a moderate number: d(norm(x), x) at x = [1e200, 1e200] is
// x[k]/sqrt(x[1]^2 + x[2]^2), and the squares overflow to +Inf in
// float64, giving 0 for 1/sqrt(2); d(log(sum(exp(x))), x) at x[1] = 800
// is exp(800)/(exp(800) + ...), NaN in float64. So a derivative's entry
// is evaluated at derivPrec bits too, and that value stands when it is a
// float64; the float64 value stands where the big evaluation cannot be
// made.
func evalEntry(ctx context.Context, x ast.Expr, defs *ast.Defs, b ast.Bindings, derived bool) (float64, error) {
	v, err := ast.EvalContext(ctx, x, defs, b)
	var de *ast.DomainError
	if !derived || !(err == nil || errors.As(err, &de)) {
		return v, err
	}
	// With a bound on rounding where one can be had: two terms that cancel
	// beyond derivPrec bits (4*x/(x + 2^-600)) leave a residue, or 0.
	if f, settled, bounded, serr := numcheck.Settle(ctx, defs.Expand(x), b, derivPrec); serr == nil && bounded {
		if !settled {
			return 0, &ast.DomainError{Msg: fmt.Sprintf("the derivative's terms cancel: at high precision the value rests on rounding: %s at 4096 bits, with terms that cancel beyond that precision", f.Text('g', 6))}
		}
		if bv, _ := f.Float64(); !math.IsInf(bv, 0) {
			return bv, nil
		}
	} else if f, berr := ast.EvalBig(ctx, x, defs, b, derivPrec); berr == nil {
		if bv, _ := f.Float64(); !math.IsInf(bv, 0) {
			return bv, nil
		}
	}
	return v, err
}
