package parser

import (
	"strings"
	"testing"
)

// TestPositionsOf: every place a repeated subexpression is written, in
// order, though the memo records only the first (fix4a). The oracle is the
// text: the places where the subexpression's text starts.
func TestPositionsOf(t *testing.T) {
	for _, c := range []struct{ src, part string }{
		{"if(x > x, log(y - y), 1) + if(x > 0, log(y - y), 2)", "log(y - y)"},
		{"a := 1\n  sin(x)*cos(x) + sin(x)*cos(x)/sin(x)", "sin(x)"},
		{"é + exp(x) - exp(x)^2", "exp(x)"},
	} {
		stmts, err := ParseFile("t.sd", c.src, nil)
		if err != nil {
			t.Fatalf("%q: %v", c.src, err)
		}
		st := stmts[len(stmts)-1]
		part, err := ParseExpr(c.part, nil)
		if err != nil {
			t.Fatal(err)
		}
		var want []int // byte offsets of the part's text
		for i := 0; ; {
			j := strings.Index(c.src[i:], c.part)
			if j < 0 {
				break
			}
			want = append(want, i+j)
			i += j + 1
		}
		got := st.PositionsOf(part)
		if len(got) != len(want) {
			t.Fatalf("%q: %d places of %s, want %d: %v", c.src, len(got), c.part, len(want), got)
		}
		for i, p := range got {
			if p.Offset != want[i] {
				t.Errorf("%q: place %d of %s at offset %d (%v), want %d", c.src, i, c.part, p.Offset, p, want[i])
			}
		}
	}
}
