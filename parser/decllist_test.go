package parser

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestDeclarationList: w, v : vector(d) is the declarations of w and v,
// one a line: random lists of names and shapes, with statements before
// and after, read by ParseFile (the fast path, and the slow one that a
// keyword statement in the input makes it take) and by a Stream, give
// the statements that the same declarations one a line give, each placed
// at its name. It was "unexpected token ','".
func TestDeclarationList(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 9))
	shapes := []string{"vector(d)", "matrix(n, d)", "scalar", "symmetric(3)", "vector(2)"}
	for range 300 {
		var list []string
		for _, n := range rng.Perm(8)[:2+rng.IntN(4)] {
			list = append(list, fmt.Sprintf("a%d", n))
		}
		shape := shapes[rng.IntN(len(shapes))]
		sep := []string{", ", ",", " ,  ", ",\n  "}[rng.IntN(4)]
		before := []string{"", "x := 1\n", "prove x == x\n", "u : vector(n)\n"}[rng.IntN(4)]
		after := []string{"", "\ny := 2", "\nassume q > 0", "\nx1 + 1"}[rng.IntN(4)]
		src := before + strings.Join(list, sep) + " : " + shape + after
		var lines []string
		for _, name := range list {
			lines = append(lines, name+" : "+shape)
		}
		want, err := ParseFile("in.sd", before+strings.Join(lines, "\n")+after, nil)
		if err != nil {
			t.Fatal(err)
		}
		stream, err := streamAll(context.Background(), src, nil)
		if err != nil {
			t.Fatalf("%q (Stream): %v", src, err)
		}
		parsed, err := ParseFile("in.sd", src, nil)
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		for _, got := range [][]*Statement{parsed, stream} {
			if len(got) != len(want) {
				t.Fatalf("%q: %d statements, want %d", src, len(got), len(want))
			}
			for i := range got {
				g, w := got[i].Stmt, want[i].Stmt
				if gd, ok := g.(*ast.DeclStmt); ok {
					wd, ok := w.(*ast.DeclStmt)
					if !ok || gd.Name != wd.Name || gd.Shape.Decl() != wd.Shape.Decl() {
						t.Errorf("%q: statement %d is %s : %s, want %v", src, i, gd.Name, gd.Shape.Decl(), w)
						continue
					}
					// Placed at its name.
					off := strings.Index(src, gd.Name)
					line := 1 + strings.Count(src[:off], "\n")
					col := 1 + off - (strings.LastIndex(src[:off], "\n") + 1)
					if p := got[i].Pos; p.Line != line || p.Col != col {
						t.Errorf("%q: %s is placed at %d:%d, want %d:%d", src, gd.Name, p.Line, p.Col, line, col)
					}
				} else if ast.StmtString(g) != ast.StmtString(w) {
					t.Errorf("%q: statement %d is %s, want %s", src, i, ast.StmtString(g), ast.StmtString(w))
				}
			}
		}
	}
}

// TestDeclarationListErrors: an error in a list of declarations points at
// the name it is about; a list that is not a declaration is an error.
func TestDeclarationListErrors(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"z := 1\nw, z : vector(d)", "in.sd:2:4: z is defined (as z): a declaration gives the shape of an input, not of a defined name\n    w, z : vector(d)\n       ^"},
		{"w, 2 : vector(d)", "in.sd:1:4: the left side of a declaration must be a name, like X : matrix(n, d)\n    w, 2 : vector(d)\n       ^"},
		{"w, v, 2 : scalar", "in.sd:1:7: the left side of a declaration must be a name, like X : matrix(n, d)\n    w, v, 2 : scalar\n          ^"},
		{"x, y", "in.sd:1:2: unexpected \",\": a list of names is a declaration, as in w, v : vector(d); expected an operator or the end of the line\n    x, y\n     ^"},
		{"x, y := 1", "in.sd:1:2: a definition defines one name: write each on its own line (a list of names is for a declaration, as in w, v : vector(d))\n    x, y := 1\n     ^"},
	} {
		_, err := ParseFile("in.sd", c.src, nil)
		if err == nil || err.Error() != c.want {
			t.Errorf("%q: %v\nwant %s", c.src, err, c.want)
		}
		if _, serr := streamAll(context.Background(), c.src, nil); serr == nil || serr.Error() != c.want {
			t.Errorf("%q (Stream): %v\nwant %s", c.src, serr, c.want)
		}
	}
}
