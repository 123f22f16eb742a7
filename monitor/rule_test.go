package monitor

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestParseRule(t *testing.T) {
	type part struct {
		kind  PartKind
		words []string
	}
	tests := []struct {
		name  string
		in    string
		text  string
		parts []part
	}{
		{"word", "дизайнер", "дизайнер", []part{{PartStem, []string{"дизайнер"}}}},
		{"trimmed, case folded", "  Дизайнер \t", "Дизайнер", []part{{PartStem, []string{"дизайнер"}}}},
		{"phrase", "landing page", "landing page", []part{{PartStem, []string{"landing", "page"}}}},
		{"hyphen makes a phrase", "контент-план", "контент-план", []part{{PartStem, []string{"контент", "план"}}}},
		{"digits and letters", "3-НДФЛ", "3-НДФЛ", []part{{PartStem, []string{"3", "ндфл"}}}},
		{"ё folds to е", "учёт", "учёт", []part{{PartStem, []string{"учет"}}}},
		{"fullwidth folds", "ＳＭＭ", "ＳＭＭ", []part{{PartStem, []string{"smm"}}}},
		{"hashtag is a word", "#дизайн", "#дизайн", []part{{PartStem, []string{"дизайн"}}}},
		{"exact", `"1с"`, `"1с"`, []part{{PartExact, []string{"1с"}}}},
		{"exact phrase", `"в штат"`, `"в штат"`, []part{{PartExact, []string{"в", "штат"}}}},
		{"exact with separators", `"ui/ux"`, `"ui/ux"`, []part{{PartExact, []string{"ui", "ux"}}}},
		{"plus inside quotes", `"c+ +"`, `"c+ +"`, []part{{PartExact, []string{"c"}}}},
		{"star inside quotes is a separator", `"a*b"`, `"a*b"`, []part{{PartExact, []string{"a", "b"}}}},
		{"prefix", "разработ*", "разработ*", []part{{PartPrefix, []string{"разработ"}}}},
		{"prefix folded", "ФИГМ*", "ФИГМ*", []part{{PartPrefix, []string{"фигм"}}}},
		{"prefix after a symbol", "#фигм*", "#фигм*", []part{{PartPrefix, []string{"фигм"}}}},
		{"and", "ищу + дизайнер", "ищу + дизайнер", []part{{PartStem, []string{"ищу"}}, {PartStem, []string{"дизайнер"}}}},
		{"and without spaces", "ищу+дизайнер", "ищу+дизайнер", []part{{PartStem, []string{"ищу"}}, {PartStem, []string{"дизайнер"}}}},
		{"and of every form", `looking for + freelanc* + "1с" + a b + c`, `looking for + freelanc* + "1с" + a b + c`, []part{
			{PartStem, []string{"looking", "for"}}, {PartPrefix, []string{"freelanc"}}, {PartExact, []string{"1с"}},
			{PartStem, []string{"a", "b"}}, {PartStem, []string{"c"}},
		}},
		{"exactly MaxRuleLen runes", strings.Repeat("я", MaxRuleLen), strings.Repeat("я", MaxRuleLen), []part{{PartStem, []string{strings.Repeat("я", MaxRuleLen)}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ParseRule(tt.in)
			if err != nil {
				t.Fatalf("ParseRule(%q): %v", tt.in, err)
			}
			if r.Text != tt.text {
				t.Errorf("Text = %q; want %q", r.Text, tt.text)
			}
			if len(r.Parts) != len(tt.parts) {
				t.Fatalf("got %d parts; want %d: %+v", len(r.Parts), len(tt.parts), r.Parts)
			}
			for i, p := range r.Parts {
				if p.Kind != tt.parts[i].kind || !slices.Equal(p.Words, tt.parts[i].words) {
					t.Errorf("part %d = %v %q; want %v %q", i, p.Kind, p.Words, tt.parts[i].kind, tt.parts[i].words)
				}
				if (p.Kind == PartStem) != (len(p.Stems) == len(p.Words)) {
					t.Errorf("part %d: %d stems for %d words of kind %v", i, len(p.Stems), len(p.Words), p.Kind)
				}
			}
		})
	}
}

func TestParseRuleStems(t *testing.T) {
	r, err := ParseRule("Нужен + инстаграм + developers")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range r.Parts {
		got = append(got, p.Stems...)
	}
	if want := []string{"нуж", "инстагр", "develop"}; !slices.Equal(got, want) {
		t.Errorf("stems %q; want %q", got, want)
	}
}

func TestParseRuleErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		code RuleErrorCode
	}{
		{"empty", "", ErrRuleEmpty},
		{"spaces", " \t\n ", ErrRuleEmpty},
		{"too long", strings.Repeat("я", MaxRuleLen+1), ErrRuleTooLong},
		{"too long counts runes after trimming", "  " + strings.Repeat("ab", 51) + "  ", ErrRuleTooLong},
		{"unbalanced", `"1с`, ErrRuleUnbalanced},
		{"unbalanced three", `"a" "b`, ErrRuleUnbalanced},
		{"trailing plus", "a + ", ErrRuleEmptyPart},
		{"leading plus", "+ b", ErrRuleEmptyPart},
		{"double plus", "a ++ b", ErrRuleEmptyPart},
		{"plus alone", "+", ErrRuleEmptyPart},
		{"prefix of two words", "foo bar*", ErrRulePrefixWords},
		{"star alone", "*", ErrRulePrefixWords},
		{"star inside", "a*b", ErrRulePrefixWords},
		{"two stars", "foo**", ErrRulePrefixWords},
		{"detached star", "foo *", ErrRulePrefixWords},
		{"star after hyphen", "foo-*", ErrRulePrefixWords},
		{"hyphenated prefix", "web-dev*", ErrRulePrefixWords},
		{"no words", "!!!", ErrRuleNoWords},
		{"empty quotes", `""`, ErrRuleNoWords},
		{"quotes around symbols", `"—"`, ErrRuleNoWords},
		{"no words in a part", "дизайнер + ???", ErrRuleNoWords},
		{"too many parts", "a+b+c+d+e+f", ErrRuleTooManyParts},
		{"quote inside a part", `ищу "1с"`, ErrRuleQuotePlace},
		{"quoted prefix", `"foo"*`, ErrRuleQuotePlace},
		{"two quoted phrases in a part", `"a" "b"`, ErrRuleQuotePlace},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseRule(tt.in)
			var re *RuleError
			if !errors.As(err, &re) {
				t.Fatalf("ParseRule(%q) error = %v; want a *RuleError", tt.in, err)
			}
			if re.Code != tt.code {
				t.Errorf("ParseRule(%q) code = %q; want %q", tt.in, re.Code, tt.code)
			}
			if re.Rule != strings.TrimSpace(tt.in) {
				t.Errorf("Rule = %q; want %q", re.Rule, strings.TrimSpace(tt.in))
			}
			if msg := re.Error(); !strings.Contains(msg, fmt.Sprintf("%q", re.Rule)) {
				t.Errorf("Error() = %q; want it to name the rule", msg)
			}
		})
	}
}

func TestSplitRuleInput(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"lines", "дизайнер\nлоготип\n", []string{"дизайнер", "логотип"}},
		{"commas", "дизайнер, логотип,брендбук", []string{"дизайнер", "логотип", "брендбук"}},
		{"comma inside quotes", `"да, нет", ищу + бухгалтер`, []string{`"да, нет"`, "ищу + бухгалтер"}},
		{"blanks dropped", " \n , ,\r\n дизайнер \r\n\n", []string{"дизайнер"}},
		{"CRLF", "a\r\nb", []string{"a", "b"}},
		{"quote state ends with the line", "\"a, b\nc, d", []string{`"a, b`, "c", "d"}},
		{"smart quotes", "“1с”, «в штат»", []string{`"1с"`, `"в штат"`}},
		{"nothing", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SplitRuleInput(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("SplitRuleInput(%q) = %q; want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestReadRuleFile(t *testing.T) {
	in := "\uFEFF# comment\n" +
		"дизайнер\r\n" +
		"\n" +
		"   \n" +
		"  логотип  \n" +
		"  # indented comment\n" +
		"ИП + УСН\n" +
		"\"1с\"" // no final newline
	got, err := ReadRuleFile(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"дизайнер", "логотип", "ИП + УСН", `"1с"`}
	if !slices.Equal(got, want) {
		t.Errorf("got %q; want %q", got, want)
	}

	// A BOM is only skipped at the start of the file.
	got, err = ReadRuleFile(strings.NewReader("\uFEFFa\n\uFEFFb\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != "a" || got[1] != "\uFEFFb" {
		t.Errorf("got %q; want [a \\ufeffb]", got)
	}

	// Long lines are read whole.
	long := strings.Repeat("x", 200_000)
	got, err = ReadRuleFile(strings.NewReader(long))
	if err != nil || len(got) != 1 || got[0] != long {
		t.Errorf("long line: got %d rules, err %v", len(got), err)
	}
}

func TestReadRuleFileError(t *testing.T) {
	_, err := ReadRuleFile(errReader{})
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("got %v; want the read error", err)
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("boom") }
