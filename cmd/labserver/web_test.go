package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"maillab/site"
)

func gz(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	io.WriteString(w, s)
	w.Close()
	return b.Bytes()
}

// testSite is a built site as esbuild lays it out, with precompressed
// siblings for the big files.
func testSite(t *testing.T) fstest.MapFS {
	return fstest.MapFS{
		"index.html":             {Data: []byte("<!doctype html><title>lab</title>")},
		"lab.wasm":               {Data: []byte("\x00asm\x01\x00\x00\x00")},
		"lab.wasm.br":            {Data: []byte("brotli bytes")},
		"lab.wasm.gz":            {Data: gz(t, "\x00asm\x01\x00\x00\x00")},
		"main-5XJ2QKZM.js":       {Data: []byte("console.log('lab')")},
		"main-5XJ2QKZM.js.gz":    {Data: gz(t, "console.log('lab')")},
		"style-AB12CD34.css":     {Data: []byte("body{}")},
		"wasm_exec.js":           {Data: []byte("// go wasm runtime")},
		"lessons/index.json":     {Data: []byte("[]")},
		"lessons/pop3-intro.yml": {Data: []byte("title: x")},
	}
}

func get(t *testing.T, h http.Handler, path string, header ...string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, r *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSiteContentTypesAndCaching(t *testing.T) {
	h := newSiteHandler(testSite(t))
	for _, tc := range []struct{ path, ctype, cache string }{
		{"/", "text/html; charset=utf-8", "no-cache"},
		{"/index.html", "text/html; charset=utf-8", "no-cache"},
		{"/lab.wasm", "application/wasm", "no-cache"},
		{"/wasm_exec.js", "text/javascript; charset=utf-8", "no-cache"},
		{"/main-5XJ2QKZM.js", "text/javascript; charset=utf-8", "public, max-age=31536000, immutable"},
		{"/style-AB12CD34.css", "text/css; charset=utf-8", "public, max-age=31536000, immutable"},
		{"/lessons/index.json", "application/json", "no-cache"},
	} {
		r := get(t, h, tc.path)
		if r.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", tc.path, r.StatusCode)
			continue
		}
		if got := r.Header.Get("Content-Type"); got != tc.ctype {
			t.Errorf("%s: Content-Type %q, want %q", tc.path, got, tc.ctype)
		}
		if got := r.Header.Get("Cache-Control"); got != tc.cache {
			t.Errorf("%s: Cache-Control %q, want %q", tc.path, got, tc.cache)
		}
		// Cross-origin isolated: the page may share memory with the
		// simulator's thread (site.Isolate).
		if r.Header.Get("Cross-Origin-Opener-Policy") != "same-origin" || r.Header.Get("Cross-Origin-Embedder-Policy") != "require-corp" {
			t.Errorf("%s: not cross-origin isolated: %v", tc.path, r.Header)
		}
		if r.Header.Get("ETag") == "" || r.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: headers %v", tc.path, r.Header)
		}
	}
}

func TestSitePrecompressed(t *testing.T) {
	h := newSiteHandler(testSite(t))
	for _, tc := range []struct{ accept, encoding, body string }{
		{"gzip, deflate, br, zstd", "br", "brotli bytes"},
		{"gzip", "gzip", "\x00asm\x01\x00\x00\x00"},
		{"br;q=0, gzip", "gzip", "\x00asm\x01\x00\x00\x00"},
		{"", "", "\x00asm\x01\x00\x00\x00"},
		{"identity", "", "\x00asm\x01\x00\x00\x00"},
	} {
		r := get(t, h, "/lab.wasm", "Accept-Encoding", tc.accept)
		if got := r.Header.Get("Content-Encoding"); got != tc.encoding {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, want %q", tc.accept, got, tc.encoding)
		}
		if got := r.Header.Get("Content-Type"); got != "application/wasm" {
			t.Errorf("Accept-Encoding %q: Content-Type %q", tc.accept, got)
		}
		if got := r.Header.Get("Vary"); got != "Accept-Encoding" {
			t.Errorf("Accept-Encoding %q: Vary %q", tc.accept, got)
		}
		b := body(t, r)
		if tc.encoding == "gzip" {
			zr, err := gzip.NewReader(strings.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := io.ReadAll(zr)
			b = string(raw)
		}
		if b != tc.body {
			t.Errorf("Accept-Encoding %q: body %q, want %q", tc.accept, b, tc.body)
		}
	}
	// Files without a compressed sibling are served as they are, without Vary.
	r := get(t, h, "/wasm_exec.js", "Accept-Encoding", "br, gzip")
	if r.Header.Get("Content-Encoding") != "" || r.Header.Get("Vary") != "" {
		t.Errorf("wasm_exec.js: %v", r.Header)
	}
}

func TestSiteRevalidation(t *testing.T) {
	h := newSiteHandler(testSite(t))
	first := get(t, h, "/lab.wasm", "Accept-Encoding", "br")
	tag := first.Header.Get("ETag")
	again := get(t, h, "/lab.wasm", "Accept-Encoding", "br", "If-None-Match", tag)
	if again.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match with the current ETag: status %d, want 304", again.StatusCode)
	}
	plain := get(t, h, "/lab.wasm")
	if plain.Header.Get("ETag") == tag {
		t.Error("the brotli and identity representations share an ETag")
	}
}

func TestSiteVersionedURLsAreCachedForever(t *testing.T) {
	h := newSiteHandler(testSite(t))
	sum := sha256.Sum256([]byte("\x00asm\x01\x00\x00\x00"))
	version := hex.EncodeToString(sum[:])[:12]
	for _, tc := range []struct{ path, cache string }{
		{"/lab.wasm?v=" + version, "public, max-age=31536000, immutable"},
		{"/lab.wasm?v=0123456789ab", "no-cache"}, // a page older (or newer) than the file
		{"/lab.wasm?v=", "no-cache"},
		{"/index.html?v=" + version, "no-cache"},
	} {
		r := get(t, h, tc.path, "Accept-Encoding", "br")
		if r.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", tc.path, r.StatusCode)
		}
		if got := r.Header.Get("Cache-Control"); got != tc.cache {
			t.Errorf("%s: Cache-Control %q, want %q", tc.path, got, tc.cache)
		}
	}
}

func TestSiteErrors(t *testing.T) {
	h := newSiteHandler(testSite(t))
	if r := get(t, h, "/nothing.js"); r.StatusCode != http.StatusNotFound {
		t.Errorf("missing file: status %d", r.StatusCode)
	}
	if r := get(t, h, "/../../etc/passwd"); r.StatusCode != http.StatusNotFound {
		t.Errorf("path outside the site: status %d", r.StatusCode)
	}
	if r := get(t, h, "/lessons"); r.StatusCode != http.StatusMovedPermanently || r.Header.Get("Location") != "/lessons/" {
		t.Errorf("directory without slash: status %d location %q", r.StatusCode, r.Header.Get("Location"))
	}
	req := httptest.NewRequest(http.MethodPost, "/", nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d", rec.Code)
	}
}

func TestSiteNotBuilt(t *testing.T) {
	h := newSiteHandler(fstest.MapFS{"README.md": {Data: []byte("built assets land here")}})
	r := get(t, h, "/")
	if r.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body(t, r), "make run") {
		t.Errorf("not-built site: status %d", r.StatusCode)
	}
}

// The real server serves the embedded site (or says how to build it) and
// the extra lesson directory.
func TestWebOverTCP(t *testing.T) {
	lessons := t.TempDir()
	if err := os.WriteFile(filepath.Join(lessons, "mine.yml"), []byte("title: my lesson\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	l := startLab(t, testConfig(t, "-lessons", lessons))
	base := "http://" + l.app.webAddr()
	r, err := http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	_, built := fs.Stat(site.Dist(), "index.html")
	switch {
	case built == nil && (r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "text/html; charset=utf-8"):
		t.Errorf("built site: / gives %d %q", r.StatusCode, r.Header.Get("Content-Type"))
	case built != nil && r.StatusCode != http.StatusServiceUnavailable:
		t.Errorf("site not built: / gives %d, want 503 with instructions", r.StatusCode)
	}
	r2, err := http.Get(base + "/lessons/extra/mine.yml")
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Body.Close()
	if b, _ := io.ReadAll(r2.Body); r2.StatusCode != http.StatusOK || string(b) != "title: my lesson\n" {
		t.Errorf("extra lesson: %d %q", r2.StatusCode, b)
	}
}
