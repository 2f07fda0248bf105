package main

import (
	"context"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/alecthomas/kong"
	"github.com/google/go-cmp/cmp"
)

// TestParsePlainMatchesKong holds the kong-free parse of plain command
// lines to kong's whole model: for every command and every number of
// positional arguments up to five, a line parsePlain accepts must be one
// kong accepts, selecting the same command with the same field values
// (defaults included); a line kong rejects must be declined. The common
// commands must take the fast way (codegen and gradcheck need a flag).
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
	var names []string
	ct := reflect.TypeFor[CLI]()
	for i := range ct.NumField() {
		if _, ok := ct.Field(i).Tag.Lookup("cmd"); ok {
			if n := commandName(ct.Field(i)); n != "" {
				names = append(names, n)
			}
		}
	}
	if len(names) < 15 {
		t.Fatalf("found only %d commands: %q", len(names), names)
	}
	words := []string{"x^2 + sigma(y)", "x", "y=0.5", "b.sd", "z"}
	fast := map[string]bool{}
	for _, name := range append(names, "nosuchcommand", "Diff", "") {
		for n := 0; n <= len(words); n++ {
			args := protectExpressions(append([]string{name}, words[:n]...))
			var got CLI
			r, ok := parsePlain(args, &got)
			want, wantCmd, err := full(args)
			if !ok {
				continue
			}
			fast[name] = true
			if err != nil {
				t.Errorf("%q: parsed without kong, but kong rejects it: %v", args, err)
				continue
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
	}
	for _, name := range []string{"diff", "print", "simplify", "prove", "eval", "run", "latex", "expand", "factor", "subs", "explain", "demo", "serve", "repl"} {
		if !fast[name] {
			t.Errorf("%s: no plain command line of it is parsed without kong", name)
		}
	}
	declined := [][]string{
		{},
		{"diff", "x^2", "x", "--unicode"},
		{"diff", "x^2", "x", "-h"},
		{"diff", "x^2", "x", "--"},
		{"run", "-"},
		{"rules", "list"},
		{"rules", "check"},
		{"diff", "x^2"},
		{"diff", "x^2", "x", "y"},
		{"--version"},
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
