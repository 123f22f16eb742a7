package monitor

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// naiveMatcher is the straightforward implementation of the spec: it checks
// every rule against the message on its own, normalizing, splitting and
// stemming the message again for each rule, with no stem cache and no index.
// It is the baseline of the benchmarks and, being simple enough to check
// by eye, the oracle of the differential tests.
type naiveMatcher struct {
	keywords, stops []Rule
}

func newNaive(keywords, stops []string) (*naiveMatcher, error) {
	n := &naiveMatcher{}
	for _, t := range keywords {
		r, err := ParseRule(t)
		if err != nil {
			return nil, err
		}
		n.keywords = append(n.keywords, r)
	}
	for _, t := range stops {
		r, err := ParseRule(t)
		if err != nil {
			return nil, err
		}
		n.stops = append(n.stops, r)
	}
	return n, nil
}

// match is the baseline: the message is re-normalized and re-stemmed for
// every rule, as a rule-at-a-time implementation would.
func (n *naiveMatcher) match(text string) Result {
	return n.run(func() ([]string, []string) { return naiveWords(text) })
}

// oracle gives the same answers as match with the message analyzed once;
// the differential tests use it because it is fast enough under -race.
func (n *naiveMatcher) oracle(text string) Result {
	words, stems := naiveWords(text)
	return n.run(func() ([]string, []string) { return words, stems })
}

func (n *naiveMatcher) run(analyze func() (words, stems []string)) Result {
	res := Result{Keywords: []string{}}
	for _, r := range n.keywords {
		if naiveRuleMatches(r, analyze) {
			res.Keywords = append(res.Keywords, r.Text)
		}
	}
	for _, r := range n.stops {
		if naiveRuleMatches(r, analyze) {
			res.StoppedBy = r.Text
			break
		}
	}
	res.Match = len(res.Keywords) > 0 && res.StoppedBy == ""
	return res
}

func naiveRuleMatches(r Rule, analyze func() (words, stems []string)) bool {
	words, stems := analyze()
	for _, p := range r.Parts {
		ok := false
		switch p.Kind {
		case PartStem:
			ok = containsSeq(stems, p.Stems)
		case PartExact:
			ok = containsSeq(words, p.Words)
		case PartPrefix:
			ok = slices.ContainsFunc(words, func(w string) bool { return strings.HasPrefix(w, p.Words[0]) })
		}
		if !ok {
			return false
		}
	}
	return true
}

func containsSeq(words, seq []string) bool {
	for i := 0; i+len(seq) <= len(words); i++ {
		if slices.Equal(words[i:i+len(seq)], seq) {
			return true
		}
	}
	return false
}

// naiveWords follows the spec step by step on whole strings.
func naiveWords(text string) (words, stems []string) {
	t := strings.ToLower(norm.NFKC.String(text))
	t = strings.ReplaceAll(t, "ё", "е")
	var cur []rune
	flush := func() {
		if len(cur) == 0 {
			return
		}
		w := string(cur)
		var flags uint8
		for _, r := range cur {
			if unicode.IsLetter(r) && unicode.Is(unicode.Cyrillic, r) {
				flags |= hasCyrillic
			} else if unicode.IsLetter(r) && unicode.Is(unicode.Latin, r) {
				flags |= hasLatin
			}
		}
		words = append(words, w)
		stems = append(stems, stemWord(w, flags))
		cur = cur[:0]
	}
	for _, r := range t {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || (len(cur) > 0 && unicode.IsMark(r)) {
			cur = append(cur, r)
		} else {
			flush()
		}
	}
	flush()
	return words, stems
}
