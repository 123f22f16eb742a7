package bot

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/leadgenrunner/leadgenrunner/monitor"
)

// TestCatalogsComplete fails when a text is missing in a language, or when
// the two languages disagree on the fmt verbs a format takes.
func TestCatalogsComplete(t *testing.T) {
	checkCatalog(t, enTexts, ruTexts)
	checkCatalog(t, enAccount, ruAccount)
}

func checkCatalog(t *testing.T, enCat, ruCat any) {
	t.Helper()
	en, ru := reflect.ValueOf(enCat), reflect.ValueOf(ruCat)
	typ := en.Type()
	for i := 0; i < typ.NumField(); i++ {
		name := typ.Field(i).Name
		for _, lang := range []struct {
			code string
			v    reflect.Value
		}{{"en", en}, {"ru", ru}} {
			f := lang.v.Field(i)
			switch v := f.Interface().(type) {
			case string:
				if strings.TrimSpace(v) == "" {
					t.Errorf("%s.%s is empty", lang.code, name)
				}
			case plural:
				if v.One == "" || v.Many == "" || (lang.code == "ru" && v.Few == "") {
					t.Errorf("%s.%s has an empty plural form: %+v", lang.code, name, v)
				}
			case map[string]string:
				if len(v) == 0 {
					t.Errorf("%s.%s is empty", lang.code, name)
				}
			}
		}
		if s, ok := en.Field(i).Interface().(string); ok {
			if got, want := verbs(ru.Field(i).String()), verbs(s); got != want {
				t.Errorf("%s: ru verbs %q; en verbs %q", name, got, want)
			}
		}
		if m, ok := en.Field(i).Interface().(map[string]string); ok {
			rm := ru.Field(i).Interface().(map[string]string)
			for k := range m {
				if _, ok := rm[k]; !ok {
					t.Errorf("%s: ru lacks key %q", name, k)
				}
			}
			if len(rm) != len(m) {
				t.Errorf("%s: ru has %d keys; en has %d", name, len(rm), len(m))
			}
		}
	}
}

// verbs returns the fmt verbs of a format, in order.
func verbs(s string) string {
	var b strings.Builder
	for i := 0; i < len(s)-1; i++ {
		if s[i] == '%' {
			if s[i+1] == '%' {
				i++
				continue
			}
			b.WriteByte(s[i+1])
		}
	}
	return b.String()
}

func TestRussianPlurals(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{
		{0, "0 ключевых слов"}, {1, "1 ключевое слово"}, {2, "2 ключевых слова"}, {4, "4 ключевых слова"},
		{5, "5 ключевых слов"}, {11, "11 ключевых слов"}, {12, "12 ключевых слов"}, {14, "14 ключевых слов"},
		{21, "21 ключевое слово"}, {22, "22 ключевых слова"}, {25, "25 ключевых слов"}, {101, "101 ключевое слово"},
		{111, "111 ключевых слов"},
	}
	for _, tt := range tests {
		if got := ruTexts.Rules.N("ru", tt.n); got != tt.want {
			t.Errorf("ru %d: got %q; want %q", tt.n, got, tt.want)
		}
	}
	for n, want := range map[int]string{0: "0 keywords", 1: "1 keyword", 2: "2 keywords", 21: "21 keywords"} {
		if got := enTexts.Rules.N("en", n); got != want {
			t.Errorf("en %d: got %q; want %q", n, got, want)
		}
	}
}

// TestEveryRuleErrorTranslated feeds one invalid rule per monitor error code
// through the catalogs: each must have its own translated reason.
func TestEveryRuleErrorTranslated(t *testing.T) {
	for _, rule := range []string{"", strings.Repeat("a", 101), `"open`, "a + ", "foo bar*", "!!!", "a+b+c+d+e+f", `ищу "1с"`} {
		_, err := monitor.ParseRule(rule)
		var re *monitor.RuleError
		if !errors.As(err, &re) {
			t.Fatalf("ParseRule(%q) = %v; want a *RuleError", rule, err)
		}
		for _, lang := range languages {
			if _, ok := tr(lang).RuleErr[string(re.Code)]; !ok {
				t.Errorf("%s: no translation for rule error %q (rule %q)", lang, re.Code, rule)
			}
		}
	}
}
