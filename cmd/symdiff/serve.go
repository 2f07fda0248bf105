package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/signal"
	"syscall"
	"time"

	"github.com/symdiff/symdiff/cmd/internal/web"
)

// ServeCmd runs the web playground.
type ServeCmd struct {
	Addr          string        `default:"127.0.0.1:8080" help:"Address to listen on; the default takes connections from this machine only."`
	Timeout       time.Duration `default:"10s" help:"Give up on a request's script after this long."`
	MaxConcurrent int           `name:"max-concurrent" default:"2" help:"Scripts run at once; more wait briefly, then get 503."`
}

// shutdownGrace is how long requests in flight may finish after SIGINT or
// SIGTERM.
const shutdownGrace = 5 * time.Second

func (c *ServeCmd) Run(ctx context.Context, app *App) error {
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM) // ctx ends on SIGINT already
	defer stop()
	srv := &http.Server{
		Handler: web.New(web.Options{
			Seed:          demoScript,
			Timeout:       c.Timeout,
			MaxConcurrent: c.MaxConcurrent,
			Logf:          func(f string, a ...any) { fmt.Fprintf(app.Stderr, f+"\n", a...) },
		}),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      c.Timeout + 30*time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	addr := ln.Addr().(*net.TCPAddr)
	if !addr.IP.IsLoopback() {
		fmt.Fprintf(app.Stderr, "symdiff: listening on %s: other machines can reach the playground\n", addr)
	}
	fmt.Fprintf(app.Stdout, "symdiff playground on http://%s/ (Ctrl-C stops it)\n", addr)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); errors.Is(err, context.DeadlineExceeded) {
		fmt.Fprintf(app.Stderr, "symdiff: requests still running after %v were cut off\n", shutdownGrace)
		_ = srv.Close()
	} else if err != nil {
		return err
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	fmt.Fprintln(app.Stdout, "symdiff playground stopped")
	return nil
}
