package ast

// SetReachBudget sets how many definitions Define's forward search for a
// cycle follows before it builds the users index, and returns a function
// that restores it (for tests of both ways).
func SetReachBudget(n int) (restore func()) {
	old := reachBudget
	reachBudget = n
	return func() { reachBudget = old }
}
