package redisq

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"huiliu/queue"
)

type codes Backend

func (c *codes) key(key string) string { return c.cfg.prefix + "code:" + key }

// digest is what Redis stores instead of the code, so a dump of Redis
// does not hand out live codes, and the script compares fixed-length
// digests rather than the code itself.
func digest(key, code string) string {
	h := sha256.Sum256([]byte(key + "\x00" + code))
	return hex.EncodeToString(h[:])
}

func (c *codes) Issue(ctx context.Context, key, code string, ttl time.Duration, maxAttempts int) error {
	if ttl <= 0 || maxAttempts <= 0 {
		return invalid("issue code %s: ttl %v, attempts %d", key, ttl, maxAttempts)
	}
	err := issueScript.Run(ctx, c.rdb, []string{c.key(key)}, digest(key, code), maxAttempts, ms(ttl)).Err()
	if err != nil {
		return fmt.Errorf("redisq: issue code %s: %w", key, err)
	}
	return nil
}

func (c *codes) Check(ctx context.Context, key, code string) (bool, error) {
	r, err := checkScript.Run(ctx, c.rdb, []string{c.key(key)}, digest(key, code)).Int()
	if err != nil {
		return false, fmt.Errorf("redisq: check code %s: %w", key, err)
	}
	switch r {
	case 1:
		return true, nil
	case 0:
		return false, nil
	case -2:
		return false, queue.ErrTooManyAttempts
	default:
		return false, queue.ErrCodeExpired
	}
}
