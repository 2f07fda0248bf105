package parser

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// The lowerer collects the names a definition's body uses as it lowers
// it, and hands them to Define (ast.Defs.DefineUses), which then does not
// walk the body. The tests here check the collected names against an
// independent walk (ast.NamesUsed, less the parameters) on random
// scripts of every kind of statement, and the parse against the one with
// every check (which walks every body).

// depsAtom returns a random leaf: inputs, earlier definitions, a
// parameter, constants, an index.
func depsAtom(r *rand.Rand, defs []string, params []string) string {
	atoms := []string{"x", "y", "z1", "w_2", "x_1_1", "2", "0.5", "pi", "sigma", "ŷ", "a[2]", "c[1, 2]"}
	switch {
	case len(params) > 0 && r.IntN(3) == 0:
		if params[0] == "i" && r.IntN(2) == 0 {
			return "a[i]"
		}
		return params[r.IntN(len(params))]
	case len(defs) > 0 && r.IntN(3) == 0:
		return defs[r.IntN(len(defs))]
	}
	return atoms[r.IntN(len(atoms))]
}

// depsExpr returns a random expression of at most the given depth, with
// calls of the user's functions fns (name/arity) and repeated parts.
func depsExpr(r *rand.Rand, depth int, defs, params, fns []string) string {
	if depth <= 0 || r.IntN(7) == 0 {
		return depsAtom(r, defs, params)
	}
	sub := func() string { return depsExpr(r, depth-1, defs, params, fns) }
	switch r.IntN(16) {
	case 0, 1, 2:
		return sub() + []string{" + ", " - ", "*", "/", "^", "·", " − "}[r.IntN(7)] + sub()
	case 3:
		return "(" + sub() + ")"
	case 4:
		return "-" + sub()
	case 5, 6:
		return []string{"sin", "log", "sigma", "exp", "sqrt", "σ", "softplus"}[r.IntN(7)] + "(" + sub() + ")"
	case 7:
		// A repeated call: the second is the memo's.
		c := "log(sigma(" + sub() + "))"
		return c + "*" + sub() + " + " + c
	case 8:
		if len(fns) > 0 {
			f := fns[r.IntN(len(fns))]
			name, arity, _ := strings.Cut(f, "/")
			args := []string{}
			for range int(arity[0] - '0') {
				args = append(args, sub())
			}
			return name + "(" + strings.Join(args, ", ") + ")"
		}
		return "max(" + sub() + ", " + sub() + ")"
	case 9:
		return "sum(i=1..n, " + sub() + "*a[i]*delta(i, 2))"
	case 10:
		return "d(" + sub() + ", x)"
	case 11:
		return "if(" + sub() + " > " + sub() + ", " + sub() + ", " + sub() + ")"
	case 12:
		return "(" + sub() + ")²"
	case 13:
		return "delta(1, 2)*" + sub()
	case 14:
		return "max(" + sub() + ", " + sub() + ", " + sub() + ")"
	default:
		return sub() + "*" + sub() + "*" + sub()
	}
}

// depsScript returns random statements, mostly definitions using the
// ones before them: scalars, functions, indexed names, where clauses,
// redefinitions, definitions that refer to themselves, shadowed
// built-ins, declarations.
func depsScript(r *rand.Rand) string {
	var b strings.Builder
	var defs, fns []string
	for k := range 2 + r.IntN(8) {
		switch r.IntN(12) {
		case 0:
			fmt.Fprintf(&b, "f%d(u) := %s\n", k, depsExpr(r, 1+r.IntN(3), defs, []string{"u"}, fns))
			fns = append(fns, fmt.Sprintf("f%d/1", k))
		case 1:
			fmt.Fprintf(&b, "g%d(u, v) := %s\n", k, depsExpr(r, 1+r.IntN(3), defs, []string{"u", "v"}, fns))
			fns = append(fns, fmt.Sprintf("g%d/2", k))
		case 2:
			fmt.Fprintf(&b, "p%d[i] := %s\n", k, depsExpr(r, 1+r.IntN(3), defs, []string{"i"}, fns))
		case 3:
			// Sometimes a where name the body does not use.
			fmt.Fprintf(&b, "v%d := %s where q1 = %s, q2 = %s\n", k, []string{"q1 + q2", "q2*q2", "q1"}[r.IntN(3)], depsExpr(r, 2, defs, nil, fns), depsExpr(r, 2, defs, nil, fns))
			defs = append(defs, fmt.Sprintf("v%d", k))
		case 4:
			if len(defs) > 0 {
				// A redefinition, maybe of itself (a cycle).
				name := defs[r.IntN(len(defs))]
				fmt.Fprintf(&b, "%s := %s\n", name, depsExpr(r, 1+r.IntN(3), defs, nil, fns))
				continue
			}
			fallthrough
		case 5:
			// A built-in's name, as a scalar or as a function.
			if r.IntN(2) == 0 {
				fmt.Fprintf(&b, "sigma := %s\n", depsExpr(r, 2, defs, nil, fns))
				defs = append(defs, "sigma")
			} else {
				fmt.Fprintf(&b, "softplus(u) := %s\n", depsExpr(r, 2, defs, []string{"u"}, fns))
			}
		case 6:
			if r.IntN(4) == 0 {
				b.WriteString("X : matrix(n, d)\n")
				continue
			}
			fallthrough
		case 7:
			fmt.Fprintf(&b, "%s\n", depsExpr(r, 2, defs, nil, fns))
		default:
			fmt.Fprintf(&b, "v%d := %s\n", k, depsExpr(r, 1+r.IntN(4), defs, nil, fns))
			defs = append(defs, fmt.Sprintf("v%d", k))
		}
	}
	return b.String()
}

// walkedUses is what Define's walk finds: every name of the body but the
// parameters, sorted.
func walkedUses(d *ast.Def) []string {
	var out []string
	for _, n := range ast.NamesUsed(d.Body) {
		if !slices.Contains(d.Params, n) {
			out = append(out, n)
		}
	}
	return out
}

// TestDepsCollected: the names the lowerer collects for a body are the
// walk's, on random scripts; and the scripts parse as with every check
// (which never collects), errors (cycles) included.
func TestDepsCollected(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 77))
	collected, bodies := 0, 0
	depsHook = func(d *ast.Def, uses []string) {
		collected++
		got := slices.Clone(uses)
		slices.Sort(got)
		if want := walkedUses(d); !slices.Equal(got, want) {
			t.Errorf("%s := %s: collected %q, the walk finds %q", d.Name, ast.String(d.Body), got, want)
		}
		if len(uses) != cap(uses) {
			t.Errorf("%s: the list of uses has spare capacity %d", d.Name, cap(uses)-len(uses))
		}
	}
	defer func() { depsHook = nil }()
	n := 4000
	if testing.Short() {
		n = 800
	}
	failed := 0
	for i := range n {
		src := depsScript(r)
		bodies += strings.Count(src, ":=")
		if _, err := ParseFile("in.sd", src, nil); err != nil {
			if failed++; failed%100 == 0 {
				t.Logf("%v", err) // errors are part of the test: a few shown
			}
		}
		// A where name the body does not use leaves nodes that nothing
		// holds, which a collection between the two parses may take: the
		// same text then has other nodes, other IDs, in the second's
		// records. checkShortcuts compares records by ID.
		if !strings.Contains(src, "q2*q2 where") && !strings.Contains(src, ":= q1 where") {
			checkShortcuts(t, fmt.Sprintf("script %d", i), src)
		}
		if t.Failed() {
			t.Fatalf("script %d:\n%s", i, src)
		}
	}
	// Both ways must have been taken many times.
	t.Logf("%d of %d definitions' names collected; %d of %d scripts fail", collected, bodies, failed, n)
	if collected < bodies/5 || collected > bodies*9/10 {
		t.Errorf("%d of %d definitions' names collected: the random scripts do not exercise both ways", collected, bodies)
	}
}

// TestDepsW7: every definition of a file like W7's has its names
// collected (the walk is what the collection saves), and they are the
// walk's.
func TestDepsW7(t *testing.T) {
	var b strings.Builder
	for k := 1; k <= 200; k++ {
		z := fmt.Sprintf("x_%d_1*w1 + x_%d_2*w2 + x_%d_3*w3", k, k, k)
		fmt.Fprintf(&b, "a%d := y%d*log(sigma(%s)) + (1 - y%d)*log(1 - sigma(%s))\n", k, k, z, k, z)
	}
	collected := 0
	depsHook = func(d *ast.Def, uses []string) {
		collected++
		got := slices.Clone(uses)
		slices.Sort(got)
		if want := walkedUses(d); !slices.Equal(got, want) {
			t.Errorf("%s: collected %q, the walk finds %q", d.Name, got, want)
		}
	}
	defer func() { depsHook = nil }()
	if _, err := ParseFile("w7.sd", b.String(), nil); err != nil {
		t.Fatal(err)
	}
	if collected != 200 {
		t.Errorf("%d of 200 definitions' names collected", collected)
	}
}
