package userbot_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/leadgenrunner/leadgenrunner/monitor"
	"github.com/leadgenrunner/leadgenrunner/store"
	"github.com/leadgenrunner/leadgenrunner/userbot"
	"github.com/leadgenrunner/leadgenrunner/userbot/usertest"
)

const wait = 60 * time.Second

// fakeSink stores messages like monitor.Pipeline does: durably (here: in
// memory) and deduplicated by (owner, chat, message id).
type fakeSink struct {
	mu    sync.Mutex
	calls int
	fail  int // fail this many next calls
	got   map[[3]int64]store.Message
	added chan store.Message
}

var (
	_ userbot.Sink = (*fakeSink)(nil)
	_ userbot.Sink = (*monitor.Pipeline)(nil) // what app wires in
)

func newSink() *fakeSink {
	return &fakeSink{got: map[[3]int64]store.Message{}, added: make(chan store.Message, 100)}
}

func (s *fakeSink) Ingest(_ context.Context, ownerID int64, m store.Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if s.fail > 0 {
		s.fail--
		return errors.New("sink down")
	}
	k := [3]int64{ownerID, m.ChatID, m.MsgID}
	if _, ok := s.got[k]; ok {
		return nil
	}
	s.got[k] = m
	s.added <- m
	return nil
}

func (s *fakeSink) stats() (calls, stored int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls, len(s.got)
}

// next returns the next stored message or fails.
func (s *fakeSink) next(t testing.TB) store.Message {
	t.Helper()
	select {
	case m := <-s.added:
		return m
	case <-time.After(wait):
		t.Fatal("no message reached the sink")
		return store.Message{}
	}
}

// none fails if a message is stored within d.
func (s *fakeSink) none(t testing.TB, d time.Duration) {
	t.Helper()
	select {
	case m := <-s.added:
		t.Fatalf("unexpected message %d in chat %d", m.MsgID, m.ChatID)
	case <-time.After(d):
	}
}

// env is a Manager on a real bbolt store, talking to a usertest cluster.
type env struct {
	t      testing.TB
	c      *usertest.Cluster
	st     *store.Store
	path   string
	sink   *fakeSink
	m      *userbot.Manager
	states chan stateChange // from OnAccountState
	cancel context.CancelFunc
	done   chan error
	once   sync.Once
}

var testKey = bytes.Repeat([]byte{9}, 32)

// openStore opens (or reopens) the store at path.
func openStore(t testing.TB, path string) *store.Store {
	t.Helper()
	st, err := store.Open(store.Config{Path: path, MasterKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// startEnv runs a Manager on the store at path (a new one when empty).
func startEnv(t testing.TB, c *usertest.Cluster, path string, tweak ...func(*userbot.Config)) *env {
	t.Helper()
	if path == "" {
		path = filepath.Join(t.TempDir(), "lgr.db")
	}
	e := &env{t: t, c: c, path: path, st: openStore(t, path), sink: newSink(), states: make(chan stateChange, 100), done: make(chan error, 1)}
	keys, resolver, list := c.ClientOptions()
	cfg := userbot.Config{
		AppID:      1,
		AppHash:    "app-hash",
		PublicKeys: keys,
		Resolver:   resolver,
		DCList:     list,
		Store:      e.st,
		Sink:       e.sink,
		OnAccountState: func(ownerID int64, state string) {
			select {
			case e.states <- stateChange{ownerID, state}:
			default:
			}
		},
	}
	for _, f := range tweak {
		f(&cfg)
	}
	m, err := userbot.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.m = m
	ctx, cancel := context.WithCancel(context.Background())
	e.cancel = cancel
	go func() { e.done <- m.Run(ctx) }()
	t.Cleanup(e.stop)
	return e
}

// stop stops the Manager and closes the store.
func (e *env) stop() {
	e.once.Do(func() {
		e.cancel()
		if err := <-e.done; err != nil {
			e.t.Errorf("Run: %v", err)
		}
		if err := e.st.Close(); err != nil {
			e.t.Errorf("close store: %v", err)
		}
	})
}

// stateChange is one OnAccountState call.
type stateChange struct {
	owner int64
	state string
}

// waitState waits until the owner's Status has state st.
func (e *env) waitState(ownerID int64, st string) {
	e.t.Helper()
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) {
		if got := e.m.Status(ownerID).State; got == st {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	e.t.Fatalf("owner %d state: got %q; want %q", ownerID, e.m.Status(ownerID).State, st)
}

// connect logs acc in for ownerID with its code (and password).
func (e *env) connect(ownerID int64, acc *usertest.Account, password string) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if _, err := e.m.StartLogin(ctx, ownerID, "+"+acc.Phone()); err != nil {
		e.t.Fatalf("StartLogin: %v", err)
	}
	need, err := e.m.SubmitCode(ctx, ownerID, acc.Code())
	if err != nil {
		e.t.Fatalf("SubmitCode: %v", err)
	}
	if need {
		if err := e.m.SubmitPassword(ctx, ownerID, password); err != nil {
			e.t.Fatalf("SubmitPassword: %v", err)
		}
	}
	e.waitState(ownerID, userbot.StateConnected)
}

// selectChats selects the given chats of the owner's dialogs by title.
func (e *env) selectChats(ownerID int64, titles ...string) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	dialogs, err := e.m.Dialogs(ctx, ownerID)
	if err != nil {
		e.t.Fatalf("Dialogs: %v", err)
	}
	for _, title := range titles {
		found := false
		for _, d := range dialogs {
			if d.Title == title {
				found = true
				if err := e.m.SetSelected(ctx, ownerID, d, true); err != nil {
					e.t.Fatalf("SetSelected %q: %v", title, err)
				}
			}
		}
		if !found {
			e.t.Fatalf("no dialog %q in %+v", title, dialogs)
		}
	}
}

// clock is a settable clock for login timeouts.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Now()} }

// Now returns the clock's time.
func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Add moves the clock forward.
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
