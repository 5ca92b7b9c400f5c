//go:build !js

package pop3

import (
	"bytes"
	"encoding/base64"
	"log/slog"
	"strings"
	"testing"
)

// The page builds sessions without log/slog (proto.Logger); natively they
// log through it.
func TestLogNeverShowsPassword(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	st := newStore(t, melanie())
	k := dial(t, Options{Store: st, Log: log, SessionID: "s9"})
	k.line()
	k.cmd("USER melanie")
	k.cmd("PASS sEcReT-guess")
	k.cmd("AUTH PLAIN " + base64.StdEncoding.EncodeToString([]byte("\x00melanie\x00toybox")))
	k.cmd("QUIT")
	k.wait()
	out := buf.String()
	for _, want := range []string{`msg="pop3 login failed" user=melanie mechanism=USER/PASS session=s9`, `msg="pop3 login" user=melanie mechanism=PLAIN session=s9`} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "sEcReT") || strings.Contains(out, "toybox") {
		t.Errorf("log shows a password:\n%s", out)
	}
}
