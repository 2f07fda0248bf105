package rulecheck

// NumericOnly makes CheckDeriv use only the finite differences until the
// returned function is called.
func NumericOnly() (restore func()) {
	numericOnly = true
	return func() { numericOnly = false }
}
