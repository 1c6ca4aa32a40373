// Package complaintscan finds customer messages that look like complaints:
// the words people use when they complain or threaten to go to a regulator,
// the media or a court (投诉, 12315, 12378, 曝光, 律师, 起诉, "complain",
// "regulator", "lawyer"), in Simplified and Traditional Chinese and English,
// skipping a term the writer negates ("不是投诉", "not a complaint"). It only
// suggests: an agent confirms or dismisses. Pure and safe on any input.
package complaintscan

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sources a finding hints at, the complaint sources of the desk.
const (
	SourceCustomer  = "customer"
	SourceRegulator = "regulator"
	SourceSocial    = "social"
)

// MaxScanBytes bounds the text looked at; a message is at most 64 KiB and
// what matters is near its start, so longer text is cut (at a rune).
const MaxScanBytes = 16 << 10

// Finding is what a message showed: the terms found (as written in the
// list below, Simplified for Chinese) and the source they hint at
// (regulator over social over customer).
type Finding struct {
	Terms  []string
	Source string
}

// Suspected reports whether anything was found.
func (f Finding) Suspected() bool { return len(f.Terms) > 0 }

type term struct {
	forms  []string // as they appear; Traditional forms beside Simplified
	name   string
	source string
	// digits: a number that must stand alone (not inside a longer number,
	// such as an order number containing 12315).
	digits bool
	// word: an English word start that must begin at a word boundary.
	word bool
}

var terms = []term{
	{forms: []string{"投诉", "投訴"}, name: "投诉", source: SourceCustomer},
	{forms: []string{"12315"}, name: "12315", source: SourceRegulator, digits: true},
	{forms: []string{"12378"}, name: "12378", source: SourceRegulator, digits: true},
	{forms: []string{"消协", "消協", "消费者协会", "消費者協會", "消委会", "消委會"}, name: "消协", source: SourceRegulator},
	{forms: []string{"监管", "監管", "银保监", "銀保監", "金管局", "金融监督", "金融監督"}, name: "监管", source: SourceRegulator},
	{forms: []string{"曝光"}, name: "曝光", source: SourceSocial},
	{forms: []string{"媒体", "媒體", "记者", "記者", "微博", "黑猫投诉", "黑貓投訴"}, name: "媒体", source: SourceSocial},
	{forms: []string{"律师", "律師"}, name: "律师", source: SourceCustomer},
	{forms: []string{"起诉", "起訴", "告你们", "告你們", "法院"}, name: "起诉", source: SourceCustomer},
	{forms: []string{"complain"}, name: "complain", source: SourceCustomer, word: true},
	{forms: []string{"regulator", "ombudsman", "consumer council", "consumer association"}, name: "regulator", source: SourceRegulator, word: true},
	{forms: []string{"lawyer", "attorney", "solicitor", "lawsuit", "legal action", "sue you", "take you to court"}, name: "lawyer", source: SourceCustomer, word: true},
	{forms: []string{"journalist", "the press", "the media", "social media"}, name: "media", source: SourceSocial, word: true},
}

// Chinese negations that, within a few characters before a term and in
// the same clause, mean the writer is not complaining ("不是投诉",
// "没有要投诉", "無意投訴", "别误会不是要起诉").
const cnNegations = "不没沒无無非别別未"

// English words that negate a term within the three words before it.
var enNegations = map[string]bool{"not": true, "no": true, "never": true, "don't": true, "dont": true,
	"isn't": true, "isnt": true, "won't": true, "wont": true, "without": true, "nothing": true,
	"didn't": true, "didnt": true, "doesn't": true, "doesnt": true, "wasn't": true, "aren't": true}

// Scan looks at text and says which complaint terms it holds outside a
// negation.
func Scan(text string) Finding {
	if len(text) > MaxScanBytes {
		cut := MaxScanBytes
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	lower := strings.ToLower(strings.ReplaceAll(text, "’", "'"))
	var f Finding
	rank := map[string]int{"": 0, SourceCustomer: 1, SourceSocial: 2, SourceRegulator: 3}
	for _, t := range terms {
		if !t.found(lower) {
			continue
		}
		f.Terms = append(f.Terms, t.name)
		if rank[t.source] > rank[f.Source] {
			f.Source = t.source
		}
	}
	return f
}

// found reports an occurrence of one of t's forms that is not negated.
func (t term) found(s string) bool {
	for _, form := range t.forms {
		for from := 0; from < len(s); {
			i := strings.Index(s[from:], form)
			if i < 0 {
				break
			}
			at, end := from+i, from+i+len(form)
			from = end
			if t.digits && (digitBefore(s, at) || digitAfter(s, end)) {
				continue
			}
			if t.word && letterBefore(s, at) {
				continue
			}
			if t.word && englishNegated(s[:at]) || !t.word && chineseNegated(s[:at]) {
				continue
			}
			return true
		}
	}
	return false
}

func digitBefore(s string, at int) bool {
	r, _ := utf8.DecodeLastRuneInString(s[:at])
	return at > 0 && unicode.IsDigit(r)
}

func digitAfter(s string, end int) bool {
	r, _ := utf8.DecodeRuneInString(s[end:])
	return end < len(s) && unicode.IsDigit(r)
}

func letterBefore(s string, at int) bool {
	r, _ := utf8.DecodeLastRuneInString(s[:at])
	return at > 0 && unicode.IsLetter(r)
}

// clauseEnd is where a negation stops reaching: punctuation, a line end.
func clauseEnd(r rune) bool {
	return unicode.IsPunct(r) || r == '\n' || r == '\r' || unicode.IsSymbol(r)
}

// chineseNegated looks at up to three runes before a term, within its
// clause, for a negation: "不是投诉" and "没有要投诉" are negated, "再不解决
// 我就投诉" (four runes away) is not.
func chineseNegated(before string) bool {
	for n := 0; n < 3 && before != ""; n++ {
		r, size := utf8.DecodeLastRuneInString(before)
		if clauseEnd(r) {
			return false
		}
		if strings.ContainsRune(cnNegations, r) {
			return true
		}
		before = before[:len(before)-size]
	}
	return false
}

// englishNegated looks at up to three words before a term, within its
// clause: "not a complaint", "I'm not complaining", "no complaints" are
// negated, "if this is not fixed I will complain" is not.
func englishNegated(before string) bool {
	words := 0
	end := len(before)
	for end > 0 && words < 3 {
		r, size := utf8.DecodeLastRuneInString(before[:end])
		switch {
		case unicode.IsSpace(r):
			end -= size
			continue
		case r != '\'' && clauseEnd(r):
			return false
		}
		start := end
		for start > 0 {
			r, size := utf8.DecodeLastRuneInString(before[:start])
			if !(unicode.IsLetter(r) || r == '\'') {
				break
			}
			start -= size
		}
		if start == end {
			// A digit or a character of another script: counts as a word.
			_, size := utf8.DecodeLastRuneInString(before[:end])
			start = end - size
		}
		if enNegations[before[start:end]] || strings.HasSuffix(before[start:end], "n't") {
			return true
		}
		words++
		end = start
	}
	return false
}
