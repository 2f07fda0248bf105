package ast

// A Verb is an algebra verb: a function of the language that reshapes its
// first argument without changing its value (package simplify/algebra).
// A call to a verb is a Call node, which the session replaces by its
// result before anything else sees it.
type Verb struct {
	Name  string
	Arity int    // the number of arguments (the least number when Pairs)
	Pairs bool   // after the expression, any number of pairs x = v
	Usage string // how it is called
	Doc   string
}

// Verbs is the table of algebra verbs.
var Verbs = []*Verb{
	{Name: "expand", Arity: 1, Usage: "expand(E)", Doc: "multiply out products and powers of sums"},
	{Name: "factor", Arity: 1, Usage: "factor(E)", Doc: "factor over the rationals"},
	{Name: "together", Arity: 1, Usage: "together(E)", Doc: "one fraction, common factors cancelled"},
	{Name: "apart", Arity: 2, Usage: "apart(E, x)", Doc: "partial fractions in x"},
	{Name: "collect", Arity: 2, Usage: "collect(E, x)", Doc: "group the terms by powers of x"},
	{Name: "subs", Arity: 3, Pairs: true, Usage: "subs(E, x = v)", Doc: "replace x by v (several at once: subs(E, x = 1, y = 2)), then simplify"},
}

// LookupVerb returns the verb called name.
func LookupVerb(name string) (*Verb, bool) {
	for _, v := range Verbs {
		if v.Name == name {
			return v, true
		}
	}
	return nil, false
}

// IsSubsPairs reports whether e is a call subs(E, x, v, ...) whose
// substitutions the printers write as typed, x = v.
func IsSubsPairs(e *Call) bool {
	if e.Fn != "subs" || len(e.Args) < 3 || len(e.Args)%2 == 0 {
		return false
	}
	_, builtin := LookupFunc(e.Fn)
	return !builtin
}
