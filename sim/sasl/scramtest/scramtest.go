// Package scramtest is a SCRAM client (RFC 5802) for tests: it speaks the
// client's side of an exchange with the lab's servers, authorization
// identity included (the xdg-go/scram client the server side uses writes
// that one without its "a="). Passwords are taken as they are, without
// SASLprep: tests use ASCII ones.
package scramtest

import (
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"strconv"
	"strings"
)

// Client is one client conversation.
type Client struct {
	h                       func() hash.Hash
	user, pass, authz, cnon string
	step                    int
	gs2, bare, authMessage  string
	salted                  []byte
	valid                   bool
}

// New starts a conversation for user with password pass, acting as authz
// ("": as user), with the client nonce nonce.
func New(h func() hash.Hash, user, pass, authz, nonce string) *Client {
	return &Client{h: h, user: user, pass: pass, authz: authz, cnon: nonce}
}

func escape(s string) string {
	return strings.NewReplacer("=", "=3D", ",", "=2C").Replace(s)
}

// Step takes the server's last challenge ("" before the first message)
// and returns the client's next message.
func (c *Client) Step(challenge string) (string, error) {
	c.step++
	switch c.step {
	case 1:
		c.gs2 = "n,,"
		if c.authz != "" {
			c.gs2 = "n,a=" + escape(c.authz) + ","
		}
		c.bare = "n=" + escape(c.user) + ",r=" + c.cnon
		return c.gs2 + c.bare, nil
	case 2:
		return c.final(challenge)
	case 3:
		v, ok := strings.CutPrefix(challenge, "v=")
		if !ok {
			return "", fmt.Errorf("server-final %q", challenge)
		}
		sig, err := base64.StdEncoding.DecodeString(v)
		if err != nil {
			return "", err
		}
		c.valid = subtle.ConstantTimeCompare(sig, c.mac(c.mac(c.salted, "Server Key"), c.authMessage)) == 1
		if !c.valid {
			return "", errors.New("the server's signature does not match")
		}
		return "", nil
	}
	return "", errors.New("the exchange is over")
}

// Done reports whether the client has read the server's last message.
func (c *Client) Done() bool { return c.step >= 3 }

// Valid reports whether the server proved it knows the password.
func (c *Client) Valid() bool { return c.valid }

func (c *Client) final(serverFirst string) (string, error) {
	var nonce, salt string
	iters := 0
	for _, f := range strings.Split(serverFirst, ",") {
		k, v, _ := strings.Cut(f, "=")
		switch k {
		case "r":
			nonce = v
		case "s":
			salt = v
		case "i":
			iters, _ = strconv.Atoi(v)
		}
	}
	if !strings.HasPrefix(nonce, c.cnon) || iters < 1 {
		return "", fmt.Errorf("server-first %q", serverFirst)
	}
	s, err := base64.StdEncoding.DecodeString(salt)
	if err != nil {
		return "", err
	}
	c.salted, err = pbkdf2.Key(c.h, c.pass, s, iters, c.h().Size())
	if err != nil {
		return "", err
	}
	withoutProof := "c=" + base64.StdEncoding.EncodeToString([]byte(c.gs2)) + ",r=" + nonce
	c.authMessage = c.bare + "," + serverFirst + "," + withoutProof
	clientKey := c.mac(c.salted, "Client Key")
	h := c.h()
	h.Write(clientKey)
	sig := c.mac(h.Sum(nil), c.authMessage)
	for i := range sig {
		sig[i] ^= clientKey[i]
	}
	return withoutProof + ",p=" + base64.StdEncoding.EncodeToString(sig), nil
}

func (c *Client) mac(key []byte, msg string) []byte {
	m := hmac.New(c.h, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}
