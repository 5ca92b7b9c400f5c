//go:build !js && !wasip1

package smtpref

import (
	"regexp"
	"strings"
)

var (
	// "queued as 8E524984D76", "with ESMTP id 8E524984D76", "with UTF8SMTP id …"
	postfixQueueID = regexp.MustCompile(`(?:queued as|with [A-Z0-9]+ id) ([0-9A-F]{6,})\b`)
	// "250 2.0.0 <melanie@example.org> OKv9I8B3FWu4dQAAg+zDdQ Saved",
	// "250 2.0.0 <alex@example.org> OKv9I8B3FWu4dQAAg+zDdQ:R3 Saved",
	// "with LMTP\n\tid OKv9I8B3FWu4dQAAg+zDdQ"
	dovecotSessionID = regexp.MustCompile(`(?:> |with LMTP\s+id )([A-Za-z0-9+/]{22})(?::R\d+)?\b`)
	// "Sun,  6 Dec 2026 15:01:05 +0000 (UTC)", "Sun, 06 Dec 2026 14:57:04 +0000"
	rfc5322Date = regexp.MustCompile(`(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), [ 0-9]?[0-9] [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]{4}(?: \([A-Za-z]+\))?`)
	// Postfix's Message-ID for a message without one: <20261206150105.QUEUEID@host>
	postfixMessageID = regexp.MustCompile(`<[0-9]{14}\.QUEUEID@`)
)

// Normalize replaces what differs from run to run in a transcript or a
// delivered message by fixed words, so that two runs, or two servers,
// can be compared: Postfix's queue IDs by QUEUEID, Dovecot's LMTP session
// IDs by SESSIONID (a ":R3" recipient suffix stays), RFC 5322 dates by
// DATE, and the time in the Message-ID Postfix adds by TIMESTAMP.
func Normalize(s string) string {
	for _, m := range postfixQueueID.FindAllStringSubmatch(s, -1) {
		s = strings.ReplaceAll(s, m[1], "QUEUEID")
	}
	for _, m := range dovecotSessionID.FindAllStringSubmatch(s, -1) {
		s = strings.ReplaceAll(s, m[1], "SESSIONID")
	}
	s = rfc5322Date.ReplaceAllString(s, "DATE")
	return postfixMessageID.ReplaceAllString(s, "<TIMESTAMP.QUEUEID@")
}
