package session

import (
	"strings"

	"github.com/symdiff/symdiff/parser"
)

// reparseLast parses a statement that uses _ again once _ has the shape of
// a vector or a matrix (declareLast). A script is parsed as a whole before
// it runs, when _ has no shape yet and reads as a scalar, so A*_ after a
// matrix result was a scalar multiple in a script ("cannot multiply B*A
// (d×d) by A (d×d)") and the matrix product at the REPL, which parses each
// line after the one before has run; sum(_), norm(_) and _' did not parse
// at all, and come deferred (parser.Statement.Deferred, with the session's
// Context.DeferLast). The shape is taken from s.Last here, which run's
// pipeline sets without declareLast for a statement that ran on a
// snapshot. The text is parsed at its place in the file (blank lines and
// spaces before it), so that an error's line and column are the file's.
// A deferred statement that does not parse again is that parse's error;
// another stays as it was parsed.
func (s *Session) reparseLast(st *parser.Statement) (*parser.Statement, error) {
	if st.Deferred == nil && (!strings.Contains(st.Text, lastName) || s.Last == nil) {
		return st, nil
	}
	if s.Last != nil {
		s.declareLast(s.Last)
	}
	if _, ok := s.Decls[lastName]; !ok && st.Deferred == nil {
		return st, nil
	}
	pad := strings.Repeat("\n", max(0, st.Pos.Line-1)) + strings.Repeat(" ", max(0, st.Pos.Col-1))
	stmts, err := parser.ParseFile(st.Pos.Filename, pad+st.Text, s.Context())
	switch {
	case err == nil && len(stmts) == 1 && stmts[0].Deferred == nil:
		return stmts[0], nil
	case st.Deferred == nil:
		return st, nil
	case err != nil:
		return nil, err
	case len(stmts) == 1:
		return nil, stmts[0].Deferred
	}
	return nil, st.Deferred
}
