package mailstore

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
)

// PasswdEntry is one account of a Dovecot passwd-file.
type PasswdEntry struct {
	Name, Password string
}

// ParsePasswd reads a Dovecot passwd-file (name:{PLAIN}password followed by
// fields this lab ignores). Blank lines and lines starting with "#" are
// skipped.
//
// Only the plain-text schemes {PLAIN} and {CLEARTEXT} are accepted, since
// every way of logging in the lab offers must work for every user:
//
//   - APOP (RFC 1939 section 7) and CRAM-MD5 (RFC 2195) hash a challenge
//     together with the password itself, so the server needs the password,
//     not a hash of it;
//   - the logins that send the password (POP3's USER/PASS, IMAP's LOGIN,
//     the PLAIN and LOGIN mechanisms) could check a crypt hash
//     ({SHA512-CRYPT}, {BLF-CRYPT}, ...), but the crypt functions are not in
//     Go's standard library, and the browser build would carry them too;
//   - SCRAM-SHA-1 and SCRAM-SHA-256 could work from stored keys alone
//     (Dovecot's {SCRAM-SHA-256}iterations,salt,StoredKey,ServerKey), and a
//     password sent in plain text can be checked against them too, but
//     APOP and CRAM-MD5 cannot use them.
//
// So the lab keeps the password, and derives the SCRAM keys from it, with a
// salt of each user's own (sim/sasl).
func ParsePasswd(data []byte) ([]PasswdEntry, error) {
	var out []PasswdEntry
	seen := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		e, err := parsePasswdLine(line)
		if err != nil {
			return nil, fmt.Errorf("passwd line %d: %w", n, err)
		}
		if first, dup := seen[e.Name]; dup {
			return nil, fmt.Errorf("passwd line %d: user %q is already defined on line %d", n, e.Name, first)
		}
		seen[e.Name] = n
		out = append(out, e)
	}
	return out, sc.Err()
}

func parsePasswdLine(line string) (PasswdEntry, error) {
	name, rest, ok := strings.Cut(line, ":")
	if !ok {
		return PasswdEntry{}, fmt.Errorf("expected name:{PLAIN}password, found no \":\"")
	}
	if !ValidUserName(name) || reservedUserName(name) {
		return PasswdEntry{}, fmt.Errorf("%q is not a usable user name (letters, digits and . _ - @ +, not starting with a dot)", name)
	}
	pass, _, _ := strings.Cut(rest, ":")
	scheme, secret, ok := splitScheme(pass)
	if !ok {
		return PasswdEntry{}, fmt.Errorf("user %q: the password has no {SCHEME} prefix; write it as {PLAIN}secret", name)
	}
	switch strings.ToUpper(scheme) {
	case "PLAIN", "CLEARTEXT":
		if secret == "" {
			// PASS needs an argument (RFC 1939 section 7), so nobody
			// could log in; say so here rather than at every PASS.
			return PasswdEntry{}, fmt.Errorf("user %q: the password is empty; POP3's PASS cannot send an empty one, so write name:{PLAIN}password", name)
		}
		return PasswdEntry{Name: name, Password: secret}, nil
	}
	return PasswdEntry{}, fmt.Errorf("user %q: password scheme {%s} is not supported; this lab needs the plain password for APOP and CRAM-MD5, so write it as {PLAIN}secret", name, scheme)
}

func splitScheme(s string) (scheme, secret string, ok bool) {
	if !strings.HasPrefix(s, "{") {
		return "", "", false
	}
	end := strings.IndexByte(s, '}')
	if end < 0 {
		return "", "", false
	}
	return s[1:end], s[end+1:], true
}

// FormatPasswd writes entries in Dovecot passwd-file form. A password
// holding ":" or a line break cannot be written in that form.
func FormatPasswd(entries []PasswdEntry) ([]byte, error) {
	var b bytes.Buffer
	for _, e := range entries {
		if strings.ContainsAny(e.Password, ":\r\n") {
			return nil, fmt.Errorf("user %q: a password containing \":\" or a line break cannot be stored in a passwd-file", e.Name)
		}
		fmt.Fprintf(&b, "%s:{PLAIN}%s\n", e.Name, e.Password)
	}
	return b.Bytes(), nil
}

// reservedUserName refuses names whose directory would clash with files the
// Maildir tree keeps beside the users' directories.
func reservedUserName(name string) bool { return name == passwdFile }
