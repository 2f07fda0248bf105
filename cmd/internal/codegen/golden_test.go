package codegen

import (
	"context"
	"flag"
	"os"
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
