//go:build race

package parser

// raceEnabled is set under -race: timings then stretch unevenly.
const raceEnabled = true
