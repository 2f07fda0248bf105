package codegen

import (
	"context"
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the generated files kept in the repository")

// TestSeedGolden keeps internal/seedce/lossgrad.go, the generated Go for
// the seed's cross-entropy that the benchmarks compile, equal to what the
// generator writes now (go test -update rewrites it).
func TestSeedGolden(t *testing.T) {
	tc := &tcase{defs: "../../../examples/logistic.sd", loss: "CE", wrt: []string{"w[k]"}}
	en, loss, wrt := tc.setup(t)
	res, err := Generate(context.Background(), en, &Request{Loss: loss, Wrt: wrt, Lang: Go, Package: "seedce",
		Source: "CE in examples/logistic.sd", Version: "(devel)"})
	if err != nil {
		t.Fatal(err)
	}
	const file = "internal/seedce/lossgrad.go"
	if *update {
		if err := os.WriteFile(file, []byte(res.Code), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != res.Code {
		t.Errorf("%s is out of date: run go test ./cmd/internal/codegen -run TestSeedGolden -update\n--- generated now:\n%s", file, res.Code)
	}
}

// TestREADMEExample checks that the generated NumPy the README quotes is
// what the generator writes (up to the README's "...").
func TestREADMEExample(t *testing.T) {
	readme, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const cmd = "$ symdiff codegen examples/logistic.sd --loss CE --wrt 'w[k]' --lang numpy\n"
	_, quoted, ok := strings.Cut(string(readme), cmd)
	if !ok {
		t.Fatalf("README.md does not show %q", cmd)
	}
	quoted, _, ok = strings.Cut(quoted, "...\n```")
	if !ok {
		t.Fatal("README.md: the quoted code does not end in ...")
	}
	tc := &tcase{defs: "../../../examples/logistic.sd", loss: "CE", wrt: []string{"w[k]"}}
	en, loss, wrt := tc.setup(t)
	res, err := Generate(context.Background(), en, &Request{Loss: loss, Wrt: wrt, Lang: NumPy,
		Source: "CE in examples/logistic.sd", Version: "(devel)"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(res.Code, quoted) {
		t.Errorf("README.md quotes\n%s\nbut the generator writes\n%s", quoted, res.Code)
	}
}

// TestREADMEGoExample checks the README's Go example: its lines, but for
// the elided ones, are lines of the generated function, in order.
func TestREADMEGoExample(t *testing.T) {
	readme, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(readme), "```go\nfunc LossGrad(")
	if !ok {
		t.Fatal("README.md has no Go example of LossGrad")
	}
	block, _, _ = strings.Cut("func LossGrad("+block, "```")
	gen, err := os.ReadFile("internal/seedce/lossgrad.go")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(gen), "\n")
	at := 0
	for _, want := range strings.Split(strings.TrimSpace(block), "\n") {
		if strings.HasPrefix(strings.TrimSpace(want), "...") {
			continue
		}
		for at < len(lines) && lines[at] != want {
			at++
		}
		if at == len(lines) {
			t.Fatalf("README.md's Go example has %q, which the generated code lacks (or has out of order)", want)
		}
	}
}
