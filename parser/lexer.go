package parser

import (
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"

	"github.com/symdiff/symdiff/ast"
)

// The lexer is hand-written rather than regexp-based because line
// continuation depends on context: a newline ends a statement only when no
// bracket is open and the line does not end in an operator. It also maps
// Unicode spellings (·, −, ², ≠) onto the ASCII tokens, checks brackets
// (so an unclosed one is reported where it opens) and bounds nesting.

// Token types: untyped, so that they are both participle's
// lexer.TokenType and the fast path's tokType.
const tokEOF = -1 // lexer.EOF

const (
	tokIdent = -(iota + 2)
	tokNumber
	tokPunct
	tokNewline
	// tokSuper is a superscript exponent (², ⁻¹², ⁻ᵀ), whose value is
	// the exponent in ASCII: "2", "-12", and superT for ⁻ᵀ.
	tokSuper
	// tokSub is a run of subscript characters right after a name (the
	// ᵢⱼ of xᵢⱼ, the ₁₂ of x₁₂), whose value is the run in ASCII: "ij",
	// "12". Which indices it makes is the parser's to say (subIndices).
	tokSub
)

// superT is the value of the Super token ⁻ᵀ: the exponent -1, which
// lowering reads as the inverse's transpose (superinv.go).
const superT = "-T"

// superValue returns digits (a sign and ASCII digits) as a string: for
// x² and x⁻¹, a substring of a constant rather than a new string.
func superValue(digits []byte) string {
	const one, neg = "0123456789", "-0-1-2-3-4-5-6-7-8-9"
	switch {
	case len(digits) == 1:
		return one[digits[0]-'0' : digits[0]-'0'+1]
	case len(digits) == 2 && digits[0] == '-':
		d := 2 * int(digits[1]-'0')
		return neg[d : d+2]
	}
	return string(digits)
}

// A tokType is the type of a token of the fast path.
type tokType int32

// A token is what the scanner makes of a word, number or punctuation
// mark: its type, its text (a substring of the input, or the ASCII
// spelling of punctuation written in Unicode) and its byte offset. It is
// 24 bytes where participle's lexer.Token is 64: the line and column are
// computed from the offset only for what needs them, participle's tokens
// and the place of an error.
type token struct {
	Value string
	off   int32
	Type  tokType
}

// spot returns where the token starts.
func (t *token) spot() spot { return spot{t.off} }

var symbols = map[string]lexer.TokenType{
	"EOF":     tokEOF,
	"Ident":   tokIdent,
	"Number":  tokNumber,
	"Punct":   tokPunct,
	"Newline": tokNewline,
	"Super":   tokSuper,
	"Sub":     tokSub,
}

// Limits that keep hostile input a bounded computation.
const (
	// MaxInputBytes is the largest source accepted: 16 MiB, a few seconds
	// of parsing. Beyond it the input is refused before any work is done.
	MaxInputBytes = 16 << 20
	// MaxNesting bounds brackets and operator chains nested in each other.
	MaxNesting = 20000
)

// Punctuation comes from two places: the operators, with their Unicode
// spellings, from ast.Operators, and the rest of the statement grammar
// from the small tables here. Function spellings (σ, √, ln) come from
// ast.Funcs.

// otherPunct is the punctuation that is not an operator.
// | is the bars of |x| and ∂ the ∂x/∂y of a derivative, as the Unicode
// printer writes them; _ is the one of Σ_{i=1}^{n} (the scanner makes it
// a token only there: elsewhere it is part of a name).
var otherPunct = []string{":=", "==", "!=", "..", "->", ">=", "<=", "(", ")", "[", "]", "{", "}", ",", "=", ":", ">", "<", "|", "∂"}

// otherAliases are the Unicode spellings of non-operator punctuation and
// their ASCII tokens.
var otherAliases = []spelling{{"≠", "!="}, {"→", "->"}, {"≔", ":="}, {"≥", ">="}, {"≤", "<="}}

// otherContinues lists the non-operator tokens after which a line break
// does not end a statement; every operator continues a line too.
var otherContinues = []string{":=", "=", "==", "!=", "..", ",", "->", ":", "(", "[", "{", ">", "<", ">=", "<="}

// A spelling is a way to write a punctuation token: the token itself, or
// a Unicode alias of it (· for *).
type spelling struct{ text, token string }

// The tables the lexer looks punctuation up in (spellings, continues,
// funcSymbols, the operators by spelling) are made from the ones above
// and ast's operators and functions when the package is built, not when a
// program starts: they are in lextables.go, which TestLexTablesFile
// writes (go test ./parser -run LexTablesFile -update) and holds to what
// lexTables, in lextables_test.go, makes of ast.Operators and ast.Funcs.

// prefixOp is prefixOps[v].
func prefixOp(v string) (*ast.OpInfo, bool) {
	if len(v) == 1 && v[0] < utf8.RuneSelf {
		op := prefixASCII[v[0]]
		return op, op != nil
	}
	op, ok := prefixOps[v]
	return op, ok
}

// postfixOp is postfixOps[v].
func postfixOp(v string) (*ast.OpInfo, bool) {
	if len(v) == 1 && v[0] < utf8.RuneSelf {
		op := postfixASCII[v[0]]
		return op, op != nil
	}
	op, ok := postfixOps[v]
	return op, ok
}

// binaryOp is binaryOps[v].
func binaryOp(v string) (*ast.OpInfo, bool) {
	if len(v) == 1 && v[0] < utf8.RuneSelf {
		op := binaryASCII[v[0]]
		return op, op != nil
	}
	op, ok := binaryOps[v]
	return op, ok
}

// subChars maps the subscript characters (those the Unicode printer
// writes, subLetters and subDigits of ast/print.go) to their ASCII
// letters and digits.
var subChars = map[rune]byte{
	'ₐ': 'a', 'ₑ': 'e', 'ₕ': 'h', 'ᵢ': 'i', 'ⱼ': 'j', 'ₖ': 'k', 'ₗ': 'l', 'ₘ': 'm', 'ₙ': 'n',
	'ₒ': 'o', 'ₚ': 'p', 'ᵣ': 'r', 'ₛ': 's', 'ₜ': 't', 'ᵤ': 'u', 'ᵥ': 'v', 'ₓ': 'x',
	'₀': '0', '₁': '1', '₂': '2', '₃': '3', '₄': '4', '₅': '5', '₆': '6', '₇': '7', '₈': '8', '₉': '9',
}

// condSymbols are the connectives of conditions spelled as symbols, as
// the Unicode printer writes them (ast.CondOps): each lexes as its word.
var condSymbols = map[rune]string{'∧': "and", '∨': "or", '¬': "not"}

// sigmaOp is Σ, which starts a sum Σ_{i=1}^{n} body (or Σ(i=1..n, body))
// where _ or ( follows it, and is a name elsewhere.
const sigmaOp = 'Σ'

// superLetters maps the superscript letters to their ASCII letters: xⁿ
// is x^n. ᵀ is not one of them: it is the transpose.
var superLetters = map[rune]byte{
	'ᵃ': 'a', 'ᵇ': 'b', 'ᶜ': 'c', 'ᵈ': 'd', 'ᵉ': 'e', 'ᶠ': 'f', 'ᵍ': 'g', 'ʰ': 'h', 'ⁱ': 'i', 'ʲ': 'j',
	'ᵏ': 'k', 'ˡ': 'l', 'ᵐ': 'm', 'ⁿ': 'n', 'ᵒ': 'o', 'ᵖ': 'p', 'ʳ': 'r', 'ˢ': 's', 'ᵗ': 't', 'ᵘ': 'u',
	'ᵛ': 'v', 'ʷ': 'w', 'ˣ': 'x', 'ʸ': 'y', 'ᶻ': 'z',
}

var superDigits = map[rune]byte{'⁰': '0', '¹': '1', '²': '2', '³': '3', '⁴': '4', '⁵': '5', '⁶': '6', '⁷': '7', '⁸': '8', '⁹': '9'}

// transposeMark is ᵀ, a modifier letter that lexes as the transpose.
const transposeMark = 'ᵀ'

type lexDef struct{}

func (lexDef) Symbols() map[string]lexer.TokenType { return symbols }

func (lexDef) Lex(filename string, r io.Reader) (lexer.Lexer, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxInputBytes+1))
	if err != nil {
		return nil, err
	}
	return lexDef{}.LexString(filename, string(b))
}

func (lexDef) LexString(filename, src string) (lexer.Lexer, error) {
	toks, err := tokenize(filename, src)
	if err != nil {
		return nil, err
	}
	return &tokenList{toks: toks}, nil
}

type tokenList struct {
	toks []lexer.Token
	i    int
}

func (l *tokenList) Next() (lexer.Token, error) {
	if l.i >= len(l.toks) {
		return l.toks[len(l.toks)-1], nil
	}
	t := l.toks[l.i]
	l.i++
	return t, nil
}

type bracket struct {
	r   rune
	off int32
}

// tokenize splits src into participle's tokens, ending every statement
// with a Newline token and the input with EOF.
func tokenize(filename, src string) ([]lexer.Token, error) {
	sc, err := newScanner(filename, src)
	if err != nil {
		return nil, err
	}
	// About a token per two bytes of definitions.
	toks, _, err := sc.scan(make([]token, 0, len(src)/2+16), false)
	if err != nil {
		return nil, err
	}
	lc := lineCounter{filename: filename, src: src, line: 1, col: 1}
	return lc.tokens(make([]lexer.Token, 0, len(toks)), toks), nil
}

// A lineCounter turns byte offsets into positions (line, and column in
// characters) for offsets that do not decrease from one call to the
// next: reading the input once, whatever the number of tokens.
type lineCounter struct {
	filename, src string
	off           int // the input before off has been counted
	line, col     int // the position of off
}

// pos returns the position of byte offset off, which may not be less than
// the offset of the call before.
func (lc *lineCounter) pos(off int) lexer.Position {
	if off < lc.off { // not expected: count again from the start
		lc.off, lc.line, lc.col = 0, 1, 1
	}
	src := lc.src[:min(off, len(lc.src))]
	line, col := lc.line, lc.col
	for i := lc.off; i < len(src); i++ {
		switch c := src[i]; {
		case c == '\n':
			line++
			col = 1
		case c < utf8.RuneSelf || c >= 0xC0: // the first byte of a character
			col++
		}
	}
	lc.off, lc.line, lc.col = len(src), line, col
	return lexer.Position{Filename: lc.filename, Offset: off, Line: line, Column: col}
}

// tokens appends participle's tokens for toks (in the order the scanner
// made them) to out.
func (lc *lineCounter) tokens(out []lexer.Token, toks []token) []lexer.Token {
	for i := range toks {
		t := &toks[i]
		out = append(out, lexer.Token{Type: lexer.TokenType(t.Type), Value: t.Value, Pos: lc.pos(int(t.off))})
	}
	return out
}

// stopBytes is how much input the scanner reads between two looks at
// its context: a fraction of a millisecond.
const stopBytes = 1 << 16

// A scanner reads src a statement at a time (scan with stmt set), so that
// the fast path needs the tokens of one statement at once, not of the
// whole input. It counts no lines or columns: a token keeps its byte
// offset, and a position is computed from it when one is needed.
type scanner struct {
	filename, src string
	stack         []bracket
	off           int
	last          string // value of the last significant token, "" after a newline
	done          bool   // EOF has been emitted
	greekEnd      int    // where the last Greek letter read as its name (λ as lambda) ends
	stop          *stopper
}

// newScanner checks the input as a whole (its size, its encoding) and
// returns a scanner at its start.
func newScanner(filename, src string) (*scanner, error) {
	if len(src) > MaxInputBytes {
		return nil, &Error{Pos: Pos{Filename: filename, Line: 1, Col: 1},
			Msg: fmt.Sprintf("input too large: %d bytes (the limit is %d MiB)", len(src), MaxInputBytes>>20)}
	}
	if !utf8.ValidString(src) {
		off := 0
		for off < len(src) {
			r, size := utf8.DecodeRuneInString(src[off:])
			if r == utf8.RuneError && size == 1 {
				break
			}
			off += size
		}
		return nil, errorAt(src, posOf(filename, src, off), "the input is not valid UTF-8")
	}
	return &scanner{filename: filename, src: src}, nil
}

// errorAt makes an Error at byte offset off.
func (sc *scanner) errorAt(off int, format string, args ...any) *Error {
	return errorAt(sc.src, posOf(sc.filename, sc.src, off), format, args...)
}

// scan appends tokens to toks: up to and including the Newline that ends
// the next statement when stmt is set, else to the end of the input. It
// reports true when the input is done (EOF appended).
func (sc *scanner) scan(toks []token, stmt bool) ([]token, bool, error) {
	if sc.done {
		return toks, true, nil
	}
	var (
		src   = sc.src
		stack = sc.stack
		off   = sc.off
		last  = sc.last
		ended bool  // a Newline was emitted
		halt  error // the stop, seen while the tokens were copied
	)
	nextCheck := off + stopBytes
	defer func() {
		sc.stack, sc.off, sc.last = stack, off, last
	}()
	emit := func(typ tokType, val string, at int) {
		if len(toks) == cap(toks) {
			// Doubled, where append grows a long slice by a quarter: one
			// statement may be the whole input (sin(sin(...)) 10,000
			// deep), and its tokens are then copied twice, not five times.
			grown, err := growPolled(toks, sc.stop)
			if err != nil {
				// The token is dropped: the scan returns the stop at its
				// next look, below, or after the loop.
				halt, nextCheck = err, off
				return
			}
			toks = grown
		}
		toks = append(toks, token{Type: typ, Value: val, off: int32(at)})
		if typ == tokNewline {
			last = ""
			ended = true
		} else {
			last = val
			if typ != tokPunct {
				last = "x" // any operand
			}
		}
	}
	for off < len(src) && !(stmt && ended) {
		if off >= nextCheck {
			nextCheck = off + stopBytes
			if err := sc.stop.check(); err != nil {
				return toks, false, err
			}
		}
		// ASCII names, numbers and spaces, most of any input, are read
		// byte by byte; everything else rune by rune below.
		// One load of a table sorts the byte, where comparisons took up
		// to nine (TestByteClasses holds it to the predicates).
		switch c := src[off]; byteClass[c] {
		case classSpace:
			off++
			continue
		case className:
			end := off + 1
			for end < len(src) && isNameByte(src[end]) {
				end++
			}
			if end == len(src) || src[end] < utf8.RuneSelf {
				emit(tokIdent, src[off:end], off)
				off = end
				continue
			}
			// A letter or mark that is not ASCII follows: the general case.
		case classDigit:
			n := scanNumber(src[off:])
			emit(tokNumber, numberText(src[off:off+n]), off)
			off += n
			continue
		case classDot:
			if off+1 < len(src) && isDigit(src[off+1]) { // .5
				n := scanNumber(src[off:])
				emit(tokNumber, numberText(src[off:off+n]), off)
				off += n
				continue
			}
		case classOther:
			// A byte that is the one spelling starting with it (( ) * +
			// , / ^ but not - or :) is its token, and a bracket that
			// nests no deeper than allowed or closes the one open is
			// its token too: as the general reading below does, without
			// decoding a character or comparing tokens as strings. A
			// bracket that is an error goes the general way, which says
			// what is wrong.
			if c >= utf8.RuneSelf || !asciiPunct[c] {
				break
			}
			ss := spellings[c]
			if len(ss) != 1 || len(ss[0].text) != 1 {
				break
			}
			switch c {
			case '(', '[':
				if len(stack) >= MaxNesting {
					goto general
				}
				stack = append(stack, bracket{r: rune(c), off: int32(off)})
			case ')', ']':
				want := rune('(')
				if c == ']' {
					want = '['
				}
				if len(stack) == 0 || stack[len(stack)-1].r != want {
					goto general
				}
				stack = stack[:len(stack)-1]
			}
			emit(tokPunct, ss[0].token, off)
			off++
			continue
		}
	general:
		r, size := rune(src[off]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(src[off:])
		}
		p := off
		val, width := "", 0
		switch {
		case r < utf8.RuneSelf && asciiPunct[r]:
			// ( ) * + - := and the like, most of what is not a name or a
			// number: straight to the punctuation below, and a byte that
			// is the one spelling starting with it (( ) * + but not - or
			// :) is its token without trying spellings.
			if ss := spellings[r]; len(ss) == 1 && len(ss[0].text) == 1 {
				val, width = ss[0].token, 1
			}
			fallthrough
		default:
			if val == "" {
				for _, s := range spellings[src[off]] {
					if strings.HasPrefix(src[off:], s.text) {
						val, width = s.token, len(s.text)
						break
					}
				}
			}
			if val == "" {
				return nil, false, sc.errorAt(p, "unexpected character %q", r)
			}
			switch val {
			case "(", "[":
				stack = append(stack, bracket{r: rune(val[0]), off: int32(p)})
				if len(stack) > MaxNesting {
					return nil, false, sc.errorAt(p, "nested too deeply: more than %d levels of brackets", MaxNesting)
				}
			case ")", "]":
				want := '('
				if val == "]" {
					want = '['
				}
				if len(stack) == 0 {
					return nil, false, sc.errorAt(p, "unmatched %q: there is no %q before it", val, string(want))
				}
				top := stack[len(stack)-1]
				if top.r != want {
					closer := ")"
					if top.r == '[' {
						closer = "]"
					}
					open := posOf(sc.filename, src, int(top.off))
					return nil, false, sc.errorAt(p, "expected %q to close the %q at %d:%d, found %q", closer, string(top.r), open.Line, open.Col, val)
				}
				stack = stack[:len(stack)-1]
			}
			emit(tokPunct, val, p)
			off += width
		case r == '\n':
			// last is "x" after any operand (most lines end with one),
			// which continues nothing: no lookup.
			if len(stack) == 0 && last != "" && (last == "x" || !continues[last]) {
				emit(tokNewline, "\n", p)
			}
			off++
		case r == ' ' || r == '\t' || r == '\r' || r == '\f' || r == '\u00a0':
			off += size
		case r == '#':
			end := strings.IndexByte(src[off:], '\n')
			if end < 0 {
				end = len(src) - off
			}
			off += end
		case r == transposeMark:
			// Xᵀ: the modifier letter is the transpose, not part of a name.
			emit(tokPunct, ast.Operators[ast.OpTranspose].Token, p)
			off += size
		case r >= utf8.RuneSelf && isUnicodeForm(r, src[off+size:]):
			// Subscripts, superscript letters, ∧ ∨ ¬, Σ_: the printer's
			// Unicode forms, read out of line (uniToken) so that this
			// loop, which reads every byte of the input, stays small.
			var err error
			if toks, off, err = sc.uniToken(toks, off); err != nil {
				return nil, false, err
			}
			last = toks[len(toks)-1].Value
			if toks[len(toks)-1].Type != tokPunct {
				last = "x"
			}
		case unicode.IsLetter(r) || r == '_':
			end := off + size
			for end < len(src) {
				r2, s2 := utf8.DecodeRuneInString(src[end:])
				if r2 == transposeMark || !(unicode.IsLetter(r2) || unicode.IsDigit(r2) || r2 == '_' || unicode.Is(unicode.Mn, r2)) || r2 >= utf8.RuneSelf && (subChars[r2] != 0 || superLetters[r2] != 0) {
					break
				}
				end += s2
			}
			if end-off == size && r >= 0x370 && r <= 0x3FF { // one Greek letter: λ is lambda
				emit(tokIdent, sc.greekIdent(off, end), p)
			} else {
				emit(tokIdent, src[off:end], p)
			}
			off = end
		case r >= utf8.RuneSelf && funcSymbols[r] != "":
			// √x: a function spelled with a symbol rather than letters
			// lexes as its name.
			emit(tokIdent, funcSymbols[r], p)
			off += size
		case r >= '0' && r <= '9' || r == '.' && off+1 < len(src) && src[off+1] >= '0' && src[off+1] <= '9':
			n := scanNumber(src[off:])
			emit(tokNumber, numberText(src[off:off+n]), p)
			off += n
		case r >= utf8.RuneSelf && (superDigits[r] != 0 || r == '⁻'):
			// x² is x^2, x⁻¹² is x^-12: one Super token, a postfix on the
			// operand before it (so A⁻¹.^2 is (A⁻¹).^2 and x⁻¹⁻¹ is
			// (x⁻¹)⁻¹), whose value is the exponent in ASCII.
			off += size
			q := off
			if r == '⁻' && strings.HasPrefix(src[off:], "ᵀ") {
				// A⁻ᵀ is read as A⁻¹, then as inv(A)' (superinv.go).
				emit(tokSuper, superT, p)
				off += len("ᵀ")
				continue
			}
			var buf [24]byte
			digits := buf[:0]
			if r == '⁻' {
				digits = append(digits, '-')
			} else {
				digits = append(digits, superDigits[r])
			}
			for off < len(src) {
				r2, s2 := utf8.DecodeRuneInString(src[off:])
				d := superDigits[r2]
				if d == 0 {
					break
				}
				digits = append(digits, d)
				off += s2
			}
			if len(digits) == 1 && r == '⁻' {
				return nil, false, sc.errorAt(q, "expected a superscript digit after ⁻")
			}
			emit(tokSuper, superValue(digits), p)
		}
	}
	if halt != nil {
		return nil, false, halt
	}
	if stmt && ended {
		return toks, false, nil
	}
	if len(stack) > 0 {
		top := stack[len(stack)-1]
		closer := ")"
		if top.r == '[' {
			closer = "]"
		}
		return nil, false, &Error{Pos: posOf(sc.filename, src, int(top.off)), Msg: fmt.Sprintf("unclosed %q: expected %q before the end of the input", string(top.r), closer),
			Line: lineAt(src, int(top.off)), incomplete: true}
	}
	if last != "" && continues[last] {
		lt := toks[len(toks)-1]
		return nil, false, &Error{Pos: posOf(sc.filename, src, int(lt.off)), Msg: fmt.Sprintf("the input ends after %q: expected an expression", lt.Value),
			Line: lineAt(src, int(lt.off)), incomplete: true}
	}
	if last != "" {
		if emit(tokNewline, "\n", off); halt != nil {
			return nil, false, halt
		}
		if stmt {
			return toks, false, nil // EOF on the next call
		}
	}
	toks = append(toks, token{Type: tokEOF, off: int32(off)})
	sc.done = true
	return toks, true, nil
}

// isUnicodeForm reports whether the character r, followed by rest,
// starts one of the forms uniToken reads.
func isUnicodeForm(r rune, rest string) bool {
	return subChars[r] != 0 || superLetters[r] != 0 || condSymbols[r] != "" || r == sigmaOp && rest != "" && rest[0] == '_'
}

// uniToken appends the token(s) of the Unicode form at off (see
// isUnicodeForm) to toks and returns the offset after it.
func (sc *scanner) uniToken(toks []token, off int) ([]token, int, error) {
	src := sc.src
	p := off
	r, size := utf8.DecodeRuneInString(src[off:])
	emit := func(typ tokType, val string, at int) {
		toks = append(toks, token{Type: typ, Value: val, off: int32(at)})
	}
	switch {
	case subChars[r] != 0:
		// xᵢⱼ, x₁₂: a run of subscripts, which must follow a name
		// directly. They are letters and digits to Unicode (ᵢ is a
		// modifier letter), so a name stops before them.
		if n := len(toks); n == 0 || toks[n-1].Type != tokIdent || int(toks[n-1].off)+len(toks[n-1].Value) != p && sc.greekEnd != p {
			return nil, 0, sc.errorAt(p, "a subscript must follow a name directly, as in xᵢ (or write x[i])")
		}
		var buf [8]byte
		sub := buf[:0]
		for off < len(src) {
			r2, s2 := utf8.DecodeRuneInString(src[off:])
			c := subChars[r2]
			if c == 0 {
				break
			}
			sub = append(sub, c)
			off += s2
		}
		emit(tokSub, string(sub), p)
	case superLetters[r] != 0:
		// xⁿ is x^n: one letter, the exponent's name. xⁿᵐ (x^(n*m)?
		// a name nm?) and x²ⁿ (x^(2*n)? (x²)ⁿ?) are refused.
		c := superLetters[r]
		next, _ := utf8.DecodeRuneInString(src[off+size:])
		if superLetters[next] != 0 || superDigits[next] != 0 || next == '⁻' {
			return nil, 0, sc.errorAt(p, "the superscript %s%s is ambiguous: a letter alone is an exponent (xⁿ); write ^(...) for more", string(r), string(next))
		}
		if n := len(toks); n > 0 && toks[n-1].Type == tokSuper && int(toks[n-1].off)+len(superText(toks[n-1].Value)) == p {
			return nil, 0, sc.errorAt(p, "the superscript %s%s is ambiguous: a letter alone is an exponent (xⁿ); write ^(...) for more", superText(toks[n-1].Value), string(r))
		}
		emit(tokSuper, string(rune(c)), p)
		off += size
	case condSymbols[r] != "":
		// x > 0 ∧ y < 1: the connective's word.
		emit(tokIdent, condSymbols[r], p)
		off += size
	default: // Σ_
		// Σ_{i=1}^{n}: the _ is a token here, not part of a name.
		emit(tokIdent, src[off:off+size], p)
		emit(tokPunct, "_", p+size)
		off += size + 1
	}
	return toks, off, nil
}

// greekIdent returns the name the Greek letter src[off:end] reads as,
// out of scan's loop, which every byte of the input goes through.
//
//go:noinline
func (sc *scanner) greekIdent(off, end int) string {
	if latin, ok := greekName(sc.src[off:end], sc.src[end:]); ok {
		sc.greekEnd = end
		return latin
	}
	return sc.src[off:end]
}

// greekName returns the name a Greek letter followed by rest reads as:
// λ is lambda, as lambda prints as λ (ast.LatinName), so that the two are
// one name. The letter stays notation where it is one: σ( φ( Φ( δ( call
// the built-in the letter spells (σ(x) is the sigmoid also where sigma is
// the user's function, which prints as sigma(x)), Σ( and Σ_ start a sum,
// and δⱼₖ is Kronecker's delta.
func greekName(letter, rest string) (string, bool) {
	latin, ok := ast.LatinName(letter)
	if !ok {
		return "", false
	}
	next, _ := utf8.DecodeRuneInString(strings.TrimLeft(rest, " \t"))
	if next == '(' {
		if _, builtin := ast.LookupFunc(letter); builtin || letter == string(sigmaOp) {
			return "", false
		}
	}
	if r, _ := utf8.DecodeRuneInString(rest); subChars[r] != 0 && (letter == "δ" || letter == string(sigmaOp)) {
		return "", false
	}
	return latin, true
}

// The classes of byteClass: the kinds of byte scan's loop reads without
// decoding a character. classOther is every other byte (punctuation, a
// line break, #, the bytes of characters that are not ASCII).
const (
	classOther uint8 = iota
	classSpace       // ' ', \t, \r, \f
	className        // an ASCII letter or _, which starts a name
	classDigit       // 0-9, which starts a number
	classDot         // ., which starts a number when a digit follows
)

// byteClass is the class of each byte.
var byteClass = [256]uint8{
	' ': classSpace, '\t': classSpace, '\r': classSpace, '\f': classSpace, '_': className, '.': classDot,
	'0': classDigit, '1': classDigit, '2': classDigit, '3': classDigit, '4': classDigit,
	'5': classDigit, '6': classDigit, '7': classDigit, '8': classDigit, '9': classDigit,
	'a': className, 'b': className, 'c': className, 'd': className, 'e': className, 'f': className, 'g': className, 'h': className, 'i': className, 'j': className, 'k': className, 'l': className, 'm': className,
	'n': className, 'o': className, 'p': className, 'q': className, 'r': className, 's': className, 't': className, 'u': className, 'v': className, 'w': className, 'x': className, 'y': className, 'z': className,
	'A': className, 'B': className, 'C': className, 'D': className, 'E': className, 'F': className, 'G': className, 'H': className, 'I': className, 'J': className, 'K': className, 'L': className, 'M': className,
	'N': className, 'O': className, 'P': className, 'Q': className, 'R': className, 'S': className, 'T': className, 'U': className, 'V': className, 'W': className, 'X': className, 'Y': className, 'Z': className,
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isNameByte reports whether c continues an ASCII name: a letter, _ or
// digit is of class className or classDigit (2 or 3), so one load and
// one compare, where a bit table took five instructions and the byte's
// predicates up to five comparisons.
func isNameByte(c byte) bool { return byteClass[c]-className <= classDigit-className }

// scanNumber returns the length of the number literal at the start of s:
// digits, an optional fraction and an optional exponent (only when digits
// follow, so 2e is 2 then e and 1..n is 1, .., n).
func scanNumber(s string) int {
	i := 0
	digits := func() {
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	digits()
	if i+1 < len(s) && s[i] == '.' && s[i+1] >= '0' && s[i+1] <= '9' {
		i++
		digits()
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		} else if strings.HasPrefix(s[j:], minusSign) {
			j += len(minusSign) // 1e−30, as the Unicode printer writes it
		}
		if j < len(s) && s[j] >= '0' && s[j] <= '9' {
			i = j
			digits()
		}
	}
	return i
}

// minusSign is the Unicode minus, which the Unicode printer writes in
// the exponent of a number too (1e−30).
const minusSign = "−"

// numberText returns the literal lit in ASCII: the exponent's Unicode
// minus (1e−30) as -. Only such a literal is copied.
func numberText(lit string) string {
	if len(lit) < 4 || strings.IndexByte(lit, minusSign[0]) < 0 {
		return lit
	}
	return strings.Replace(lit, minusSign, "-", 1)
}

// posOf computes the position of byte offset off in src.
func posOf(filename, src string, off int) Pos {
	line, col := 1, 1
	for _, r := range src[:off] {
		if r == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return Pos{Filename: filename, Offset: off, Line: line, Col: col}
}
