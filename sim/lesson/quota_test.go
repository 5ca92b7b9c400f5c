package lesson

import (
	"testing"
)

// A fixture account's quota applies once the fixture's messages are in:
// the learner's APPEND past it is refused with NO [OVERQUOTA], and
// GETQUOTAROOT reports it.
const quotaLesson = `id: quota-t
protocol: imap
level: 2
title: {en: Quota, ru: Квота}
fixture:
  accounts:
    - user: alex
      password: drums
      quota: {storage: 2048, messages: 2}
      messages:
        - {from: a@example.org, subject: One, body: first}
        - {from: a@example.org, subject: Two, body: second}
steps:
  - text: {en: See the quota, ru: Посмотрите квоту}
    goals:
      - response: {command: GETQUOTAROOT, status: OK}
      - response: {command: APPEND, status: "NO", match: 'OVERQUOTA'}
    solution: [a1 LOGIN alex drums, a2 GETQUOTAROOT INBOX, "a3 APPEND INBOX {5+}\r\nHello"]
`

func TestFixtureQuota(t *testing.T) {
	l, err := Parse("quota.yaml", []byte(quotaLesson))
	if err != nil {
		t.Fatal(err)
	}
	if err := Replay(l); err != nil {
		t.Fatal(err)
	}
	st, err := l.BuildStore()
	if err != nil {
		t.Fatal(err)
	}
	u, _ := st.User("alex")
	limit, use := u.Quota()
	if limit.Storage != 2048 || limit.Messages != 2 || use.Messages != 2 {
		t.Errorf("quota %+v, use %+v", limit, use)
	}
}
