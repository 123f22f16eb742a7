package userbot_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gotd/td/session"
	"github.com/gotd/td/telegram/dcs"
	"github.com/gotd/td/tgerr"

	"github.com/leadgenrunner/leadgenrunner/store"
	"github.com/leadgenrunner/leadgenrunner/userbot"
	"github.com/leadgenrunner/leadgenrunner/userbot/usertest"
)

const owner = 1001

func TestLoginFlow(t *testing.T) {
	t.Parallel()
	c := usertest.New(t)
	acc := c.AddAccount("+15550001000", usertest.AccountOptions{Password: "hunter2", FirstName: "Ann", Username: "ann"})
	e := startEnv(t, c, "")
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()

	if _, err := e.m.SubmitCode(ctx, owner, "12345"); !errors.Is(err, userbot.ErrNoPendingLogin) {
		t.Fatalf("code without login: got %v; want ErrNoPendingLogin", err)
	}
	if _, err := e.m.StartLogin(ctx, owner, "+1 abc"); !errors.Is(err, userbot.ErrPhoneInvalid) {
		t.Fatalf("bad phone: got %v; want ErrPhoneInvalid", err)
	}
	info, err := e.m.StartLogin(ctx, owner, "+1 (555) 000-1000")
	if err != nil {
		t.Fatal(err)
	}
	if info.CodeLength != 5 || info.Via != "app" {
		t.Fatalf("login info: got %+v; want 5 digits via app", info)
	}
	wrong := "00000"
	if wrong == acc.Code() {
		wrong = "11111"
	}
	if _, err := e.m.SubmitCode(ctx, owner, wrong); !errors.Is(err, userbot.ErrCodeInvalid) {
		t.Fatalf("wrong code: got %v; want ErrCodeInvalid", err)
	}
	acc.ExpireCode()
	expired := acc.Code()
	if _, err := e.m.SubmitCode(ctx, owner, expired); !errors.Is(err, userbot.ErrCodeExpired) {
		t.Fatalf("expired code: got %v; want ErrCodeExpired", err)
	}
	if acc.Code() == expired {
		t.Fatal("no new code was sent after expiry")
	}
	if _, err := e.m.ResendCode(ctx, owner); err != nil {
		t.Fatalf("ResendCode: %v", err)
	}
	need, err := e.m.SubmitCode(ctx, owner, acc.Code())
	if err != nil || !need {
		t.Fatalf("right code: got %v, %v; want needPassword", need, err)
	}
	if err := e.m.SubmitPassword(ctx, owner, "hunter3"); !errors.Is(err, userbot.ErrPasswordInvalid) {
		t.Fatalf("wrong password: got %v; want ErrPasswordInvalid", err)
	}
	if err := e.m.SubmitPassword(ctx, owner, "hunter2"); err != nil {
		t.Fatalf("right password: %v", err)
	}
	e.waitState(owner, userbot.StateConnected)
	st := e.m.Status(owner)
	if st.AccountID != acc.ID() || st.Username != "ann" || st.Name != "Ann" || st.Phone != "+15550001000" {
		t.Fatalf("status: got %+v", st)
	}
	if got := userbot.MaskPhone(st.Phone); got != "+155••••••00" {
		t.Fatalf("MaskPhone: got %q", got)
	}
	if _, err := e.m.StartLogin(ctx, owner, "+15550001000"); !errors.Is(err, userbot.ErrAlreadyConnected) {
		t.Fatalf("second login: got %v; want ErrAlreadyConnected", err)
	}

	// The session in the database file is sealed: neither the auth key nor
	// its base64 appears in it.
	data, err := e.st.Session(acc.ID())
	if err != nil {
		t.Fatal(err)
	}
	var mem session.StorageMemory
	if err := mem.StoreSession(ctx, data); err != nil {
		t.Fatal(err)
	}
	sess, err := (&session.Loader{Storage: &mem}).Load(ctx)
	if err != nil || len(sess.AuthKey) != 256 {
		t.Fatalf("load session: %v (key %d bytes)", err, len(sess.AuthKey))
	}
	file, err := os.ReadFile(e.path)
	if err != nil {
		t.Fatal(err)
	}
	for name, needle := range map[string][]byte{
		"raw key":        sess.AuthKey,
		"base64 key":     []byte(base64.StdEncoding.EncodeToString(sess.AuthKey)),
		"key id":         sess.AuthKeyID,
		"session fields": []byte(`"AuthKey"`),
	} {
		if bytes.Contains(file, needle) {
			t.Errorf("database file contains the %s", name)
		}
	}
}

func TestLoginUnregistered(t *testing.T) {
	t.Parallel()
	c := usertest.New(t)
	e := startEnv(t, c, "")
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	info, err := e.m.StartLogin(ctx, owner, "+15550009999")
	if err != nil {
		t.Fatal(err)
	}
	if info.Via != "sms" {
		t.Fatalf("via: got %q; want sms", info.Via)
	}
	if _, err := e.m.SubmitCode(ctx, owner, c.CodeFor("+15550009999")); !errors.Is(err, userbot.ErrNotRegistered) {
		t.Fatalf("got %v; want ErrNotRegistered", err)
	}
	if _, err := e.m.SubmitCode(ctx, owner, "1"); !errors.Is(err, userbot.ErrNoPendingLogin) {
		t.Fatalf("after not registered: got %v; want ErrNoPendingLogin", err)
	}
}

func TestQRLogin(t *testing.T) {
	t.Parallel()
	c := usertest.New(t)
	acc := c.AddAccount("+15550001001", usertest.AccountOptions{Password: "pw"})
	e := startEnv(t, c, "")
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	need, err := e.m.QRLogin(ctx, owner, func(url string, expires time.Time) error {
		if time.Until(expires) <= 0 {
			t.Errorf("token already expired: %v", expires)
		}
		return acc.AcceptQR(url)
	})
	if err != nil || !need {
		t.Fatalf("QRLogin: got %v, %v; want needPassword", need, err)
	}
	if err := e.m.SubmitPassword(ctx, owner, "pw"); err != nil {
		t.Fatal(err)
	}
	e.waitState(owner, userbot.StateConnected)
}

func TestLoginTimeout(t *testing.T) {
	t.Parallel()
	c := usertest.New(t)
	acc := c.AddAccount("+15550001002", usertest.AccountOptions{})
	clock := newClock()
	e := startEnv(t, c, "", func(cfg *userbot.Config) {
		cfg.Now = clock.Now
		cfg.LoginTimeout = time.Minute
	})
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if _, err := e.m.StartLogin(ctx, owner, "+"+acc.Phone()); err != nil {
		t.Fatal(err)
	}
	clock.Add(2 * time.Minute)
	if _, err := e.m.SubmitCode(ctx, owner, acc.Code()); !errors.Is(err, userbot.ErrNoPendingLogin) {
		t.Fatalf("after timeout: got %v; want ErrNoPendingLogin", err)
	}
}

func TestMessagesOfSelectedChatsReachSink(t *testing.T) {
	t.Parallel()
	c := usertest.New(t)
	me := c.AddAccount("+15550002000", usertest.AccountOptions{})
	bob := c.AddAccount("+15550002001", usertest.AccountOptions{Username: "bob", FirstName: "Bob"})
	g := c.AddGroup("Group", me, bob)
	sg := c.AddSupergroup("Super", "super", me, bob)
	other := c.AddSupergroup("Other", "other", me, bob)
	c.Post(sg, bob, "before selection")

	e := startEnv(t, c, "")
	e.connect(owner, me, "")
	e.selectChats(owner, "Group", "Super")

	id := c.Post(g, bob, "need a plumber")
	m := e.sink.next(t)
	if m.MsgID != int64(id) || m.ChatID != -g.ID() || m.Text != "need a plumber" || m.AccountID != me.ID() {
		t.Fatalf("group message: got %+v", m)
	}
	if m.SenderID != bob.ID() || m.SenderUsername != "bob" || m.SenderName != "Bob" || m.ChatTitle != "Group" {
		t.Fatalf("group message sender/chat: got %+v", m)
	}
	c.Post(other, bob, "not selected")
	id = c.Post(sg, bob, "in supergroup")
	m = e.sink.next(t)
	if m.MsgID != int64(id) || m.ChatID != store.BotAPIChatID(store.ChatSupergroup, sg.ID()) || m.ChatUsername != "super" {
		t.Fatalf("supergroup message: got %+v", m)
	}
	if err := c.Edit(sg, id, "edited"); err != nil {
		t.Fatal(err)
	}
	e.sink.none(t, 500*time.Millisecond)
	if calls, stored := e.sink.stats(); calls != 2 || stored != 2 {
		t.Fatalf("sink calls %d stored %d; want 2 and 2 (no edits, no unselected chat, no history)", calls, stored)
	}
	if st := e.m.Status(owner); st.ChatsMonitored != 2 || st.LastMessage.IsZero() || st.ChannelsJoined != 2 {
		t.Fatalf("status: got %+v", st)
	}
}

func TestSinkFailureIsRetried(t *testing.T) {
	t.Parallel()
	c := usertest.New(t)
	me := c.AddAccount("+15550002100", usertest.AccountOptions{})
	bob := c.AddAccount("+15550002101", usertest.AccountOptions{})
	g := c.AddGroup("Group", me, bob)
	e := startEnv(t, c, "")
	e.connect(owner, me, "")
	e.selectChats(owner, "Group")
	e.sink.mu.Lock()
	e.sink.fail = 2
	e.sink.mu.Unlock()
	// The owner's own message is skipped; someone else's arrives.
	c.Post(g, me, "my own post")
	id := c.Post(g, bob, "x")
	if m := e.sink.next(t); m.MsgID != int64(id) {
		t.Fatalf("got message %d; want %d", m.MsgID, id)
	}
	if calls, stored := e.sink.stats(); calls != 3 || stored != 1 {
		t.Fatalf("calls %d stored %d; want 3 and 1", calls, stored)
	}
}

func TestRestartCatchUpExactlyOnce(t *testing.T) {
	t.Parallel()
	c := usertest.New(t)
	me := c.AddAccount("+15550003000", usertest.AccountOptions{})
	bob := c.AddAccount("+15550003001", usertest.AccountOptions{})
	g := c.AddGroup("Group", me, bob)
	sg := c.AddSupergroup("Super", "", me, bob)
	quiet := c.AddChannel("Quiet", "quiet", me, bob)

	first := startEnv(t, c, "")
	first.connect(owner, me, "")
	first.selectChats(owner, "Group", "Super", "Quiet")
	c.Post(g, bob, "g1")
	c.Post(sg, bob, "s1")
	first.sink.next(t)
	first.sink.next(t)
	first.stop()

	c.Post(g, bob, "g2 offline")
	c.Post(sg, bob, "s2 offline")
	c.Post(quiet, nil, "q1 offline")
	c.Post(sg, bob, "s3 offline")
	want := []string{"g2 offline", "s2 offline", "q1 offline", "s3 offline"}

	second := startEnv(t, c, first.path)
	second.waitState(owner, userbot.StateConnected)
	got := map[string]bool{}
	timeout := time.After(wait)
	for len(got) < len(want) {
		select {
		case m := <-second.sink.added:
			got[m.Text] = true
		case <-timeout:
			t.Fatalf("after restart got %v; want %v", got, want)
		}
	}
	for _, text := range want {
		if !got[text] {
			t.Errorf("missing %q after restart; got %v", text, got)
		}
	}
	second.sink.none(t, time.Second)
	if calls, stored := second.sink.stats(); calls != 4 || stored != 4 {
		t.Fatalf("sink calls %d stored %d; want 4 and 4 (each offline message exactly once)", calls, stored)
	}
}

func TestDisconnect(t *testing.T) {
	t.Parallel()
	c := usertest.New(t)
	me := c.AddAccount("+15550004000", usertest.AccountOptions{})
	bob := c.AddAccount("+15550004001", usertest.AccountOptions{})
	g := c.AddGroup("Group", me, bob)
	e := startEnv(t, c, "")
	e.connect(owner, me, "")
	e.selectChats(owner, "Group")
	c.Post(g, bob, "before disconnect")
	e.sink.next(t)
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := e.m.Disconnect(ctx, owner); err != nil {
		t.Fatal(err)
	}
	if n := me.Sessions(); n != 0 {
		t.Fatalf("signed-in sessions at Telegram: got %d; want 0 (auth.logOut)", n)
	}
	if _, err := e.st.Session(me.ID()); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("session after disconnect: got %v; want ErrNotFound", err)
	}
	if _, ok, _ := e.st.UpdatesState(me.ID()); ok {
		t.Fatal("updates state survived disconnect")
	}
	if st := e.m.Status(owner); st.State != userbot.StateNone {
		t.Fatalf("status: got %+v; want none", st)
	}
	c.Post(g, bob, "after disconnect")
	e.sink.none(t, 500*time.Millisecond)
	if _, err := e.m.Dialogs(ctx, owner); !errors.Is(err, userbot.ErrNotConnected) {
		t.Fatalf("dialogs after disconnect: got %v; want ErrNotConnected", err)
	}
	if err := e.m.Disconnect(ctx, owner); !errors.Is(err, userbot.ErrNotConnected) {
		t.Fatalf("second disconnect: got %v; want ErrNotConnected", err)
	}
}

func TestFloodWait(t *testing.T) {
	t.Parallel()
	c := usertest.New(t)
	me := c.AddAccount("+15550005000", usertest.AccountOptions{})
	c.AddGroup("Group", me)
	e := startEnv(t, c, "")
	e.connect(owner, me, "")
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()

	me.FailNext("messages.getDialogs", tgerr.New(420, "FLOOD_WAIT_2"), 1)
	start := time.Now()
	if _, err := e.m.Dialogs(ctx, owner); err != nil {
		t.Fatalf("FLOOD_WAIT_2: %v", err)
	}
	if d := time.Since(start); d < 2*time.Second {
		t.Fatalf("returned after %v; want the 2 s waited out", d)
	}

	me.FailNext("messages.getDialogs", tgerr.New(420, "FLOOD_WAIT_100000"), 1)
	_, err := e.m.Dialogs(ctx, owner)
	var fw *userbot.FloodWaitError
	if !errors.As(err, &fw) || fw.Wait != 100000*time.Second {
		t.Fatalf("FLOOD_WAIT_100000: got %v; want *FloodWaitError of 100000 s", err)
	}
}

func TestRevokedSessionStopsAccount(t *testing.T) {
	t.Parallel()
	c := usertest.New(t)
	me := c.AddAccount("+15550006000", usertest.AccountOptions{})
	e := startEnv(t, c, "")
	e.connect(owner, me, "")
	me.Revoke()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if _, err := e.m.Dialogs(ctx, owner); !errors.Is(err, userbot.ErrSessionRevoked) {
		t.Fatalf("dialogs: got %v; want ErrSessionRevoked", err)
	}
	deadline := time.After(wait)
	for {
		select {
		case sc := <-e.states:
			if sc.owner == owner && sc.state == userbot.StateNeedsLogin {
				e.waitState(owner, userbot.StateNeedsLogin)
				if _, err := e.st.Session(me.ID()); !errors.Is(err, store.ErrNotFound) {
					t.Fatalf("session kept after revocation: %v", err)
				}
				return
			}
		case <-deadline:
			t.Fatal("OnAccountState(needs_login) not called")
		}
	}
}

// TestStaleOwnerCannotDeleteAnotherOwnersSession: owner A's copy of an
// account ended (revoked); owner B connected the same account since. A's
// Disconnect cleans up A's records only, not B's session.
func TestStaleOwnerCannotDeleteAnotherOwnersSession(t *testing.T) {
	t.Parallel()
	c := usertest.New(t)
	me := c.AddAccount("+15550006500", usertest.AccountOptions{})
	e := startEnv(t, c, "")
	e.connect(owner, me, "")
	me.Revoke()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	e.m.Dialogs(ctx, owner) // notices the revocation
	e.waitState(owner, userbot.StateNeedsLogin)

	other := int64(owner + 1)
	e.connect(other, me, "")
	if err := e.m.Disconnect(ctx, owner); err != nil && !errors.Is(err, userbot.ErrNotConnected) {
		t.Fatal(err)
	}
	if _, err := e.st.Session(me.ID()); err != nil {
		t.Fatalf("owner B's session after owner A disconnected: %v", err)
	}
	if st := e.m.Status(other); st.State != userbot.StateConnected {
		t.Fatalf("owner B's state %q; want connected", st.State)
	}
}

func TestBannedAccountOnBoot(t *testing.T) {
	t.Parallel()
	c := usertest.New(t)
	me := c.AddAccount("+15550007000", usertest.AccountOptions{})
	first := startEnv(t, c, "")
	first.connect(owner, me, "")
	first.stop()
	me.Ban()
	second := startEnv(t, c, first.path)
	second.waitState(owner, userbot.StateBanned)
}

func TestSearchJoinSend(t *testing.T) {
	t.Parallel()
	c := usertest.New(t)
	me := c.AddAccount("+15550008000", usertest.AccountOptions{})
	bob := c.AddAccount("+15550008001", usertest.AccountOptions{})
	pub := c.AddSupergroup("Go Jobs", "gojobs", bob)
	orig := c.Post(pub, bob, "who can help?")
	// Reach the cluster by address and key file, as LGR_TELEGRAM_DC_ADDR does.
	keyFile := filepath.Join(t.TempDir(), "key.pem")
	if err := os.WriteFile(keyFile, c.PublicKeyPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	e := startEnv(t, c, "", func(cfg *userbot.Config) {
		cfg.PublicKeys, cfg.Resolver, cfg.DCList = nil, nil, dcs.List{}
		cfg.DCAddr, cfg.PublicKeyFile = c.Addr(), keyFile
		cfg.SendBudget = userbot.Budget{N: 1, Per: time.Hour}
	})
	e.connect(owner, me, "")
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()

	found, err := e.m.Search(ctx, owner, "jobs", 10)
	if err != nil || len(found) != 1 || found[0].ID != pub.ID() || found[0].Type != store.ChatSupergroup {
		t.Fatalf("search: got %+v, %v", found, err)
	}
	chat, err := e.m.Join(ctx, owner, "https://t.me/gojobs")
	if err != nil || chat.ID != pub.ID() {
		t.Fatalf("join: got %+v, %v", chat, err)
	}
	if !pub.IsMember(me) || e.m.Status(owner).ChannelsJoined != 1 {
		t.Fatalf("after join: member %v, status %+v", pub.IsMember(me), e.m.Status(owner))
	}
	id, err := e.m.Send(ctx, owner, chat, orig, "I can")
	if err != nil {
		t.Fatal(err)
	}
	sent := me.Sent()
	if len(sent) != 1 || sent[0].ID != id || sent[0].ReplyTo != orig || sent[0].Text != "I can" {
		t.Fatalf("sent: got %+v; want one reply to %d with id %d", sent, orig, id)
	}
	// The send budget (1 an hour here) holds the second send back, and
	// nothing reaches Telegram.
	_, err = e.m.Send(ctx, owner, chat, orig, "me again")
	var be *userbot.BudgetError
	if !errors.As(err, &be) || be.Kind != userbot.BudgetSend {
		t.Fatalf("second send: %v; want a send BudgetError", err)
	}
	if n := len(me.Sent()); n != 1 {
		t.Fatalf("%d messages reached Telegram; want 1", n)
	}
}
