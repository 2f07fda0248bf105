package derive

// Instantiate is instantiate, for the test against rules.Rule.Instantiate.
var Instantiate = instantiate
