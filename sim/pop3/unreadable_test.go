package pop3

import (
	"strings"
	"testing"

	"maillab/sim/mailstore"
	"maillab/sim/mailstore/storetest"
)

// A maildrop whose folder could not be read refuses the login with
// [SYS/PERM]; the session stays in AUTHORIZATION.
func TestUnreadableMaildrop(t *testing.T) {
	fsys := storetest.Tree(t, map[string]string{
		"passwd":                        "melanie:{PLAIN}toybox\n",
		"melanie/cur/1000.M1P1.lab:2,S": "Subject: one\n\nx\n",
	})
	st, err := mailstore.ServeMaildir(storetest.ListingFS{FS: fsys, Broken: "melanie/cur"}, ".", mailstore.ServeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	k := dial(t, Options{Store: st})
	k.line()
	k.cmd("USER melanie")
	if got := k.cmd("PASS toybox"); got != "-ERR [SYS/PERM] the maildrop cannot be opened" {
		t.Errorf("login: %q", got)
	}
	if got := k.cmd("STAT"); !strings.HasPrefix(got, "-ERR STAT is not allowed in the AUTHORIZATION state") {
		t.Errorf("after the refused login: %q", got)
	}
	k.cmd("QUIT")
	k.wait()
}
