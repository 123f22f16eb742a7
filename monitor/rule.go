package monitor

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// MaxRuleLen is the longest rule, in runes, that ParseRule accepts.
const MaxRuleLen = 100

// MaxRuleParts is the largest number of "+"-joined parts in one rule.
const MaxRuleParts = 5

// RuleErrorCode says why a rule was rejected. The bot translates codes into
// sentences for the owner, so each code names one thing the owner can fix.
type RuleErrorCode string

// Rule error codes.
const (
	ErrRuleEmpty        RuleErrorCode = "empty"            // nothing but spaces
	ErrRuleTooLong      RuleErrorCode = "too_long"         // more than MaxRuleLen runes
	ErrRuleUnbalanced   RuleErrorCode = "unbalanced_quote" // odd number of double quotes
	ErrRuleEmptyPart    RuleErrorCode = "empty_part"       // "a + ", "+ b", "a ++ b"
	ErrRulePrefixWords  RuleErrorCode = "prefix_words"     // "foo bar*", "*", "a*b", "foo *"
	ErrRuleNoWords      RuleErrorCode = "no_words"         // "!!!", `""`: no letters or digits
	ErrRuleTooManyParts RuleErrorCode = "too_many_parts"   // more than MaxRuleParts parts
	// ErrRuleQuotePlace: quotes must enclose a whole part, as in `"1с" + ИП`;
	// `a "b c"` and `"foo"*` are rejected rather than guessed at.
	ErrRuleQuotePlace RuleErrorCode = "quote_placement"
)

// RuleError is the error ParseRule returns.
type RuleError struct {
	Rule string // the rule as given, trimmed
	Code RuleErrorCode
}

func (e *RuleError) Error() string {
	var why string
	switch e.Code {
	case ErrRuleEmpty:
		why = "is empty"
	case ErrRuleTooLong:
		why = fmt.Sprintf("is longer than %d characters", MaxRuleLen)
	case ErrRuleUnbalanced:
		why = "has an unclosed double quote"
	case ErrRuleEmptyPart:
		why = `has an empty part around "+"`
	case ErrRulePrefixWords:
		why = `has "*" that does not end a single word`
	case ErrRuleNoWords:
		why = "has no letters or digits"
	case ErrRuleTooManyParts:
		why = fmt.Sprintf("has more than %d parts", MaxRuleParts)
	case ErrRuleQuotePlace:
		why = "has quotes that do not enclose a whole part"
	default:
		why = string(e.Code)
	}
	return fmt.Sprintf("rule %q %s", e.Rule, why)
}

// PartKind is the form of one part of a rule.
type PartKind uint8

// Part kinds.
const (
	// PartStem: one word or an unquoted phrase; words are compared by stem.
	PartStem PartKind = iota + 1
	// PartExact: a quoted word or phrase; words are compared as normalized.
	PartExact
	// PartPrefix: a single word ending in "*"; some message word starts with it.
	PartPrefix
)

// Part is one "+"-separated part of a rule.
type Part struct {
	Kind PartKind
	// Words are the normalized words of the part: one for PartPrefix (the
	// prefix), one or more otherwise.
	Words []string
	// Stems are the stems of Words; set for PartStem only.
	Stems []string
}

// Rule is a parsed keyword or stop rule.
type Rule struct {
	Text  string // as written, trimmed; this is what results report
	Parts []Part // at least one, at most MaxRuleParts
}

// ParseRule parses one rule. The error, if any, is a *RuleError.
func ParseRule(text string) (Rule, error) {
	text = strings.TrimSpace(text)
	fail := func(code RuleErrorCode) (Rule, error) {
		return Rule{}, &RuleError{Rule: text, Code: code}
	}
	if text == "" {
		return fail(ErrRuleEmpty)
	}
	if utf8.RuneCountInString(text) > MaxRuleLen {
		return fail(ErrRuleTooLong)
	}
	if strings.Count(text, `"`)%2 != 0 {
		return fail(ErrRuleUnbalanced)
	}
	raw := splitOutsideQuotes(text, '+')
	if len(raw) > MaxRuleParts {
		return fail(ErrRuleTooManyParts)
	}
	r := Rule{Text: text, Parts: make([]Part, 0, len(raw))}
	for _, s := range raw {
		p, code := parsePart(strings.TrimSpace(s))
		if code != "" {
			return fail(code)
		}
		r.Parts = append(r.Parts, p)
	}
	return r, nil
}

func parsePart(s string) (Part, RuleErrorCode) {
	if s == "" {
		return Part{}, ErrRuleEmptyPart
	}
	if strings.Contains(s, `"`) {
		inner, ok := strings.CutPrefix(s, `"`)
		if ok {
			inner, ok = strings.CutSuffix(inner, `"`)
		}
		if !ok || strings.Contains(inner, `"`) {
			return Part{}, ErrRuleQuotePlace
		}
		words, _ := normalizeWords(inner)
		if len(words) == 0 {
			return Part{}, ErrRuleNoWords
		}
		return Part{Kind: PartExact, Words: words}, ""
	}
	if strings.Contains(s, "*") {
		body, ok := strings.CutSuffix(s, "*")
		if !ok || strings.Contains(body, "*") {
			return Part{}, ErrRulePrefixWords
		}
		words, _ := normalizeWords(body)
		if len(words) != 1 || !endsInWord(body) {
			return Part{}, ErrRulePrefixWords
		}
		return Part{Kind: PartPrefix, Words: words}, ""
	}
	words, stems := normalizeWords(s)
	if len(words) == 0 {
		return Part{}, ErrRuleNoWords
	}
	return Part{Kind: PartStem, Words: words, Stems: stems}, ""
}

// endsInWord reports whether s ends with a letter or digit (after
// normalization), so that "foo*" is a prefix but "foo *" and "foo-*" are not.
func endsInWord(s string) bool {
	d := &Doc{}
	d.scan(s, nil)
	return len(d.spans) > 0 && d.spans[len(d.spans)-1][1] == len(s)
}

// splitOutsideQuotes splits s at sep, except where sep is between double
// quotes. Parts are returned untrimmed.
func splitOutsideQuotes(s string, sep byte) []string {
	var out []string
	quoted := false
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			quoted = !quoted
		case sep:
			if !quoted {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

// quoteReplacer turns the quotes phone keyboards substitute for '"'
// (iOS smart punctuation gives “ ” in English and « » in Russian) into '"'.
var quoteReplacer = strings.NewReplacer("“", `"`, "”", `"`, "„", `"`, "«", `"`, "»", `"`)

// SplitRuleInput splits an owner's free-text input into candidate rules:
// one per line, and a comma also separates rules except inside double
// quotes. Typographic quotes (“ ” „ « ») are read as '"', because that is
// what phone keyboards type for it. Candidates are trimmed; blanks dropped.
// Nothing is validated: pass each candidate to ParseRule.
func SplitRuleInput(s string) []string {
	s = quoteReplacer.Replace(s)
	var out []string
	for line := range strings.Lines(s) {
		for _, c := range splitOutsideQuotes(line, ',') {
			if c = strings.TrimSpace(c); c != "" {
				out = append(out, c)
			}
		}
	}
	return out
}

// ReadRuleFile reads a rule file: one rule per line, surrounding whitespace
// trimmed, blank lines and lines starting with '#' skipped, a UTF-8 byte
// order mark at the start ignored. Rules are returned unparsed, in order.
func ReadRuleFile(r io.Reader) ([]string, error) {
	br := bufio.NewReader(r)
	var rules []string
	for first := true; ; first = false {
		line, err := br.ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("read rules: %w", err)
		}
		if first {
			line = strings.TrimPrefix(line, "\uFEFF")
		}
		if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "#") {
			rules = append(rules, t)
		}
		if err != nil {
			return rules, nil
		}
	}
}
