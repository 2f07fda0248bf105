//go:build race

package session

// raceEnabled: the tests run under the race detector, some ten times
// slower, where bounds on time say nothing.
const raceEnabled = true
