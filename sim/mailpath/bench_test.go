package mailpath_test

import (
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-sasl"
	gosmtp "github.com/emersion/go-smtp"

	"maillab/sim/mailpath"
	"maillab/sim/smtp"
)

// BenchmarkPath is the whole path in memory: a client submits to
// example.net's MSA, which queues the message; the outgoing MTA looks up
// example.org's MX and relays it over SMTP to mx1.example.org, which
// hands it over LMTP to the LDA, which puts it into melanie's INBOX.
// Each submitter keeps one SMTP session and sends its share of b.N
// messages in it.
func BenchmarkPath(b *testing.B) {
	for _, n := range []int{1, 100} {
		b.Run(fmt.Sprintf("submitters=%d", n), func(b *testing.B) {
			st := storeOf(b)
			l, err := mailpath.New(mailpath.Demo(), mailpath.Options{Store: st})
			if err != nil {
				b.Fatal(err)
			}
			o, _ := l.Submission("example.net")
			clients := make([]*gosmtp.Client, n)
			for i := range clients {
				c1, c2 := net.Pipe()
				go func() {
					smtp.NewSession(o).Serve(struct{ io.ReadWriter }{c2})
					c2.Close()
				}()
				c := gosmtp.NewClient(c1)
				if err := c.Hello("client.example"); err != nil {
					b.Fatal(err)
				}
				if err := c.Auth(sasl.NewPlainClient("", "mrose", "tanstaaf")); err != nil {
					b.Fatal(err)
				}
				clients[i] = c
			}
			msg := "From: mrose@example.net\r\nTo: melanie@example.org\r\nSubject: bench\r\n\r\n" + strings.Repeat("A line of the message body.\r\n", 40)
			b.ResetTimer()
			var wg sync.WaitGroup
			for i, c := range clients {
				share := b.N / n
				if i < b.N%n {
					share++
				}
				wg.Go(func() {
					for range share {
						if err := c.SendMail("mrose@example.net", []string{"melanie@example.org"}, strings.NewReader(msg)); err != nil {
							b.Error(err)
							return
						}
					}
				})
			}
			wg.Wait()
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
			u, _ := st.User("melanie")
			mb, _ := u.Mailbox("INBOX")
			if got := len(mb.Messages()); got < b.N {
				b.Errorf("%d messages in INBOX after %d submitted", got, b.N)
			}
			for _, c := range clients {
				c.Quit()
			}
		})
	}
}
