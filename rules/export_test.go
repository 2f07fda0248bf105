package rules

// MatchRootFull is MatchRoot without its quick check (mayMatch), for the
// test that the check passes over no match.
var MatchRootFull = matchRoot
