package parser

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/ast"
)

// randomProve returns the text of a random prove statement: sides of
// random expressions (with a where clause now and then, the operators of
// conditions, Unicode spellings), == or != (or ≠), and, when bad is set, a
// few random mistakes put in.
func randomProve(r *rand.Rand, bad bool) string {
	uni := r.IntN(3) == 0
	side := func() string {
		e := randomExpr(r, 1+r.IntN(4), uni)
		if r.IntN(6) == 0 {
			e += " where u1 = " + randomExpr(r, 2, uni)
		}
		return e
	}
	op := []string{" == ", " != ", "==", " ≠ "}[r.IntN(4)]
	s := "prove " + side() + op + side()
	if bad {
		s = mutate(r, s)
	}
	return s
}

// TestProveStmtMatchesParticiple is the oracle of proveStmt: on thousands
// of random prove statements, valid and with mistakes, the fast path's
// tree is the one participle's path builds (slowStmt, on the same
// tokens), it gives up where participle's path fails, and it reads every
// statement participle's path reads (a fast path that gave up on all of
// them would pass the first two checks).
func TestProveStmtMatchesParticiple(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	stmts, valid, invalid := 0, 0, 0
	for i := range 6000 {
		src := randomProve(r, i%2 == 1)
		sc, err := newScanner("in.sd", src)
		if err != nil {
			continue
		}
		lc := &lineCounter{filename: "in.sd", src: src, line: 1, col: 1}
		for {
			toks, _, err := sc.scan(nil, true)
			if err != nil || len(toks) == 0 || toks[len(toks)-1].Type != tokNewline {
				break
			}
			if toks[0].Type != tokIdent || toks[0].Value != "prove" {
				continue
			}
			stmts++
			p := &exprParser{toks: toks}
			fast := p.proveStmt()
			slow := slowStmt(toks, lc, nil)
			text := src[toks[0].off:toks[len(toks)-1].off]
			switch {
			case slow == nil && fast != nil:
				t.Errorf("%q: the fast path read a statement participle rejects", text)
			case slow != nil && fast == nil:
				t.Errorf("%q: the fast path gave up on a statement participle reads", text)
			case slow != nil && !reflect.DeepEqual(fast.Prove, slow.Prove):
				t.Errorf("%q: trees differ:\nparticiple: %#v\nfast:       %#v", text, slow.Prove, fast.Prove)
			case slow != nil:
				valid++
			default:
				invalid++
			}
		}
	}
	t.Logf("%d prove statements: %d read, %d rejected by both paths", stmts, valid, invalid)
	if valid < 2000 || invalid < 500 {
		t.Errorf("only %d valid and %d invalid prove statements of %d", valid, invalid, stmts)
	}
}

// TestProveScriptsMatchParticiple: scripts of prove statements among
// other statements, with mistakes, give through the fast path (ParseFile)
// and through a stream (what symdiff run reads with) the statements or
// the error (with its line:column and caret) of participle's path.
func TestProveScriptsMatchParticiple(t *testing.T) {
	same := cmp.Options{
		cmp.AllowUnexported(Statement{}, nodeAt{}),
		cmp.Comparer(func(a, b ast.Expr) bool { return a == b }), // hash-consed
		cmp.Comparer(func(a, b *source) bool { return a.filename == b.filename && a.text == b.text }),
	}
	// A statement's side table holds the IDs of nodes lowering made and
	// dropped (-(-x) before it is x); a collection between two parses can
	// free such a node and the next parse make it again with another ID.
	// Without collections the IDs of the two parses are comparable.
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	r := rand.New(rand.NewPCG(8, 9))
	errs, ok := 0, 0
	for i := range 800 {
		var b strings.Builder
		bad := -1
		n := 1 + r.IntN(8)
		if i%2 == 1 {
			bad = r.IntN(n)
		}
		for j := range n {
			switch r.IntN(5) {
			case 0:
				fmt.Fprintf(&b, "v%d := %s\n", j, randomExpr(r, 2, false))
			case 1:
				b.WriteString(streamLines[r.IntN(len(streamLines))] + "\n")
			default:
				b.WriteString(randomProve(r, j == bad) + "\n")
			}
		}
		src := b.String()
		name := fmt.Sprintf("script %d", i)
		checkPaths(t, name, src) // fast against participle, errors and positions
		want, wantErr := parseFile(nil, "in.sd", src, nil, false, false)
		got, gotErr := streamAll(context.Background(), src, nil)
		if (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
			t.Errorf("%s %q: errors differ:\nparticiple: %v\nstream:     %v", name, src, wantErr, gotErr)
			continue
		}
		if wantErr != nil {
			errs++
			continue
		}
		ok++
		if diff := cmp.Diff(want, got, same); diff != "" {
			t.Errorf("%s %q: statements differ (-participle +stream):\n%s", name, src, diff)
		}
	}
	if errs < 100 || ok < 100 {
		t.Errorf("%d scripts with an error, %d without", errs, ok)
	}
}
