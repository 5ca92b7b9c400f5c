// Package all links every protocol of the lab into a program: importing it
// runs each protocol's registration. It is the one list of protocols; a new
// protocol adds one line here.
package all

import (
	_ "maillab/sim/imap"
	_ "maillab/sim/pop3"
	_ "maillab/sim/smtp"
)
