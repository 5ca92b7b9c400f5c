//go:build !js && !wasip1

package mailstore_test

import (
	"os"
	"path/filepath"
	"testing"

	"maillab/sim/demo"
	"maillab/sim/mailstore"
	"maillab/sim/mime/dovecottest"
)

// TestDovecotReadsTheDemo: Dovecot, on the demo tree, sees every account's
// mailboxes, subscriptions, UIDs, flags and sizes as the store does (the
// file names' S= and W= sizes included, which Dovecot trusts).
func TestDovecotReadsTheDemo(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, demo.FS()); err != nil {
		t.Fatal(err)
	}
	s, err := demo.Store()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range demo.Accounts {
		t.Run(a.User, func(t *testing.T) {
			c := dovecottest.Start(t, filepath.Join(dir, a.User))
			mailstore.CompareWithDovecot(t, s, a.User, c)
		})
	}
}
