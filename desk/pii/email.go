package pii

// localStars is how many stars replace a masked local part after its first
// character, so the mask does not reveal the length.
const localStars = 3

func isLocal(r rune) bool {
	return isASCIIAlnum(r) || r == '.' || r == '_' || r == '%' || r == '+' || r == '-' || r == '*'
}

func isDomain(r rune) bool {
	return isASCIIAlnum(r) || r == '.' || r == '-'
}

func isASCIIAlnum(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

func isASCIILetter(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
}

// findEmails looks around each '@'. The local part runs left up to the
// previous address or a non-local character; the domain is the longest
// valid prefix of the domain characters to the right. Each character is
// visited at most twice, so the scan is linear.
func findEmails(rs []rune) []span {
	var out []span
	prevEnd := 0
	for at, r := range rs {
		if r != '@' {
			continue
		}
		first := at
		for first > prevEnd && isLocal(rs[first-1]) {
			first--
		}
		for first < at && rs[first] == '.' {
			first++
		}
		if first == at {
			continue
		}
		last := domainEnd(rs, at+1)
		if last < 0 {
			continue
		}
		out = append(out, span{kind: Email, first: first, last: last, masked: localMasked(rs[first:at])})
		prevEnd = last
	}
	return out
}

// domainEnd returns the end of the longest valid domain starting at start
// (two or more labels, a top-level label of at least two letters), or -1.
func domainEnd(rs []rune, start int) int {
	end := start
	for end < len(rs) && isDomain(rs[end]) {
		end++
	}
	best, labels := -1, 0
	for pos := start; pos < end; {
		le := pos
		for le < end && rs[le] != '.' {
			le++
		}
		label := rs[pos:le]
		if len(label) == 0 || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			break
		}
		labels++
		if labels >= 2 && isTopLevel(label) {
			best = le
		}
		pos = le + 1
	}
	return best
}

func isTopLevel(label []rune) bool {
	if len(label) < 2 {
		return false
	}
	for _, r := range label {
		if !isASCIILetter(r) {
			return false
		}
	}
	return true
}

// localMasked reports whether a local part is already in masked form: one
// character followed only by stars, or a lone star.
func localMasked(local []rune) bool {
	if len(local) == 1 {
		return local[0] == '*'
	}
	for _, r := range local[1:] {
		if r != '*' {
			return false
		}
	}
	return true
}
