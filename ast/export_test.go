package ast

// SetReachBudget sets how many definitions Define's forward search for a
// cycle follows before it builds the users index, and returns a function
// that restores it (for tests of both ways).
func SetReachBudget(n int) (restore func()) {
	old := reachBudget
	reachBudget = n
	return func() { reachBudget = old }
}

// SetLeafListMax sets how many names a leaf of a defTable holds in its
// list before it becomes a map, and returns a function that restores it.
func SetLeafListMax(n int) (restore func()) {
	old := leafListMax
	leafListMax = n
	return func() { leafListMax = old }
}
