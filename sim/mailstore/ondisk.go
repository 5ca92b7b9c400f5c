package mailstore

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hack-pad/hackpadfs"

	"maillab/sim/mime"
)

// A message of a Maildir opened with OpenMaildir stays in its file: the
// store keeps its UID, flags, internal date and file name, and, once
// asked, its size, ENVELOPE and BODYSTRUCTURE, compactly; its content is
// read from the file when a client asks for it and kept in a cache of
// bounded size shared by the store's messages.

// DefaultBodyCache is how many octets of message content OpenMaildir keeps
// in memory when asked for none in particular.
const DefaultBodyCache = 16 << 20

// onDisk is where a message's content is, and what of it is known
// without reading it. inFiles makes a folder's in one block.
type onDisk struct {
	dir    *diskFolder
	first  *string                   // the file's name at the load
	name   atomic.Pointer[string]    // the file's last known name, with its ":2," info
	new    atomic.Bool               // the file was last seen in new/
	idx    uint32                    // its place in its folder's block (diskFolder.envs)
	octets atomic.Int64              // the size with CRLF line endings; -1 until known
	when   atomic.Pointer[time.Time] // the internal date; nil until known

	env atomic.Pointer[string]
	bs  [2]atomic.Pointer[string] // BODY, BODYSTRUCTURE

	failed atomic.Pointer[error] // why the last read of the file failed; nil after one that did not
	ending atomic.Uint32         // how the file ends (endUnknown, endLine, endText)
}

// How a message's file ends: in a line break (CR or LF, a CRLF once
// converted) or an empty file, or in other text, whose last line a POP3
// server ends on the wire.
const (
	endUnknown = iota
	endLine
	endText
)

// noteEnding keeps how data, the file's whole content, ends.
func (d *onDisk) noteEnding(data []byte) {
	e := uint32(endLine)
	if n := len(data); n > 0 && data[n-1] != '\n' && data[n-1] != '\r' {
		e = endText
	}
	d.ending.Store(e)
}

// extent is the message's CRLF size and whether it ends in a line break:
// known ones as kept; with the size known, the file's last octet read;
// else the whole file read once, not into the cache (a POP3 login asks it
// of every message, and would flush the cache for nothing). A file that
// cannot be read counts as ended, its size as kept or 0.
func (d *onDisk) extent() (int, bool) {
	if e := d.ending.Load(); e != endUnknown {
		if n := d.octets.Load(); n >= 0 {
			return int(n), e == endLine
		}
	}
	if n := d.octets.Load(); n >= 0 {
		_ = d.withLast(func(last []byte) {
			if len(last) == 0 || n == 0 {
				d.ending.Store(endLine)
				return
			}
			d.noteEnding(last)
		})
		return int(n), d.ending.Load() != endText
	}
	if d.withContent(func(data []byte) { d.octets.Store(int64(crlfSize(data))) }) != nil {
		return 0, true
	}
	return int(d.octets.Load()), d.ending.Load() != endText
}

// diskFolder is one Maildir folder on disk and the store's content cache.
type diskFolder struct {
	fsys  hackpadfs.FS
	mdir  string
	cache *bodyCache

	// The ENVELOPEs made are kept end to end in blocks of texts, each
	// where envs holds it for its message: a FETCH of every ENVELOPE
	// of a large folder costs their octets and little more.
	mu    sync.Mutex
	texts strings.Builder
	envs  []string
}

// A block for ENVELOPEs holds textBlock octets, or room for envGuess
// octets for each message of a smaller folder.
const (
	textBlock = 256 << 10
	envGuess  = 320
)

// keepEnvelope keeps env as d's ENVELOPE, unless another session made it
// first, and returns the one kept.
func (f *diskFolder) keepEnvelope(d *onDisk, env string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if p := d.env.Load(); p != nil {
		return *p
	}
	if f.texts.Cap()-f.texts.Len() < len(env) {
		f.texts = strings.Builder{}
		f.texts.Grow(max(len(env), min(textBlock, envGuess*len(f.envs))))
	}
	start := f.texts.Len()
	f.texts.WriteString(env)
	f.envs[d.idx] = f.texts.String()[start:]
	d.env.Store(&f.envs[d.idx])
	return f.envs[d.idx]
}

// init fills d, the idx-th of its folder's block, for the file f, whose
// name is kept at name.
func (d *onDisk) init(dir *diskFolder, idx int, name *string, f folderFile) {
	d.dir, d.idx, d.first = dir, uint32(idx), name
	d.name.Store(name)
	d.new.Store(f.inNew)
	d.octets.Store(sizeFromName(f.base))
}

// base is the file's base name: what names the message in a Maildir,
// whatever info another program gives it.
func (d *onDisk) base() string {
	b, _ := splitInfo(*d.first)
	return b
}

// sizeFromName is the size Dovecot writes into a file's name as ",W=n"
// (the size with CRLF line endings), or -1.
func sizeFromName(base string) int64 {
	for _, field := range strings.Split(base, ",")[1:] {
		if v, ok := strings.CutPrefix(field, "W="); ok {
			if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 && n <= MaxMessageSize {
				return n
			}
		}
	}
	return -1
}

// read reads the message's file with CRLF line endings; a file that is
// gone or cannot be read reads as empty, and the error says why (see
// withContent).
func (d *onDisk) read() ([]byte, error) {
	var out []byte
	err := d.withContent(func(data []byte) { out = crlfCopy(data) })
	return out, err
}

func (d *onDisk) readErr() error {
	if p := d.failed.Load(); p != nil {
		return *p
	}
	return nil
}

// withContent reads the message's file into a reused buffer and hands it
// to use, which must not keep it: under its last known name in cur/ or
// new/, else under any name with its base name (another program renamed
// it for its flags, or moved it to cur/). use is not called when the file
// is gone (the message was removed behind the store's back: an error
// wrapping fs.ErrNotExist) or cannot be read (the error); the message
// keeps the error for readErr until a read succeeds.
func (d *onDisk) withContent(use func(data []byte)) error {
	err := d.findContent(withFile, func(data []byte) {
		d.noteEnding(data)
		use(data)
	})
	d.noteFailure(err)
	return err
}

// withLast is withContent for the file's last octet alone (none for an
// empty file).
func (d *onDisk) withLast(use func(last []byte)) error {
	err := d.findContent(withLastOctet, use)
	d.noteFailure(err)
	return err
}

// noteFailure keeps err, the outcome of a read of the file, for readErr.
func (d *onDisk) noteFailure(err error) {
	if err != nil {
		d.failed.Store(&err)
	} else if d.failed.Load() != nil {
		d.failed.Store(nil)
	}
}

// findContent finds the message's file and hands it to read, which hands
// use what it read.
func (d *onDisk) findContent(read func(fsys hackpadfs.FS, p string, use func([]byte)) error, use func(data []byte)) error {
	name := *d.name.Load()
	subs := [2]string{"cur", "new"}
	if d.new.Load() {
		subs = [2]string{"new", "cur"}
	}
	for _, sub := range subs {
		err := read(d.dir.fsys, join(d.dir.mdir, sub, name), use)
		if err == nil || !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	base := d.base()
	var failed error
	for _, sub := range subs {
		entries, err := hackpadfs.ReadDir(d.dir.fsys, join(d.dir.mdir, sub))
		if err != nil {
			failed = err
			continue
		}
		for _, e := range entries {
			if b, _ := splitInfo(e.Name()); b == base && !e.IsDir() {
				err := read(d.dir.fsys, join(d.dir.mdir, sub, e.Name()), use)
				if err == nil {
					found := e.Name()
					d.name.Store(&found)
					d.new.Store(sub == "new")
					return nil
				}
				failed = err
			}
		}
	}
	if failed != nil {
		return failed
	}
	return fmt.Errorf("%s: %w", base, fs.ErrNotExist)
}

// readBufs are buffers files are read into: a message read costs one
// allocation of its own size, the one the cache keeps, rather than two,
// and ENVELOPE none for the body it does not need.
var readBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledRead is the largest buffer kept for the next read: a rare large
// message does not stay in memory through the pool.
const maxPooledRead = 1 << 20

// withFile reads a file into a reused buffer and hands it to use, which
// must not keep it.
func withFile(fsys hackpadfs.FS, p string, use func(data []byte)) error {
	f, err := fsys.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	buf := readBufs.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= maxPooledRead {
			readBufs.Put(buf)
		}
	}()
	buf.Reset()
	if _, err := buf.ReadFrom(f); err != nil {
		return err
	}
	use(buf.Bytes())
	return nil
}

// withLastOctet hands use the file's last octet, none for an empty file,
// read at its offset; a file that cannot be read at an offset is read
// through, in small pieces.
func withLastOctet(fsys hackpadfs.FS, p string, use func(last []byte)) error {
	f, err := fsys.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	var b [1]byte
	if n := info.Size(); n > 0 && info.Mode().IsRegular() {
		_, err := hackpadfs.ReadAtFile(f, b[:], n-1)
		if err == nil || errors.Is(err, io.EOF) {
			use(b[:])
			return nil
		}
		if !errors.Is(err, hackpadfs.ErrNotImplemented) {
			return err
		}
	}
	var buf [4096]byte
	last := -1
	for {
		n, err := f.Read(buf[:])
		if n > 0 {
			last = int(buf[n-1])
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
	}
	if last < 0 {
		use(nil)
	} else {
		b[0] = byte(last)
		use(b[:])
	}
	return nil
}

// readCRLF reads a message file with CRLF line endings.
func readCRLF(fsys hackpadfs.FS, p string) ([]byte, error) {
	var out []byte
	err := withFile(fsys, p, func(data []byte) { out = crlfCopy(data) })
	return out, err
}

// crlfCopy is data with CRLF line endings, never data itself.
func crlfCopy(data []byte) []byte {
	if needsCRLF(data) {
		return ToCRLF(data)
	}
	return append(make([]byte, 0, len(data)), data...)
}

// crlfSize is len(ToCRLF(data)), counted without making it.
func crlfSize(data []byte) int {
	n := len(data)
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '\r':
			if i+1 < len(data) && data[i+1] == '\n' {
				i++
			} else {
				n++
			}
		case '\n':
			n++
		}
	}
	return n
}

// headerOf is the header section of a message file, up to and with the
// empty line that ends it, or the whole file when it has none.
func headerOf(data []byte) []byte {
	for i := 0; i < len(data); i++ {
		if data[i] != '\n' {
			continue
		}
		switch {
		case i+1 < len(data) && data[i+1] == '\n':
			return data[:i+2]
		case i+2 < len(data) && data[i+1] == '\r' && data[i+2] == '\n':
			return data[:i+3]
		}
	}
	return data
}

// date is the message's internal date as LoadMaildir gives it (fileDate),
// the file looked at the first time it is asked for.
func (d *onDisk) date() time.Time {
	if t := d.when.Load(); t != nil {
		return *t
	}
	t := time.Time{}
	name := *d.name.Load()
	for _, sub := range []string{"cur", "new"} {
		if fi, err := hackpadfs.Stat(d.dir.fsys, join(d.dir.mdir, sub, name)); err == nil {
			if mt := fi.ModTime(); !mt.IsZero() && mt.Unix() > 0 {
				t = mt
			}
			break
		}
	}
	if t.IsZero() {
		if ft, ok := timeFromFileName(name); ok {
			t = ft
		} else {
			t = time.Unix(0, 0).UTC()
		}
	}
	d.when.Store(&t)
	return t
}

func (d *onDisk) raw() []byte { return d.dir.cache.get(d).raw }

func (d *onDisk) size() int {
	if n := d.octets.Load(); n >= 0 {
		return int(n)
	}
	return len(d.raw())
}

func (d *onDisk) parsed() (*mime.Entity, error) {
	it := d.dir.cache.parsed(d)
	return it.parsed, it.err
}

// structure is the message's MIME structure for what is kept once made
// (ENVELOPE, BODYSTRUCTURE): from the cache when it is there, else parsed
// from the file and not cached, so that a FETCH of every message's
// ENVELOPE does not push the messages read for their content out.
func (d *onDisk) structure() *mime.Entity {
	c := d.dir.cache
	c.mu.Lock()
	it := c.items[d]
	c.mu.Unlock()
	var raw []byte
	switch {
	case it != nil && it.parsed != nil:
		return it.parsed
	case it != nil:
		raw = it.raw
	default:
		var err error
		if raw, err = d.read(); err == nil {
			d.octets.Store(int64(len(raw)))
		}
	}
	e, _ := mime.Parse(raw)
	return e
}

// header is the message's header parsed for ENVELOPE: from the cache when
// it is there, else from the file's header section alone, the body left
// unread into memory; the file's size is learnt on the way.
func (d *onDisk) header() *mime.Entity {
	c := d.dir.cache
	c.mu.Lock()
	it := c.items[d]
	c.mu.Unlock()
	if it != nil {
		return d.structure()
	}
	var e *mime.Entity
	_ = d.withContent(func(data []byte) {
		d.octets.Store(int64(crlfSize(data)))
		e, _ = mime.Parse(crlfCopy(headerOf(data)))
	})
	if e == nil {
		e, _ = mime.Parse(nil) // the file is gone or unreadable: an empty message
	}
	return e
}

// envelope is the message's ENVELOPE, kept once made from its file; one
// made while the file could not be read is not kept.
func (d *onDisk) envelope() string {
	if p := d.env.Load(); p != nil {
		return *p
	}
	env := d.header().Envelope()
	if d.readErr() != nil {
		return env
	}
	return d.dir.keepEnvelope(d, env)
}

func (d *onDisk) bodyStructure(extended bool) string {
	i := 0
	if extended {
		i = 1
	}
	if p := d.bs[i].Load(); p != nil {
		return *p
	}
	bs := d.structure().BodyStructure(extended)
	if d.readErr() == nil {
		d.bs[i].Store(&bs)
	}
	return bs
}

func (d *onDisk) setName(name string) { d.name.Store(&name) }

// bodyCache keeps the content of the messages read last, up to max
// octets (a parsed structure counted as twice its message), the oldest
// read dropped first.
type bodyCache struct {
	mu    sync.Mutex
	max   int
	used  int
	items map[*onDisk]*cached
	order []*onDisk // oldest first
}

type cached struct {
	raw    []byte
	parsed *mime.Entity
	err    error
	failed bool // the file could not be read: raw is empty and not cached
}

func newBodyCache(max int) *bodyCache {
	if max <= 0 {
		max = DefaultBodyCache
	}
	return &bodyCache{max: max, items: map[*onDisk]*cached{}}
}

func (c *cached) cost() int {
	if c.parsed != nil {
		return 3 * len(c.raw)
	}
	return len(c.raw)
}

// get returns d's content, read from its file when not cached; a file
// that could not be read is not cached, so the next ask reads it again.
func (c *bodyCache) get(d *onDisk) *cached {
	c.mu.Lock()
	if it, ok := c.items[d]; ok {
		c.mu.Unlock()
		return it
	}
	c.mu.Unlock()
	raw, err := d.read()
	it := &cached{raw: raw}
	if err != nil {
		it.failed = true
		return it
	}
	d.octets.Store(int64(len(it.raw)))
	c.put(d, it)
	return it
}

// parsed returns d's content and its MIME structure, parsing it once
// while it stays cached.
func (c *bodyCache) parsed(d *onDisk) *cached {
	it := c.get(d)
	c.mu.Lock()
	p := it.parsed
	c.mu.Unlock()
	if p != nil {
		return it
	}
	parsed, err := mime.Parse(it.raw)
	out := &cached{raw: it.raw, parsed: parsed, err: err}
	if !it.failed {
		c.put(d, out)
	}
	return out
}

func (c *bodyCache) put(d *onDisk, it *cached) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.items[d]; ok {
		c.used -= old.cost()
	} else {
		c.order = append(c.order, d)
	}
	c.items[d] = it
	c.used += it.cost()
	for c.used > c.max && len(c.order) > 1 {
		oldest := c.order[0]
		c.order = c.order[1:]
		if oldest == d {
			c.order = append(c.order, d)
			continue
		}
		if o, ok := c.items[oldest]; ok {
			c.used -= o.cost()
			delete(c.items, oldest)
		}
	}
}
