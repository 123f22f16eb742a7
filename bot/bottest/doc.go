// Package bottest is a fake Telegram Bot API server for driving the real
// telebot-based bot end to end in tests.
//
// A Server is an [httptest.Server] that answers /bot<token>/<method> the way
// api.telegram.org does: JSON, form-urlencoded and multipart requests in,
// {"ok":true,"result":...} or {"ok":false,"error_code":...,"description":...}
// out. It keeps every chat's transcript (texts, keyboards, edits, deletions,
// uploaded files), queues updates for getUpdates long polling, and lets a
// test act as a user:
//
//	s := bottest.NewT(t)
//	b, _ := tele.NewBot(tele.Settings{URL: s.URL(), Token: s.Token(),
//		Poller: &tele.LongPoller{Timeout: time.Second}})
//	// ... register handlers, go b.Start(), t.Cleanup(b.Stop) ...
//	u := bottest.User{ID: 42, FirstName: "Ann"}
//	s.SendText(u, "/start")
//	menu, err := s.WaitFor(u.ID, 5*time.Second, func(m bottest.Message) bool {
//		return len(m.Buttons()) > 0
//	})
//	err = s.Press(u, "Settings") // blocks until the bot answers the callback
//
// Like the real service it rejects what Telegram rejects, so bugs show up in
// tests rather than in production: editing a message with identical content
// ("message is not modified"), editing an unknown message, texts over 4096
// characters, callback data over 64 bytes, malformed HTML or MarkdownV2 in
// parse_mode texts, answering a callback query twice. Fail injects 429 flood
// waits and 5xx errors.
//
// The package imports only the standard library; it must not import
// telebot or any package of this module outside its tests, so that any
// Bot API client can be tested against it.
package bottest
