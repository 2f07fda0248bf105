package session

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/parser/parsetest"
)

// TestReadSourceContextAgrees: read under a context that is never done,
// a file is what ReadSource reads, and an error is its error, word for
// word: sizes around the piece, multi-byte characters across pieces, an
// empty file, a missing one, a directory.
func TestReadSourceContextAgrees(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(7, 7))
	alphabet := []rune("x+1 σ(z)*\n#ŷ")
	var files []string
	for _, n := range []int{0, 1, readPiece - 1, readPiece, readPiece + 1, 2*readPiece + 3, rng.IntN(3 * readPiece)} {
		var b strings.Builder
		for b.Len() < n {
			b.WriteRune(alphabet[rng.IntN(len(alphabet))])
		}
		f := filepath.Join(dir, "f"+string(rune('a'+len(files)))+".sd")
		if err := os.WriteFile(f, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	files = append(files, filepath.Join(dir, "missing.sd"), dir)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for _, f := range files {
		want, werr := ReadSource(f)
		got, gerr := ReadSourceContext(ctx, f)
		if got != want || (werr == nil) != (gerr == nil) || werr != nil && werr.Error() != gerr.Error() {
			t.Errorf("%s: ReadSourceContext read %d bytes, %v; ReadSource %d bytes, %v", f, len(got), gerr, len(want), werr)
		}
	}
}

// TestReadSourceContextStops: a Ctrl-C while a 16 MB script is read (the
// REPL's :load) stops the read at its next piece, with the words of an
// interrupted read. The stop falls at the first, second and tenth look,
// counted in looks, so load cannot move it.
func TestReadSourceContextStops(t *testing.T) {
	f := filepath.Join(t.TempDir(), "big.sd")
	if err := os.WriteFile(f, []byte(strings.Repeat("x1 + x2\n", 2<<20)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 1, 9} {
		ctx := parsetest.CancelAfter(n)
		src, err := ReadSourceContext(ctx, f)
		if want := f + ": interrupted (reading the script)"; err == nil || err.Error() != want || !errors.Is(err, context.Canceled) || src != "" {
			t.Errorf("stop at look %d: read %d bytes, error %v; want %q", n+1, len(src), err, want)
		}
		// One look a piece: the read went no further than the piece
		// after the stop.
		if ctx.Asked() != n+1 {
			t.Errorf("stop at look %d: %d looks", n+1, ctx.Asked())
		}
	}
}
