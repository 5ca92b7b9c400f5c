package mime

// DecodeWords decodes the RFC 2047 encoded words of a header value to
// UTF-8 in any charset ToUTF8 knows; what cannot be decoded is returned
// as written. SORT and THREAD compare subjects and display names decoded
// (RFC 5256 2.1, RFC 5957).
func DecodeWords(s string) string { return decodeWords(s) }
