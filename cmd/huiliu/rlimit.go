//go:build unix

package main

import (
	"fmt"
	"io"
	"syscall"
)

// raiseOpenFiles lifts the soft limit on open files to the hard limit.
// Every websocket is a file descriptor, and the soft limit is often 1,024,
// far below the tens of thousands of customer connections one node (or the
// chat bench) is meant to hold; raising it to the hard limit needs no
// privileges. Go itself does this at start-up on Linux since 1.19; doing it
// here keeps it true wherever the runtime does not, and gives the bench the
// limit in force to check its connection count against.
func raiseOpenFiles() (uint64, error) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return 0, fmt.Errorf("read the open-files limit: %w", err)
	}
	if lim.Cur >= lim.Max {
		return lim.Cur, nil
	}
	want := lim
	want.Cur = lim.Max
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &want); err != nil {
		return lim.Cur, fmt.Errorf("raise the open-files limit from %d to %d: %w", lim.Cur, lim.Max, err)
	}
	return want.Cur, nil
}

// raiseOpenFilesOrWarn is raiseOpenFiles for a server start: failing to
// raise the limit costs capacity, not correctness, so it only warns.
func raiseOpenFilesOrWarn(w io.Writer) {
	if _, err := raiseOpenFiles(); err != nil {
		fmt.Fprintf(w, "warning: %v; the desk may run out of file descriptors for websockets\n", err)
	}
}
