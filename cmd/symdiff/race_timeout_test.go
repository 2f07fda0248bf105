//go:build race

package main

// raceEnabled is set under -race, whose slowdown stretches timings
// unevenly.
const raceEnabled = true
