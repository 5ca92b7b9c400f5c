package main

import (
	"net"
	"sync"
	"time"
)

// throttle slows down password guessing, as Dovecot's auth_failure_delay
// does, and more so for a source that keeps failing: each failed login
// waits base, doubled for every failure the client's address or the user
// name tried has had within throttleMemory, up to throttleMaxFactor times
// base. A success is never delayed, so another user from another address
// logs in at once.
type throttle struct {
	mu     sync.Mutex
	byAddr map[string]*strikes
	byUser map[string]*strikes
}

// strikes are the failed logins of one address or user name.
type strikes struct {
	n    int
	last time.Time
}

const (
	// throttleMemory is how long failures are remembered after the last.
	throttleMemory = 15 * time.Minute
	// throttleMaxFactor bounds the delay: base, 2, 4, then 8 times base.
	throttleMaxFactor = 8
	// throttleMaxEntries bounds each table: a client inventing user names
	// cannot grow it without end.
	throttleMaxEntries = 100_000
)

// failed records a failed login of user from addr at now and returns the
// delay before its answer, and how many failures it counted.
func (t *throttle) failed(base time.Duration, addr, user string, now time.Time) (time.Duration, int) {
	if base <= 0 {
		return 0, 0
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.byAddr == nil {
		t.byAddr, t.byUser = map[string]*strikes{}, map[string]*strikes{}
	}
	n := strike(t.byAddr, addr, now)
	if user != "" {
		n = max(n, strike(t.byUser, user, now))
	}
	factor := 1
	for i := 1; i < n && factor < throttleMaxFactor; i++ {
		factor *= 2
	}
	return base * time.Duration(factor), n
}

// strike counts a failure of key in m and returns its count.
func strike(m map[string]*strikes, key string, now time.Time) int {
	s := m[key]
	if s == nil || now.Sub(s.last) > throttleMemory {
		if len(m) >= throttleMaxEntries {
			forget(m, now)
		}
		s = &strikes{}
		m[key] = s
	}
	s.n++
	s.last = now
	return s.n
}

// forget drops the entries not renewed within throttleMemory, or all of
// them when every entry is recent.
func forget(m map[string]*strikes, now time.Time) {
	for k, s := range m {
		if now.Sub(s.last) > throttleMemory {
			delete(m, k)
		}
	}
	if len(m) >= throttleMaxEntries {
		clear(m)
	}
}

// host is the address part of a remote address, "127.0.0.1" of
// "127.0.0.1:50522": what the throttle and the per-address limit count.
func host(addr net.Addr) string {
	h, _, err := net.SplitHostPort(addr.String())
	if err != nil {
		return addr.String()
	}
	return h
}
