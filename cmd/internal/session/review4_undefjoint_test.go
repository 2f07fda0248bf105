package session

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestUndefinedWhereJoint (review4): two conditions on the same index of
// a sum hold together or not at all. For
// sum(i=1..n, if(i == k, if(i == m, log(y - y), 1), 1)) the error said
// "wherever i == k for some i = 1..n and i == m for some i = 1..n", which
// holds at k = 1, m = 2, n = 2, where the input is 2. The oracle is the
// evaluator: where the stated condition holds (each clause read as
// written), the input has no value. (fix4a: the clauses are split at an
// " and " outside parentheses, as the joint clause is written
// "(i == k and i == m) for some i = 1..n".)
func TestUndefinedWhereJoint(t *testing.T) {
	src := "sum(i=1..n, if(i == k, if(i == m, log(y - y), 1), 1))"
	_, err := execOne(t, src)
	m := regexp.MustCompile(`is undefined wherever (.*?) \(where`).FindStringSubmatch(fmt.Sprint(err))
	if m == nil {
		t.Fatalf("%s: %v; want an error saying where", src, err)
	}
	forSome := regexp.MustCompile(`^(.*) for some (\w+) = (.*)\.\.(.*)$`)
	var clauses []string
	for _, c := range splitTop(m[1], " and ") {
		if f := forSome.FindStringSubmatch(c); f != nil {
			c = fmt.Sprintf("sum(%s=%s..%s, if(%s, 1, 0))", f[2], f[3], f[4], f[1])
		} else {
			c = "if(" + c + ", 1, 0)"
		}
		clauses = append(clauses, c)
	}
	cond := mustParseSession(t, strings.Join(clauses, "*"))
	e := mustParseSession(t, src)
	for k := 1; k <= 3; k++ {
		for mm := 1; mm <= 3; mm++ {
			pt := ast.Bindings{"n": ast.Scalar(3), "k": ast.Scalar(float64(k)), "m": ast.Scalar(float64(mm)), "y": ast.Scalar(2)}
			said, cerr := ast.EvalContext(context.Background(), cond, nil, pt)
			if cerr != nil {
				t.Fatalf("the condition %s does not evaluate: %v", m[1], cerr)
			}
			_, evalErr := ast.EvalContext(context.Background(), e, nil, pt)
			if (said != 0) != (evalErr != nil) {
				t.Errorf("at k=%d m=%d n=3: %q, but evaluation gives error %v", k, mm, m[1], evalErr)
			}
		}
	}
}

// splitTop splits s at each sep outside parentheses.
func splitTop(s, sep string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
		default:
			if depth == 0 && strings.HasPrefix(s[i:], sep) {
				out = append(out, s[start:i])
				start = i + len(sep)
				i += len(sep) - 1
			}
		}
	}
	return append(out, s[start:])
}
