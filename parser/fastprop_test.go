package parser

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
	"unsafe"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/ast"
)

// The fast path's tokens carry byte offsets only; lines and columns are
// computed from them (lineCounter for participle's tokens, source.pos for
// the lowerer's errors and the statements' places). The tests here check
// the fast path against participle's on inputs with mistakes at random
// places, and every position against an independent count of the input.

// fragments are pieces of the language that mutations insert: brackets,
// operators in ASCII and Unicode, keywords, line breaks, comments.
var fragments = []string{
	"(", ")", "[", "]", "{", "}", "+", "-", "*", "/", "^", "**", ":=", ":", ",", "=", "==", "!=", "<", "<=", ">",
	"..", "->", "'", "\n", "\n\n", " ", "\t", "x", "y1", "1", "2.5", "1e3", ".5", "sum(", "mean(", "if(", "where ",
	"prove ", "rule ", "deriv ", "assume ", "explain ", " and ", " wrt ", " in ", "σ", "·", "−", "²", "⁻¹", "ᵀ",
	"√", "≠", "→", "≤", "# c\n", "sin(", "d(", "x[i]", "w[1, 2]", "f(u) := ", "X : matrix(n, d)\n", "é", "ŷ",
}

// mutate returns src with a few random edits: a fragment inserted, a
// stretch deleted or repeated, two lines swapped. Edits fall on character
// boundaries, so the input stays UTF-8.
func mutate(r *rand.Rand, src string) string {
	for range 1 + r.IntN(3) {
		at := boundary(src, r.IntN(len(src)+1))
		switch r.IntN(5) {
		case 0, 1:
			src = src[:at] + fragments[r.IntN(len(fragments))] + src[at:]
		case 2:
			end := boundary(src, min(len(src), at+r.IntN(8)))
			src = src[:at] + src[end:]
		case 3:
			end := boundary(src, min(len(src), at+r.IntN(12)))
			src = src[:end] + src[at:end] + src[end:]
		default:
			lines := strings.Split(src, "\n")
			i, j := r.IntN(len(lines)), r.IntN(len(lines))
			lines[i], lines[j] = lines[j], lines[i]
			src = strings.Join(lines, "\n")
		}
	}
	return src
}

// boundary moves off back to the start of the character it falls in.
func boundary(s string, off int) int {
	for off > 0 && off < len(s) && !utf8.RuneStart(s[off]) {
		off--
	}
	return off
}

// randomExpr returns the text of a random expression of at most the
// given depth, in ASCII or with Unicode spellings.
func randomExpr(r *rand.Rand, depth int, uni bool) string {
	if depth <= 0 || r.IntN(6) == 0 {
		return []string{"x", "y", "z1", "2", "0.5", "3e2", "a[i]", "c[i, 2]", "pi", "ŷ", "w_2"}[r.IntN(11)]
	}
	x, y := randomExpr(r, depth-1, uni), randomExpr(r, depth-1, uni)
	ops := []string{" + ", " - ", "*", "/", "^"}
	if uni {
		ops = []string{" + ", " − ", "·", "/", "^"}
	}
	switch r.IntN(9) {
	case 0, 1, 2:
		return x + ops[r.IntN(len(ops))] + y
	case 3:
		return "(" + x + ")"
	case 4:
		return "-" + x
	case 5:
		return []string{"sin", "log", "sigma", "exp", "sqrt"}[r.IntN(5)] + "(" + x + ")"
	case 6:
		return "sum(i=1..n, " + x + ")"
	case 7:
		if uni {
			return "√(" + x + ")²"
		}
		return "max(" + x + ", " + y + ")"
	default:
		return "if(" + x + " > " + y + ", " + x + ", " + y + ")"
	}
}

// randomScript returns random statements: expressions, definitions and
// proofs of random expressions.
func randomScript(r *rand.Rand) string {
	uni := r.IntN(3) == 0
	var b strings.Builder
	for i := range 1 + r.IntN(6) {
		e := randomExpr(r, 1+r.IntN(4), uni)
		switch r.IntN(4) {
		case 0:
			fmt.Fprintf(&b, "v%d := %s\n", i, e)
		case 1:
			fmt.Fprintf(&b, "prove %s == %s\n", e, randomExpr(r, 2, uni))
		default:
			b.WriteString(e + "\n")
		}
	}
	return b.String()
}

// checkPaths parses src the fast way and participle's way and requires
// the same statements or the same error, byte for byte, and every
// position to be where an independent count of src puts its offset.
func checkPaths(t *testing.T, name, src string) {
	t.Helper()
	same := cmp.Options{
		cmp.AllowUnexported(Statement{}, nodeAt{}),
		cmp.Comparer(func(a, b ast.Expr) bool { return a == b }), // hash-consed
		cmp.Comparer(func(a, b *source) bool { return a.filename == b.filename && a.text == b.text }),
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fast, fastErr := parseFile(newStopper(ctx), "in.sd", src, nil, true, false)
	slow, slowErr := parseFile(nil, "in.sd", src, nil, false, false)
	if (fastErr == nil) != (slowErr == nil) || fastErr != nil && fastErr.Error() != slowErr.Error() {
		t.Errorf("%s %q: errors differ:\nparticiple: %v\nfast:       %v", name, src, slowErr, fastErr)
		return
	}
	if fastErr != nil {
		var pe *Error
		if !errors.As(fastErr, &pe) {
			t.Errorf("%s %q: error %T, not an *Error: %v", name, src, fastErr, fastErr)
			return
		}
		checkPos(t, name, src, pe.Pos)
		if utf8.ValidString(src) {
			if want := countedLine(src, pe.Pos.Offset); pe.Line != want {
				t.Errorf("%s %q: the error quotes %q, not the line of offset %d, %q", name, src, pe.Line, pe.Pos.Offset, want)
			}
		}
		return
	}
	if diff := cmp.Diff(slow, fast, same); diff != "" {
		t.Errorf("%s %q: statements differ (-participle +fast):\n%s", name, src, diff)
	}
	for _, st := range fast {
		checkPos(t, name, src, st.Pos)
		for _, a := range st.at {
			if a.off < 0 || int(a.off) > len(src) {
				t.Errorf("%s %q: a node recorded at offset %d", name, src, a.off)
			}
		}
		if e, ok := st.Stmt.(*ast.ExprStmt); ok {
			if p, ok := st.PosOf(e.X); !ok || p.Offset < st.Pos.Offset {
				t.Errorf("%s %q: the expression of %q is at %v (%v), before the statement at %v", name, src, st.Text, p, ok, st.Pos)
			} else {
				checkPos(t, name, src, p)
			}
		}
	}
}

// checkPos requires p to be line:column of its offset in src, counted
// here character by character.
func checkPos(t *testing.T, name, src string, p Pos) {
	t.Helper()
	if p.Filename != "in.sd" && p.Filename != "" {
		t.Errorf("%s %q: file name %q", name, src, p.Filename)
	}
	if p.Offset < 0 || p.Offset > len(src) || !utf8.ValidString(src) {
		if p.Offset < 0 || p.Offset > len(src) {
			t.Errorf("%s %q: offset %d outside the input", name, src, p.Offset)
		}
		return
	}
	line, col := 1, 1
	for _, r := range src[:p.Offset] {
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	if p.Line != line || p.Col != col {
		t.Errorf("%s %q: position %d:%d for offset %d, which is at %d:%d", name, src, p.Line, p.Col, p.Offset, line, col)
	}
}

// countedLine returns the line of src that holds offset off, without its
// line break.
func countedLine(src string, off int) string {
	lines := strings.SplitAfter(src, "\n")
	n := 0
	for _, l := range lines {
		if off < n+len(l) || n+len(l) == len(src) {
			return strings.TrimSuffix(strings.TrimSuffix(l, "\n"), "\r")
		}
		n += len(l)
	}
	return ""
}

// TestFastMatchesSlowMutated: on the corpus with random mistakes put in,
// and on random scripts of random expressions (mutated too), the fast path
// and participle's give the same statements or the same error, and every
// position is right.
func TestFastMatchesSlowMutated(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 7))
	corpus := fastCorpus(t)
	n, errs := 0, 0
	for name, src := range corpus {
		for i := range 12 {
			m := mutate(r, src)
			checkPaths(t, fmt.Sprintf("%s (mutation %d)", name, i), m)
			if _, err := ParseFile("in.sd", m, nil); err != nil {
				errs++
			}
			n++
		}
	}
	for i := range 300 {
		src := randomScript(r)
		checkPaths(t, fmt.Sprintf("random %d", i), src)
		checkPaths(t, fmt.Sprintf("random %d mutated", i), mutate(r, src))
		n += 2
	}
	// The mutations must make both kinds of input: a test of errors alone
	// or of clean inputs alone would check half of what it says.
	if errs < n/20 || errs > n-n/20 {
		t.Errorf("%d of %d inputs have an error", errs, n)
	}
}

// TestLongInputPaths: an input past the size at which the lowerer keeps a
// filter of the names defined (newLowerer) gives the same statements or
// error with and without the shortcuts (full checks look every name up),
// and the fast path the same as participle's: names defined, then used
// rightly and wrongly, far into the input.
func TestLongInputPaths(t *testing.T) {
	if testing.Short() {
		t.Skip("parses a few megabytes")
	}
	r := rand.New(rand.NewPCG(15, 9))
	for trial := range 6 {
		var b strings.Builder
		k := 0
		for b.Len() < 80<<10 {
			k++
			fmt.Fprintf(&b, "a%d := y%d*log(sigma(x_%d*w1)) + (1 - y%d)*w%d\n", k, k, k, k, k%5)
			if k%50 == 0 {
				fmt.Fprintf(&b, "p%d[i] := x_%d*q[i]\nf%d(u) := u*a%d\n", k, k, k, k)
			}
		}
		// A last line that uses an earlier name, rightly or not.
		last := []string{
			fmt.Sprintf("z := a%d + a1", k),
			fmt.Sprintf("z := p%d + 1", 50*(1+r.IntN(k/50))),
			fmt.Sprintf("z := f%d + 1", 50*(1+r.IntN(k/50))),
			fmt.Sprintf("z := f%d(2) + p50[3]", 50*(1+r.IntN(k/50))),
			fmt.Sprintf("z := y%d[1]", 1+r.IntN(k)),
			"z := q + 1",
			fmt.Sprintf("a%d := a%d", 1+r.IntN(k/2), k),
			fmt.Sprintf("zz%d + a3", trial),
		}[trial%8+r.IntN(2)]
		src := b.String() + last + "\n"
		checkShortcuts(t, fmt.Sprintf("long %d (%s)", trial, last), src)
		checkPaths(t, fmt.Sprintf("long %d (%s)", trial, last), src)
	}
}

// TestNameFilter: a name added is always found; of names not added, few
// are (a lookup each, nothing worse).
func TestNameFilter(t *testing.T) {
	f := newNameFilter(1 << 16)
	for i := range 4000 {
		f.add(fmt.Sprintf("a%d", i))
	}
	for i := range 4000 {
		if !f.has(fmt.Sprintf("a%d", i)) {
			t.Fatalf("a%d was added and is not found", i)
		}
	}
	wrong := 0
	for i := range 10000 {
		if f.has(fmt.Sprintf("b%d", i)) {
			wrong++
		}
	}
	// Two bits a name, 4,000 names in 65,536 bits: about 1.4%.
	if wrong > 400 {
		t.Errorf("%d of 10,000 names never added are found", wrong)
	}
}

// TestLineCounter: the positions of participle's tokens, counted once
// through the input, are those an independent count gives, Unicode and
// line breaks included; and a counter asked for an offset before its last
// counts again from the start rather than answer wrongly.
func TestLineCounter(t *testing.T) {
	src := "σ(x)·x² −\n  √y ≠ 0 # ŷ\n\nab := [1 <= k]\n"
	toks, err := tokenize("in.sd", src)
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range toks {
		checkPos(t, "tokenize", src, fromLexer(tok.Pos))
	}
	lc := lineCounter{filename: "in.sd", src: src, line: 1, col: 1}
	for _, off := range []int{20, 3, len(src), 0} {
		checkPos(t, "lineCounter", src, fromLexer(lc.pos(off)))
	}
}

// TestTokenSizes: the records the parser keeps per token and per node
// stay as small as this package's comments say.
func TestTokenSizes(t *testing.T) {
	if n := unsafe.Sizeof(token{}); n != 24 {
		t.Errorf("a token is %d bytes, not 24", n)
	}
	if n := unsafe.Sizeof(nodeAt{}); n != 12 {
		t.Errorf("a nodeAt is %d bytes, not 12", n)
	}
	if n := unsafe.Sizeof(spot{}); n != 4 {
		t.Errorf("a spot is %d bytes, not 4", n)
	}
}
