package atomicfile

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// TestWriteFile: the file is written, an existing one is replaced with its
// permissions kept, nothing is left behind, and a failure leaves nothing.
func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.tex")
	if err := WriteFile(path, []byte("first\n")); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("new file: %v, %v; want mode 0644", fi.Mode(), err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, []byte("second\n")); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil || string(data) != "second\n" {
		t.Errorf("replaced file holds %q (%v)", data, err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("replaced file: mode %v (%v), want 0600 kept", fi.Mode(), err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("%d files in the directory, want only out.tex", len(entries))
	}
	if err := WriteFile(filepath.Join(dir, "missing", "x.tex"), []byte("x")); err == nil {
		t.Error("writing into a missing directory succeeded")
	}
	if _, err := os.Stat(filepath.Join(dir, "missing")); !os.IsNotExist(err) {
		t.Errorf("the missing directory was created: %v", err)
	}
}

// TestWriteFileAtomic: a reader never sees a half-written file, only the
// old content or the new one.
func TestWriteFileAtomic(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.tex")
	a := bytes.Repeat([]byte("a"), 1<<20)
	b := bytes.Repeat([]byte("b"), 1<<20)
	if err := WriteFile(path, a); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	bad := make(chan string, 1)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			data, err := os.ReadFile(path)
			if err != nil || !(bytes.Equal(data, a) || bytes.Equal(data, b)) {
				select {
				case bad <- describe(data, err):
				default:
				}
				return
			}
		}
	}()
	for i := 0; i < 20; i++ {
		next := a
		if i%2 == 0 {
			next = b
		}
		if err := WriteFile(path, next); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	select {
	case s := <-bad:
		t.Errorf("a reader saw %s", s)
	default:
	}
}

func describe(data []byte, err error) string {
	if err != nil {
		return err.Error()
	}
	return fmt.Sprintf("%d bytes, neither the old content nor the new", len(data))
}
