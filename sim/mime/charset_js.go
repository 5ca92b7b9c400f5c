//go:build js

package mime

import (
	"bytes"
	"syscall/js"

	"github.com/emersion/go-message"
)

// In the browser the page's TextDecoder converts. It knows the charsets
// of the WHATWG Encoding Standard (KOI8-R, windows-1251, ISO-8859-x,
// Shift_JIS, ISO-2022-JP, EUC-KR, GBK, Big5, UTF-16...), and the module
// does not carry x/text's tables of them, 1.5 MB of its size. The
// standard reads ISO-8859-1 as windows-1252 and has no IBM code pages
// (437, 850...): those are known to labserver only.
var (
	textDecoder = js.Global().Get("TextDecoder")
	uint8Array  = js.Global().Get("Uint8Array")
)

// go-message converts with the same decoder wherever it needs a charset.
func init() { message.CharsetReader = charsetReader }

func decodeCharset(cs string, b []byte) (out []byte, err error) {
	if cs == "utf-16" {
		// MIME's UTF-16 is big-endian unless a byte order mark says
		// otherwise (RFC 2781 section 4.3); the standard's label means
		// little-endian.
		cs = "utf-16be"
		if bytes.HasPrefix(b, []byte{0xFF, 0xFE}) {
			cs = "utf-16le"
		}
	}
	defer func() {
		// The constructor throws a RangeError for a label it does not
		// know, and for the ones it maps to "replacement".
		if recover() != nil {
			out, err = nil, unknownCharset(cs)
		}
	}()
	d := textDecoder.New(cs)
	a := uint8Array.New(len(b))
	js.CopyBytesToJS(a, b)
	return []byte(d.Call("decode", a).String()), nil
}
