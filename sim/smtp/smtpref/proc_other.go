//go:build !linux && !js && !wasip1

package smtpref

import (
	"os"
	"syscall"
)

func sysProcAttr(bool) *syscall.SysProcAttr { return nil }

func terminate(p *os.Process) { p.Kill() }

func killGroup(int) {}
