//go:build unix

package ssh

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time this process has used, in user and kernel mode:
// with server and clients in one process, the work a write costs all
// sessions, which a loaded machine does not inflate as it does wall time.
func cpuTime() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
