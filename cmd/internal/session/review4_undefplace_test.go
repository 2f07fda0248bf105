package session

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/parser"
)

// TestUndefinedWherePlace (review4): the caret of an "undefined wherever
// C" error is at the occurrence of the part that C reaches. A part written
// twice is one node (hash-consed), and PosOf gives its first place: in
// if(x > x, log(y - y), 1) + if(x > 0, log(y - y), 2) the error says
// "wherever x > 0" and pointed at the first log(y - y), in the piece that
// is never taken. The oracle is the text: the piece whose condition the
// message states.
func TestUndefinedWherePlace(t *testing.T) {
	for _, c := range []struct{ src, at string }{
		{"if(x > x, log(y - y), 1) + if(x > 0, log(y - y), 2)", "log(y - y), 2)"},
		{"sum(i=1..n, [i <= 0]*log(y - y)) + if(x > 0, log(y - y), 2)", "log(y - y), 2)"},
	} {
		s := New()
		stmts, err := parser.ParseFile("t.sd", c.src, s.Context())
		if err != nil {
			t.Fatalf("parse %q: %v", c.src, err)
		}
		_, err = s.Exec(context.Background(), stmts[0])
		if err == nil || !strings.Contains(err.Error(), "wherever x > 0") {
			t.Fatalf("%s: error %v, want one saying wherever x > 0", c.src, err)
		}
		var pe *parser.Error
		if !errors.As(At(c.src, stmts[0], err), &pe) {
			t.Fatalf("%s: At gave no parser.Error", c.src)
		}
		if want := strings.Index(c.src, c.at) + 1; pe.Pos.Col != want {
			t.Errorf("%s: %v\nthe caret is at column %d, want %d (the piece where x > 0)", c.src, err, pe.Pos.Col, want)
		}
	}
}
