package parser_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/parser/parsetest"
)

// TestParseStopWithoutStall: once a parse has seen its context done, it
// returns without waiting: Stop.Late bounds its idle time (no thread
// running or waiting to run), which TestParseStopsInTime, bounding the
// parsing thread's CPU time, cannot see (a 3 s sleep after the stop was
// seen passed it). The stop falls at the parse's first, second and fifth
// look at its context, in looks rather than in time, so load cannot move
// it; a parse that ends before it is checked against ParseFile.
func TestParseStopWithoutStall(t *testing.T) {
	if testing.Short() {
		t.Skip("parses megabytes")
	}
	sum := parsetest.HugeSum(300_000)
	for name, src := range map[string]string{
		"prove":        "prove " + sum + " == 0\n",
		"rule":         "rule r: sin(x) -> " + sum + "\n",
		"syntax error": sum + " +\n1 1\n",
		"comments":     strings.Repeat("# a comment\n", 200_000),
		"defs":         strings.Repeat("a := 1\nb := a + 2\n", 50_000),
	} {
		for _, n := range []int{0, 1, 4} {
			ctx := parsetest.CancelAfter(n)
			var err error
			took := parsetest.MeasureStop(func() { _, err = parser.ParseFileContext(ctx, "in.sd", src, nil) })
			t.Logf("%s, stop at look %d of %d: %v: %.60v", name, n+1, ctx.Asked(), took, err)
			if !errors.Is(err, context.Canceled) {
				if _, werr := parser.ParseFile("in.sd", src, nil); (err == nil) != (werr == nil) {
					t.Errorf("%s: stop at look %d, never seen: %v; without a context: %v", name, n+1, err, werr)
				}
				continue
			}
			if late := took.Late(0); late != "" {
				t.Errorf("%s: stop at look %d: %s", name, n+1, late)
			}
		}
	}
}
