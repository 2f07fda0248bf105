package session

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestUndefinedWhereScopes (review4): the condition an "undefined
// wherever" error states names no index of a sum without saying over what
// it runs. sum(i=1..n, if(2*i > n, log(y - y), 1)) said "wherever 2*i > n",
// with i free: the check for the index in the condition's text looks for
// " i " with spaces, which ast.String does not put around 2*i, i^2 or
// j*2. The oracle is the evaluator: the stated condition, with each "for
// some v = lo..hi" read as a sum over v, evaluates with only the input's
// free names bound.
func TestUndefinedWhereScopes(t *testing.T) {
	where := regexp.MustCompile(`is undefined wherever (.*?) \(where`)
	forSome := regexp.MustCompile(`^(.*) for some (\w+) = (.*)\.\.(.*)$`)
	for _, src := range []string{
		"sum(i=1..n, if(2*i > n, log(y - y), 1))",
		"sum(i=1..n, if(i^2 > 3, log(y - y), 1))",
		"sum(i=1..n, [2*i <= n]*log(y - y))",
		"sum(i=1..n, if(i > 1, log(y - y), 1))", // the control: said with "for some i"
	} {
		_, err := execOne(t, src)
		m := where.FindStringSubmatch(fmt.Sprint(err))
		if m == nil {
			t.Errorf("%s: %v; want an error saying where", src, err)
			continue
		}
		c := m[1]
		if f := forSome.FindStringSubmatch(c); f != nil {
			c = "sum(" + f[2] + "=" + f[3] + ".." + f[4] + ", if(" + f[1] + ", 1, 0))"
		} else {
			c = "if(" + c + ", 1, 0)"
		}
		cond := mustParseSession(t, c)
		pt := ast.Bindings{"n": ast.Scalar(3), "y": ast.Scalar(2)}
		if _, err := ast.EvalContext(context.Background(), cond, nil, pt); err != nil {
			t.Errorf("%s: %q: the condition %s does not evaluate at %v: %v", src, m[0], m[1], pt, err)
		}
	}
}
