package desk

import (
	"strings"
	"testing"
)

func TestPasswordHashing(t *testing.T) {
	// The production cost; HashPassword itself uses the floor in tests.
	h, err := hashPassword("correct horse 电池", argonMemory, argonTime)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q is not PHC argon2id", h)
	}
	if !CheckPassword(h, "correct horse 电池") {
		t.Fatal("the right password was refused")
	}
	for _, wrong := range []string{"", "correct horse", "correct horse 电池 ", strings.Repeat("x", 300)} {
		if CheckPassword(h, wrong) {
			t.Fatalf("wrong password %q accepted", wrong)
		}
	}
	h2, _ := HashPassword("correct horse 电池")
	if !CheckPassword(h2, "correct horse 电池") || CheckPassword(h2, "correct horse") {
		t.Fatal("a test-cost hash does not verify like a baseline one")
	}
	if h[strings.LastIndexByte(h, '$'):] == h2[strings.LastIndexByte(h2, '$'):] {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
	for _, bad := range []string{"", "plain", "$argon2id$v=19$m=0,t=2,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=99999999,t=2,p=1$c2FsdA$aGFzaA", "$bcrypt$x$y$z$w"} {
		if CheckPassword(bad, "anything") {
			t.Fatalf("malformed hash %q accepted", bad)
		}
	}
	if _, err := HashPassword("short"); CodeOf(err) != CodeInvalid {
		t.Fatalf("short password: %v", err)
	}
}
