package simplify

// SetCompileCache turns the compiled rules shared between simplifiers on
// or off, for the test that both paths give the same results.
func SetCompileCache(on bool) { compileCacheOff.Store(!on) }

// CompileCacheLen is the number of rule sets compiled and shared.
func CompileCacheLen() int {
	compileCache.Lock()
	defer compileCache.Unlock()
	return len(compileCache.m)
}
