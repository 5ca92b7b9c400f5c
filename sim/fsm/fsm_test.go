package fsm

import (
	"encoding/json"
	"slices"
	"testing"
	"testing/fstest"

	"maillab/sim/catalog"
	"maillab/sim/event"
)

func init() {
	catalog.Files = fstest.MapFS{
		"texts/en/toy.json": {Data: []byte(`{"state.idle": "IDLE", "state.busy": "BUSY", "transition.go": "start working", "transition.stop": "stop \"now\"\\ \n\u2028 ok"}`)},
		"texts/xx/toy.json": {Data: []byte(`{"state.idle": "KLID", "transition.go": "do práce"}`)},
	}
}

var toy = &Machine{
	Proto:     "toy",
	Catalogue: "toy",
	States:    []StateInfo{{Name: "idle"}, {Name: "busy"}, {Name: "off"}},
	Transitions: []Transition{
		{ID: "hello", From: Start, To: "idle"},
		{ID: "go", From: "idle", To: "busy"},
		{ID: "stop", From: "busy", To: "idle"},
	},
	Commands: map[State][]string{"idle": {"GO"}, "busy": {"STOP", "GO"}, "off": nil},
}

func TestTextsFromTheCatalogue(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{toy.Title("idle"), "IDLE"},
		{toy.TitleIn("xx", "idle"), "KLID"},
		{toy.TitleIn("xx", "busy"), "BUSY"},
		{toy.Title("nowhere"), "nowhere"},
		{toy.Label("go"), "start working"},
		{toy.LabelIn("xx", "go"), "do práce"},
		{toy.LabelIn("xx", "stop"), "stop \"now\"\\ \n\u2028 ok"},
		{toy.WhereText("GO"), "the IDLE or BUSY state"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
	if got := toy.MissingTexts(); !slices.Equal(got, []string{"state.off", "transition.hello"}) {
		t.Errorf("MissingTexts = %v", got)
	}
}

// The page draws from this JSON: titles and labels in English and in
// every language of the catalogues.
func TestMachineJSON(t *testing.T) {
	b, err := json.Marshal(toy)
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Proto     string `json:"proto"`
		Catalogue string `json:"catalogue"`
		States    []struct {
			Name   string            `json:"name"`
			Title  string            `json:"title"`
			Titles map[string]string `json:"titles"`
		} `json:"states"`
		Transitions []struct {
			ID, From, To, Label string
			Labels              map[string]string
		} `json:"transitions"`
		Commands map[string][]string `json:"commands"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if !json.Valid(b) {
		t.Fatalf("not JSON: %s", b)
	}
	if c, ok := m.Commands["off"]; m.Proto != "toy" || m.Catalogue != toy.Catalogue || len(m.States) != 3 || len(m.Transitions) != 3 || len(m.Commands["busy"]) != 2 || !ok || c != nil {
		t.Fatalf("%s", b)
	}
	if s := m.States[0]; s.Name != "idle" || s.Title != "IDLE" || s.Titles["en"] != "IDLE" || s.Titles["xx"] != "KLID" {
		t.Errorf("state %+v", s)
	}
	if tr := m.Transitions[1]; tr.ID != "go" || tr.From != "idle" || tr.To != "busy" || tr.Label != "start working" ||
		tr.Labels["en"] != "start working" || tr.Labels["xx"] != "do práce" {
		t.Errorf("transition %+v", tr)
	}
	if tr := m.Transitions[2]; tr.Labels["xx"] != "stop \"now\"\\ \n\u2028 ok" || tr.Label != tr.Labels["xx"] {
		t.Errorf("an untranslated label is not the English one: %+v", tr)
	}
}

func TestTrackerFollowsTheDeclaration(t *testing.T) {
	var moves []string
	tr := NewTracker(toy, func(e event.Event) { moves = append(moves, e.Transition) })
	tr.Take("hello", "")
	if !tr.Can("go") || tr.Can("stop") {
		t.Error("Can")
	}
	tr.Take("go", "GO")
	if tr.State() != "busy" || !slices.Equal(moves, []string{"hello", "go"}) {
		t.Errorf("state %q, moves %v", tr.State(), moves)
	}
	defer func() {
		if recover() == nil {
			t.Error("an undeclared move did not panic")
		}
	}()
	tr.Take("go", "GO")
}
