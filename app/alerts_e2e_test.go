package app_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leadgenrunner/leadgenrunner/app"
	"github.com/leadgenrunner/leadgenrunner/bot/bottest"
	"github.com/leadgenrunner/leadgenrunner/store"
)

// fakeClock is a settable clock for app.Config.Now.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// startWith starts an app with mod applied to the tests' default config.
func startWith(t *testing.T, tg *bottest.Server, mod func(*app.Config)) *app.App {
	t.Helper()
	return startStoppable(t, tg, mod).app
}

func addRules(t *testing.T, a *app.App, uid int64, kind store.RuleKind, rules ...string) {
	t.Helper()
	if _, _, _, err := a.Store().AddRules(uid, kind, rules, 50); err != nil {
		t.Fatalf("AddRules: %v", err)
	}
}

// chatMsg is a message in a watched group.
func chatMsg(chatID int64, title, username string, msgID, senderID int64, sender, senderUser, text string, at time.Time) store.Message {
	return store.Message{
		AccountID: 1, ChatID: chatID, MsgID: msgID, ChatTitle: title, ChatUsername: username,
		SenderID: senderID, SenderName: sender, SenderUsername: senderUser, Date: at, Text: text,
	}
}

func ingest(t *testing.T, a *app.App, owner int64, m store.Message) {
	t.Helper()
	if err := a.Pipeline().Ingest(context.Background(), owner, m); err != nil {
		t.Fatalf("Ingest: %v", err)
	}
}

// botTexts returns the texts of the bot's messages to chat that contain substr.
func botTexts(tg *bottest.Server, chat int64, substr string) []bottest.Message {
	var out []bottest.Message
	for _, m := range tg.Transcript(chat) {
		if m.FromBot && strings.Contains(m.Text, substr) {
			out = append(out, m)
		}
	}
	return out
}

func buttonData(m bottest.Message, label string) string {
	for _, row := range m.Inline {
		for _, b := range row {
			if b.Text == label || strings.HasPrefix(b.Text, label) {
				return b.Data
			}
		}
	}
	return ""
}

// lastToast returns the text of the newest callback answer.
func lastToast(tg *bottest.Server) (string, bool) {
	calls := tg.Calls("answerCallbackQuery")
	if len(calls) == 0 {
		return "", false
	}
	p := calls[len(calls)-1].Params
	return p["text"], p["show_alert"] == "true"
}

func TestLeadAlertEndToEnd(t *testing.T) {
	tg := bottest.NewT(t)
	a := startWith(t, tg, nil)
	alice := bottest.User{ID: 1001, FirstName: "Alice", LanguageCode: "en"}
	onboard(t, tg, alice)
	addRules(t, a, alice.ID, store.Keyword, "дизайнер", "landing page")
	now := time.Now()

	text := `Ищу дизайнера для "кофейни" <срочно> & landing page`
	ingest(t, a, alice.ID, chatMsg(-1001111111111, "Design <Club>", "designclub", 42, 555, "Bob <b>", "bobby", text, now))
	alert := waitText(t, tg, alice, "New lead")
	for _, want := range []string{
		"Design &lt;Club&gt;", "Bob &lt;b&gt;", `<a href="https://t.me/bobby">@bobby</a>`,
		"<b>дизайнера</b>", "&#34;кофейни&#34; &lt;срочно&gt; &amp; <b>landing</b> <b>page</b>",
		`<a href="https://t.me/designclub/42">Open the message</a>`, "<code>дизайнер</code>, <code>landing page</code>",
	} {
		if !strings.Contains(alert.Text, want) {
			t.Errorf("alert lacks %q:\n%s", want, alert)
		}
	}
	if alert.ParseMode != "HTML" {
		t.Errorf("alert parse mode %q; want HTML", alert.ParseMode)
	}
	for _, label := range []string{"✍️ Draft reply", "✅ Contacted", "🚫 Not a lead", "🔕 Mute this chat"} {
		if !contains(alert.Buttons(), label) {
			t.Errorf("alert lacks button %q: %v", label, alert.Buttons())
		}
	}

	// A cross-post by the same sender is the same lead: no second alert.
	// A message that matches nothing is stored and counted, nothing more.
	ingest(t, a, alice.ID, chatMsg(-1002222222222, "Second chat", "", 7, 555, "Bob <b>", "bobby", text, now))
	ingest(t, a, alice.ID, chatMsg(-1002222222222, "Second chat", "", 8, 556, "Carl", "", "просто болтаем", now))
	ingest(t, a, alice.ID, chatMsg(-1002222222222, "Second chat", "", 9, 557, "Dora", "", "Нужен landing page для студии", now))
	second := waitText(t, tg, alice, "Нужен <b>landing</b>")
	if !strings.Contains(second.Text, "https://t.me/c/2222222222/9") {
		t.Errorf("private chat link wrong:\n%s", second)
	}
	if n := len(botTexts(tg, alice.ID, "New lead")); n != 2 {
		t.Errorf("%d alerts; want 2 (the cross-post is not a new lead)", n)
	}

	// Draft reply says plainly that drafting is not there yet.
	press(t, tg, alice, "✍️ Draft reply")
	if toast, dialog := lastToast(tg); !strings.Contains(toast, "being set up") || !dialog {
		t.Errorf("draft toast %q (dialog %v); want the honest not-yet message", toast, dialog)
	}

	// Not a lead on the second, Contacted on the first.
	press(t, tg, alice, "🚫 Not a lead")
	waitText(t, tg, alice, "Status: 🚫 not a lead")
	if err := tg.PressData(alice, alert.ID, buttonData(alert, "✅ Contacted")); err != nil {
		t.Fatal(err)
	}
	waitText(t, tg, alice, "Status: ✅ contacted")

	_, rules, _, err := a.Store().Stats(alice.ID, 30, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	byRule := map[string]store.RuleStats{}
	for _, r := range rules {
		byRule[r.Rule] = r
	}
	if r := byRule["landing page"]; r.Leads != 2 || r.NotLead != 1 || r.Contacted != 1 {
		t.Errorf("landing page stats %+v; want 2 leads, 1 not a lead, 1 contacted", r)
	}
	if r := byRule["дизайнер"]; r.Leads != 1 || r.Contacted != 1 || r.NotLead != 0 {
		t.Errorf("дизайнер stats %+v; want 1 lead, 1 contacted", r)
	}

	// Analytics: the tables, then the chart.
	tg.SendText(alice, "/start")
	waitText(t, tg, alice, "Main menu")
	press(t, tg, alice, "📊 Analytics")
	stats := waitText(t, tg, alice, "<b>Analytics</b>")
	for _, want := range []string{"Messages seen: 4 · leads: 2", "<pre>", "Design &lt;Club&gt;", "landing page", "50%"} {
		if !strings.Contains(stats.Text, want) {
			t.Errorf("analytics lacks %q:\n%s", want, stats)
		}
	}
	press(t, tg, alice, "📈 Chart")
	photo, err := tg.WaitFor(alice.ID, wait, func(m bottest.Message) bool { return m.Photo != nil })
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(photo.Photo.Data, []byte("\x89PNG\r\n\x1a\n")) {
		t.Errorf("chart is not a PNG: % x", photo.Photo.Data[:min(8, len(photo.Photo.Data))])
	}
	if calls := tg.Calls("sendPhoto"); len(calls) != 1 || !strings.Contains(calls[0].Params["caption"], "per day") {
		t.Errorf("sendPhoto calls %d; want 1 with a caption", len(calls))
	}

	// Leads: newest first; the older lead's card names the cross-post.
	tg.SendText(alice, "/start")
	waitText(t, tg, alice, "Main menu")
	press(t, tg, alice, "🎯 Leads")
	list := waitText(t, tg, alice, "<b>Leads</b> · All: 2")
	if i, j := strings.Index(list.Text, "студии"), strings.Index(list.Text, "кофейни"); i < 0 || j < 0 || i > j {
		t.Errorf("leads not newest first:\n%s", list)
	}
	if err := tg.PressData(alice, list.ID, buttonData(list, "2. ")); err != nil {
		t.Fatal(err)
	}
	card := waitText(t, tg, alice, "Also in 1 more chat")
	if !strings.Contains(card.Text, "Second chat") || !contains(card.Buttons(), "⬅️ Back to leads") {
		t.Errorf("card lacks the cross-post or the way back:\n%s", card)
	}
	press(t, tg, alice, "⬅️ Back to leads")
	waitText(t, tg, alice, "<b>Leads</b> · All: 2")
	press(t, tg, alice, "🚫 Not a lead")
	waitText(t, tg, alice, "<b>Leads</b> · 🚫 Not a lead: 1")

	// Mute the chat from the alert; it shows up in Settings → Alerts to unmute.
	if err := tg.PressData(alice, alert.ID, buttonData(alert, "🔕 Mute this chat")); err != nil {
		t.Fatal(err)
	}
	if toast, _ := lastToast(tg); !strings.Contains(toast, "Muted “Design <Club>”") {
		t.Errorf("mute toast %q", toast)
	}
	if s, _ := a.Store().AlertSettings(alice.ID); !slices.Contains(s.MutedChats, -1001111111111) {
		t.Errorf("muted chats %v; want the chat", s.MutedChats)
	}
	tg.SendText(alice, "/start")
	waitText(t, tg, alice, "Main menu")
	press(t, tg, alice, "⚙️ Settings")
	press(t, tg, alice, "🔔 Alerts")
	waitText(t, tg, alice, "Muted chats: 1")
	press(t, tg, alice, "🔔 Unmute Design <Club>")
	waitText(t, tg, alice, "Muted chats: 0")
}

func TestDigestAndQuietHours(t *testing.T) {
	tg := bottest.NewT(t)
	clock := &fakeClock{t: time.Date(2025, 3, 10, 10, 7, 0, 0, time.UTC)}
	a := startWith(t, tg, func(c *app.Config) { c.Now = clock.Now })
	carol := bottest.User{ID: 3003, FirstName: "Carol", LanguageCode: "en"}
	onboard(t, tg, carol)
	addRules(t, a, carol.ID, store.Keyword, "логотип")

	press(t, tg, carol, "⚙️ Settings")
	press(t, tg, carol, "🔔 Alerts")
	press(t, tg, carol, "🗞 Every 15 min")
	waitText(t, tg, carol, "Delivery: digest every 15 min")

	for i := range 3 {
		ingest(t, a, carol.ID, chatMsg(-1003, "Brand chat", "brandchat", int64(10+i), int64(700+i), fmt.Sprint("Client ", i), "",
			fmt.Sprintf("Нужен логотип для проекта %d", i), clock.Now()))
	}
	a.Bot().WakeSender()
	time.Sleep(300 * time.Millisecond)
	if n := len(botTexts(tg, carol.ID, "Digest")) + len(botTexts(tg, carol.ID, "New lead")); n != 0 {
		t.Fatalf("%d alerts before the digest is due; want 0", n)
	}
	clock.Set(time.Date(2025, 3, 10, 10, 15, 5, 0, time.UTC))
	a.Bot().WakeSender()
	digest := waitText(t, tg, carol, "Digest: 3 new leads")
	for i := range 3 {
		if !strings.Contains(digest.Text, fmt.Sprintf("проекта %d", i)) {
			t.Errorf("digest lacks lead %d:\n%s", i, digest)
		}
	}
	if n := len(botTexts(tg, carol.ID, "New lead")); n != 0 {
		t.Errorf("%d single alerts besides the digest; want 0", n)
	}
	press(t, tg, carol, "1 ▸")
	waitText(t, tg, carol, "New lead")

	// Instant again, quiet hours 22:00–08:00 Moscow time.
	tg.SendText(carol, "/start")
	waitText(t, tg, carol, "Main menu")
	press(t, tg, carol, "⚙️ Settings")
	press(t, tg, carol, "🔔 Alerts")
	press(t, tg, carol, "⚡ Instant")
	press(t, tg, carol, "🌙 22:00–08:00")
	press(t, tg, carol, "🌍 Time zone: UTC")
	press(t, tg, carol, "Europe/Moscow")
	waitText(t, tg, carol, "Time zone: Europe/Moscow")

	clock.Set(time.Date(2025, 3, 10, 20, 30, 0, 0, time.UTC)) // 23:30 in Moscow
	before := len(botTexts(tg, carol.ID, "New lead"))
	ingest(t, a, carol.ID, chatMsg(-1003, "Brand chat", "brandchat", 99, 799, "Night owl", "", "Срочно нужен логотип", clock.Now()))
	a.Bot().WakeSender()
	time.Sleep(300 * time.Millisecond)
	if n := len(botTexts(tg, carol.ID, "New lead")); n != before {
		t.Fatalf("alert sent during quiet hours")
	}
	clock.Set(time.Date(2025, 3, 11, 5, 0, 30, 0, time.UTC)) // 08:00:30 in Moscow
	a.Bot().WakeSender()
	m := waitText(t, tg, carol, "Срочно нужен <b>логотип</b>")
	if !strings.Contains(m.Text, "2025-03-10 23:30 UTC+3") {
		t.Errorf("alert time not in the owner's zone:\n%s", m)
	}
}

// TestAlertsExactlyOnceThrough429And5xx: the fake Bot API answers alerts
// with 429 retry_after and then 502s; every alert still arrives, once.
func TestAlertsExactlyOnceThrough429And5xx(t *testing.T) {
	tg := bottest.NewT(t)
	a := startWith(t, tg, func(c *app.Config) { c.BotAlertRetryBase = 50 * time.Millisecond })
	owners := []bottest.User{
		{ID: 5001, FirstName: "A", LanguageCode: "en"},
		{ID: 5002, FirstName: "B", LanguageCode: "en"},
		{ID: 5003, FirstName: "C", LanguageCode: "en"},
	}
	for _, u := range owners {
		onboard(t, tg, u)
		addRules(t, a, u.ID, store.Keyword, "ремонт")
	}
	tg.Fail("sendMessage", 1, 429, 1)
	tg.Fail("sendMessage", 3, 502, 0)
	var tokens []string
	for i, u := range owners {
		for j := range 2 {
			tok := fmt.Sprintf("tok%d-%d", i, j)
			tokens = append(tokens, tok)
			ingest(t, a, u.ID, chatMsg(-1009, "Repairs", "repairs", int64(100*i+j+1), int64(900+10*i+j), "Client", "",
				"Нужен ремонт квартиры "+tok, time.Now()))
		}
	}
	for i, u := range owners {
		_, err := tg.WaitTranscript(u.ID, 15*time.Second, func(ms []bottest.Message) bool {
			for j := range 2 {
				if !slices.ContainsFunc(ms, func(m bottest.Message) bool {
					return m.FromBot && strings.Contains(m.Text, fmt.Sprintf("tok%d-%d", i, j))
				}) {
					return false
				}
			}
			return true
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(time.Second) // room for a duplicate to show up
	var failed429, failed5xx int
	sent := map[string]int{}
	for _, c := range tg.Calls("sendMessage") {
		switch {
		case c.Status == 429:
			failed429++
		case c.Status >= 500:
			failed5xx++
		case c.Status == 200:
			for _, tok := range tokens {
				if strings.Contains(c.Params["text"], tok) {
					sent[tok]++
				}
			}
		}
	}
	if failed429 != 1 || failed5xx != 3 {
		t.Errorf("faults hit %d times with 429 and %d with 5xx; want 1 and 3", failed429, failed5xx)
	}
	for _, tok := range tokens {
		if sent[tok] != 1 {
			t.Errorf("lead %s delivered %d times; want exactly 1", tok, sent[tok])
		}
	}
	if due, err := a.Store().DueAlerts(time.Now().Add(time.Hour), 100); err != nil || len(due) != 0 {
		t.Errorf("outbox after delivery: %v, %v; want empty", due, err)
	}
}

// TestForgedLeadCallback replays the buttons of one owner's alert from
// another owner: nothing of the first owner's is read or changed.
func TestForgedLeadCallback(t *testing.T) {
	tg := bottest.NewT(t)
	a := startWith(t, tg, nil)
	alice := bottest.User{ID: 1001, FirstName: "Alice", LanguageCode: "en"}
	bob := bottest.User{ID: 2002, FirstName: "Bob", LanguageCode: "en"}
	onboard(t, tg, alice)
	onboard(t, tg, bob)
	addRules(t, a, alice.ID, store.Keyword, "бухгалтер")
	ingest(t, a, alice.ID, chatMsg(-1004, "Secret club", "", 1, 42, "Client", "", "Ищу бухгалтера, секретный проект", time.Now()))
	alert := waitText(t, tg, alice, "New lead")

	bobMenu, _ := tg.Last(bob.ID)
	for _, row := range alert.Inline {
		for _, btn := range row {
			if err := tg.PressData(bob, bobMenu.ID, btn.Data); err != nil {
				t.Fatalf("bob presses %q: %v", btn.Data, err)
			}
			if toast, _ := lastToast(tg); !strings.Contains(toast, "not found") {
				t.Errorf("bob pressing %q got toast %q; want not found", btn.Data, toast)
			}
		}
	}
	if err := tg.PressData(bob, bobMenu.ID, "1.lead.1.0"); err != nil {
		t.Fatal(err)
	}
	leads, _, err := a.Store().Leads(alice.ID, "", 0, 10)
	if err != nil || len(leads) != 1 || leads[0].Status != store.LeadNew {
		t.Fatalf("alice's leads after bob's replay: %+v, %v; want one new lead", leads, err)
	}
	for _, uid := range []int64{alice.ID, bob.ID} {
		if s, _ := a.Store().AlertSettings(uid); len(s.MutedChats) != 0 {
			t.Errorf("owner %d muted chats %v after bob's replay; want none", uid, s.MutedChats)
		}
	}
	for _, m := range tg.Transcript(bob.ID) {
		if strings.Contains(m.Text, "секрет") || strings.Contains(m.Text, "Secret") {
			t.Fatalf("bob saw alice's lead:\n%s", m)
		}
	}
}

func TestTestMyKeywords(t *testing.T) {
	tg := bottest.NewT(t)
	a := startWith(t, tg, nil)
	dan := bottest.User{ID: 4004, FirstName: "Dan", LanguageCode: "ru"}
	tg.SendText(dan, "/start")
	waitText(t, tg, dan, "Выберите язык")
	press(t, tg, dan, "🇷🇺 Русский")
	waitText(t, tg, dan, "Что делает LeadGenRunner")
	press(t, tg, dan, "✅ Принимаю")
	waitText(t, tg, dan, "Расскажите о своём бизнесе")
	press(t, tg, dan, "Пропустить")
	waitText(t, tg, dan, "Главное меню")
	addRules(t, a, dan.ID, store.Keyword, "дизайнер")
	addRules(t, a, dan.ID, store.StopWord, "вакансия")
	for i, text := range []string{"Ищу дизайнера на проект", "Нужен дизайнер логотипа", "Вакансия: дизайнер в штат", "Погода хорошая", "Кто знает бухгалтера?"} {
		ingest(t, a, dan.ID, chatMsg(-1005, "Чат дизайнеров", "", int64(i+1), int64(60+i), "Участник", "", text, time.Now()))
	}
	tg.SendText(dan, "/start")
	waitText(t, tg, dan, "1 ключевое слово")
	press(t, tg, dan, "🔑 Ключевые слова")
	press(t, tg, dan, "🧪 Проверить ключевые слова")
	m := waitText(t, tg, dan, "Проверено 5 сообщений")
	for _, want := range []string{"2 сообщения стали бы лидами", "1 сообщение отсеяно стоп-словами", "<b>дизайнера</b>", "<code>дизайнер</code>"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("test report lacks %q:\n%s", want, m)
		}
	}
}
