package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/cmd/internal/web"
)

// Each result of POST /api/run is what `symdiff run --json` prints for the
// statement, plus the page's fields.
func TestServeAnswersAsRunJSON(t *testing.T) {
	srv := httptest.NewServer(web.New(web.Options{}))
	defer srv.Close()
	for _, c := range []struct {
		file   string
		status int
	}{
		{filepath.Join(repoRoot(t), "examples", "logistic.sd"), 0},
		{filepath.Join("testdata", "latex", "proofs.sd"), 1},
	} {
		t.Run(filepath.Base(c.file), func(t *testing.T) {
			var want []map[string]any
			dec := json.NewDecoder(strings.NewReader(collect(t, c.status, "run", "--json", c.file)))
			for dec.More() {
				var m map[string]any
				if err := dec.Decode(&m); err != nil {
					t.Fatal(err)
				}
				want = append(want, m)
			}
			src, err := os.ReadFile(c.file)
			if err != nil {
				t.Fatal(err)
			}
			got := apiResults(t, srv.URL, string(src))
			if diff := cmp.Diff(want, got); diff != "" || len(want) == 0 {
				t.Errorf("%d results of run --json; the API's differ (-run +api):\n%s", len(want), diff)
			}
		})
	}
}

// outputLines reads what a command prints, a line at a time.
func outputLines(r io.Reader) <-chan string {
	ch := make(chan string)
	go func() {
		defer close(ch)
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			ch <- sc.Text()
		}
	}()
	return ch
}

// symdiff serve answers on the address it prints and stops gracefully on
// SIGTERM.
func TestServeCommand(t *testing.T) {
	pr, pw := io.Pipe()
	var stderr strings.Builder
	done := make(chan int, 1)
	go func() {
		done <- Main([]string{"serve", "--addr", "127.0.0.1:0"}, strings.NewReader(""), pw, &stderr)
		pw.Close()
	}()
	out := outputLines(pr)
	first := <-out
	url, ok := strings.CutPrefix(first, "symdiff playground on ")
	if !ok {
		t.Fatalf("symdiff serve printed %q; stderr %q", first, stderr.String())
	}
	url, _, _ = strings.Cut(url, " ")
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Errorf("serving on %s, want the loopback address", url)
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), "z[i] := sum(j=1..d, x[i,j]*w[j])") {
		t.Errorf("GET /: status %d; the page does not hold the seed script", resp.StatusCode)
	}
	resp, err = http.Post(url+"api/run", "application/json", strings.NewReader(`{"script": "d(sigma(x)^2, x)"}`))
	if err != nil {
		t.Fatal(err)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(answer), `"result":"2*sigma(x)^2*(1 - sigma(x))"`) {
		t.Errorf("POST /api/run: %s", answer)
	}

	// The command has its SIGTERM handler in place: it printed its address
	// after installing it.
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	var rest []string
	for l := range out {
		rest = append(rest, l)
	}
	if status := <-done; status != 0 || stderr.String() != "" {
		t.Errorf("status %d, stderr %q", status, stderr.String())
	}
	if strings.Join(rest, "\n") != "symdiff playground stopped" {
		t.Errorf("after SIGTERM it printed %q", rest)
	}
	if _, err := http.Get(url); err == nil {
		t.Error("the server still answers after it stopped")
	}
}

// A busy or wrong address is bad usage.
func TestServeBadAddress(t *testing.T) {
	_, stderr, status := runMain(t, "serve", "--addr", "127.0.0.1:notaport")
	if status != 2 || !strings.Contains(stderr, "notaport") {
		t.Errorf("status %d, stderr %q", status, stderr)
	}
}
