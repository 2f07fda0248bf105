//go:build race

package workload

// raceDetector is set when the tests run with -race, under which heap
// figures say nothing about the program.
const raceDetector = true
