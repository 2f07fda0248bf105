package repl

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/cmd/internal/codegen"
)

// :codegen and :gradcheck take the loss and the variables the way the
// command line does, written as one line: the loss, then "wrt" and the
// variables separated by commas; :codegen may start with a language and
// :gradcheck end with NAME=VALUE bindings.

// lossAndVars parses "EXPR wrt V1, V2" in the session.
func (r *REPL) lossAndVars(ctx context.Context, arg, cmd string) (ast.Expr, []ast.Expr, error) {
	loss, vars, ok := strings.Cut(arg, " wrt ")
	if !ok || strings.TrimSpace(loss) == "" || strings.TrimSpace(vars) == "" {
		return nil, nil, fmt.Errorf("%s needs a loss and the variables: %s CE wrt w[k]", cmd, cmd)
	}
	e, err := r.S.ParseExpr(ctx, loss, "the loss")
	if err != nil {
		return nil, nil, err
	}
	if e, err = r.S.WithLast(e); err != nil {
		return nil, nil, err
	}
	var wrt []ast.Expr
	for _, v := range codegen.SplitVars(vars) {
		x, err := r.S.ParseExpr(ctx, v, "the variables")
		if err != nil {
			return nil, nil, err
		}
		wrt = append(wrt, x)
	}
	return e, wrt, nil
}

func (r *REPL) codegenCmd(ctx context.Context, arg string) error {
	lang := codegen.NumPy
	if first, rest, ok := strings.Cut(strings.TrimSpace(arg), " "); ok {
		if l, err := codegen.ParseLang(first); err == nil {
			lang, arg = l, rest
		}
	}
	e, wrt, err := r.lossAndVars(ctx, arg, ":codegen")
	if err != nil {
		return err
	}
	res, err := codegen.Generate(ctx, codegen.FromSession(r.S), &codegen.Request{Loss: e, Wrt: wrt, Lang: lang, Source: ast.String(e)})
	if err != nil {
		return err
	}
	fmt.Fprint(r.Out, res.Code)
	return nil
}

func (r *REPL) gradcheckCmd(ctx context.Context, arg string) error {
	// NAME=VALUE words at the end are values.
	words := strings.Fields(arg)
	split := len(words)
	for split > 0 {
		name, _, ok := strings.Cut(words[split-1], "=")
		if !ok || !isName(name) {
			break
		}
		split--
	}
	e, wrt, err := r.lossAndVars(ctx, strings.Join(words[:split], " "), ":gradcheck")
	if err != nil {
		return err
	}
	given := ast.Bindings{}
	for _, w := range words[split:] {
		name, val, _ := strings.Cut(w, "=")
		v, err := ast.ParseValue(val)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		given[name] = v
	}
	res, err := codegen.Check(ctx, codegen.FromSession(r.S), &codegen.CheckRequest{Loss: e, Wrt: wrt, Given: given})
	if err != nil {
		return err
	}
	var sizes []string
	for n, v := range res.Sizes {
		sizes = append(sizes, fmt.Sprintf("%s=%d", n, v))
	}
	sort.Strings(sizes)
	for _, f := range res.Forms {
		fmt.Fprintf(r.Out, "checking %s\n", f)
	}
	for _, row := range res.Rows {
		if row.RelErr < 0 {
			fmt.Fprintf(r.Out, "%-10s every entry at a kink (below)\n", row.Var)
			continue
		}
		fmt.Fprintf(r.Out, "%-10s worst at %-10s symbolic %-12.6g finite differences %-12.6g relative error %.1e\n", row.Var, row.Entry, row.Symbolic, row.Numeric, row.RelErr)
	}
	for _, l := range res.KinkLines() {
		fmt.Fprintln(r.Out, l)
	}
	for _, l := range res.UndecidedLines() {
		fmt.Fprintln(r.Out, l)
	}
	verdict := "ok"
	switch {
	case res.Failed():
		verdict = "FAILED"
	case !res.OK():
		verdict = "cannot decide"
	}
	fmt.Fprintf(r.Out, "%s: worst relative error %.1e (tolerance %.0e) at %d points %s%s%s\n", verdict, res.Worst, res.Tol, res.Points, strings.Join(sizes, " "), res.KinkSummary(), res.UndecidedSummary())
	switch {
	case res.Failed():
		return errors.New("the symbolic gradient disagrees with finite differences")
	case !res.OK():
		return errors.New("finite differences could not decide whether the symbolic gradient is right")
	}
	return nil
}
