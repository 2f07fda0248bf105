package codegen

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/symdiff/symdiff/ast"
)

// TestCheckAtKinks: at a point on a kink or an if-boundary, gradcheck
// reports the one-sided differences and the symbolic value instead of a
// central difference that straddles the kink. The expected values are
// worked out by hand from the documented convention: relu'(0) = 0,
// |u|' = sign(0) = 0 at 0, a tie of max goes to the first argument, clip
// keeps u on the closed interval, if takes the piece its condition selects.
func TestCheckAtKinks(t *testing.T) {
	ctx := context.Background()
	en := NewEngine()
	type kink struct {
		Entry             string
		Left, Right, Symb float64
		OK                bool
	}
	for _, c := range []struct {
		loss, wrt string
		given     string // NAME=VALUE words
		kinks     []kink
	}{
		{"sum(i=1..n, if(x[i] > 0, x[i]^2, 0))", "x[k]", "x=[1,0]", []kink{{"x[2]", 0, 0, 0, true}}},
		{"sum(i=1..n, relu(x[i]))", "x[k]", "x=[0,2,-1]", []kink{{"x[1]", 0, 1, 0, true}}},
		{"abs(a)", "a", "a=0", []kink{{"a", -1, 1, 0, true}}},
		{"max(a, b)", "a,b", "a=1 b=1", []kink{{"a", 0, 1, 1, true}, {"b", 0, 1, 0, true}}},
		{"clip(a, 0, 1)", "a", "a=1", []kink{{"a", 1, 0, 1, true}}},
		{"max(0, 1 - y*f)", "f", "y=1 f=1", []kink{{"f", -1, 0, 0, true}}},
		{"if(a > 0, a^2, -a)", "a", "a=0", []kink{{"a", -1, 0, -1, true}}},
		{"3*a + abs(b)", "a,b", "a=0 b=0", []kink{{"b", -1, 1, 0, true}}},
	} {
		loss := mustParse(t, en, c.loss)
		var wrt []ast.Expr
		for _, w := range strings.Split(c.wrt, ",") {
			wrt = append(wrt, mustParse(t, en, w))
		}
		given := ast.Bindings{}
		for _, g := range strings.Fields(c.given) {
			n, v, _ := strings.Cut(g, "=")
			val, err := ast.ParseValue(v)
			if err != nil {
				t.Fatal(err)
			}
			given[n] = val
		}
		res, err := Check(ctx, en, &CheckRequest{Loss: loss, Wrt: wrt, Given: given})
		if err != nil {
			t.Errorf("%s: %v", c.loss, err)
			continue
		}
		var got []kink
		for _, k := range res.Kinks {
			got = append(got, kink{k.Entry, k.Left, k.Right, k.Symbolic, k.OK})
		}
		if d := cmp.Diff(c.kinks, got, cmpopts.EquateApprox(0, 1e-6)); d != "" {
			t.Errorf("%s at %s: kinks (-want +got):\n%s", c.loss, c.given, d)
		}
		if !res.OK() {
			t.Errorf("%s at %s: not OK: %+v", c.loss, c.given, res)
		}
	}
}

// TestCheckAtKinkWrongConvention: a derivative rule that is right away
// from 0 but gives r'(0) = 1 for r(u) = max(0, u), whose tie the first
// argument takes (slope 0), fails at 0 though 1 lies between the
// one-sided differences 0 and 1; and passes at a point off the kink.
func TestCheckAtKinkWrongConvention(t *testing.T) {
	ctx := context.Background()
	en, err := LoadEngine([]string{"testdata/wrongkink.rules"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	loss := mustParse(t, en, "r(a)")
	a := mustParse(t, en, "a")
	res, err := Check(ctx, en, &CheckRequest{Loss: loss, Wrt: []ast.Expr{a}, Given: ast.Bindings{"a": ast.Scalar(0)}})
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	res.Print(&out)
	if res.OK() || len(res.Kinks) != 1 || res.Kinks[0].Symbolic != 1 || !res.Kinks[0].Between {
		t.Errorf("r'(0) = 1 passed: %+v\n%s", res, out.String())
	}
	for _, want := range []string{"a (point 1) is at a kink: the one-sided differences are 0 and 1; symdiff's convention gives 1, but the convention at kinks prescribes 0: FAIL",
		"; FAIL: 1 of 1 entries at a kink disagree with the convention at kinks"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in:\n%s", want, out.String())
		}
	}
	res, err = Check(ctx, en, &CheckRequest{Loss: loss, Wrt: []ast.Expr{a}, Given: ast.Bindings{"a": ast.Scalar(0.3)}})
	if err != nil || !res.OK() || len(res.Kinks) != 0 {
		t.Errorf("off the kink: %v %+v", err, res)
	}
}

// TestKinkRowBetween: a symbolic value that is the convention's slope but
// lies outside the one-sided differences fails, by hand: f = |x| at 0 has
// one-sided slopes -1 and 1.
func TestKinkRowBetween(t *testing.T) {
	f := func(x float64) (float64, error) { return math.Abs(x), nil }
	for _, c := range []struct {
		s, conv             float64
		agrees, between, ok bool
	}{
		{0, 0, true, true, true},
		{3, 3, true, false, false},
		{0.5, 0, false, true, false},
		{-1, -1, true, true, true},
	} {
		k, err := kinkRow(f, 0, 1e-5, c.s, c.conv, 1e-6)
		if err != nil || k.Agrees != c.agrees || k.Between != c.between || k.OK != c.ok {
			t.Errorf("s=%g conv=%g: %+v %v", c.s, c.conv, k, err)
		}
	}
}
