package bot

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tele "gopkg.in/telebot.v3"

	"github.com/leadgenrunner/leadgenrunner/bot/bottest"
	"github.com/leadgenrunner/leadgenrunner/store"
)

// newTestBot builds a bot on a fresh store against the fake Bot API. Extra
// handlers can be registered before start is called.
func newTestBot(t *testing.T, cfg Config) (*Bot, *bottest.Server, func()) {
	t.Helper()
	tg := bottest.NewT(t)
	key := make([]byte, 32)
	st, err := store.Open(store.Config{Path: filepath.Join(t.TempDir(), "db"), MasterKey: key})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cfg.Token, cfg.APIURL, cfg.Store, cfg.PollTimeout = tg.Token(), tg.URL(), st, time.Second
	b, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	start := func() {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { b.Run(ctx); close(done) }()
		t.Cleanup(func() { cancel(); <-done })
	}
	return b, tg, start
}

func TestPanicIsRecoveredAndBotKeepsRunning(t *testing.T) {
	b, tg, start := newTestBot(t, Config{})
	b.tb.Handle("/panic", func(tele.Context) error { panic("boom") })
	start()
	u := bottest.User{ID: 7, FirstName: "P", LanguageCode: "en"}
	tg.SendText(u, "/panic")
	if _, err := tg.WaitFor(u.ID, 5*time.Second, func(m bottest.Message) bool {
		return strings.Contains(m.Text, "Something went wrong")
	}); err != nil {
		t.Fatal(err)
	}
	tg.SendText(u, "/start")
	if _, err := tg.WaitFor(u.ID, 5*time.Second, func(m bottest.Message) bool {
		return strings.Contains(m.Text, "Choose your language")
	}); err != nil {
		t.Fatalf("bot stopped answering after a panic: %v", err)
	}
}

func TestRateLimitAnswersPolitelyOnce(t *testing.T) {
	_, tg, start := newTestBot(t, Config{RateBurst: 2, RateEvery: time.Hour})
	start()
	u := bottest.User{ID: 8, FirstName: "R", LanguageCode: "en"}
	for i := 0; i < 5; i++ {
		tg.SendText(u, "/start")
	}
	if _, err := tg.WaitFor(u.ID, 5*time.Second, func(m bottest.Message) bool {
		return strings.Contains(m.Text, "wait a few seconds")
	}); err != nil {
		t.Fatal(err)
	}
	// Let the remaining updates drain, then count the warnings.
	time.Sleep(300 * time.Millisecond)
	warnings := 0
	for _, m := range tg.Transcript(u.ID) {
		if m.FromBot && strings.Contains(m.Text, "wait a few seconds") {
			warnings++
		}
	}
	if warnings != 1 {
		t.Errorf("got %d slow-down warnings; want 1", warnings)
	}
}

// TestHugeRulePasteGetsAReport: a paste of many duplicate, over-limit and
// invalid rules gets a report that fits in one Telegram message.
func TestHugeRulePasteGetsAReport(t *testing.T) {
	b, tg, start := newTestBot(t, Config{MaxRules: 5, RateBurst: 100})
	start()
	u := bottest.User{ID: 9, FirstName: "H", LanguageCode: "ru"}
	if _, err := b.store.UpdateUser(u.ID, func(x *store.User) error {
		x.Lang, x.Stage, x.Awaiting = "ru", stageDone, awaitKeywords
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var lines []string
	for i := 0; i < 5; i++ {
		lines = append(lines, fmt.Sprintf("правило%d", i))
	}
	if _, _, _, err := b.store.AddRules(u.ID, store.Keyword, lines, 5); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 40; i++ {
		lines = append(lines, fmt.Sprintf("новое правило номер %d с длинным хвостом слов", i))
		lines = append(lines, fmt.Sprintf(`ищу "1с%d" и ещё очень длинный текст правила номер %d`, i, i))
	}
	tg.SendText(u, strings.Join(lines, "\n"))
	m, err := tg.WaitFor(u.ID, 5*time.Second, func(m bottest.Message) bool { return m.FromBot })
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Уже есть в списке", "достигнут лимит", "Не добавлено, исправьте"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("report lacks %q:\n%s", want, m.Text)
		}
	}
}
