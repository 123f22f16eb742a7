package monitor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/leadgenrunner/leadgenrunner/store"
)

// testKey is a fixed master key for test stores.
var testKey = bytes.Repeat([]byte{7}, 32)

// t0 is the test clock's start.
var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

const owner = 42

// testClock is a settable clock.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func openStore(t testing.TB, path string, now func() time.Time) *store.Store {
	t.Helper()
	s, err := store.Open(store.Config{Path: path, MasterKey: testKey, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// harness is a store and a running pipeline on a temporary file.
type harness struct {
	t      testing.TB
	path   string
	clock  *testClock
	s      *store.Store
	p      *Pipeline
	alerts atomic.Int32 // OnAlert calls
	stop   func()
}

func newHarness(t testing.TB) *harness {
	h := &harness{t: t, path: filepath.Join(t.TempDir(), "app.db"), clock: &testClock{now: t0}}
	h.start()
	t.Cleanup(h.close)
	// The pipeline stores messages only for owners that exist.
	if _, err := h.s.UpdateUser(owner, func(u *store.User) error { u.Lang = "en"; return nil }); err != nil {
		t.Fatal(err)
	}
	return h
}

// start opens the store and runs a pipeline on it.
func (h *harness) start() {
	h.t.Helper()
	h.s = openStore(h.t, h.path, h.clock.Now)
	p, err := NewPipeline(PipelineConfig{Store: h.s, Now: h.clock.Now, OnAlert: func() { h.alerts.Add(1) }})
	if err != nil {
		h.t.Fatal(err)
	}
	h.p = p
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	h.stop = func() {
		cancel()
		if err := <-done; err != nil {
			h.t.Errorf("Run: %v", err)
		}
	}
}

// close stops the pipeline and closes the store (a restart is close+start).
func (h *harness) close() {
	if h.s == nil {
		return
	}
	h.stop()
	h.s.Close()
	h.s = nil
}

func (h *harness) rules(kind store.RuleKind, texts ...string) {
	h.t.Helper()
	if _, _, _, err := h.s.AddRules(owner, kind, texts, 0); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) ingest(m store.Message) {
	h.t.Helper()
	if err := h.p.Ingest(context.Background(), owner, m); err != nil {
		h.t.Fatalf("Ingest %d/%d: %v", m.ChatID, m.MsgID, err)
	}
}

func (h *harness) leads() []store.Lead {
	h.t.Helper()
	ls, _, err := h.s.Leads(owner, "", 0, 1000)
	if err != nil {
		h.t.Fatal(err)
	}
	return ls
}

func (h *harness) outbox() []store.OutboxEntry {
	h.t.Helper()
	es, err := h.s.DueAlerts(t0.AddDate(1, 0, 0), 0)
	if err != nil {
		h.t.Fatal(err)
	}
	return es
}

func (h *harness) messages() []store.Message {
	h.t.Helper()
	ms, err := h.s.RecentMessages(owner, 100000)
	if err != nil {
		h.t.Fatal(err)
	}
	return ms
}

func tmsg(chat, id, sender int64, text string) store.Message {
	return store.Message{
		AccountID: 1, ChatID: chat, MsgID: id, ChatTitle: fmt.Sprintf("chat %d", chat),
		SenderID: sender, SenderName: "Sender", Date: t0, Text: text,
	}
}

func TestIngestCreatesLeadsForMatchesOnly(t *testing.T) {
	h := newHarness(t)
	h.rules(store.Keyword, "designer", "logo")
	h.rules(store.StopWord, "free")

	for _, c := range []struct {
		name      string
		m         store.Message
		wantLeads int
	}{
		{name: "matching", m: tmsg(-1, 1, 100, "We need a designer for our logo"), wantLeads: 1},
		{name: "not matching", m: tmsg(-1, 2, 100, "hello world"), wantLeads: 1},
		{name: "stopped", m: tmsg(-1, 3, 101, "free designer course"), wantLeads: 1},
		{name: "duplicate", m: tmsg(-1, 1, 100, "We need a designer for our logo"), wantLeads: 1},
		{name: "another match", m: tmsg(-2, 1, 102, "дизайнер нужен? no: designers wanted"), wantLeads: 2},
	} {
		h.ingest(c.m)
		if got := len(h.leads()); got != c.wantLeads {
			t.Errorf("after %s: got %d leads; want %d", c.name, got, c.wantLeads)
		}
	}
	if got := len(h.messages()); got != 4 {
		t.Errorf("stored messages: got %d; want 4 (the duplicate is not stored twice)", got)
	}
	leads := h.leads()
	first := leads[1]
	if first.Text != "We need a designer for our logo" || first.Status != store.LeadNew || first.Relevance != -1 ||
		fmt.Sprint(first.Keywords) != "[designer logo]" || !first.CreatedAt.Equal(t0) || first.SenderID != 100 {
		t.Errorf("first lead: got %+v", first)
	}
	out := h.outbox()
	if len(out) != 2 {
		t.Fatalf("outbox: got %d entries; want 2", len(out))
	}
	for i, e := range out {
		if e.OwnerID != owner || e.LeadID != uint64(i+1) || !e.Due.Equal(t0) || e.Digest {
			t.Errorf("outbox[%d]: got %+v; want lead %d due %v instant", i, e, i+1, t0)
		}
	}
	if got := h.alerts.Load(); got != 2 {
		t.Errorf("OnAlert calls: got %d; want 2", got)
	}
}

// TestIngestForDeletedOwnerIsDropped: a message queued for an owner who
// deleted their data is not written, and does not bring the owner back.
func TestIngestForDeletedOwnerIsDropped(t *testing.T) {
	h := newHarness(t)
	if err := h.s.DeleteUser(owner); err != nil {
		t.Fatal(err)
	}
	h.ingest(tmsg(-1, 1, 100, "need a designer"))
	if _, err := h.s.User(owner); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("owner after a message arrived: %v; want ErrNotFound", err)
	}
	if sum, err := h.s.Summary(owner); err == nil {
		t.Errorf("data stored for a deleted owner: %+v", sum)
	}
}

func TestIngestWithoutRulesStoresOnly(t *testing.T) {
	h := newHarness(t)
	h.ingest(tmsg(-1, 1, 100, "need a designer"))
	if len(h.messages()) != 1 || len(h.leads()) != 0 || len(h.outbox()) != 0 {
		t.Errorf("got %d messages, %d leads, %d alerts; want 1, 0, 0", len(h.messages()), len(h.leads()), len(h.outbox()))
	}
}

func TestCrossPostsBecomeOneLead(t *testing.T) {
	h := newHarness(t)
	h.rules(store.Keyword, "designer")
	h.ingest(tmsg(-1, 10, 100, "Need a  DESIGNER!"))
	h.clock.Advance(time.Hour)
	h.ingest(tmsg(-2, 20, 100, "need a designer"))
	h.ingest(tmsg(-3, 30, 100, "Need a designer."))
	h.ingest(tmsg(-3, 31, 100, "need a designer")) // same chat again: no new chat
	h.ingest(tmsg(-2, 21, 200, "need a designer")) // another sender: another lead

	leads := h.leads()
	if len(leads) != 2 {
		t.Fatalf("got %d leads; want 2", len(leads))
	}
	l := leads[1]
	if l.ChatID != -1 || l.MsgID != 10 || len(l.AlsoIn) != 2 ||
		l.AlsoIn[0] != (store.ChatRef{ChatID: -2, ChatTitle: "chat -2", MsgID: 20}) || l.AlsoIn[1].ChatID != -3 {
		t.Errorf("cross-posted lead: got chat %d msg %d also in %+v; want chat -1 msg 10 also in -2, -3", l.ChatID, l.MsgID, l.AlsoIn)
	}
	if got := len(h.outbox()); got != 2 {
		t.Errorf("outbox: got %d entries; want 2", got)
	}

	// After the window the same text is a new lead.
	h.clock.Advance(CrossPostWindow)
	h.ingest(tmsg(-4, 40, 100, "need a designer"))
	if got := len(h.leads()); got != 3 {
		t.Errorf("after the window: got %d leads; want 3", got)
	}

	_, rules, _, err := h.s.Stats(owner, 1, h.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) != 1 || rules[0].Hits != 6 || rules[0].Leads != 3 {
		t.Errorf("rule stats: got %+v; want designer with 6 hits, 3 leads", rules)
	}
}

func TestRestartDoesNotRealert(t *testing.T) {
	h := newHarness(t)
	h.rules(store.Keyword, "designer")
	msgs := []store.Message{
		tmsg(-1, 1, 100, "need a designer"),
		tmsg(-1, 2, 101, "designer wanted"),
		tmsg(-2, 1, 100, "need a designer"),
	}
	for _, m := range msgs {
		h.ingest(m)
	}
	h.close()
	h.start() // a restart: catch-up delivers the same messages again
	for _, m := range msgs {
		h.ingest(m)
	}
	if got, want := len(h.leads()), 2; got != want {
		t.Errorf("leads after restart: got %d; want %d", got, want)
	}
	if got, want := len(h.outbox()), 2; got != want {
		t.Errorf("alerts after restart: got %d; want %d", got, want)
	}
	if got := h.alerts.Load(); got != 2 {
		t.Errorf("OnAlert calls: got %d; want 2 (none for replays)", got)
	}
	chats, _, _, err := h.s.Stats(owner, 1, t0)
	if err != nil {
		t.Fatal(err)
	}
	if len(chats) != 2 || chats[0].Messages+chats[1].Messages != 3 {
		t.Errorf("chat stats after replay: got %+v; want 3 messages in 2 chats", chats)
	}
}

func TestConcurrentIngest(t *testing.T) {
	h := newHarness(t)
	h.rules(store.Keyword, "designer")
	const workers, perWorker, chats = 16, 40, 4
	var wg sync.WaitGroup
	errs := make(chan error, workers*perWorker)
	for w := range workers {
		wg.Go(func() {
			for i := range perWorker {
				// Every worker sends the same messages: each arrives
				// workers times, often in the same batch.
				id := int64(i)
				m := tmsg(-int64(id%chats)-1, id+1, 1000+id, fmt.Sprintf("note %d", id))
				if id%4 == 0 {
					m.Text = fmt.Sprintf("need a designer %d", id)
				}
				if id%8 == 0 && w%2 == 0 {
					m.MsgID += 1000 // a cross-post of the same text into another message id
					m.ChatID -= 10
				}
				if err := h.p.Ingest(context.Background(), owner, m); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	// Distinct messages: perWorker, plus perWorker/8 cross-posts.
	wantMsgs := perWorker + perWorker/8
	if got := len(h.messages()); got != wantMsgs {
		t.Errorf("messages: got %d; want %d", got, wantMsgs)
	}
	leads := h.leads()
	if got, want := len(leads), perWorker/4; got != want {
		t.Errorf("leads: got %d; want %d", got, want)
	}
	alsoIn := 0
	for _, l := range leads {
		alsoIn += len(l.AlsoIn)
	}
	if alsoIn != perWorker/8 {
		t.Errorf("cross-posts recorded: got %d; want %d", alsoIn, perWorker/8)
	}
	if got, want := len(h.outbox()), perWorker/4; got != want {
		t.Errorf("alerts: got %d; want %d", got, want)
	}
	chatStats, rules, days, err := h.s.Stats(owner, 1, t0)
	if err != nil {
		t.Fatal(err)
	}
	sumMsgs, sumLeads := 0, 0
	for _, c := range chatStats {
		sumMsgs += c.Messages
		sumLeads += c.Leads
	}
	if sumMsgs != wantMsgs || sumLeads != perWorker/4 || days[0].Messages != wantMsgs || days[0].Leads != perWorker/4 {
		t.Errorf("stats: %d messages, %d leads in chats, day %+v; want %d, %d", sumMsgs, sumLeads, days[0], wantMsgs, perWorker/4)
	}
	if len(rules) != 1 || rules[0].Hits != perWorker/4+perWorker/8 || rules[0].Leads != perWorker/4 {
		t.Errorf("rule stats: got %+v", rules)
	}
	if err := h.s.Check(); err != nil {
		t.Error(err)
	}
}

func TestMutedChatStoresButDoesNotAlert(t *testing.T) {
	h := newHarness(t)
	h.rules(store.Keyword, "designer")
	if _, err := h.s.UpdateAlertSettings(owner, func(a *store.AlertSettings) error {
		a.MutedChats = []int64{-7}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	h.ingest(tmsg(-7, 1, 100, "need a designer"))
	if len(h.messages()) != 1 || len(h.leads()) != 0 || len(h.outbox()) != 0 {
		t.Errorf("muted: got %d messages, %d leads, %d alerts; want 1, 0, 0", len(h.messages()), len(h.leads()), len(h.outbox()))
	}
	// The same text elsewhere is a lead of its own chat.
	h.ingest(tmsg(-8, 1, 100, "need a designer"))
	if leads := h.leads(); len(leads) != 1 || leads[0].ChatID != -8 || len(leads[0].AlsoIn) != 0 {
		t.Errorf("unmuted chat: got %+v; want one lead in chat -8", leads)
	}
	chats, rules, _, err := h.s.Stats(owner, 1, t0)
	if err != nil {
		t.Fatal(err)
	}
	var muted store.ChatStats
	for _, c := range chats {
		if c.ChatID == -7 {
			muted = c
		}
	}
	if muted.Messages != 1 || muted.Leads != 0 || len(rules) != 1 || rules[0].Hits != 2 || rules[0].Leads != 1 {
		t.Errorf("stats: muted chat %+v, rules %+v; want 1 message 0 leads, 2 hits 1 lead", muted, rules)
	}
}

func TestAlertScheduleFollowsSettings(t *testing.T) {
	h := newHarness(t)
	h.rules(store.Keyword, "designer")
	h.clock.Advance(11*time.Hour + 5*time.Minute) // 23:05 UTC
	if _, err := h.s.UpdateAlertSettings(owner, func(a *store.AlertSettings) error {
		a.QuietFrom, a.QuietTo = 22*60, 7*60
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	h.ingest(tmsg(-1, 1, 100, "need a designer"))
	if _, err := h.s.UpdateAlertSettings(owner, func(a *store.AlertSettings) error {
		a.Mode, a.DigestEvery, a.QuietFrom, a.QuietTo = store.AlertDigest, 15, 0, 0
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	h.ingest(tmsg(-1, 2, 101, "need a designer"))
	out := h.outbox()
	if len(out) != 2 {
		t.Fatalf("outbox: got %d; want 2", len(out))
	}
	morning := time.Date(2025, 3, 2, 7, 0, 0, 0, time.UTC)
	digestAt := time.Date(2025, 3, 1, 23, 15, 0, 0, time.UTC)
	// Ordered by due: the digest first.
	if !out[0].Due.Equal(digestAt) || !out[0].Digest || !out[1].Due.Equal(morning) || out[1].Digest {
		t.Errorf("outbox: got %+v; want digest due %v and instant due %v", out, digestAt, morning)
	}
	if due, ok, _ := h.s.NextAlertDue(); !ok || !due.Equal(digestAt) {
		t.Errorf("NextAlertDue: got %v %v; want %v", due, ok, digestAt)
	}
}

func TestMatcherCache(t *testing.T) {
	h := newHarness(t)
	h.rules(store.Keyword, "designer")
	m1, err := h.p.Matcher(owner)
	if err != nil {
		t.Fatal(err)
	}
	if m2, _ := h.p.Matcher(owner); m2 != m1 {
		t.Error("Matcher without rule changes: got a new matcher; want the cached one")
	}
	if !m1.Match("designer needed").Match {
		t.Error("cached matcher does not match its rule")
	}
	h.rules(store.StopWord, "needed")
	m3, err := h.p.Matcher(owner)
	if err != nil {
		t.Fatal(err)
	}
	if m3 == m1 || m3.Match("designer needed").Match {
		t.Error("after adding a stop word: matcher not rebuilt")
	}
	// A stored rule that no longer parses is skipped, not fatal.
	h.rules(store.Keyword, `"unbalanced`)
	m4, err := h.p.Matcher(owner)
	if err != nil {
		t.Fatal(err)
	}
	if !m4.Match("designer").Match {
		t.Error("an invalid stored rule silenced the valid ones")
	}
	// Owners do not share matchers.
	other, err := h.p.Matcher(owner + 1)
	if err != nil {
		t.Fatal(err)
	}
	if other.Match("designer").Match {
		t.Error("another owner's matcher matched this owner's rule")
	}
}

func TestIngestErrors(t *testing.T) {
	h := newHarness(t)
	for _, c := range []struct {
		name  string
		owner int64
		m     store.Message
	}{
		{name: "no owner", owner: 0, m: tmsg(-1, 1, 1, "x")},
		{name: "no chat", owner: owner, m: tmsg(0, 1, 1, "x")},
		{name: "no message id", owner: owner, m: tmsg(-1, 0, 1, "x")},
	} {
		if err := h.p.Ingest(context.Background(), c.owner, c.m); err == nil {
			t.Errorf("%s: got nil; want an error", c.name)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := h.p.Ingest(ctx, owner, tmsg(-1, 1, 1, "x")); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled ctx: got %v; want context.Canceled", err)
	}
	h.stop()
	if err := h.p.Ingest(context.Background(), owner, tmsg(-1, 1, 1, "x")); !errors.Is(err, ErrStopped) {
		t.Errorf("after Run returned: got %v; want ErrStopped", err)
	}
	if err := h.p.Run(context.Background()); err == nil {
		t.Error("second Run: got nil; want an error")
	}
	h.stop = func() {}
}

// TestFailedBatchFailsEveryCaller commits a batch against a closed store.
func TestFailedBatchFailsEveryCaller(t *testing.T) {
	h := newHarness(t)
	h.stop()
	h.stop = func() {}
	h.s.Close()
	batch := []*ingestReq{
		{owner: owner, msg: tmsg(-1, 1, 1, "a"), done: make(chan error, 1)},
		{owner: owner, msg: tmsg(-1, 2, 1, "b"), done: make(chan error, 1)},
	}
	h.p.commit(batch)
	for i, r := range batch {
		if err := <-r.done; err == nil {
			t.Errorf("caller %d: got nil; want the batch's error", i)
		}
	}
	if got := h.alerts.Load(); got != 0 {
		t.Errorf("OnAlert after a failed batch: got %d calls; want 0", got)
	}
}

func TestDeleteUserAfterIngestDropsAlerts(t *testing.T) {
	h := newHarness(t)
	h.rules(store.Keyword, "designer")
	h.ingest(tmsg(-1, 1, 100, "need a designer"))
	if err := h.p.Ingest(context.Background(), owner+1, tmsg(-1, 1, 100, "need a designer")); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := h.s.AddRules(owner+1, store.Keyword, []string{"designer"}, 0); err != nil {
		t.Fatal(err)
	}
	if err := h.p.Ingest(context.Background(), owner+1, tmsg(-1, 2, 100, "designer again")); err != nil {
		t.Fatal(err)
	}
	if got := len(h.outbox()); got != 2 {
		t.Fatalf("outbox before delete: got %d; want 2", got)
	}
	if err := h.s.DeleteUser(owner); err != nil {
		t.Fatal(err)
	}
	out := h.outbox()
	if len(out) != 1 || out[0].OwnerID != owner+1 {
		t.Errorf("outbox after DeleteUser: got %+v; want only owner %d's entry", out, owner+1)
	}
}

// TestAbandonedIngestIsNotWritten: a caller that gives up before the writer
// takes its message (the account was disconnected) leaves nothing behind.
func TestAbandonedIngestIsNotWritten(t *testing.T) {
	path := filepath.Join(t.TempDir(), "app.db")
	s := openStore(t, path, func() time.Time { return t0 })
	defer s.Close()
	if _, err := s.UpdateUser(owner, func(u *store.User) error { return nil }); err != nil {
		t.Fatal(err)
	}
	p, err := NewPipeline(PipelineConfig{Store: s, Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	// The writer is not running yet: the message waits in the queue.
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- p.Ingest(ctx, owner, tmsg(-1, 1, 100, "sent just before disconnect")) }()
	for len(p.queue) == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("abandoned Ingest: %v; want context.Canceled", err)
	}
	runCtx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(runCtx) }()
	defer func() { stop(); <-done }()
	if err := p.Ingest(context.Background(), owner, tmsg(-1, 2, 100, "a later message")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Message(owner, -1, 1); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("abandoned message: %v; want ErrNotFound", err)
	}
	if _, err := s.Message(owner, -1, 2); err != nil {
		t.Errorf("later message: %v", err)
	}
}
