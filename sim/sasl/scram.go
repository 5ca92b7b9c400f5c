package sasl

import (
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Iterations is SCRAM's iteration count: RFC 7677 section 4 asks for at
// least 4096, which is also Dovecot's default.
const Iterations = 4096

// saltSize is the length of a SCRAM salt in octets, as Dovecot's.
const saltSize = 16

// newScram is SCRAM-SHA-1 (RFC 5802) or SCRAM-SHA-256 (RFC 7677):
// client-first, server-first, client-final, server-final with the
// server's signature, and an empty response that closes the exchange,
// since neither POP3 nor IMAP can carry the signature in its success
// reply. No channel binding (no -PLUS variant) is offered.
//
// The server is written here on the standard library's PBKDF2 and HMAC:
// the SCRAM library that offers a server links crypto/tls and the network
// stack for its channel binding, which would double the browser module.
func newScram(s *server) stepFunc {
	h := sha1.New
	if s.mech == ScramSHA256 {
		h = sha256.New
	}
	var (
		gs2, bare, nonce, first string
		keys                    scramKeys
		phase                   int
	)
	return func(s *server, n int, resp []byte) ([]byte, bool, error) {
		if n == 0 && resp == nil {
			return nil, false, nil // the client speaks first
		}
		msg := string(resp)
		switch phase {
		case 0:
			phase++
			cnonce := s.noteClientFirst(msg)
			var user, authz string
			var err error
			gs2, bare, user, authz, err = parseClientFirst(msg, s.mech)
			if err != nil {
				return nil, true, err
			}
			s.user, s.authzid = user, authz
			snonce := s.cfg.Nonce
			if snonce == "" {
				snonce = base64.StdEncoding.EncodeToString(s.cfg.random(18))
			}
			nonce = cnonce + snonce
			keys = s.scramCredentials(h, user)
			first = "r=" + nonce + ",s=" + base64.StdEncoding.EncodeToString(keys.salt) + ",i=" + strconv.Itoa(keys.iters)
			s.noteServerFirst(first, cnonce)
			return []byte(first), false, nil
		case 1:
			phase++
			s.noteClientFinal(msg)
			withoutProof, proof, err := parseClientFinal(msg, gs2, nonce, s.mech)
			if err != nil {
				return nil, true, err
			}
			authMessage := bare + "," + first + "," + withoutProof
			clientKey := hmacOf(h, keys.stored, authMessage)
			if len(proof) != len(clientKey) {
				return nil, true, fail(ErrAuthFailed, "invalid user name or password")
			}
			for i := range clientKey {
				clientKey[i] ^= proof[i]
			}
			stored := h()
			stored.Write(clientKey)
			if subtle.ConstantTimeCompare(stored.Sum(nil), keys.stored) != 1 {
				return nil, true, fail(ErrAuthFailed, "invalid user name or password")
			}
			if err := s.authorize(); err != nil {
				return nil, true, err
			}
			out := "v=" + base64.StdEncoding.EncodeToString(hmacOf(h, keys.server, authMessage))
			s.ask(out, "scram.verifier")
			return []byte(out), false, nil
		}
		if len(resp) > 0 {
			return nil, true, fail(ErrMalformed, "after the server's signature (v=) the client sends an empty response")
		}
		return nil, true, nil
	}
}

// parseClientFirst reads gs2-header client-first-message-bare (RFC 5802
// section 7): "n,," or "y,,", an optional a=authzid, then n=user,r=nonce.
// It returns the header and the bare message, which the proof covers.
func parseClientFirst(msg, mech string) (gs2, bare, user, authz string, err error) {
	malformed := fail(ErrMalformed, "a "+mech+" client-first message is a GS2 header (n,,) followed by n=user,r=nonce")
	flag, rest, ok := strings.Cut(msg, ",")
	if !ok {
		return "", "", "", "", malformed
	}
	switch {
	case strings.HasPrefix(flag, "p="):
		return "", "", "", "", fail(ErrMalformed, "this server offers no channel binding (no "+mech+"-PLUS); the client-first message must start with n,, or y,,")
	case flag != "n" && flag != "y":
		return "", "", "", "", malformed
	}
	a, bare, ok := strings.Cut(rest, ",")
	if !ok {
		return "", "", "", "", malformed
	}
	if a != "" {
		name, ok := strings.CutPrefix(a, "a=")
		if authz, ok = saslName(name); !ok || authz == "" {
			return "", "", "", "", malformed
		}
	}
	f := strings.Split(bare, ",")
	if len(f) < 2 || !strings.HasPrefix(f[0], "n=") || !strings.HasPrefix(f[1], "r=") || !printableNonce(f[1][2:]) {
		return "", "", "", "", malformed
	}
	if user, ok = saslName(f[0][2:]); !ok || user == "" {
		return "", "", "", "", malformed
	}
	for _, ext := range f[2:] {
		if strings.HasPrefix(ext, "m=") { // a mandatory extension this server does not know
			return "", "", "", "", fail(ErrMalformed, "this server knows no "+mech+" extension (m=)")
		}
	}
	return flag + "," + a + ",", bare, user, authz, nil
}

// parseClientFinal reads c=channel-binding,r=nonce[,extensions],p=proof:
// the binding must be the client's own GS2 header (no channel binding)
// and the nonce the one the server sent. It returns the message without
// its proof, which the proof covers, and the proof.
func parseClientFinal(msg, gs2, nonce, mech string) (withoutProof string, proof []byte, err error) {
	malformed := fail(ErrMalformed, "a "+mech+" client-final message is c=biws,r=the nonce the server sent,p=the proof")
	i := strings.LastIndex(msg, ",p=")
	if i < 0 {
		return "", nil, malformed
	}
	withoutProof = msg[:i]
	proof, perr := base64.StdEncoding.DecodeString(msg[i+3:])
	f := strings.Split(withoutProof, ",")
	if perr != nil || len(f) < 2 || !strings.HasPrefix(f[0], "c=") || !strings.HasPrefix(f[1], "r=") {
		return "", nil, malformed
	}
	if cb, err := base64.StdEncoding.DecodeString(f[0][2:]); err != nil || string(cb) != gs2 {
		return "", nil, fail(ErrMalformed, "c= must be base64 of the GS2 header the client sent first ("+gs2+")")
	}
	if f[1][2:] != nonce {
		return "", nil, fail(ErrMalformed, "r= must repeat the nonce the server sent")
	}
	return withoutProof, proof, nil
}

// saslName undoes SCRAM's escaping of "," as =2C and "=" as =3D; any
// other "=" is an error (RFC 5802 section 5.1).
func saslName(s string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == ',':
			return "", false
		case s[i] != '=':
			b.WriteByte(s[i])
		case strings.HasPrefix(s[i:], "=2C"):
			b.WriteByte(',')
			i += 2
		case strings.HasPrefix(s[i:], "=3D"):
			b.WriteByte('=')
			i += 2
		default:
			return "", false
		}
	}
	return b.String(), utf8.ValidString(s)
}

// printableNonce: a nonce is printable ASCII without "," (RFC 5802
// section 7).
func printableNonce(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e || s[i] == ',' {
			return false
		}
	}
	return true
}

func hmacOf(h func() hash.Hash, key []byte, msg string) []byte {
	m := hmac.New(h, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

// scramKeys are what the server keeps to check a proof: the salt and the
// iteration count it tells the client, StoredKey and ServerKey (RFC 5802
// section 3).
type scramKeys struct {
	salt           []byte
	iters          int
	stored, server []byte
}

// scramCredentials are the keys the server checks a proof with: made
// from the user's password with a salt of the user's own, computed once
// and cached. An unknown user gets keys that match no proof, with a salt
// that stays the same, so the exchange does not tell which names exist
// (RFC 5802 section 5.1).
func (s *server) scramCredentials(h func() hash.Hash, user string) scramKeys {
	pass, ok := s.cfg.lookup(user)
	if !ok {
		return fakeCredentials(s.mech, user, s.cfg.Salt)
	}
	if s.cfg.Salt != nil {
		return deriveCredentials(h, pass, s.cfg.Salt)
	}
	return credentialCache.get(s.mech, h, user, pass, func() []byte { return s.cfg.random(saltSize) })
}

// deriveCredentials runs SCRAM's Hi (PBKDF2) over the password (RFC 5802
// section 3). SASLprep would first map and normalize a non-ASCII
// password; the lab takes passwords as they are written, which is the
// same for ASCII ones and for ones already in normalization form KC, and
// spares the browser module the Unicode tables.
func deriveCredentials(h func() hash.Hash, pass string, salt []byte) scramKeys {
	salted, err := pbkdf2.Key(h, pass, salt, Iterations, h().Size())
	if err != nil {
		panic(err) // only for key lengths FIPS mode refuses
	}
	sum := h()
	sum.Write(hmacOf(h, salted, "Client Key"))
	return scramKeys{salt: salt, iters: Iterations, stored: sum.Sum(nil), server: hmacOf(h, salted, "Server Key")}
}

// cache keeps each user's salted keys: PBKDF2 with 4096 iterations is
// meant to be slow, so a lab with a class logging in at once computes it
// once per user and mechanism. The key holds a hash of the password, so a
// changed password gets new keys and a new salt.
type cache struct {
	mu sync.Mutex
	m  map[string]scramKeys
}

// maxCached bounds the cache; past it, the cache starts afresh.
const maxCached = 4096

var credentialCache cache

func (c *cache) get(mech string, h func() hash.Hash, user, pass string, salt func() []byte) scramKeys {
	sum := sha256.Sum256([]byte(pass))
	key := mech + "\x00" + user + "\x00" + hex.EncodeToString(sum[:])
	c.mu.Lock()
	creds, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return creds
	}
	creds = deriveCredentials(h, pass, salt())
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxCached {
		c.m = map[string]scramKeys{}
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

func fakeCredentials(mech, user string, salt []byte) scramKeys {
	mac := func(label string) []byte {
		h := hmac.New(sha256.New, fakeKey())
		h.Write([]byte(label + "\x00" + mech + "\x00" + user))
		return h.Sum(nil)
	}
	if salt == nil {
		salt = mac("salt")[:saltSize]
	}
	return scramKeys{salt: salt, iters: Iterations, stored: mac("stored"), server: mac("server")}
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
