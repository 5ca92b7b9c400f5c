package imap

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"io"
	"math/big"
	"net"
	"testing"
	"time"

	"maillab/sim/event"
)

func plain(user, pass string) string {
	return base64.StdEncoding.EncodeToString([]byte("\x00" + user + "\x00" + pass))
}

// AUTHENTICATE PLAIN with the response after "+" and with SASL-IR.
func TestAuthenticatePlain(t *testing.T) {
	st := newStore(t, 1000)
	addUser(t, st, "melanie", "toybox")
	c := dial(t, Options{Store: st})
	c.run(`
		S: * OK ...
		C: a1 AUTHENTICATE PLAIN
		S: + ...
		C: ` + plain("melanie", "wrong") + `
		S: a1 NO [AUTHENTICATIONFAILED] Invalid user name or password
		C: a2 AUTHENTICATE PLAIN
		S: + ...
		C: *
		S: a2 BAD AUTHENTICATE cancelled
		C: a3 AUTHENTICATE DIGEST-MD5
		S: a3 NO Unsupported authentication mechanism; this server offers PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256
		C: a4 AUTHENTICATE PLAIN ` + plain("melanie", "toybox") + `
		S: a4 OK [CAPABILITY ...
		C: a5 LOGOUT
		S: * BYE ...
		S: a5 OK LOGOUT completed
	`)
	for _, e := range c.wait() {
		if e.Kind == event.Client && (e.Command == "AUTHENTICATE" || e.Command == "LOGIN") && !e.Secret {
			t.Errorf("line %q carries a password but is not marked secret", e.Line)
		}
	}
}

// PREAUTH greets logged in (2); a full server says BYE (3).
func TestPreauthAndReject(t *testing.T) {
	st := newStore(t, 1000)
	addUser(t, st, "melanie", "toybox")
	c := dial(t, Options{Store: st, Preauth: "melanie"})
	c.run(`
		S: * PREAUTH [CAPABILITY ...
		C: a1 SELECT INBOX
		S: * 0 EXISTS
	`)
	r := dial(t, Options{Store: st, Reject: "Too many connections, try again later"})
	r.expect("* BYE Too many connections, try again later")
	var path []string
	for _, e := range r.wait() {
		if e.Kind == event.Transition {
			path = append(path, e.Transition+":"+e.To)
		}
	}
	if join(path) != "3:logout" {
		t.Errorf("transitions %v, want 3:logout", path)
	}
}

// STARTTLS: OK in clear, then the session continues over TLS and no
// longer offers STARTTLS.
func TestStartTLS(t *testing.T) {
	cert := selfSigned(t)
	st := newStore(t, 1000)
	addUser(t, st, "melanie", "toybox")
	c := dial(t, Options{Store: st, StartTLS: func(rw io.ReadWriter) (io.ReadWriter, error) {
		conn := tls.Server(rw.(net.Conn), &tls.Config{Certificates: []tls.Certificate{cert}})
		return conn, conn.Handshake()
	}})
	c.expect("* OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE NAMESPACE UIDPLUS MOVE UNSELECT SPECIAL-USE CHILDREN BINARY MULTIAPPEND CATENATE LIST-EXTENDED LIST-STATUS CONDSTORE QRESYNC SORT SORT=DISPLAY THREAD=ORDEREDSUBJECT THREAD=REFERENCES THREAD=REFS ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH CONTEXT=SORT AUTH=PLAIN AUTH=LOGIN AUTH=CRAM-MD5 AUTH=SCRAM-SHA-1 AUTH=SCRAM-SHA-256 STARTTLS] localhost IMAP4rev1 server ready")
	c.run(`
		C: a1 STARTTLS
		S: a1 OK Begin TLS negotiation now
	`)
	tc := tls.Client(c.c, &tls.Config{InsecureSkipVerify: true})
	if err := tc.Handshake(); err != nil {
		t.Fatal(err)
	}
	c.c = tc
	c.r.Reset(tc)
	c.run(`
		C: a2 CAPABILITY
		S: * CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE NAMESPACE UIDPLUS MOVE UNSELECT SPECIAL-USE CHILDREN BINARY MULTIAPPEND CATENATE LIST-EXTENDED LIST-STATUS CONDSTORE QRESYNC SORT SORT=DISPLAY THREAD=ORDEREDSUBJECT THREAD=REFERENCES THREAD=REFS ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH CONTEXT=SORT AUTH=PLAIN AUTH=LOGIN AUTH=CRAM-MD5 AUTH=SCRAM-SHA-1 AUTH=SCRAM-SHA-256
		S: a2 OK CAPABILITY completed
		C: a3 LOGIN melanie toybox
		S: a3 OK ...
	`)
}

// selfSigned makes a throwaway certificate for localhost.
func selfSigned(t *testing.T) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), DNSNames: []string{"localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// An authorization identity other than the user asks to act as someone
// else, which nobody may here: NO [AUTHORIZATIONFAILED] (RFC 5530) once
// the password is right, NO [AUTHENTICATIONFAILED] when it is not.
func TestAuthenticatePlainAsAnotherUser(t *testing.T) {
	st := newStore(t, 1000)
	addUser(t, st, "kim", "secret")
	addUser(t, st, "lee", "other")
	as := func(authz, user, pass string) string {
		return base64.StdEncoding.EncodeToString([]byte(authz + "\x00" + user + "\x00" + pass))
	}
	c := dial(t, Options{Store: st})
	c.run(`
		S: * OK ...
		C: a1 AUTHENTICATE PLAIN ` + as("lee", "kim", "secret") + `
		S: a1 NO [AUTHORIZATIONFAILED] kim may not act as lee; leave the authorization identity (before the first NUL) empty
		C: a2 AUTHENTICATE PLAIN ` + as("lee", "kim", "wrong") + `
		S: a2 NO [AUTHENTICATIONFAILED] Invalid user name or password
		C: a3 AUTHENTICATE PLAIN ` + as("kim", "kim", "secret") + `
		S: a3 OK [CAPABILITY ...
	`)
}

// STARTTLS is offered only before authentication, the only state that
// allows it (RFC 3501 6.2.1): LOGIN's CAPABILITY code and CAPABILITY after
// it leave it out, and so does a PREAUTH greeting.
func TestStartTLSNotOfferedOnceAuthenticated(t *testing.T) {
	st := newStore(t, 1000)
	addUser(t, st, "melanie", "toybox")
	startTLS := func(rw io.ReadWriter) (io.ReadWriter, error) { return rw, nil }
	c := dial(t, Options{Store: st, StartTLS: startTLS})
	caps := "IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE NAMESPACE UIDPLUS MOVE UNSELECT SPECIAL-USE CHILDREN BINARY MULTIAPPEND CATENATE LIST-EXTENDED LIST-STATUS CONDSTORE QRESYNC SORT SORT=DISPLAY THREAD=ORDEREDSUBJECT THREAD=REFERENCES THREAD=REFS ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH CONTEXT=SORT AUTH=PLAIN AUTH=LOGIN AUTH=CRAM-MD5 AUTH=SCRAM-SHA-1 AUTH=SCRAM-SHA-256"
	c.run(`
		S: * OK [CAPABILITY ` + caps + ` STARTTLS] localhost IMAP4rev1 server ready
		C: a1 LOGIN melanie toybox
		S: a1 OK [CAPABILITY ` + caps + `] LOGIN completed
		C: a2 CAPABILITY
		S: * CAPABILITY ` + caps + `
		S: a2 OK CAPABILITY completed
		C: a3 STARTTLS
		S: a3 BAD STARTTLS is not allowed in the AUTHENTICATED state, only in the NOT AUTHENTICATED state
	`)
	p := dial(t, Options{Store: st, StartTLS: startTLS, Preauth: "melanie"})
	p.expect("* PREAUTH [CAPABILITY " + caps + "] Logged in as melanie")
}
