//go:build !js

package mime

import (
	"bytes"

	"github.com/emersion/go-message/charset"
)

// decodeCharset converts with go-message/charset: KOI8-R, windows-1251,
// ISO-8859-x, the East Asian sets and the rest of the IANA list.
func decodeCharset(cs string, b []byte) ([]byte, error) {
	r, err := charset.Reader(cs, bytes.NewReader(b))
	if err != nil {
		return nil, unknownCharset(cs)
	}
	// 8-bit charsets double in UTF-8; ReadFrom grows the buffer without
	// the 32 KiB one io.Copy would take each time.
	var out bytes.Buffer
	out.Grow(2 * len(b))
	_, err = out.ReadFrom(r)
	return out.Bytes(), err
}
