package main

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// TestEvalTrigHugeArgumentMpmath: eval of sin and cos whose argument is
// beyond 2^60 and not a float64 exactly, on every path that reaches the
// high-precision value: float64's value settled (exp(42)), a derivative
// (exp(50)·cos(exp(50))), float64 overflowing on the way (10^400/3,
// exp(1000)), and a kink or a condition beside the sine. All printed
// float64's sine of the rounded argument before bigmath reduced arguments
// past 2^60. The references are mpmath's at 1000 digits plus the
// argument's bits, e.g.
//
//	mp.dps = 1000; mp.prec += 4000; mp.nstr(mpmath.cos(mpmath.exp(42)), 20)
func TestEvalTrigHugeArgumentMpmath(t *testing.T) {
	for _, c := range []struct {
		expr string
		args []string
		want string
	}{
		{"cos(exp(x))", []string{"x=42"}, "-0.15626639076828482608"},
		{"d(sin(exp(x)), x)", []string{"x=50"}, "5.1819594974598210581e+21"},
		{"sin(10^400/3)", nil, "-0.51552841717567791701"},
		{"sin(exp(x))", []string{"x=1000"}, "-0.90687417072191509809"},
		{"sin(x/3)*x", []string{"x=1e20"}, "-72663655206900178443.0"},
		{"abs(y) + sin(x/3)", []string{"x=1e20", "y=1"}, "0.27336344793099821557"},
		{"if(y > 0, 3, 0) + sin(x/3)", []string{"x=1e20", "y=1"}, "2.2733634479309982156"},
	} {
		want, _ := strconv.ParseFloat(c.want, 64)
		stdout, stderr, status := runMain(t, append([]string{"eval", c.expr}, c.args...)...)
		got, err := strconv.ParseFloat(strings.TrimSpace(stdout), 64)
		if status != 0 || err != nil || math.Abs(got-want) > 1e-12*math.Abs(want) {
			t.Errorf("eval %s %v: printed %q, status %d (stderr %q); mpmath: %s", c.expr, c.args, stdout, status, stderr, c.want)
		}
	}
}

// TestEvalTrigBeyondReduction: past the argument bigmath reduces (2^31744)
// eval says it has no value, with status 2, rather than print a number.
func TestEvalTrigBeyondReduction(t *testing.T) {
	for _, expr := range []string{"sin(2^(2^15))", "cos(-3^(2^15))"} {
		stdout, stderr, status := runMain(t, "eval", expr)
		if status != 2 || stdout != "" || stderr == "" {
			t.Errorf("eval %s: printed %q, status %d (stderr %q); want an error", expr, stdout, status, stderr)
		}
	}
}
