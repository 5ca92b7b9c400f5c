//go:build !js && !wasip1

package smtpref

import (
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Debian's postfix package. The harness runs the master itself, in the
// foreground, rather than through "postfix start", whose shell scripts
// take seconds.
const (
	PostfixMaster = "/usr/lib/postfix/sbin/master"
	PostfixFiles  = "/etc/postfix/postfix-files" // the queue directories and their owners
)

// StartPostfix runs a private Postfix instance: smtpd on a free port of
// 127.0.0.1, the one local domain opts.Domain whose users get their mail
// in Maildirs under Dir/mail (virtual(8) delivery: the users need no
// system accounts), unknown users refused at RCPT, relaying denied. It is
// stopped when the test ends. Postfix only runs as root: the test is
// skipped otherwise.
//
// The instance has its own main.cf and master.cf in Dir/conf, its queue
// in Dir/queue and its log in Dir/maillog; it shares nothing with a
// system Postfix, which may or may not be running.
func StartPostfix(t testing.TB, opts Options) *Server {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("Postfix runs as root only (its master process must be able to change users)")
	}
	needBinaries(t, "postfix", PostfixMaster, PostfixFiles)
	began := time.Now()
	opts = opts.withDefaults()
	dir := tempDir(t, "smtpref-postfix")
	s := &Server{Dir: dir, Options: opts, logs: []string{filepath.Join(dir, "maillog"), filepath.Join(dir, "master.out")}}
	if err := os.Mkdir(filepath.Join(dir, "conf"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := makePostfixDirs(dir); err != nil {
		t.Fatal(err)
	}
	if err := makeMaildirs(dir, opts.Users); err != nil {
		t.Fatal(err)
	}
	if err := writePostfixMaps(dir, opts); err != nil {
		t.Fatal(err)
	}
	var saslPath string
	if opts.Submission {
		auth := startDovecot(t, filepath.Join(dir, "auth"), opts, false)
		saslPath = auth.saslSocket
		s.logs = append(s.logs, auth.logs...)
	}
	conf := filepath.Join(dir, "conf")
	var lastErr error
	for range 3 {
		ports, err := freePorts(2)
		if err != nil {
			t.Fatal(err)
		}
		s.Addr = addr(ports[0])
		if opts.Submission {
			s.SubmissionAddr = addr(ports[1])
		}
		if err := os.WriteFile(filepath.Join(conf, "main.cf"), []byte(postfixMain(dir, opts)), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(conf, "master.cf"), []byte(postfixMaster(s, saslPath)), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := backdate(conf); err != nil {
			t.Fatal(err)
		}
		d, err := startDaemon(PostfixMaster, []string{"-c", conf, "-e", fmt.Sprint(lifetime(t))}, filepath.Join(dir, "master.out"), false)
		if err != nil {
			t.Fatal(err)
		}
		lastErr = d.waitGreeting(s.Addr, 10*time.Second)
		if lastErr == nil && opts.Submission {
			lastErr = d.waitGreeting(s.SubmissionAddr, 10*time.Second)
		}
		if lastErr == nil {
			t.Cleanup(d.stop)
			s.StartTime = time.Since(began)
			return s
		}
		d.stop() // most likely a port taken meanwhile: try others
	}
	t.Fatalf("postfix master: %v\n%s", lastErr, s.Log())
	return nil
}

// lifetime is how many seconds the master may live: until the test
// binary's deadline, and a little more. Should the binary die without
// its cleanups, as on a test timeout, nothing else would stop it: the
// kernel's parent-death signal is cleared when the master changes its
// user IDs.
func lifetime(t testing.TB) int {
	if dt, ok := t.(interface{ Deadline() (time.Time, bool) }); ok {
		if d, ok := dt.Deadline(); ok {
			return int(time.Until(d).Seconds()) + 10
		}
	}
	return 3600
}

// postfixMain is main.cf. Debian's main.cf adds the first block to
// Postfix's defaults; the rest makes the instance private and the domain
// local, with the limits from opts.
func postfixMain(dir string, o Options) string {
	p := func(sub string) string { return filepath.Join(dir, sub) }
	uid, gid := mailOwner()
	params := [][2]string{
		{"compatibility_level", "3.6"},
		{"biff", "no"},
		{"append_dot_mydomain", "no"},
		{"readme_directory", "no"},

		{"config_directory", p("conf")},
		{"queue_directory", p("queue")},
		{"data_directory", p("data")},
		{"mail_owner", "postfix"},
		{"setgid_group", "postdrop"},
		{"maillog_file", p("maillog")},
		{"maillog_file_prefixes", dir},
		{"inet_interfaces", "loopback-only"},
		{"inet_protocols", "ipv4"},
		{"smtp_dns_support_level", "disabled"},

		{"myhostname", o.Hostname},
		{"mydomain", o.Domain},
		{"myorigin", "$mydomain"},
		{"mydestination", "$mydomain"},
		// 127.0.0.1 must not be a trusted network, or the tests'
		// connections could relay anywhere.
		{"mynetworks", ""},
		{"relay_domains", ""},
		{"smtpd_relay_restrictions", "permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination"},
		{"alias_maps", ""},
		{"alias_database", ""},
		// The users are no system accounts: local mail goes through
		// virtual(8) into Maildirs, and the same table says who exists.
		{"local_transport", "virtual"},
		{"local_recipient_maps", "texthash:" + p("conf/mailboxes")},
		{"virtual_mailbox_maps", "texthash:" + p("conf/mailboxes")},
		{"virtual_alias_maps", "texthash:" + p("conf/aliases")},
		{"virtual_mailbox_base", p("mail")},
		{"virtual_uid_maps", fmt.Sprintf("static:%d", uid)},
		{"virtual_gid_maps", fmt.Sprintf("static:%d", gid)},
		{"virtual_mailbox_limit", "0"},
		{"mailbox_size_limit", "0"},
		// Mail relayed for an authenticated client waits in the queue:
		// accepted as a real server would, sent nowhere.
		{"defer_transports", "smtp"},

		{"disable_vrfy_command", yesNo(!o.VRFY)},
		{"smtpd_helo_required", yesNo(o.HeloRequired)},
		{"message_size_limit", fmt.Sprint(o.MessageSizeLimit)},
		{"smtpd_recipient_limit", fmt.Sprint(o.RecipientLimit)},

		// Long differential dialogues are neither slowed down nor cut
		// off; PostfixDefaults has Postfix's own values.
		{"smtpd_error_sleep_time", "0"},
		{"smtpd_soft_error_limit", "1000"},
		{"smtpd_hard_error_limit", "1000"},
		{"smtpd_junk_command_limit", "100000"},
	}
	if o.LMTP != "" {
		params = append(params, [2]string{"local_transport", "lmtp:inet:" + o.LMTP})
	}
	for _, k := range slices.Sorted(maps.Keys(o.Main)) {
		i := slices.IndexFunc(params, func(kv [2]string) bool { return kv[0] == k })
		if i >= 0 {
			params[i][1] = o.Main[k]
		} else {
			params = append(params, [2]string{k, o.Main[k]})
		}
	}
	var b strings.Builder
	for _, kv := range params {
		fmt.Fprintf(&b, "%s = %s\n", kv[0], kv[1])
	}
	return b.String()
}

// postfixMaster is master.cf: the services a local delivery needs, none
// chrooted (their paths are the temporary directory's).
func postfixMaster(s *Server, saslPath string) string {
	var b strings.Builder
	b.WriteString(`# service type  private unpriv  chroot  wakeup  maxproc command
` + s.Addr + ` inet  n       -       n       -       -       smtpd
`)
	if s.SubmissionAddr != "" {
		fmt.Fprintf(&b, `%s inet  n       -       n       -       -       smtpd
  -o syslog_name=postfix/submission
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_sasl_type=dovecot
  -o smtpd_sasl_path=%s
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
`, s.SubmissionAddr, saslPath)
	}
	b.WriteString(`pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
showq     unix  n       -       n       -       -       showq
smtp      unix  -       -       n       -       -       smtp
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
virtual   unix  -       n       n       -       -       virtual
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
postlog   unix-dgram n  -       n       -       1       postlogd
`)
	return b.String()
}

// writePostfixMaps writes the mailbox and alias tables: texthash maps,
// read as they are (no postmap).
func writePostfixMaps(dir string, o Options) error {
	var mb, al strings.Builder
	for _, u := range o.Users {
		fmt.Fprintf(&mb, "%s@%s %s/Maildir/\n", u.Name, o.Domain, u.Name)
	}
	for _, k := range slices.Sorted(maps.Keys(o.Aliases)) {
		var to []string
		for _, a := range strings.Split(o.Aliases[k], ",") {
			a = strings.TrimSpace(a)
			if !strings.Contains(a, "@") {
				a += "@" + o.Domain
			}
			to = append(to, a)
		}
		fmt.Fprintf(&al, "%s@%s %s\n", k, o.Domain, strings.Join(to, ", "))
	}
	if err := os.WriteFile(filepath.Join(dir, "conf", "mailboxes"), []byte(mb.String()), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "conf", "aliases"), []byte(al.String()), 0o644)
}

// backdate sets the times of the files in dir a minute back. Postfix
// reads main.cf and texthash tables only once they are a second old, in
// case an editor is still writing them: it sleeps 300 ms at a time until
// then, which made every start two seconds longer.
func backdate(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	past := time.Now().Add(-time.Minute)
	for _, e := range entries {
		if err := os.Chtimes(filepath.Join(dir, e.Name()), past, past); err != nil {
			return err
		}
	}
	return nil
}

// makePostfixDirs creates the queue and data directories with the
// owners and modes Debian's postfix-files lists for them. It does what
// "postfix check" (post-install create-missing) would, in a millisecond
// rather than the seconds that shell script takes.
func makePostfixDirs(dir string) error {
	owner, err := lookupIDs("postfix", "postdrop")
	if err != nil {
		return fmt.Errorf("Debian's postfix package makes the user postfix and the group postdrop: %v", err)
	}
	files, err := os.ReadFile(PostfixFiles)
	if err != nil {
		return err
	}
	made := 0
	for _, line := range strings.Split(string(files), "\n") {
		// $queue_directory/maildrop:d:$mail_owner:$setgid_group:730:uc
		f := strings.Split(line, ":")
		if len(f) < 5 || f[1] != "d" {
			continue
		}
		var path string
		switch {
		case strings.HasPrefix(f[0], "$queue_directory"):
			path = filepath.Join(dir, "queue", strings.TrimPrefix(f[0], "$queue_directory"))
		case f[0] == "$data_directory":
			path = filepath.Join(dir, "data")
		default:
			continue
		}
		mode, err := strconv.ParseUint(f[4], 8, 32)
		if err != nil {
			return fmt.Errorf("%s: %q: %v", PostfixFiles, line, err)
		}
		uid, gid := 0, -1
		if f[2] == "$mail_owner" {
			uid = owner[0]
		}
		if f[3] == "$setgid_group" {
			gid = owner[1]
		}
		if err := os.MkdirAll(path, 0o700); err != nil {
			return err
		}
		if err := os.Chown(path, uid, gid); err != nil {
			return err
		}
		if err := os.Chmod(path, fs.FileMode(mode)); err != nil {
			return err
		}
		made++
	}
	if made < 10 {
		return fmt.Errorf("%s lists only %d queue directories", PostfixFiles, made)
	}
	return nil
}

// lookupIDs returns the user's uid and the group's gid.
func lookupIDs(userName, groupName string) ([2]int, error) {
	u, err := user.Lookup(userName)
	if err != nil {
		return [2]int{}, err
	}
	g, err := user.LookupGroup(groupName)
	if err != nil {
		return [2]int{}, err
	}
	uid, err1 := strconv.Atoi(u.Uid)
	gid, err2 := strconv.Atoi(g.Gid)
	if err1 != nil || err2 != nil {
		return [2]int{}, fmt.Errorf("uid %q, gid %q", u.Uid, g.Gid)
	}
	return [2]int{uid, gid}, nil
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
