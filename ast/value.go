package ast

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Values bound to names for evaluation, and how a user's text becomes one.

// A Value is a binding for a name: a scalar, or a vector or matrix (any
// rank) for an indexed name, row-major, indices 1-based.
type Value struct {
	Shape []int // nil for a scalar
	Data  []float64
	// Exact, when set, holds the exact rational each entry stands for
	// where Data has only its nearest float64 (x = 1/3); exact evaluation
	// reads it, float64 evaluation reads Data.
	Exact []*big.Rat
}

// RatScalar returns a scalar Value that is exactly r.
func RatScalar(r *big.Rat) Value {
	f, _ := r.Float64()
	return Value{Data: []float64{f}, Exact: []*big.Rat{new(big.Rat).Set(r)}}
}

// Scalar returns a scalar Value.
func Scalar(v float64) Value { return Value{Data: []float64{v}} }

// Bindings maps names to values.
type Bindings map[string]Value

func (v Value) String() string {
	if v.Shape == nil {
		if v.Exact != nil {
			if r, ok := DecimalRat(v.Data[0]); !ok || r.Cmp(v.Exact[0]) != 0 {
				return v.Exact[0].RatString() // 1/3, not 0.3333333333333333
			}
		}
		return strconv.FormatFloat(v.Data[0], 'g', -1, 64)
	}
	var b strings.Builder
	var rec func(dim, off int) int
	rec = func(dim, off int) int {
		b.WriteString("[")
		for i := 0; i < v.Shape[dim]; i++ {
			if i > 0 {
				b.WriteString(",")
			}
			if dim == len(v.Shape)-1 {
				b.WriteString(strconv.FormatFloat(v.Data[off], 'g', -1, 64))
				off++
			} else {
				off = rec(dim+1, off)
			}
		}
		b.WriteString("]")
		return off
	}
	rec(0, 0)
	return b.String()
}

// ParseValue reads a binding's value: a number (0.3, -2, 1e-3) or nested
// lists of numbers ([1,0,1], [[1,2],[3,4]]) of a regular shape.
func ParseValue(s string) (Value, error) {
	s = strings.TrimSpace(s)
	if num, den, ok := strings.Cut(s, "/"); ok && !strings.HasPrefix(s, "[") {
		// A fraction such as 1/3, as an exact counterexample prints.
		r, ok := new(big.Rat).SetString(strings.TrimSpace(num) + "/" + strings.TrimSpace(den))
		if !ok || strings.ContainsAny(den, ".eE+-") {
			return Value{}, fmt.Errorf("%q is not a number or a list of numbers", s)
		}
		return RatScalar(r), nil
	}
	if !strings.HasPrefix(s, "[") {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return Value{}, fmt.Errorf("%q is not a number or a list of numbers", s)
		}
		if math.IsInf(f, 0) || math.IsNaN(f) { // ParseFloat reads "NaN" and "Inf"
			return Value{}, fmt.Errorf("%q is not a finite number", s)
		}
		return Scalar(f), nil
	}
	var raw any
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return Value{}, fmt.Errorf("%q is not a list of numbers: %w", s, err)
	}
	if rest := strings.TrimSpace(s[dec.InputOffset():]); rest != "" {
		return Value{}, fmt.Errorf("%q is not a list of numbers: unexpected %q after the list", s, rest)
	}
	var v Value
	var rec func(x any, dim int) error
	rec = func(x any, dim int) error {
		switch x := x.(type) {
		case []any:
			if dim == len(v.Shape) {
				if len(v.Data) > 0 {
					return errors.New("the list is not regular (rows of different depth)")
				}
				v.Shape = append(v.Shape, len(x))
			} else if v.Shape[dim] != len(x) {
				return fmt.Errorf("the list is not regular (rows of length %d and %d)", v.Shape[dim], len(x))
			}
			if len(x) == 0 {
				return errors.New("empty lists have no values")
			}
			for _, e := range x {
				if err := rec(e, dim+1); err != nil {
					return err
				}
			}
		case json.Number:
			if dim != len(v.Shape) {
				return errors.New("the list is not regular (numbers and lists mixed)")
			}
			f, err := strconv.ParseFloat(string(x), 64)
			if err != nil {
				return fmt.Errorf("%s is not a number in the range of a float64", x)
			}
			v.Data = append(v.Data, f)
		default:
			return fmt.Errorf("%v is not a number", x)
		}
		return nil
	}
	if err := rec(raw, 0); err != nil {
		return Value{}, fmt.Errorf("%q: %w", s, err)
	}
	return v, nil
}
