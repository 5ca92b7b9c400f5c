package main

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"maillab/sim/lesson"
)

// TestExtraLessonsIndexAndErrors serves a folder with one good and one
// broken lesson: the index lists the good one, the broken one is logged
// with its file, line and column, and both files are served as they are.
func TestExtraLessonsIndexAndErrors(t *testing.T) {
	dir := t.TempDir()
	good, err := os.ReadFile("../../lessons/pop3-01-first-session.yaml")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "mine.yaml"), good, 0o600)
	os.WriteFile(filepath.Join(dir, "broken.yaml"), []byte("id: broken\nprotocol: pop3\nlevel: 1\npasword: x\n"), 0o600)
	// A lesson that loads but whose solution does not reach its goals.
	failing := bytes.Replace(bytes.Replace(good, []byte("id: pop3-first-session"), []byte("id: failing"), 1), []byte("PASS toybox"), []byte("PASS wrong"), -1)
	os.WriteFile(filepath.Join(dir, "failing.yaml"), failing, 0o600)
	var logBuf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logBuf, nil))
	h := newWebServer(dir, log).Handler

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/lessons/extra/index.json", nil))
	var idx struct {
		Lessons []lesson.Entry
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &idx); err != nil {
		t.Fatalf("index: %v\n%s", err, rec.Body)
	}
	if len(idx.Lessons) != 1 || idx.Lessons[0].ID != "pop3-first-session" {
		t.Errorf("index lists %+v", idx.Lessons)
	} else if l, err := lesson.Decode(idx.Lessons[0].Lesson, idx.Lessons[0].Files); err != nil || lesson.Replay(l) != nil {
		t.Errorf("the index's lesson does not open and play: %v", err)
	}
	if l := logBuf.String(); !strings.Contains(l, "broken.yaml") || !strings.Contains(l, "line=4 col=1") || !strings.Contains(l, `unknown key \"pasword\"`) {
		t.Errorf("log does not name the problem:\n%s", l)
	}
	if l := logBuf.String(); !strings.Contains(l, "failing.yaml") || !strings.Contains(l, "did not complete after its solution") {
		t.Errorf("log does not name the lesson whose solution fails:\n%s", l)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/lessons/extra/broken.yaml", nil))
	if !strings.Contains(rec.Body.String(), "pasword") {
		t.Errorf("the lesson file itself is not served: %d %q", rec.Code, rec.Body)
	}
}
