package app_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gotd/td/tgerr"

	"github.com/leadgenrunner/leadgenrunner/app"
	"github.com/leadgenrunner/leadgenrunner/bot/bottest"
	"github.com/leadgenrunner/leadgenrunner/store"
	"github.com/leadgenrunner/leadgenrunner/userbot/usertest"
)

// withTelegram points the app's userbots at the fake Telegram cluster through
// the same settings an operator uses (LGR_TELEGRAM_DC_ADDR and
// LGR_TELEGRAM_PUBLIC_KEY_FILE).
func withTelegram(t *testing.T, tc *usertest.Cluster, dataDir string) func(*app.Config) {
	keyFile := filepath.Join(t.TempDir(), "server.pem")
	if err := os.WriteFile(keyFile, tc.PublicKeyPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	return func(c *app.Config) {
		c.TelegramDCAddr = tc.Addr()
		c.TelegramPublicKeyFile = keyFile
		c.DataDir = dataDir
		c.UserbotReconcileInterval = time.Hour // live updates and catch-up only
	}
}

// pressPrefix presses the newest button whose label starts with prefix.
func pressPrefix(t *testing.T, tg *bottest.Server, u bottest.User, prefix string) {
	t.Helper()
	m, err := tg.WaitFor(u.ID, wait, func(m bottest.Message) bool { return buttonData(m, prefix) != "" })
	if err != nil {
		t.Fatalf("no button %q: %v", prefix, err)
	}
	if err := tg.PressData(u, m.ID, buttonData(m, prefix)); err != nil {
		t.Fatalf("press %q: %v", prefix, err)
	}
}

func typeCode(t *testing.T, tg *bottest.Server, u bottest.User, code string) {
	t.Helper()
	for _, d := range code {
		press(t, tg, u, string(d))
	}
	press(t, tg, u, "✅")
}

// waitStored waits until the owner's store holds a message with text.
func waitStored(t *testing.T, a *app.App, owner int64, text string) store.Message {
	t.Helper()
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) {
		msgs, err := a.Store().RecentMessages(owner, 1000)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			if m.Text == text {
				return m
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("message %q never stored", text)
	return store.Message{}
}

func countStored(t *testing.T, a *app.App, owner int64, text string) int {
	t.Helper()
	msgs, err := a.Store().RecentMessages(owner, 1000)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range msgs {
		if m.Text == text {
			n++
		}
	}
	return n
}

// TestConnectPickMonitorRestartDisconnect is the owner's whole way through
// issue 3: connect with a wrong then right code and a wrong then right 2FA
// password, pick two chats of three, have messages stored only from those,
// survive a restart without losing or doubling a message, and disconnect.
func TestConnectPickMonitorRestartDisconnect(t *testing.T) {
	tc := usertest.New(t)
	acc := tc.AddAccount("+15550000001", usertest.AccountOptions{Password: "hunter2", FirstName: "Alice", Username: "alice_biz"})
	bob := tc.AddAccount("+15550000002", usertest.AccountOptions{FirstName: "Bob", Username: "bob"})
	design := tc.AddGroup("Design chat", acc, bob)
	webdev := tc.AddSupergroup("Web dev", "webdevchat", acc, bob)
	offtopic := tc.AddSupergroup("Offtopic", "offtopicchat", acc, bob)

	tg := bottest.NewT(t)
	dir := t.TempDir()
	a := startStoppable(t, tg, withTelegram(t, tc, dir))
	alice := bottest.User{ID: 1001, FirstName: "Alice", Username: "alice", LanguageCode: "en"}
	onboard(t, tg, alice)

	// Connect: share the number, then a wrong code, then the right one.
	press(t, tg, alice, "👤 Account")
	waitText(t, tg, alice, "No Telegram account is connected")
	press(t, tg, alice, "📱 Connect with phone number")
	ask := waitText(t, tg, alice, "Send my number")
	if len(ask.Reply) == 0 || !ask.Reply[0][0].RequestContact {
		t.Fatalf("phone prompt has no request_contact button:\n%s", ask)
	}
	tg.SendContact(alice, "+1 555 000 0001")
	waitText(t, tg, alice, "Enter it with the keypad")
	typeCode(t, tg, alice, "00000")
	waitText(t, tg, alice, "That code is not right")
	typeCode(t, tg, alice, acc.Code())
	waitText(t, tg, alice, "two-step verification")
	for _, m := range tg.Transcript(alice.ID) {
		if m.FromBot && strings.Contains(m.Text, acc.Code()) {
			t.Fatalf("the login code appeared in a bot message:\n%s", m)
		}
	}

	// 2FA: a wrong password, then the right one; both messages deleted.
	wrong := tg.SendText(alice, "letmein")
	waitText(t, tg, alice, "That password is not right")
	right := tg.SendText(alice, "hunter2")
	waitText(t, tg, alice, "Connected as @alice_biz")
	if _, err := tg.WaitTranscript(alice.ID, wait, func(ms []bottest.Message) bool {
		deleted := 0
		for _, m := range ms {
			if (m.ID == wrong.ID || m.ID == right.ID) && m.Deleted {
				deleted++
			}
		}
		return deleted == 2
	}); err != nil {
		t.Fatalf("password messages not deleted: %v", err)
	}

	// Pick two chats of three.
	press(t, tg, alice, "💬 Pick chats")
	list := waitText(t, tg, alice, "monitoring 0 of 10")
	for _, title := range []string{"Design chat", "Web dev", "Offtopic"} {
		if buttonData(list, "▫️ "+title) == "" {
			t.Errorf("chat %q not offered:\n%s", title, list)
		}
	}
	pressPrefix(t, tg, alice, "▫️ Design chat")
	waitText(t, tg, alice, "monitoring 1 of 10")
	pressPrefix(t, tg, alice, "▫️ Web dev")
	waitText(t, tg, alice, "monitoring 2 of 10")

	// Live: the selected chats are stored, the other one never is.
	tc.Post(design, bob, "need a logo for my bakery")
	tc.Post(offtopic, bob, "SECRET-OFFTOPIC who watched the game")
	tc.Post(webdev, bob, "looking for a landing page developer")
	got := waitStored(t, a.app, alice.ID, "need a logo for my bakery")
	if got.SenderUsername != "bob" || got.ChatTitle != "Design chat" || got.MsgID == 0 || got.Date.IsZero() {
		t.Errorf("stored message lacks fields: %+v", got)
	}
	waitStored(t, a.app, alice.ID, "looking for a landing page developer")

	// Restart; messages sent while the app was down arrive exactly once.
	a.stop()
	tc.Post(webdev, bob, "while down 1: need a designer")
	tc.Post(design, bob, "while down 2: need a copywriter")
	a = startStoppable(t, tg, withTelegram(t, tc, dir))
	for _, text := range []string{"while down 1: need a designer", "while down 2: need a copywriter"} {
		waitStored(t, a.app, alice.ID, text)
	}
	tc.Post(webdev, bob, "after restart")
	waitStored(t, a.app, alice.ID, "after restart")
	for _, text := range []string{"need a logo for my bakery", "looking for a landing page developer", "while down 1: need a designer", "while down 2: need a copywriter", "after restart"} {
		if n := countStored(t, a.app, alice.ID, text); n != 1 {
			t.Errorf("%q stored %d times; want 1", text, n)
		}
	}

	// The Account screen shows the connection.
	tg.SendText(alice, "/start")
	waitText(t, tg, alice, "Main menu")
	press(t, tg, alice, "👤 Account")
	status := waitText(t, tg, alice, "Chats monitored: 2")
	if !strings.Contains(status.Text, "@alice_biz") || strings.Contains(status.Text, "5550000001") {
		t.Errorf("account screen wrong or shows the full number:\n%s", status)
	}

	// Settings shows what is stored, and the export carries all of it.
	press(t, tg, alice, "🏠 Main menu")
	press(t, tg, alice, "⚙️ Settings")
	press(t, tg, alice, "🗂 What we store")
	mine := waitText(t, tg, alice, "Monitored chats: 2")
	if !strings.Contains(mine.Text, "Stored messages (from those chats only): 5") || !strings.Contains(mine.Text, "@alice_biz") ||
		!strings.Contains(mine.Text, "Messages are kept for 90 days") {
		t.Errorf("what-we-store screen wrong:\n%s", mine)
	}
	press(t, tg, alice, "⬅️ Back")
	press(t, tg, alice, "📤 Export my data")
	exp, err := tg.WaitFor(alice.ID, wait, func(m bottest.Message) bool { return m.Document != nil })
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"need a logo for my bakery"`, `"title": "Web dev"`, `0000001"`} {
		if !strings.Contains(string(exp.Document.Data), want) {
			t.Errorf("export lacks %s", want)
		}
	}
	if !strings.Contains(string(exp.Document.Data), `"telegram_account": {`) {
		t.Errorf("export lacks the account:\n%.400s", exp.Document.Data)
	}
	if strings.Contains(string(exp.Document.Data), "SECRET-OFFTOPIC") {
		t.Error("export contains a message from an unselected chat")
	}

	// Disconnect: logged out at Telegram, nothing stored afterwards.
	press(t, tg, alice, "🏠 Main menu")
	press(t, tg, alice, "👤 Account")
	press(t, tg, alice, "🔌 Disconnect")
	press(t, tg, alice, "🔌 Yes, disconnect")
	waitText(t, tg, alice, "Disconnected")
	if n := acc.Sessions(); n != 0 {
		t.Errorf("%d sessions left at Telegram after disconnect; want 0", n)
	}
	tc.Post(design, bob, "AFTER-DISCONNECT need a logo")
	time.Sleep(time.Second)
	if n := countStored(t, a.app, alice.ID, "AFTER-DISCONNECT need a logo"); n != 0 {
		t.Errorf("message stored after disconnect")
	}
	a.stop()

	// Nothing from the unselected chat, nor after disconnect, is anywhere
	// in the database file.
	raw, err := os.ReadFile(filepath.Join(dir, "leadgenrunner.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"SECRET-OFFTOPIC", "AFTER-DISCONNECT"} {
		if bytes.Contains(raw, []byte(secret)) {
			t.Errorf("database file contains %q", secret)
		}
	}
}

// connect drives the bot's phone login for an account without 2FA.
func connect(t *testing.T, tg *bottest.Server, u bottest.User, acc *usertest.Account) {
	t.Helper()
	press(t, tg, u, "👤 Account")
	press(t, tg, u, "📱 Connect with phone number")
	waitText(t, tg, u, "Send my number")
	tg.SendText(u, acc.Phone())
	waitText(t, tg, u, "Enter it with the keypad")
	typeCode(t, tg, u, acc.Code())
	waitText(t, tg, u, "Connected as")
}

func TestSessionRevokedTellsOwnerOnce(t *testing.T) {
	tc := usertest.New(t)
	acc := tc.AddAccount("+15550000011", usertest.AccountOptions{FirstName: "Olga", Username: "olga"})
	tg := bottest.NewT(t)
	a := startStoppable(t, tg, withTelegram(t, tc, t.TempDir()))
	olga := bottest.User{ID: 2001, FirstName: "Olga", LanguageCode: "en"}
	onboard(t, tg, olga)
	connect(t, tg, olga, acc)

	// Telegram ends the session; the account notices on its next call
	// (here the owner opens the chat list; in production also the
	// periodic reconciliation and the updates idle check).
	acc.Revoke()
	press(t, tg, olga, "💬 Pick chats")
	waitText(t, tg, olga, "Your Telegram session was ended")
	// Give a second notice a chance to appear, then count.
	time.Sleep(500 * time.Millisecond)
	if n := len(botTexts(tg, olga.ID, "Your Telegram session was ended")); n != 1 {
		t.Errorf("owner told %d times; want once", n)
	}
	press(t, tg, olga, "👤 Account")
	waitText(t, tg, olga, "No Telegram account is connected")
	if st := a.app.Userbot().Status(olga.ID); st.State != "" && st.State != "needs_login" {
		t.Errorf("state after revoke %q", st.State)
	}
}

func TestFloodWaitBecomesAMessage(t *testing.T) {
	tc := usertest.New(t)
	acc := tc.AddAccount("+15550000021", usertest.AccountOptions{FirstName: "Fred"})
	tc.AddGroup("Some group", acc)
	tg := bottest.NewT(t)
	startStoppable(t, tg, withTelegram(t, tc, t.TempDir()))
	fred := bottest.User{ID: 3001, FirstName: "Fred", LanguageCode: "en"}
	onboard(t, tg, fred)
	connect(t, tg, fred, acc)

	acc.FailNext("messages.getDialogs", tgerr.New(420, "FLOOD_WAIT_100000"), 1)
	press(t, tg, fred, "💬 Pick chats")
	waitText(t, tg, fred, "Telegram asks to wait 1667 minutes")
	// Once the wait is over (here: the next call), the list loads.
	tg.SendText(fred, "/start")
	waitText(t, tg, fred, "Main menu")
	press(t, tg, fred, "💬 Chats")
	waitText(t, tg, fred, "monitoring 0 of 10")
}

// TestQRLoginWith2FA: the bot sends the QR code as a PNG, replaces it when
// the token expires, and after the scan asks for the 2FA password.
func TestQRLoginWith2FA(t *testing.T) {
	tc := usertest.New(t, usertest.WithQRTokenTTL(2*time.Second))
	acc := tc.AddAccount("+15550000031", usertest.AccountOptions{Password: "s3cret", Username: "qruser"})
	tg := bottest.NewT(t)
	startStoppable(t, tg, withTelegram(t, tc, t.TempDir()))
	quinn := bottest.User{ID: 4001, FirstName: "Quinn", LanguageCode: "en"}
	onboard(t, tg, quinn)

	press(t, tg, quinn, "👤 Account")
	press(t, tg, quinn, "🔳 Connect with QR code")
	first, err := tg.WaitFor(quinn.ID, wait, func(m bottest.Message) bool { return m.Photo != nil })
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(first.Photo.Data, []byte("\x89PNG")) || !strings.Contains(first.Caption, "Link Desktop Device") {
		t.Fatalf("QR message is not a PNG with instructions: %q", first.Caption)
	}
	// The token expires after 2 s: a fresh code replaces the first one.
	if _, err := tg.WaitTranscript(quinn.ID, wait, func(ms []bottest.Message) bool {
		for _, m := range ms {
			if m.ID == first.ID && m.Deleted {
				return true
			}
		}
		return false
	}); err != nil {
		t.Fatalf("QR code not refreshed: %v", err)
	}
	urls := tc.QRTokenURLs()
	if len(urls) != 1 {
		t.Fatalf("live QR tokens %v; want 1", urls)
	}
	if err := acc.AcceptQR(urls[0]); err != nil {
		t.Fatal(err)
	}
	waitText(t, tg, quinn, "two-step verification")
	tg.SendText(quinn, "s3cret")
	waitText(t, tg, quinn, "Connected as @qruser")
	if _, err := tg.WaitTranscript(quinn.ID, wait, func(ms []bottest.Message) bool {
		for _, m := range ms {
			if m.Photo != nil && !m.Deleted {
				return false
			}
		}
		return true
	}); err != nil {
		t.Errorf("a QR code is still shown after login: %v", err)
	}
}

// TestQRThenPhoneLogin: an owner who starts a QR login and then switches to
// the phone login is not told that their (new) login expired.
func TestQRThenPhoneLogin(t *testing.T) {
	tc := usertest.New(t)
	acc := tc.AddAccount("+15550000041", usertest.AccountOptions{Username: "switcher"})
	tg := bottest.NewT(t)
	startStoppable(t, tg, withTelegram(t, tc, t.TempDir()))
	sam := bottest.User{ID: 4101, FirstName: "Sam", LanguageCode: "en"}
	onboard(t, tg, sam)

	press(t, tg, sam, "👤 Account")
	press(t, tg, sam, "🔳 Connect with QR code")
	if _, err := tg.WaitFor(sam.ID, wait, func(m bottest.Message) bool { return m.Photo != nil }); err != nil {
		t.Fatal(err)
	}
	tg.SendText(sam, "/start")
	waitText(t, tg, sam, "Main menu")
	press(t, tg, sam, "👤 Account")
	press(t, tg, sam, "📱 Connect with phone number")
	waitText(t, tg, sam, "Send my number")
	tg.SendText(sam, acc.Phone())
	waitText(t, tg, sam, "Enter it with the keypad")
	typeCode(t, tg, sam, acc.Code())
	waitText(t, tg, sam, "Connected as @switcher")
	if n := len(botTexts(tg, sam.ID, "expired")); n != 0 {
		t.Errorf("owner was told %d times that a login expired", n)
	}
}
