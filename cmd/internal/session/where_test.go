package session

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// TestWhereOutput: d/dx of sin nested 300 deep prints with its shared
// subexpressions named, as text, JSON and LaTeX; the text and the JSON
// result parse back to the computed value, and the value is the product
// of cos(sin^k(x)) computed here in float64.
func TestWhereOutput(t *testing.T) {
	const n = 300
	src := "d(" + strings.Repeat("sin(", n) + "x" + strings.Repeat(")", n) + ", x)"
	s := New()
	r := exec(t, s, src)[0]

	var text bytes.Buffer
	(&Printer{Style: ast.Plain, S: s}).Result(&text, r)
	line := strings.TrimSuffix(text.String(), "\n")
	if !strings.HasPrefix(line, "cos(x)*cos(u1)*cos(u2)*") || !strings.Contains(line, " where u1 = sin(x), u2 = sin(u1), ") {
		t.Errorf("text: %.200s", line)
	}
	back, err := parser.ParseExpr(line, s.Context())
	if err != nil || back != r.Value {
		t.Fatalf("the text does not parse back to the result: %v", err)
	}
	for _, x := range []float64{-2.5, 0.3, 1.1} {
		want, v := 1.0, x
		for range n {
			want *= math.Cos(v)
			v = math.Sin(v)
		}
		got, err := ast.Eval(back, nil, ast.Bindings{"x": ast.Scalar(x)})
		if err != nil || math.Abs(got-want) > 1e-12*math.Abs(want) {
			t.Errorf("at x=%g: %v (%v), want %v", x, got, err, want)
		}
	}

	var obj struct {
		Result string
		Where  []struct{ Name, Expr string }
	}
	raw, _ := json.Marshal((&Printer{Style: ast.Plain, S: s}).JSON(r))
	if err := json.Unmarshal(raw, &obj); err != nil {
		t.Fatal(err)
	}
	if back, err := parser.ParseExpr(obj.Result, s.Context()); err != nil || back != r.Value {
		t.Errorf("the JSON result does not parse back: %v", err)
	}
	if len(obj.Where) != n-2 || obj.Where[0].Name != "u1" || obj.Where[0].Expr != "sin(x)" || obj.Where[1].Expr != "sin(u1)" {
		t.Errorf("JSON where list: %d entries, first %+v", len(obj.Where), obj.Where[:min(2, len(obj.Where))])
	}

	var tex bytes.Buffer
	(&Printer{Style: ast.LaTeX, S: s}).Result(&tex, r)
	if !strings.Contains(tex.String(), `\quad \text{where } u_{1} = \sin`) {
		t.Errorf("LaTeX: %.300s", tex.String())
	}
}
