package monitor

import (
	"errors"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestMatch(t *testing.T) {
	tests := []struct {
		name     string
		keywords []string
		stops    []string
		text     string
		want     []string // matching keyword rules
		stopped  string
	}{
		// word
		{"stem: genitive", []string{"дизайнер"}, nil, "Ищем дизайнера", []string{"дизайнер"}, ""},
		{"stem: dative caps", []string{"дизайнер"}, nil, "Дизайнеру", []string{"дизайнер"}, ""},
		{"stem: english plural", []string{"developer"}, nil, "developers wanted", []string{"developer"}, ""},
		{"whole words: кот", []string{"кот"}, nil, "котировки растут", nil, ""},
		{"whole words: art in start", []string{"art"}, nil, "start now", nil, ""},
		{"whole words: art in artist", []string{"art"}, nil, "an artist", nil, ""},
		{"stem: art", []string{"art"}, nil, "Art, arts", []string{"art"}, ""},
		{"snowball oddity: нужна is not нужен", []string{"нужен"}, nil, "нужна помощь", nil, ""},
		// phrase
		{"phrase", []string{"landing page"}, nil, "Landing pages for SaaS", []string{"landing page"}, ""},
		{"phrase with hyphen", []string{"landing page"}, nil, "a landing-page", []string{"landing page"}, ""},
		{"phrase reversed", []string{"landing page"}, nil, "page landing", nil, ""},
		{"phrase interrupted", []string{"landing page"}, nil, "landing a page", nil, ""},
		{"phrase across punctuation", []string{"landing page"}, nil, "landing, page", []string{"landing page"}, ""},
		{"phrase across a line break", []string{"looking for"}, nil, "Looking\nfor", []string{"looking for"}, ""},
		{"phrase in a url", []string{"landing page"}, nil, "https://site.com/landing/page", []string{"landing page"}, ""},
		{"phrase at the end", []string{"снять квартиру"}, nil, "хочу снять", nil, ""},
		{"hyphenated rule is a phrase", []string{"контент-план"}, nil, "Контент план на месяц", []string{"контент-план"}, ""},
		{"repeated first word", []string{"a b"}, nil, "a a b", []string{"a b"}, ""},
		// exact
		{"exact ignores case", []string{`"1с"`}, nil, "Знаю 1С", []string{`"1с"`}, ""},
		{"exact is not stemmed", []string{`"сайт"`}, nil, "Делаем сайты", nil, ""},
		{"exact ui/ux", []string{`"ui/ux"`}, nil, "UI/UX, ui-ux, UI UX", []string{`"ui/ux"`}, ""},
		{"exact ui/ux is two words", []string{`"ui/ux"`}, nil, "UIUX", nil, ""},
		{"exact latin C is not cyrillic С", []string{`"1с"`}, nil, "1C:Предприятие", nil, ""},
		{"exact ё", []string{`"учёт"`}, nil, "УЧЕТ", []string{`"учёт"`}, ""},
		{"exact phrase", []string{`"в штат"`}, nil, "не в штат", []string{`"в штат"`}, ""},
		// prefix
		{"prefix", []string{"разработ*"}, nil, "разработчик и разработку", []string{"разработ*"}, ""},
		{"prefix is literal", []string{"hire*"}, nil, "#hiring", nil, ""},
		{"prefix matches the whole word", []string{"hire*"}, nil, "hire", []string{"hire*"}, ""},
		{"prefix latin vs cyrillic", []string{"фигм*"}, nil, "Figma", nil, ""},
		{"nested prefixes", []string{"раз*", "разраб*", "разработка*"}, nil, "разработчик", []string{"раз*", "разраб*"}, ""},
		// and
		{"and in any order", []string{"ищу + дизайнер"}, nil, "дизайнер, ищу", []string{"ищу + дизайнер"}, ""},
		{"and missing a part", []string{"ищу + дизайнер"}, nil, "ищу работу", nil, ""},
		{"and of forms", []string{`looking for + freelanc* + "web app"`}, nil, "Web app: freelancers looking for work", []string{`looking for + freelanc* + "web app"`}, ""},
		{"and with one word twice", []string{"a + a"}, nil, "a", []string{"a + a"}, ""},
		{"no negation", []string{"need + developer"}, nil, "I don't need a developer", []string{"need + developer"}, ""},
		// results
		{"file order", []string{"логотип", "брендбук", "фирменный стиль"}, nil, "Фирменный стиль, брендбук, логотип", []string{"логотип", "брендбук", "фирменный стиль"}, ""},
		{"duplicate rules both reported", []string{"смм", "смм"}, nil, "смм", []string{"смм", "смм"}, ""},
		{"stop", []string{"дизайнер"}, []string{"резюме"}, "дизайнер, вот резюме", []string{"дизайнер"}, "резюме"},
		{"first stop in file order", []string{"x"}, []string{"вакансия", "резюме"}, "резюме и вакансия", nil, "вакансия"},
		{"stop without keyword", []string{"x"}, []string{"обучение"}, "Обучение персонала", nil, "обучение"},
		{"stop exact phrase negated", []string{"дизайнер"}, []string{`"в штат"`}, "дизайнер не в штат", []string{"дизайнер"}, `"в штат"`},
		{"nothing", []string{"x"}, []string{"y"}, "", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Compile(tt.keywords, tt.stops)
			if err != nil {
				t.Fatal(err)
			}
			got := m.Match(tt.text)
			want := tt.want
			if want == nil {
				want = []string{}
			}
			if got.Keywords == nil {
				t.Errorf("Keywords is nil")
			}
			if !slices.Equal(got.Keywords, want) || got.StoppedBy != tt.stopped {
				t.Errorf("Match(%q) = %q stopped by %q; want %q stopped by %q", tt.text, got.Keywords, got.StoppedBy, want, tt.stopped)
			}
			if wantMatch := len(want) > 0 && tt.stopped == ""; got.Match != wantMatch {
				t.Errorf("Match = %v; want %v", got.Match, wantMatch)
			}
			if doc := m.MatchDoc(Analyze(tt.text)); !equalResult(doc, got) {
				t.Errorf("MatchDoc = %+v; Match = %+v", doc, got)
			}
		})
	}
}

func equalResult(a, b Result) bool {
	return a.Match == b.Match && a.StoppedBy == b.StoppedBy && slices.Equal(a.Keywords, b.Keywords) &&
		(a.Keywords == nil) == (b.Keywords == nil)
}

func TestCompileErrors(t *testing.T) {
	_, err := Compile([]string{"ok", "фигм*"}, []string{"fine", `"open`})
	var re *RuleError
	if !errors.As(err, &re) || re.Code != ErrRuleUnbalanced || re.Rule != `"open` {
		t.Fatalf("got %v; want the stop rule's unbalanced_quote", err)
	}
	if !strings.Contains(err.Error(), "stop rule 2") {
		t.Errorf("error %q does not name stop rule 2", err)
	}
	m, err := Compile(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Match("anything"); got.Match || got.Keywords == nil || len(got.Keywords) != 0 {
		t.Errorf("empty matcher: %+v", got)
	}
}

// TestMatchMatchesNaive is a differential test: on a generated corpus and
// 1000 generated rules, the indexed matcher must agree with the naive one.
func TestMatchMatchesNaive(t *testing.T) {
	kw, stops := genRules(1000, 2), genStops()
	m, err := Compile(kw, stops)
	if err != nil {
		t.Fatal(err)
	}
	n, err := newNaive(kw, stops)
	if err != nil {
		t.Fatal(err)
	}
	matched := 0
	for _, text := range corpus(300, 5) {
		got, want := m.Match(text), n.oracle(text)
		if !equalResult(got, want) {
			t.Fatalf("%q:\n got %+v\nwant %+v", text, got, want)
		}
		if len(got.Keywords) > 0 {
			matched++
		}
	}
	if matched == 0 {
		t.Fatal("no message matched; the test proves nothing")
	}
}

// TestMatchConcurrent shares one Matcher and one Doc between goroutines;
// run with -race.
func TestMatchConcurrent(t *testing.T) {
	m, err := Compile(genRules(200, 9), genStops())
	if err != nil {
		t.Fatal(err)
	}
	msgs := corpus(200, 11)
	want := make([]Result, len(msgs))
	for i, msg := range msgs {
		want[i] = m.Match(msg)
	}
	shared := Analyze(msgs[0])
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := range 8 {
		wg.Go(func() {
			for i := range msgs {
				i := (i + g*25) % len(msgs)
				if got := m.Match(msgs[i]); !equalResult(got, want[i]) {
					errs <- msgs[i]
					return
				}
				if got := m.MatchDoc(shared); !equalResult(got, want[0]) {
					errs <- msgs[0]
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for msg := range errs {
		t.Errorf("concurrent result differs for %q", msg)
	}
}

func TestSpans(t *testing.T) {
	m, err := Compile([]string{"landing page", "разработ*", `"1с"`, "ищу + дизайнер", "нет + такого"}, []string{"резюме"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text string
		want []string
	}{
		{"Нужен Landing-page и разработчик 1С", []string{"Landing", "page", "разработчик", "1С"}},
		{"дизайнер? ищу! дизайнера", []string{"дизайнер", "ищу", "дизайнера"}},
		{"только дизайнер, нет резюме", nil}, // half of an AND rule; stop rules are not highlighted
		{"ＬＡＮＤＩＮＧ page", []string{"ＬＡＮＤＩＮＧ", "page"}},
	}
	for _, tt := range tests {
		var got []string
		prev := -1
		for _, sp := range m.Spans(tt.text) {
			if sp[0] <= prev || sp[0] >= sp[1] || sp[1] > len(tt.text) {
				t.Errorf("%q: bad or unsorted span %v", tt.text, sp)
			}
			prev = sp[0]
			got = append(got, tt.text[sp[0]:sp[1]])
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Spans(%q) = %q; want %q", tt.text, got, tt.want)
		}
	}
}

// TestDeps keeps the pipeline free of the Telegram, billing and LLM
// libraries.
func TestDeps(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go tool not found")
	}
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for dep := range strings.Lines(string(out)) {
		for _, bad := range []string{"telebot", "gotd", "stripe", "openai"} {
			if strings.Contains(dep, bad) {
				t.Errorf("monitor depends on %s", strings.TrimSpace(dep))
			}
		}
	}
}
