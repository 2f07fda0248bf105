package codegen

import (
	"context"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestGradcheckColumns: REL ERROR showed 0 wherever the symbolic value and
// the finite difference agreed within the difference's own error, and
// neither the raw difference nor that error was shown. Each row now has
// REL DIFF and FD BOUND, after REL ERROR (whose column keeps its place).
// The oracles: REL DIFF is the raw relative difference of the SYMBOLIC
// and FINITE DIFF the row holds, computed here; REL ERROR is REL DIFF
// beyond FD BOUND; a derivative 0.1% off (testdata/wrongscale.rules) has
// a REL DIFF of 0.1%; and the printed line splits into the nine columns.
func TestGradcheckColumns(t *testing.T) {
	ctx := context.Background()
	right, err := LoadEngine(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	wrong, err := LoadEngine([]string{"testdata/wrongscale.rules"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(4, 9))
	for i := range 40 {
		x := math.Pow(10, 4*rng.Float64()-3) // up to 10: exp(x) stays in range
		en, loss := right, "sin(x)*exp(x)/x + log(x)"
		if i%2 == 1 {
			en, loss = wrong, "g(x)"
		}
		res, err := Check(ctx, en, &CheckRequest{Loss: mustParse(t, en, loss), Wrt: []ast.Expr{mustParse(t, en, "x")}, Given: ast.Bindings{"x": ast.Scalar(x)}})
		if err != nil {
			t.Fatalf("%s at %v: %v", loss, x, err)
		}
		row := res.Rows[0]
		diff := math.Abs(row.Symbolic-row.Numeric) / math.Max(math.Abs(row.Symbolic), math.Abs(row.Numeric))
		if math.Abs(row.RelDiff-diff) > 1e-12*diff {
			t.Errorf("%s at %v: REL DIFF %v, want %v", loss, x, row.RelDiff, diff)
		}
		if want := math.Max(0, row.RelDiff-row.Bound); math.Abs(row.RelErr-want) > 1e-9*math.Max(want, 1e-300)+1e-300 {
			t.Errorf("%s at %v: REL ERROR %v, want REL DIFF %v beyond FD BOUND %v", loss, x, row.RelErr, row.RelDiff, row.Bound)
		}
		if i%2 == 1 && (row.RelDiff < 0.9e-3/1.003 || row.RelDiff > 1.1e-3) {
			t.Errorf("g(x) (0.1%% off) at %v: REL DIFF %v", x, row.RelDiff)
		}
		var out strings.Builder
		res.Print(&out)
		lines := strings.Split(out.String(), "\n")
		head, line := strings.Fields(lines[1]), strings.Fields(lines[2])
		if strings.Join(head, " ") != "VARIABLE COMPONENTS WORST AT POINT SYMBOLIC FINITE DIFF REL ERROR REL DIFF FD BOUND" || len(line) != 9 {
			t.Fatalf("%s at %v: the table is\n%s", loss, x, out.String())
		}
		for j, want := range []float64{row.RelErr, row.RelDiff, row.Bound} {
			got, err := strconv.ParseFloat(line[6+j], 64)
			if err != nil || math.Abs(got-want) > 0.06*want {
				t.Errorf("%s at %v: column %d is %q, want %.2g", loss, x, 7+j, line[6+j], want)
			}
		}
	}
}
