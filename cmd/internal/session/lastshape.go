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
// line after the one before has run. Where the text does not parse again
// on its own, the statement stays as it was parsed. The shape is taken
// from s.Last here, which run's pipeline sets without declareLast for a
// statement that ran on a snapshot.
func (s *Session) reparseLast(st *parser.Statement) *parser.Statement {
	if !strings.Contains(st.Text, lastName) || s.Last == nil {
		return st
	}
	s.declareLast(s.Last)
	if _, ok := s.Decls[lastName]; !ok {
		return st
	}
	stmts, err := parser.ParseFile("", st.Text, s.Context())
	if err != nil || len(stmts) != 1 {
		return st
	}
	again := stmts[0]
	again.Pos = st.Pos
	return again
}
