package bottest

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tele "gopkg.in/telebot.v3"
)

// wait bounds every wait in these tests; nothing sleeps for a fixed time.
const wait = 5 * time.Second

var ann = User{ID: 42, FirstName: "Ann", Username: "ann", LanguageCode: "en"}

// testBot is a telebot.Bot talking to a Server.
type testBot struct {
	*tele.Bot
	// stopping is set while the bot stops. Bot.Stop cancels requests in
	// flight, so a handler may fail with "context canceled" after the
	// server already applied its last call; that is no test failure.
	stopping atomic.Bool
}

// newBot returns a bot talking to s, not yet polling. Handler errors fail
// the test.
func newBot(t *testing.T, s *Server) *testBot {
	t.Helper()
	tb := &testBot{}
	b, err := tele.NewBot(tele.Settings{
		URL:         s.URL(),
		Token:       s.Token(),
		Poller:      &tele.LongPoller{Timeout: time.Second},
		Synchronous: true, // handlers finish before Stop returns
		OnError: func(err error, _ tele.Context) {
			if tb.stopping.Load() && errors.Is(err, context.Canceled) {
				t.Logf("bot handler while stopping: %v", err)
				return
			}
			t.Errorf("bot handler: %v", err)
		},
	})
	if err != nil {
		t.Fatalf("NewBot: %v", err)
	}
	tb.Bot = b
	return tb
}

// start runs the long poller until the test ends; it stops before the
// server closes because cleanups run in reverse order.
func (b *testBot) start(t *testing.T) {
	done := make(chan struct{})
	go func() {
		b.Start()
		close(done)
	}()
	t.Cleanup(func() {
		b.stopping.Store(true)
		b.Stop()
		<-done
	})
}

func TestNewBotCallsGetMe(t *testing.T) {
	s := NewT(t)
	b := newBot(t, s)
	if b.Me.ID != botID || !b.Me.IsBot || b.Me.Username != "test_bot" {
		t.Errorf("Me = %+v; want bot %d @test_bot", b.Me, botID)
	}
	if n := len(s.Calls("getMe")); n != 1 {
		t.Errorf("getMe calls = %d; want 1", n)
	}
}

func TestMenuPressEditsInPlace(t *testing.T) {
	s := NewT(t)
	b := newBot(t, s)

	menu := &tele.ReplyMarkup{}
	btnLeads := menu.Data("Leads", "leads")
	btnSettings := menu.Data("Settings", "settings", "p1")
	menu.Inline(menu.Row(btnLeads, btnSettings))
	settings := &tele.ReplyMarkup{}
	btnBack := settings.Data("« Back", "back")
	settings.Inline(settings.Row(btnBack), settings.Row(settings.URL("Docs", "https://example.com/docs")))

	gotData := make(chan string, 1)
	b.Handle("/start", func(c tele.Context) error {
		return c.Send("<b>Main menu</b>", menu, tele.ModeHTML)
	})
	b.Handle(&btnSettings, func(c tele.Context) error {
		gotData <- c.Data()
		if err := c.Respond(); err != nil {
			return err
		}
		return c.Edit("Settings", settings)
	})
	b.Handle(&btnBack, func(c tele.Context) error {
		if err := c.Respond(); err != nil {
			return err
		}
		return c.Edit("<b>Main menu</b>", menu, tele.ModeHTML)
	})
	b.start(t)

	s.SendText(ann, "/start")
	m, err := s.WaitFor(ann.ID, wait, func(m Message) bool { return m.Text == "<b>Main menu</b>" })
	if err != nil {
		t.Fatal(err)
	}
	if m.ParseMode != "HTML" {
		t.Errorf("ParseMode = %q; want %q", m.ParseMode, "HTML")
	}
	if got, want := m.Buttons(), []string{"Leads", "Settings"}; !slices.Equal(got, want) {
		t.Errorf("Buttons() = %q; want %q", got, want)
	}
	if got, want := m.Inline[0][1].Data, "\fsettings|p1"; got != want {
		t.Errorf("callback data = %q; want %q", got, want)
	}

	if err := s.Press(ann, "Settings"); err != nil {
		t.Fatal(err)
	}
	if got := <-gotData; got != "p1" {
		t.Errorf("handler saw data %q; want %q", got, "p1")
	}
	edited, err := s.WaitFor(ann.ID, wait, func(m Message) bool { return m.Text == "Settings" })
	if err != nil {
		t.Fatal(err)
	}
	if edited.ID != m.ID || edited.Edits != 1 {
		t.Errorf("edited message #%d with %d edits; want #%d edited once", edited.ID, edited.Edits, m.ID)
	}
	if got, want := edited.Inline[1][0], (Button{Text: "Docs", URL: "https://example.com/docs"}); got != want {
		t.Errorf("url button = %+v; want %+v", got, want)
	}

	if err := s.Press(ann, "« Back"); err != nil {
		t.Fatal(err)
	}
	back, err := s.WaitFor(ann.ID, wait, func(m Message) bool { return m.Edits == 2 })
	if err != nil {
		t.Fatal(err)
	}
	if back.Text != "<b>Main menu</b>" {
		t.Errorf("after Back text = %q; want the menu", back.Text)
	}
	if tr := s.Transcript(ann.ID); len(tr) != 2 || tr[0].FromBot || tr[0].Text != "/start" || !tr[1].FromBot {
		t.Errorf("transcript = %v; want the user's /start and one bot menu", tr)
	}
	if got := len(s.Calls("answerCallbackQuery")); got != 2 {
		t.Errorf("answerCallbackQuery calls = %d; want 2", got)
	}

	err = s.Press(ann, "Nope")
	if err == nil || !strings.Contains(err.Error(), `[Leads] [Settings]`) {
		t.Errorf("Press(missing label) = %v; want an error showing the transcript", err)
	}
}

func TestPressURLButtonFails(t *testing.T) {
	s := NewT(t)
	b := newBot(t, s)
	mk := &tele.ReplyMarkup{}
	mk.Inline(mk.Row(mk.URL("Docs", "https://example.com")))
	if _, err := b.Send(tele.ChatID(ann.ID), "see docs", mk); err != nil {
		t.Fatal(err)
	}
	if err := s.Press(ann, "Docs"); err == nil || !strings.Contains(err.Error(), "no callback data") {
		t.Errorf("Press(url button) = %v; want a no-callback-data error", err)
	}
}

func TestPressData(t *testing.T) {
	s := NewT(t)
	b := newBot(t, s)
	got := make(chan string, 1)
	b.Handle(tele.OnCallback, func(c tele.Context) error {
		got <- c.Callback().Data
		if c.Callback().Data == "silent" {
			return nil // never answers
		}
		return c.Respond(&tele.CallbackResponse{Text: "expired", ShowAlert: true})
	})
	b.start(t)

	err := s.PressData(ann, 999, "x")
	if err == nil || !strings.Contains(err.Error(), "no message #999") {
		t.Errorf("PressData(unknown message) = %v; want a no-message error", err)
	}

	m, err := b.Send(tele.ChatID(ann.ID), "old menu")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.PressData(ann, m.ID, "\fstale|1"); err != nil {
		t.Fatal(err)
	}
	if d := <-got; d != "\fstale|1" {
		t.Errorf("bot saw data %q; want it verbatim", d)
	}
	answers := s.Calls("answerCallbackQuery")
	if len(answers) != 1 || answers[0].Params["text"] != "expired" || answers[0].Params["show_alert"] != "true" {
		t.Errorf("answerCallbackQuery calls = %+v; want one with text and show_alert", answers)
	}

	// Only the press that must time out gets a short wait: the answered
	// ones keep the default, which a loaded CI machine needs.
	s.mu.Lock()
	s.answerTimeout = 300 * time.Millisecond
	s.mu.Unlock()
	err = s.PressData(ann, m.ID, "silent")
	if !errors.Is(err, ErrTimeout) {
		t.Errorf("PressData(unanswered) = %v; want ErrTimeout", err)
	}
	<-got
}

func TestAnswerTwice(t *testing.T) {
	s := NewT(t)
	b := newBot(t, s)
	second := make(chan error, 1)
	b.Handle(tele.OnCallback, func(c tele.Context) error {
		if err := c.Respond(); err != nil {
			return err
		}
		second <- c.Respond()
		return nil
	})
	b.start(t)
	m, err := b.Send(tele.ChatID(ann.ID), "menu")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.PressData(ann, m.ID, "x"); err != nil {
		t.Fatal(err)
	}
	if err := <-second; !errors.Is(err, tele.ErrQueryTooOld) {
		t.Errorf("second answer = %v; want %v", err, tele.ErrQueryTooOld)
	}
}

func TestDocumentAndPhoto(t *testing.T) {
	s := NewT(t)
	b := newBot(t, s)
	csv := []byte("keyword,chat\nvps,@hosting\n")
	png := []byte("\x89PNG\r\n\x1a\nfake")
	b.Handle("/export", func(c tele.Context) error {
		doc := &tele.Document{File: tele.FromReader(bytes.NewReader(csv)), FileName: "leads.csv", Caption: "Your export"}
		if err := c.Send(doc); err != nil {
			return err
		}
		return c.Send(&tele.Photo{File: tele.FromReader(bytes.NewReader(png)), Caption: "chart"})
	})
	b.start(t)

	s.SendText(ann, "/export")
	tr, err := s.WaitTranscript(ann.ID, wait, func(tr []Message) bool { return len(tr) == 3 })
	if err != nil {
		t.Fatal(err)
	}
	doc, photo := tr[1], tr[2]
	if doc.Document == nil || doc.Document.Name != "leads.csv" || !bytes.Equal(doc.Document.Data, csv) || doc.Caption != "Your export" {
		t.Errorf("document message = %v; want leads.csv with the CSV bytes", doc)
	}
	if photo.Photo == nil || !bytes.Equal(photo.Photo.Data, png) || photo.Caption != "chart" {
		t.Errorf("photo message = %v; want the PNG bytes", photo)
	}
	files := s.Calls("sendDocument")[0].Files
	if got := string(files["document"].Data); got != string(csv) {
		t.Errorf("recorded upload = %q; want %q", got, csv)
	}

	// Re-sending by file_id keeps the bytes.
	again, err := b.Send(tele.ChatID(ann.ID), &tele.Document{File: tele.File{FileID: doc.Document.ID}})
	if err != nil {
		t.Fatal(err)
	}
	last, _ := s.Last(ann.ID)
	if last.ID != again.ID || last.Document == nil || !bytes.Equal(last.Document.Data, csv) {
		t.Errorf("re-sent document = %v; want the same bytes", last)
	}
	if _, err := b.Send(tele.ChatID(ann.ID), &tele.Document{File: tele.File{FileID: "nope"}}); !errors.Is(err, tele.ErrWrongFileID) {
		t.Errorf("send unknown file_id = %v; want %v", err, tele.ErrWrongFileID)
	}
}

func TestFloodError(t *testing.T) {
	s := NewT(t)
	b := newBot(t, s)
	s.Fail("sendMessage", 1, 429, 3)

	_, err := b.Send(tele.ChatID(ann.ID), "hi")
	var flood tele.FloodError
	if !errors.As(err, &flood) || flood.RetryAfter != 3 {
		t.Fatalf("Send under 429 = %v; want FloodError with RetryAfter 3", err)
	}
	if _, err := b.Send(tele.ChatID(ann.ID), "hi"); err != nil {
		t.Fatalf("Send after the fault = %v; want success", err)
	}
	calls := s.Calls("sendMessage")
	if len(calls) != 2 || calls[0].Status != 429 || calls[1].Status != 200 {
		t.Errorf("sendMessage statuses = %+v; want 429 then 200", calls)
	}
	if tr := s.Transcript(ann.ID); len(tr) != 1 {
		t.Errorf("transcript has %d messages; want only the successful one", len(tr))
	}
}

func TestServerErrors(t *testing.T) {
	s := NewT(t)
	b := newBot(t, s)
	s.Fail("sendMessage", 2, 502, 0)
	for range 2 {
		_, err := b.Send(tele.ChatID(ann.ID), "hi")
		if err == nil || !strings.Contains(err.Error(), "Bad Gateway (502)") {
			t.Errorf("Send under 502 = %v; want Bad Gateway", err)
		}
	}
	s.Fail("sendDocument", 1, 503, 0)
	_, err := b.Send(tele.ChatID(ann.ID), &tele.Document{File: tele.FromReader(strings.NewReader("x")), FileName: "a.txt"})
	if err == nil || !strings.Contains(err.Error(), "503") {
		t.Errorf("sendDocument under 503 = %v; want a 503 error", err)
	}
	s.Fail("sendMessage", 1, 403, 0)
	if _, err := b.Send(tele.ChatID(ann.ID), "hi"); !errors.Is(err, tele.ErrBlockedByUser) {
		t.Errorf("Send under 403 = %v; want %v", err, tele.ErrBlockedByUser)
	}
	s.Fail("sendMessage", 3, 500, 0)
	s.Fail("sendMessage", 0, 0, 0)
	if _, err := b.Send(tele.ChatID(ann.ID), "hi"); err != nil {
		t.Errorf("Send after clearing faults = %v; want success", err)
	}
}

func TestEditErrors(t *testing.T) {
	s := NewT(t)
	b := newBot(t, s)
	mk := &tele.ReplyMarkup{}
	mk.Inline(mk.Row(mk.Data("Next", "next", "2")))
	sent, err := b.Send(tele.ChatID(ann.ID), "page 1", mk)
	if err != nil {
		t.Fatal(err)
	}
	user := s.SendText(ann, "hello")

	long := &tele.ReplyMarkup{}
	long.Inline(long.Row(long.Data("Big", "big", strings.Repeat("x", 60))))

	tests := []struct {
		name string
		edit func() error
		want error  // matched with errors.Is, if set
		sub  string // else a substring of the error
	}{
		{"identical text and markup", func() error { _, err := b.Edit(sent, "page 1", mk); return err }, tele.ErrSameMessageContent, ""},
		{"identical markup", func() error { _, err := b.EditReplyMarkup(sent, mk); return err }, tele.ErrSameMessageContent, ""},
		{"unknown message", func() error {
			_, err := b.Edit(tele.StoredMessage{MessageID: "999", ChatID: ann.ID}, "x")
			return err
		}, nil, "message to edit not found"},
		{"user's message", func() error {
			_, err := b.Edit(tele.StoredMessage{MessageID: strconv.Itoa(user.ID), ChatID: ann.ID}, "x")
			return err
		}, nil, "message can't be edited"},
		{"too long", func() error { _, err := b.Edit(sent, strings.Repeat("я", 4097), mk); return err }, tele.ErrTooLongMessage, ""},
		{"callback data over 64 bytes", func() error { _, err := b.Edit(sent, "page 1", long); return err }, tele.ErrBadButtonData, ""},
		{"bad HTML", func() error { _, err := b.Edit(sent, "1 < 2", mk, tele.ModeHTML); return err }, nil, "can't parse entities"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.edit()
			switch {
			case tt.want != nil && !errors.Is(err, tt.want):
				t.Errorf("got %v; want %v", err, tt.want)
			case tt.want == nil && (err == nil || !strings.Contains(err.Error(), tt.sub)):
				t.Errorf("got %v; want an error containing %q", err, tt.sub)
			}
		})
	}
	if m, _ := s.Last(ann.ID); m.Edits != 0 || m.Text != "page 1" {
		t.Errorf("after failed edits message = %v; want it untouched", m)
	}

	// Editing the text without reply_markup drops the keyboard, as in
	// Telegram; the same text then counts as a change.
	if _, err := b.Edit(sent, "page 1"); err != nil {
		t.Fatalf("edit dropping the keyboard: %v", err)
	}
	if m, _ := s.Last(ann.ID); m.Inline != nil || m.Edits != 1 {
		t.Errorf("after edit without markup = %v; want no keyboard, 1 edit", m)
	}
}

func TestSendLimits(t *testing.T) {
	s := NewT(t)
	b := newBot(t, s)
	if _, err := b.Send(tele.ChatID(ann.ID), strings.Repeat("a", 4097)); !errors.Is(err, tele.ErrTooLongMessage) {
		t.Errorf("4097 chars = %v; want %v", err, tele.ErrTooLongMessage)
	}
	// 4096 visible characters are fine even with HTML tags around them.
	if _, err := b.Send(tele.ChatID(ann.ID), "<b>"+strings.Repeat("a", 4096)+"</b>", tele.ModeHTML); err != nil {
		t.Errorf("4096 chars in <b> = %v; want success", err)
	}
	mk := &tele.ReplyMarkup{}
	mk.Inline(mk.Row(mk.Data("Big", "u", strings.Repeat("x", 64))))
	if _, err := b.Send(tele.ChatID(ann.ID), "menu", mk); !errors.Is(err, tele.ErrBadButtonData) {
		t.Errorf("65-byte callback data = %v; want %v", err, tele.ErrBadButtonData)
	}
	if _, err := b.Send(tele.ChatID(ann.ID), "Hi, @a_b_c!", tele.ModeMarkdownV2); err == nil || !strings.Contains(err.Error(), "reserved") {
		t.Errorf("unescaped MarkdownV2 = %v; want a reserved character error", err)
	}
}

func TestReplyKeyboardAndContact(t *testing.T) {
	s := NewT(t)
	b := newBot(t, s)
	phones := make(chan string, 1)
	b.Handle("/phone", func(c tele.Context) error {
		mk := &tele.ReplyMarkup{ResizeKeyboard: true}
		mk.Reply(mk.Row(mk.Contact("Share phone")), mk.Row(mk.Text("Cancel")))
		return c.Send("Share your phone", mk)
	})
	b.Handle(tele.OnContact, func(c tele.Context) error {
		phones <- c.Message().Contact.PhoneNumber
		return c.Send("Thanks", &tele.ReplyMarkup{RemoveKeyboard: true})
	})
	b.start(t)

	s.SendText(ann, "/phone")
	ask, err := s.WaitFor(ann.ID, wait, func(m Message) bool { return len(m.Reply) > 0 })
	if err != nil {
		t.Fatal(err)
	}
	want := [][]ReplyButton{{{Text: "Share phone", RequestContact: true}}, {{Text: "Cancel"}}}
	if !slices.EqualFunc(ask.Reply, want, slices.Equal) {
		t.Errorf("reply keyboard = %+v; want %+v", ask.Reply, want)
	}
	s.SendContact(ann, "+15550100")
	if got := <-phones; got != "+15550100" {
		t.Errorf("bot saw phone %q; want %q", got, "+15550100")
	}
	thanks, err := s.WaitFor(ann.ID, wait, func(m Message) bool { return m.Text == "Thanks" })
	if err != nil {
		t.Fatal(err)
	}
	if !thanks.RemoveKeyboard {
		t.Errorf("Thanks message = %v; want remove_keyboard", thanks)
	}
}

func TestDelete(t *testing.T) {
	s := NewT(t)
	b := newBot(t, s)
	m, err := b.Send(tele.ChatID(ann.ID), "temporary")
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Delete(m); err != nil {
		t.Fatal(err)
	}
	if err := b.Delete(m); !errors.Is(err, tele.ErrNotFoundToDelete) {
		t.Errorf("second delete = %v; want %v", err, tele.ErrNotFoundToDelete)
	}
	if _, ok := s.Last(ann.ID); ok {
		t.Error("Last found a message after its deletion")
	}
	if tr := s.Transcript(ann.ID); len(tr) != 1 || !tr[0].Deleted {
		t.Errorf("transcript = %v; want one deleted message", tr)
	}
	if _, err := b.Edit(m, "x"); err == nil || !strings.Contains(err.Error(), "message to edit not found") {
		t.Errorf("edit deleted message = %v; want not found", err)
	}
}

func TestStartupMethods(t *testing.T) {
	s := NewT(t)
	b := newBot(t, s)
	if err := b.RemoveWebhook(true); err != nil {
		t.Errorf("RemoveWebhook: %v", err)
	}
	cmds := []tele.Command{{Text: "start", Description: "Open the menu"}}
	if err := b.SetCommands(cmds); err != nil {
		t.Fatalf("SetCommands: %v", err)
	}
	got, err := b.Commands()
	if err != nil || len(got) != 1 || got[0] != cmds[0] {
		t.Errorf("Commands() = %v, %v; want %v", got, err, cmds)
	}
	if err := b.SetCommands([]tele.Command{{Text: "Start", Description: "x"}}); err == nil || !strings.Contains(err.Error(), "BOT_COMMAND_INVALID") {
		t.Errorf("SetCommands(upper case) = %v; want BOT_COMMAND_INVALID", err)
	}
	if p := s.Calls("setMyCommands")[0].Params["commands"]; !strings.HasPrefix(p, `[{"command":"start"`) {
		t.Errorf("recorded commands = %q; want the JSON array", p)
	}
}

func TestUnknownMethodAndToken(t *testing.T) {
	s := NewT(t)
	b := newBot(t, s)
	_, err := b.Raw("frobnicate", map[string]string{"x": "1"})
	if err == nil || !strings.Contains(err.Error(), "method not found") {
		t.Errorf("unknown method = %v; want method not found", err)
	}
	calls := s.Calls("frobnicate")
	if len(calls) != 1 || calls[0].Status != 404 || calls[0].Params["x"] != "1" {
		t.Errorf("recorded calls = %+v; want one 404 with its params", calls)
	}
	_, err = tele.NewBot(tele.Settings{URL: s.URL(), Token: "1:WRONG", Offline: false})
	if !errors.Is(err, tele.ErrUnauthorized) {
		t.Errorf("NewBot with a wrong token = %v; want %v", err, tele.ErrUnauthorized)
	}
}
