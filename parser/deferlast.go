package parser

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/symdiff/symdiff/ast"
)

// Deferred statements. A script is parsed before it runs, and _ (the last
// result) has the shape of a vector or matrix only once the statement
// before it has run: sum(_), norm(_), _' and _*A are errors or scalar
// products when read with _ a scalar. With Context.DeferLast, a statement
// that uses _ and does not lower is returned with Deferred set to the
// error (and Stmt the expression _, which reads the last value, so that a
// runner waits for the statements before it); the session parses its
// Text again when it runs, with _'s shape then known, and reports the
// error of that parse if it fails again.

// deferLast returns the placeholder statement for one that uses _ and
// did not lower, or false.
func (lw *lowerer) deferLast(text string) (ast.Stmt, bool) {
	if !lw.deferLastOK || !MentionsLast(text) {
		return nil, false
	}
	return &ast.ExprStmt{X: ast.NewSym("_")}, true
}

// MentionsLast reports whether src has the name _ (the last value) on its
// own, not as part of a longer name (x_1, _a) or after a letter (Σ_{i=1}^{n}).
func MentionsLast(src string) bool {
	word := func(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }
	for i := 0; i < len(src); i++ {
		// To the next _ at once (a statement may be the whole 16 MB
		// input, scanned after it failed to lower).
		j := strings.IndexByte(src[i:], '_')
		if j < 0 {
			return false
		}
		i += j
		before, _ := utf8.DecodeLastRuneInString(src[:i])
		after, _ := utf8.DecodeRuneInString(src[i+1:])
		if (i == 0 || !word(before)) && (i+1 == len(src) || !word(after)) {
			return true
		}
	}
	return false
}
