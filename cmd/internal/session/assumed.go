package session

import (
	"slices"
	"strings"

	"github.com/symdiff/symdiff/rules"
)

// Assumed lists the assumptions a trace used, as notes in the words the
// trace gives them ("by assumption x > 0"), each once, in order of first
// use. A result or a proof that holds only because of an assumption says
// so next to it, not only inside its steps: without --steps the reader
// would otherwise take sqrt(x^2) = x for an identity. A condition a rule
// of the engine rests on ("where W is invertible", after inv(W)*W = eye)
// is listed the same way.
func Assumed(tr rules.Trace) []string {
	var out []string
	for _, st := range tr {
		for _, r := range append([]*rules.Rule{st.Rule}, st.Rules()...) {
			if r != nil && r.Kind == rules.Assumption && (strings.HasPrefix(r.Doc, "by assumption ") || strings.HasPrefix(r.Doc, "where ")) && !slices.Contains(out, r.Doc) {
				out = append(out, r.Doc)
			}
		}
	}
	return out
}
