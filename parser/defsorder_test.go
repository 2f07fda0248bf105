package parser

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// reverseDefs is n definitions each using the next, defined on a later
// line: a0 := a1 + 1, a1 := a2 + 1, ..., and the last a name of its own.
func reverseDefs(n int) string {
	var b strings.Builder
	for i := range n - 1 {
		fmt.Fprintf(&b, "a%d := a%d + 1\n", i, i+1)
	}
	fmt.Fprintf(&b, "a%d := x\n", n-1)
	return b.String()
}

// allocated is what parsing src allocates, in bytes: a count of work
// that load does not change.
func allocated(t *testing.T, src string) uint64 {
	t.Helper()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, err := ParseFile("rev.sd", src, nil); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestReverseDefsLinear: definitions in reverse order (each uses the
// next, defined later) are read in linear work. Each name is used before
// it is defined, then defined and so forgotten by the table of uses,
// which thus holds few names and rebuilds its slots every few lines; each
// rebuild copied the records into new arrays of their whole capacity,
// about as many as the file's names, so 100,000 lines did not finish in
// 20 s. Twice the lines must cost about twice the allocation (it was four
// times), and no more per line than a forward file's.
func TestReverseDefsLinear(t *testing.T) {
	forward := func(n int) string {
		var b strings.Builder
		fmt.Fprintf(&b, "a%d := x\n", n-1)
		for i := n - 2; i >= 0; i-- {
			fmt.Fprintf(&b, "a%d := a%d + 1\n", i, i+1)
		}
		return b.String()
	}
	var rev [2]uint64
	for k, n := range []int{10_000, 20_000} {
		r, f := allocated(t, reverseDefs(n)), allocated(t, forward(n))
		t.Logf("%d lines: %d bytes in reverse order, %d in forward order", n, r, f)
		if float64(r) > 2*float64(f) {
			t.Errorf("%d lines: %d bytes in reverse order, more than twice the %d of forward order", n, r, f)
		}
		rev[k] = r
	}
	if float64(rev[1]) > 2.6*float64(rev[0]) {
		t.Errorf("twice the definitions allocate %.2f times as much: not linear", float64(rev[1])/float64(rev[0]))
	}
}

// TestDefsAnyOrder: the definitions of a random graph read in a random
// order are those read in an order where each name is defined before its
// uses (the same nodes), and a cycle is reported at the line that closes
// it, naming a path of the graph from that line's name back to it. Names
// used and never defined are free.
func TestDefsAnyOrder(t *testing.T) {
	for seed := range uint64(300) {
		rng := rand.New(rand.NewPCG(seed, 8))
		n := 2 + rng.IntN(60)
		uses := make([][]int, n) // d_i uses d_j, j > i: acyclic
		for i := range n {
			for j := i + 1; j < n; j++ {
				if rng.IntN(n) < 2 {
					uses[i] = append(uses[i], j)
				}
			}
		}
		cyclic := seed%3 == 0
		if cyclic {
			// One edge back: j uses i < j, a cycle if i reaches j.
			i, j := rng.IntN(n-1), 0
			j = i + 1 + rng.IntN(n-1-i)
			uses[i] = append(uses[i], j)
			uses[j] = append(uses[j], i)
		}
		line := func(i int) string {
			terms := []string{"x", fmt.Sprint(i)}
			for _, j := range uses[i] {
				terms = append(terms, fmt.Sprintf("d%d", j))
			}
			if rng.IntN(3) == 0 {
				terms = append(terms, fmt.Sprintf("free%d", rng.IntN(5)))
			}
			rng.Shuffle(len(terms), func(a, b int) { terms[a], terms[b] = terms[b], terms[a] })
			return fmt.Sprintf("d%d := %s", i, strings.Join(terms, " + "))
		}
		lines := make([]string, n)
		for i := range n {
			lines[i] = line(i)
		}
		order := rng.Perm(n)
		var src strings.Builder
		for _, i := range order {
			src.WriteString(lines[i] + "\n")
		}
		stmts, err := ParseFile("g.sd", src.String(), nil)
		if !cyclic {
			if err != nil {
				t.Fatalf("seed %d: %v\n%s", seed, err, src.String())
			}
			// The reference: each definition after the ones it uses.
			var topo strings.Builder
			for i := n - 1; i >= 0; i-- {
				topo.WriteString(lines[i] + "\n")
			}
			want, err := ParseFile("g.sd", topo.String(), nil)
			if err != nil {
				t.Fatal(err)
			}
			body := map[string]ast.Expr{}
			for _, st := range want {
				d := st.Stmt.(*ast.DefStmt).Def
				body[d.Name] = d.Body
			}
			for _, st := range stmts {
				d := st.Stmt.(*ast.DefStmt).Def
				if body[d.Name] != d.Body {
					t.Fatalf("seed %d: %s := %s, in dependency order %s", seed, d.Name, ast.String(d.Body), ast.String(body[d.Name]))
				}
			}
			continue
		}
		// The first line whose definition closes a cycle among those
		// read so far.
		defined := map[int]bool{}
		closes := -1
		for k, i := range order {
			defined[i] = true
			if reaches(uses, defined, i, i) {
				closes = k
				break
			}
		}
		if closes < 0 {
			if err != nil {
				t.Fatalf("seed %d: no cycle, yet %v", seed, err)
			}
			continue
		}
		if err == nil {
			t.Fatalf("seed %d: the cycle through d%d at line %d is not reported\n%s", seed, order[closes], closes+1, src.String())
		}
		msg := err.Error()
		prefix := fmt.Sprintf("g.sd:%d:1: recursive definition: d%d → ", closes+1, order[closes])
		if !strings.HasPrefix(msg, prefix) {
			t.Fatalf("seed %d: %q, want it to start %q", seed, msg, prefix)
		}
		path := strings.Split(strings.SplitN(strings.TrimPrefix(msg, "g.sd:"), ": recursive definition: ", 2)[1], "\n")[0]
		names := strings.Split(path, " → ")
		if names[0] != names[len(names)-1] {
			t.Fatalf("seed %d: %q is not a cycle", seed, path)
		}
		for k := 1; k < len(names); k++ {
			var a, b int
			fmt.Sscanf(names[k-1], "d%d", &a)
			fmt.Sscanf(names[k], "d%d", &b)
			edge := false
			for _, j := range uses[a] {
				edge = edge || j == b
			}
			if !edge {
				t.Fatalf("seed %d: %q: d%d does not use d%d", seed, path, a, b)
			}
		}
	}
}

// reaches reports whether from reaches to by one use or more through
// defined names.
func reaches(uses [][]int, defined map[int]bool, from, to int) bool {
	seen := map[int]bool{}
	stack := []int{from}
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, j := range uses[i] {
			if !defined[j] {
				continue
			}
			if j == to {
				return true
			}
			if !seen[j] {
				seen[j] = true
				stack = append(stack, j)
			}
		}
	}
	return false
}
