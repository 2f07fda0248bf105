//go:build race

package repl

// raceEnabled is set under -race, whose slowdown stretches timings.
const raceEnabled = true
