package lesson

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"maillab/sim/catalog"
	"maillab/sim/proto"
)

// lessons/schema.json is written by hand except for what the protocol
// registry and the catalogues know: its $defs "protocol", "state",
// "transition" and "status" are generated from the registered protocols'
// machines, and "text" from the catalogues' languages, so the schema an
// editor reads cannot lag behind the protocols (a test compares the
// committed file with Schema's output; `labctl schema` writes it).

// Schema returns the schema src with its generated definitions made anew
// from the registry, keeping every other key, and the order of keys, as
// they are.
func Schema(src []byte) ([]byte, error) {
	var doc ordered
	if err := json.Unmarshal(src, &doc); err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	defs, ok := doc.get("$defs").(*ordered)
	if !ok {
		return nil, fmt.Errorf("schema: no $defs object")
	}
	for _, d := range generatedDefs() {
		defs.set(d.key, d.value)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(&doc); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

type def struct {
	key   string
	value any
}

func generatedDefs() []def {
	var names, states []any
	var transitions []any
	var ints []any
	var stateDesc, transDesc []string
	seen := map[string]bool{}
	for _, p := range proto.All() {
		names = append(names, p.Name)
		var ss []string
		for _, s := range p.Machine.States {
			if !seen["s:"+string(s.Name)] {
				seen["s:"+string(s.Name)] = true
				states = append(states, string(s.Name))
			}
			ss = append(ss, string(s.Name))
		}
		stateDesc = append(stateDesc, p.Title+" "+strings.Join(ss, ", "))
		var ts []string
		for _, t := range p.Machine.Transitions {
			if !slices.Contains(ts, t.ID) {
				ts = append(ts, t.ID)
			}
			if seen["t:"+t.ID] {
				continue
			}
			seen["t:"+t.ID] = true
			transitions = append(transitions, t.ID)
			// YAML reads an unquoted 5 as a number.
			if n, err := strconv.Atoi(t.ID); err == nil {
				ints = append(ints, n)
			}
		}
		transDesc = append(transDesc, p.Title+" "+strings.Join(ts, ", "))
	}
	obj := func(kv ...any) *ordered {
		o := &ordered{}
		for i := 0; i < len(kv); i += 2 {
			o.set(kv[i].(string), kv[i+1])
		}
		return o
	}
	var statuses []any
	var patterns []string
	for _, p := range proto.All() {
		for _, st := range p.Statuses {
			if !seen["st:"+st] {
				seen["st:"+st] = true
				statuses = append(statuses, st)
			}
		}
		if p.StatusPattern != "" && !seen["sp:"+p.StatusPattern] {
			seen["sp:"+p.StatusPattern] = true
			patterns = append(patterns, p.StatusPattern)
		}
	}
	status := []any{obj("enum", statuses)}
	for _, pat := range patterns {
		status = append(status, obj("type", "string", "pattern", pat))
	}
	langs := &ordered{}
	for _, l := range catalog.Languages() {
		langs.set(l, obj("type", "string", "minLength", 1, "pattern", `\S`))
	}
	text := obj("type", "object",
		"description", "A text in one or more of the lab's languages ("+strings.Join(catalog.Languages(), ", ")+"). labctl check also requires every text of a lesson in each language its title is written in.",
		"properties", langs, "minProperties", 1, "additionalProperties", false)
	return []def{
		{"text", text},
		{"protocol", obj("enum", names, "description", "The protocol the lesson's sessions speak (generated from the lab's protocol registry).")},
		{"state", obj("enum", states, "description", "The session reached this state: "+strings.Join(stateDesc, "; ")+".")},
		{"transition", obj("enum", append(transitions, ints...), "description", "The declared transition taken: "+strings.Join(transDesc, "; ")+".")},
		{"status", obj("anyOf", status, "description", "What the response starts with: POP3's +OK or -ERR, IMAP's OK, NO, BAD..., SMTP's three-digit code.")},
	}
}

// ordered is a JSON object that keeps its keys in order.
type ordered struct {
	keys []string
	vals map[string]any
}

func (o *ordered) get(k string) any { return o.vals[k] }

func (o *ordered) set(k string, v any) {
	if o.vals == nil {
		o.vals = map[string]any{}
	}
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

func (o *ordered) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	v, err := decodeOrdered(dec)
	if err != nil {
		return err
	}
	oo, ok := v.(*ordered)
	if !ok {
		return fmt.Errorf("not a JSON object")
	}
	*o = *oo
	return nil
}

func decodeOrdered(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			o := &ordered{}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				v, err := decodeOrdered(dec)
				if err != nil {
					return nil, err
				}
				o.set(k.(string), v)
			}
			_, err := dec.Token()
			return o, err
		case '[':
			a := []any{}
			for dec.More() {
				v, err := decodeOrdered(dec)
				if err != nil {
					return nil, err
				}
				a = append(a, v)
			}
			_, err := dec.Token()
			return a, err
		}
	}
	return tok, nil
}

func (o *ordered) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		var vb bytes.Buffer
		enc := json.NewEncoder(&vb)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(o.vals[k]); err != nil {
			return nil, err
		}
		b.Write(bytes.TrimSuffix(vb.Bytes(), []byte("\n")))
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
