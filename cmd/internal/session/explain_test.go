package session

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	expl "github.com/symdiff/symdiff/simplify/explain"
)

// TestExplanationWords: the text says "with its canonical link" exactly
// for an explanation that found one (a proved residual form and a
// log-partition checked by differentiation), every claim is printed once
// with its verdict, and the JSON says the same.
func TestExplanationWords(t *testing.T) {
	s := New()
	exec(t, s, "z[i] := sum(j=1..d, x[i,j]*w[j])\np[i] := sigma(z[i])\n"+
		"CE := -mean(i=1..n, y[i]*log(p[i]) + (1 - y[i])*log(1 - p[i]))\n"+
		"SQ := mean(i=1..n, (y[i] - p[i])^2)\n")
	for _, c := range []struct {
		loss    string
		o       ExplainOptions
		scalars bool // a per-sample loss of a scalar z: explained in a fresh session
	}{
		{"CE", ExplainOptions{}, false},
		{"SQ", ExplainOptions{}, false},
		{"-(y*log(Phi(z)) + (1-y)*log(1-Phi(z)))", ExplainOptions{}, true},
		{"softplus(-y*z)", ExplainOptions{Assume: expl.Assumptions{LabelSet: mustLabels(t, "-1,1")}}, true},
		{"softplus(-y*z)", ExplainOptions{}, true},
	} {
		sess := s
		if c.scalars {
			sess = New()
		}
		e, err := parser.ParseExpr(c.loss, sess.Context())
		if err != nil {
			t.Fatal(err)
		}
		x, err := sess.Explain(context.Background(), e, c.o)
		if err != nil {
			t.Fatalf("explain %s: %v", c.loss, err)
		}
		p := &Printer{Style: ast.Plain, S: sess}
		var b strings.Builder
		p.Explanation(&b, "", x)
		text := b.String()
		if says := strings.Contains(text, "with its canonical link"); says != x.Canonical() {
			t.Errorf("%s: the text says canonical: %v, the explanation: %v\n%s", c.loss, says, x.Canonical(), text)
		}
		verdicts := strings.Count(text, "\n    proved: ") + strings.Count(text, "\n    refuted: ") + strings.Count(text, "\n    unknown: ")
		if verdicts != len(x.Claims) {
			t.Errorf("%s: %d verdict lines for %d claims:\n%s", c.loss, verdicts, len(x.Claims), text)
		}
		raw, err := json.Marshal(p.ExplanationJSON("", x))
		if err != nil {
			t.Fatal(err)
		}
		var j struct {
			Verdict   string
			Canonical bool
			Claims    []struct{ Holds bool }
		}
		if err := json.Unmarshal(raw, &j); err != nil {
			t.Fatal(err)
		}
		if j.Verdict != x.Verdict.String() || j.Canonical != x.Canonical() || len(j.Claims) != len(x.Claims) {
			t.Errorf("%s: JSON %s", c.loss, raw)
		}
	}
}

func mustLabels(t *testing.T, s string) []ast.Number {
	t.Helper()
	ls, err := ParseLabelSet(s)
	if err != nil {
		t.Fatal(err)
	}
	return ls
}

func TestParseLabelSet(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"0,1", "[0 1]"},
		{" -1 , 1 ", "[-1 1]"},
		{"0.5,2", "[0.5 2]"},
		{"1", `label set "1": give two values, like 0,1 or -1,1`},
		{"0,1,2", `label set "0,1,2": give two values, like 0,1 or -1,1`},
		{"a,1", `label set "a,1": "a" is not a number`},
	} {
		ls, err := ParseLabelSet(c.in)
		got := ""
		if err != nil {
			got = err.Error()
		} else {
			var parts []string
			for _, v := range ls {
				parts = append(parts, v.String())
			}
			got = "[" + strings.Join(parts, " ") + "]"
		}
		if got != c.want {
			t.Errorf("ParseLabelSet(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}

// TestExplainStatement: `explain LOSS [wrt Z]` in a script runs explain,
// prints the explanation, and reports its status like a proof.
func TestExplainStatement(t *testing.T) {
	s := New()
	rs := exec(t, s, "z[i] := sum(j=1..d, x[i,j]*w[j])\np[i] := sigma(z[i])\n"+
		"CE := -mean(i=1..n, y[i]*log(p[i]) + (1 - y[i])*log(1 - p[i]))\n"+
		"explain CE\nexplain -(t*log(Phi(u)) + (1 - t)*log(1 - Phi(u))) wrt u\n")
	ce, pr := rs[3], rs[4]
	if ce.Explanation == nil || !ce.Explanation.Canonical() || ce.Status != OK {
		t.Fatalf("explain CE: %+v", ce)
	}
	if pr.Explanation == nil || pr.Explanation.Verdict != expl.NotResidual || pr.Status != OK {
		t.Fatalf("explain probit wrt u: %+v", pr)
	}
	p := &Printer{Style: ast.Plain, S: s}
	var b strings.Builder
	p.Result(&b, ce)
	if !strings.HasPrefix(b.String(), "explain CE (predictor z[m], labels y[m])\n") {
		t.Errorf("the text of explain CE:\n%s", b.String())
	}
	b.Reset()
	p.Result(&b, pr)
	if !strings.HasPrefix(b.String(), "explain ℓ = -(t*log(Phi(u)) + (1 - t)*log(1 - Phi(u))) (predictor u, labels t)\n") {
		t.Errorf("the text of explain ... wrt u:\n%s", b.String())
	}
	if j := p.JSON(ce); j.(map[string]any)["input"] != "explain CE" || j.(map[string]any)["verdict"] != "residual form" {
		t.Errorf("JSON of explain CE: %v", j)
	}
}

// TestExplainStatusRefutedClaim: the status of an explanation whose
// weight gradient was refuted (the weights also outside z: the loss's
// gradient by w has a term that c·Xᵀ(μ(Xw) − y) lacks) is Refuted, not
// OK; a loss with a regulariser outside z still explains with OK. (The
// refutation is right: d(sum(w)*mean(X*w), w) has the term mean(X*w) in
// every entry, which c·Xᵀ(μ(Xw) − y) with μ = σ(z) + sum(w) lacks.)
func TestExplainStatusRefutedClaim(t *testing.T) {
	s := New()
	rs := exec(t, s, "X : matrix(n, d)\nw : vector(d)\ny : vector(n)\n"+
		"explain mean(softplus(X*w) - y .* (X*w)) + sum(w)*mean(X*w)\n"+
		"explain mean(softplus(X*w) - y .* (X*w)) + norm(w)^2*sum(y)\n")
	bad, good := rs[3], rs[4]
	if bad.Explanation == nil || bad.Status != Refuted {
		t.Errorf("the weights outside z too: status %v, want Refuted", bad.Status)
	}
	refuted := false
	for _, c := range bad.Explanation.Claims {
		refuted = refuted || (c.Part == expl.PartWeights || c.Part == expl.PartMatrix) && !c.Holds()
	}
	if !refuted {
		t.Errorf("no refuted weight gradient among the claims")
	}
	if good.Explanation == nil || good.Status != OK {
		t.Errorf("a regulariser outside z: status %v, want OK", good.Status)
	}
}
