package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// progress draws a bar on a terminal while rules are checked, redrawn in
// place and wiped at the end:
//
//	checking rules  42% |████████████████                        | [3s:4s]
//
// (elapsed and predicted remaining time). It is ours rather than a
// library's: the progress-bar package and its colour tables cost every
// start of every command about 0.15 ms of package initialisation, for a
// bar only `rules check` on a terminal draws.
type progress struct {
	w     io.Writer
	label string
	max   int
	start time.Time

	mu    sync.Mutex
	n     int
	width int // of the last line drawn, to wipe it
}

const progressWidth = 40

func newProgress(w io.Writer, label string, max int) *progress {
	p := &progress{w: w, label: label, max: max, start: time.Now()}
	p.draw()
	return p
}

// add counts one more item done (from any goroutine) and redraws.
func (p *progress) add() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	p.draw()
}

// finish wipes the bar.
func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", p.width))
	p.width = 0
}

func (p *progress) draw() {
	frac := 1.0
	if p.max > 0 {
		frac = min(float64(p.n)/float64(p.max), 1)
	}
	full := int(frac * progressWidth)
	elapsed := time.Since(p.start)
	left := time.Duration(0)
	if p.n > 0 {
		left = time.Duration(float64(elapsed)/frac) - elapsed
	}
	line := fmt.Sprintf("%s %3d%% |%s%s| [%s:%s]", p.label, int(frac*100),
		strings.Repeat("█", full), strings.Repeat(" ", progressWidth-full),
		elapsed.Round(time.Second), left.Round(time.Second))
	pad := max(p.width-len([]rune(line)), 0)
	fmt.Fprintf(p.w, "\r%s%s", line, strings.Repeat(" ", pad))
	p.width = len([]rune(line))
}
