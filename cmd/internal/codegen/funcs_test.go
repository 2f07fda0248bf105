package codegen

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// Every built-in function is either written as a named call in every
// language or refused with a message: a function missing from an
// emitter's table must never come out as a bare parenthesis (which
// silently computed log(cosh(t)) as log(t) before cosh had its names).
func TestEveryFuncGenerated(t *testing.T) {
	bare := regexp.MustCompile(`(^|[\s=,+\-*/])\(w\)`)
	for _, f := range ast.Funcs {
		if f.Arity == 0 || f.Name == "delta" {
			continue
		}
		args := []string{"w", "-1", "1"}[:f.Arity]
		loss := f.Name + "(" + strings.Join(args, ", ") + ")"
		for _, lang := range Langs {
			en := NewEngine()
			l, err := en.Parse(loss)
			if err != nil {
				t.Fatal(err)
			}
			w, _ := en.Parse("w")
			res, err := Generate(context.Background(), en, &Request{Loss: l, Wrt: []ast.Expr{w}, Lang: lang})
			if err != nil {
				if !generatedFunc(f.Name) && strings.Contains(err.Error(), "is not generated yet") {
					continue
				}
				t.Errorf("%s in %s: %v", loss, lang, err)
				continue
			}
			if !generatedFunc(f.Name) {
				t.Errorf("%s in %s: generated although generatedFunc does not name it", loss, lang)
			}
			if m := bare.FindString(res.Code); m != "" {
				t.Errorf("%s in %s: a call with no function name (%q) in:\n%s", loss, lang, m, res.Code)
			}
		}
	}
}
