//go:build js && wasm && !boot

package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"syscall/js"

	"maillab/sim/event"
	"maillab/sim/lesson"
	"maillab/wasm/jsbridge"
)

// lessonHost runs the lesson engine in the page. The page's terminals are
// ordinary lab sessions on the lesson's mail store; the page forwards
// their events here (maillabLesson.event) and the engine checks the goals.
// Lesson progress lives in the page (localStorage), not here.
type lessonHost struct {
	b        *bridge
	mu       sync.Mutex
	e        *lesson.Engine
	onChange js.Value
	queue    []fed         // events waiting for the engine, in order
	wake     chan struct{} // signals the feeding goroutine
	feeding  sync.Mutex    // held while one event is fed, and by a step's reset
}

type fed struct {
	name string
	ev   event.Event
}

// installLessons registers the global object maillabLesson.
func installLessons(b *bridge) {
	h := &lessonHost{b: b, wake: make(chan struct{}, 1)}
	go h.feed()
	js.Global().Set("maillabLesson", h.api())
	js.Global().Set("maillabJourney", journeyAPI(b))
}

func (h *lessonHost) engine() (*lesson.Engine, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.e == nil {
		return nil, errors.New("no lesson is open")
	}
	return h.e, nil
}

func (h *lessonHost) api() js.Value {
	api := js.Global().Get("Object").New()
	fn := func(name string, f func(args []js.Value) any) {
		api.Set(name, js.FuncOf(func(_ js.Value, args []js.Value) any { return f(args) }))
	}
	// load(compiled, lang, files): check a lesson in its compiled form (a
	// bundle entry's lesson, or what lessonyaml.wasm made of a YAML file),
	// give its store to the lab (dropping the lab's connections) and
	// return the lesson. files is the JSON of a bundle entry's Maildir
	// files, if any.
	fn("load", func(args []js.Value) any {
		compiled, lang, files := jsbridge.Arg(args, 0), jsbridge.Arg(args, 1), jsbridge.Arg(args, 2)
		return jsbridge.Promise(func() (any, error) { return h.load(compiled, lang, files) })
	})
	fn("event", func(args []js.Value) any {
		e, err := h.engine()
		if err != nil {
			return nil
		}
		var ev event.Event
		if json.Unmarshal([]byte(jsbridge.Arg(args, 1)), &ev) == nil {
			h.push(e, fed{jsbridge.Arg(args, 0), ev})
		}
		return nil
	})
	fn("status", func([]js.Value) any {
		e, err := h.engine()
		if err != nil {
			return jsonResult(nil, err)
		}
		// stuck says why the step can no longer be met, if it cannot:
		// the page then offers to restart it.
		return jsonResult(map[string]any{"progress": e.Progress(), "goals": e.Goals(), "stuck": e.Stuck()}, nil)
	})
	// reset(): restart the current step with the mailboxes it started
	// with (as the steps before it leave them when done by their
	// reference solutions). The lab's connections are dropped first; their
	// ends count for nothing. The page then opens its terminals again.
	fn("reset", func([]js.Value) any {
		return jsbridge.Promise(func() (any, error) { return nil, h.reset() })
	})
	fn("hint", func([]js.Value) any {
		e, err := h.engine()
		if err != nil {
			return jsonResult(nil, err)
		}
		text, ok := e.Hint()
		return jsonResult(map[string]any{"text": text, "ok": ok}, nil)
	})
	fn("solution", func([]js.Value) any {
		e, err := h.engine()
		if err != nil {
			return jsonResult(nil, err)
		}
		return jsonResult(e.Solution(), nil)
	})
	fn("answer", func(args []js.Value) any {
		e, err := h.engine()
		if err != nil {
			return jsonResult(nil, err)
		}
		var a lesson.Answer
		if err := json.Unmarshal([]byte(jsbridge.Arg(args, 2)), &a); err != nil {
			return jsonResult(nil, fmt.Errorf("answer: %w", err))
		}
		ok, expl, err := e.Answer(args[0].Int(), args[1].Int(), a)
		return jsonResult(map[string]any{"correct": ok, "explanation": expl}, err)
	})
	fn("restore", func(args []js.Value) any {
		e, err := h.engine()
		if err != nil {
			return jsonResult(nil, err)
		}
		var p lesson.Progress
		if err := json.Unmarshal([]byte(jsbridge.Arg(args, 0)), &p); err != nil {
			return jsonResult(nil, err)
		}
		return jsonResult(nil, e.Restore(p))
	})
	fn("goTo", func(args []js.Value) any {
		e, err := h.engine()
		if err != nil {
			return jsonResult(nil, err)
		}
		return jsonResult(nil, e.GoTo(args[0].Int()))
	})
	fn("setLang", func(args []js.Value) any {
		if e, err := h.engine(); err == nil {
			e.SetLang(jsbridge.Arg(args, 0))
		}
		return nil
	})
	fn("hostOptions", func(args []js.Value) any {
		e, err := h.engine()
		if err != nil {
			return jsonResult(nil, err)
		}
		return jsonResult(e.Lesson().HostOptions(jsbridge.Arg(args, 0)), nil)
	})
	fn("onChange", func(args []js.Value) any { h.onChange = arg0(args); return nil })
	return api
}

// push queues an event; the engine may wait on the store, which a JS
// callback must never do, so a goroutine feeds the events, in order.
func (h *lessonHost) push(_ *lesson.Engine, f fed) {
	h.mu.Lock()
	h.queue = append(h.queue, f)
	h.mu.Unlock()
	select {
	case h.wake <- struct{}{}:
	default:
	}
}

func (h *lessonHost) feed() {
	for range h.wake {
		for {
			h.feeding.Lock()
			h.mu.Lock()
			if len(h.queue) == 0 {
				h.mu.Unlock()
				h.feeding.Unlock()
				break
			}
			f, e := h.queue[0], h.e
			h.queue = h.queue[1:]
			h.mu.Unlock()
			if e != nil {
				e.Feed(f.name, f.ev)
			}
			h.feeding.Unlock()
		}
	}
}

func (h *lessonHost) load(compiled, lang, filesJSON string) (any, error) {
	var files map[string][]byte
	if filesJSON != "" {
		if err := json.Unmarshal([]byte(filesJSON), &files); err != nil {
			return nil, fmt.Errorf("the lesson's fixture files: %w", err)
		}
	}
	l, err := lesson.Decode([]byte(compiled), files)
	if err != nil {
		return nil, err
	}
	e, err := lesson.New(l, lesson.Options{Lang: lang, OnChange: h.changed})
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	old := h.e
	h.e = e
	h.queue = nil
	h.mu.Unlock()
	if old != nil {
		old.Close()
	}
	h.b.lab.closeAll()
	h.b.lab.setStore(e.Store())
	h.b.lab.setPath(newJourney(e))
	b, err := json.Marshal(l)
	return string(b), err
}

// reset restarts the current step: the lab's sessions end, the events
// still queued from them are dropped (a session's end must not count for
// the restarted step), and the lab takes the step's starting store.
func (h *lessonHost) reset() error {
	e, err := h.engine()
	if err != nil {
		return err
	}
	h.b.lab.closeAll()
	h.feeding.Lock()
	defer h.feeding.Unlock()
	h.mu.Lock()
	h.queue = nil
	h.mu.Unlock()
	if err := e.Reset(); err != nil {
		return err
	}
	h.b.lab.setStore(e.Store())
	return nil
}

func (h *lessonHost) changed() {
	if h.onChange.Type() == js.TypeFunction {
		h.onChange.Invoke()
	}
}

// jsonResult is {value: JSON text} or {error: message}.
func jsonResult(v any, err error) any {
	if err != nil {
		return map[string]any{"error": err.Error()}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return map[string]any{"error": err.Error()}
	}
	return map[string]any{"value": string(b)}
}
