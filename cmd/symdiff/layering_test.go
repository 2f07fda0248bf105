package main

import (
	"encoding/json"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// layers is the pipeline of the engine's packages, bottom first. A package
// may import (directly or not) only packages of lower layers; cmd/...
// is the top. The packages with a list of their own may import only those.
var (
	layers = [][]string{
		{"ast/once"}, // lazy initialisers, for every layer
		{"ast", "ast/internal/bigmath"},
		{"ast/shape"},
		{"parser"},
		{"rules"},
		{"rules/load"},
		{"parser/parsetest"}, // test helpers: parse with the built-in rules
		{"derive"},
		{"simplify/algebra"},
		{"simplify"},
		{"simplify/numcheck"},
		{"simplify/prove"},
		{"simplify/rulecheck"},
		{"simplify/matrix"},
		{"simplify/explain"},
	}
	only = map[string][]string{
		"rules":             {"ast", "ast/internal/bigmath"},
		"simplify/numcheck": {"ast", "ast/internal/bigmath"},
		"derive":            {"ast", "ast/internal/bigmath", "rules"},
		"simplify/algebra":  {"ast", "ast/internal/bigmath"},
		"simplify":          {"ast", "ast/internal/bigmath", "rules", "derive", "simplify/algebra"},
		"ast/shape":         {"ast", "ast/internal/bigmath"},
	}
)

// TestLayering: every package imports only downward (go list -deps), so
// the folders show the pipeline; participle reaches the engine only
// through rules/load.
func TestLayering(t *testing.T) {
	const mod = "github.com/symdiff/symdiff/"
	out, err := exec.Command(goTool(t), "list", "-deps", "-json", "../../...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	rank := map[string]int{}
	for i, l := range layers {
		for _, p := range l {
			rank[p] = i
		}
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	seen := 0
	for dec.More() {
		var p struct {
			ImportPath string
			Deps       []string
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		name, ok := strings.CutPrefix(p.ImportPath, mod)
		if !ok {
			continue
		}
		seen++
		r, engine := rank[name]
		for _, d := range p.Deps {
			if strings.Contains(d, "participle") && engine && name != "parser" && name != "rules/load" && name != "parser/parsetest" {
				t.Errorf("%s links participle", name)
			}
			dep, ok := strings.CutPrefix(d, mod)
			if !ok {
				continue
			}
			if strings.HasPrefix(dep, "cmd/") && !strings.HasPrefix(name, "cmd/") {
				t.Errorf("%s imports %s", name, dep)
			}
			dr, depEngine := rank[dep]
			if engine && depEngine && dr >= r && dep != name && !(dr == r && dep == "ast/internal/bigmath") {
				t.Errorf("%s (layer %d) imports %s (layer %d): imports go downward only", name, r, dep, dr)
			}
			if allowed, ok := only[name]; ok && !slices.Contains(allowed, dep) {
				t.Errorf("%s imports %s; it may import only %v", name, dep, allowed)
			}
		}
	}
	if seen < len(rank) {
		t.Errorf("go list saw %d of the module's packages, fewer than the %d layered ones", seen, len(rank))
	}
}
