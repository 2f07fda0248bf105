//go:build !race

package ast

const raceEnabled = false
