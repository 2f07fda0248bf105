package main

import (
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/cmd/internal/session"
	"github.com/symdiff/symdiff/rules/load"
)

// TestRuleDescriptionsPlain requires every rule's description and
// statement to be plain text in the plain syntax: the text views print
// them as they stand and the LaTeX view escapes them, so a LaTeX command
// (\sigma, \operatorname) or a brace group (e^{-u}) in one shows as
// "\sigma" in the steps and as \textbackslash{}sigma in LaTeX.
func TestRuleDescriptionsPlain(t *testing.T) {
	set := load.Builtin()
	all := citableRules(set)
	// Braces alone are the plain syntax's sets (y in {0, 1}); after ^ or
	// _, or two groups in a row (\frac{a}{b}), they are LaTeX.
	latexish := []string{`\`, "^{", "_{", "}{", "$"}
	for _, r := range all {
		for _, f := range []struct{ where, text string }{
			{"description", r.Doc},
			{"statement", r.Text},
			{"text steps", session.RuleWords(r)},
		} {
			for _, bad := range latexish {
				if strings.Contains(f.text, bad) {
					t.Errorf("%s rule %s: its %s holds LaTeX (%q): %q", r.Kind, r.Name, f.where, bad, f.text)
				}
			}
		}
		// In LaTeX, the words are escaped text: no escaped backslash or
		// brace means no LaTeX was written as text.
		tex := session.Justification(session.Why{Label: ruleWordsStyled(r, ast.LaTeX)}, ast.LaTeX)
		for _, bad := range []string{`\textbackslash`, `\{`, `\}`, `\^{}`} {
			if strings.Contains(tex, bad) {
				t.Errorf("%s rule %s: its LaTeX justification escapes LaTeX (%q): %q", r.Kind, r.Name, bad, tex)
			}
		}
	}
	if len(all) < 150 {
		t.Errorf("walked %d rules; the built-in set has more", len(all))
	}
}
