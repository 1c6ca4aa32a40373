package store

import "time"

// Times are stored as unix milliseconds UTC, 0 meaning unset, so both
// dialects sort and compare them as plain integers. Precision is a
// millisecond.

func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func msPtr(t *time.Time) int64 {
	if t == nil {
		return 0
	}
	return ms(*t)
}

func fromMs(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

func fromMsPtr(v int64) *time.Time {
	if v == 0 {
		return nil
	}
	t := fromMs(v)
	return &t
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
