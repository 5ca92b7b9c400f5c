package mailpath

import (
	"sync"
	"time"
)

// Clock is lab time: it runs at Speed times real time from where it was
// set (0 stops it), and Advance steps it. Tests start it stopped and
// step it; the page speeds it up so a five-day queue lifetime passes in
// minutes.
type Clock struct {
	mu     sync.Mutex
	at     time.Time // lab time at anchor
	anchor time.Time // real time when at was set
	speed  float64
	real   func() time.Time
}

// NewClock starts lab time at start, running at speed (0: stopped).
func NewClock(start time.Time, speed float64) *Clock {
	return &Clock{at: start, anchor: time.Now(), speed: speed, real: time.Now}
}

// RealClock is lab time equal to real time.
func RealClock() *Clock { return NewClock(time.Now(), 1) }

// Now is the lab time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nowLocked()
}

func (c *Clock) nowLocked() time.Time {
	if c.speed == 0 {
		return c.at
	}
	return c.at.Add(time.Duration(float64(c.real().Sub(c.anchor)) * c.speed))
}

// Advance moves lab time on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.at, c.anchor = c.nowLocked().Add(d), c.real()
}

// SetSpeed makes lab time run at speed times real time from now on;
// 0 stops it.
func (c *Clock) SetSpeed(speed float64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.at, c.anchor, c.speed = c.nowLocked(), c.real(), max(speed, 0)
}

// Speed is how fast lab time runs.
func (c *Clock) Speed() float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.speed
}
