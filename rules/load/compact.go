package load

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/ast/once"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/rules"
)

// The built-in rules in a compact form, made at build time. Parsing the
// embedded rule files costs more than a millisecond, on every start of
// every command that computes; builtin_gen.go holds the statements they
// parse to, already lowered, and reading them back only builds the trees.
// `go generate ./rules/load` rewrites builtin_gen.go, and
// TestBuiltinGenerated fails when it is out of date with the .rules
// files. At run time a file whose text no longer matches the hash it was
// generated from is parsed instead, so a stale build is slow, never wrong.
//
// The form is a list of fields separated by spaces. A statement is
//
//	rule NAME LINE NCONDS NVARS VAR... LHS RHS (X OP Y)...
//	deriv FN WRT LINE NPARAMS PARAM... BODY
//	def NAME KIND LINE NPARAMS PARAM... BODY
//
// and an expression is written in prefix: #NUMBER, $NAME, @NAME N INDEX...,
// ~ X (negation), +N TERM..., *N FACTOR..., / X Y, ^ X Y, !FN N ARG...,
// sum:V LO HI BODY or mean:V LO HI BODY, [N ARG... (a bracket), d X V,
// or =K for the K-th expression of the file written before (counted
// from 0 in the order they end): the built-in rules repeat their trees
// (795 nodes, 218 distinct), and a repeat read back is a lookup.
// A rule's VARs are its pattern variables (rules.PatternVars of its left
// side), so that reading it back need not look for them.

//go:generate go test -run TestBuiltinGenerated -update .

// compactFile is one built-in rule file in the compact form. A file that
// uses a node the form has no spelling for (a kind of node added since)
// is generated with parse set, and parsed at run time.
type compactFile struct {
	name string
	hash uint64 // of the file's text (FNV-1a)
	enc  string
	// stmts and refs are the file's statements and distinct trees, for
	// the capacity of what reading it back makes.
	stmts, refs int
	parse       bool
}

// compactDecl is a function the built-in rules know only by a derivative
// rule, with its arity (rules.Set.Funcs of the built-in set).
type compactDecl struct {
	name  string
	arity int
}

// compactCurrent reports whether builtin_gen.go was generated from the
// embedded rule files as they are.
func compactCurrent() bool {
	if len(builtinCompact) != len(rules.BuiltinFiles) {
		return false
	}
	hashes := builtinHashes()
	for i, f := range rules.BuiltinFiles {
		if builtinCompact[i].name != f.Name || builtinCompact[i].hash != hashes[i] {
			return false
		}
	}
	return true
}

// Package-level values made on first use are a sync.Once beside the value
// rather than a sync.OnceValue: that is a call, made at every start (two
// allocations and the package's initialisation code, run for a command
// that never asks).
var (
	hashesOnce once.Once
	hashesVal  []uint64
	ctxOnce    once.Once
	ctxVal     *parser.Context
)

// builtinHashes returns the hashes of the embedded rule files' texts,
// worked out once per process (print asks through BuiltinContext, and diff
// again when it builds the rules).
func builtinHashes() []uint64 {
	hashesOnce.Do(func() {
		h := make([]uint64, len(rules.BuiltinFiles))
		for i, f := range rules.BuiltinFiles {
			h[i] = textHash(f.Text)
		}
		hashesVal = h
	})
	return hashesVal
}

func builtinCtx() *parser.Context {
	ctxOnce.Do(func() { ctxVal = builtinContext() })
	return ctxVal
}

// BuiltinContext returns a parser context that knows the functions and
// definitions of the built-in rules, Context(Builtin(), an empty Defs),
// without building the rules when what it needs was recorded at build
// time: a command that only parses (symdiff print) need not build
// hundreds of trees. The caller must not modify it.
func BuiltinContext() *parser.Context { return builtinCtx() }

func builtinContext() *parser.Context {
	if builtinDefs > 0 || !compactCurrent() {
		// Definitions are trees: build the rules (so does a stale build).
		return Context(Builtin(), &ast.Defs{})
	}
	funcs := make(map[string]int, len(builtinDecls))
	for _, d := range builtinDecls {
		funcs[d.name] = d.arity
	}
	return &parser.Context{Defs: &ast.Defs{}, Funcs: funcs}
}

// textHash is the FNV-1a hash of src (hash/fnv's New64a, without copying
// src into a byte slice).
func textHash(src string) uint64 {
	const offset64, prime64 = 14695981039346656037, 1099511628211
	h := uint64(offset64)
	for i := 0; i < len(src); i++ {
		h ^= uint64(src[i])
		h *= prime64
	}
	return h
}

type encoder struct {
	b   strings.Builder
	err error
	// seen numbers the expressions written so far, in the order they
	// end: a tree written again is written =K (the trees are
	// hash-consed, so a repeat is the same pointer).
	seen map[ast.Expr]int
}

func (w *encoder) field(s string) {
	if w.b.Len() > 0 {
		w.b.WriteByte(' ')
	}
	w.b.WriteString(s)
}

func (w *encoder) int(n int) { w.field(strconv.Itoa(n)) }

func (w *encoder) exprs(head string, es []ast.Expr) {
	w.field(head + strconv.Itoa(len(es)))
	for _, x := range es {
		w.expr(x)
	}
}

func (w *encoder) expr(e ast.Expr) {
	if k, ok := w.seen[e]; ok {
		w.field("=" + strconv.Itoa(k))
		return
	}
	w.node(e)
	if w.seen == nil {
		w.seen = map[ast.Expr]int{}
	}
	w.seen[e] = len(w.seen)
}

func (w *encoder) node(e ast.Expr) {
	switch e := e.(type) {
	case *ast.Num:
		w.field("#" + e.Value.Rat().RatString())
	case *ast.Sym:
		w.field("$" + e.Name)
	case *ast.Index:
		w.field("@" + e.Name)
		w.exprs("", e.Indices)
	case *ast.Neg:
		w.field("~")
		w.expr(e.X)
	case *ast.Add:
		w.exprs("+", e.Terms)
	case *ast.Mul:
		w.exprs("*", e.Factors)
	case *ast.Div:
		w.field("/")
		w.expr(e.X)
		w.expr(e.Y)
	case *ast.Pow:
		w.field("^")
		w.expr(e.X)
		w.expr(e.Y)
	case *ast.Call:
		w.field("!" + e.Fn)
		w.exprs("", e.Args)
	case *ast.Sum:
		w.field(e.Op.String() + ":" + e.Var)
		w.expr(e.Lo)
		w.expr(e.Hi)
		w.expr(e.Body)
	case *ast.Iverson:
		w.exprs("[", e.Args)
	case *ast.Deriv:
		w.field("d")
		w.expr(e.X)
		w.expr(e.Wrt)
	default:
		if w.err == nil {
			w.err = fmt.Errorf("the compact form has no %T (%s)", e, ast.String(e))
		}
	}
}

func (w *encoder) names(ns []string) {
	w.int(len(ns))
	for _, n := range ns {
		w.field(n)
	}
}

// encodeFile writes the statements of one rule file in the compact form.
func encodeFile(stmts []*parser.Statement) (string, error) {
	w := &encoder{}
	for _, st := range stmts {
		switch x := st.Stmt.(type) {
		case *ast.RuleStmt:
			w.field("rule " + x.Name)
			w.int(st.Pos.Line)
			w.int(len(x.Conds))
			w.names(rules.PatternVars(x.LHS))
			w.expr(x.LHS)
			w.expr(x.RHS)
			for _, c := range x.Conds {
				w.expr(c.X)
				w.field(c.Op)
				w.expr(c.Y)
			}
		case *ast.DerivStmt:
			w.field("deriv " + x.Fn)
			w.int(x.Wrt)
			w.int(st.Pos.Line)
			w.names(x.Params)
			w.expr(x.Body)
		case *ast.DefStmt:
			w.field("def " + x.Def.Name)
			w.int(int(x.Def.Kind))
			w.int(st.Pos.Line)
			w.names(x.Def.Params)
			w.expr(x.Def.Body)
		default:
			return "", fmt.Errorf("line %d: the compact form has no %T", st.Pos.Line, st.Stmt)
		}
	}
	return w.b.String(), w.err
}

// decoder reads the compact form back.
type decoder struct {
	s   string
	err error
	// kids is a stack of the operands of the nodes being read: the
	// constructors copy the operands they keep, so one buffer serves all
	// the nodes instead of a slice for each.
	kids []ast.Expr
	// refs are the expressions read so far, in the order they end: =K
	// is refs[K].
	refs []ast.Expr
}

func (r *decoder) field() string {
	if r.err != nil || r.s == "" {
		if r.err == nil {
			r.err = fmt.Errorf("the compact form ends early")
		}
		return ""
	}
	i := strings.IndexByte(r.s, ' ')
	if i < 0 {
		f := r.s
		r.s = ""
		return f
	}
	f := r.s[:i]
	r.s = r.s[i+1:]
	return f
}

func (r *decoder) atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil && r.err == nil {
		r.err = err
	}
	return n
}

func (r *decoder) int() int { return r.atoi(r.field()) }

// exprs reads n operands onto the kids stack and returns them; the
// caller passes them to a constructor and then pops them (pop).
func (r *decoder) exprs(n int) []ast.Expr {
	if n < 0 || n > len(r.s) {
		r.err = fmt.Errorf("bad count %d", n)
		return nil
	}
	base := len(r.kids)
	for range n {
		x := r.expr()
		r.kids = append(r.kids, x)
	}
	return r.kids[base:len(r.kids):len(r.kids)]
}

// pop removes the operands exprs returned from the kids stack once the
// node built from them exists.
func (r *decoder) pop(kids []ast.Expr, e ast.Expr) ast.Expr {
	clear(r.kids[len(r.kids)-len(kids):])
	r.kids = r.kids[:len(r.kids)-len(kids)]
	return e
}

func (r *decoder) expr() ast.Expr {
	f := r.field()
	if r.err != nil {
		return ast.Zero
	}
	if ref, ok := strings.CutPrefix(f, "="); ok {
		k := r.atoi(ref)
		if r.err != nil || k < 0 || k >= len(r.refs) {
			r.err = fmt.Errorf("bad reference %q", f)
			return ast.Zero
		}
		return r.refs[k]
	}
	e := r.node(f)
	r.refs = append(r.refs, e)
	return e
}

// node reads the expression that starts with the field f.
func (r *decoder) node(f string) ast.Expr {
	switch {
	case f[0] == '#':
		if v, err := strconv.ParseInt(f[1:], 10, 64); err == nil {
			return ast.NewInt(v)
		}
		q, ok := new(big.Rat).SetString(f[1:])
		if !ok {
			r.err = fmt.Errorf("bad number %q", f)
			return ast.Zero
		}
		return ast.NewNum(ast.FromRat(q))
	case f[0] == '$':
		return ast.NewSym(f[1:])
	case f[0] == '@':
		kids := r.exprs(r.int())
		return r.pop(kids, ast.NewIndex(f[1:], kids...))
	case f == "~":
		return ast.NewNeg(r.expr())
	case f[0] == '+':
		kids := r.exprs(r.atoi(f[1:]))
		return r.pop(kids, ast.NewAdd(kids...))
	case f[0] == '*':
		kids := r.exprs(r.atoi(f[1:]))
		return r.pop(kids, ast.NewMul(kids...))
	case f == "/":
		x := r.expr()
		return ast.NewDiv(x, r.expr())
	case f == "^":
		x := r.expr()
		return ast.NewPow(x, r.expr())
	case f[0] == '!':
		kids := r.exprs(r.int())
		return r.pop(kids, ast.NewCall(f[1:], kids...))
	case f[0] == '[':
		args := r.exprs(r.atoi(f[1:]))
		if r.err != nil || len(args) < 2 {
			r.err = fmt.Errorf("bad bracket")
			return ast.Zero
		}
		return r.pop(args, ast.NewIverson(args...))
	case f == "d":
		x := r.expr()
		return ast.NewDeriv(x, r.expr())
	}
	for _, op := range []ast.SumOp{ast.OpSum, ast.OpMean} {
		if v, ok := strings.CutPrefix(f, op.String()+":"); ok {
			lo := r.expr()
			hi := r.expr()
			return ast.NewSum(op, v, lo, hi, r.expr())
		}
	}
	r.err = fmt.Errorf("unknown field %q", f)
	return ast.Zero
}

func (r *decoder) names() []string {
	n := r.int()
	if n < 0 || n > len(r.s) {
		r.err = fmt.Errorf("bad count %d", n)
		return nil
	}
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = r.field()
	}
	return out
}

// A decodedStmt is one statement read back from the compact form. The
// decoder fills one for each statement in turn: what a caller keeps of it
// (slices, trees) is its own, the struct is not.
type decodedStmt struct {
	head string // rule, deriv or def
	// name is the rule's or the definition's name, or the function of a
	// derivative rule.
	name string
	line int
	// names are a rule's pattern variables (rules.PatternVars of its left
	// side), or the parameters of a derivative rule or a definition.
	names    []string
	lhs, rhs ast.Expr // a rule
	conds    []ast.Cond
	wrt      int         // a derivative rule
	kind     ast.DefKind // a definition
	body     ast.Expr    // a derivative rule or a definition
}

// each reads the statements of the compact form in order and calls f with
// each; it stops at the first error, which it returns.
func (r *decoder) each(f func(*decodedStmt) error) error {
	var d decodedStmt
	for r.s != "" && r.err == nil {
		d = decodedStmt{head: r.field()}
		switch d.head {
		case "rule":
			d.name = r.field()
			d.line = r.int()
			n := r.int()
			d.names = r.names()
			d.lhs = r.expr()
			d.rhs = r.expr()
			if n < 0 || n > len(r.s) {
				r.err = fmt.Errorf("bad count %d", n)
				break
			}
			if n > 0 {
				d.conds = make([]ast.Cond, n)
			}
			for i := range d.conds {
				c := &d.conds[i]
				c.X = r.expr()
				c.Op = r.field()
				c.Y = r.expr()
			}
		case "deriv":
			d.name = r.field()
			d.wrt = r.int()
			d.line = r.int()
			d.names = r.names()
			d.body = r.expr()
		case "def":
			d.name = r.field()
			d.kind = ast.DefKind(r.int())
			d.line = r.int()
			d.names = r.names()
			d.body = r.expr()
		default:
			if r.err == nil {
				r.err = fmt.Errorf("unknown statement %q", d.head)
			}
		}
		if r.err != nil {
			break
		}
		if err := f(&d); err != nil {
			return err
		}
	}
	return r.err
}

// decodeFile reads the statements of the rule file named file back from
// the compact form, and the pattern variables of each (nil but for
// rules).
func decodeFile(file, enc string) ([]*parser.Statement, [][]string, error) {
	r := &decoder{s: enc}
	var out []*parser.Statement
	var vars [][]string
	err := r.each(func(d *decodedStmt) error {
		var st ast.Stmt
		var v []string
		switch d.head {
		case "rule":
			st = &ast.RuleStmt{Name: d.name, LHS: d.lhs, RHS: d.rhs, Conds: d.conds}
			v = d.names
		case "deriv":
			st = &ast.DerivStmt{Fn: d.name, Params: d.names, Wrt: d.wrt, Body: d.body}
		case "def":
			st = &ast.DefStmt{Def: &ast.Def{Name: d.name, Kind: d.kind, Params: d.names, Body: d.body}}
		}
		out = append(out, &parser.Statement{Stmt: st, Pos: parser.Pos{Filename: file, Line: d.line, Col: 1}})
		vars = append(vars, v)
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("%s: compact form: %v", file, err)
	}
	return out, vars, nil
}

// decodeInto adds the statements of one built-in rule file, read back
// from its compact form, to s (a set not yet published): what add does
// with the parsed statements, without building them. The rules of the
// file are made in one block of c.stmts.
func decodeInto(s *rules.Set, file string, c compactFile, kind rules.Kind) error {
	r := &decoder{s: c.enc, refs: make([]ast.Expr, 0, c.refs)}
	block := make([]rules.Rule, c.stmts)
	s.AddFile(file)
	return r.each(func(d *decodedStmt) error {
		where := rules.Source{File: file, Line: d.line}
		if d.head == "def" {
			if d.kind != ast.DefFunc {
				return fmt.Errorf("line %d: a rule file may define only functions", d.line)
			}
			return s.AddDef(&ast.Def{Name: d.name, Kind: d.kind, Params: d.names, Body: d.body})
		}
		var x *rules.Rule
		if len(block) > 0 {
			x, block = &block[0], block[1:]
		} else {
			x = new(rules.Rule) // c.stmts is a capacity, not a promise
		}
		if d.head == "deriv" {
			*x = derivRule(d.name, d.names, d.wrt, d.body, where)
			s.AddDeriv(x)
			return nil
		}
		*x = rules.Rule{Name: d.name, Kind: kind, LHS: d.lhs, RHS: d.rhs, Conds: d.conds, Vars: d.names, Source: where}
		return s.AddRule(x)
	})
}

// decodeBuiltin returns the built-in rules read from the compact form, or
// false when it does not match the embedded files (a build whose
// builtin_gen.go is stale).
func decodeBuiltin() (*rules.Set, bool) {
	if !compactCurrent() {
		return nil, false
	}
	s := rules.Empty()
	for i, f := range rules.BuiltinFiles {
		c, src := builtinCompact[i], f.Text
		if c.parse {
			var err error
			if s, err = load(s, "rules/"+f.Name, src, f.Kind); err != nil {
				return nil, false
			}
			continue
		}
		file := "rules/" + f.Name
		if f.Name == builtinLazyDerivs {
			// Only derivative rules, and the only ones: read on first
			// use (a command that differentiates no function does not
			// read them); the functions they declare are known already.
			s.AddFile(file)
			s.DerivsOnFirstUse(func() *rules.Set { return readDerivs(file, c, f.Kind, src) })
			for _, d := range builtinDecls {
				s.AddDecl(d.name, d.arity)
			}
			continue
		}
		// s is this function's own until it returns: no copy per file.
		if err := decodeInto(s, file, c, f.Kind); err != nil {
			return nil, false
		}
	}
	return s, true
}

// readDerivs returns a set with the rules of the built-in file named
// builtinLazyDerivs, read back from its compact form (or, should that
// fail, parsed). A broken embedded file is a bug, caught by the tests; at
// run time it panics with the file's error, as Builtin does.
func readDerivs(file string, c compactFile, kind rules.Kind, src string) *rules.Set {
	s := rules.Empty()
	if err := decodeInto(s, file, c, kind); err == nil {
		return s
	}
	s, err := load(rules.Empty(), file, src, kind)
	if err != nil {
		panic(fmt.Sprintf("rules: built-in rules do not load: %v", err))
	}
	return s
}
