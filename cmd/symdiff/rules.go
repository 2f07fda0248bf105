package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/mattn/go-isatty"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/cmd/internal/session"
	"github.com/symdiff/symdiff/derive"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/explain"
	"github.com/symdiff/symdiff/simplify/matrix"
	"github.com/symdiff/symdiff/simplify/prove"
	"github.com/symdiff/symdiff/simplify/rulecheck"
)

// RulesCmd lists and checks rules.
type RulesCmd struct {
	List  RulesListCmd  `cmd:"" help:"Name every active rule with its source file and line."`
	Check RulesCheckCmd `cmd:"" help:"Check rules for soundness and termination (default: the built-in rules); exit 1 if one is unsound."`
}

// RulesListCmd lists rules.
type RulesListCmd struct {
	Rules []string `name:"rules" placeholder:"FILE" help:"Also load rules from FILE (repeatable)."`
}

func loadSet(files []string, stdin io.Reader) (*rules.Set, error) {
	set := load.Builtin()
	for _, f := range files {
		src, err := session.ReadSourceFrom(f, stdin)
		if err != nil {
			return nil, err
		}
		if set, err = load.File(set, f, src); err != nil {
			return nil, err
		}
	}
	return set, nil
}

func (c *RulesListCmd) Run(ctx context.Context, app *App) error {
	set, err := loadSet(c.Rules, app.Stdin)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(app.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tKIND\tSOURCE\tRULE")
	for _, r := range set.AllRules() {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", r.Name, r.Kind, r.Source, ruleText(r))
	}
	for _, d := range set.Derivs() {
		fmt.Fprintf(w, "%s\tderiv\t%s\t%s\n", d.Name, d.Source, d)
	}
	for _, r := range engineRules() {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", r.Name, r.Kind, r.Source, engineText(r))
	}
	for _, d := range set.Defs().All() {
		fmt.Fprintf(w, "%s\tfunction\t%s\t%s\n", ast.ShownName(d.Name), "rule file", d)
	}
	return w.Flush()
}

// engineRules are the rules the engine applies in Go: the rules of
// calculus, the simplifier's passes, canonical identities and rules
// written in Go, the prover's steps and explain's assumptions.
func engineRules() []*rules.Rule {
	out := append(derive.Rules(), simplify.Rules()...)
	out = append(out, prove.Rules()...)
	out = append(out, matrix.Rules()...)
	return append(out, explain.Rules()...)
}

// citableRules are the rules a derivation can cite: the rule files'
// rewrites and derivative rules, the openings of their functions'
// definitions, and the engine's rules. The tests of rule descriptions
// walk this one list.
func citableRules(set *rules.Set) []*rules.Rule {
	all := append(set.AllRules(), set.Derivs()...)
	for _, d := range set.Defs().All() {
		all = append(all, rules.DefRule(d))
	}
	return append(all, engineRules()...)
}

// engineText says what an engine rule does: its statement and, when that
// is not all of it, its description.
func engineText(r *rules.Rule) string {
	t := r.Statement()
	if r.Doc != "" && r.Doc != t && r.Kind != rules.Calculus && r.Kind != rules.Pass {
		return r.Doc + ": " + t
	}
	if r.Doc != "" && r.Doc != t {
		return r.Doc + " — " + t
	}
	return t
}

func ruleText(r *rules.Rule) string {
	s := ast.String(r.LHS) + " -> " + ast.String(r.RHS)
	if len(r.Conds) > 0 {
		s += " if " + ast.CondsString(r.Conds)
	}
	return s
}

// RulesCheckCmd checks rules.
type RulesCheckCmd struct {
	Files []string `arg:"" optional:"" name:"FILE" help:"Rule files to check (on top of the built-in rules); none checks the built-in rules."`
	JSON  bool     `name:"json" help:"Print the report as JSON."`
	Jobs  int      `placeholder:"N" help:"Check up to N rules at once (default: one per core)."`
	// No limit by default, unlike the engine's 2m per statement: a check
	// of every built-in rule is one long job, not a statement.
	Timeout time.Duration `placeholder:"DURATION" help:"Give up on the check after this long (default: no limit)."`
}

func (c *RulesCheckCmd) Run(ctx context.Context, app *App) error {
	if c.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.Timeout)
		defer cancel()
	}
	set, err := loadSet(c.Files, app.Stdin)
	if err != nil {
		return err
	}
	// Which rules to report: the files' own, or all the built-in ones.
	inScope := func(source string) bool {
		if len(c.Files) == 0 {
			return true
		}
		for _, f := range c.Files {
			if strings.HasPrefix(source, f+":") || source == f {
				return true
			}
		}
		return false
	}
	// The checks are independent: one per core, reported in order. Each
	// gives a report, or none (an engine rule without examples).
	var todo []func() []*rulecheck.RuleReport
	for _, r := range set.AllRules() {
		if inScope(r.Source.String()) {
			todo = append(todo, func() []*rulecheck.RuleReport { return []*rulecheck.RuleReport{rulecheck.CheckRule(ctx, r, set)} })
		}
	}
	for _, d := range set.Derivs() {
		if inScope(d.Source.String()) {
			todo = append(todo, func() []*rulecheck.RuleReport { return []*rulecheck.RuleReport{rulecheck.CheckDeriv(ctx, d, set)} })
		}
	}
	if len(c.Files) == 0 {
		// The engine's own rules on their examples, one rule per check.
		parse := func(s string) (ast.Expr, error) { return parser.ParseExpr(s, nil) }
		for _, g := range simplify.Rules() {
			if len(g.Examples) > 0 {
				todo = append(todo, func() []*rulecheck.RuleReport {
					return rulecheck.CheckBuiltin(ctx, []*rules.Rule{g}, set, parse)
				})
			}
		}
		// The matrix identities, written in Go, on their instances.
		for _, r := range matrix.Rules() {
			if matrix.HasInstances(r) {
				todo = append(todo, func() []*rulecheck.RuleReport {
					return []*rulecheck.RuleReport{matrix.CheckRule(ctx, r, set, parseShaped)}
				})
			}
		}
	}
	var bar *progress
	if f, ok := app.Stderr.(*os.File); ok && isatty.IsTerminal(f.Fd()) && !c.JSON {
		bar = newProgress(app.Stderr, "checking rules", len(todo))
	}
	// The termination risks are found beside the checks (first, so that
	// they do not come last on one core while the other idles).
	done := make([][]*rulecheck.RuleReport, len(todo))
	var allRisks []rulecheck.Risk
	forEach(len(todo)+1, jobs(c.Jobs), func(i int) {
		if ctx.Err() != nil {
			return // stopped: the checks not begun are skipped, not run to no purpose
		}
		if i == 0 {
			allRisks, _ = rulecheck.RisksContext(ctx, set)
			return
		}
		done[i-1] = todo[i-1]()
		if bar != nil {
			bar.add()
		}
	})
	var reports []*rulecheck.RuleReport
	for _, rs := range done {
		reports = append(reports, rs...)
	}
	if bar != nil {
		bar.finish()
	}
	var risks []rulecheck.Risk
	for _, r := range allRisks {
		if slices.ContainsFunc(r.Rules, func(name string) bool {
			rr, ok := set.Rule(name)
			return ok && inScope(rr.Source.String())
		}) {
			risks = append(risks, r)
		}
	}
	unsound := 0
	for _, r := range reports {
		if r.Verdict == rulecheck.RuleUnsound {
			unsound++
		}
	}
	if unsound > 0 {
		app.note(session.Refuted)
	}
	if err := ctx.Err(); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return errors.New("stopped: the time limit was reached (--timeout)")
		}
		return fmt.Errorf("interrupted")
	}
	if c.JSON {
		list := []map[string]any{}
		for _, r := range reports {
			m := map[string]any{"rule": r.Name, "kind": r.Kind, "source": r.Source, "verdict": strings.ToLower(r.Verdict.String()),
				"points": r.Points, "skipped": r.Skipped, "ms": r.Time.Milliseconds(), "note": r.Note}
			if c := r.Counter; c != nil {
				point := map[string]any{}
				for n, v := range c.Bindings {
					point[n] = session.ValueJSON(v)
				}
				ce := map[string]any{"point": point, "left": c.Left, "right": c.Right}
				if c.Diff != "" {
					ce["difference"] = c.Diff // the sides print alike: by how much they differ, as prove says
				}
				m["counterexample"] = ce
			}
			list = append(list, m)
		}
		rs := []map[string]any{}
		for _, r := range risks {
			rs = append(rs, map[string]any{"rules": r.Rules, "why": r.Why})
		}
		app.json(map[string]any{"rules": list, "risks": rs, "unsound": unsound})
		return nil
	}
	writeReport(app.Stdout, reports, risks, unsound)
	return nil
}

func writeReport(out io.Writer, reports []*rulecheck.RuleReport, risks []rulecheck.Risk, unsound int) {
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "RULE\tKIND\tVERDICT\tPOINTS\tSKIPPED\tTIME\tSOURCE")
	for _, r := range reports {
		fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%d\t%s\t%s\n", r.Name, r.Kind, r.Verdict, r.Points, r.Skipped, r.Time.Round(time.Millisecond/10), r.Source)
	}
	w.Flush()
	for _, r := range reports {
		switch r.Verdict {
		case rulecheck.RuleUnsound:
			fmt.Fprintf(out, "\nUNSOUND %s (%s): %s\n", r.Name, r.Source, r.Note)
			if c := r.Counter; c != nil {
				fmt.Fprintf(out, "  at %s\n  left:  %s\n  right: %s\n", c.Point(), c.Left, c.Right)
				if c.Diff != "" {
					fmt.Fprintf(out, "  left - right: %s\n", c.Diff)
				}
			}
		case rulecheck.RuleUnchecked:
			fmt.Fprintf(out, "\nunchecked %s (%s): %s\n", r.Name, r.Source, r.Note)
		}
	}
	for _, r := range risks {
		fmt.Fprintf(out, "\ntermination risk: %s: %s\n", strings.Join(r.Rules, " and "), r.Why)
	}
	counts := map[rulecheck.RuleVerdict]int{}
	for _, r := range reports {
		counts[r.Verdict]++
	}
	fmt.Fprintf(out, "\n%d rules: %d proved, %d sound, %d unsound, %d unchecked; %d termination risks\n",
		len(reports), counts[rulecheck.RuleProved], counts[rulecheck.RuleSound], unsound, counts[rulecheck.RuleUnchecked], len(risks))
}

// parseShaped reads an expression with the names' shapes declared (the
// matrix identities' instances).
func parseShaped(src string, shapes map[string]ast.Shape) (ast.Expr, error) {
	return parser.ParseExpr(src, &parser.Context{Shapes: shapes})
}
