// Package sasl is the server side of the SASL mechanisms (RFC 4422) the
// lab's protocols share: POP3's AUTH (RFC 5034), IMAP's AUTHENTICATE (RFC
// 3501 6.2.2 with SASL-IR, RFC 4959) and SMTP's AUTH (RFC 4954). The
// protocols differ only in how a challenge is framed ("+ " or "334 ") and
// how the outcome is answered; the exchange, its base64 lines, the "*"
// that cancels it and its explanation for learners are the same, and live
// here.
//
// Mechanisms: PLAIN (RFC 4616), LOGIN (draft-murchison-sasl-login),
// CRAM-MD5 (RFC 2195), SCRAM-SHA-1 (RFC 5802) and SCRAM-SHA-256 (RFC 7677).
// Every one needs the user's password itself (or, for SCRAM, keys made
// from it), which Config.Lookup gives.
//
// A Server explains each step: what the client's response and the
// server's challenge hold, field by field, in the learner's language. A
// password never shows there: its token is Mask.
package sasl

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"io"
	"slices"
	"strings"
	"time"

	"maillab/sim/event"
	"maillab/sim/mailstore"
)

// Mechanism names, as CAPA's SASL line and IMAP's AUTH= capabilities
// write them.
const (
	Plain       = "PLAIN"
	Login       = "LOGIN"
	CramMD5     = "CRAM-MD5"
	ScramSHA1   = "SCRAM-SHA-1"
	ScramSHA256 = "SCRAM-SHA-256"
)

// mechanisms is every mechanism, in the order servers offer them: the
// ones that send the password first, as Dovecot lists them.
var mechanisms = []string{Plain, Login, CramMD5, ScramSHA1, ScramSHA256}

// Mechanisms lists the mechanisms a server offers. The lab offers all of
// them with and without TLS, as Dovecot does with
// disable_plaintext_auth=no: a learner must be able to watch PLAIN's
// base64 on a plain connection to see that it hides nothing. Plaintext
// tells which ones a real server would keep for TLS.
func Mechanisms() []string { return slices.Clone(mechanisms) }

// Plaintext reports whether the mechanism sends the password itself
// (base64 is no encryption), so that it belongs on a TLS connection only.
func Plaintext(mech string) bool { return mech == Plain || mech == Login }

// Supported reports whether name (any case) is one of Mechanisms.
func Supported(name string) bool { return slices.Contains(mechanisms, strings.ToUpper(name)) }

// Errors. Next returns an *Error whose Kind is one of these, so a protocol
// maps it to its reply with errors.Is; Decode returns ErrCancelled or
// ErrBase64 as they are.
var (
	// ErrUnknownMechanism: New was asked for a mechanism not offered.
	ErrUnknownMechanism = errors.New("unsupported SASL mechanism")
	// ErrCancelled: the client answered "*" (RFC 4422 section 3.5).
	ErrCancelled = errors.New("authentication cancelled")
	// ErrBase64: the client's line is not base64.
	ErrBase64 = errors.New("the SASL response is not valid base64")
	// ErrMalformed: the decoded response is not what the mechanism
	// expects at this step.
	ErrMalformed = errors.New("malformed SASL response")
	// ErrAuthFailed: unknown user or wrong password; which, the server
	// does not tell.
	ErrAuthFailed = errors.New("authentication failed")
	// ErrAuthorization: the credentials are right, but the client asked
	// to act as another user (an authorization identity), which nobody
	// may here.
	ErrAuthorization = errors.New("authorization identity refused")
)

// Error is a failed step: its Kind is one of the errors above and Text
// says what went wrong in English, fit for a server's reply. Text never
// quotes the client's data, which may hold the password.
type Error struct {
	Kind error
	Text string
}

func (e *Error) Error() string { return e.Text }
func (e *Error) Unwrap() error { return e.Kind }

func fail(kind error, text string) *Error { return &Error{Kind: kind, Text: text} }

// Config is what a server needs from its host.
type Config struct {
	// Hostname ends CRAM-MD5's challenge, <random.clock@hostname>.
	// Empty: "localhost".
	Hostname string
	// Now is CRAM-MD5's clock. Nil: time.Now.
	Now func() time.Time
	// Rand makes nonces and salts. Nil: crypto/rand.
	Rand io.Reader
	// Lookup gives a user's password, false for an unknown user. User
	// names are compared exactly.
	Lookup func(user string) (password string, ok bool)

	// Challenge, when set, is CRAM-MD5's challenge, as a lesson pins
	// APOP's timestamp: "<1896.697170952@postoffice.reston.mci.net>"
	// reproduces RFC 2195's example.
	Challenge string
	// Nonce, when set, is the nonce SCRAM's server adds to the client's.
	Nonce string
	// Salt, when set, is SCRAM's salt for every user, and the salted
	// keys are made afresh instead of being taken from the cache. With
	// Nonce it reproduces RFC 5802's and RFC 7677's examples.
	Salt []byte
}

func (c *Config) now() time.Time {
	if c.Now == nil {
		return time.Now()
	}
	return c.Now()
}

func (c *Config) hostname() string {
	if c.Hostname == "" {
		return "localhost"
	}
	return c.Hostname
}

func (c *Config) random(n int) []byte {
	b := make([]byte, n)
	r := c.Rand
	if r == nil {
		r = rand.Reader
	}
	if _, err := io.ReadFull(r, b); err != nil {
		rand.Read(b)
	}
	return b
}

func (c *Config) lookup(user string) (string, bool) {
	if c.Lookup == nil {
		return "", false
	}
	return c.Lookup(user)
}

// Server is one authentication exchange of one mechanism, server side.
// It is not safe for concurrent use; make one per AUTH command.
type Server interface {
	// Mechanism is the mechanism's name.
	Mechanism() string
	// Next takes the client's response and returns the next challenge,
	// or done when the exchange is over. The first call takes the
	// initial response: nil when the client sent none (the server then
	// starts with a challenge, empty for a client-first mechanism). A
	// failure is an *Error; the exchange is over then too.
	Next(response []byte) (challenge []byte, done bool, err error)
	// User is the user name the client gave (the authentication
	// identity), once a response has named it; "" before. The client is
	// logged in as User only when Next returned done and no error.
	User() string
	// Authzid is the authorization identity the client asked for, ""
	// for none.
	Authzid() string
	// Explain says, in lang, what the last call of Next read and wrote:
	// the fields of the client's response, then the challenge in base64
	// and its fields. A password's token is Mask.
	Explain(lang string) []event.Part
}

// Passwords looks users' passwords up in st, for Config.Lookup: the
// passwd file's {PLAIN} secrets, which CRAM-MD5 and SCRAM need as they are.
func Passwords(st *mailstore.Store) func(user string) (string, bool) {
	return func(name string) (string, bool) {
		u, ok := st.User(name)
		if !ok {
			return "", false
		}
		return u.Secret(), true
	}
}

// New starts an exchange of the mechanism name (any case).
func New(name string, c Config) (Server, error) {
	s := &server{mech: strings.ToUpper(name), cfg: c}
	switch s.mech {
	case Plain:
		s.step = plainStep
	case Login:
		s.step = loginStep
	case CramMD5:
		s.step = cramStep
	case ScramSHA1, ScramSHA256:
		s.step = newScram(s)
	default:
		return nil, ErrUnknownMechanism
	}
	return s, nil
}

// stepFunc is a mechanism: it takes the response of step n (0: the
// initial response) and notes what it reads and writes.
type stepFunc func(s *server, n int, resp []byte) (challenge []byte, done bool, err error)

type server struct {
	mech          string
	cfg           Config
	step          stepFunc
	n             int
	over          bool
	user, authzid string
	said, asked   []note // the last response's fields and the challenge's
	challenge     []byte
	cramChallenge []byte
}

func (s *server) Mechanism() string { return s.mech }
func (s *server) User() string      { return s.user }
func (s *server) Authzid() string   { return s.authzid }

func (s *server) Next(resp []byte) ([]byte, bool, error) {
	s.said, s.asked, s.challenge = nil, nil, nil
	if s.over {
		return nil, true, fail(ErrMalformed, "the "+s.mech+" exchange is already over")
	}
	ch, done, err := s.step(s, s.n, resp)
	s.n++
	if err != nil || done {
		s.over = true
		s.asked = nil
		return nil, done, err
	}
	if ch == nil {
		ch = []byte{}
	}
	s.challenge = ch
	return ch, false, nil
}

// Encode is a challenge as the text after the protocol's continuation
// prefix ("+ " in POP3 and IMAP, "334 " in SMTP): base64, nothing for an
// empty challenge.
func Encode(challenge []byte) string { return base64.StdEncoding.EncodeToString(challenge) }

// Decode reads the client's text: an initial response from the command
// line or the line answering a challenge. "*" cancels the exchange
// (ErrCancelled); "=" is an empty initial response (RFC 4959, RFC 5034,
// RFC 4954); anything else must be base64 (ErrBase64).
func Decode(text string) ([]byte, error) {
	switch text {
	case "*":
		return nil, ErrCancelled
	case "=":
		return []byte{}, nil
	}
	b, err := base64.StdEncoding.DecodeString(text)
	if err != nil {
		return nil, ErrBase64
	}
	return b, nil
}
