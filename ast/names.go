package ast

import (
	"sync"
	"unicode/utf8"
)

// A Greek name and its letter are one name: lambda prints as λ in
// Unicode, and λ reads as lambda (the parser asks LatinName), so that
// every Unicode print reads back as the tree it printed, and plain
// output stays ASCII. The one table is greek (operator.go), which the
// LaTeX printer uses too.

// GreekLetter returns the letter a name spelled as a Greek letter's name
// prints as in Unicode: λ for lambda.
func GreekLetter(name string) (string, bool) {
	if len(name) < 2 || len(name) > 7 || name[0] >= utf8.RuneSelf {
		return "", false // not alpha ... omicron
	}
	g, ok := greek()[name]
	return g[0], ok
}

// LatinName returns the name a Greek letter stands for: lambda for λ.
func LatinName(letter string) (string, bool) {
	if letter == "" || letter[0] < utf8.RuneSelf {
		return "", false
	}
	return greekLatin()[letter], greekLatin()[letter] != ""
}

// greekLatin maps each letter of greek to its Latin spelling.
var greekLatin = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	for name, g := range greek() {
		if name != g[0] {
			m[g[0]] = name
		}
	}
	return m
})
