package imap

import "strings"

// searchParts explains SORT's numbers, THREAD's threads and ESEARCH's
// result items.
func (s *Session) searchParts(sc *scanner, name string) []part {
	var ps []part
	uid := strings.HasPrefix(s.cmd, "UID ")
	switch name {
	case "SORT":
		r := role("sort.seq")
		if uid {
			r = "sort.uid"
		}
		ps = numberParts(sc.rest(), r)
	case "THREAD":
		for i := 0; !sc.done(); i++ {
			v := sc.value()
			if v.kind != '(' {
				break
			}
			if i == maxNumbers {
				ps = append(ps, part{token: "…", role: "thread.more"})
				break
			}
			ps = append(ps, part{token: v.show(), role: "thread"})
		}
	case "ESEARCH":
		ps = append(ps, part{token: sc.value().show(), role: "esearch.tag"})
		for sc.space(); !sc.done(); sc.space() {
			item := strings.ToUpper(sc.word())
			if item == "UID" {
				ps = append(ps, part{token: item, role: "esearch.uid"})
				continue
			}
			sc.space()
			v := sc.value()
			ps = append(ps, part{token: item + " " + v.show(), role: role("esearch." + strings.ToLower(item))})
		}
	}
	return ps
}

// numberParts explains a SEARCH or SORT answer's message numbers, each in
// role r, the first maxNumbers of them and then how many more.
func numberParts(rest string, r role) []part {
	var ps []part
	nums := strings.Fields(rest)
	for i, n := range nums {
		if i == maxNumbers {
			ps = append(ps, part{token: "…", role: "search.more", args: []any{len(nums) - i}})
			break
		}
		ps = append(ps, part{token: n, role: r})
	}
	return ps
}
