package session

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestResultPrintStops: printing a result runs under the printer's
// context and the session's time limit, as the steps do: sin nested
// 100,000 deep takes a tenth of a second to write. Once either strikes,
// Result writes nothing and says why (JSON sets Stopped); with neither,
// it writes the value, which parses back (named every ast.ShareMaxDepth
// levels).
func TestResultPrintStops(t *testing.T) {
	var b strings.Builder
	b.WriteString("u100000 where u1 = sin(x)")
	for i := 2; i <= 100_000; i++ {
		fmt.Fprintf(&b, ", u%d = sin(u%d)", i, i-1)
	}
	s, r := runScript(t, b.String())
	done, cancel := context.WithCancel(context.Background())
	cancel()
	for _, c := range []struct {
		name    string
		ctx     context.Context
		timeout time.Duration
		want    string
	}{
		{"Ctrl-C", done, 0, "interrupted (printing the result)"},
		{"--timeout", nil, time.Nanosecond, "stopped: the time limit was reached (printing the result)"},
		{"none", nil, 0, ""},
	} {
		s.Timeout = c.timeout
		var b strings.Builder
		p := &Printer{S: s, Ctx: c.ctx}
		err := p.Result(&b, r)
		if c.want == "" {
			if err != nil || !strings.HasPrefix(b.String(), "sin(u100) where u1 = sin(") {
				t.Errorf("%s: %v, %.80q", c.name, err, b.String())
			}
			if _, r2 := runScript(t, b.String()); r2.Value != r.Value {
				t.Errorf("%s: the value printed does not read back to itself", c.name)
			}
			continue
		}
		if err == nil || err.Error() != c.want || b.Len() != 0 {
			t.Errorf("%s: Result wrote %d bytes and returned %v, want nothing and %q", c.name, b.Len(), err, c.want)
		}
		p = &Printer{S: s, Ctx: c.ctx}
		if p.JSON(r); p.Stopped == nil || p.Stopped.Error() != c.want {
			t.Errorf("%s: JSON stopped with %v, want %q", c.name, p.Stopped, c.want)
		}
	}
}
