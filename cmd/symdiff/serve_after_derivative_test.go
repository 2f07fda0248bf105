package main

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/cmd/internal/web"
)

// TestServeAnswersAsRunJSONAfterDerivative: README says each result of
// POST /api/run is exactly the object `symdiff run --json` prints for the
// statement. After a matrix derivative, the proof that follows said
// "agree at the 15 of 30 random points" in run --json and "16 of 30" in
// the API: the points the prover draws depend on what ran before it
// (probably the API's extra work on the derivative: its derivation and
// LaTeX). A claim near the edge could then get a different verdict in the
// playground than on the command line.
func TestServeAnswersAsRunJSONAfterDerivative(t *testing.T) {
	src := "A : symmetric(d)\nw : vector(d)\nd(w'*A*w, A)\nprove logdet(A) == log(det(A))\n"
	file := filepath.Join(t.TempDir(), "s.sd")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	var want []map[string]any
	dec := json.NewDecoder(strings.NewReader(collect(t, 3, "run", "--json", file)))
	for dec.More() {
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			t.Fatal(err)
		}
		want = append(want, m)
	}
	srv := httptest.NewServer(web.New(web.Options{}))
	defer srv.Close()
	got := apiResults(t, srv.URL, src)
	if diff := cmp.Diff(want, got); diff != "" || len(want) == 0 {
		t.Errorf("%d results of run --json; the API's differ (-run +api):\n%s", len(want), diff)
	}
}
