package pii

import "strings"

// Ellipsis ends a text the desk cut short (previews, subjects).
const Ellipsis = "…"

// MaskCut is Mask for a text that may have been cut short and then marked
// with Ellipsis at its end: the cut can split a number or an address so
// that no detector recognises the part left ("zhang.san@examp…",
// "138001…"). The trailing run that could be the start of one — digits,
// letters and the characters of an address, digit groups included — is
// starred out when it holds a digit or an @; the rest is masked as by Mask.
// A text not ending in Ellipsis is masked exactly as by Mask.
func MaskCut(text string) string {
	body, cut := strings.CutSuffix(text, Ellipsis)
	if !cut {
		return Mask(text)
	}
	rs := []rune(body)
	i := len(rs)
	for i > 0 {
		r := rs[i-1]
		if partOfToken(r) || isSeparator(r) && i >= 2 && i < len(rs) && isDigit(rs[i-2]) && isDigit(rs[i]) {
			i--
			continue
		}
		break
	}
	tail := rs[i:]
	if !strings.ContainsFunc(string(tail), func(r rune) bool { return r == '@' || isDigit(r) }) {
		return Mask(body) + Ellipsis
	}
	for k, r := range tail {
		if !isSeparator(r) {
			tail[k] = '*'
		}
	}
	return Mask(string(rs[:i])) + string(tail) + Ellipsis
}

// partOfToken reports whether r may be inside a number or an e-mail
// address.
func partOfToken(r rune) bool {
	return isDigit(r) || isASCIIAlnum(r) || r == '*' || strings.ContainsRune("@._+%-", r)
}
