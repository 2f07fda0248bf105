package matrix

import (
	"reflect"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestLazyTables: goroutines racing to the first use of the identities'
// sides and of the rules' instances (go test -race) all see them set, as
// the builders make them.
func TestLazyTables(t *testing.T) {
	inst := make([]map[string][][2]string, 32)
	var wg sync.WaitGroup
	for i := range inst {
		wg.Go(func() {
			patterns()
			inst[i] = instances()
		})
	}
	wg.Wait()
	want := makeInstances()
	for i, m := range inst {
		if reflect.ValueOf(m).Pointer() != reflect.ValueOf(inst[0]).Pointer() {
			t.Fatalf("goroutine %d got a table of its own", i)
		}
		if d := cmp.Diff(want, m); d != "" {
			t.Fatalf("goroutine %d: the instances differ from those built directly:\n%s", i, d)
		}
	}
	for _, r := range identityRules() {
		if (r.LHS == nil) != (r.RHS == nil) {
			t.Errorf("%s: one side set without the other", r.Name)
		}
	}
	if RuleInvInv.LHS == nil || RuleLogDetInv.RHS == nil {
		t.Error("patterns did not set the identities' sides")
	}
	if RuleSymmetrised.Text != RuleSymmetricGradient.Text || RuleSymmetrised.Text == "" {
		t.Error("the symmetrised step does not state the symmetric gradient's rule")
	}
}
