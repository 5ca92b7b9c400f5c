//go:build !js && !wasip1

package mailstore

// CompareWithDovecot is for the external tests of the demo tree.
var CompareWithDovecot = compareWithDovecot
