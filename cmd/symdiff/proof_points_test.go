package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/cmd/internal/web"
)

// A proof's answer is a function of the claim, its declarations and its
// definitions: the same after any statements, in run (text, at --jobs 1
// and 2), run --json and the playground's handler. The matrix prover drew
// its points for every declared name, _ included, which the session
// declares after a matrix result in the playground (and the REPL) but in
// run only when a later statement reads it: "agree at the 16 of 30 random
// points" in the playground, 15 in run --json, 14 for the claim alone.
//
// Random scripts put values, derivatives, definitions, declarations and
// other proofs before each claim; each claim's answer is compared with the
// claim run alone after the declarations and definitions before it.
func TestProofIndependentOfStatementsBefore(t *testing.T) {
	claims := []string{
		"logdet(A) == log(det(A))", // unknown: counts the points
		"w'*A*w == w'*w",           // refuted: a point
		"L == w'*w",                // through a definition
		"det(A) == c",              // a free scalar drawn with the arrays
		"sum(i=1..d, w[i]^2) == sum(i=1..d, w[i])^2", // an index sum
		"sqrt(t^2) == t",                                // scalar prover
		"log(det(A*A)) == 2*log(det(A))",                // undefined at some points
		"sum(i=1..d, w[i]) == sum(i=1..d, w[i]*A[i,i])", // entries
		"w'*A*v == v'*A*w + 1",                          // another vector
		"abs(d) == d",                                   // a size as a scalar
	}
	noise := []string{
		"d(w'*A*w, A)", "d(w'*A*w, w)", "A*A", "A*w", "w*w'", "d(sigma(t)^2, t)", "sum(w)",
		"q := t^2 + 1", "B : matrix(d, d)", "y : vector(d)", "B*A", "d(logdet(A), A)",
		"prove det(A) == det(A')", "prove sum(A .* A') == sum(A .* A)", "prove log(exp(t)) == t",
		"prove w'*w == 0",
	}
	scalarNoise := []string{"d(sigma(t)^2, t)", "q := t^2 + 1", "prove log(exp(t)) == t", "sqrt(t)"}
	isSetup := func(st string) bool { return strings.Contains(st, ":=") || strings.Contains(st, " : ") }
	rng := rand.New(rand.NewPCG(9, 9))
	scripts := 6
	if testing.Short() {
		scripts = 2
	}
	srv := httptest.NewServer(web.New(web.Options{}))
	defer srv.Close()
	for n := range scripts {
		// The declarations in any order, with scalar statements between
		// them; L after them; then each claim, with noise before it.
		var stmts []string
		decls := []string{"A : symmetric(d)", "w : vector(d)", "v : vector(d)"}
		rng.Shuffle(len(decls), func(i, j int) { decls[i], decls[j] = decls[j], decls[i] })
		for _, d := range append(decls, "L := w'*A*w") {
			for range rng.IntN(2) {
				stmts = append(stmts, scalarNoise[rng.IntN(len(scalarNoise))])
			}
			stmts = append(stmts, d)
		}
		var claimAt []int // indices in stmts of the claims
		for _, k := range rng.Perm(len(claims))[:3] {
			for range rng.IntN(4) {
				stmts = append(stmts, noise[rng.IntN(len(noise))])
			}
			// Markers around the claim find its text in run's output.
			stmts = append(stmts, fmt.Sprintf("prove m%d == m%d", len(stmts), len(stmts)))
			claimAt = append(claimAt, len(stmts))
			stmts = append(stmts, "prove "+claims[k])
			stmts = append(stmts, fmt.Sprintf("prove m%d == m%d", len(stmts), len(stmts)))
		}
		script := strings.Join(stmts, "\n") + "\n"
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "s.sd")
			write(t, file, script)
			texts := map[string]string{}
			for _, jobs := range []string{"1", "2"} {
				texts[jobs] = runAny(t, "run", "--jobs", jobs, file)
			}
			if texts["1"] != texts["2"] {
				t.Errorf("script:\n%srun --jobs 1 and --jobs 2 differ:\n%s", script, cmp.Diff(texts["1"], texts["2"]))
			}
			full := jsonObjects(t, runAny(t, "run", "--json", file))
			api := apiResults(t, srv.URL, script)
			if len(full) != len(stmts) || len(api) != len(stmts) {
				t.Fatalf("script:\n%s%d statements, %d objects from run --json, %d from the API", script, len(stmts), len(full), len(api))
			}
			for _, at := range claimAt {
				// The claim alone, after the declarations and definitions
				// before it.
				var alone []string
				for _, st := range stmts[:at] {
					if isSetup(st) {
						alone = append(alone, st)
					}
				}
				alone = append(alone, stmts[at])
				aloneFile := filepath.Join(dir, fmt.Sprintf("alone%d.sd", at))
				write(t, aloneFile, strings.Join(alone, "\n")+"\n")
				wantText := runAny(t, "run", aloneFile) // declarations and definitions print nothing
				wantJSON := jsonObjects(t, runAny(t, "run", "--json", aloneFile))
				want := wantJSON[len(wantJSON)-1]
				if diff := cmp.Diff(want, full[at]); diff != "" {
					t.Errorf("script:\n%s%s: run --json differs from the claim alone (-alone +script):\n%s", script, stmts[at], diff)
				}
				if diff := cmp.Diff(want, api[at]); diff != "" {
					t.Errorf("script:\n%s%s: the API differs from the claim alone (-alone +api):\n%s", script, stmts[at], diff)
				}
				got := between(texts["2"], fmt.Sprintf("m%d == m%d", at-1, at-1), fmt.Sprintf("m%d == m%d", at+1, at+1))
				if got != wantText {
					t.Errorf("script:\n%s%s: run's text differs from the claim alone:\n%s", script, stmts[at], cmp.Diff(wantText, got))
				}
			}
		})
	}
}

// runAny runs symdiff and returns its standard output, whatever the
// status (a refuted claim exits 1).
func runAny(t *testing.T, args ...string) string {
	t.Helper()
	stdout, stderr, status := runMain(t, args...)
	if status != 0 && status != 1 && status != 3 || stderr != "" {
		t.Fatalf("symdiff %s: status %d, stderr:\n%s", strings.Join(args, " "), status, stderr)
	}
	return stdout
}

func write(t *testing.T, file, text string) {
	t.Helper()
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// jsonObjects reads a stream of JSON objects.
func jsonObjects(t *testing.T, s string) []map[string]any {
	t.Helper()
	var out []map[string]any
	dec := json.NewDecoder(strings.NewReader(s))
	for dec.More() {
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

// apiResults posts a script to /api/run and returns its results without
// the page's fields.
func apiResults(t *testing.T, url, script string) []map[string]any {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"script": script})
	resp, err := http.Post(url+"/api/run", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got struct {
		Results []map[string]any `json:"results"`
		Error   any              `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || got.Error != nil {
		t.Fatalf("status %d, error %v %v", resp.StatusCode, err, got.Error)
	}
	for _, r := range got.Results {
		for _, k := range []string{"line", "latex", "derivation", "markdown"} {
			delete(r, k)
		}
	}
	return got.Results
}

// between returns the lines of out after the line "proved: from" and
// before the line "proved: to".
func between(out, from, to string) string {
	re := regexp.MustCompile(`(?s)(?:^|\n)proved: ` + regexp.QuoteMeta(from) + `\n(.*?)proved: ` + regexp.QuoteMeta(to) + `\n`)
	m := re.FindStringSubmatch(out)
	if m == nil {
		return "(markers not found)"
	}
	return m[1]
}

// The shape the session gives _ after a matrix result is no declaration: a
// size only _ still used (A redeclared since) made n a size in the
// playground, and prove abs(n) == n unknown there ("numerically equal at
// 200 random points", n drawn from 1 up), refuted in run --json.
func TestServeProofIgnoresLastShape(t *testing.T) {
	srv := httptest.NewServer(web.New(web.Options{}))
	defer srv.Close()
	for _, claim := range []string{"abs(n) == n", "sqrt(n^2) == n", "logdet(A) == log(det(A))"} {
		script := "A : symmetric(n)\nA*A\nA : symmetric(m)\nprove " + claim + "\n"
		file := filepath.Join(t.TempDir(), "s.sd")
		write(t, file, script)
		want := jsonObjects(t, runAny(t, "run", "--json", file))
		got := apiResults(t, srv.URL, script)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: run --json and the API differ (-run +api):\n%s", claim, diff)
		}
	}
}

// A claim that mentions a symmetric matrix only through a definition is
// the claim written out: with F := w'*A*v - v'*A*w, prove F == 0 was
// refuted at a point whose A was not symmetric, while the claim written
// out was proved. The verdicts must agree, and a counterexample's A must
// be symmetric.
func TestProveSymmetricThroughDefinition(t *testing.T) {
	decls := "A : symmetric(d)\nw : vector(d)\nv : vector(d)\n"
	for _, c := range []struct{ body, rhs string }{
		{"w'*A*v - v'*A*w", "0"},
		{"w'*A*v", "v'*A*w"},
		{"w'*(A - A')*v", "0"},
		{"w'*A*w", "w'*w"},
		{"sum(i=1..d, w[i]*A[i,1])", "sum(i=1..d, w[i]*A[1,i])"},
		{"w'*A*v", "v'*A*w + 1"},
	} {
		dir := t.TempDir()
		viaDef := filepath.Join(dir, "def.sd")
		write(t, viaDef, decls+"F := "+c.body+"\nprove F == "+c.rhs+"\n")
		written := filepath.Join(dir, "written.sd")
		write(t, written, decls+"prove "+c.body+" == "+c.rhs+"\n")
		a := jsonObjects(t, runAny(t, "run", "--json", viaDef))
		b := jsonObjects(t, runAny(t, "run", "--json", written))
		va, vb := a[len(a)-1]["verdict"], b[len(b)-1]["verdict"]
		if va != vb && (va == "refuted" || vb == "refuted") {
			t.Errorf("F := %s: prove F == %s is %v, written out %v", c.body, c.rhs, va, vb)
		}
		out := runAny(t, "run", viaDef)
		m := regexp.MustCompile(`counterexample: (.*)`).FindStringSubmatch(out)
		if m == nil {
			continue
		}
		// A=[[a,b],[c,d]] ...: symmetric, and the sides differ at it.
		am := regexp.MustCompile(`A=(\[\[[^ ]*\]\])`).FindStringSubmatch(m[1])
		if am == nil {
			t.Fatalf("no A in %q", m[1])
		}
		var rows [][]float64
		if err := json.Unmarshal([]byte(am[1]), &rows); err != nil {
			t.Fatal(err)
		}
		symmetric := true
		for i := range rows {
			for j := range rows {
				symmetric = symmetric && rows[i][j] == rows[j][i]
			}
		}
		if !symmetric {
			t.Errorf("F := %s: prove F == %s refuted at A = %s, which is not symmetric", c.body, c.rhs, am[1])
		}
	}
}
