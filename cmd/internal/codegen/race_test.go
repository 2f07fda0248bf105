//go:build race

package codegen

// raceEnabled: the tests run under the race detector, which makes 256-bit
// arithmetic about four times slower.
const raceEnabled = true
