package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestEvalValueErrorPlaced (evalpos11): a malformed NAME=VALUE of eval
// said what was wrong but not where ("symdiff: x: "[[1],[2]" is not a
// list of numbers: unexpected EOF"), where an error in EXPR has
// line:column and a caret. Each shape of mistake now has the place in the
// argument as typed and a caret under the spot it goes wrong: the end for
// a list not closed, the second comma of [1,,2], the row that is too
// short or too long, the first byte no number goes on with. The whole
// text is asserted; the caret's column is also checked against the spot
// given by hand (marked in the table by the index of the wrong byte).
func TestEvalValueErrorPlaced(t *testing.T) {
	for _, tc := range []struct {
		arg  string
		at   int // the byte of arg the caret is under
		want string
	}{
		{"x=[[1],[2]", 10, `x: "[[1],[2]" is not a list of numbers: it ends before the list is closed: a "]" is missing`},
		{"x=[[1],[2", 9, `x: "[[1],[2" is not a list of numbers: it ends before 2 lists are closed: 2 "]" are missing`},
		{"x=[1,2]]", 7, `x: "[1,2]]" is not a list of numbers: unexpected "]" after the list`},
		{"x=[1,,2]", 5, `x: "[1,,2]" is not a list of numbers: an entry is missing before ","`},
		{"x=[1,2,]", 7, `x: "[1,2,]" is not a list of numbers: an entry is missing before "]"`},
		{"x=[,1]", 3, `x: "[,1]" is not a list of numbers: an entry is missing before ","`},
		{"x=[1 2]", 5, `x: "[1 2]" is not a list of numbers: expected "," or "]" after an entry`},
		{"x=[[1,2],[3]]", 11, `x: "[[1,2],[3]]": the list is not regular (rows of length 2 and 1)`},
		{"x=[[1],[2,3]]", 10, `x: "[[1],[2,3]]": the list is not regular (rows of length 1 and 2)`},
		{"x=[1,[2]]", 5, `x: "[1,[2]]": the list is not regular (rows of different depth)`},
		{"x=[[1],2]", 7, `x: "[[1],2]": the list is not regular (numbers and lists mixed)`},
		{"x=[]", 3, `x: "[]": empty lists have no values`},
		{"x=abc", 2, `x: "abc" is not a number or a list of numbers`},
		{"x=12abc", 4, `x: "12abc" is not a number or a list of numbers`},
		{"x=1e", 4, `x: "1e" is not a number or a list of numbers`},
		{"x=1.2.3", 5, `x: "1.2.3" is not a number or a list of numbers`},
		{"x=[1e, 2]", 5, `x: "[1e, 2]": "1e" is not a number`},
		{"x=[1, abc]", 6, `x: "[1, abc]": "abc" is not a number`},
		{"x=[1/3]", 4, `x: "[1/3]": "1/3" is not a number`},
		{"x=1/0", 4, `x: "1/0" is not a number or a list of numbers`},
		{"x=NaN", 2, `x: "NaN" is not a finite number`},
		{"x=[1e400]", 3, `x: "[1e400]": "1e400" is beyond the range of a float64 (about 1.8e308)`},
		{"w= [1,2", 7, `w: "[1,2" is not a list of numbers: it ends before the list is closed: a "]" is missing`},
		{"λ=[1,,2]", 6, `λ: "[1,,2]" is not a list of numbers: an entry is missing before ","`},
	} {
		for _, jsonFlag := range []bool{false, true} {
			args := []string{"eval", "x + 1", tc.arg}
			if jsonFlag {
				args = append(args, "--json")
			}
			stdout, stderr, status := runMainStdin(t, "", args...)
			col := 1 + len([]rune(tc.arg[:tc.at]))
			want := fmt.Sprintf("1:%d: ", col) + tc.want + "\n    " + tc.arg + "\n    " + strings.Repeat(" ", col-1) + "^\n"
			if diff := cmp.Diff(want, stderr); diff != "" || status != 2 {
				t.Errorf("symdiff %q: status %d, stderr (-want +got):\n%s", args, status, diff)
			}
			if stdout != "" && (!jsonFlag || !json.Valid([]byte(stdout))) {
				t.Errorf("symdiff %q: stdout %q, want nothing (or JSON)", args, stdout)
			}
		}
	}
}
