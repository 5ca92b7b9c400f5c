package sasl

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/subtle"
	"encoding/binary"
	"encoding/hex"
	"strconv"
	"strings"

	gosasl "github.com/emersion/go-sasl"
)

// checkPassword compares a password the client sent with the user's, in
// constant time, and an unknown user as a wrong password.
func (s *server) checkPassword(user, pass string) error {
	want, ok := s.cfg.lookup(user)
	if !ok {
		want = pass + "\x00" // compared all the same, and never equal
	}
	if subtle.ConstantTimeCompare([]byte(pass), []byte(want)) != 1 {
		return fail(ErrAuthFailed, "invalid user name or password")
	}
	return s.authorize()
}

// authorize refuses an authorization identity other than the user: this
// lab has no administrators who may act for others (RFC 4422 section 2).
func (s *server) authorize() error {
	if s.authzid != "" && s.authzid != s.user {
		return fail(ErrAuthorization, "the user may not act as another user; leave the authorization identity empty")
	}
	return nil
}

const plainForm = "the PLAIN response must be base64 of authzid NUL user NUL password"

// plainStep is PLAIN (RFC 4616): one response, authzid NUL authcid NUL
// passwd, read by go-sasl's server. Without an initial response the
// server asks for it with an empty challenge.
func plainStep(s *server, n int, resp []byte) ([]byte, bool, error) {
	if n == 0 && resp == nil {
		return nil, false, nil
	}
	var checked error
	srv := gosasl.NewPlainServer(func(authz, user, pass string) error {
		s.user, s.authzid = user, authz
		s.heard(authz, "plain.authzid")
		s.heard(user, "plain.authcid")
		s.heard(Mask, "plain.password")
		if user == "" || pass == "" {
			checked = fail(ErrMalformed, plainForm+"; the user name and the password may not be empty")
		} else {
			checked = s.checkPassword(user, pass)
		}
		return checked
	})
	if _, _, err := srv.Next(resp); err != nil {
		if checked != nil {
			return nil, true, checked
		}
		return nil, true, fail(ErrMalformed, plainForm)
	}
	return nil, true, nil
}

// The LOGIN mechanism's prompts (draft-murchison-sasl-login section 2).
const (
	loginUserPrompt = "Username:"
	loginPassPrompt = "Password:"
)

// loginStep is LOGIN: the server asks "Username:" and "Password:", the
// client answers each. An initial response is taken as the user name, as
// Dovecot and Cyrus do for clients that send one.
func loginStep(s *server, n int, resp []byte) ([]byte, bool, error) {
	askPassword := func() ([]byte, bool, error) {
		s.ask(loginPassPrompt, "login.ask.password")
		return []byte(loginPassPrompt), false, nil
	}
	switch {
	case n == 0 && len(resp) == 0:
		s.ask(loginUserPrompt, "login.ask.user")
		return []byte(loginUserPrompt), false, nil
	case s.user == "" && n <= 1:
		if len(resp) == 0 {
			return nil, true, fail(ErrMalformed, "the LOGIN user name is empty")
		}
		s.user = string(resp)
		s.heard(s.user, "login.user")
		return askPassword()
	}
	s.heard(Mask, "login.password")
	if err := s.checkPassword(s.user, string(resp)); err != nil {
		return nil, true, err
	}
	return nil, true, nil
}

const cramForm = "a CRAM-MD5 response is the user name, a space and the 32 hexadecimal digits of the HMAC-MD5 digest"

// cramStep is CRAM-MD5 (RFC 2195): the server sends a challenge in the
// form of a message id, <random.clock@hostname>; the client answers
// "user digest", the digest HMAC-MD5 keyed with the password over the
// challenge, in lowercase hex.
func cramStep(s *server, n int, resp []byte) ([]byte, bool, error) {
	if n == 0 {
		if len(resp) > 0 {
			return nil, true, fail(ErrMalformed, "CRAM-MD5 starts with the server's challenge; send no initial response")
		}
		ch := s.cfg.Challenge
		if ch == "" {
			random := strconv.FormatUint(binary.BigEndian.Uint64(s.cfg.random(8))>>1, 10)
			ch = "<" + random + "." + strconv.FormatInt(s.cfg.now().Unix(), 10) + "@" + s.cfg.hostname() + ">"
		}
		s.ask(ch, "cram.challenge")
		s.cramChallenge = []byte(ch)
		return s.cramChallenge, false, nil
	}
	text := string(resp)
	i := strings.LastIndexByte(text, ' ')
	if i <= 0 {
		return nil, true, fail(ErrMalformed, cramForm)
	}
	user, digest := text[:i], strings.ToLower(text[i+1:])
	if _, err := hex.DecodeString(digest); err != nil || len(digest) != 2*md5.Size {
		return nil, true, fail(ErrMalformed, cramForm)
	}
	s.user = user
	s.heard(user, "cram.user")
	s.heard(digest, "cram.digest")
	pass, ok := s.cfg.lookup(user)
	mac := hmac.New(md5.New, []byte(pass))
	mac.Write(s.cramChallenge)
	want := hex.EncodeToString(mac.Sum(nil))
	if subtle.ConstantTimeCompare([]byte(digest), []byte(want)) != 1 || !ok {
		return nil, true, fail(ErrAuthFailed, "invalid user name or password")
	}
	return nil, true, nil
}
