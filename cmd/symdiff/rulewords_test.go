package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/cmd/internal/session"
	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/rules/load"
)

// TestRuleDescriptions walks every rule a derivation can cite (the rule
// files' rewrites and derivative rules, their functions, and the rules
// the engine applies in Go: calculus, passes, canonical identities, the
// prover's and explain's steps) and requires each to have a description a
// mathematician reads: not empty, not its internal name, and naming no
// internal rule name (exp_zero, d_sigma) anywhere, in text and in LaTeX.
// `rules list` shows that description (or, for a rule of a rule file,
// the equation the description is made from) on the rule's line.
func TestRuleDescriptions(t *testing.T) {
	set := load.Builtin()
	all := citableRules(set)

	// The internal names: every rule's, and any snake_case word that looks
	// like one.
	names := map[string]bool{}
	for _, r := range all {
		names[r.Name] = true
	}
	word := regexp.MustCompile(`[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+`)
	check := func(r *rules.Rule, where, text string) {
		t.Helper()
		switch {
		case strings.TrimSpace(text) == "":
			t.Errorf("%s rule %s (%s): no description in %s", r.Kind, r.Name, r.Source, where)
		case text == r.Name && !wordNames[r.Name]:
			t.Errorf("%s rule %s (%s): its description in %s is its internal name", r.Kind, r.Name, r.Source, where)
		}
		for _, w := range word.FindAllString(text, -1) {
			t.Errorf("%s rule %s (%s): its description in %s names %s: %q", r.Kind, r.Name, r.Source, where, w, text)
		}
		for _, w := range strings.FieldsFunc(text, func(c rune) bool {
			return !(c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')
		}) {
			if names[w] && strings.Contains(w, "_") {
				t.Errorf("%s rule %s (%s): its description in %s names the rule %s: %q", r.Kind, r.Name, r.Source, where, w, text)
			}
		}
	}

	listed, stderr, status := runMain(t, "rules", "list")
	if status != 0 {
		t.Fatalf("rules list: status %d: %s", status, stderr)
	}
	lines := map[string][]string{}
	for _, l := range strings.Split(listed, "\n") {
		if f := strings.Fields(l); len(f) > 0 {
			lines[f[0]] = append(lines[f[0]], l)
		}
	}

	for _, r := range all {
		text := session.RuleWords(r)
		check(r, "text", text)
		check(r, "LaTeX", session.Justification(session.Why{Label: ruleWordsStyled(r, ast.LaTeX)}, ast.LaTeX))
		if r.Kind == rules.Deriv {
			// A derivative rule is cited as the equation f'(u) = ...
			check(r, "a chain rule's note", session.Justification(session.Why{Label: "chain rule", Chain: []*rules.Rule{r}}, ast.Unicode))
		}
		// rules list: the rule's line says what it does.
		shown := ast.ShownName(r.Name)
		if r.Kind == rules.Definition {
			shown = strings.TrimPrefix(shown, "def_")
		}
		ls := lines[shown]
		if len(ls) == 0 {
			t.Errorf("rules list has no line for %s rule %s", r.Kind, r.Name)
			continue
		}
		want := r.Doc
		if want == "" || r.Kind == rules.Definition {
			want = r.Statement()
			if r.LHS != nil && r.Kind != rules.Deriv {
				want = ruleText(r)
			}
			if r.Kind == rules.Deriv {
				want = r.String()
			}
			if r.Kind == rules.Definition {
				want = ast.StmtString(&ast.DefStmt{Def: mustDef(t, set, r)})
				want = strings.TrimSpace(want)
			}
		}
		found := false
		for _, l := range ls {
			found = found || strings.Contains(l, want)
		}
		if !found {
			t.Errorf("rules list does not show what %s rule %s does (%q):\n%s", r.Kind, r.Name, want, strings.Join(ls, "\n"))
		}
	}
	if len(all) < 150 {
		t.Errorf("walked %d rules; the built-in set has more", len(all))
	}
	t.Logf("%d rules described", len(all))
}

// wordNames are the rules whose name is already the English word a
// reader is told (reviewed one by one): their description may equal it.
var wordNames = map[string]bool{"constant": true, "definition": true, "linearity": true, "differentiate": true}

// ruleWordsStyled is RuleWords with a rewrite rule's equation in style st,
// as the LaTeX justifications write it.
func ruleWordsStyled(r *rules.Rule, st ast.Style) string {
	if r.LHS != nil && r.RHS != nil && (r.Kind == rules.Simplify || r.Kind == rules.Basis) {
		return session.RuleEquation(r, st)
	}
	return session.RuleWords(r)
}

func mustDef(t *testing.T, set *rules.Set, r *rules.Rule) *ast.Def {
	t.Helper()
	for _, d := range set.Defs().All() {
		if "def_"+ast.ShownName(d.Name) == r.Name {
			return d
		}
	}
	t.Fatalf("no definition for %s", r.Name)
	return nil
}
