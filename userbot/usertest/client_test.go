package usertest_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/gotd/td/session"
	"github.com/gotd/td/telegram"
	"github.com/gotd/td/telegram/auth"
	"github.com/gotd/td/telegram/auth/qrlogin"
	"github.com/gotd/td/telegram/updates"
	updhook "github.com/gotd/td/telegram/updates/hook"
	"github.com/gotd/td/tg"

	"github.com/leadgenrunner/leadgenrunner/userbot/usertest"
)

// wait bounds every wait for the fake in these tests.
const wait = 60 * time.Second

// testClient is a real gotd client connected to a usertest cluster, with an
// updates manager feeding the channels below.
type testClient struct {
	*telegram.Client
	t        testing.TB
	ctx      context.Context // lives while the client runs
	gaps     *updates.Manager
	news     chan *tg.Message // UpdateNewMessage and UpdateNewChannelMessage
	edits    chan *tg.Message // UpdateEditMessage and UpdateEditChannelMessage
	loggedIn qrlogin.LoggedIn
	stopOnce sync.Once
	cancel   context.CancelFunc
	done     chan error
	updDone  chan struct{}
}

// startClient runs a client whose session and updates state live in sess
// and state, so a second client with the same ones is the first restarted.
func startClient(t testing.TB, c *usertest.Cluster, sess *session.StorageMemory, state *usertest.MemoryState) *testClient {
	t.Helper()
	tc := &testClient{
		t:     t,
		news:  make(chan *tg.Message, 100),
		edits: make(chan *tg.Message, 100),
		done:  make(chan error, 1),
	}
	d := tg.NewUpdateDispatcher()
	d.OnNewMessage(func(_ context.Context, _ tg.Entities, u *tg.UpdateNewMessage) error {
		tc.forward(tc.news, u.Message)
		return nil
	})
	d.OnNewChannelMessage(func(_ context.Context, _ tg.Entities, u *tg.UpdateNewChannelMessage) error {
		tc.forward(tc.news, u.Message)
		return nil
	})
	d.OnEditMessage(func(_ context.Context, _ tg.Entities, u *tg.UpdateEditMessage) error {
		tc.forward(tc.edits, u.Message)
		return nil
	})
	d.OnEditChannelMessage(func(_ context.Context, _ tg.Entities, u *tg.UpdateEditChannelMessage) error {
		tc.forward(tc.edits, u.Message)
		return nil
	})
	tc.loggedIn = qrlogin.OnLoginToken(d)
	tc.gaps = updates.New(updates.Config{Handler: d, Storage: state, AccessHasher: state})
	tc.Client = telegram.NewClient(1, "app-hash", c.Options(telegram.Options{
		SessionStorage: sess,
		UpdateHandler:  tc.gaps,
		Middlewares:    []telegram.Middleware{updhook.UpdateHook(tc.gaps.Handle)},
	}))

	ctx, cancel := context.WithCancel(context.Background())
	tc.cancel = cancel
	ready := make(chan struct{})
	go func() {
		tc.done <- tc.Run(ctx, func(ctx context.Context) error {
			tc.ctx = ctx
			close(ready)
			<-ctx.Done()
			return nil
		})
	}()
	select {
	case <-ready:
	case err := <-tc.done:
		t.Fatalf("client stopped before ready: %v", err)
	case <-time.After(wait):
		t.Fatal("client not ready")
	}
	t.Cleanup(tc.stop)
	return tc
}

func (tc *testClient) forward(ch chan *tg.Message, m tg.MessageClass) {
	if msg, ok := m.(*tg.Message); ok {
		ch <- msg
	}
}

// stop stops the client and its updates manager and waits for both.
func (tc *testClient) stop() {
	tc.stopOnce.Do(func() {
		tc.cancel()
		<-tc.done
		if tc.updDone != nil {
			<-tc.updDone
		}
	})
}

// runUpdates starts the updates manager for a signed-in user and waits
// until it has loaded its state.
func (tc *testClient) runUpdates(userID int64) {
	tc.t.Helper()
	started := make(chan struct{})
	tc.updDone = make(chan struct{})
	go func() {
		defer close(tc.updDone)
		_ = tc.gaps.Run(tc.ctx, tc.API(), userID, updates.AuthOptions{
			OnStart: func(context.Context) { close(started) },
		})
	}()
	select {
	case <-started:
	case <-time.After(wait):
		tc.t.Fatal("updates manager did not start")
	}
}

// login signs the client in as a with its login code (and password, if
// given).
func (tc *testClient) login(a *usertest.Account, password string) {
	tc.t.Helper()
	phone := "+" + a.Phone()
	sent, err := tc.Auth().SendCode(tc.ctx, phone, auth.SendCodeOptions{})
	if err != nil {
		tc.t.Fatalf("send code: %v", err)
	}
	_, err = tc.Auth().SignIn(tc.ctx, phone, a.Code(), sent.(*tg.AuthSentCode).PhoneCodeHash)
	if err == auth.ErrPasswordAuthNeeded {
		_, err = tc.Auth().Password(tc.ctx, password)
	}
	if err != nil {
		tc.t.Fatalf("sign in: %v", err)
	}
}

// next returns the next message from ch or fails the test.
func next(t testing.TB, ch chan *tg.Message) *tg.Message {
	t.Helper()
	select {
	case m := <-ch:
		return m
	case <-time.After(wait):
		t.Fatal("no message")
		return nil
	}
}

// none fails the test if a message arrives on ch within d.
func none(t testing.TB, ch chan *tg.Message, d time.Duration) {
	t.Helper()
	select {
	case m := <-ch:
		t.Fatalf("unexpected message %d %q", m.ID, m.Message)
	case <-time.After(d):
	}
}
