package pop3

import (
	"slices"
	"strings"
	"testing"
	"time"

	"maillab/sim/mailstore"
)

// TestUIDLFormatOfTheLecture: the lecture's server writes UIDVALIDITY then
// UID in lower-case hex, Dovecot's pop3_uidl_format %xv%08xu; with the
// lecture's mailbox numbers the session answers as on its slide, and the
// ids stay after another message is deleted.
func TestUIDLFormatOfTheLecture(t *testing.T) {
	st := mailstore.New()
	u, _ := st.AddUser("alex", "drums")
	mb, _ := u.Mailbox(mailstore.Inbox)
	if err := mb.SetUIDValidity(0x37cabbc); err != nil {
		t.Fatal(err)
	}
	for i, uid := range []uint32{9, 10, 11} {
		if err := mb.AppendUID([]byte("Subject: "+string(rune('a'+i))+"\r\n\r\nbody\r\n"), nil, time.Time{}, uid); err != nil {
			t.Fatal(err)
		}
	}
	k := dial(t, Options{Store: st, UIDLFormat: "%xv%08xu"})
	k.line()
	k.cmd("USER alex")
	k.cmd("PASS drums")
	if got := k.cmd("UIDL"); !strings.HasPrefix(got, "+OK") {
		t.Fatal(got)
	}
	want := []string{"1 37cabbc00000009", "2 37cabbc0000000a", "3 37cabbc0000000b"}
	if got := k.multi(); !slices.Equal(got, want) {
		t.Errorf("UIDL = %q, want %q", got, want)
	}
	k.cmd("DELE 1")
	k.cmd("QUIT")
	k.wait()
	k = dial(t, Options{Store: st, UIDLFormat: "%xv%08xu"})
	k.line()
	k.cmd("USER alex")
	if got := k.cmd("PASS drums"); !strings.HasPrefix(got, "+OK") {
		t.Fatal(got)
	}
	k.cmd("UIDL")
	if got, want := k.multi(), []string{"1 37cabbc0000000a", "2 37cabbc0000000b"}; !slices.Equal(got, want) {
		t.Errorf("after DELE 1 and QUIT, UIDL = %q, want %q", got, want)
	}
}

func TestParseUIDLFormat(t *testing.T) {
	for _, c := range []struct {
		format, want string // want: the id of UID 10, UIDVALIDITY 0x37cabbc0, or the error's words
	}{
		{DefaultUIDLFormat, "0000000a37cabbc0"},
		{"%Xv%08Xu", "37cabbc00000000a"},
		{"%08xv%08xu", "37cabbc00000000a"},
		{"%u.%v", "10.936033216"},
		{"u%%%u", "u%10"},
		{"%v", "no %u"},
		{"%08Xq", "unknown variable"},
		{"%u %v", "not allowed"},
		{"%u%011v", "width 11"},
		{"%8u", "cuts the number"},
		{"%u%4Xv", "at most 4 characters"},
		{"%0u", "10"},
		{strings.Repeat("x", 70) + "%u", "RFC 1939 allows 70"},
	} {
		f, err := ParseUIDLFormat(c.format)
		switch {
		case err != nil && !strings.Contains(err.Error(), c.want):
			t.Errorf("%q: %v, want an error with %q", c.format, err, c.want)
		case err == nil:
			if got := string(f.appendID(nil, 10, 0x37cabbc0)); got != c.want {
				t.Errorf("%q: id %q, want %q", c.format, got, c.want)
			}
		}
	}
}
