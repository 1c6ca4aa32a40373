package pii

import "bytes"

// maxDigits is the longest number any detector accepts (a 19-digit card);
// it bounds the work per starting group, which keeps the scan linear.
const maxDigits = 19

// digit returns the value of an ASCII or full-width digit.
func digit(r rune) (byte, bool) {
	switch {
	case r >= '0' && r <= '9':
		return byte(r - '0'), true
	case r >= '０' && r <= '９':
		return byte(r - '０'), true
	}
	return 0, false
}

func isDigit(r rune) bool {
	_, ok := digit(r)
	return ok
}

// isSeparator is what may stand between digit groups: "6222 0202 …",
// "138-0013-8000".
func isSeparator(r rune) bool { return r == ' ' || r == '-' }

// isGlue reports whether a character next to a digit sequence makes it part
// of a word, such as an order number "ORD13800138000".
func isGlue(r rune) bool {
	return isASCIILetter(r) || r == '_' || isDigit(r)
}

// Kept digits of a masked number: at most headKeep before the first star
// ("0086 138") and tailKeep after the last one.
const (
	headKeep = 7
	tailKeep = 4
)

// group is a run of digits and stars (and a trailing X of an ID number),
// rune indexes. Stars belong to groups so that an already masked number is
// seen whole and its kept digits are never read as a new number.
type group struct {
	first, last int
	chars       []byte // '0'-'9', '*' or 'X'
}

func isTokenChar(r rune) bool { return r == '*' || isDigit(r) }

// findNumbers scans tokens (groups joined by single separators) outside
// e-mail addresses and matches whole groups against the detectors.
func findNumbers(rs []rune, inEmail []bool) []span {
	var out []span
	usable := func(i int) bool { return i < len(rs) && !inEmail[i] }
	var groups []group
	for i := 0; i < len(rs); {
		if !usable(i) || !isTokenChar(rs[i]) {
			i++
			continue
		}
		groups = groups[:0]
		j := i
		for {
			g := group{first: j}
			for usable(j) && isTokenChar(rs[j]) {
				if d, ok := digit(rs[j]); ok {
					g.chars = append(g.chars, '0'+d)
				} else {
					g.chars = append(g.chars, '*')
				}
				j++
			}
			if usable(j) && (rs[j] == 'X' || rs[j] == 'x') && (j+1 == len(rs) || !isGlue(rs[j+1])) {
				g.chars = append(g.chars, 'X')
				j++
				g.last = j
				groups = append(groups, g)
				break
			}
			g.last = j
			groups = append(groups, g)
			if !(usable(j) && isSeparator(rs[j]) && usable(j+1) && isTokenChar(rs[j+1])) {
				break
			}
			j++
		}
		out = matchToken(rs, groups, out)
		i = j
	}
	return out
}

// blocked marks the groups no match may use: those holding stars and the
// kept digits on either side of them.
func blocked(gs []group) []bool {
	b := make([]bool, len(gs))
	for i, g := range gs {
		first, last := bytes.IndexByte(g.chars, '*'), bytes.LastIndexByte(g.chars, '*')
		if first < 0 {
			continue
		}
		b[i] = true
		for j, n := i-1, first; j >= 0 && !b[j] && n+len(gs[j].chars) <= headKeep; j-- {
			n += len(gs[j].chars)
			b[j] = true
		}
		for j, n := i+1, len(g.chars)-1-last; j < len(gs) && n+len(gs[j].chars) <= tailKeep; j++ {
			if bytes.IndexByte(gs[j].chars, '*') >= 0 {
				break
			}
			n += len(gs[j].chars)
			b[j] = true
		}
	}
	return b
}

// matchToken tries, from each group, the longest run of whole groups first;
// an ID number wins over a mobile number over a card for the same run.
// Groups touching a word character at the token's ends are not used.
func matchToken(rs []rune, gs []group, out []span) []span {
	skip := blocked(gs)
	if f := gs[0].first; f > 0 && isGlue(rs[f-1]) {
		skip[0] = true
	}
	if l := gs[len(gs)-1].last; l < len(rs) && isGlue(rs[l]) {
		skip[len(gs)-1] = true
	}
	var buf [maxDigits]byte
	for s := 0; s < len(gs); {
		if skip[s] {
			s++
			continue
		}
		plus := s == 0 && gs[0].first > 0 && rs[gs[0].first-1] == '+'
		n, e := 0, s
		for e < len(gs) && !skip[e] && n+len(gs[e].chars) <= maxDigits {
			n += len(gs[e].chars)
			e++
		}
		found := false
		for ; e > s; e-- {
			run := gs[s:e]
			chars := buf[:0]
			for _, g := range run {
				chars = append(chars, g.chars...)
			}
			if sp, ok := classify(run, chars, plus); ok {
				out = append(out, sp)
				s = e
				found = true
				break
			}
		}
		if !found {
			s++
		}
	}
	return out
}

func classify(run []group, chars []byte, plus bool) (span, bool) {
	sp := span{first: run[0].first, last: run[len(run)-1].last}
	switch {
	case groupsAtLeast(run, 3, 0) && validID(chars):
		sp.kind = IDNumber
	case mobilePrefix(run, chars, plus) >= 0:
		sp.kind = Mobile
		sp.prefix = mobilePrefix(run, chars, plus)
		if plus && sp.prefix == 2 {
			sp.first--
		}
	case groupsAtLeast(run, 3, 0) && validCard(chars):
		sp.kind = BankCard
	default:
		return span{}, false
	}
	return sp, true
}

// groupsAtLeast reports whether every group of a multi-group run has at
// least min characters; a leading group of exactly skip characters (a
// country code) is exempt.
func groupsAtLeast(run []group, min, skip int) bool {
	if len(run) == 1 {
		return true
	}
	for i, g := range run {
		if i == 0 && skip > 0 && len(g.chars) == skip {
			continue
		}
		if len(g.chars) < min {
			return false
		}
	}
	return true
}

func allDigits(chars []byte) bool {
	for _, c := range chars {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// mobilePrefix returns the number of country-code digits before a mainland
// mobile number (0, or 2 for +86, 4 for 0086), or -1 if chars is none.
func mobilePrefix(run []group, chars []byte, plus bool) int {
	prefix := 0
	switch {
	case plus && len(chars) == 13 && string(chars[:2]) == "86":
		prefix = 2
	case len(chars) == 15 && string(chars[:4]) == "0086":
		prefix = 4
	}
	national := chars[prefix:]
	if len(national) != 11 || !allDigits(national) || national[0] != '1' || national[1] < '3' {
		return -1
	}
	if !groupsAtLeast(run, 3, prefix) {
		return -1
	}
	return prefix
}

// validCard checks length, a non-zero first digit and the Luhn checksum.
func validCard(chars []byte) bool {
	if len(chars) < 13 || len(chars) > 19 || !allDigits(chars) || chars[0] == '0' {
		return false
	}
	sum := 0
	for i := range chars {
		d := int(chars[len(chars)-1-i] - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}
