package main

import (
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// go-imap's client, not written here, sorts, threads and searches with
// RETURN options over TCP, and reads every answer back. (Its SearchOptions
// has ReturnSave, but this version does not send it, so "$" is tested in
// sim/imap.)
func TestGoIMAPClientSortThreadESearch(t *testing.T) {
	l := startLab(t, imapConfig(t))
	for _, raw := range []string{
		"Message-ID: <t1@example.org>\r\nFrom: Zed <zed@example.org>\r\nSubject: Exam dates\r\nDate: Mon, 5 Oct 2026 10:00:00 +0000\r\n\r\nx\r\n",
		"Message-ID: <t2@example.org>\r\nIn-Reply-To: <t1@example.org>\r\nFrom: Ada <ada@example.org>\r\nSubject: Re: Exam dates\r\nDate: Tue, 6 Oct 2026 10:00:00 +0000\r\n\r\nx\r\n",
		"Message-ID: <t3@example.org>\r\nFrom: Bob <bob@example.org>\r\nSubject: Anything else\r\nDate: Sun, 4 Oct 2026 10:00:00 +0000\r\n\r\nx\r\n",
	} {
		if _, err := l.app.srv.Store.Deliver("smith", []byte(raw)); err != nil {
			t.Fatal(err)
		}
	}
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
	must(c.Login("smith", "sesame").Wait())
	for _, cap := range []imap.Cap{imap.CapSort, imap.CapSortDisplay, imap.CapESearch, imap.CapSearchRes, imap.CapESort, imap.Cap("CONTEXT=SEARCH"), imap.Cap("WITHIN")} {
		if !c.Caps().Has(cap) {
			t.Errorf("capability %s missing", cap)
		}
	}
	if algs := c.Caps().ThreadAlgorithms(); !slices.Contains(algs, imap.ThreadReferences) || !slices.Contains(algs, imap.ThreadOrderedSubject) {
		t.Errorf("THREAD algorithms %v", algs)
	}
	sel, err := c.Select("INBOX", nil).Wait()
	must(err)
	n := sel.NumMessages // RFC 3501's four messages, then the three above
	mine := &imap.SearchCriteria{Header: []imap.SearchCriteriaHeaderField{{Key: "Message-ID", Value: "example.org"}}}

	nums, err := c.Sort(&imapclient.SortOptions{SearchCriteria: mine,
		SortCriteria: []imapclient.SortCriterion{{Key: imapclient.SortKeyDate, Reverse: true}}}).Wait()
	must(err)
	if want := []uint32{n - 1, n - 2, n}; !slices.Equal(nums, want) {
		t.Errorf("SORT (REVERSE DATE) = %v, want %v", nums, want)
	}
	nums, err = c.Sort(&imapclient.SortOptions{SearchCriteria: mine,
		SortCriteria: []imapclient.SortCriterion{{Key: imapclient.SortKeySubject}, {Key: imapclient.SortKeyFrom}}}).Wait()
	must(err)
	if want := []uint32{n, n - 1, n - 2}; !slices.Equal(nums, want) {
		t.Errorf("SORT (SUBJECT FROM) = %v, want %v", nums, want)
	}
	threads, err := c.Thread(&imapclient.ThreadOptions{Algorithm: imap.ThreadReferences, SearchCriteria: mine}).Wait()
	must(err)
	if len(threads) != 2 || !slices.Equal(threads[0].Chain, []uint32{n}) || !slices.Equal(threads[1].Chain, []uint32{n - 2, n - 1}) {
		t.Errorf("THREAD REFERENCES = %+v, want (%d)(%d %d)", threads, n, n-2, n-1)
	}

	data, err := c.UIDSearch(mine, &imap.SearchOptions{ReturnMin: true, ReturnMax: true, ReturnCount: true, ReturnAll: true}).Wait()
	must(err)
	uids := data.AllUIDs()
	if data.Count != 3 || len(uids) != 3 || uint32(data.Min) != uint32(uids[0]) || uint32(data.Max) != uint32(uids[2]) {
		t.Errorf("UID SEARCH RETURN (MIN MAX COUNT ALL) = %+v", data)
	}
}

// Python's imaplib: sort, uid sort and thread (its own methods), ESEARCH
// and SEARCHRES's "$" through plain commands.
func TestPythonImaplibSortThread(t *testing.T) {
	l := startLab(t, imapConfig(t))
	u, _ := l.app.srv.Store.User("smith")
	inbox, _ := u.Mailbox("INBOX")
	n := inbox.Count()
	for _, raw := range []string{
		"Message-ID: <t1@sorted.example>\r\nSubject: Exam dates\r\nDate: Mon, 5 Oct 2026 10:00:00 +0000\r\n\r\nx\r\n",
		"Message-ID: <t2@sorted.example>\r\nIn-Reply-To: <t1@sorted.example>\r\nSubject: Re: Exam dates\r\nDate: Tue, 6 Oct 2026 10:00:00 +0000\r\n\r\nx\r\n",
		"Message-ID: <t3@sorted.example>\r\nSubject: Anything else\r\nDate: Sun, 4 Oct 2026 10:00:00 +0000\r\n\r\nx\r\n",
	} {
		if _, err := l.app.srv.Store.Deliver("smith", []byte(raw)); err != nil {
			t.Fatal(err)
		}
	}
	uids := inbox.UIDs()
	a, b, c := strconv.Itoa(n+1), strconv.Itoa(n+2), strconv.Itoa(n+3)
	host, port := hostPort(t, l.imapAddr())
	out, err := exec.Command("python3", "testdata/imaplib_sort.py", host, port, "smith", "sesame").CombinedOutput()
	if err != nil {
		t.Fatalf("imaplib: %v\n%s", err, out)
	}
	for _, want := range []string{
		"caps: CONTEXT=SEARCH CONTEXT=SORT ESEARCH ESORT SEARCHRES SORT SORT=DISPLAY THREAD=ORDEREDSUBJECT THREAD=REFERENCES THREAD=REFS WITHIN",
		"sort: OK " + b + " " + a + " " + c,
		"uid sort: OK " + strconv.Itoa(int(uids[n+2])) + " " + strconv.Itoa(int(uids[n])) + " " + strconv.Itoa(int(uids[n+1])),
		"thread: OK (" + c + ")(" + a + " " + b + ")",
		`esearch: OK (TAG "`, " MIN " + a + " MAX " + c + " COUNT 3",
		"save: OK",
		"fetch $: OK " + a + " (UID " + strconv.Itoa(int(uids[n])) + ") " + b + " (UID " + strconv.Itoa(int(uids[n+1])) + ")",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("imaplib output lacks %q:\n%s", want, out)
		}
	}
}
