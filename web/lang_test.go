package web

import (
	"net/http/httptest"
	"strings"
	"testing"
)

func TestAcceptLanguage(t *testing.T) {
	tests := []struct {
		name   string
		header string
		want   lang
	}{
		{name: "empty", header: "", want: langEN},
		{name: "ru", header: "ru", want: langRU},
		{name: "ru-RU", header: "ru-RU", want: langRU},
		{name: "upper case", header: "RU-ru", want: langRU},
		{name: "en-US", header: "en-US", want: langEN},
		{name: "browser default ru", header: "ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7", want: langRU},
		{name: "browser default en", header: "en-US,en;q=0.9,ru;q=0.8", want: langEN},
		{name: "q prefers ru", header: "en;q=0.5, ru;q=0.9", want: langRU},
		{name: "q prefers en", header: "ru;q=0.5, en;q=0.9", want: langEN},
		{name: "q fractions compared numerically", header: "en;q=0.25, ru;q=0.3", want: langRU},
		{name: "implicit q=1 beats 0.999", header: "en;q=0.999, ru", want: langRU},
		{name: "tie goes to the first", header: "ru;q=0.8, en;q=0.8", want: langRU},
		{name: "q=0 means not acceptable", header: "ru;q=0", want: langEN},
		{name: "q=0.000 means not acceptable", header: "ru;q=0.000, en;q=0.1", want: langEN},
		{name: "malformed q ignored", header: "ru;q=high, en;q=0.1", want: langEN},
		{name: "q above 1 ignored", header: "ru;q=1.5, en;q=0.1", want: langEN},
		{name: "too many decimals ignored", header: "ru;q=0.1234, en;q=0.1", want: langEN},
		{name: "negative q ignored", header: "ru;q=-1, en;q=0.1", want: langEN},
		{name: "q with spaces and upper Q", header: "en ; Q = 0.2 , ru ; q = 0.4", want: langRU},
		{name: "trailing dot is a valid qvalue", header: "en;q=0., ru;q=1.", want: langRU},
		{name: "other params ignored", header: "ru;level=1;q=0.9, en;q=0.5", want: langRU},
		{name: "unsupported first, ru accepted", header: "de-DE, de;q=0.9, ru;q=0.5", want: langRU},
		{name: "unsupported only", header: "de, fr;q=0.5", want: langEN},
		{name: "ukrainian is not russian", header: "uk-UA, uk;q=0.9", want: langEN},
		{name: "belarusian is not russian", header: "be", want: langEN},
		{name: "prefix is not a subtag", header: "rue, rus", want: langEN},
		{name: "wildcard beats lower ru", header: "*, ru;q=0.5", want: langEN},
		{name: "ru beats wildcard", header: "ru, *;q=0.1", want: langRU},
		{name: "garbage", header: ";;,,;q=,=,", want: langEN},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := acceptLanguage(tt.header); got != tt.want {
				t.Errorf("acceptLanguage(%q) = %q; want %q", tt.header, got, tt.want)
			}
		})
	}
}

func TestNegotiate(t *testing.T) {
	tests := []struct {
		name   string
		target string
		accept []string
		want   lang
	}{
		{name: "query ru", target: "/privacy?lang=ru", want: langRU},
		{name: "query en beats header", target: "/privacy?lang=en", accept: []string{"ru"}, want: langEN},
		{name: "query ru beats header", target: "/privacy?lang=ru", accept: []string{"en"}, want: langRU},
		{name: "query in upper case", target: "/privacy?lang=RU", want: langRU},
		{name: "unknown query falls back to header", target: "/privacy?lang=de", accept: []string{"ru"}, want: langRU},
		{name: "empty query falls back to header", target: "/privacy?lang=", accept: []string{"ru-RU"}, want: langRU},
		{name: "two header lines are one list", target: "/privacy", accept: []string{"en;q=0.5", "ru;q=0.9"}, want: langRU},
		{name: "nothing", target: "/privacy", want: langEN},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", tt.target, nil)
			for _, v := range tt.accept {
				r.Header.Add("Accept-Language", v)
			}
			if got := negotiate(r); got != tt.want {
				t.Errorf("negotiate(%s, %q) = %q; want %q", tt.target, tt.accept, got, tt.want)
			}
		})
	}
}

// FuzzAcceptLanguage feeds arbitrary headers: the parser must not panic,
// must answer a supported language, and can only pick Russian when the
// header names it.
func FuzzAcceptLanguage(f *testing.F) {
	for _, seed := range []string{"", "ru", "en;q=0.5, ru;q=0.9", "ru;q=0", "*;q=0.1", "uk-UA,uk;q=0.9,ru;q=0.8", "ru;q=1.;;q=0.", ",,;=;"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, h string) {
		got := acceptLanguage(h)
		if got != langEN && got != langRU {
			t.Fatalf("acceptLanguage(%q) = %q; want en or ru", h, got)
		}
		if got == langRU && !strings.Contains(strings.ToLower(h), "ru") {
			t.Fatalf("acceptLanguage(%q) = ru, but the header does not name ru", h)
		}
	})
}
