package main

import (
	"context"
	"fmt"

	"github.com/symdiff/symdiff/cmd/internal/codegen"
	"github.com/symdiff/symdiff/cmd/internal/session"
)

// GradChkCmd checks a symbolic gradient against finite differences.
type GradChkCmd struct {
	lossArgs
	Bindings []string `arg:"" optional:"" name:"NAME=VALUE" help:"Values: w=[0.5,-1], n=4 (a size), b=0.3; the rest are random."`
	Tol      float64  `default:"1e-6" help:"The largest relative error |a - b|/max(|a|, |b|) accepted, beyond the finite difference's own error."`
	Points   int      `default:"0" help:"Random points to check at (default 3, or 1 when every value is given)."`
	Seed     uint64   `default:"1" help:"The seed of the random points."`
	Hessian  bool     `help:"Check the Hessian too, against central differences of the symbolic gradient."`
}

func (c *GradChkCmd) Run(ctx context.Context, app *App) error {
	en, loss, wrt, _, err := c.load(ctx, app)
	if err != nil {
		return err
	}
	given, err := parseBindings(c.Bindings)
	if err != nil {
		return err
	}
	if c.Tol <= 0 {
		return fmt.Errorf("--tol must be positive, not %g", c.Tol)
	}
	ctx, cancel := c.limit(ctx)
	defer cancel()
	res, err := codegen.Check(ctx, en, &codegen.CheckRequest{
		Loss: loss, Wrt: wrt, Given: given, Points: c.Points, Seed: c.Seed, Tol: c.Tol, Hessian: c.Hessian,
	})
	if err != nil {
		return explainStop(err)
	}
	res.Print(app.Stdout)
	switch {
	case res.Failed():
		app.note(session.Refuted)
	case !res.OK():
		app.note(session.Unknown) // exit 3: the check cannot decide
	}
	return nil
}
