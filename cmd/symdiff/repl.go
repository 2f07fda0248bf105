package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/mattn/go-isatty"
	"github.com/peterh/liner"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/cmd/internal/atomicfile"
	"github.com/symdiff/symdiff/cmd/internal/repl"
	"github.com/symdiff/symdiff/cmd/internal/session"
	"github.com/symdiff/symdiff/parser"
)

// ReplCmd is the interactive session.
type ReplCmd struct {
	engine
	Ascii bool `help:"Print results in the input syntax instead of Unicode."`
}

func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	return ok && (isatty.IsTerminal(file.Fd()) || isatty.IsCygwinTerminal(file.Fd()))
}

func (c *ReplCmd) Run(ctx context.Context, app *App) error {
	s, err := c.session(ctx, app)
	if err != nil {
		return err
	}
	r := repl.New(app.Stdout, app.Stderr)
	r.S = s
	if !isTerminal(app.Stdin) || !isTerminal(app.Stdout) {
		return c.script(ctx, app, r)
	}
	r.Color = repl.ColorWanted(true)
	if c.Ascii {
		r.Style = ast.Plain
	}
	return c.interactive(app, r)
}

// script reads statements from a pipe or file: no prompts, no colour.
func (c *ReplCmd) script(ctx context.Context, app *App, r *repl.REPL) error {
	r.Style = ast.Plain
	sc := bufio.NewScanner(app.Stdin)
	// A line may be as long as an input may be (the parser refuses
	// longer ones with the same words).
	sc.Buffer(make([]byte, 64<<10), parser.MaxInputBytes+1)
	lines := 0
	for sc.Scan() && !r.Quit {
		lines++
		if ctx.Err() != nil {
			return errors.New("interrupted")
		}
		r.Feed(ctx, sc.Text())
	}
	if errors.Is(sc.Err(), bufio.ErrTooLong) {
		return fmt.Errorf("line %d of the input is too large: more than %d MiB (the limit of an input)", lines+1, parser.MaxInputBytes>>20)
	}
	if r.Pending() {
		r.Feed(ctx, "") // let the parser report the unfinished statement
		if r.Pending() {
			fmt.Fprintln(app.Stderr, "error: the input ended inside an unfinished statement")
			r.Status = session.Worse(r.Status, session.BadInput)
		}
	}
	app.note(r.Status)
	return sc.Err()
}

// historyFile is where the REPL keeps its history: $SYMDIFF_HISTORY, or
// symdiff/history in the user's configuration directory, or
// ~/.symdiff_history.
func historyFile() string {
	if f := os.Getenv("SYMDIFF_HISTORY"); f != "" {
		return f
	}
	if dir, err := os.UserConfigDir(); err == nil {
		return filepath.Join(dir, "symdiff", "history")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".symdiff_history")
	}
	return ""
}

func (c *ReplCmd) interactive(app *App, r *repl.REPL) error {
	// Ctrl-C while computing cancels the computation, not the session.
	app.stopSignals()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	defer signal.Stop(sigs)

	ln := liner.NewLiner()
	defer ln.Close()
	ln.SetCtrlCAborts(true)
	ln.SetTabCompletionStyle(liner.TabPrints)
	ln.SetWordCompleter(r.Complete)
	hist := historyFile()
	if hist != "" {
		if f, err := os.Open(hist); err == nil {
			_, _ = ln.ReadHistory(f)
			f.Close()
		}
	}
	r.History = func(entry string) {
		if strings.TrimSpace(entry) != "" {
			ln.AppendHistory(entry)
			saveHistory(ln, hist)
		}
	}
	fmt.Fprintln(app.Stdout, "symdiff — type :help for help, Ctrl-D to leave.")
	for !r.Quit {
		prompt := "symdiff> "
		if r.Pending() {
			prompt = "     ...> "
		}
		text, err := ln.Prompt(prompt)
		switch {
		case errors.Is(err, liner.ErrPromptAborted):
			r.Reset() // Ctrl-C at the prompt clears the line
			continue
		case errors.Is(err, io.EOF):
			fmt.Fprintln(app.Stdout)
			return nil
		case err != nil:
			return err
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			select {
			case <-sigs:
				cancel()
			case <-done:
			}
		}()
		r.Feed(ctx, text)
		close(done)
		cancel()
		select { // a Ctrl-C that arrived as the computation ended
		case <-sigs:
		default:
		}
	}
	return nil
}

// saveHistory writes the history atomically, so a crash never leaves it
// half-written.
func saveHistory(ln *liner.State, file string) {
	if file == "" {
		return
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return
	}
	var b strings.Builder
	if _, err := ln.WriteHistory(&b); err != nil {
		return
	}
	_ = atomicfile.WriteFile(file, []byte(b.String()))
}
