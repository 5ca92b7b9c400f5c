package smtp

import (
	"fmt"
	"strings"

	"maillab/sim/catalog"
	"maillab/sim/event"
	"maillab/sim/fsm"
)

// texts is the smtp catalogue: texts/<lang>/smtp.json. It holds every
// reply's explanation (keyed as the standard table is), the meanings of
// reply codes, enhanced codes and EHLO keywords, and the state titles
// (state.<name>) and transition labels (transition.<id>) of both
// machines.
var texts = catalog.Get("smtp")

// Render writes t in lang (English where lang lacks it). Arguments that
// are Texts or lists of states are rendered in lang too. A text uses its
// arguments by explicit index ("%[2]s"), so a translation may reorder
// them and an explanation may leave some out.
func Render(lang string, t Text) string {
	format, ok := texts.Lookup(lang, t.Key)
	if !ok {
		return "[smtp:" + t.Key + "]"
	}
	args := make([]any, min(argCount(format), len(t.Args)))
	for i := range args {
		switch v := t.Args[i].(type) {
		case Text:
			args[i] = Render(lang, v)
		case stateList:
			args[i] = renderStates(lang, v)
		case textList:
			parts := make([]string, len(v))
			for j, t := range v {
				parts[j] = Render(lang, t)
			}
			args[i] = strings.Join(parts, "; ")
		default:
			args[i] = v
		}
	}
	return fmt.Sprintf(format, args...)
}

// textList is an argument of several texts, rendered joined by "; ".
type textList []Text

// renderStates names states in lang: "MAIL or RCPT".
func renderStates(lang string, states stateList) string {
	names := make([]string, len(states))
	for i, s := range states {
		names[i] = StateTitle(lang, s)
	}
	switch len(names) {
	case 0:
		return "—"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " " + texts.Text(lang, "word.or") + " " + names[len(names)-1]
}

// StateTitle is the title of state s in lang (catalogue key state.<s>).
func StateTitle(lang string, s fsm.State) string {
	return texts.Text(lang, "state."+string(s))
}

// TransitionLabel is the label of transition id in lang (catalogue key
// transition.<id>), for either machine: LMTP's own ids end in "L".
func TransitionLabel(lang, id string) string {
	return texts.Text(lang, "transition."+id)
}

// Explanation is what the explain pane shows for one reply.
type Explanation struct {
	// Key and Args are the reply's explanation in the catalogue.
	Key  string
	Args []any
	// Notes are further remarks: what the command got away with, what
	// the envelope shows.
	Notes []Text
	// Text is Key, Args and Notes rendered in the language asked.
	Text string
	// Parts explain the reply's tokens: the code, the enhanced code, the
	// text, each EHLO keyword.
	Parts []event.Part
	// Allowed lists, for a command refused in the wrong state, the
	// states that allow it.
	Allowed []string
}

// Explain explains reply r, the answer to cmd (nil for the greeting, or
// when the command is unknown), in lang. enhanced says whether the reply
// went out with its enhanced status code. A reply this package did not
// build (one read from another server) is explained by its code.
func Explain(r *Reply, cmd *Command, enhanced bool, lang string) Explanation {
	why := r.Why
	if why.Key == "" {
		why = genericWhy(r)
	}
	x := Explanation{Key: why.Key, Args: why.Args}
	x.Notes = append(x.Notes, r.Notes...)
	if cmd != nil {
		x.Notes = append(x.Notes, cmd.Notes...)
	}
	var b strings.Builder
	b.WriteString(Render(lang, why))
	for _, n := range x.Notes {
		b.WriteString(" ")
		b.WriteString(Render(lang, n))
	}
	x.Text = b.String()
	for _, a := range why.Args {
		if s, ok := a.(stateList); ok {
			for _, st := range s {
				x.Allowed = append(x.Allowed, string(st))
			}
		}
	}
	x.Parts = parts(r, cmd, enhanced, lang)
	return x
}

// Event is the explanation as the Explain event of a session's stream.
func (x Explanation) Event(verb string) event.Event {
	return event.Event{Kind: event.Explain, Command: verb, Text: x.Text, Parts: x.Parts, Allowed: x.Allowed}
}

// genericWhy explains a reply by its code alone.
func genericWhy(r *Reply) Text {
	if _, ok := texts.Lookup("en", fmt.Sprintf("code.%d", r.Code)); ok {
		return T("reply.known", T(fmt.Sprintf("code.%d", r.Code)))
	}
	return T("reply.class", T(fmt.Sprintf("digit1.%d", r.Code/100)))
}

// parts explains the reply's tokens line by line: the code (and its
// hyphen) and the enhanced code once, then each line's text.
func parts(r *Reply, cmd *Command, enhanced bool, lang string) []event.Part {
	var out []event.Part
	key := r.Why.Key
	ehlo := key == "ehlo" || key == "lhlo" || key == "" && cmd != nil && (cmd.Verb == "EHLO" || cmd.Verb == "LHLO") && r.Code == 250
	for i, l := range r.Format(enhanced) {
		rl, err := ParseReplyLine(l)
		if err != nil {
			continue
		}
		if i == 0 {
			out = append(out, codePart(rl, lang))
			if rl.Enhanced != "" {
				out = append(out, enhancedPart(rl.Enhanced, lang))
			}
		}
		if rl.Text == "" {
			continue
		}
		switch {
		case ehlo && i > 0:
			out = append(out, keywordPart(rl.Text, lang))
		case ehlo, key == "greeting" || key == "greeting.lmtp":
			host, rest, _ := strings.Cut(rl.Text, " ")
			out = append(out, event.Part{Token: host, Meaning: Render(lang, T("part.host"))})
			switch {
			case rest == "":
			case ehlo:
				out = append(out, event.Part{Token: rest, Meaning: Render(lang, T("part.text"))})
			default:
				out = append(out, event.Part{Token: rest, Meaning: Render(lang, T("part.greeting", rest))})
			}
		case key == "expn.ok":
			out = append(out, event.Part{Token: rl.Text, Meaning: Render(lang, T("part.member"))})
		case key == "vrfy.ambiguous" && i > 0:
			out = append(out, event.Part{Token: rl.Text, Meaning: Render(lang, T("part.possible"))})
		case key == "data.ok" && len(r.Why.Args) > 0:
			out = append(out, event.Part{Token: rl.Text, Meaning: Render(lang, T("part.queued", r.Why.Args[0]))})
		default:
			out = append(out, event.Part{Token: rl.Text, Meaning: Render(lang, T("part.text"))})
		}
	}
	return out
}

// codePart explains a reply code by its digits (RFC 5321 section 4.2.1)
// and by its meaning in section 4.2.2's list.
func codePart(rl ReplyLine, lang string) event.Part {
	code := fmt.Sprintf("%d", rl.Code)
	d1, d2 := code[:1], code[1:2]
	meaning := Render(lang, T("part.code", T("digit1."+d1), T("digit2."+d2), d1, d2))
	if _, ok := texts.Lookup("en", "code."+code); ok {
		meaning = Render(lang, T("code."+code)) + ". " + meaning
	}
	token := code
	if rl.More {
		token += "-"
		meaning += " " + Render(lang, T("part.more"))
	}
	return event.Part{Token: token, Meaning: meaning}
}

// enhancedPart explains an RFC 3463 code: class.subject.detail.
func enhancedPart(code, lang string) event.Part {
	p := strings.Split(code, ".")
	detail := "detail." + p[1] + "." + p[2]
	if _, ok := texts.Lookup("en", detail); !ok {
		detail = "detail.other"
	}
	subject := "subject." + p[1]
	if _, ok := texts.Lookup("en", subject); !ok {
		subject = "subject.other"
	}
	return event.Part{Token: code, Meaning: Render(lang, T("part.enhanced",
		T("class."+p[0]), T(subject), T(detail), p[0], p[1], p[2]))}
}

// keywordPart explains one EHLO keyword line, "SIZE 10240000" or "AUTH
// PLAIN LOGIN".
func keywordPart(line, lang string) event.Part {
	kw, params, _ := strings.Cut(line, " ")
	key := "ext." + strings.ToUpper(kw)
	if _, ok := texts.Lookup("en", key); !ok {
		if strings.HasPrefix(strings.ToUpper(kw), "X") {
			key = "ext.private"
		} else {
			key = "ext.unknown"
		}
	}
	return event.Part{Token: line, Meaning: Render(lang, T(key, params))}
}
