//go:build !unix

package main

import (
	"io"
	"math"
)

// raiseOpenFiles has nothing to raise where there is no RLIMIT_NOFILE.
func raiseOpenFiles() (uint64, error) { return math.MaxUint64, nil }

func raiseOpenFilesOrWarn(io.Writer) {}
