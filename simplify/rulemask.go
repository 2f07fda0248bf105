package simplify

// Masks of operand kinds, for rewrite's filter of the rules at a node: a
// rule whose pattern is a sum or product needs an operand of each kind in
// its need list (operandKinds), and mayMatchKinds looks for each among
// the node's operands, comparing kinds and function names. A kind's bit
// (kindBit) says the same in one word, less precisely: its rank, and for
// a call one of 48 bits picked by the function's name. A rule whose
// mask has a bit the node's operands' mask lacks cannot match, and is
// passed over before the comparison; one whose bits are all there is
// compared as before.

// kindBit is the bit of a kind.
func kindBit(k opKind) uint64 {
	b := uint64(1) << k.typ // ranks are below 16
	if k.fn != "" {
		n := len(k.fn)
		h := uint(n)*31 + uint(k.fn[0])*7 + uint(k.fn[n-1])
		b |= 1 << (16 + h%48)
	}
	return b
}

// needMask is the mask of a rule's need list.
func needMask(need []opKind) uint64 {
	var m uint64
	for _, k := range need {
		m |= kindBit(k)
	}
	return m
}

// haveMask is the mask of a node's operands' kinds: a number stands for a
// product too (a product c*u in a pattern matches a number, see
// mayMatchKinds).
func haveMask(kinds []opKind) uint64 {
	var m uint64
	for _, k := range kinds {
		m |= kindBit(k)
		if k.typ == rankNum {
			m |= 1 << rankMul
		}
	}
	return m
}
