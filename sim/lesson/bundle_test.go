package lesson

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBundleCarriesTheMaildirFixture: a lesson whose mailboxes are a
// Maildir folder beside it is bundled with the folder's files, and the
// browser's way of opening it (Decode, with the files) plays it as labctl
// check does. The lesson alone, without them, says where to open it
// instead.
func TestBundleCarriesTheMaildirFixture(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("course/mail/passwd", "kim:{PLAIN}secret\n")
	write("course/mail/kim/cur/1700000000.M1P1.host:2,S", "From: a@example.org\nSubject: Seen one\n\nhello\n")
	write("course/mail/kim/new/1700000001.M2P1.host", "From: a@example.org\nSubject: New one\n\nworld\n")
	write("course/mail/kim/.Archive/cur/1700000002.M3P1.host:2,", "From: a@example.org\nSubject: Old\n\nold\n")
	write("course/maildir-lesson.yaml", `id: maildir-lesson
protocol: imap
level: 1
title: {en: T, ru: Т}
fixture:
  maildir: mail
steps:
  - text: {en: Select the archive, ru: Выберите архив}
    goals:
      - response: {command: SELECT, status: OK}
      - response: {match: '^\* 1 EXISTS$'}
    solution: [a1 LOGIN kim secret, a2 SELECT Archive]
`)
	ls, err := LoadDir(osDirFS(dir), ".")
	if err != nil {
		t.Fatal(err)
	}
	b, err := Bundle(ls)
	if err != nil {
		t.Fatal(err)
	}
	var got struct{ Lessons []Entry }
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Lessons) != 1 {
		t.Fatalf("bundle has %d lessons", len(got.Lessons))
	}
	e := got.Lessons[0]
	if len(e.Files) != 4 || string(e.Files["mail/passwd"]) != "kim:{PLAIN}secret\n" {
		t.Fatalf("bundled files: %v", keys(e.Files))
	}
	l, err := Decode(e.Lesson, e.Files)
	if err != nil {
		t.Fatal(err)
	}
	if err := Replay(l); err != nil {
		t.Fatalf("replaying the bundled lesson: %v", err)
	}
	alone, err := Decode(e.Lesson, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(alone, Options{}); err == nil || !strings.Contains(err.Error(), "labserver -lessons DIR") {
		t.Errorf("a lone lesson with a Maildir fixture: %v", err)
	}
	if _, err := Decode(e.Lesson, map[string][]byte{"../mail/passwd": nil}); err == nil {
		t.Error("a fixture path leaving the lesson's folder was taken")
	}
	src, err := os.ReadFile(filepath.Join(dir, "course/maildir-lesson.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseFiles("x.yaml", src, map[string][]byte{"../mail/passwd": nil}); err == nil {
		t.Error("a fixture path leaving the lesson's folder was taken from YAML")
	}
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
