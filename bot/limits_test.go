package bot

import (
	"fmt"
	"html"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/leadgenrunner/leadgenrunner/bot/bottest"
	"github.com/leadgenrunner/leadgenrunner/monitor"
	"github.com/leadgenrunner/leadgenrunner/store"
)

// Telegram rejects a message whose text, after HTML parsing (tags removed,
// entities decoded), is longer than 4096 UTF-16 units. These tests render
// the worst cases and measure them independently of tgLen.

var tagRE = regexp.MustCompile(`<[^>]*>`)

func parsedUTF16(s string) int {
	return len(utf16.Encode([]rune(html.UnescapeString(tagRE.ReplaceAllString(s, "")))))
}

func TestTgLen(t *testing.T) {
	for _, s := range []string{
		"", "plain", `<b>bold</b> &lt;x&gt; &amp; &#34;q&#34;`, "😀👍🏽 <a href=\"https://t.me/x\">link</a>",
		strings.Repeat("ключ😀 ", 50), "<code>" + html.EscapeString(`<"&'>`) + "</code>",
	} {
		if got, want := tgLen(s), parsedUTF16(s); got != want {
			t.Errorf("tgLen(%q) = %d; want %d", s, got, want)
		}
	}
}

// emojiLead is the worst case of a lead in a list: every field at or past
// its cap, all of it emoji (two UTF-16 units a rune), with a username, a
// link and cross-posts.
func emojiLead(i int) store.Lead {
	var also []store.ChatRef
	for j := range 30 {
		also = append(also, store.ChatRef{ChatID: int64(-1000000000000 - j), ChatTitle: strings.Repeat("🚀", 100), MsgID: 5})
	}
	return store.Lead{
		ID: uint64(i + 1),
		Message: store.Message{
			ChatID: -1000000000001, ChatTitle: strings.Repeat("😀", 300), ChatUsername: "some_public_chat_name_32_chars_x", MsgID: 123456789,
			SenderName: strings.Repeat("👩‍💻", 100), SenderUsername: fmt.Sprintf("sender_%02d_%s", i, strings.Repeat("x", 22)),
			Date: time.Unix(1_800_000_000, 0), Text: strings.Repeat("😀", 5000),
		},
		Keywords: []string{strings.Repeat("ключ", 10)}, AlsoIn: also, Status: store.LeadNew, Relevance: -1,
	}
}

// TestListSplitsToFitTelegram renders ten emoji-heavy leads round after
// round, as the sender does: each message fits, it carries one button per
// lead in it, and every lead goes out exactly once, in order.
func TestListSplitsToFitTelegram(t *testing.T) {
	var leads []store.Lead
	for i := range maxDigestItems {
		leads = append(leads, emojiLead(i))
	}
	for _, lang := range languages {
		for _, digest := range []bool{true, false} {
			var delivered []uint64
			rest := leads
			messages := 0
			for len(rest) > 0 && messages < 20 {
				text, kb, n := renderList(lang, rest, time.UTC, digest)
				messages++
				if n < 1 || n > len(rest) {
					t.Fatalf("%s: renderList included %d of %d", lang, n, len(rest))
				}
				if got := parsedUTF16(text); got > 4096 {
					t.Errorf("%s digest=%v: message %d is %d UTF-16 units; Telegram allows 4096", lang, digest, messages, got)
				}
				buttons := 0
				for _, row := range kb.InlineKeyboard {
					buttons += len(row)
				}
				if buttons != n {
					t.Errorf("%s: %d buttons for %d leads", lang, buttons, n)
				}
				for _, l := range rest[:n] {
					if !strings.Contains(text, "@"+l.SenderUsername+"<") {
						t.Errorf("%s: message %d lacks lead %d", lang, messages, l.ID)
					}
					delivered = append(delivered, l.ID)
				}
				for _, l := range rest[n:] {
					if strings.Contains(text, "@"+l.SenderUsername+"<") {
						t.Errorf("%s: message %d shows lead %d it does not count as included", lang, messages, l.ID)
					}
				}
				rest = rest[n:]
			}
			want := []uint64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
			if !slices.Equal(delivered, want) {
				t.Errorf("%s digest=%v: delivered %v; want each of %v once, in order", lang, digest, delivered, want)
			}
			if messages < 2 {
				t.Errorf("%s: worst case went in %d message; it cannot fit one", lang, messages)
			}
		}
	}
}

// TestListKeepsOrdinaryDigestWhole: a digest of ten ordinary leads is not
// split.
func TestListKeepsOrdinaryDigestWhole(t *testing.T) {
	var leads []store.Lead
	for i := range maxDigestItems {
		leads = append(leads, store.Lead{
			ID: uint64(i + 1),
			Message: store.Message{
				ChatID: -1001234567890, ChatTitle: "Фриланс и удалёнка: заказы для дизайнеров", ChatUsername: "freelance_chat", MsgID: int64(1000 + i),
				SenderName: "Анна Петрова", SenderUsername: "anna_petrova", Date: time.Unix(1_800_000_000, 0),
				Text: strings.Repeat("Ищу дизайнера для логотипа кофейни, бюджет обсуждаем. ", 6),
			},
			Keywords: []string{"дизайнер*"}, AlsoIn: []store.ChatRef{{ChatID: -1002, ChatTitle: "Два"}}, Status: store.LeadNew, Relevance: -1,
		})
	}
	text, _, n := renderList("ru", leads, time.UTC, true)
	if n != len(leads) {
		t.Errorf("ordinary digest split: %d of %d leads in one message (%d units)", n, len(leads), parsedUTF16(text))
	}
}

// TestDigestSplitDeliversEveryLeadOnce runs the sender against the fake
// Bot API, which rejects texts over 4096 units as Telegram does: ten
// emoji-heavy digest leads all arrive, each exactly once, and the outbox
// empties.
func TestDigestSplitDeliversEveryLeadOnce(t *testing.T) {
	b, tg, start := newTestBot(t, Config{AlertChatEvery: 20 * time.Millisecond})
	owner := bottest.User{ID: 4242, FirstName: "D", LanguageCode: "ru"}
	if _, err := b.store.UpdateUser(owner.ID, func(u *store.User) error {
		u.Lang, u.Stage = "ru", stageDone
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.store.UpdateAlertSettings(owner.ID, func(s *store.AlertSettings) error {
		s.Mode, s.DigestEvery = store.AlertDigest, 15
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var usernames []string
	err := b.store.Update(func(tx *store.Tx) error {
		for i := range maxDigestItems {
			l := emojiLead(i)
			l.ID, l.MsgID = 0, int64(100+i)
			usernames = append(usernames, l.SenderUsername)
			if err := tx.PutLead(owner.ID, &l, ""); err != nil {
				return err
			}
			if err := tx.Enqueue(&store.OutboxEntry{OwnerID: owner.ID, LeadID: l.ID, Digest: true}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	start()
	b.WakeSender()
	if _, err := tg.WaitTranscript(owner.ID, 15*time.Second, func(ms []bottest.Message) bool {
		for _, u := range usernames {
			if !slices.ContainsFunc(ms, func(m bottest.Message) bool { return m.FromBot && strings.Contains(m.Text, "@"+u+"<") }) {
				return false
			}
		}
		return true
	}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // room for a duplicate to show up
	calls := tg.Calls("sendMessage")
	seen := map[string]int{}
	for _, c := range calls {
		if c.Status != 200 {
			t.Errorf("sendMessage answered %d: the list did not fit", c.Status)
		}
		if n := parsedUTF16(c.Params["text"]); n > 4096 {
			t.Errorf("sent %d UTF-16 units", n)
		}
		for _, u := range usernames {
			if c.Status == 200 && strings.Contains(c.Params["text"], "@"+u+"<") {
				seen[u]++
			}
		}
	}
	for _, u := range usernames {
		if seen[u] != 1 {
			t.Errorf("lead of %s delivered %d times; want 1", u, seen[u])
		}
	}
	if len(calls) < 2 {
		t.Errorf("%d messages; the worst case needs more than one", len(calls))
	}
	if due, err := b.store.DueAlerts(time.Now().Add(time.Hour), 100); err != nil || len(due) != 0 {
		t.Errorf("outbox after delivery: %v, %v; want empty", due, err)
	}
}

// TestTestReportFitsTelegram: five examples of 200 emoji, each with ten
// 40-emoji keywords and a long emoji title, still fit one message.
func TestTestReportFitsTelegram(t *testing.T) {
	kws := make([]string, 10)
	for i := range kws {
		kws[i] = strings.Repeat("🔥", 40)
	}
	var examples []monitor.TestExample
	for i := range monitor.MaxTestExamples {
		examples = append(examples, monitor.TestExample{
			Message:  store.Message{ChatTitle: strings.Repeat("😀", 300), Text: fmt.Sprintf("ex%d ", i) + strings.Repeat("😀", 200)},
			Keywords: kws,
		})
	}
	rep := monitor.TestReport{Scanned: 100000, Matched: 99999, Stopped: 99999, Examples: examples}
	for _, lang := range languages {
		text := testReportText(tr(lang), lang, rep)
		if n := parsedUTF16(text); n > 4096 {
			t.Errorf("%s: test report is %d UTF-16 units; Telegram allows 4096", lang, n)
		}
		for i := range monitor.MaxTestExamples {
			if !strings.Contains(text, fmt.Sprintf("ex%d ", i)) {
				t.Errorf("%s: report lacks example %d", lang, i)
			}
		}
		if !strings.Contains(text, "+5") {
			t.Errorf("%s: report does not count the keywords left out", lang)
		}
	}
}

// TestAlertSettingsCapsUnmuteButtons: with 150 muted chats the Alerts
// screen stays under Telegram's 100 inline buttons and counts the muted
// chats it has no button for.
func TestAlertSettingsCapsUnmuteButtons(t *testing.T) {
	b, tg, start := newTestBot(t, Config{})
	u := bottest.User{ID: 4343, FirstName: "M", LanguageCode: "en"}
	if _, err := b.store.UpdateUser(u.ID, func(su *store.User) error {
		su.Lang, su.Stage = "en", stageDone
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	const muted = 150
	if _, err := b.store.UpdateAlertSettings(u.ID, func(s *store.AlertSettings) error {
		for i := range muted {
			s.MutedChats = append(s.MutedChats, int64(-1000000000000-i))
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	start()
	tg.SendText(u, "/start")
	menu, err := tg.WaitFor(u.ID, 5*time.Second, func(m bottest.Message) bool { return m.FromBot && len(m.Inline) > 0 })
	if err != nil {
		t.Fatal(err)
	}
	if err := tg.PressData(u, menu.ID, encodeCB(actAlerts)); err != nil {
		t.Fatal(err)
	}
	screen, err := tg.WaitFor(u.ID, 5*time.Second, func(m bottest.Message) bool { return strings.Contains(m.Text, "Muted chats: 150") })
	if err != nil {
		t.Fatal(err)
	}
	var unmute []string
	total := 0
	for _, row := range screen.Inline {
		for _, btn := range row {
			total++
			if strings.HasPrefix(btn.Text, "🔔 Unmute") {
				unmute = append(unmute, btn.Data)
			}
		}
	}
	if len(unmute) != maxUnmuteShown || total > 100 {
		t.Errorf("%d Unmute buttons, %d in all; want %d and at most 100", len(unmute), total, maxUnmuteShown)
	}
	if want := fmt.Sprintf("(+%d)", muted-maxUnmuteShown); !strings.Contains(screen.Text, want) {
		t.Errorf("screen does not count the hidden muted chats (%s):\n%s", want, screen.Text)
	}
	// Unmuting one brings the next muted chat into view.
	if err := tg.PressData(u, screen.ID, unmute[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := tg.WaitFor(u.ID, 5*time.Second, func(m bottest.Message) bool {
		return strings.Contains(m.Text, "Muted chats: 149") && strings.Contains(m.Text, fmt.Sprintf("(+%d)", muted-1-maxUnmuteShown))
	}); err != nil {
		t.Fatal(err)
	}
}
