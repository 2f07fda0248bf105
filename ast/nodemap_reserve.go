package ast

// Reserve makes room in an empty m for about n nodes at once, rather
// than growing table by table (derive sizes its memo by the expression).
func (m *NodeMap[V]) Reserve(n int) {
	if m.n > 0 || n <= 0 {
		return
	}
	size := 16
	for 3*size < 4*(n+1) {
		size *= 2
	}
	if size > len(m.keys) {
		m.keys, m.vals = make([]uint64, size), make([]V, size)
	}
}
