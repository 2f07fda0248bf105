package bigmath_test

import (
	"math/big"
	"testing"

	"github.com/symdiff/symdiff/ast/internal/bigmath"
)

type unary func(*big.Float, uint) (*big.Float, error)

// bench256 times fn at 256 bits over a few ordinary arguments, cycling so
// that no single argument's special path dominates.
func bench256(b *testing.B, fn unary, args ...float64) {
	xs := make([]*big.Float, len(args))
	for i, a := range args {
		xs[i] = big.NewFloat(a)
	}
	// Fill the constant caches outside the timed loop.
	for _, x := range xs {
		if _, err := fn(x, 256); err != nil {
			b.Fatal(err)
		}
	}
	i := 0
	for b.Loop() {
		if _, err := fn(xs[i%len(xs)], 256); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

var ordinary = []float64{-37.25, -3.7, -0.83, -0.01, 0.3, 1, 2.5, 9.8, 55.5, 99}

func BenchmarkExp256(b *testing.B) { bench256(b, bigmath.Exp, ordinary...) }
func BenchmarkLog256(b *testing.B) {
	bench256(b, bigmath.Log, 0.01, 0.3, 0.99, 1.01, 2.5, 9.8, 55.5, 99)
}
func BenchmarkSqrt256(b *testing.B)     { bench256(b, bigmath.Sqrt, 0.01, 0.3, 2, 9.8, 99) }
func BenchmarkSin256(b *testing.B)      { bench256(b, bigmath.Sin, ordinary...) }
func BenchmarkCos256(b *testing.B)      { bench256(b, bigmath.Cos, ordinary...) }
func BenchmarkTanh256(b *testing.B)     { bench256(b, bigmath.Tanh, ordinary...) }
func BenchmarkSigmoid256(b *testing.B)  { bench256(b, bigmath.Sigmoid, ordinary...) }
func BenchmarkSoftplus256(b *testing.B) { bench256(b, bigmath.Softplus, ordinary...) }
func BenchmarkErf256(b *testing.B)      { bench256(b, bigmath.Erf, ordinary...) }
func BenchmarkErfc256(b *testing.B)     { bench256(b, bigmath.Erfc, ordinary...) }
func BenchmarkNormCDF256(b *testing.B)  { bench256(b, bigmath.NormCDF, ordinary...) }
func BenchmarkNormPDF256(b *testing.B)  { bench256(b, bigmath.NormPDF, ordinary...) }

// The tails use the continued fraction (or the series with extra bits just
// below the crossover), the slowest paths.
func BenchmarkErfcTail256(b *testing.B)    { bench256(b, bigmath.Erfc, 3, 5, 6, 8, 12, 30) }
func BenchmarkNormCDFTail256(b *testing.B) { bench256(b, bigmath.NormCDF, -4, -8, -9, -12, -30) }

func BenchmarkPow256(b *testing.B) {
	x, y := big.NewFloat(2.75), big.NewFloat(-13.4)
	for b.Loop() {
		if _, err := bigmath.Pow(x, y, 256); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPowInt256(b *testing.B) {
	x, y := big.NewFloat(-2.75), big.NewFloat(1001)
	for b.Loop() {
		if _, err := bigmath.Pow(x, y, 256); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkExp1024(b *testing.B) {
	x := big.NewFloat(2.5)
	for b.Loop() {
		if _, err := bigmath.Exp(x, 1024); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPiCached256(b *testing.B) {
	for b.Loop() {
		bigmath.Pi(256)
	}
}
