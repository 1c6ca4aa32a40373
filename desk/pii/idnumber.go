package pii

// idWeights are the ISO 7064 MOD 11-2 weights of GB 11643 for the first 17
// digits; idCheck maps the weighted sum mod 11 to the check character.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheck = "10X98765432"

// validID checks an 18-character resident ID number: province code, birth
// date and check character. The 15-digit form of before 1999 has no check
// character and is not detected: too many order numbers would match it.
func validID(chars []byte) bool {
	if len(chars) != 18 || !allDigits(chars[:17]) {
		return false
	}
	if !validProvince(int(chars[0]-'0')*10 + int(chars[1]-'0')) {
		return false
	}
	if !validBirth(atoi(chars[6:10]), atoi(chars[10:12]), atoi(chars[12:14])) {
		return false
	}
	sum := 0
	for i, w := range idWeights {
		sum += int(chars[i]-'0') * w
	}
	return chars[17] == idCheck[sum%11]
}

// validProvince accepts the province-level codes of GB/T 2260 and the
// 81/82/83 codes of residence permits for Hong Kong, Macao and Taiwan.
func validProvince(p int) bool {
	switch {
	case p >= 11 && p <= 15, p >= 21 && p <= 23, p >= 31 && p <= 37,
		p >= 41 && p <= 46, p >= 50 && p <= 54, p >= 61 && p <= 65,
		p == 71, p >= 81 && p <= 83:
		return true
	}
	return false
}

func validBirth(y, m, d int) bool {
	if y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1 {
		return false
	}
	days := [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m]
	if m == 2 && (y%4 == 0 && y%100 != 0 || y%400 == 0) {
		days = 29
	}
	return d <= days
}

func atoi(b []byte) int {
	n := 0
	for _, c := range b {
		n = n*10 + int(c-'0')
	}
	return n
}
