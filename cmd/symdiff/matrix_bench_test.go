package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Whole-process benchmarks of the matrix calculus: the built binary is
// run on a script, as a user runs it (start-up, parsing, translation to
// index form, differentiation, simplification, translation back,
// printing). go test -run '^$' -bench Process ./cmd/symdiff/

// buildBench builds the command into a temporary directory.
func buildBench(b *testing.B) string {
	b.Helper()
	bin := filepath.Join(b.TempDir(), "symdiff")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// benchProcess runs `symdiff run` on the script and checks that its
// output starts with want.
func benchProcess(b *testing.B, script, want string) {
	bin := buildBench(b)
	file := filepath.Join(b.TempDir(), "bench.sd")
	if err := os.WriteFile(file, []byte(script), 0o644); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		out, err := exec.Command(bin, "run", file).Output()
		if err != nil {
			b.Fatalf("symdiff run: %v", err)
		}
		if !strings.HasPrefix(string(out), want) {
			b.Fatalf("symdiff run printed %q, want %q first", out, want)
		}
	}
}

const seedMatrix = `X : matrix(n, d)
w : vector(d)
y : vector(n)
CE := -mean(y .* log(sigma(X*w)) + (1 - y) .* log(1 - sigma(X*w)))
`

func BenchmarkProcessCEGradient(b *testing.B) {
	benchProcess(b, seedMatrix+"d(CE, w)\n", "X'*(sigma(X*w) - y)/n\n")
}

func BenchmarkProcessCEHessian(b *testing.B) {
	benchProcess(b, seedMatrix+"hessian(CE, w)\n", "X'*diag(sigma(X*w) .* (1 - sigma(X*w)))*X/n\n")
}

// d/dW1 of sum(tanh(W10*tanh(W9*...tanh(W1*x)))).
func BenchmarkProcessChain10GradientW1(b *testing.B) {
	script, f := "x : vector(m)\n", "x"
	for i := 1; i <= 10; i++ {
		script += fmt.Sprintf("W%d : matrix(m, m)\n", i)
		f = fmt.Sprintf("tanh(W%d*%s)", i, f)
	}
	benchProcess(b, script+"d(sum("+f+"), W1)\n", "(W2'*diag(1 - tanh(W2*tanh(W1*x)).^2)*W3'*")
}
