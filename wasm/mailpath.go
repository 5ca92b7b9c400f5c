package main

import (
	"maillab/sim/lesson"
	_ "maillab/sim/lesson/withmailpath" // lessons with mail domains open in the page
	"maillab/sim/proto"
	"maillab/sim/smtp"
)

// mailPathSubmit returns what makes a page's SMTP session the MSA of the
// lesson's first mail domain, queueing mail for the other domains into
// the lesson's mail path, as the engine's own sessions do (Engine.Options); nil when the
// lesson has no mail domains.
func mailPathSubmit(e *lesson.Engine) func(proto.Config) proto.Config {
	path, domains := e.MailPath(), e.Lesson().Fixture.Domains
	if path == nil || len(domains) == 0 {
		return nil
	}
	d := domains[0]
	return func(c proto.Config) proto.Config {
		c.Role, c.Domains, c.Users, c.Relay = smtp.RoleMSA, []string{d.Name}, d.Users, path.Relay()
		if c.Hostname == "" {
			c.Hostname = d.MTAHost()
		}
		return c
	}
}
