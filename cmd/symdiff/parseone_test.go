package main

import (
	"context"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/alecthomas/kong"
)

// TestParseOneMatchesFull: a command line parsed with the model of its
// one command fills the same fields and selects the same command as with
// the model of all of them; lines that ask for help, name no command or
// do not parse are left to the whole model.
func TestParseOneMatchesFull(t *testing.T) {
	ctx := context.Background()
	app := &App{Stdout: io.Discard, Stderr: io.Discard}
	full := func(args []string) (CLI, string, error) {
		var cli CLI
		exited := -1
		k, err := kong.New(&cli, kongOptions(ctx, app, io.Discard, io.Discard, &exited)...)
		if err != nil {
			t.Fatal(err)
		}
		kctx, err := k.Parse(args)
		if err != nil {
			return cli, "", err
		}
		return cli, kctx.Command(), nil
	}
	accepted := [][]string{
		{"diff", "x^2", "x"},
		{"diff", "sigma(x)^2", "x", "--unicode", "--steps", "--timeout", "5s"},
		{"diff", "-x", "x"},
		{"eval", "x*y", "x=1", "y=[1,2]", "--json"},
		{"print", "-x^2", "--latex"},
		{"prove", "sigma(-x)", "1 - sigma(x)", "--brief", "--assume", "x > 0"},
		{"simplify", "x + x", "--defs", "a.sd", "--defs", "b.sd"},
		{"run", "a.sd", "b.sd", "--jobs", "2", "--json"},
		{"rules", "check"},
		{"rules", "list", "--rules", "r.rules"},
		{"gradcheck", "x^2", "--wrt", "x"},
		{"codegen", "f.sd", "--loss", "CE", "--wrt", "w[k]", "--lang", "numpy"},
		{"repl"},
		{"factor", "x^2 - 1"},
		{"apart", "1/(x^2 - 1)", "x"},
		{"subs", "sigma(z)", "z=0"},
		{"latex", "f.sd"},
		{"explain", "f.sd"},
		{"serve", "--addr", "127.0.0.1:0"},
	}
	for _, args := range accepted {
		want, wantCmd, err := full(protectExpressions(args)) // as Main does
		if err != nil {
			t.Errorf("%q: the whole model rejects it: %v", args, err)
			continue
		}
		var got CLI
		kctx, ok := parseOne(ctx, app, protectExpressions(args), &got)
		if !ok {
			t.Errorf("%q: not parsed with the one command's model", args)
			continue
		}
		if kctx.Command() != wantCmd {
			t.Errorf("%q: command %q, want %q", args, kctx.Command(), wantCmd)
		}
		// The whole model also fills in the defaults of the commands not
		// chosen: compare the chosen one.
		g, w := commandField(&got, args[0]), commandField(&want, args[0])
		if !g.IsValid() || !reflect.DeepEqual(g.Interface(), w.Interface()) {
			t.Errorf("%q: fields differ:\n got %+v\nwant %+v", args, g, w)
		}
	}
	declined := [][]string{
		{},
		{"--version"},
		{"diff", "--help"},
		{"diff", "x^2", "x", "-h"},
		{"diff", "x^2"}, // missing VAR: the whole model reports it
		{"diff", "x^2", "x", "--nope"},
		{"nosuchcommand", "x"},
		{"--unicode", "diff", "x", "x"},
		{"Diff", "x", "x"},
	}
	for _, args := range declined {
		var got CLI
		if _, ok := parseOne(ctx, app, args, &got); ok {
			t.Errorf("%q: parsed with the one command's model", args)
		}
	}
}

// commandField returns the field of cli for the command named name.
func commandField(cli *CLI, name string) reflect.Value {
	v := reflect.ValueOf(cli).Elem()
	for i := range v.NumField() {
		f := v.Type().Field(i)
		n := f.Tag.Get("name")
		if n == "" {
			n = strings.ToLower(f.Name)
		}
		if n == name {
			return v.Field(i)
		}
	}
	return reflect.Value{}
}
