package bot

import (
	"fmt"
	"strings"
)

// Languages the bot speaks. The first is the default for owners who have not
// chosen yet and for Telegram language codes we do not have.
var languages = []string{"en", "ru"}

// plural holds the forms of a countable phrase. English uses One and Many;
// Russian uses all three (1 правило, 2 правила, 5 правил). Each form is a
// fmt format whose first verb is the count.
type plural struct{ One, Few, Many string }

// pluralForm returns the CLDR cardinal category for n in lang, folded to the
// three forms the catalogs carry.
func pluralForm(lang string, n int) int {
	if n < 0 {
		n = -n
	}
	if lang == "ru" {
		switch m10, m100 := n%10, n%100; {
		case m10 == 1 && m100 != 11:
			return 0
		case m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14):
			return 1
		default:
			return 2
		}
	}
	if n == 1 {
		return 0
	}
	return 2
}

// N formats the plural phrase for n; extra args follow the count.
func (p plural) N(lang string, n int, args ...any) string {
	f := p.Many
	switch pluralForm(lang, n) {
	case 0:
		f = p.One
	case 1:
		f = p.Few
	}
	if f == "" {
		f = p.Many
	}
	return fmt.Sprintf(f, append([]any{n}, args...)...)
}

// tr returns the catalog for lang, falling back to English.
func tr(lang string) *texts {
	if lang == "ru" {
		return &ruTexts
	}
	return &enTexts
}

// langFromTelegram maps a Telegram language_code to one we speak, used only to
// pre-select the language screen's wording before the owner chooses.
func langFromTelegram(code string) string {
	code = strings.ToLower(code)
	for _, l := range []string{"ru", "uk", "be", "kk"} {
		if strings.HasPrefix(code, l) {
			return "ru"
		}
	}
	return "en"
}

func validLang(l string) bool {
	for _, x := range languages {
		if x == l {
			return true
		}
	}
	return false
}

// lang is the language code of catalog t.
func (t *texts) lang() string {
	if t == &ruTexts {
		return "ru"
	}
	return "en"
}
