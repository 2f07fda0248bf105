package parser

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestByteClasses: byteClass sorts every byte as the predicates do.
func TestByteClasses(t *testing.T) {
	for c := range 256 {
		b := byte(c)
		want := classOther
		switch {
		case b == ' ' || b == '\t' || b == '\r' || b == '\f':
			want = classSpace
		case isASCIILetter(b) || b == '_':
			want = className
		case isDigit(b):
			want = classDigit
		case b == '.':
			want = classDot
		}
		if byteClass[b] != want {
			t.Errorf("byteClass[%q] = %d, want %d", b, byteClass[b], want)
		}
	}
}

// TestByteClassesMatchGeneral: scan's shortcuts for ASCII (names,
// numbers and spaces by byteClass, one-byte punctuation without trying
// its spellings) give the tokens, or the error, that the general reading
// of a character gives, on random inputs, mutated. Without them every
// byte goes through the decoding of a character and the spellings.
func TestByteClassesMatchGeneral(t *testing.T) {
	savedClass, savedPunct := byteClass, asciiPunct
	defer func() { byteClass, asciiPunct = savedClass, savedPunct }()
	r := rand.New(rand.NewPCG(8, 21))
	checked := 0
	for n := range 4000 {
		src := randomScript(r)
		if n%2 == 1 {
			src = mutate(r, src)
		}
		byteClass, asciiPunct = savedClass, savedPunct
		got, gotErr := scanAll(src)
		byteClass, asciiPunct = [256]uint8{}, [len(asciiPunct)]bool{}
		want, wantErr := scanAll(src)
		if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) || !slices.Equal(got, want) {
			t.Fatalf("%q:\nwith the shortcuts %v %v\nwithout them       %v %v", src, got, gotErr, want, wantErr)
		}
		checked += len(got)
	}
	if checked < 50000 {
		t.Errorf("%d tokens checked", checked)
	}
}
