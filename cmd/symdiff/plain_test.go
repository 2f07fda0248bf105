package main

import (
	"context"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/alecthomas/kong"
	"github.com/google/go-cmp/cmp"
)

// TestParsePlainMatchesKong holds the kong-free parse of plain command
// lines to kong's whole model. For every command, lines of zero to four
// positional arguments with each of its flags (before, among and after
// them, as --flag value and --flag=value) and with each pair of its
// flags are parsed both ways: a line parsePlain accepts must be one kong
// accepts, selecting the same command with the same field values
// (defaults included); a line kong rejects must be declined. The common
// command lines must take the fast way.
func TestParsePlainMatchesKong(t *testing.T) {
	ctx := context.Background()
	app := &App{Stdout: io.Discard, Stderr: io.Discard}
	full := func(args []string) (*CLI, string, error) {
		var cli CLI
		exited := -1
		k, err := kong.New(&cli, kongOptions(ctx, app, io.Discard, io.Discard, &exited)...)
		if err != nil {
			t.Fatal(err)
		}
		kctx, err := k.Parse(args)
		if err != nil || exited >= 0 {
			return nil, "", err
		}
		return &cli, kctx.Command(), nil
	}
	fast, lines := map[string]int{}, 0
	check := func(name string, args []string) {
		t.Helper()
		args = protectExpressions(args)
		lines++
		var got CLI
		r, ok := parsePlain(args, &got)
		want, wantCmd, err := full(args)
		if !ok {
			return
		}
		fast[name]++
		if err != nil {
			t.Errorf("%q: parsed without kong, but kong rejects it: %v", args, err)
			return
		}
		if !strings.HasPrefix(wantCmd, name) {
			t.Errorf("%q: kong runs %q", args, wantCmd)
		}
		g, w := commandField(&got, name), commandField(want, name)
		if diff := cmp.Diff(w.Interface(), g.Interface(), cmp.Exporter(func(reflect.Type) bool { return true })); diff != "" {
			t.Errorf("%q: fields differ from kong's (-kong +plain):\n%s", args, diff)
		}
		if g.Addr().Interface() != r {
			t.Errorf("%q: runs another value than the command's field", args)
		}
	}
	// Flag values by type, two for slices (repeated, or one with a comma).
	sample := func(f reflect.StructField) []string {
		switch {
		case f.Type == reflect.TypeFor[time.Duration]():
			return []string{"5s"}
		case f.Type.Kind() == reflect.Bool:
			return nil
		case f.Type.Kind() == reflect.Int:
			return []string{"2"}
		case f.Type.Kind() == reflect.Uint64:
			return []string{"7"}
		case f.Type.Kind() == reflect.Float64:
			return []string{"0.5"}
		case f.Type.Kind() == reflect.Slice:
			return []string{"x > 0", "a.sd,b.sd"}
		}
		return []string{"w[k]"}
	}
	words := []string{"x^2 + sigma(y)", "x", "-z", "y=0.5"}
	ct := reflect.TypeFor[CLI]()
	var names []string
	for i := range ct.NumField() {
		f := ct.Field(i)
		if _, ok := f.Tag.Lookup("cmd"); !ok {
			continue
		}
		name := commandName(f)
		if name == "" {
			continue
		}
		names = append(names, name)
		// The command's flags, as parsePlain collects them.
		var fs plainFields
		var flags [][]string  // the forms of each flag on the line
		var firsts [][]string // the first form of each flag, for pairs
		if fs.collect(reflect.New(f.Type).Elem()) {
			for fname, fl := range fs.flags {
				vals := sample(fl.f)
				if vals == nil {
					flags = append(flags, []string{"--" + fname})
					firsts = append(firsts, []string{"--" + fname})
					continue
				}
				for _, v := range vals {
					flags = append(flags, []string{"--" + fname, v}, []string{"--" + fname + "=" + v})
				}
				flags = append(flags, []string{"--" + fname, vals[0], "--" + fname, vals[0]}, []string{"--" + fname})
				firsts = append(firsts, []string{"--" + fname, vals[0]})
			}
		}
		maxWords := len(words)
		if testing.Short() {
			maxWords = 2 // a model of every command per line: slow
		}
		for n := 0; n <= maxWords; n++ {
			pos := words[:n]
			check(name, append([]string{name}, pos...))
			forms := flags
			if n > 2 {
				forms = firsts
			}
			for _, fl := range forms {
				check(name, slices.Concat([]string{name}, pos, fl))
				check(name, slices.Concat([]string{name}, fl, pos))
				if n > 1 {
					check(name, slices.Concat([]string{name}, pos[:1], fl, pos[1:]))
				}
			}
			if n != 2 || testing.Short() {
				continue
			}
			for i, a := range firsts {
				for _, b := range firsts[i+1:] {
					check(name, slices.Concat([]string{name}, pos, a, b))
					check(name, slices.Concat([]string{name}, pos[:1], a, pos[1:], b))
				}
			}
		}
	}
	if len(names) < 15 {
		t.Fatalf("found only %d commands: %q", len(names), names)
	}
	for _, name := range []string{"nosuchcommand", "Diff", ""} {
		check(name, []string{name, "x"})
	}
	total := 0
	for _, n := range fast {
		total += n
	}
	t.Logf("%d of %d command lines parsed without kong", total, lines)
	for _, name := range []string{"diff", "print", "simplify", "prove", "eval", "run", "latex", "expand", "factor", "subs",
		"explain", "demo", "serve", "repl", "codegen", "gradcheck"} {
		if fast[name] == 0 {
			t.Errorf("%s: no command line of it is parsed without kong", name)
		}
	}
	plain := [][]string{
		{"diff", "x^2", "x"},
		{"diff", "sigma(x)^2", "x", "--unicode", "--steps", "--timeout", "5s"},
		{"diff", "-x", "x", "--json"},
		{"prove", "sigma(-x)", "1 - sigma(x)", "--brief", "--assume", "x > 0", "--assume", "0 < p < 1"},
		{"simplify", "x + x", "--defs", "a.sd", "--defs=b.sd"},
		{"run", "a.sd", "b.sd", "--jobs", "2", "--json"},
		{"codegen", "f.sd", "--loss", "CE", "--wrt", "w[k]", "--lang", "numpy"},
	}
	for _, args := range plain {
		var got CLI
		if _, ok := parsePlain(protectExpressions(args), &got); !ok {
			t.Errorf("%q: not parsed without kong", args)
		}
	}
	// An empty command line is the default command's (the REPL).
	before := fast["repl"]
	check("repl", nil)
	if fast["repl"] == before {
		t.Errorf("the empty command line is not parsed without kong")
	}
	declined := [][]string{
		{"diff", "x^2", "x", "-h"},
		{"diff", "x^2", "x", "--help"},
		{"diff", "x^2", "x", "--version"},
		{"diff", "x^2", "x", "--"},
		{"diff", "x^2", "x", "--unicode", "--latex"}, // one of an xor group
		{"diff", "x^2", "x", "--unicode=true"},
		{"diff", "x^2", "x", "--timeout"},
		{"diff", "x^2", "x", "--timeout", "--json"},
		{"diff", "x^2", "x", "--timeout", "soon"},
		{"simplify", "x", "--defs", "a.sd,b.sd"}, // kong splits it
		{"run", "-"},
		{"latex", "f.sd", "-o", "out.tex"},
		{"rules", "list"},
		{"rules", "check"},
		{"codegen", "f.sd", "--loss", "CE"}, // --wrt is required
		{"diff", "x^2"},
		{"diff", "x^2", "x", "y"},
		{"--version"},
		{"--unicode", "diff", "x", "x"},
	}
	for _, args := range declined {
		var got CLI
		if _, ok := parsePlain(protectExpressions(args), &got); ok {
			t.Errorf("%q: parsed without kong", args)
		}
	}
}

// TestTagKeys: the struct tag reader behind parsePlain's refusal of tags
// it does not know.
func TestTagKeys(t *testing.T) {
	for _, c := range []struct {
		tag  reflect.StructTag
		want []string
	}{
		{``, nil},
		{`arg:"" name:"EXPR" help:"The \"expression\"."`, []string{"arg", "name", "help"}},
		{`default:"2m"  help:"x"`, []string{"default", "help"}},
		{`required`, []string{"?"}},
		{`env:"X" enum:"a,b"`, []string{"env", "enum"}},
		{`name:"x`, []string{"name", "?"}},
	} {
		if diff := cmp.Diff(c.want, tagKeys(c.tag)); diff != "" {
			t.Errorf("%s: %s", c.tag, diff)
		}
	}
}

// TestParsePlainEdgeLines holds parsePlain to kong on command lines
// found by review: empty values, values that kong splits to nothing,
// numbers in the forms Go's parsers read, unicode, negative numbers as
// arguments. Each line parsePlain accepts must give kong's fields.
func TestParsePlainEdgeLines(t *testing.T) {
	ctx := context.Background()
	app := &App{Stdout: io.Discard, Stderr: io.Discard}
	lines := [][]string{
		{"simplify", "x+x", "--defs", ""}, // kong: no file at all
		{"simplify", "x+x", "--defs="},
		{"simplify", "x+x", "--rules", ""},
		{"latex", "f.sd", "--explain="},
		{"explain", "x", "--loss", ""},
		{"simplify", "x+x", "--assume", ""}, // sep:"none": one empty statement
		{"simplify", "x+x", "--assume="},
		{"simplify", "x+x", "--assume=x=1"},
		{"simplify", "x+x", "--assume", "-x > 0"},
		{"eval", "x", "x=-1"},
		{"eval", "-x", "x=-1", "y=-2"},
		{"eval", "", "x=1"},
		{"eval", "x", ""},
		{"eval", "é + ✓", "é=1"},
		{"diff", "", ""},
		{"diff", "x^2", "x", "--timeout", "0"},
		{"diff", "x^2", "x", "--timeout=0"},
		{"diff", "x^2", "x", "--timeout", "-1s"},
		{"diff", "x^2", "x", "--timeout=-1s"},
		{"run", "a.sd", "--jobs", "0x2"},
		{"run", "a.sd", "--jobs", "1_0"},
		{"run", "a.sd", "--jobs", "-1"},
		{"run", "a.sd", "--jobs=-1"},
		{"run", "a.sd", "--json", "b.sd"},
		{"gradcheck", "a.sd", "--tol", "inf"},
		{"gradcheck", "a.sd", "--tol", "NaN"},
		{"gradcheck", "a.sd", "--tol", "0x1p-3"},
		{"gradcheck", "a.sd", "--tol", "1_0"},
		{"gradcheck", "a.sd", "--tol", "-1"},
		{"codegen", "f.sd", "--loss", "", "--wrt", ""},
		{"print", "x", "--json=", "--latex"},
	}
	for _, args := range lines {
		args = protectExpressions(args)
		var got CLI
		if _, ok := parsePlain(args, &got); !ok {
			continue
		}
		var want CLI
		exited := -1
		k, err := kong.New(&want, kongOptions(ctx, app, io.Discard, io.Discard, &exited)...)
		if err != nil {
			t.Fatal(err)
		}
		kctx, err := k.Parse(args)
		if err != nil || exited >= 0 {
			t.Errorf("%q: parsed without kong, but kong rejects it: %v", args, err)
			continue
		}
		name := strings.Fields(kctx.Command())[0]
		g, w := commandField(&got, name), commandField(&want, name)
		if diff := cmp.Diff(w.Interface(), g.Interface(), cmp.Exporter(func(reflect.Type) bool { return true })); diff != "" {
			t.Errorf("%q: fields differ from kong's (-kong +plain):\n%s", args, diff)
		}
	}
}

// TestVersionMatchesKong: Main answers a lone --version without kong; it
// must print what kong's VersionFlag prints, and the other lines that
// ask for the version (after a command, with another flag) still reach
// kong and print the same.
func TestVersionMatchesKong(t *testing.T) {
	var want strings.Builder
	exited := -1
	var cli CLI
	k, err := kong.New(&cli, kongOptions(context.Background(), &App{}, &want, io.Discard, &exited)...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k.Parse([]string{"--version"}); err != nil || exited != 0 {
		t.Fatalf("kong --version: exit %d, %v", exited, err)
	}
	if !strings.HasPrefix(want.String(), "symdiff ") {
		t.Fatalf("kong printed %q", want.String())
	}
	for _, args := range [][]string{{"--version"}, {"diff", "x", "x", "--version"}, {"--version", "diff", "x^2", "x"}} {
		var stdout, stderr strings.Builder
		status := Main(args, strings.NewReader(""), &stdout, &stderr)
		if status != 0 || stdout.String() != want.String() || stderr.Len() != 0 {
			t.Errorf("%q: status %d, stdout %q, stderr %q; want kong's %q", args, status, stdout.String(), stderr.String(), want.String())
		}
	}
}
