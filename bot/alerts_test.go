package bot

import (
	"html"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/leadgenrunner/leadgenrunner/store"
)

func TestHighlightHTML(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		spans [][2]int
		max   int
		want  string
	}{
		{"escapes everything", `<b>Need</b> a "designer" & more`, nil, 100, `&lt;b&gt;Need&lt;/b&gt; a &#34;designer&#34; &amp; more`},
		{"highlights spans", "need a designer now", [][2]int{{7, 15}}, 100, "need a <b>designer</b> now"},
		{"escapes inside a span", "a <x> b", [][2]int{{2, 5}}, 100, "a <b>&lt;x&gt;</b> b"},
		{"cuts at a word", "one two three four", nil, 12, "one two…"},
		{"span beyond the cut is dropped", "one two three four", [][2]int{{14, 18}}, 12, "one two…"},
		{"cyrillic cut", "ищу дизайнера для логотипа", [][2]int{{7, 25}}, 15, "ищу <b>дизайнера</b>…"},
		{"overlapping spans", "abc def", [][2]int{{0, 3}, {1, 2}, {4, 7}}, 100, "<b>abc</b> <b>def</b>"},
		{"bad spans ignored", "abc", [][2]int{{2, 1}, {0, 9}}, 100, "abc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := highlightHTML(tt.text, tt.spans, tt.max); got != tt.want {
				t.Errorf("got %q; want %q", got, tt.want)
			}
		})
	}
}

func TestCutPointLongWord(t *testing.T) {
	text := strings.Repeat("я", 50)
	end := cutPoint(text, 10)
	if n := utf8.RuneCountInString(text[:end]); n != 9 {
		t.Errorf("cut a long word to %d runes; want 9", n)
	}
}

func TestMessageLink(t *testing.T) {
	tests := []struct {
		name     string
		chatID   int64
		username string
		msgID    int64
		want     string
	}{
		{"public", -1001234567890, "design_chat", 42, "https://t.me/design_chat/42"},
		{"private supergroup", -1001234567890, "", 42, "https://t.me/c/1234567890/42"},
		{"bare channel id", 1234567890, "", 7, "https://t.me/c/1234567890/7"},
		{"basic group", -4567, "", 7, ""},
		{"bad username is not linked", -1001234567890, `x"><script>`, 5, "https://t.me/c/1234567890/5"},
		{"no message", -1001234567890, "chat_name", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := messageLink(tt.chatID, tt.username, tt.msgID); got != tt.want {
				t.Errorf("got %q; want %q", got, tt.want)
			}
		})
	}
}

func TestRenderLeadFitsAndEscapes(t *testing.T) {
	l := store.Lead{
		ID: 1,
		Message: store.Message{
			ChatID: -1001, ChatTitle: "<Chat & Co>", MsgID: 9, SenderName: "Eve <i>", SenderUsername: "eve_x",
			Date: time.Date(2025, 3, 1, 21, 30, 0, 0, time.UTC),
			Text: strings.Repeat("нужен дизайнер <срочно> & ", 400),
		},
		Keywords:  []string{"дизайнер"},
		AlsoIn:    []store.ChatRef{{ChatID: -1002, ChatTitle: "Two", ChatUsername: "two_chat", MsgID: 3}},
		Status:    store.LeadNew,
		Relevance: -1,
	}
	msk, _ := time.LoadLocation("Europe/Moscow")
	got := renderLead("ru", l, msk, alertTextRunes)
	for _, want := range []string{
		"&lt;Chat &amp; Co&gt;", "Eve &lt;i&gt;", `<a href="https://t.me/eve_x">@eve_x</a>`, "2025-03-02 00:30 UTC+3",
		"<b>дизайнер</b>", "&lt;срочно&gt;", "Ещё в 1 чате", `href="https://t.me/two_chat/3"`, "…",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("alert lacks %q", want)
		}
	}
	if strings.Contains(got, "<срочно>") || strings.Contains(got, "Relevance") {
		t.Errorf("alert has raw user markup or an unrated relevance:\n%s", got)
	}
	plain := html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(got, ""))
	if n := len(utf16.Encode([]rune(plain))); n > 4096 {
		t.Errorf("alert is %d UTF-16 units; want <= 4096", n)
	}
}

func TestMakeJob(t *testing.T) {
	e := func(id uint64, digest bool) store.OutboxEntry {
		return store.OutboxEntry{ID: id, OwnerID: 1, LeadID: id, Digest: digest}
	}
	tests := []struct {
		name    string
		entries []store.OutboxEntry
		list    bool
		ids     int
	}{
		{"one instant", []store.OutboxEntry{e(1, false)}, false, 1},
		{"two instant go one by one", []store.OutboxEntry{e(1, false), e(2, false)}, false, 1},
		{"a backlog becomes a list", []store.OutboxEntry{e(1, false), e(2, false), e(3, false)}, true, 3},
		{"one digest entry is still a digest", []store.OutboxEntry{e(1, true)}, true, 1},
		{"digest entries together", []store.OutboxEntry{e(1, true), e(2, true)}, true, 2},
		{"a list holds at most ten", func() []store.OutboxEntry {
			var out []store.OutboxEntry
			for i := range 25 {
				out = append(out, e(uint64(i+1), true))
			}
			return out
		}(), true, maxDigestItems},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := makeJob(1, tt.entries)
			if j.list != tt.list || len(j.entries) != tt.ids {
				t.Errorf("got list=%v with %d entries; want list=%v with %d", j.list, len(j.entries), tt.list, tt.ids)
			}
		})
	}
}

func TestTZName(t *testing.T) {
	for tz, want := range map[string]string{"": "UTC", "Etc/GMT-3": "UTC+3", "Etc/GMT+5": "UTC-5", "Europe/Moscow": "Europe/Moscow"} {
		if got := tzName(tz); got != want {
			t.Errorf("tzName(%q) = %q; want %q", tz, got, want)
		}
	}
	for _, tz := range tzChoices {
		if _, err := time.LoadLocation(tz); err != nil {
			t.Errorf("offered zone %q does not load: %v", tz, err)
		}
	}
}

func TestAlertWanted(t *testing.T) {
	s := store.AlertSettings{MinRelevance: 50, MutedChats: []int64{7}}
	tests := []struct {
		name string
		l    store.Lead
		want bool
	}{
		{"unrated", store.Lead{Status: store.LeadNew, Relevance: -1, Message: store.Message{ChatID: 1}}, true},
		{"relevant", store.Lead{Status: store.LeadNew, Relevance: 50, Message: store.Message{ChatID: 1}}, true},
		{"below the minimum", store.Lead{Status: store.LeadNew, Relevance: 49, Message: store.Message{ChatID: 1}}, false},
		{"muted chat", store.Lead{Status: store.LeadNew, Relevance: -1, Message: store.Message{ChatID: 7}}, false},
		{"already handled", store.Lead{Status: store.LeadNotLead, Relevance: -1, Message: store.Message{ChatID: 1}}, false},
	}
	for _, tt := range tests {
		if got := alertWanted(tt.l, s); got != tt.want {
			t.Errorf("%s: got %v; want %v", tt.name, got, tt.want)
		}
	}
}

func TestStatsTable(t *testing.T) {
	got := table([]string{"Chat", "Msgs"}, []int{6, 5}, [][]string{{"Дизайн <b>", "1200"}, {"x", "3"}})
	want := "<pre>Chat    Msgs\nДизай…  1200\nx          3\n</pre>"
	if got != want {
		t.Errorf("got %q; want %q", got, want)
	}
}

// TestAlertFitsTelegramLimit renders the worst case: an emoji-only text at
// the cap, long title, many keywords and cross-posts. Telegram counts UTF-16
// units of the text after HTML parsing (tags removed, entities decoded).
func TestAlertFitsTelegramLimit(t *testing.T) {
	kws := make([]string, 50)
	for i := range kws {
		kws[i] = strings.Repeat("ключ", 25)
	}
	var also []store.ChatRef
	for i := 0; i < 30; i++ {
		also = append(also, store.ChatRef{ChatID: int64(-1000000000000 - i), ChatTitle: strings.Repeat("Ч", 200), MsgID: 5})
	}
	l := store.Lead{
		Message: store.Message{
			ChatID: -1000000000001, ChatTitle: strings.Repeat("😀", 300), MsgID: 9,
			SenderName: strings.Repeat("😀", 100), SenderUsername: "someone", Date: time.Unix(1_800_000_000, 0),
			Text: strings.Repeat("😀", 5000),
		},
		Keywords: kws, AlsoIn: also, Status: store.LeadContacted, Relevance: 80,
	}
	for _, lang := range languages {
		text := renderLead(lang, l, time.UTC, alertTextRunes)
		parsed := html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(text, ""))
		if n := len(utf16.Encode([]rune(parsed))); n > 4096 {
			t.Errorf("%s: alert is %d UTF-16 units; Telegram allows 4096", lang, n)
		}
	}
}

func TestLocalizedNumbersAndStamps(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{compactCount("en", 950), "950"}, {compactCount("en", 1234), "1.2k"}, {compactCount("ru", 1234), "1,2 тыс."},
		{compactCount("ru", 34000), "34 тыс."}, {compactCount("ru", 1_200_000), "1,2 млн"}, {compactCount("en", 2_000_000), "2M"},
		{percent("ru", 1, 20), "5,0%"}, {percent("ru", 1, 30), "3,3%"}, {percent("en", 1, 30), "3.3%"}, {percent("en", 0, 0), "—"},
		{formatStamp(time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC)), "2026-01-02 03:04 UTC"},
		{formatStamp(time.Date(2026, 1, 2, 3, 4, 0, 0, time.FixedZone("X", 5*3600+30*60))), "2026-01-02 03:04 UTC+5:30"},
		{formatStamp(time.Date(2026, 1, 2, 3, 4, 0, 0, time.FixedZone("Y", -4*3600))), "2026-01-02 03:04 UTC-4"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q; want %q", tt.got, tt.want)
		}
	}
}
