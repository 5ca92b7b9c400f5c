package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeMaildir makes a one-user Maildir++ tree on disk: kim/secret123 with
// two messages in cur/, and returns the directory and the file names.
func writeMaildir(t *testing.T) (dir string, files []string) {
	t.Helper()
	dir = t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(filepath.Join(dir, "passwd"), []byte("kim:{PLAIN}secret123::::::\n"), 0o600))
	for _, sub := range []string{"cur", "new", "tmp"} {
		must(os.MkdirAll(filepath.Join(dir, "kim", sub), 0o700))
	}
	files = []string{"1700000001.M1P1.lab:2,S", "1700000002.M2P1.lab:2,"}
	for i, f := range files {
		msg := "From: teacher@example.org\nTo: kim@example.org\nSubject: lesson " + string(rune('1'+i)) + "\n\nSee you in class.\n"
		must(os.WriteFile(filepath.Join(dir, "kim", "cur", f), []byte(msg), 0o600))
	}
	return dir, files
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// With -persist, DELE and QUIT remove the message's file from the real
// directory; the other file stays.
func TestMaildirPersistDeletesOnDisk(t *testing.T) {
	dir, files := writeMaildir(t)
	l := startLab(t, testConfig(t, "-maildir", dir, "-persist"))
	if !strings.Contains(l.banner, "kim") || strings.Contains(l.banner, "secret123") {
		t.Errorf("the banner should name the account but not its password:\n%s", l.banner)
	}
	c := dial(t, l.pop3Addr())
	login(t, c, "kim", "secret123")
	if got := c.ok("STAT"); !strings.HasPrefix(got, "+OK 2 ") {
		t.Fatalf("STAT: %q, want two messages from the Maildir", got)
	}
	c.ok("DELE 1")
	if !exists(filepath.Join(dir, "kim", "cur", files[0])) {
		t.Fatal("the file is gone before QUIT; POP3 deletes only in the UPDATE state")
	}
	c.ok("QUIT")
	c.closed()
	if exists(filepath.Join(dir, "kim", "cur", files[0])) {
		t.Errorf("%s is still on disk after DELE 1 and QUIT", files[0])
	}
	if !exists(filepath.Join(dir, "kim", "cur", files[1])) {
		t.Errorf("%s was removed, but only message 1 was deleted", files[1])
	}
}

// Without -persist the directory is only read.
func TestMaildirWithoutPersistLeavesDisk(t *testing.T) {
	dir, files := writeMaildir(t)
	l := startLab(t, testConfig(t, "-maildir", dir))
	c := dial(t, l.pop3Addr())
	login(t, c, "kim", "secret123")
	c.ok("DELE 1")
	c.ok("QUIT")
	c.closed()
	if got := l.mailboxSize(t, "kim"); got != 1 {
		t.Errorf("in memory: %d messages, want 1", got)
	}
	for _, f := range files {
		if !exists(filepath.Join(dir, "kim", "cur", f)) {
			t.Errorf("%s was removed from disk without -persist", f)
		}
	}
}

func TestMaildirRelativePath(t *testing.T) {
	dir, _ := writeMaildir(t)
	t.Chdir(filepath.Dir(dir))
	store, err := openStore(filepath.Base(dir), false, discardLogger())
	if err != nil {
		t.Fatal(err)
	}
	if users := store.Users(); len(users) != 1 || users[0] != "kim" {
		t.Fatalf("users %v, want [kim]", users)
	}
}

// A missing folder, a file in its place and a folder without passwd are
// each named with their path.
func TestMaildirMissing(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "file"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ dir, want string }{
		{filepath.Join(dir, "nothing-here"), "the folder " + filepath.Join(dir, "nothing-here") + " does not exist"},
		{filepath.Join(dir, "file"), filepath.Join(dir, "file") + " is a file, not a folder"},
		{dir, "passwd is missing: a Maildir++ tree for this lab starts with a passwd file"},
	} {
		_, err := openStore(c.dir, false, discardLogger())
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), `"."`) {
			t.Errorf("-maildir %s: got %v, want an error with %q", c.dir, err, c.want)
		}
	}
}

// Another program may rename a file after the load: a flag change
// (":2,S" to ":2,ST") or a move from new/ to cur/. DELE and QUIT must still
// remove it, and the restarted server must not see it again.
func TestMaildirPersistDeletesRenamedFiles(t *testing.T) {
	dir, files := writeMaildir(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(filepath.Join(dir, "kim", "new", "1700000003.M3P1.lab"), []byte("Subject: lesson 3\n\nNew.\n"), 0o600))
	l := startLab(t, testConfig(t, "-maildir", dir, "-persist"))
	cur := filepath.Join(dir, "kim", "cur")
	must(os.Rename(filepath.Join(cur, files[0]), filepath.Join(cur, files[0]+"T")))
	must(os.Rename(filepath.Join(dir, "kim", "new", "1700000003.M3P1.lab"), filepath.Join(cur, "1700000003.M3P1.lab:2,S")))
	c := dial(t, l.pop3Addr())
	login(t, c, "kim", "secret123")
	c.ok("DELE 1")
	c.ok("DELE 3")
	c.ok("QUIT")
	c.closed()
	left, err := filepath.Glob(filepath.Join(dir, "kim", "*", "17*"))
	must(err)
	if len(left) != 1 || filepath.Base(left[0]) != files[1] {
		t.Errorf("files on disk %v, want only %s", left, files[1])
	}
	l.shutdown(t)
	again := startLab(t, testConfig(t, "-maildir", dir, "-persist"))
	if n := again.mailboxSize(t, "kim"); n != 1 {
		t.Errorf("after a restart kim has %d messages, want 1", n)
	}
}

// A corrupt dovecot-uidlist is rebuilt, as Dovecot would: the server
// starts, logs a warning, and with -persist writes the list again.
func TestMaildirCorruptUIDList(t *testing.T) {
	for _, persist := range []bool{false, true} {
		dir, _ := writeMaildir(t)
		list := filepath.Join(dir, "kim", "dovecot-uidlist")
		if err := os.WriteFile(list, []byte("9 garbage\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		args := []string{"-maildir", dir}
		if persist {
			args = append(args, "-persist")
		}
		l := startLab(t, testConfig(t, args...))
		if n := l.mailboxSize(t, "kim"); n != 2 {
			t.Errorf("persist %v: %d messages, want 2", persist, n)
		}
		if log := l.log.String(); !strings.Contains(log, "level=WARN") || !strings.Contains(log, "dovecot-uidlist") {
			t.Errorf("persist %v: no warning about the list:\n%s", persist, log)
		}
		data, _ := os.ReadFile(list)
		if rewritten := string(data) != "9 garbage\n"; rewritten != persist {
			t.Errorf("persist %v: dovecot-uidlist is now %q", persist, data)
		}
	}
}

// A folder whose cur/ is no directory stops the start with its path,
// before the port answers, as when the folders were read in full at start.
func TestMaildirUnlistableFolder(t *testing.T) {
	dir, _ := writeMaildir(t)
	sent := filepath.Join(dir, "kim", ".Sent")
	if err := os.MkdirAll(sent, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sent, "cur"), []byte("not a directory"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := openStore(dir, false, discardLogger())
	if err == nil || !strings.Contains(err.Error(), "reading kim/.Sent/cur") {
		t.Errorf("got %v, want an error naming kim/.Sent/cur", err)
	}
}
