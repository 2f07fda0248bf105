package parser

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestPosCursor: the positions posCursor gives, for offsets mostly
// increasing and sometimes going back, are posOf's (an independent count
// over the runes before the offset), on random text with several lines,
// tabs and multi-byte characters; and so are source.pos's.
func TestPosCursor(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 20))
	pieces := []string{"a", "x_1", " ", "\t", "\n", "σ", "·", "²", "\n\n", ":=", "é"}
	for range 300 {
		var b strings.Builder
		for range r.IntN(200) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		src := b.String()
		s := &source{filename: "f.sd", text: src}
		var c posCursor
		off := 0
		for range 50 {
			switch r.IntN(6) {
			case 0:
				off = r.IntN(len(src) + 1) // back or forward, anywhere
			default:
				off = min(len(src), off+r.IntN(20))
			}
			for off > 0 && off < len(src) && src[off]&0xC0 == 0x80 {
				off-- // the start of a character, as a token's offset is
			}
			want := posOf("f.sd", src, off)
			if got := c.pos(s, off); got != want {
				t.Fatalf("posCursor.pos(%d) in %q = %+v, want %+v", off, src, got, want)
			}
			if got := s.pos(off); got != want {
				t.Fatalf("source.pos(%d) in %q = %+v, want %+v", off, src, got, want)
			}
		}
	}
}

// TestStmtTextOneLine: stmtText of a one-line statement is the same as
// with the search for the last line break (the comment cut, the space
// trimmed), and so for statements of several lines.
func TestStmtTextOneLine(t *testing.T) {
	ref := func(s string) string {
		last := strings.LastIndexByte(s, '\n') + 1
		if i := strings.IndexByte(s[last:], '#'); i >= 0 {
			s = s[:last+i]
		}
		return strings.TrimSpace(s)
	}
	r := rand.New(rand.NewPCG(5, 21))
	pieces := []string{"a", " ", "#", "\n", "b + c", "# note", "\t"}
	for range 2000 {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		if got, want := stmtText(b.String()), ref(b.String()); got != want {
			t.Fatalf("stmtText(%q) = %q, want %q", b.String(), got, want)
		}
	}
}
