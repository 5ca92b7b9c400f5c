package mime

import (
	"bytes"
	"fmt"
	"io"
	"strings"
)

// ToUTF8 converts text from charset cs to UTF-8. UTF-8 and US-ASCII come
// back as they are. Natively the charsets are x/text's, by their IANA
// and WHATWG names (go-message/charset); in the browser they are the
// browser's own, those of the WHATWG Encoding Standard, which mail
// clients such as Thunderbird use too (charset_js.go). What is converted
// before an error is returned with it; an unknown charset is an error.
func ToUTF8(cs string, b []byte) ([]byte, error) {
	cs = strings.ToLower(strings.TrimSpace(cs))
	switch cs {
	case "", "utf-8", "us-ascii":
		return b, nil
	}
	return decodeCharset(cs, b)
}

func unknownCharset(cs string) error {
	return fmt.Errorf("charset %q: unsupported charset", cs)
}

// charsetReader is ToUTF8 for a reader, as mime.WordDecoder and
// go-message take it. What it gets is short (an encoded word), so it is
// converted at once into a buffer, which the caller then copies without
// taking a 32 KiB io.Copy buffer each time.
func charsetReader(cs string, r io.Reader) (io.Reader, error) {
	var in bytes.Buffer
	if _, err := in.ReadFrom(r); err != nil {
		return nil, err
	}
	out, err := ToUTF8(cs, in.Bytes())
	if err != nil {
		return nil, err
	}
	return bytes.NewReader(out), nil
}
