package derive

// Instantiate is instantiate, for the test against rules.Rule.Instantiate.
var Instantiate = instantiate

// SetFillShortcut turns fillChildren on or off (the test against resolve).
func SetFillShortcut(on bool) { fillShortcut = on }
