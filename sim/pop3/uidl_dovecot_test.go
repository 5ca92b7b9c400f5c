//go:build !js && !wasip1

package pop3

import (
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	osfs "github.com/hack-pad/hackpadfs/os"

	"maillab/sim/mailstore"
	"maillab/sim/mime/dovecottest"
)

// TestUIDLAsDovecot writes a Maildir with the lab's store and lists UIDL
// on it with Dovecot's POP3 server and with the lab's, under the same
// pop3_uidl_format: the ids must be the same octets. The UIDVALIDITY and
// UIDs have hex letters in them, so case matters (Dovecot's %X is lower
// case). Dovecot 2.3 refuses the lower-case %x the lecture's server used
// ("Unknown pop3_uidl_format variable"); the lab reads it as %X, so the
// lab's %xv%08xu is compared with Dovecot's %Xv%08Xu.
func TestUIDLAsDovecot(t *testing.T) {
	if _, err := exec.LookPath(dovecottest.POP3Binary); err != nil {
		t.Fatalf("Dovecot's POP3 server (dovecot-pop3d) is not installed: %v", err)
	}
	st := mailstore.New()
	u, _ := st.AddUser("anna", "secret")
	mb, _ := u.Mailbox(mailstore.Inbox)
	if err := mb.SetUIDValidity(0x295ff876); err != nil {
		t.Fatal(err)
	}
	for i, uid := range []uint32{9, 10, 11, 300, 70000} {
		if err := mb.AppendUID([]byte("Subject: "+string(rune('a'+i))+"\n\nbody\n"), nil, time.Time{}, uid); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	fsys, err := osfs.NewFS().Sub(strings.TrimPrefix(dir, "/"))
	if err != nil {
		t.Fatal(err)
	}
	if err := mailstore.SaveMaildir(st, fsys, "."); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ lab, dovecot string }{
		{DefaultUIDLFormat, DefaultUIDLFormat},
		{"%xv%08xu", "%Xv%08Xu"},
		{"%Xv%08Xu", "%Xv%08Xu"},
		{"%u", "%u"},
		{"%v.%u", "%v.%u"},
		{"%010u-%Xv%%", "%010u-%Xv%%"},
		{"%0u%05v", "%0u%05v"},
	} {
		out, _ := dovecottest.RunPOP3(t, filepath.Join(dir, "anna"), "pop3_uidl_format = "+c.dovecot, "UIDL\r\nQUIT\r\n")
		lines := strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n")
		if len(lines) < 3 || lines[0] != "+OK" {
			t.Fatalf("%s: Dovecot answered %q", c.dovecot, out)
		}
		want := lines[1 : len(lines)-2] // between "+OK" and ".", "+OK Logging out."
		k := dial(t, Options{Store: st, UIDLFormat: c.lab})
		k.line()
		k.cmd("USER anna")
		k.cmd("PASS secret")
		if got := k.cmd("UIDL"); got != "+OK" && !strings.HasPrefix(got, "+OK ") {
			t.Fatalf("%s: UIDL answered %q", c.lab, got)
		}
		if got := k.multi(); !slices.Equal(got, want) {
			t.Errorf("%s: UIDL %q; Dovecot (%s) %q", c.lab, got, c.dovecot, want)
		}
		k.cmd("QUIT")
		k.wait()
	}
}
