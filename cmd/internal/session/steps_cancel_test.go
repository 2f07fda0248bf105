package session

import (
	"context"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/parser"
)

// TestStepsContextStops: the derivation of a result, scalar or matrix
// (rendered for --steps, LaTeX and the REPL's :steps), gives up on a done
// context instead of running to its end; with a live one it is there.
func TestStepsContextStops(t *testing.T) {
	for _, src := range []string{
		"d(sigma(x)^2*log(x), x)",
		"w : vector(3)\nX : matrix(4, 3)\nd(sum(log(sigma(X*w))), w)",
	} {
		s := New()
		stmts, err := parser.ParseFile("t.sd", src, s.Context())
		if err != nil {
			t.Fatal(err)
		}
		var res *Result
		for _, st := range stmts {
			if res, err = s.Exec(context.Background(), st); err != nil {
				t.Fatalf("%s: %v", src, err)
			}
		}
		done, cancel := context.WithCancel(context.Background())
		cancel()
		if d, err := s.StepsContext(done, res); err == nil || !strings.Contains(err.Error(), "interrupted") {
			t.Errorf("%s: StepsContext on a done context = %v, %v; want interrupted", src, d, err)
		}
		d, err := s.StepsContext(context.Background(), res)
		if err != nil || d == nil || len(d.Lines) == 0 {
			t.Errorf("%s: StepsContext = %v, %v; want a derivation", src, d, err)
		}
	}
}
