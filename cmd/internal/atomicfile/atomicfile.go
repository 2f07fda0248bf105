// Package atomicfile writes files so that a reader, or a run that is
// interrupted, sees the old content or the new one, never a mix: LaTeX
// output (-o), the REPL's history and :save use it.
package atomicfile

import (
	"os"
	"path/filepath"
)

// WriteFile writes data to path atomically: into a temporary file in the
// same directory, then renamed over path, so an interrupted run never
// leaves a half-written file.
func WriteFile(path string, data []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	name := tmp.Name()
	defer os.Remove(name) // no-op after a successful rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if fi, err := os.Stat(path); err == nil {
		_ = os.Chmod(name, fi.Mode().Perm())
	} else {
		_ = os.Chmod(name, 0o644)
	}
	return os.Rename(name, path)
}
