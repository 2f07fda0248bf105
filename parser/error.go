package parser

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"
)

// A Pos is a place in source text. Line and Col are 1-based; Col counts
// characters, not bytes, so that a caret lines up under σ or ŷ.
type Pos struct {
	Filename string
	Offset   int // byte offset
	Line     int
	Col      int
}

func (p Pos) String() string {
	if p.Filename != "" {
		return fmt.Sprintf("%s:%d:%d", p.Filename, p.Line, p.Col)
	}
	return fmt.Sprintf("%d:%d", p.Line, p.Col)
}

func (p Pos) lexer() lexer.Position {
	return lexer.Position{Filename: p.Filename, Offset: p.Offset, Line: p.Line, Column: p.Col}
}

func fromLexer(p lexer.Position) Pos {
	return Pos{Filename: p.Filename, Offset: p.Offset, Line: p.Line, Col: p.Column}
}

// An Error is a mistake in the input, bound to the place it was found. Its
// text names the place, quotes the line and puts a caret under the spot:
//
//	model.sd:2:9: unknown function sigmod (did you mean sigma?)
//	    p[i] := sigmod(z[i])
//	            ^
type Error struct {
	Pos  Pos
	Msg  string
	Line string // the source line the error is on, without its newline

	incomplete bool // the input ended too early: more lines may complete it
}

// IsIncomplete reports whether err says only that the input ended too
// early (an open bracket, a trailing operator): a REPL reads another line.
func IsIncomplete(err error) bool {
	e, ok := err.(*Error)
	return ok && e.incomplete
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", e.Pos, e.Msg)
	if snippet := e.Snippet(); snippet != "" {
		b.WriteString("\n")
		b.WriteString(snippet)
	}
	return b.String()
}

// Message and Position let participle treat an Error as its own.
func (e *Error) Message() string          { return e.Msg }
func (e *Error) Position() lexer.Position { return e.Pos.lexer() }

// snippetWidth is how much of a long line is quoted around the spot.
const snippetWidth = 72

// Snippet returns the quoted line and the caret line, indented by four
// spaces; a long line is cut to a window around the spot.
func (e *Error) Snippet() string {
	if e.Line == "" && e.Pos.Col <= 1 {
		return ""
	}
	runes := []rune(e.Line)
	col := e.Pos.Col - 1
	if col < 0 {
		col = 0
	}
	if col > len(runes) {
		col = len(runes)
	}
	start, end, prefix, suffix := 0, len(runes), "", ""
	if len(runes) > snippetWidth {
		start = max(0, col-snippetWidth/2)
		end = min(len(runes), start+snippetWidth)
		if start > 0 {
			prefix = "…"
		}
		if end < len(runes) {
			suffix = "…"
		}
	}
	line := make([]rune, 0, end-start)
	for _, r := range runes[start:end] {
		if r == '\t' || r == '\r' {
			r = ' ' // one column each, so the caret stays aligned
		}
		line = append(line, r)
	}
	pad := col - start + utf8.RuneCountInString(prefix)
	return "    " + prefix + string(line) + suffix + "\n    " + strings.Repeat(" ", pad) + "^"
}

// errorAt makes an Error at p, quoting the line of src that p is on.
func errorAt(src string, p Pos, format string, args ...any) *Error {
	return &Error{Pos: p, Msg: fmt.Sprintf(format, args...), Line: lineAt(src, p.Offset)}
}

// lineAt returns the line of src containing byte offset off.
func lineAt(src string, off int) string {
	if off > len(src) {
		off = len(src)
	}
	if off < 0 {
		off = 0
	}
	start := strings.LastIndexByte(src[:off], '\n') + 1
	end := strings.IndexByte(src[off:], '\n')
	if end < 0 {
		end = len(src)
	} else {
		end += off
	}
	return strings.TrimSuffix(src[start:end], "\r")
}

// ErrorAt makes an Error at p in src (the whole input p refers to),
// quoting the line p is on; other packages use it to report problems found
// after parsing, such as a duplicate rule name, in the same form.
func ErrorAt(src string, p Pos, format string, args ...any) *Error {
	return errorAt(src, p, format, args...)
}
