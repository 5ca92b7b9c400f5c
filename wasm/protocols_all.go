//go:build !boot

package main

import _ "maillab/sim/proto/all" // every protocol the page can open
