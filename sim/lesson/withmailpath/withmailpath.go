// Package withmailpath links the mail path into lessons: importing it
// lets a lesson whose fixture declares mail domains open, with the
// learner's SMTP session as the first domain's MSA and the other domains
// behind simulated MTAs. labctl, labserver and the page's simulator
// import it.
package withmailpath

import (
	"time"

	"maillab/sim/lesson"
	"maillab/sim/mailpath"
	"maillab/sim/mailstore"
)

func init() { lesson.OpenMailPath = open }

// lab is a mailpath.Lab as the lesson engine sees it.
type lab struct{ *mailpath.Lab }

// Relay is the lab itself: sessions queue into it.
func (l lab) Relay() any { return l.Lab }

func open(top *mailpath.Topology, store *mailstore.Store, start time.Time, lang string, onEvent func()) (lesson.MailPath, error) {
	l, err := mailpath.New(top, mailpath.Options{Store: store, Clock: mailpath.NewClock(start, 0), Lang: lang, Record: true,
		Events: func(mailpath.Event) { onEvent() }})
	if err != nil {
		return nil, err
	}
	return lab{l}, nil
}
