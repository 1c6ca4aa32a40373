package pii

// Kind names what a Match found.
type Kind string

// The kinds of personal data the detectors recognise.
const (
	IDNumber Kind = "id_number" // mainland resident identity card number
	BankCard Kind = "bank_card"
	Mobile   Kind = "mobile" // mainland mobile number
	Email    Kind = "email"
)

// Match is one piece of personal data: text[Start:End] (byte offsets).
type Match struct {
	Kind  Kind
	Start int
	End   int
}

// span is a Match in rune indexes with what masking needs to know.
type span struct {
	kind        Kind
	first, last int // runes [first, last)
	// prefix counts the leading country-code digits of a mobile number
	// (+86, 0086), which stay visible.
	prefix int
	// masked marks an e-mail address whose local part is already masked: it
	// is not reported but still shields its digits from the number scan.
	masked bool
}

// runes is the text split into runes with each rune's byte offset;
// offs has one extra entry, len(text).
type runes struct {
	rs   []rune
	offs []int
}

func decode(text string) runes {
	r := runes{rs: make([]rune, 0, len(text)), offs: make([]int, 0, len(text)+1)}
	for i, c := range text {
		r.rs = append(r.rs, c)
		r.offs = append(r.offs, i)
	}
	r.offs = append(r.offs, len(text))
	return r
}

// Find reports the personal data in text in order, without overlaps.
func Find(text string) []Match {
	r := decode(text)
	var out []Match
	for _, s := range scan(r.rs) {
		if s.masked {
			continue
		}
		out = append(out, Match{Kind: s.kind, Start: r.offs[s.first], End: r.offs[s.last]})
	}
	return out
}

// scan finds e-mail addresses first (their local parts often hold digits),
// then numbers in the remaining text, and merges both in text order.
func scan(rs []rune) []span {
	emails := findEmails(rs)
	inEmail := make([]bool, len(rs))
	for _, e := range emails {
		for i := e.first; i < e.last; i++ {
			inEmail[i] = true
		}
	}
	numbers := findNumbers(rs, inEmail)
	out := make([]span, 0, len(emails)+len(numbers))
	i, j := 0, 0
	for i < len(emails) || j < len(numbers) {
		if j == len(numbers) || (i < len(emails) && emails[i].first < numbers[j].first) {
			out = append(out, emails[i])
			i++
		} else {
			out = append(out, numbers[j])
			j++
		}
	}
	return out
}
