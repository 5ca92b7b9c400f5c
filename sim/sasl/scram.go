package sasl

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"sync"

	"github.com/xdg-go/scram"
)

// Iterations is SCRAM's iteration count: RFC 7677 section 4 asks for at
// least 4096, which is also Dovecot's default.
const Iterations = 4096

// saltSize is the length of a SCRAM salt in octets, as Dovecot's.
const saltSize = 16

// newScram is SCRAM-SHA-1 (RFC 5802) or SCRAM-SHA-256 (RFC 7677), with
// xdg-go/scram's server: client-first, server-first, client-final,
// server-final with the server's signature, and an empty response that
// closes the exchange, since neither POP3 nor IMAP can carry the
// signature in its success reply. No channel binding (no -PLUS variant)
// is offered.
func newScram(s *server) stepFunc {
	hg := scram.SHA1
	if s.mech == ScramSHA256 {
		hg = scram.SHA256
	}
	srv, err := hg.NewServer(func(user string) (scram.StoredCredentials, error) {
		return s.scramCredentials(hg, user), nil
	})
	if err != nil {
		panic(err) // NewServer fails on nothing it is given here
	}
	srv = srv.WithNonceGenerator(func() string {
		if s.cfg.Nonce != "" {
			return s.cfg.Nonce
		}
		return base64.StdEncoding.EncodeToString(s.cfg.random(18))
	})
	conv := srv.NewConversation()
	var clientNonce string
	phase := 0
	return func(s *server, n int, resp []byte) ([]byte, bool, error) {
		if n == 0 && resp == nil {
			return nil, false, nil // the client speaks first
		}
		switch phase {
		case 0:
			phase++
			clientNonce = s.noteClientFirst(string(resp))
			out, err := conv.Step(string(resp))
			if err != nil {
				if out == scram.ErrChannelBindingNotSupported || out == scram.ErrUnsupportedChannelBindingType {
					return nil, true, fail(ErrMalformed, "this server offers no channel binding (no "+s.mech+"-PLUS); the client-first message must start with n,, or y,,")
				}
				return nil, true, fail(ErrMalformed, "a "+s.mech+" client-first message is a GS2 header (n,,) followed by n=user,r=nonce")
			}
			s.user, s.authzid = conv.Username(), conv.AuthzID()
			s.noteServerFirst(out, clientNonce)
			return []byte(out), false, nil
		case 1:
			phase++
			s.noteClientFinal(string(resp))
			out, err := conv.Step(string(resp))
			if err != nil {
				if out == scram.ErrInvalidProof {
					return nil, true, fail(ErrAuthFailed, "invalid user name or password")
				}
				return nil, true, fail(ErrMalformed, "a "+s.mech+" client-final message is c=biws,r=the nonce the server sent,p=the proof")
			}
			if err := s.authorize(); err != nil {
				return nil, true, err
			}
			s.ask(out, "scram.verifier")
			return []byte(out), false, nil
		}
		if len(resp) > 0 {
			return nil, true, fail(ErrMalformed, "after the server's signature (v=) the client sends an empty response")
		}
		return nil, true, nil
	}
}

// scramCredentials are the keys the server checks a proof with: made
// from the user's password with a salt of the user's own, computed once
// and cached. An unknown user gets keys that match no proof, with a salt
// that stays the same, so the exchange does not tell which names exist
// (RFC 5802 section 5.1).
func (s *server) scramCredentials(hg scram.HashGeneratorFcn, user string) scram.StoredCredentials {
	pass, ok := s.cfg.lookup(user)
	if !ok {
		return fakeCredentials(s.mech, user, s.cfg.Salt)
	}
	if s.cfg.Salt != nil {
		if c, ok := deriveCredentials(hg, user, pass, s.cfg.Salt); ok {
			return c
		}
		return fakeCredentials(s.mech, user, s.cfg.Salt)
	}
	return credentialCache.get(s.mech, hg, user, pass, func() []byte { return s.cfg.random(saltSize) })
}

// deriveCredentials runs SCRAM's Hi (PBKDF2) over the password, prepared
// with SASLprep as the client prepares it (RFC 5802 section 2.2).
func deriveCredentials(hg scram.HashGeneratorFcn, user, pass string, salt []byte) (scram.StoredCredentials, bool) {
	c, err := hg.NewClient(user, pass, "")
	if err != nil {
		// A password SASLprep refuses: the client cannot prepare it
		// either; use it as it is.
		c, _ = hg.NewClientUnprepped(user, pass, "")
	}
	creds, err := c.GetStoredCredentialsWithError(scram.KeyFactors{Salt: string(salt), Iters: Iterations})
	return creds, err == nil
}

// cache keeps each user's salted keys: PBKDF2 with 4096 iterations is
// meant to be slow, so a lab with a class logging in at once computes it
// once per user and mechanism. The key holds a hash of the password, so a
// changed password gets new keys and a new salt.
type cache struct {
	mu sync.Mutex
	m  map[string]scram.StoredCredentials
}

// maxCached bounds the cache; past it, the cache starts afresh.
const maxCached = 4096

var credentialCache cache

func (c *cache) get(mech string, hg scram.HashGeneratorFcn, user, pass string, salt func() []byte) scram.StoredCredentials {
	sum := sha256.Sum256([]byte(pass))
	key := mech + "\x00" + user + "\x00" + hex.EncodeToString(sum[:])
	c.mu.Lock()
	creds, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return creds
	}
	creds, ok = deriveCredentials(hg, user, pass, salt())
	if !ok {
		return fakeCredentials(mech, user, nil)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxCached {
		c.m = map[string]scram.StoredCredentials{}
	}
	if first, ok := c.m[key]; ok {
		return first // another session got there first: keep one salt
	}
	c.m[key] = creds
	return creds
}

// fakeKey keys the stand-in credentials of unknown users.
var fakeKey = sync.OnceValue(func() []byte {
	b := make([]byte, 32)
	rand.Read(b)
	return b
})

func fakeCredentials(mech, user string, salt []byte) scram.StoredCredentials {
	mac := func(label string) []byte {
		h := hmac.New(sha256.New, fakeKey())
		h.Write([]byte(label + "\x00" + mech + "\x00" + user))
		return h.Sum(nil)
	}
	if salt == nil {
		salt = mac("salt")[:saltSize]
	}
	return scram.StoredCredentials{
		KeyFactors: scram.KeyFactors{Salt: string(salt), Iters: Iterations},
		StoredKey:  mac("stored"),
		ServerKey:  mac("server"),
	}
}

// noteClientFirst explains the client-first message (RFC 5802 section
// 7): the GS2 header, then n= and r=. It returns the client's nonce.
func (s *server) noteClientFirst(msg string) (nonce string) {
	f := strings.SplitN(msg, ",", 3)
	if len(f) < 3 {
		return ""
	}
	header := f[0] + "," + f[1] + ","
	switch {
	case f[0] == "n" || f[0] == "y":
		s.heard(header, "scram.gs2."+f[0])
	case strings.HasPrefix(f[0], "p="):
		s.heard(header, "scram.gs2.p", f[0][2:])
	default:
		return ""
	}
	if name, ok := strings.CutPrefix(f[1], "a="); ok {
		s.heard(f[1], "scram.authzid", scramName(name))
	}
	for _, a := range strings.Split(f[2], ",") {
		switch {
		case strings.HasPrefix(a, "n="):
			s.heard(a, "scram.user", scramName(a[2:]))
		case strings.HasPrefix(a, "r="):
			nonce = a[2:]
			s.heard(a, "scram.cnonce")
		case strings.HasPrefix(a, "m="):
			s.heard(a, "scram.ext")
		}
	}
	return nonce
}

// noteServerFirst explains the server-first message: the combined nonce,
// the salt and the iteration count.
func (s *server) noteServerFirst(msg, clientNonce string) {
	for _, a := range strings.Split(msg, ",") {
		switch {
		case strings.HasPrefix(a, "r="):
			own := strings.TrimPrefix(a[2:], clientNonce)
			s.ask(a, "scram.nonce", token(clientNonce), token(own))
		case strings.HasPrefix(a, "s="):
			s.ask(a, "scram.salt")
		case strings.HasPrefix(a, "i="):
			s.ask(a, "scram.iter", a[2:])
		}
	}
}

// noteClientFinal explains the client-final message: channel binding,
// the nonce again and the proof.
func (s *server) noteClientFinal(msg string) {
	for _, a := range strings.Split(msg, ",") {
		switch {
		case strings.HasPrefix(a, "c="):
			cb, err := base64.StdEncoding.DecodeString(a[2:])
			if err != nil {
				cb = nil
			}
			s.heard(a, "scram.cbind", token(string(cb)))
		case strings.HasPrefix(a, "r="):
			s.heard(a, "scram.nonce.again")
		case strings.HasPrefix(a, "p="):
			s.heard(a, "scram.proof")
		}
	}
}

// scramName undoes SCRAM's escaping of "," and "=" in a name.
func scramName(s string) string {
	return token(strings.NewReplacer("=2C", ",", "=3D", "=").Replace(s))
}
