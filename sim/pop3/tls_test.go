package pop3

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"slices"
	"testing"
	"time"
)

// selfSigned makes a certificate for localhost, as labserver does when it
// is given none.
func selfSigned(t *testing.T) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "localhost"},
		DNSNames:     []string{"localhost"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// STLS with a real TLS handshake over the pipe (RFC 2595 section 4).
func TestSTLSHandshake(t *testing.T) {
	cfg := &tls.Config{Certificates: []tls.Certificate{selfSigned(t)}}
	o := Options{Store: newStore(t, melanie(100)), StartTLS: func(rw io.ReadWriter) (io.ReadWriter, error) {
		c := tls.Server(rw.(net.Conn), cfg)
		if err := c.Handshake(); err != nil {
			return nil, err
		}
		return c, nil
	}}
	k := dial(t, o)
	k.line()
	if got := k.cmd("STLS"); got != "+OK Begin TLS negotiation" {
		t.Fatalf("STLS: %q", got)
	}
	tc := tls.Client(k.c, &tls.Config{InsecureSkipVerify: true, ServerName: "localhost"})
	tc.SetDeadline(time.Now().Add(5 * time.Second))
	if err := tc.Handshake(); err != nil {
		t.Fatalf("client handshake: %v", err)
	}
	k.c, k.r = tc, bufio.NewReader(tc)
	k.cmd("CAPA")
	if got := k.multi(); slices.Contains(got, "STLS") {
		t.Errorf("CAPA over TLS lists STLS: %q", got)
	}
	k.cmd("USER melanie")
	if got := k.cmd("PASS toybox"); got != "+OK melanie's maildrop has 1 message (100 octets)" {
		t.Errorf("PASS over TLS: %q", got)
	}
	if got := k.cmd("STAT"); got != "+OK 1 100" {
		t.Errorf("STAT over TLS: %q", got)
	}
	k.cmd("QUIT")
	if err := k.wait(); err != nil {
		t.Errorf("Serve: %v", err)
	}
}
