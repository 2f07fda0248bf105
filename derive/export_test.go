package derive

// Instantiate is instantiate, for the test against rules.Rule.Instantiate.
var Instantiate = instantiate

// SetFillShortcut turns fillChildren on or off (the test against resolve).
func SetFillShortcut(on bool) { fillShortcut = on }

// SetLazySteps makes derivers record compactly (on) or make every step
// as they go (off), for the test that the two traces are the same.
func SetLazySteps(on bool) { lazySteps = on }

// IsClean is isClean, for the test against Clean.
var IsClean = isClean
