package monitor

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

var fuzzSeeds = []string{
	"дизайнер", "ищу + дизайнер", `"1с"`, "фигм*", "landing page", "контент-план", `"ui/ux" + a`,
	"a ++ b", "*", "foo bar*", `"`, `""`, "!!!", "a+b+c+d+e+f", `ищу "1с"`, "ＳＭＭ", "за\u0301мок*",
	"\xff\xfe", strings.Repeat("я", 101),
}

func FuzzParseRule(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		r, err := ParseRule(in)
		r2, err2 := ParseRule(in)
		if (err == nil) != (err2 == nil) || r.Text != r2.Text || len(r.Parts) != len(r2.Parts) {
			t.Fatalf("not deterministic: %v %v", err, err2)
		}
		if err != nil {
			var re *RuleError
			if !errors.As(err, &re) || re.Code == "" || re.Error() == "" {
				t.Fatalf("error %v is not a *RuleError with a code", err)
			}
			return
		}
		if r.Text != strings.TrimSpace(in) || r.Text == "" || utf8.RuneCountInString(r.Text) > MaxRuleLen {
			t.Fatalf("Text %q for input %q", r.Text, in)
		}
		if len(r.Parts) == 0 || len(r.Parts) > MaxRuleParts {
			t.Fatalf("%d parts", len(r.Parts))
		}
		for _, p := range r.Parts {
			if len(p.Words) == 0 || (p.Kind == PartPrefix && len(p.Words) != 1) ||
				(p.Kind == PartStem && len(p.Stems) != len(p.Words)) {
				t.Fatalf("bad part %+v", p)
			}
			for _, w := range p.Words {
				if w == "" {
					t.Fatalf("empty word in %+v", p)
				}
			}
		}
		// Every valid rule compiles and matches a message made of its own
		// normalized words, since messages and rules share normalization.
		// The spec's order (NFKC, then lower-case) is not idempotent for
		// the few capitals with no precomposed form whose lower-case has
		// one ("Y" + ring above -> "y" + ring, which NFKC turns into "ẙ"),
		// so words that normalize again to something else are skipped.
		for _, p := range r.Parts {
			for _, w := range p.Words {
				if again := Analyze(w).Words(); len(again) != 1 || again[0] != w {
					return
				}
			}
		}
		m, err := Compile([]string{in}, nil)
		if err != nil {
			t.Fatalf("Compile of a valid rule: %v", err)
		}
		var text []string
		for _, p := range r.Parts {
			text = append(text, strings.Join(p.Words, " "))
		}
		if res := m.Match(strings.Join(text, " . ")); !res.Match {
			t.Fatalf("rule %q does not match its own words %q", in, text)
		}
	})
}

func FuzzMatch(f *testing.F) {
	f.Add("Нужен дизайнер логотипа, ＳＭＭ и 1С 🙂", "дизайнер\nлоготип*\n\"1с\"\nsmm + нужен", "резюме")
	f.Add("Looking\nfor a freelance WordPress dev", "looking for + freelanc*\nwordpress", `"for free"`)
	f.Add("a\u0301b уче\u0308т ＡＢ", "ab\nучет\n\"a b\"", "x*")
	f.Fuzz(func(t *testing.T, text, kwIn, stopIn string) {
		var kws, stops []string
		for _, s := range strings.Split(kwIn, "\n") {
			if _, err := ParseRule(s); err == nil {
				kws = append(kws, s)
			}
		}
		for _, s := range strings.Split(stopIn, "\n") {
			if _, err := ParseRule(s); err == nil {
				stops = append(stops, s)
			}
		}
		m, err := Compile(kws, stops)
		if err != nil {
			t.Fatalf("Compile: %v", err)
		}
		got := m.Match(text)
		if again := m.Match(text); !equalResult(got, again) {
			t.Fatalf("not deterministic: %+v then %+v", got, again)
		}
		if doc := m.MatchDoc(Analyze(text)); !equalResult(got, doc) {
			t.Fatalf("Match %+v != MatchDoc %+v", got, doc)
		}
		n, err := newNaive(kws, stops)
		if err != nil {
			t.Fatal(err)
		}
		if want := n.oracle(text); !equalResult(got, want) {
			t.Fatalf("Match %+v; naive %+v", got, want)
		}
		for _, sp := range m.Spans(text) {
			if sp[0] < 0 || sp[0] >= sp[1] || sp[1] > len(text) {
				t.Fatalf("span %v out of range for %d bytes", sp, len(text))
			}
		}
	})
}
