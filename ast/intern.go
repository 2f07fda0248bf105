package ast

import (
	"encoding/binary"
	"sync"
	"sync/atomic"
	"weak"
)

// Hash-consing. Each node type has a table from a key (the node's kind,
// attributes and children's IDs) to a weak pointer to the one live node with
// that content. Weak pointers let unused nodes be collected, so a long REPL
// session or a fuzzing run does not grow the tables forever; entries whose
// node is gone are swept out whenever a table has doubled since the last
// sweep (a cleanup per node would cost more than the node).

var lastID atomic.Uint64

type key struct {
	op   uint8
	s    string // name, function, variable or number
	kids string // the children's IDs, 8 bytes each
}

type table[T any] struct {
	mu        sync.Mutex
	m         map[key]weak.Pointer[T]
	nextSweep int
}

func newTable[T any]() *table[T] {
	return &table[T]{m: make(map[key]weak.Pointer[T]), nextSweep: minSweep}
}

const minSweep = 4096

// intern returns the live node for k, or stores and returns the one build makes.
func intern[T any](t *table[T], k key, build func(id uint64) *T) *T {
	t.mu.Lock()
	defer t.mu.Unlock()
	if wp, ok := t.m[k]; ok {
		if v := wp.Value(); v != nil {
			return v
		}
	}
	v := build(lastID.Add(1))
	t.m[k] = weak.Make(v)
	if len(t.m) >= t.nextSweep {
		t.sweep()
	}
	return v
}

// sweep drops the entries whose node has been collected. Amortised over
// the insertions that doubled the table, it costs O(1) each.
func (t *table[T]) sweep() {
	// A fresh map rather than deletes: deleted slots would stay behind as
	// tombstones and lengthen every later probe.
	live := make(map[key]weak.Pointer[T], len(t.m))
	for k, wp := range t.m {
		if wp.Value() != nil {
			live[k] = wp
		}
	}
	t.m = live
	t.nextSweep = max(minSweep, 2*len(t.m))
}

var (
	numTable   = newTable[Num]()
	symTable   = newTable[Sym]()
	indexTable = newTable[Index]()
	negTable   = newTable[Neg]()
	addTable   = newTable[Add]()
	mulTable   = newTable[Mul]()
	divTable   = newTable[Div]()
	powTable   = newTable[Pow]()
	callTable  = newTable[Call]()
	sumTable   = newTable[Sum]()
	derivTable = newTable[Deriv]()
	iverTable  = newTable[Iverson]()
)

// smallNums are kept alive for ever: they are everywhere.
const smallNums = 64

var smallNumTable [2*smallNums + 1]*Num

func init() {
	for i := -smallNums; i <= smallNums; i++ {
		smallNumTable[i+smallNums] = internNum(Int(int64(i)))
	}
}

func ids(es ...Expr) string {
	b := make([]byte, 8*len(es))
	for i, e := range es {
		binary.LittleEndian.PutUint64(b[8*i:], e.ID())
	}
	return string(b)
}

// header computes size and height from the children.
func header(id uint64, kids ...Expr) node {
	size, h := int64(1), 0
	var flags uint8
	for _, k := range kids {
		flags |= k.(interface{ header() *node }).header().flags
		size += k.Size()
		if size > MaxSize {
			size = MaxSize
		}
		h = max(h, k.Height())
	}
	return node{id: id, size: size, height: int32(h + 1), flags: flags}
}

func internNum(v Number) *Num {
	return intern(numTable, key{s: v.Key()}, func(id uint64) *Num {
		return &Num{node: header(id), Value: v}
	})
}

func internSym(name string) *Sym {
	return intern(symTable, key{s: name}, func(id uint64) *Sym {
		return &Sym{node: header(id), Name: name}
	})
}

func internIndex(name string, indices []Expr) *Index {
	return intern(indexTable, key{s: name, kids: ids(indices...)}, func(id uint64) *Index {
		return &Index{node: header(id, indices...), Name: name, Indices: clone(indices)}
	})
}

func internNeg(x Expr) *Neg {
	return intern(negTable, key{kids: ids(x)}, func(id uint64) *Neg {
		return &Neg{node: header(id, x), X: x}
	})
}

func internAdd(terms []Expr) *Add {
	return intern(addTable, key{kids: ids(terms...)}, func(id uint64) *Add {
		return &Add{node: header(id, terms...), Terms: clone(terms)}
	})
}

func internMul(factors []Expr) *Mul {
	return intern(mulTable, key{kids: ids(factors...)}, func(id uint64) *Mul {
		return &Mul{node: header(id, factors...), Factors: clone(factors)}
	})
}

func internDiv(x, y Expr) *Div {
	return intern(divTable, key{kids: ids(x, y)}, func(id uint64) *Div {
		return &Div{node: header(id, x, y), X: x, Y: y}
	})
}

func internPow(x, y Expr) *Pow {
	return intern(powTable, key{kids: ids(x, y)}, func(id uint64) *Pow {
		return &Pow{node: header(id, x, y), X: x, Y: y}
	})
}

func internCall(fn string, args []Expr) *Call {
	return intern(callTable, key{s: fn, kids: ids(args...)}, func(id uint64) *Call {
		n := &Call{node: header(id, args...), Fn: fn, Args: clone(args)}
		if _, ok := ShadowedName(fn); ok {
			n.flags |= flagShadow
		}
		return n
	})
}

func internSum(op SumOp, v string, lo, hi, body Expr) *Sum {
	return intern(sumTable, key{op: uint8(op), s: v, kids: ids(lo, hi, body)}, func(id uint64) *Sum {
		return &Sum{node: header(id, lo, hi, body), Op: op, Var: v, Lo: lo, Hi: hi, Body: body}
	})
}

func internIverson(args []Expr) *Iverson {
	return intern(iverTable, key{kids: ids(args...)}, func(id uint64) *Iverson {
		n := &Iverson{node: header(id, args...), Args: clone(args)}
		n.flags |= flagIverson
		return n
	})
}

func internDeriv(x, wrt Expr) *Deriv {
	return intern(derivTable, key{kids: ids(x, wrt)}, func(id uint64) *Deriv {
		n := &Deriv{node: header(id, x, wrt), X: x, Wrt: wrt}
		n.flags |= flagDeriv
		return n
	})
}

// clone copies a caller's slice so that later changes to it cannot reach
// the node.
func clone(es []Expr) []Expr {
	if len(es) == 0 {
		return nil
	}
	return append([]Expr(nil), es...)
}
