package parser

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// scanAll returns the tokens of src, a statement at a time as the fast
// path reads it, or the error.
func scanAll(src string) ([]token, error) {
	sc, err := newScanner("in.sd", src)
	if err != nil {
		return nil, err
	}
	var out []token
	for {
		toks, done, err := sc.scan(nil, true)
		if err != nil {
			return nil, err
		}
		out = append(out, toks...)
		if done {
			return out, nil
		}
	}
}

// TestASCIIPunctMatchesGeneral: the scanner's shortcut for ASCII
// punctuation (asciiPunct) gives the tokens, or the error, that the
// general reading of a character gives, on random inputs made of every
// kind of fragment, mutated.
func TestASCIIPunctMatchesGeneral(t *testing.T) {
	saved := asciiPunct
	defer func() { asciiPunct = saved }()
	r := rand.New(rand.NewPCG(15, 9))
	checked := 0
	for n := range 4000 {
		src := randomScript(r)
		if n%2 == 1 {
			src = mutate(r, src)
		}
		asciiPunct = saved
		got, gotErr := scanAll(src)
		asciiPunct = [len(asciiPunct)]bool{}
		want, wantErr := scanAll(src)
		if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) || !slices.Equal(got, want) {
			t.Fatalf("%q:\nwith the shortcut %v %v\nwithout it        %v %v", src, got, gotErr, want, wantErr)
		}
		checked += len(got)
	}
	if checked < 50000 {
		t.Errorf("%d tokens checked", checked)
	}
	n := 0
	for _, p := range saved {
		if p {
			n++
		}
	}
	if n < 15 {
		t.Errorf("asciiPunct holds %d characters: the shortcut is not taken", n)
	}
}

// TestNameBytes: isNameByte is isASCIILetter, isDigit or _ for every byte.
func TestNameBytes(t *testing.T) {
	for c := range 256 {
		b := byte(c)
		if want := isASCIILetter(b) || isDigit(b) || b == '_'; isNameByte(b) != want {
			t.Errorf("isNameByte(%q) = %v, want %v", b, !want, want)
		}
	}
}

// TestOperandContinuesNothing: scan takes a line break after an operand
// (last is "x") as the end of a statement without looking in continues,
// which must then not hold "x".
func TestOperandContinuesNothing(t *testing.T) {
	if continues["x"] {
		t.Fatal(`continues holds "x", the lexer's mark of an operand`)
	}
}
