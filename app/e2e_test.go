package app_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/leadgenrunner/leadgenrunner/app"
	"github.com/leadgenrunner/leadgenrunner/bot/bottest"
	"github.com/leadgenrunner/leadgenrunner/store"
)

const wait = 10 * time.Second

// startApp starts an app on dataDir with the settings the onboarding tests
// use (a limit of 5 rules, so the limit is reachable).
func startApp(t *testing.T, tg *bottest.Server, dataDir string) *stoppable {
	t.Helper()
	return startStoppable(t, tg, func(c *app.Config) {
		c.DataDir = dataDir
		c.ContactEmail = "support@example.com"
		c.MaxRules = 5
	})
}

func press(t *testing.T, tg *bottest.Server, u bottest.User, label string) {
	t.Helper()
	if err := tg.Press(u, label); err != nil {
		t.Fatalf("press %q: %v", label, err)
	}
}

func waitText(t *testing.T, tg *bottest.Server, u bottest.User, substr string) bottest.Message {
	t.Helper()
	m, err := tg.WaitFor(u.ID, wait, func(m bottest.Message) bool { return strings.Contains(m.Text, substr) })
	if err != nil {
		t.Fatalf("waiting for %q: %v", substr, err)
	}
	return m
}

func onboard(t *testing.T, tg *bottest.Server, u bottest.User) {
	t.Helper()
	tg.SendText(u, "/start")
	waitText(t, tg, u, "Choose your language")
	press(t, tg, u, "🇬🇧 English")
	m := waitText(t, tg, u, "What LeadGenRunner does")
	if !strings.Contains(m.Text, "https://leads.example.com/privacy?lang=en") {
		t.Errorf("consent screen lacks the privacy link:\n%s", m)
	}
	press(t, tg, u, "✅ I agree")
	waitText(t, tg, u, "Tell me about your business")
	tg.SendText(u, "Web studio: landing pages and online shops for small businesses.")
	waitText(t, tg, u, "Main menu")
}

func TestOnboardKeywordsLanguageRestart(t *testing.T) {
	tg := bottest.NewT(t)
	dir := t.TempDir()
	r := startApp(t, tg, dir)
	alice := bottest.User{ID: 1001, FirstName: "Alice", Username: "alice", LanguageCode: "en"}

	onboard(t, tg, alice)
	menu, _ := tg.Last(alice.ID)
	for _, label := range []string{"👤 Account", "💬 Chats", "🔑 Keywords", "🎯 Leads", "📊 Analytics", "💳 Subscription", "⚙️ Settings", "❓ Help"} {
		if !contains(menu.Buttons(), label) {
			t.Errorf("main menu lacks %q: %v", label, menu.Buttons())
		}
	}

	// Keywords: several at once, one invalid, one duplicate.
	press(t, tg, alice, "🔑 Keywords")
	waitText(t, tg, alice, "You have no keywords yet")
	press(t, tg, alice, "➕ Add keywords")
	waitText(t, tg, alice, "Send keywords")
	tg.SendText(alice, "дизайнер\nlanding page, need + designer\nfoo bar*\n\"1с\", Дизайнер")
	m := waitText(t, tg, alice, "Not added, please fix")
	for _, want := range []string{"Added 4 keywords", "foo bar*", "only at the end of a single word", "Already in your list: <code>Дизайнер</code>"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("add report lacks %q:\n%s", want, m)
		}
	}
	// The owner fixes the rule and sends it again straight away.
	tg.SendText(alice, "разработ*")
	m = waitText(t, tg, alice, "Keywords</b> (5 of 5)")
	if !strings.Contains(m.Text, "Added 1 keyword.") {
		t.Errorf("second add report wrong:\n%s", m)
	}
	// Limit reached: the next one is refused with the limit named.
	press(t, tg, alice, "➕ Add keywords")
	waitText(t, tg, alice, "Send keywords")
	tg.SendText(alice, "логотип")
	m = waitText(t, tg, alice, "your limit of 5 is reached")
	if !strings.Contains(m.Text, "логотип") {
		t.Errorf("limit report does not name the rule:\n%s", m)
	}

	press(t, tg, alice, "✖ landing page")
	m = waitText(t, tg, alice, "Keywords</b> (4 of 5)")
	if strings.Contains(m.Text, "landing page") {
		t.Errorf("removed rule still listed:\n%s", m)
	}

	// Stop words work the same way.
	press(t, tg, alice, "🚫 Stop words")
	waitText(t, tg, alice, "Stop words</b> (0 of 5)")
	press(t, tg, alice, "➕ Add stop words")
	tg.SendText(alice, "вакансия")
	waitText(t, tg, alice, "Stop words</b> (1 of 5)")

	// Switch to Russian: every screen follows.
	press(t, tg, alice, "🏠 Main menu")
	press(t, tg, alice, "⚙️ Settings")
	waitText(t, tg, alice, "Language: English")
	press(t, tg, alice, "🌐 Русский")
	waitText(t, tg, alice, "Язык: Русский")
	press(t, tg, alice, "🏠 Главное меню")
	m = waitText(t, tg, alice, "Главное меню")
	if !strings.Contains(m.Text, "4 ключевых слова") || !strings.Contains(m.Text, "1 стоп-слово") {
		t.Errorf("Russian menu summary wrong:\n%s", m)
	}
	for _, label := range []string{"👤 Аккаунт", "🔑 Ключевые слова", "⚙️ Настройки", "❓ Помощь"} {
		if !contains(m.Buttons(), label) {
			t.Errorf("Russian menu lacks %q: %v", label, m.Buttons())
		}
	}

	// The HTTP surface is up.
	for _, path := range []string{"/healthz", "/privacy?lang=ru"} {
		if code, _ := get(t, "http://"+r.app.Addr()+path); code != http.StatusOK {
			t.Errorf("GET %s = %d; want 200", path, code)
		}
	}

	// Restart on the same data dir: everything is still there.
	r.stop()
	startApp(t, tg, dir)
	tg.SendText(alice, "/start")
	m = waitText(t, tg, alice, "4 ключевых слова")
	if !strings.Contains(m.Text, "Главное меню") {
		t.Errorf("after restart the menu is not in Russian:\n%s", m)
	}
	press(t, tg, alice, "🔑 Ключевые слова")
	m = waitText(t, tg, alice, "Ключевые слова</b> (4 из 5)")
	for _, rule := range []string{"дизайнер", "need + designer", "&#34;1с&#34;", "разработ*"} {
		if !strings.Contains(m.Text, rule) {
			t.Errorf("after restart keyword %q missing:\n%s", rule, m)
		}
	}
}

func TestRestartMidOnboardingResumes(t *testing.T) {
	tg := bottest.NewT(t)
	dir := t.TempDir()
	r := startApp(t, tg, dir)
	carol := bottest.User{ID: 3003, FirstName: "Carol", LanguageCode: "ru"}
	tg.SendText(carol, "/start")
	waitText(t, tg, carol, "Выберите язык")
	press(t, tg, carol, "🇷🇺 Русский")
	press(t, tg, carol, "✅ Принимаю")
	waitText(t, tg, carol, "Расскажите о своём бизнесе")
	r.stop()

	startApp(t, tg, dir)
	tg.SendText(carol, "Бухгалтерия для ИП и ООО: отчётность, УСН, 1С.")
	waitText(t, tg, carol, "Главное меню")
}

// TestForgedCallbackReachesOnlyOwnData replays one owner's callback data from
// another owner's account: nothing of the first owner's is read or changed.
func TestForgedCallbackReachesOnlyOwnData(t *testing.T) {
	tg := bottest.NewT(t)
	r := startApp(t, tg, t.TempDir())
	alice := bottest.User{ID: 1001, FirstName: "Alice", LanguageCode: "en"}
	bob := bottest.User{ID: 2002, FirstName: "Bob", LanguageCode: "en"}
	onboard(t, tg, alice)
	onboard(t, tg, bob)

	press(t, tg, alice, "🔑 Keywords")
	press(t, tg, alice, "➕ Add keywords")
	tg.SendText(alice, "секретное слово")
	list := waitText(t, tg, alice, "Keywords</b> (1 of 5)")
	var deleteData string
	for _, row := range list.Inline {
		for _, b := range row {
			if strings.HasPrefix(b.Text, "✖ ") {
				deleteData = b.Data
			}
		}
	}
	if deleteData == "" {
		t.Fatalf("no remove button:\n%s", list)
	}
	bobMenu, _ := tg.Last(bob.ID)
	for _, data := range []string{deleteData, "1.rules.0.0", "1.set", "1.export", "garbage", "1.ruledel.0.zzzz.0"} {
		if err := tg.PressData(bob, bobMenu.ID, data); err != nil {
			t.Fatalf("bob presses %q: %v", data, err)
		}
	}
	rules, err := r.app.Store().Rules(alice.ID, store.Keyword)
	if err != nil || len(rules) != 1 || rules[0].Text != "секретное слово" {
		t.Fatalf("alice's rules after bob's replay = %v, %v; want the one rule intact", rules, err)
	}
	for _, m := range tg.Transcript(bob.ID) {
		if strings.Contains(m.Text, "секретное") || (m.Document != nil && strings.Contains(string(m.Document.Data), "секретное")) {
			t.Fatalf("bob saw alice's data:\n%s", m)
		}
	}
	// Bob's own export holds Bob's data only.
	exp, err := tg.WaitFor(bob.ID, wait, func(m bottest.Message) bool { return m.Document != nil })
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(exp.Document.Data), `"telegram_id": 2002`) {
		t.Errorf("bob's export is not bob's:\n%s", exp.Document.Data)
	}
}

func TestDeleteMyData(t *testing.T) {
	tg := bottest.NewT(t)
	r := startApp(t, tg, t.TempDir())
	dan := bottest.User{ID: 4004, FirstName: "Dan", LanguageCode: "en"}
	onboard(t, tg, dan)
	press(t, tg, dan, "🔑 Keywords")
	press(t, tg, dan, "➕ Add keywords")
	tg.SendText(dan, "логотип")
	waitText(t, tg, dan, "(1 of 5)")
	press(t, tg, dan, "🏠 Main menu")
	press(t, tg, dan, "⚙️ Settings")
	press(t, tg, dan, "🗑 Delete my data")
	press(t, tg, dan, "🗑 Yes, delete everything")
	waitText(t, tg, dan, "All your data has been deleted")
	if _, err := r.app.Store().User(dan.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("User after delete: %v; want ErrNotFound", err)
	}
	if rules, _ := r.app.Store().Rules(dan.ID, store.Keyword); len(rules) != 0 {
		t.Errorf("rules after delete: %v", rules)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// tlog sends log lines to the test's log, shown when a test fails.
type tlog struct{ t *testing.T }

func (w tlog) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}

// stoppable is an app a test can stop (and restart on the same data dir).
type stoppable struct {
	app  *app.App
	stop func()
}

// startStoppable starts an app against the fake Bot API with the tests'
// defaults, mod applied; it stops at the end of the test if not before.
func startStoppable(t *testing.T, tg *bottest.Server, mod func(*app.Config)) *stoppable {
	t.Helper()
	cfg := app.Config{
		BotToken:        tg.Token(),
		BotAPIURL:       tg.URL(),
		TelegramAppID:   12345,
		TelegramAppHash: "0123456789abcdef0123456789abcdef",
		DataDir:         t.TempDir(),
		HTTPAddr:        "127.0.0.1:0",
		PublicURL:       "https://leads.example.com",
		MaxRules:        20,
		BotPollTimeout:  time.Second,
		BotRateBurst:    1000, // the tests tap far faster than people do
		Logger:          slog.New(slog.NewTextHandler(tlog{t}, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	if mod != nil {
		mod(&cfg)
	}
	a, err := app.New(cfg)
	if err != nil {
		t.Fatalf("app.New: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	stopped := false
	s := &stoppable{app: a}
	s.stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("app did not stop within 5 s")
		}
	}
	t.Cleanup(s.stop)
	return s
}

// TestLeavingAStepStopsWaitingForText: text typed after navigating away from
// "Add keywords" is never stored as a keyword, and /cancel is a command.
func TestLeavingAStepStopsWaitingForText(t *testing.T) {
	tg := bottest.NewT(t)
	r := startApp(t, tg, t.TempDir())
	eve := bottest.User{ID: 6006, FirstName: "Eve", LanguageCode: "en"}
	onboard(t, tg, eve)
	press(t, tg, eve, "🔑 Keywords")
	press(t, tg, eve, "➕ Add keywords")
	waitText(t, tg, eve, "Send keywords")
	tg.SendText(eve, "/help")
	waitText(t, tg, eve, "<b>Help</b>")
	press(t, tg, eve, "🏠 Main menu")
	tg.SendText(eve, "hello there")
	waitText(t, tg, eve, "I was not expecting a message")
	// /cancel in the middle of adding keywords leaves the step.
	press(t, tg, eve, "🔑 Keywords")
	press(t, tg, eve, "➕ Add keywords")
	waitText(t, tg, eve, "Send keywords")
	tg.SendText(eve, "/cancel")
	waitText(t, tg, eve, "Main menu")
	if rules, _ := r.app.Store().Rules(eve.ID, store.Keyword); len(rules) != 0 {
		t.Errorf("rules stored from navigation text: %v", rules)
	}
}

// TestOldButtonsAfterDeletionWriteNothing: pressing "Yes, delete" again, or
// any old button, after the data is gone stores nothing about the owner.
func TestOldButtonsAfterDeletionWriteNothing(t *testing.T) {
	tg := bottest.NewT(t)
	r := startApp(t, tg, t.TempDir())
	fay := bottest.User{ID: 7007, FirstName: "Fay", LanguageCode: "en"}
	onboard(t, tg, fay)
	press(t, tg, fay, "⚙️ Settings")
	press(t, tg, fay, "🗑 Delete my data")
	confirm, _ := tg.Last(fay.ID)
	yes := buttonData(confirm, "🗑 Yes, delete everything")
	press(t, tg, fay, "🗑 Yes, delete everything")
	waitText(t, tg, fay, "All your data has been deleted")
	if err := tg.PressData(fay, confirm.ID, yes); err != nil {
		t.Fatal(err)
	}
	tg.SendText(fay, "hi")
	waitText(t, tg, fay, "Choose your language")
	if _, err := r.app.Store().User(fay.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("record after old buttons: %v; want ErrNotFound", err)
	}
	// Choosing a language is an explicit new start.
	press(t, tg, fay, "🇬🇧 English")
	waitText(t, tg, fay, "What LeadGenRunner does")
}

// TestPrivacyCommandSendsThePage: with no public URL the bot links /privacy,
// and /privacy sends the policy itself.
func TestPrivacyCommandSendsThePage(t *testing.T) {
	tg := bottest.NewT(t)
	startStoppable(t, tg, func(c *app.Config) { c.PublicURL = "" })
	gil := bottest.User{ID: 8008, FirstName: "Gil", LanguageCode: "ru"}
	tg.SendText(gil, "/start")
	waitText(t, tg, gil, "Выберите язык")
	press(t, tg, gil, "🇷🇺 Русский")
	consent := waitText(t, tg, gil, "Политика конфиденциальности: /privacy")
	_ = consent
	tg.SendText(gil, "/privacy")
	doc, err := tg.WaitFor(gil.ID, wait, func(m bottest.Message) bool { return m.Document != nil })
	if err != nil {
		t.Fatal(err)
	}
	if doc.Document.Name != "privacy-ru.html" || !strings.Contains(string(doc.Document.Data), "Политика конфиденциальности") {
		t.Errorf("privacy document %q does not hold the Russian policy", doc.Document.Name)
	}
}
