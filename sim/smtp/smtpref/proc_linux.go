//go:build linux

package smtpref

import (
	"os"
	"syscall"
)

// sysProcAttr has the kernel send the daemon SIGTERM should the test
// binary die without running its cleanups (a test timeout), and puts it
// in a process group of its own, so that stop can kill every process it
// left. Postfix's master must not get one: it makes itself a session
// leader, which a process group leader cannot do, and dies of it.
func sysProcAttr(ownGroup bool) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: ownGroup, Pdeathsig: syscall.SIGTERM}
}

func terminate(p *os.Process) { p.Signal(syscall.SIGTERM) }

// killGroup kills what is left of the process group that the daemon
// whose process ID was pid led (Setpgid, or Postfix's setsid, made the
// two numbers equal).
func killGroup(pid int) {
	if pid > 1 && pid != syscall.Getpgrp() {
		syscall.Kill(-pid, syscall.SIGKILL)
	}
}
