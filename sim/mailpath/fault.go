package mailpath

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"

	"maillab/sim/smtp"
)

// Fault makes a host answer a command with a chosen reply, as mail
// software meets it in the wild: RCPT → "452 4.2.2 Mailbox full", DATA →
// "554 5.7.1 Rejected", the greeting → "421 4.3.2 Service not available".
// It fires for the next Times commands, or with Probability, or, with
// neither, every time.
type Fault struct {
	Host string `yaml:"host" json:"host"`
	// Command is the verb answered (EHLO, LHLO, MAIL, RCPT, DATA, BDAT,
	// RSET, QUIT...), CONNECT for the greeting, or "." for the reply
	// after the message.
	Command     string  `yaml:"command" json:"command"`
	Reply       string  `yaml:"reply" json:"reply"` // "452 4.2.2 Mailbox full"
	Probability float64 `yaml:"probability,omitempty" json:"probability,omitempty"`
	Times       int     `yaml:"times,omitempty" json:"times,omitempty"`
}

// faultVerbs are the commands a rule may name.
var faultVerbs = []string{"CONNECT", "HELO", "EHLO", "LHLO", "MAIL", "RCPT", "DATA", "BDAT", ".", "RSET", "NOOP", "QUIT", "VRFY", "EXPN", "AUTH", "STARTTLS"}

// rule is a checked fault.
type rule struct {
	host, verb string
	reply      smtp.Reply
	prob       float64
	left       int // Times still to fire; -1: no count
}

func (f Fault) rule() (*rule, error) {
	verb := strings.ToUpper(strings.TrimSpace(f.Command))
	ok := false
	for _, v := range faultVerbs {
		ok = ok || v == verb
	}
	if !ok {
		return nil, fmt.Errorf("command %q: one of %s", f.Command, strings.Join(faultVerbs, ", "))
	}
	if !nameRE.MatchString(f.Host) {
		return nil, fmt.Errorf("host %q: not a host name", f.Host)
	}
	if len(f.Reply) > 400 || strings.ContainsAny(f.Reply, "\r\n") {
		return nil, fmt.Errorf("reply: one line of at most 400 characters")
	}
	r, err := smtp.ParseReply([]string{f.Reply})
	if err != nil || r.Code < 400 {
		return nil, fmt.Errorf("reply %q: a 4yz or 5yz reply such as \"452 4.2.2 Mailbox full\"", f.Reply)
	}
	if f.Probability < 0 || f.Probability > 1 || f.Times < 0 {
		return nil, fmt.Errorf("probability is 0 to 1, times at least 0")
	}
	ru := &rule{host: strings.ToLower(f.Host), verb: verb, reply: *r, prob: f.Probability, left: -1}
	if f.Times > 0 {
		ru.left = f.Times
	}
	if r.Enhanced == "" {
		// A session that announced ENHANCEDSTATUSCODES sends one on
		// every reply (RFC 2034 section 3): the class and "0.0".
		ru.reply.Enhanced = fmt.Sprintf("%d.0.0", r.Code/100)
	}
	ru.reply = *smtp.Fault(ru.reply, f.Host, verb)
	return ru, nil
}

// faults are the rules in force.
type faults struct {
	mu    sync.Mutex
	rules []*rule
	rnd   *rand.Rand
}

func newFaults(seed uint64) *faults {
	return &faults{rnd: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

func (fs *faults) add(f Fault) error {
	r, err := f.rule()
	if err != nil {
		return err
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if len(fs.rules) >= maxFaults {
		return fmt.Errorf("at most %d fault rules", maxFaults)
	}
	fs.rules = append(fs.rules, r)
	return nil
}

func (fs *faults) clear() {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.rules = nil
}

// answer is the reply a rule gives host for verb, or nil. The first rule
// that fires wins; a counted rule that has fired its last time goes.
func (fs *faults) answer(host, verb string) *smtp.Reply {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i, r := range fs.rules {
		if r.host != host || r.verb != verb {
			continue
		}
		switch {
		case r.left > 0:
			r.left--
			if r.left == 0 {
				fs.rules = append(fs.rules[:i:i], fs.rules[i+1:]...)
			}
		case r.prob > 0 && fs.rnd.Float64() >= r.prob:
			continue
		}
		reply := r.reply
		return &reply
	}
	return nil
}

// forHost is a session's Fault hook.
func (fs *faults) forHost(host string) func(string) *smtp.Reply {
	return func(verb string) *smtp.Reply { return fs.answer(host, verb) }
}
