package workload

import (
	"fmt"
	"strings"
)

// A Program is a workload written for a peer: the program's text, and the
// data file it reads (the input), whose path is its one argument (Python)
// or written into it (Maxima). Run, it prints "parse_seconds S" and
// "core_seconds S": the CPU time to read the input, and the CPU time of
// the work itself (for Diff, differentiation and simplification). CPU
// time, not wall time: on a shared machine a process waits for a core.
type Program struct {
	Text, Data string
}

// HasPeers reports whether SymPy and Maxima can do w's work: the proofs
// of W8 are over symbolic sums with indexed names, which neither
// differentiates into a form it can compare, so W8 is symdiff's alone.
func HasPeers(w *Workload) bool { return w.Kind != Prove }

// sympyPrelude runs main on a thread with a large stack and a high
// recursion limit: W3's expression is 10,000 calls deep.
const sympyPrelude = `import sys, threading, time
sys.setrecursionlimit(1000000)
threading.stack_size(1 << 29)

def main():
    import sympy
    ns = {"sigma": lambda u: 1 / (1 + sympy.exp(-u))}
    src = open(sys.argv[1]).read()
`

const sympyPostlude = `    print("parse_seconds", t1 - t0)
    print("core_seconds", t2 - t1)

t = threading.Thread(target=main)
t.start()
t.join()
`

// SymPy returns w's work as a SymPy program: sympify of the text (sigma
// is 1/(1 + exp(-u))), then diff and simplify; for W7, sympify of every
// definition's right-hand side.
func SymPy(w *Workload) Program {
	var b strings.Builder
	b.WriteString(sympyPrelude)
	switch w.Kind {
	case Diff:
		vars := "sympy.Symbol(" + fmt.Sprintf("%q", w.Var) + ")"
		if w.Var2 != "" {
			vars += ", sympy.Symbol(" + fmt.Sprintf("%q", w.Var2) + ")"
		}
		fmt.Fprintf(&b, `    t0 = time.process_time()
    e = sympy.sympify(src, locals=ns)
    t1 = time.process_time()
    g = sympy.simplify(sympy.diff(e, %s))
    t2 = time.process_time()
`, vars)
	case Parse:
		b.WriteString(`    t0 = time.process_time()
    defs = {}
    for line in src.splitlines():
        name, rhs = line.split(":=")
        defs[name.strip()] = sympy.sympify(rhs, locals=ns)
    t1 = time.process_time()
    t2 = t1
`)
	default:
		panic("workload: no SymPy program for " + w.Title())
	}
	b.WriteString(sympyPostlude)
	return Program{Text: b.String(), Data: w.Input}
}

// Maxima returns w's work as a Maxima batch file that reads the data file
// at dataPath with batchload: the input assigned (sigma is 1/(1 +
// exp(-u))), then diff and ratsimp, repeated until 0.2 s have passed
// because Maxima's CPU clock ticks in 10 ms; for W7, each definition as a
// function NAME() := EXPR, whose body Maxima parses and does not
// evaluate.
func Maxima(w *Workload, dataPath string) Program {
	var b strings.Builder
	b.WriteString("display2d : false$\nsigma(u) := 1/(1 + exp(-u))$\n")
	fmt.Fprintf(&b, "t0 : elapsed_run_time()$\nbatchload(%q)$\nt1 : elapsed_run_time()$\n", dataPath)
	switch w.Kind {
	case Diff:
		diff := "diff(ex, " + w.Var + ")"
		if w.Var2 != "" {
			diff = "diff(ex, " + w.Var + ", 1, " + w.Var2 + ", 1)"
		}
		fmt.Fprintf(&b, `reps : 0$
for i : 1 while reps = 0 or elapsed_run_time() - t1 < 0.2 do (g : ratsimp(%s), reps : reps + 1)$
t2 : elapsed_run_time()$
print("parse_seconds", t1 - t0)$
print("core_seconds", (t2 - t1)/reps)$
`, diff)
		return Program{Text: b.String(), Data: "ex : " + w.Input + "$\n"}
	case Parse:
		b.WriteString(`print("parse_seconds", t1 - t0)$
print("core_seconds", t1 - t0)$
`)
		var data strings.Builder
		for _, line := range strings.Split(strings.TrimSuffix(w.Input, "\n"), "\n") {
			name, rhs, _ := strings.Cut(line, ":=")
			fmt.Fprintf(&data, "%s() := %s$\n", strings.TrimSpace(name), strings.TrimSpace(rhs))
		}
		return Program{Text: b.String(), Data: data.String()}
	}
	panic("workload: no Maxima program for " + w.Title())
}
