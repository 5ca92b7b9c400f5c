package mailstore

// CompareWithDovecot is for the external tests of the demo tree.
var CompareWithDovecot = compareWithDovecot
