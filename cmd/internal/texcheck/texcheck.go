// Package texcheck lets tests hand the LaTeX that symdiff produces to real
// TeX engines: KaTeX (through Node, for formulas) and pdflatex (for whole
// documents), plus pdftoppm to turn a compiled page into a PNG.
//
// The tools are optional on a developer's machine: when one is missing the
// calling test is skipped with a message naming the tool and how to install
// it. When the environment variable SYMDIFF_REQUIRE_TEX is set to a true
// value (1, true), as CI does, a missing tool fails the test instead, so a
// broken install can never turn the checks into silent skips.
//
// Installing the tools is described in testdata/katex/README.md.
//
// Because a missing tool skips the whole calling test (t.Skip), call these
// helpers from tests, or subtests, dedicated to TeX checking rather than in
// the middle of an unrelated test.
package texcheck

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// RequireEnv is the environment variable that turns a missing tool from a
// skip into a failure.
const RequireEnv = "SYMDIFF_REQUIRE_TEX"

// Install hints, shown when a tool is missing.
const (
	KaTeXHint    = "KaTeX not installed: run `npm ci --prefix testdata/katex` (needs node and npm)"
	PDFLaTeXHint = "pdflatex not installed: apt-get install --no-install-recommends texlive-latex-base"
	PDFToPPMHint = "pdftoppm not installed: apt-get install --no-install-recommends poppler-utils"
)

// timeout bounds each external command; a TeX run that takes longer is
// stuck, not slow.
const timeout = 2 * time.Minute

// A Formula is one piece of LaTeX math, without the surrounding $ or \[ \].
type Formula struct {
	TeX     string
	Display bool   // render in display mode (needed for align*, gather*, ...)
	Name    string // identifies the formula in failure messages
}

// A Result is KaTeX's verdict on one formula.
type Result struct {
	OK       bool     `json:"ok"`
	Error    string   `json:"error"`    // KaTeX's message when !OK
	Warnings []string `json:"warnings"` // tolerated strict-mode findings
}

// Required reports whether SYMDIFF_REQUIRE_TEX asks for the tools to be
// present.
func Required() bool {
	v, err := strconv.ParseBool(os.Getenv(RequireEnv))
	return err == nil && v
}

// missing skips the test, or fails it when the tools are required. Callers
// return right after it, in case t is not a *testing.T that stops.
func missing(t testing.TB, hint, detail string) {
	t.Helper()
	msg := hint
	if detail != "" {
		msg += " (" + detail + ")"
	}
	if Required() {
		t.Fatalf("%s; %s=%s requires it", msg, RequireEnv, os.Getenv(RequireEnv))
		return
	}
	t.Skip(msg)
}

// RepoRoot returns the directory holding go.mod, found by walking up from
// the working directory (a package's directory under go test).
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("texcheck: %v", err)
	}
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			t.Fatalf("texcheck: no go.mod in %s or any parent", dir)
		}
		d = parent
	}
}

// KaTeX renders every formula with KaTeX in one Node process and fails the
// test once per rejected formula, naming it and giving its TeX and KaTeX's
// error. Tolerated strict-mode warnings are logged.
func KaTeX(t testing.TB, formulas []Formula) {
	t.Helper()
	results := KaTeXResults(t, formulas)
	for i, r := range results {
		f := formulas[i]
		name := f.Name
		if name == "" {
			name = fmt.Sprintf("formula #%d", i)
		}
		if !r.OK {
			t.Errorf("KaTeX rejects %s (display=%v):\n  TeX:   %s\n  error: %s", name, f.Display, f.TeX, r.Error)
		}
		for _, w := range r.Warnings {
			t.Logf("KaTeX warning for %s: %s", name, w)
		}
	}
}

// KaTeXResults renders the formulas like KaTeX but returns one Result per
// formula instead of failing the test, for tests that expect rejections.
// A missing or broken KaTeX install still skips or fails the test.
func KaTeXResults(t testing.TB, formulas []Formula) []Result {
	t.Helper()
	node, dir, ok := katexReady(t)
	if !ok || len(formulas) == 0 {
		return nil
	}

	type item struct {
		TeX     string `json:"tex"`
		Display bool   `json:"display"`
	}
	in := make([]item, len(formulas))
	for i, f := range formulas {
		in[i] = item{f.TeX, f.Display}
	}
	input, err := json.Marshal(in)
	if err != nil {
		t.Fatalf("texcheck: %v", err)
	}

	ctx, cancel := context.WithTimeout(t.Context(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join(dir, "check.js"))
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(input)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("texcheck: node check.js: %v\n%s", err, stderr.Bytes())
	}
	var results []Result
	if err := json.Unmarshal(stdout.Bytes(), &results); err != nil {
		t.Fatalf("texcheck: node check.js printed no result array: %v\nstdout: %.2000s\nstderr: %s", err, stdout.Bytes(), stderr.Bytes())
	}
	if len(results) != len(formulas) {
		t.Fatalf("texcheck: node check.js returned %d results for %d formulas", len(results), len(formulas))
	}
	return results
}

// katexReady finds node and testdata/katex, or reports KaTeX missing.
func katexReady(t testing.TB) (node, dir string, ok bool) {
	t.Helper()
	dir = filepath.Join(RepoRoot(t), "testdata", "katex")
	node, err := exec.LookPath("node")
	if err != nil {
		missing(t, KaTeXHint, "node not found in PATH")
		return "", "", false
	}
	if err := katexInstalled(dir); err != nil {
		missing(t, KaTeXHint, err.Error())
		return "", "", false
	}
	return node, dir, true
}

// tool finds an executable in PATH, or reports it missing.
func tool(t testing.TB, name, hint string) (path string, ok bool) {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		missing(t, hint, "")
		return "", false
	}
	return path, true
}

// katexInstalled checks that node_modules holds the KaTeX version that
// package-lock.json pins, so a stale install is reported like a missing one.
func katexInstalled(dir string) error {
	var lock struct {
		Packages map[string]struct {
			Version string `json:"version"`
		} `json:"packages"`
	}
	data, err := os.ReadFile(filepath.Join(dir, "package-lock.json"))
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, &lock); err != nil {
		return fmt.Errorf("package-lock.json: %w", err)
	}
	want := lock.Packages["node_modules/katex"].Version
	var pkg struct {
		Version string `json:"version"`
	}
	data, err = os.ReadFile(filepath.Join(dir, "node_modules", "katex", "package.json"))
	if errors.Is(err, os.ErrNotExist) {
		return errors.New("testdata/katex/node_modules/katex is missing")
	}
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, &pkg); err != nil {
		return fmt.Errorf("node_modules/katex/package.json: %w", err)
	}
	if pkg.Version != want {
		return fmt.Errorf("node_modules has katex %s, package-lock.json pins %s", pkg.Version, want)
	}
	return nil
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// PDFLaTeX compiles a complete LaTeX document with pdflatex (one run, in
// nonstop mode, halting on the first error) in a fresh temporary directory
// and returns the path of the PDF. On error the test fails with the error
// part of pdflatex's log. The directory, and so the PDF, is removed when the
// test ends: copy the file to keep it.
func PDFLaTeX(t testing.TB, name, document string) (pdfPath string) {
	t.Helper()
	pdflatex, ok := tool(t, "pdflatex", PDFLaTeXHint)
	if !ok {
		return ""
	}
	base := strings.Trim(unsafeName.ReplaceAllString(name, "_"), "_")
	if base == "" {
		base = "document"
	}
	dir := t.TempDir()
	tex := filepath.Join(dir, base+".tex")
	if err := os.WriteFile(tex, []byte(document), 0o644); err != nil {
		t.Fatalf("texcheck: %v", err)
	}

	ctx, cancel := context.WithTimeout(t.Context(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, pdflatex,
		"-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape",
		base+".tex")
	cmd.Dir = dir
	cmd.Env = os.Environ()
	if os.Getenv("SOURCE_DATE_EPOCH") == "" {
		// Fixed PDF metadata, so identical documents give identical PDFs.
		cmd.Env = append(cmd.Env, "SOURCE_DATE_EPOCH=0")
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	runErr := cmd.Run()

	pdf := filepath.Join(dir, base+".pdf")
	_, statErr := os.Stat(pdf)
	if runErr == nil && statErr == nil {
		if log, err := os.ReadFile(filepath.Join(dir, base+".log")); err == nil {
			for _, o := range Overfull(string(log), MaxOverfull) {
				t.Errorf("pdflatex on %s: %s", name, o)
			}
		}
		return pdf
	}
	log, err := os.ReadFile(filepath.Join(dir, base+".log"))
	if err != nil {
		log = out.Bytes()
	}
	why := runErr
	if why == nil {
		why = errors.New("no PDF written")
	}
	t.Fatalf("pdflatex failed on %s: %v\n%s\n--- document ---\n%s", name, why, logExcerpt(string(log)), numbered(document))
	return ""
}

// logExcerpt returns the error messages of a TeX log: each line starting
// with "!" and the context lines after it, up to the "l.N" line that shows
// where TeX stopped (and the line after it, the rest of the input line).
// Without any, it returns the log's tail.
func logExcerpt(log string) string {
	lines := strings.Split(log, "\n")
	var b strings.Builder
	for i := 0; i < len(lines); i++ {
		if !strings.HasPrefix(lines[i], "!") || strings.HasPrefix(lines[i], "!  ==> Fatal error occurred") {
			continue
		}
		end := min(i+12, len(lines))
		for j := i; j < end && !strings.HasPrefix(lines[j], "Here is how much of TeX's memory"); j++ {
			if j > i && strings.HasPrefix(lines[j], "!") {
				break // the next error
			}
			b.WriteString(lines[j])
			b.WriteByte('\n')
			i = j
			if strings.HasPrefix(lines[j], "l.") {
				if j+1 < len(lines) {
					b.WriteString(lines[j+1])
					b.WriteByte('\n')
					i = j + 1
				}
				break
			}
		}
	}
	if b.Len() > 0 {
		return b.String()
	}
	return strings.Join(lines[max(0, len(lines)-30):], "\n")
}

// numbered prefixes each line of s with its line number, so the l.N of a
// TeX error can be found in the document.
func numbered(s string) string {
	var b strings.Builder
	for i, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		fmt.Fprintf(&b, "%4d  %s\n", i+1, l)
	}
	return b.String()
}

// PDFToPNG renders the first page of a PDF to a PNG file with pdftoppm, at
// 150 dpi. png must end in ".png".
func PDFToPNG(t testing.TB, pdf, png string) {
	t.Helper()
	pdftoppm, ok := tool(t, "pdftoppm", PDFToPPMHint)
	if !ok {
		return
	}
	prefix, ok := strings.CutSuffix(png, ".png")
	if !ok {
		t.Fatalf("texcheck: PDFToPNG: %q does not end in .png", png)
	}
	ctx, cancel := context.WithTimeout(t.Context(), timeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, pdftoppm,
		"-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile", pdf, prefix).CombinedOutput()
	if err != nil {
		t.Fatalf("pdftoppm %s: %v\n%s", pdf, err, out)
	}
	fi, err := os.Stat(png)
	if err != nil {
		t.Fatalf("pdftoppm wrote no %s: %v\n%s", png, err, out)
	}
	if fi.Size() == 0 {
		t.Fatalf("pdftoppm wrote an empty %s", png)
	}
}

// MaxOverfull is the widest overfull box a document may have, in points:
// a formula or a justification that sticks out of the page by more is
// cut off in the PDF.
const MaxOverfull = 1.0

var overfullRE = regexp.MustCompile(`(?m)^Overfull \\[hv]box \(([0-9.]+)pt too (?:wide|high)\)(.*)$`)

// Overfull returns the overfull boxes of a TeX log wider than limit
// points, each with the line of the log that reports it and the material
// TeX shows after it.
func Overfull(log string, limit float64) []string {
	var out []string
	lines := strings.Split(log, "\n")
	for i, l := range lines {
		m := overfullRE.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		if w, err := strconv.ParseFloat(m[1], 64); err != nil || w <= limit {
			continue
		}
		msg := l
		if i+1 < len(lines) && strings.TrimSpace(lines[i+1]) != "" {
			msg += "\n  " + lines[i+1]
		}
		out = append(out, msg)
	}
	return out
}
