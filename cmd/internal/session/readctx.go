package session

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/symdiff/symdiff/parser"
)

// readPiece is how much ReadSourceContext reads between two looks at its
// context.
const readPiece = 1 << 20

// ReadSourceContext is ReadSource, stopping when ctx is done, with the
// words of a stopped read ("FILE: interrupted (reading the script)").
// Reading 16 MB took up to 200 ms of CPU on a loaded machine (os.ReadFile
// and then its copy into a string, both into fresh memory), all of it
// after a Ctrl-C that came meanwhile; it is read a piece at a time into
// the string's own memory. Standard input, and whatever is not a regular
// file of at most the input limit, are read (and their errors worded) by
// ReadSource.
func ReadSourceContext(ctx context.Context, file string) (string, error) {
	if file == "-" || ctx.Done() == nil {
		return readFile(file)
	}
	f, err := os.Open(file)
	if err != nil {
		return readFile(file)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() || fi.Size() > parser.MaxInputBytes {
		return readFile(file)
	}
	var b strings.Builder
	b.Grow(int(fi.Size()) + 1) // +1: the end of the file is seen without growing
	buf := make([]byte, min(readPiece, fi.Size()+1))
	for {
		if err := ctx.Err(); err != nil {
			return "", stoppedReading(err, file+": ", "the script")
		}
		n, err := f.Read(buf)
		b.Write(buf[:n])
		if b.Len() > parser.MaxInputBytes { // grown since the Stat
			return "", tooLarge(file, int64(b.Len()))
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", fmt.Errorf("cannot read %s: %v", file, err)
		}
	}
	return b.String(), nil
}
