package mime

import "testing"

// The same table runs natively (x/text) and in JavaScript (the
// TextDecoder of Node, as in the browser: make test runs it with
// GOOS=js), so the two hosts read these charsets alike.
func TestToUTF8(t *testing.T) {
	for _, c := range []struct{ cs, in, want string }{
		{"utf-8", "Привет", "Привет"},
		{"US-ASCII", "hello", "hello"},
		{"koi8-r", "\xf0\xd2\xc9\xd7\xc5\xd4", "Привет"},
		{"KOI8-R", "\xf0\xd2\xc9\xd7\xc5\xd4", "Привет"},
		{"koi8-u", "\xa4", "є"},
		{"windows-1251", "\xcf\xf0\xe8\xe2\xe5\xf2", "Привет"},
		{"cp1251", "\xcf\xf0\xe8\xe2\xe5\xf2", "Привет"},
		{"ibm866", "\x8f\xe0\xa8\xa2\xa5\xe2", "Привет"},
		{"iso-8859-5", "\xbf\xe0\xd8\xd2\xd5\xe2", "Привет"},
		{"iso-8859-2", "\xb5\xb9\xe8", "ľšč"},
		{"windows-1250", "\xbe\x9a\xe8", "ľšč"},
		{"iso-8859-1", "caf\xe9", "café"},
		{"shift_jis", "\x93\xfa\x96\x7b", "日本"},
		{"iso-2022-jp", "\x1b$BF|K\\\x1b(B", "日本"},
		{"euc-jp", "\xc6\xfc\xcb\xdc", "日本"},
		{"euc-kr", "\xc7\xd1", "한"},
		{"gb2312", "\xd6\xd0", "中"},
		{"big5", "\xa4\xa4", "中"},
		{"utf-16", "\x04\x1f", "П"},         // big-endian without a byte order mark
		{"utf-16", "\xff\xfe\x1f\x04", "П"}, // the mark says little-endian
		{"utf-16be", "\x04\x1f", "П"},
		{"utf-16le", "\x1f\x04", "П"},
	} {
		got, err := ToUTF8(c.cs, []byte(c.in))
		if err != nil || string(got) != c.want {
			t.Errorf("ToUTF8(%q, %q) = %q, %v; want %q", c.cs, c.in, got, err, c.want)
		}
	}
	for _, cs := range []string{"x-no-such-charset", "utf-7", "koi8-r'"} {
		if got, err := ToUTF8(cs, []byte("abc")); err == nil {
			t.Errorf("ToUTF8(%q) = %q, want an error", cs, got)
		}
	}
}
