package mailstore

// Maildir++ layout, as Dovecot keeps it:
//
//	DIR/passwd                         accounts (Dovecot passwd-file)
//	DIR/<user>/{cur,new,tmp}           INBOX
//	DIR/<user>/.<level>.<level>/...    other mailboxes, levels joined by "."
//	DIR/<user>/subscriptions           subscribed names
//	<maildir>/dovecot-uidlist          UIDVALIDITY, UIDNEXT, UID of each file
//	<maildir>/dovecot-keywords         keyword letters a-z
//
// Levels are stored in modified UTF-7 (RFC 3501 section 5.1.3), so a
// Cyrillic folder has an ASCII directory name Dovecot reads the same way.

import (
	"fmt"
	"io/fs"
	"path"
	"strings"

	"maillab/sim/mutf7"
)

const (
	passwdFile   = "passwd"
	aliasesFile  = "aliases" // the /etc/aliases of the lab's mail domains, for SMTP
	subsFile     = "subscriptions"
	uidlistFile  = "dovecot-uidlist"
	keywordsFile = "dovecot-keywords"
	folderMarker = "maildirfolder" // Maildir++ marks each folder with it
	diskSep      = "."
)

// checkDir accepts the root of a Maildir tree: a relative, clean path as
// io/fs and hackpadfs use them ("." for the file system's root).
func checkDir(dir string) error {
	if !fs.ValidPath(dir) {
		return fmt.Errorf("maildir %q: want a relative path without \"..\" or a leading \"/\" (use \".\" for the root)", dir)
	}
	return nil
}

// join builds a path below dir; every caller passes parts already checked
// to be single path elements.
func join(dir string, parts ...string) string {
	return path.Join(append([]string{dir}, parts...)...)
}

// userDir is DIR/<user>, refusing names that are not one safe element.
func userDir(dir, user string) (string, error) {
	if !ValidUserName(user) || reservedUserName(user) {
		return "", fmt.Errorf("%w: %q", ErrBadUserName, user)
	}
	return join(dir, user), nil
}

// folderName maps a canonical mailbox name to its directory below the
// user's: "" for INBOX, ".a.b" for "a/b", each level in modified UTF-7.
func folderName(mailbox string) (string, error) {
	canon, err := CanonicalName(mailbox)
	if err != nil || canon != mailbox {
		return "", fmt.Errorf("%w: %q", ErrBadName, mailbox)
	}
	if mailbox == Inbox {
		return "", nil
	}
	levels := strings.Split(mailbox, Delimiter)
	for i, l := range levels {
		levels[i] = mutf7.Encode(l)
	}
	name := diskSep + strings.Join(levels, diskSep)
	if strings.ContainsAny(name, "/\x00") || name == "." || name == ".." {
		return "", fmt.Errorf("%w: %q", ErrBadName, mailbox)
	}
	return name, nil
}

// mailboxFromFolder is folderName's inverse; ok is false for directories
// that are not mailbox folders or hold names the store cannot represent.
func mailboxFromFolder(dirName string) (string, bool) {
	if !strings.HasPrefix(dirName, diskSep) || dirName == "." || dirName == ".." {
		return "", false
	}
	levels := strings.Split(dirName[1:], diskSep)
	for i, l := range levels {
		dec, err := mutf7.Decode(l)
		if err != nil {
			return "", false
		}
		levels[i] = dec
	}
	name, err := CanonicalName(strings.Join(levels, Delimiter))
	if err != nil {
		return "", false
	}
	return name, true
}

// mailboxDir is the Maildir directory holding mailbox's cur, new and tmp.
func mailboxDir(dir, user, mailbox string) (string, error) {
	ud, err := userDir(dir, user)
	if err != nil {
		return "", err
	}
	f, err := folderName(mailbox)
	if err != nil {
		return "", err
	}
	if f == "" {
		return ud, nil
	}
	return join(ud, f), nil
}

// specialUseByName gives the RFC 6154 attribute for the folder names mail
// clients conventionally use.
var specialUseByName = map[string]string{
	"Sent":    `\Sent`,
	"Drafts":  `\Drafts`,
	"Trash":   `\Trash`,
	"Junk":    `\Junk`,
	"Archive": `\Archive`,
}

// SpecialUseFor returns the RFC 6154 attribute conventionally given to a
// top-level mailbox name (Sent, Drafts, Trash, Junk, Archive), or "".
func SpecialUseFor(name string) string { return specialUseByName[name] }
