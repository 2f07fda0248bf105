package session

import (
	"strings"

	"github.com/symdiff/symdiff/rules"
)

// Assumed lists the assumptions a trace used, as notes in the words the
// trace gives them ("by assumption x > 0"), each once, in order of first
// use. A result or a proof that holds only because of an assumption says
// so next to it, not only inside its steps: without --steps the reader
// would otherwise take sqrt(x^2) = x for an identity.
func Assumed(tr rules.Trace) []string {
	var out []string
	seen := map[string]bool{}
	add := func(r *rules.Rule) {
		if r == nil || r.Kind != rules.Assumption || !strings.HasPrefix(r.Doc, "by assumption ") || seen[r.Doc] {
			return
		}
		seen[r.Doc] = true
		out = append(out, r.Doc)
	}
	var walk func(rules.Trace)
	walk = func(tr rules.Trace) {
		for _, st := range tr {
			add(st.Rule)
			for _, u := range st.Uses {
				add(u)
			}
			walk(st.Sub)
		}
	}
	walk(tr)
	return out
}
