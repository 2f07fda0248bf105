package parser_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// sumSource returns an n-term sum with a mix of operators and names:
// a[0]*x0 - 2*b[0]^2 + ..., so that most terms are distinct nodes.
func sumSource(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			if i%2 == 0 {
				b.WriteString(" + ")
			} else {
				b.WriteString(" - ")
			}
		}
		fmt.Fprintf(&b, "a[%d]*x%d", i, i%100)
	}
	return b.String()
}

// nestedSource returns an expression nested depth levels deep, mixing
// parentheses, calls and powers: sigma(1 + (2*exp(x^(...)))).
func nestedSource(depth int) string {
	var b strings.Builder
	for i := 0; i < depth; i++ {
		switch i % 4 {
		case 0:
			b.WriteString("sigma(1 + ")
		case 1:
			b.WriteString("(2*")
		case 2:
			b.WriteString("exp(")
		case 3:
			b.WriteString("x^(")
		}
	}
	b.WriteString("y")
	for i := depth - 1; i >= 0; i-- {
		b.WriteString(")")
	}
	return b.String()
}

func benchParse(b *testing.B, src string) {
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parser.ParseExpr(src, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func benchPrint(b *testing.B, src string, style ast.Style) {
	e, err := parser.ParseExpr(src, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ast.Format(e, style); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseSum10000(b *testing.B)     { benchParse(b, sumSource(10000)) }
func BenchmarkParseNested1000(b *testing.B)   { benchParse(b, nestedSource(1000)) }
func BenchmarkPrintSum10000(b *testing.B)     { benchPrint(b, sumSource(10000), ast.Plain) }
func BenchmarkPrintNested1000(b *testing.B)   { benchPrint(b, nestedSource(1000), ast.Plain) }
func BenchmarkUnicodeSum10000(b *testing.B)   { benchPrint(b, sumSource(10000), ast.Unicode) }
func BenchmarkLaTeXSum10000(b *testing.B)     { benchPrint(b, sumSource(10000), ast.LaTeX) }
func BenchmarkLaTeXNested1000(b *testing.B)   { benchPrint(b, nestedSource(1000), ast.LaTeX) }
func BenchmarkUnicodeNested1000(b *testing.B) { benchPrint(b, nestedSource(1000), ast.Unicode) }

// BenchmarkParseSumScaling shows that parsing is linear in the number of
// terms: ns/op should grow tenfold per step, and MB/s stay level.
func BenchmarkParseSumScaling(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		src := sumSource(n)
		b.Run(fmt.Sprintf("terms=%d", n), func(b *testing.B) { benchParse(b, src) })
	}
}

// BenchmarkPrintSumScaling is the same for String.
func BenchmarkPrintSumScaling(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		src := sumSource(n)
		b.Run(fmt.Sprintf("terms=%d", n), func(b *testing.B) { benchPrint(b, src, ast.Plain) })
	}
}

// TestBenchSources checks that the benchmarks measure what they say.
func TestBenchSources(t *testing.T) {
	e, err := parser.ParseExpr(sumSource(10000), nil)
	if err != nil {
		t.Fatal(err)
	}
	if add, ok := e.(*ast.Add); !ok || len(add.Terms) != 10000 {
		t.Errorf("sumSource(10000) is %T, not a 10,000-term sum", e)
	}
	e, err = parser.ParseExpr(nestedSource(1000), nil)
	if err != nil {
		t.Fatal(err)
	}
	if h := e.Height(); h < 1000 {
		t.Errorf("nestedSource(1000) has height %d", h)
	}
	if got, want := nestedSource(4), "sigma(1 + (2*exp(x^(y))))"; got != want {
		t.Errorf("nestedSource(4) = %q, want %q", got, want)
	}
}
