package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// update rewrites the golden files under testdata/golden and the expected
// output embedded in the testscript files (cmp stdout want.txt) instead of
// comparing with them. Review the diff afterwards.
var update = flag.Bool("update", false, "rewrite golden files and testscript expectations")

// TestMain lets the test binary act as the symdiff command: testscript runs
// "symdiff" in a script by executing this binary under that name, which
// calls Main in a fresh process (so exit statuses, standard input and
// signals are real).
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"symdiff": func() { os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScript runs the command-line scripts in testdata/script. Besides the
// standard testscript commands they can use:
//
//	exits N prog args...      run prog like exec and require exit status N
//	jsonhas [-count N] [-at I] [-all] FILE SPEC...
//	                          FILE (or stdout/stderr) holds a stream of JSON
//	                          values; check the shape of one (or all) of them
//	repofile PATH...          copy PATH from the repository into $WORK/PATH
//	nofiles DIR PATTERN       no file in DIR matches the glob PATTERN
func TestScript(t *testing.T) {
	root := repoRoot(t)
	testscript.Run(t, testscript.Params{
		Dir: filepath.Join("testdata", "script"),
		Setup: func(env *testscript.Env) error {
			env.Setenv("REPO", root)
			env.Setenv("NO_COLOR", "1")
			env.Setenv("SYMDIFF_HISTORY", filepath.Join(env.WorkDir, ".history"))
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits":    cmdExits,
			"jsonhas":  cmdJSONHas,
			"repofile": cmdRepoFile(root),
			"nofiles":  cmdNoFiles,
		},
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		UpdateScripts:       *update,
	})
}

// repoRoot is the directory holding go.mod.
func repoRoot(t testing.TB) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		t.Fatalf("no go.mod two levels up from cmd/symdiff: %v", err)
	}
	return dir
}

// cmdExits runs a program like exec does (its output becomes stdout and
// stderr for the commands that follow) and checks its exit status.
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! exits")
	}
	if len(args) < 2 {
		ts.Fatalf("usage: exits STATUS program [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: bad status %q", args[0])
	}
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		got = ee.ExitCode()
	default:
		ts.Fatalf("exits: %v", err)
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}

// cmdRepoFile copies files of the repository (such as examples/logistic.sd)
// into the work directory under the same relative path, so that a script
// runs exactly the command the README shows.
func cmdRepoFile(root string) func(ts *testscript.TestScript, neg bool, args []string) {
	return func(ts *testscript.TestScript, neg bool, args []string) {
		if neg || len(args) == 0 {
			ts.Fatalf("usage: repofile PATH...")
		}
		for _, p := range args {
			data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(p)))
			ts.Check(err)
			dst := ts.MkAbs(p)
			ts.Check(os.MkdirAll(filepath.Dir(dst), 0o755))
			ts.Check(os.WriteFile(dst, data, 0o644))
		}
	}
}

// cmdNoFiles checks that no file in DIR matches PATTERN (for leftovers of
// atomic writes).
func cmdNoFiles(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: nofiles DIR PATTERN")
	}
	matches, err := filepath.Glob(filepath.Join(ts.MkAbs(args[0]), args[1]))
	ts.Check(err)
	if len(matches) > 0 {
		ts.Fatalf("unexpected files: %q", matches)
	}
}

// cmdJSONHas checks JSON output. FILE ("stdout", "stderr" or a file) must
// hold a stream of JSON values, at least one. Each SPEC is a path of object
// keys and array indices joined by dots (counterexample.point.x.0.1), then
// optionally "=VALUE" (a string leaf equals VALUE; another leaf's compact
// JSON equals VALUE) or ":TYPE" (string, number, bool, array, object,
// null). The specs apply to the first value, or the value -at I, or -all
// values; -count N requires exactly N values. Under !, every spec must fail.
func cmdJSONHas(ts *testscript.TestScript, neg bool, args []string) {
	count, at, all := -1, 0, false
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		switch args[0] {
		case "-all":
			all = true
			args = args[1:]
		case "-count", "-at":
			if len(args) < 2 {
				ts.Fatalf("jsonhas: %s needs a number", args[0])
			}
			n, err := strconv.Atoi(args[1])
			ts.Check(err)
			if args[0] == "-count" {
				count = n
			} else {
				at = n
			}
			args = args[2:]
		default:
			ts.Fatalf("jsonhas: unknown flag %s", args[0])
		}
	}
	if len(args) < 1 {
		ts.Fatalf("usage: jsonhas [-count N] [-at I] [-all] FILE SPEC...")
	}
	values, err := decodeJSONStream(ts.ReadFile(args[0]))
	if err != nil {
		ts.Fatalf("jsonhas: %s: %v", args[0], err)
	}
	if len(values) == 0 {
		ts.Fatalf("jsonhas: %s holds no JSON value", args[0])
	}
	if count >= 0 && len(values) != count {
		ts.Fatalf("jsonhas: %s holds %d JSON values, want %d", args[0], len(values), count)
	}
	targets := values
	if !all {
		if at >= len(values) {
			ts.Fatalf("jsonhas: %s holds %d JSON values, no value %d", args[0], len(values), at)
		}
		targets = values[at : at+1]
	}
	for i, v := range targets {
		for _, spec := range args[1:] {
			err := checkJSONSpec(v, spec)
			switch {
			case err != nil && !neg:
				ts.Fatalf("jsonhas: value %d of %s: %v", i, args[0], err)
			case err == nil && neg:
				ts.Fatalf("jsonhas: value %d of %s unexpectedly has %s", i, args[0], spec)
			}
		}
	}
}

// decodeJSONStream decodes every JSON value of s; anything else in s is an
// error.
func decodeJSONStream(s string) ([]any, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var out []any
	for {
		var v any
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("not a stream of JSON values: %v", err)
		}
		out = append(out, v)
	}
}

// checkJSONSpec checks one SPEC (see cmdJSONHas) against v.
func checkJSONSpec(v any, spec string) error {
	path, want, op := spec, "", byte(0)
	if i := strings.IndexAny(spec, "=:"); i >= 0 {
		path, want, op = spec[:i], spec[i+1:], spec[i]
	}
	cur := v
	if path != "" {
		for _, key := range strings.Split(path, ".") {
			switch c := cur.(type) {
			case map[string]any:
				next, ok := c[key]
				if !ok {
					return fmt.Errorf("no key %q on the way to %s (keys: %s)", key, path, keys(c))
				}
				cur = next
			case []any:
				i, err := strconv.Atoi(key)
				if err != nil || i < 0 || i >= len(c) {
					return fmt.Errorf("no element %q in an array of %d on the way to %s", key, len(c), path)
				}
				cur = c[i]
			default:
				return fmt.Errorf("%s: cannot look up %q in %s", path, key, jsonType(cur))
			}
		}
	}
	switch op {
	case '=':
		got := ""
		if s, ok := cur.(string); ok {
			got = s
		} else {
			b, err := json.Marshal(cur)
			if err != nil {
				return err
			}
			got = string(b)
		}
		if got != want {
			return fmt.Errorf("%s = %q, want %q", path, got, want)
		}
	case ':':
		if got := jsonType(cur); got != want {
			return fmt.Errorf("%s is %s, want %s", path, got, want)
		}
	}
	return nil
}

func keys(m map[string]any) string {
	var b bytes.Buffer
	for k := range m {
		if b.Len() > 0 {
			b.WriteString(" ")
		}
		b.WriteString(k)
	}
	return b.String()
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case json.Number, float64:
		return "number"
	case bool:
		return "bool"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// TestJSONSpec checks the jsonhas helper itself, so that a script's JSON
// check cannot pass by accident.
func TestJSONSpec(t *testing.T) {
	vals, err := decodeJSONStream(`{"a": {"b": [1, {"c": "x"}]}, "n": 2.5, "t": true, "z": null}` + "\n" + `[1]`)
	if err != nil {
		t.Fatal(err)
	}
	if len(vals) != 2 {
		t.Fatalf("decoded %d values, want 2", len(vals))
	}
	cases := []struct {
		spec string
		ok   bool
	}{
		{"a", true},
		{"a:object", true},
		{"a:array", false},
		{"a.b:array", true},
		{"a.b.0=1", true},
		{"a.b.0=2", false},
		{"a.b.1.c=x", true},
		{"a.b.1.c:string", true},
		{"a.b.2", false},
		{"a.b.x", false},
		{"a.c", false},
		{"n=2.5", true},
		{"n:number", true},
		{"t=true", true},
		{"t:bool", true},
		{"z:null", true},
		{"missing", false},
		{"n.x", false},
	}
	for _, c := range cases {
		err := checkJSONSpec(vals[0], c.spec)
		if (err == nil) != c.ok {
			t.Errorf("checkJSONSpec(%q) = %v, want ok=%v", c.spec, err, c.ok)
		}
	}
	if _, err := decodeJSONStream(`{"a": 1} trailing`); err == nil {
		t.Error("decodeJSONStream accepted trailing text")
	}
}
