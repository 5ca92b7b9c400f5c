package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strings"
	"sync"
	"time"

	"maillab/site"
)

// newWebServer serves the browser lab embedded in the binary, and the
// extra lesson directory when one is given.
func newWebServer(lessonsDir string, log *slog.Logger) *http.Server {
	mux := http.NewServeMux()
	mux.Handle("/", newSiteHandler(site.Dist()))
	if lessonsDir != "" {
		mux.Handle("/lessons/extra/", http.StripPrefix("/lessons/extra/", noCache(newExtraLessons(lessonsDir, log))))
	}
	return &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// siteHandler serves a built static site: correct types (application/wasm
// above all, or WebAssembly.instantiateStreaming refuses the module),
// precompressed .br and .gz siblings to clients that accept them, cache
// headers that let hashed bundle files live forever and make everything
// else revalidate, and a page that says how to build the site when it is
// missing.
type siteHandler struct {
	files    fs.FS
	etags    sync.Map // file name → ETag
	versions sync.Map // file name → its version, as build.mjs writes it
}

func newSiteHandler(files fs.FS) *siteHandler { return &siteHandler{files: files} }

// encodings are the precompressed siblings looked for, best first.
var encodings = []struct{ name, ext string }{{"br", ".br"}, {"gzip", ".gz"}}

// contentTypes pins the types that matter; others come from the mime package.
var contentTypes = map[string]string{
	".wasm": "application/wasm",
	".js":   "text/javascript; charset=utf-8",
	".mjs":  "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".html": "text/html; charset=utf-8",
	".json": "application/json",
	".map":  "application/json",
	".svg":  "image/svg+xml",
	".yaml": "text/yaml; charset=utf-8",
	".txt":  "text/plain; charset=utf-8",
	".md":   "text/markdown; charset=utf-8",
}

func (h *siteHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed: the lab's site is read only", http.StatusMethodNotAllowed)
		return
	}
	name, ok := h.fileName(r.URL.Path)
	if !ok {
		http.NotFound(w, r)
		return
	}
	if st, err := fs.Stat(h.files, name); err == nil && st.IsDir() {
		http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
		return
	}
	if name == "index.html" && !h.exists("index.html") {
		notBuilt(w)
		return
	}
	h.serveFile(w, r, name)
}

// fileName maps a URL path to a file of the site; "/" and "dir/" mean
// their index.html.
func (h *siteHandler) fileName(urlPath string) (string, bool) {
	name := strings.TrimPrefix(path.Clean("/"+urlPath), "/")
	if name == "" {
		name = "."
	}
	if strings.HasSuffix(urlPath, "/") || name == "." {
		name = path.Join(name, "index.html")
	}
	return name, fs.ValidPath(name)
}

func (h *siteHandler) exists(name string) bool {
	st, err := fs.Stat(h.files, name)
	return err == nil && !st.IsDir()
}

func (h *siteHandler) serveFile(w http.ResponseWriter, r *http.Request, name string) {
	hdr := w.Header()
	hdr.Set("Content-Type", contentType(name))
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Cache-Control", h.cacheControl(r, name))
	site.Isolate(hdr)
	file, encoding := name, ""
	compressed := false
	for _, e := range encodings {
		if !h.exists(name + e.ext) {
			continue
		}
		compressed = true
		if encoding == "" && accepts(r, e.name) {
			file, encoding = name+e.ext, e.name
		}
	}
	if compressed {
		hdr.Add("Vary", "Accept-Encoding")
	}
	f, err := h.files.Open(file)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			http.NotFound(w, r)
			return
		}
		http.Error(w, "cannot read "+name, http.StatusInternalServerError)
		return
	}
	defer f.Close()
	rs, ok := f.(io.ReadSeeker)
	if !ok {
		http.Error(w, "cannot seek "+name, http.StatusInternalServerError)
		return
	}
	if encoding != "" {
		hdr.Set("Content-Encoding", encoding)
	}
	if tag, err := h.etag(file, rs); err == nil {
		hdr.Set("ETag", tag)
	}
	http.ServeContent(w, r, name, time.Time{}, rs)
}

// versioned reports whether the request names the file's content: the
// page refers to lab.wasm, wasm_exec.js, lessons.json and lessonyaml.wasm
// as "lab.wasm?v=" and the first 12 hex digits of the SHA-256 of the file
// (site/build.mjs), so a request
// whose v is the file's own version may be cached as long as a hashed
// bundle name. Any other v (a page older than the file) revalidates.
func (h *siteHandler) versioned(r *http.Request, name string) bool {
	v := r.URL.Query().Get("v")
	if v == "" {
		return false
	}
	want, ok := h.versions.Load(name)
	if !ok {
		data, err := fs.ReadFile(h.files, name)
		if err != nil {
			return false
		}
		sum := sha256.Sum256(data)
		want, _ = h.versions.LoadOrStore(name, hex.EncodeToString(sum[:])[:12])
	}
	return v == want.(string)
}

// etag is a strong validator from the file's content, computed once per
// file (embedded files never change while the server runs).
func (h *siteHandler) etag(file string, rs io.ReadSeeker) (string, error) {
	if v, ok := h.etags.Load(file); ok {
		return v.(string), nil
	}
	sum := sha256.New()
	if _, err := io.Copy(sum, rs); err != nil {
		return "", err
	}
	if _, err := rs.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	tag := `"` + hex.EncodeToString(sum.Sum(nil)[:12]) + `"`
	h.etags.Store(file, tag)
	return tag, nil
}

func contentType(name string) string {
	ext := path.Ext(name)
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// hashedName matches bundler output named after its content, such as
// esbuild's "main-5XJ2QKZM.js": a dash and 8 or more hash characters
// before the extension.
var hashedName = regexp.MustCompile(`-[A-Za-z0-9_]{8,}\.[A-Za-z0-9]+$`)

// immutable is the Cache-Control of a file whose URL changes with its content.
const immutable = "public, max-age=31536000, immutable"

// cacheControl lets files whose URL changes with their content (a hashed
// name, or the file's own version as v) be cached for a year; every other
// file (index.html, lab.wasm asked for without its version) is
// revalidated on each use, so a rebuilt site shows at once.
func (h *siteHandler) cacheControl(r *http.Request, name string) string {
	if h.versioned(r, name) {
		return immutable
	}
	base := path.Base(name)
	if m := hashedName.FindString(base); m != "" && strings.ContainsAny(m, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
		return immutable
	}
	return "no-cache"
}

// accepts reports whether the request's Accept-Encoding allows coding
// (RFC 9110 section 12.5.3), honouring q=0 as a refusal.
func accepts(r *http.Request, coding string) bool {
	for _, v := range r.Header.Values("Accept-Encoding") {
		for _, item := range strings.Split(v, ",") {
			token, params, _ := strings.Cut(strings.TrimSpace(item), ";")
			if !strings.EqualFold(strings.TrimSpace(token), coding) && strings.TrimSpace(token) != "*" {
				continue
			}
			q := strings.ReplaceAll(strings.ToLower(params), " ", "")
			if strings.HasPrefix(q, "q=0") && strings.Trim(strings.TrimPrefix(q, "q=0"), ".0") == "" {
				return false
			}
			return true
		}
	}
	return false
}

func noCache(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		h.ServeHTTP(w, r)
	})
}

// notBuilt explains why there is no page yet and how to get one.
func notBuilt(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusServiceUnavailable)
	io.WriteString(w, notBuiltPage)
}

const notBuiltPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>maillab: the web lab is not built</title></head>
<body>
<h1>The web lab is not built into this labserver</h1>
<p>This binary was compiled before the site was built, so it has no page to serve.
Build the site and the server together with <code>make run</code> (or <code>make build</code>,
then start <code>./bin/labserver</code>).</p>
<p>The mail servers work without it: try <code>telnet 127.0.0.1 1110</code> for POP3.</p>
</body></html>
`
