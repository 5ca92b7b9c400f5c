//go:build js && wasm && !boot

package main

import (
	"errors"
	"syscall/js"
	"time"

	"maillab/wasm/jsbridge"
)

// journeyAPI is the global object maillabJourney, the journey view's
// window on the open lesson's mail path. Calls that run sessions (step,
// tick) return a Promise; the others answer at once, as {value: JSON} or
// {error}.
//
//	state(since)          {gen, now, speed, domains, hosts, events (seq > since), queue, faults}
//	hop(id)               {id, proto, client, server, addr, lines: [{dir: "c"|"s", line}]}
//	dig(name, type)       dig(1)'s text for an MX, A or PTR query
//	step(seconds)         Promise: lab time moves on, due retries run
//	speed(x)              lab time runs x times real time (0 stops it)
//	tick()                Promise: the retries whose time has come run
//	addFault(json)        switches a rule on: {host, command, reply, times, probability}
//	clearFaults()         switches every rule off
func journeyAPI(b *bridge) js.Value {
	api := js.Global().Get("Object").New()
	fn := func(name string, f func(j *journey, args []js.Value) any) {
		api.Set(name, js.FuncOf(func(_ js.Value, args []js.Value) any {
			j := b.lab.journey()
			if j == nil {
				return jsonResult(nil, errNoPath)
			}
			return f(j, args)
		}))
	}
	num := func(args []js.Value, i int) float64 {
		if i < len(args) && args[i].Type() == js.TypeNumber {
			return args[i].Float()
		}
		return 0
	}
	fn("state", func(j *journey, args []js.Value) any {
		return jsonResult(j.state(int(num(args, 0)), jsbridge.Arg(args, 1)), nil)
	})
	fn("hop", func(j *journey, args []js.Value) any { return jsonResult(j.hop(int(num(args, 0)))) })
	fn("dig", func(j *journey, args []js.Value) any {
		return jsonResult(j.dig(jsbridge.Arg(args, 0), jsbridge.Arg(args, 1)), nil)
	})
	fn("step", func(j *journey, args []js.Value) any {
		d := time.Duration(num(args, 0) * float64(time.Second))
		return jsbridge.Promise(func() (any, error) { return nil, j.step(d) })
	})
	fn("speed", func(j *journey, args []js.Value) any { return jsonResult(nil, j.setSpeed(num(args, 0))) })
	fn("tick", func(j *journey, _ []js.Value) any {
		return jsbridge.Promise(func() (any, error) { return j.tick(), nil })
	})
	fn("addFault", func(j *journey, args []js.Value) any { return jsonResult(nil, j.addFault(jsbridge.Arg(args, 0))) })
	fn("clearFaults", func(j *journey, _ []js.Value) any { j.clearFaults(); return jsonResult(nil, nil) })
	return api
}

var errNoPath = errors.New("the open lesson has no mail path")
