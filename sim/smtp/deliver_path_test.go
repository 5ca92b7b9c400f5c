//go:build !js && !wasip1

package smtp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	osfs "github.com/hack-pad/hackpadfs/os"

	"maillab/sim/mailstore"
)

// A copy that cannot be written into a Maildir on the disk (here its
// tmp folder is a file) is explained by the kind of failure, in every
// language, never with the folder's path on the host: in LMTP's reply
// for the recipient, in SMTP's 451 when no copy was stored, and in the
// note of SMTP's 250 when another copy was.
func TestDeliverFailureHidesHostPath(t *testing.T) {
	root := t.TempDir()
	for _, f := range []struct{ name, data string }{
		{"passwd", "alex:{PLAIN}secret\nkim:{PLAIN}secret\n"},
		{"alex/cur/1000.M1P1.lab:2,S", "Subject: one\n\nx\n"},
		{"kim/cur/1000.M1P1.lab:2,S", "Subject: one\n\nx\n"},
	} {
		p := filepath.Join(root, f.name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(f.data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{"alex/new", "kim/new", "kim/tmp"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "alex", "tmp"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	fsys, err := osfs.NewFS().Sub(strings.TrimPrefix(root, "/"))
	if err != nil {
		t.Fatal(err)
	}
	st, err := mailstore.ServeMaildir(fsys, ".", mailstore.ServeOptions{Persist: true})
	if err != nil {
		t.Fatal(err)
	}
	rcpt := func(user string) Recipient {
		return Recipient{Path: Path{Local: user, Domain: "example.org"}, Targets: []Target{{User: user}}}
	}
	from := Path{Local: "a", Domain: "b.example"}
	one := &Envelope{From: from, Rcpts: []Recipient{rcpt("alex")}}
	two := &Envelope{From: from, Rcpts: []Recipient{rcpt("alex"), rcpt("kim")}}
	d1 := (&Mailer{Store: st}).Deliver(one, []byte("Subject: x\r\n\r\nx\r\n"), Trace{})
	d2 := (&Mailer{Store: st}).Deliver(two, []byte("Subject: x\r\n\r\nx\r\n"), Trace{})
	if d1.Results[0].Err == nil || d2.Results[0].Err == nil || d2.Results[1].Err != nil {
		t.Fatalf("deliveries: %v / %v, %v", d1.Results[0].Err, d2.Results[0].Err, d2.Results[1].Err)
	}
	kind := map[string]string{"en": "could not be written", "ru": "не удалось записать", "sk": "nepodarilo zapísať"}
	for name, r := range map[string]*Reply{"LMTP": d1.Replies()[0], "SMTP 451": d1.Reply(one), "SMTP 250": d2.Reply(two)} {
		texts := []Text{r.Why}
		texts = append(texts, r.Notes...)
		for lang, want := range kind {
			var all []string
			for _, tx := range texts {
				all = append(all, Render(lang, tx))
			}
			got := strings.Join(all, " ")
			if strings.Contains(got, root) || strings.Contains(got, "alex/tmp") || strings.Contains(got, "/") {
				t.Errorf("%s in %s shows a path: %s", name, lang, got)
			}
			if !strings.Contains(got, want) {
				t.Errorf("%s in %s does not say %q: %s", name, lang, want, got)
			}
		}
	}
}
