package main

import (
	"bytes"
	"encoding/base64"
	"slices"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// go-imap's client uses the extensions as a client written elsewhere
// does: BINARY fetches an attachment decoded, LIST-EXTENDED selects the
// subscribed mailboxes with their children and special use, LIST-STATUS
// returns the counters with each LIST line.
func TestGoIMAPClientExtensions(t *testing.T) {
	l := startLab(t, imapConfig(t))
	c, err := imapclient.DialInsecure(l.imapAddr(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(c.Login("melanie", "toybox").Wait())
	for _, cp := range []imap.Cap{imap.CapBinary, imap.CapMultiAppend, imap.CapCatenate, imap.CapListExtended, imap.CapListStatus, imap.CapSpecialUse} {
		if !c.Caps().Has(cp) {
			t.Errorf("capability %s missing", cp)
		}
	}

	payload := []byte{0, 1, 2, 0xff, '\r', '\n', 'x', 0}
	msg := "From: alex@example.org\r\nSubject: data\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nsee the attachment\r\n--b\r\n" +
		"Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n" + base64.StdEncoding.EncodeToString(payload) + "\r\n--b--\r\n"
	must(c.Create("Data", nil).Wait())
	must(c.Create("Data/Old", nil).Wait())
	must(c.Subscribe("Data/Old").Wait())
	app := c.Append("Data", int64(len(msg)), nil)
	if _, err := app.Write([]byte(msg)); err != nil {
		t.Fatal(err)
	}
	must(app.Close())
	ad, err := app.Wait()
	must(err)

	_, err = c.Select("Data", &imap.SelectOptions{ReadOnly: true}).Wait()
	must(err)
	part := &imap.FetchItemBinarySection{Part: []int{2}, Peek: true}
	msgs, err := c.Fetch(imap.UIDSetNum(ad.UID), &imap.FetchOptions{
		BinarySection: []*imap.FetchItemBinarySection{part}, BinarySectionSize: []*imap.FetchItemBinarySectionSize{{Part: []int{2}}},
	}).Collect()
	must(err)
	if len(msgs) != 1 {
		t.Fatalf("FETCH returned %d messages", len(msgs))
	}
	if got := msgs[0].FindBinarySection(part); !bytes.Equal(got, payload) {
		t.Errorf("BINARY[2] = %q, want %q", got, payload)
	}
	if n, ok := msgs[0].FindBinarySectionSize([]int{2}); !ok || n != uint32(len(payload)) {
		t.Errorf("BINARY.SIZE[2] = %d, %v", n, ok)
	}

	list, err := c.List("", "Data*", &imap.ListOptions{ReturnChildren: true, ReturnSubscribed: true, ReturnStatus: &imap.StatusOptions{NumMessages: true, NumUnseen: true}}).Collect()
	must(err)
	if len(list) != 2 || list[0].Mailbox != "Data" || list[0].Status == nil || *list[0].Status.NumMessages != 1 || *list[0].Status.NumUnseen != 1 ||
		!slices.Contains(list[0].Attrs, imap.MailboxAttrHasChildren) || !slices.Contains(list[1].Attrs, imap.MailboxAttrSubscribed) {
		t.Errorf("LIST RETURN (CHILDREN SUBSCRIBED STATUS): %+v", list)
	}
	sub, err := c.List("", "Data%", &imap.ListOptions{SelectSubscribed: true, SelectRecursiveMatch: true}).Collect()
	must(err)
	if len(sub) != 1 || sub[0].Mailbox != "Data" || sub[0].ChildInfo == nil || !sub[0].ChildInfo.Subscribed {
		t.Errorf("LIST (SUBSCRIBED RECURSIVEMATCH) gave %+v", sub)
	}
}
