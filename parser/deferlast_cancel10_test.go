package parser

import (
	"context"
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// mentionsLastByByte is MentionsLast as it was, looking at every byte:
// the oracle of the version that jumps from one _ to the next.
func mentionsLastByByte(src string) bool {
	word := func(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }
	for i := 0; i < len(src); i++ {
		if src[i] != '_' {
			continue
		}
		before, _ := utf8.DecodeLastRuneInString(src[:i])
		after, _ := utf8.DecodeRuneInString(src[i+1:])
		if (i == 0 || !word(before)) && (i+1 == len(src) || !word(after)) {
			return true
		}
	}
	return false
}

// TestMentionsLastAgrees: on 20,000 random strings of names, _, digits,
// Greek letters, operators and broken UTF-8, MentionsLast gives the
// byte-by-byte scan's answer.
func TestMentionsLastAgrees(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 1))
	pieces := []string{"_", "_", "x", "a_b", "_1", "1", " ", "+", "(", ")", "*", "α", "_α", "β_", "\xff", "\xce", ",", "\n", "__", "sum"}
	yes := 0
	for i := range 20_000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		src := b.String()
		got, want := MentionsLast(src), mentionsLastByByte(src)
		if got != want {
			t.Fatalf("case %d: MentionsLast(%q) = %v, want %v", i, src, got, want)
		}
		if got {
			yes++
		}
	}
	if yes < 2000 || yes > 18_000 {
		t.Errorf("%d of 20,000 strings mention _: the cases do not test both answers", yes)
	}
}

// TestStoppedStatementNotDeferred: a statement whose lowering is stopped
// by its context gives the context's error, with DeferLast too and when
// it mentions _: statement now returns the stop at once, where it took
// the statement for one to read again once _ is known and scanned its
// whole text for _ first (the parse then still ended with the stop).
func TestStoppedStatementNotDeferred(t *testing.T) {
	var b strings.Builder
	b.WriteString("_ + u30000 where u1 = sin(x)")
	for i := 2; i <= 30_000; i++ {
		b.WriteString(", u")
		b.WriteString(strconv.Itoa(i))
		b.WriteString(" = sin(u")
		b.WriteString(strconv.Itoa(i - 1))
		b.WriteString(")")
	}
	src := b.String() + "\n"
	for _, after := range []int{1, 5, 20, 60} {
		ctx := &cancelAfter{n: int64(after)}
		ctx.Context, ctx.cancel = context.WithCancel(context.Background())
		_, err := ParseFileContext(ctx, "deep.sd", src, &Context{DeferLast: true})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled after %d looks: %v, want context.Canceled", after, err)
		}
	}
}

// cancelAfter is cancelled from the (n+1)th call of its Err on (as
// parsetest.CancelAfter, which this package's tests cannot import).
type cancelAfter struct {
	context.Context
	cancel context.CancelFunc
	n      int64
}

func (c *cancelAfter) Err() error {
	if c.n--; c.n < 0 {
		c.cancel()
		return context.Canceled
	}
	return c.Context.Err()
}
