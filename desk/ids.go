package desk

import (
	"crypto/rand"
	"encoding/binary"
	"sync"
	"time"
)

// NewID returns a 26-character, lexically time-ordered identifier (a ULID in
// Crockford base32). IDs are made by the application, not the database, so
// one INSERT text serves SQLite and PostgreSQL and ids sort by creation for
// cursor pagination.
func NewID() string {
	return idGen.next(time.Now())
}

const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

type idSource struct {
	mu     sync.Mutex
	lastMs uint64
	hi     uint16
	lo     uint64
}

var idGen idSource

// next is monotonic within a millisecond so ids made in one process never
// sort before an earlier one.
func (s *idSource) next(now time.Time) string {
	ms := uint64(now.UnixMilli())
	s.mu.Lock()
	if ms <= s.lastMs {
		ms = s.lastMs
		s.lo++
		if s.lo == 0 {
			s.hi++
		}
	} else {
		var b [10]byte
		_, _ = rand.Read(b[:])
		s.lastMs = ms
		s.hi = binary.BigEndian.Uint16(b[:2])
		s.lo = binary.BigEndian.Uint64(b[2:])
		s.lo &^= 1 << 63 // headroom so the increment above rarely carries
	}
	hi, lo := s.hi, s.lo
	s.mu.Unlock()

	var raw [16]byte
	raw[0] = byte(ms >> 40)
	raw[1] = byte(ms >> 32)
	raw[2] = byte(ms >> 24)
	raw[3] = byte(ms >> 16)
	raw[4] = byte(ms >> 8)
	raw[5] = byte(ms)
	binary.BigEndian.PutUint16(raw[6:8], hi)
	binary.BigEndian.PutUint64(raw[8:], lo)
	return encodeBase32(raw)
}

func encodeBase32(b [16]byte) string {
	// 128 bits -> 26 symbols of 5 bits, most significant first (2 leading pad bits).
	var out [26]byte
	var acc uint64
	bits := 2
	acc = 0
	i := 0
	for _, c := range b {
		acc = acc<<8 | uint64(c)
		bits += 8
		for bits >= 5 {
			bits -= 5
			out[i] = crockford[(acc>>uint(bits))&31]
			i++
		}
	}
	return string(out[:])
}
