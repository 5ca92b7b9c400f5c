package lesson

import (
	"strings"
	"testing"
)

const aliasLesson = `id: smtp-aliases
protocol: smtp
level: 1
title: {en: Lists}
fixture:
  aliases: |
    class: melanie, alex
  accounts:
    - {user: melanie, password: toybox}
    - {user: alex, password: drums}
steps:
  - text: {en: Expand the list class.}
    goals:
      - response: {command: EXPN, status: "250", match: alex}
    solution:
      - EHLO client.example
      - EXPN class
  - text: {en: Send it a message.}
    goals:
      - present: {user: alex, subject: Lists}
      - present: {user: melanie, subject: Lists}
    solution:
      - MAIL FROM:<mrose@example.org>
      - RCPT TO:<class@example.org>
      - DATA
      - "Subject: Lists"
      - ""
      - hi
      - .
`

// A lesson's aliases reach the SMTP server: EXPN lists the members, and
// mail to the list reaches each.
func TestSMTPLessonWithAliases(t *testing.T) {
	l, err := Parse("t.yaml", []byte(aliasLesson))
	if err != nil {
		t.Fatal(err)
	}
	if err := Replay(l); err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(aliasLesson, "class: melanie, alex", "class: |/bin/sh", 1)
	if _, err := Parse("t.yaml", []byte(bad)); err == nil || !strings.Contains(err.Error(), "aliases") {
		t.Errorf("an aliases entry that runs a program: %v", err)
	}
}
