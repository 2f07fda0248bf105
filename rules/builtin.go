package rules

import "embed"

// The built-in rules are this folder's *.rules files, embedded in the
// binary. Package load reads them with the same parser as a user's file.

//go:embed *.rules
var BuiltinFS embed.FS

// BuiltinFiles lists the embedded rule files in load order, and the kind
// of rewrite rule each holds.
var BuiltinFiles = []struct {
	Name string
	Kind Kind
}{
	{"deriv.rules", Simplify},
	{"simplify.rules", Simplify},
	{"basis.rules", Basis},
}
