package rules

import _ "embed" // the built-in rule files

// The built-in rules are this folder's *.rules files, embedded in the
// binary as strings (read without a copy). Package load reads them with
// the same parser as a user's file, or from the compact form made of them
// at build time.

var (
	//go:embed deriv.rules
	derivRules string
	//go:embed simplify.rules
	simplifyRules string
	//go:embed basis.rules
	basisRules string
)

// BuiltinFiles lists the embedded rule files in load order, the kind of
// rewrite rule each holds, and its text.
var BuiltinFiles = []struct {
	Name string
	Kind Kind
	Text string
}{
	{"deriv.rules", Simplify, derivRules},
	{"simplify.rules", Simplify, simplifyRules},
	{"basis.rules", Basis, basisRules},
}
