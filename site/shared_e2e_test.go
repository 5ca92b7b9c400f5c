package site

// A line typed is answered within the task of its key where the page is
// cross-origin isolated (site.Isolate), and a frame later, by message,
// where it is not.

import (
	"net/http"
	"testing"
)

func TestALineIsAnsweredWithinItsKeypress(t *testing.T) {
	p := newPage(t)
	p.open("?proto=pop3&lang=en")
	if !eval[bool](p, `crossOriginIsolated`) {
		t.Fatal("the page served as labserver serves it is not cross-origin isolated")
	}
	if got := popLogin(p, 1); !statReply.MatchString(got) {
		t.Errorf("STAT: %q", got)
	}
	for range 5 {
		p.send(1, "NOOP", "+OK")
	}
	// On a busy machine the thread may take longer than the page waits,
	// and that answer comes by message; on this one most come at once.
	if n := eval[int](p, `maillab.remote.sharedAnswers`); n == 0 {
		t.Error("none of 8 lines was answered within its keypress's task")
	}
	// An answer too long for the shared buffer comes by message, whole.
	p.send(1, "RETR 1", "+OK")
	p.waitJS(`[...document.querySelectorAll('[data-terminal="1"] [role="log"] > [data-dir="s"]')].some(l => l.textContent === '.')`)
}

func TestWithoutIsolationALineIsAnsweredByMessage(t *testing.T) {
	p := newPageServing(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h.ServeHTTP(unisolated{w}, r)
		})
	})
	p.open("?proto=pop3&lang=en")
	if eval[bool](p, `crossOriginIsolated || maillab.remote.shared !== undefined`) {
		t.Fatal("without the headers the page shares memory with the simulator's thread")
	}
	if got := popLogin(p, 1); !statReply.MatchString(got) {
		t.Errorf("STAT: %q", got)
	}
	p.send(1, "NOOP", "+OK")
}

// unisolated drops the headers site.Isolate sets, as a plain static host
// would not send them.
type unisolated struct{ http.ResponseWriter }

func (u unisolated) WriteHeader(code int) {
	u.Header().Del("Cross-Origin-Opener-Policy")
	u.Header().Del("Cross-Origin-Embedder-Policy")
	u.ResponseWriter.WriteHeader(code)
}

func (u unisolated) Write(b []byte) (int, error) {
	u.Header().Del("Cross-Origin-Opener-Policy")
	u.Header().Del("Cross-Origin-Embedder-Policy")
	return u.ResponseWriter.Write(b)
}
