package imap

import (
	"strings"
	"testing"
)

// listFixture is RFC 5258 6's example hierarchy: Fruit with Apple, Banana
// and Peach (subscribed, then deleted), Tofu, Vegetable with Broccoli and
// Corn; subscribed are Fruit/Banana, Fruit/Peach, Vegetable and
// Vegetable/Broccoli.
func listFixture(t *testing.T) *conn {
	t.Helper()
	st := newStore(t, 1000)
	u := addUser(t, st, "melanie", "toybox")
	for _, n := range []string{"Fruit", "Fruit/Apple", "Fruit/Banana", "Fruit/Peach", "Tofu", "Vegetable", "Vegetable/Broccoli", "Vegetable/Corn", "Sent"} {
		if err := u.CreateMailbox(n); err != nil {
			t.Fatal(err)
		}
	}
	fill(t, u, "INBOX", 3)
	fill(t, u, "Tofu", 2, `\Seen`)
	c := login(t, st, "melanie", "toybox")
	for _, cmd := range []string{"UNSUBSCRIBE INBOX", "SUBSCRIBE Fruit/Banana", "SUBSCRIBE Fruit/Peach", "SUBSCRIBE Vegetable", "SUBSCRIBE Vegetable/Broccoli", "DELETE Fruit/Peach"} {
		if out := c.do("f", cmd); !strings.HasPrefix(out, "f OK") {
			t.Fatalf("%s: %s", cmd, out)
		}
	}
	return c
}

// RFC 5258 6's examples, as this server (and Dovecot) answers them: no
// \Marked or \NoInferiors, CHILDINFO's tag as an atom.
func TestListExtendedRFCExamples(t *testing.T) {
	c := listFixture(t)
	c.run(`
		C: A02 LIST (SUBSCRIBED) "" *
		S: * LIST (\Subscribed) "/" Fruit/Banana
		S: * LIST (\Subscribed \NonExistent) "/" Fruit/Peach
		S: * LIST (\Subscribed) "/" Vegetable
		S: * LIST (\Subscribed) "/" Vegetable/Broccoli
		S: A02 OK LIST completed
		C: A03 LIST () "" % RETURN (CHILDREN)
		S: * LIST (\HasNoChildren) "/" INBOX
		S: * LIST (\HasChildren) "/" Fruit
		S: * LIST (\HasNoChildren) "/" Sent
		S: * LIST (\HasNoChildren) "/" Tofu
		S: * LIST (\HasChildren) "/" Vegetable
		S: A03 OK LIST completed
		C: A04 LIST "" % RETURN (SUBSCRIBED)
		S: * LIST () "/" INBOX
		S: * LIST () "/" Fruit
		S: * LIST () "/" Sent
		S: * LIST () "/" Tofu
		S: * LIST (\Subscribed) "/" Vegetable
		S: A04 OK LIST completed
		C: A05 LIST (SUBSCRIBED RECURSIVEMATCH) "" %
		S: * LIST () "/" Fruit (CHILDINFO ("SUBSCRIBED"))
		S: * LIST (\Subscribed) "/" Vegetable (CHILDINFO ("SUBSCRIBED"))
		S: A05 OK LIST completed
		C: A06 LIST (SUBSCRIBED RECURSIVEMATCH) "" *
		S: * LIST (\Subscribed) "/" Fruit/Banana
		S: * LIST (\Subscribed \NonExistent) "/" Fruit/Peach
		S: * LIST (\Subscribed) "/" Vegetable
		S: * LIST (\Subscribed) "/" Vegetable/Broccoli
		S: A06 OK LIST completed
		C: A07 LIST "" (Fruit/B* Tofu *Corn) RETURN (CHILDREN SUBSCRIBED)
		S: * LIST (\Subscribed \HasNoChildren) "/" Fruit/Banana
		S: * LIST (\HasNoChildren) "/" Tofu
		S: * LIST (\HasNoChildren) "/" Vegetable/Corn
		S: A07 OK LIST completed
		C: A08 LIST (REMOTE) "" Fr%
		S: * LIST () "/" Fruit
		S: A08 OK LIST completed
	`)
	// RFC 6154: SPECIAL-USE as a selection and as a return option.
	c.run(`
		C: B1 LIST (SPECIAL-USE) "" *
		S: * LIST (\Sent) "/" Sent
		S: B1 OK LIST completed
		C: B2 LIST "" S% RETURN (SPECIAL-USE)
		S: * LIST (\Sent) "/" Sent
		S: B2 OK LIST completed
	`)
	// A basic LIST stays as it was, \HasChildren and special use with it.
	c.run(`
		C: B3 LIST "" Se%
		S: * LIST (\HasNoChildren \Sent) "/" Sent
		S: B3 OK LIST completed
	`)
	// Mistakes are BAD: unknown options, RECURSIVEMATCH alone (RFC 5258
	// 3.1), an empty pattern list, anything but RETURN after it.
	for _, bad := range []string{`LIST (FROB) "" *`, `LIST (RECURSIVEMATCH) "" *`, `LIST (REMOTE RECURSIVEMATCH) "" *`,
		`LIST "" ()`, `LIST "" * RETURN (FROB)`, `LIST "" * FROB (CHILDREN)`, `LIST "" * RETURN (STATUS (SIZE))`, `LIST "" * RETURN`} {
		if out := c.do("x", bad); !strings.HasPrefix(out, "x BAD ") {
			t.Errorf("%s: %s", bad, out)
		}
	}
}

// RFC 5819 3's example: a STATUS response after the LIST line of each
// mailbox that can be selected, none after a level that is no mailbox.
func TestListStatusRFCExample(t *testing.T) {
	c := listFixture(t)
	c.do("d", "DELETE Fruit")
	c.run(`
		C: A01 LIST "" % RETURN (STATUS (MESSAGES UNSEEN))
		S: * LIST () "/" INBOX
		S: * STATUS INBOX (MESSAGES 3 UNSEEN 3)
		S: * LIST (\NonExistent) "/" Fruit
		S: * LIST () "/" Sent
		S: * STATUS Sent (MESSAGES 0 UNSEEN 0)
		S: * LIST () "/" Tofu
		S: * STATUS Tofu (MESSAGES 2 UNSEEN 0)
		S: * LIST () "/" Vegetable
		S: * STATUS Vegetable (MESSAGES 0 UNSEEN 0)
		S: A01 OK LIST completed
		C: A02 LIST (SUBSCRIBED) "" Fruit/* RETURN (STATUS (UIDNEXT MESSAGES))
		S: * LIST (\Subscribed) "/" Fruit/Banana
		S: * STATUS Fruit/Banana (MESSAGES 0 UIDNEXT 1)
		S: * LIST (\Subscribed \NonExistent) "/" Fruit/Peach
		S: A02 OK LIST completed
	`)
}
