package bigmath

// MaxReduceExp is the bound on the exponent of an argument Sin and Cos
// reduce, for the external tests.
const MaxReduceExp = maxReduceExp
