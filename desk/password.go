package desk

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"
)

// argon2id parameters: the OWASP baseline (19 MiB, 2 passes), which keeps a
// login under ~50 ms on the 2-core machines while costing an attacker dearly.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// Password length limits.
const (
	MinPasswordLen = 8
	MaxPasswordLen = 256
)

// argonCost is the cost HashPassword uses: the baseline above, except in test
// binaries, where the race detector makes one baseline hash take most of a
// second and the suites create and log in hundreds of agents. A hash records
// its parameters, so CheckPassword verifies either kind anywhere.
func argonCost() (memory, passes uint32) {
	if testing.Testing() {
		return 64, 1
	}
	return argonMemory, argonTime
}

// HashPassword returns a PHC-format argon2id hash of pw.
func HashPassword(pw string) (string, error) {
	memory, passes := argonCost()
	return hashPassword(pw, memory, passes)
}

func hashPassword(pw string, memory, passes uint32) (string, error) {
	if len(pw) < MinPasswordLen {
		return "", Errorf(CodeInvalid, "password must have at least %d characters", MinPasswordLen)
	}
	if len(pw) > MaxPasswordLen {
		return "", Errorf(CodeInvalid, "password must have at most %d characters", MaxPasswordLen)
	}
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("desk: password salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, passes, memory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, memory, passes, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether pw matches the PHC hash. It reads the
// parameters from the hash so older hashes keep working after a change.
func CheckPassword(hash, pw string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || len(pw) > MaxPasswordLen {
		return false
	}
	var version int
	var mem, iter uint32
	var par uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &iter, &par); err != nil || mem == 0 || mem > 1<<20 || iter == 0 || iter > 16 || par == 0 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 || len(want) > 128 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, iter, mem, par, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}
