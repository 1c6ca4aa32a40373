package store

import (
	"encoding/base64"
	"strconv"
	"strings"

	"huiliu/desk"
)

// A ticket cursor is the sort key of the last row of a page,
// base64url("<last_message_at ms>.<id>"). Clients must treat it as opaque.

type cursor struct {
	at int64
	id string
}

func encodeCursor(c cursor) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(c.at, 10) + "." + c.id))
}

// maxCursorLen bounds what decodeCursor reads; real cursors are ~45 bytes.
const maxCursorLen = 256

func decodeCursor(s string) (cursor, error) {
	bad := func() (cursor, error) {
		return cursor{}, desk.Errorf(desk.CodeInvalid, "invalid cursor")
	}
	if len(s) > maxCursorLen {
		return bad()
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return bad()
	}
	at, id, ok := strings.Cut(string(raw), ".")
	if !ok || id == "" || len(id) > 64 {
		return bad()
	}
	n, err := strconv.ParseInt(at, 10, 64)
	if err != nil || n < 0 {
		return bad()
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '-' || c == '_') {
			return bad()
		}
	}
	return cursor{at: n, id: id}, nil
}
