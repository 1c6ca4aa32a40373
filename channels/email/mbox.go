package email

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
)

// ReadMbox calls fn with each mail of an mbox archive (mboxo and mboxrd:
// a line "From " after a blank line or at the start begins a mail, and
// ">From " lines lose one '>'). A mail longer than MaxMailBytes is cut
// there, as ParseMail would. fn's error stops the reading.
func ReadMbox(r io.Reader, fn func(raw []byte) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var cur []byte
	started, prevBlank := false, true
	flush := func() error {
		if !started {
			return nil
		}
		mail := bytes.TrimRight(cur, "\r\n")
		cur = nil
		if len(bytes.TrimSpace(mail)) == 0 {
			return nil
		}
		return fn(append(mail, '\n'))
	}
	for {
		line, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			// A very long line: keep it whole.
			rest, rerr := br.ReadBytes('\n')
			line, err = append(append([]byte(nil), line...), rest...), rerr
		}
		if len(line) > 0 {
			switch {
			case prevBlank && bytes.HasPrefix(line, []byte("From ")):
				if ferr := flush(); ferr != nil {
					return ferr
				}
				started = true
			case !started:
				return fmt.Errorf("email: not an mbox archive: it does not start with a \"From \" line")
			default:
				if q := bytes.TrimLeft(line, ">"); len(q) < len(line) && bytes.HasPrefix(q, []byte("From ")) {
					line = line[1:]
				}
				if len(cur) < MaxMailBytes {
					cur = append(cur, line...)
				}
			}
			prevBlank = len(bytes.TrimRight(line, "\r\n")) == 0
		}
		if err == io.EOF {
			return flush()
		}
		if err != nil {
			return fmt.Errorf("email: read mbox: %w", err)
		}
	}
}
