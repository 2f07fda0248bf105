package load

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkFileManyRules reads a rule file of n rules: linear in n.
func BenchmarkFileManyRules(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		var sb strings.Builder
		sb.WriteString("f(u) := u^2\n")
		for i := range n {
			fmt.Fprintf(&sb, "rule r%d: f(x + %d) -> x\n", i, i)
		}
		src := sb.String()
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				if _, err := File(Builtin(), "r.rules", src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
