package monitor

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leadgenrunner/leadgenrunner/store"
	"github.com/leadgenrunner/leadgenrunner/store/storetest"
)

// crashChildEnv, when set to a database path, turns the test binary into
// the ingesting child of TestKill9DuringIngest; crashRoundEnv is its round.
const (
	crashChildEnv = "LGR_MONITOR_CRASH_CHILD_DB"
	crashRoundEnv = "LGR_MONITOR_CRASH_ROUND"
)

const (
	crashOwner   = 7
	crashWorkers = 8
	crashReplay  = 300    // messages of the previous round each child ingests again
	crashIDSpan  = 100000 // message ids per round
)

func TestMain(m *testing.M) {
	if path := os.Getenv(crashChildEnv); path != "" {
		os.Exit(crashChild(path))
	}
	os.Exit(m.Run())
}

// crashMessages are the copies of message i: chat -1, and every fifth is
// cross-posted by the same sender into chat -2 (another id, same text).
func crashMessages(i int) []store.Message {
	m := store.Message{
		AccountID: 1, ChatID: -1, MsgID: int64(i), ChatTitle: "one",
		SenderID: int64(1000 + i), SenderName: "S", Date: time.Now(),
		Text: fmt.Sprintf("need a designer number %d", i),
	}
	out := []store.Message{m}
	if i%5 == 0 {
		m.ChatID, m.MsgID, m.ChatTitle = -2, int64(i)+crashIDSpan/2, "two"
		out = append(out, m)
	}
	return out
}

// crashChild replays the end of the previous round and then ingests new
// messages from crashWorkers goroutines until it is killed, printing
// "ack <chat> <msg>" after each Ingest has returned nil.
func crashChild(path string) int {
	round, err := strconv.Atoi(os.Getenv(crashRoundEnv))
	if err != nil {
		fmt.Fprintln(os.Stderr, "child: round:", err)
		return 2
	}
	s, err := store.Open(store.Config{Path: path, MasterKey: testKey})
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 2
	}
	if _, _, _, err := s.AddRules(crashOwner, store.Keyword, []string{"designer"}, 0); err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 2
	}
	p, err := NewPipeline(PipelineConfig{Store: s})
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 2
	}
	go p.Run(context.Background())
	ingest := func(i int) bool {
		for _, m := range crashMessages(i) {
			if err := p.Ingest(context.Background(), crashOwner, m); err != nil {
				fmt.Fprintln(os.Stderr, "child:", err)
				return false
			}
			fmt.Printf("ack %d %d\n", m.ChatID, m.MsgID) // one write(2): never torn
		}
		return true
	}
	var wg sync.WaitGroup
	failed := make(chan struct{}, crashWorkers)
	for w := range crashWorkers {
		wg.Go(func() {
			if round > 0 {
				prev := (round - 1) * crashIDSpan
				for i := prev + 1 + w; i <= prev+crashReplay; i += crashWorkers {
					if !ingest(i) {
						failed <- struct{}{}
						return
					}
				}
			}
			for i := round*crashIDSpan + 1 + w; ; i += crashWorkers {
				if !ingest(i) {
					failed <- struct{}{}
					return
				}
			}
		})
	}
	<-failed
	return 2
}

type crashAcks struct {
	ids map[[2]int64]bool
	err error
}

// runAndKillIngest starts a child for round on path, waits for its first
// ack, lets it run a random while longer and SIGKILLs it.
func runAndKillIngest(t *testing.T, path string, round int) crashAcks {
	t.Helper()
	got := crashAcks{ids: map[[2]int64]bool{}}
	env := []string{crashChildEnv + "=" + path, crashRoundEnv + "=" + strconv.Itoa(round)}
	got.err = storetest.Kill9(t, env, 300*time.Millisecond, 20*time.Second, func(line string) error {
		f := strings.Fields(line)
		if len(f) != 3 || f[0] != "ack" {
			return fmt.Errorf("bad ack line %q", line)
		}
		chat, err1 := strconv.ParseInt(f[1], 10, 64)
		id, err2 := strconv.ParseInt(f[2], 10, 64)
		if err1 != nil || err2 != nil {
			return fmt.Errorf("bad ack line %q", line)
		}
		got.ids[[2]int64{chat, id}] = true
		return nil
	})
	return got
}

// TestKill9DuringIngest kills an ingesting child at random moments and
// checks after each kill: every acknowledged message is stored, every text
// has exactly one lead (its cross-posts in AlsoIn, its replays nowhere),
// every lead exactly one alert, counters agree with the records, and bbolt
// is consistent.
func TestKill9DuringIngest(t *testing.T) {
	rounds := 10
	if testing.Short() {
		rounds = 3
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	prevMsgs, progress := 0, 0
	for round := range rounds {
		ack := runAndKillIngest(t, path, round)
		if ack.err != nil {
			t.Fatalf("round %d: %v", round, ack.err)
		}
		s := openStore(t, path, nil)
		if err := s.Check(); err != nil {
			t.Errorf("round %d: Check: %v", round, err)
		}
		msgs, err := s.RecentMessages(crashOwner, 1<<30)
		if err != nil {
			t.Fatal(err)
		}
		leads, total, err := s.Leads(crashOwner, "", 0, 1<<30)
		if err != nil {
			t.Fatal(err)
		}
		outbox, err := s.DueAlerts(time.Now().AddDate(1, 0, 0), 0)
		if err != nil {
			t.Fatal(err)
		}
		chats, _, days, err := s.Stats(crashOwner, 1, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		s.Close()

		stored := map[[2]int64]store.Message{}
		for _, m := range msgs {
			stored[[2]int64{m.ChatID, m.MsgID}] = m
		}
		for k := range ack.ids {
			if _, ok := stored[k]; !ok {
				t.Fatalf("round %d: acknowledged message %v is not stored", round, k)
			}
		}
		// Exactly one lead per text, covering exactly the stored copies.
		byText := map[string]store.Lead{}
		covered := map[[2]int64]bool{}
		for _, l := range leads {
			if prev, dup := byText[l.Text]; dup {
				t.Fatalf("round %d: two leads (%d, %d) for %q", round, prev.ID, l.ID, l.Text)
			}
			byText[l.Text] = l
			covered[[2]int64{l.ChatID, l.MsgID}] = true
			for _, c := range l.AlsoIn {
				covered[[2]int64{c.ChatID, c.MsgID}] = true
			}
		}
		for k, m := range stored {
			if _, ok := byText[m.Text]; !ok {
				t.Fatalf("round %d: stored message %v has no lead", round, k)
			}
			if !covered[k] {
				t.Fatalf("round %d: stored message %v is neither a lead nor in its AlsoIn", round, k)
			}
		}
		if len(covered) != len(stored) || total != len(leads) {
			t.Fatalf("round %d: leads cover %d messages, %d stored", round, len(covered), len(stored))
		}
		// Exactly one alert per lead (nobody drains the outbox here).
		alerted := map[uint64]bool{}
		for _, e := range outbox {
			if alerted[e.LeadID] {
				t.Fatalf("round %d: lead %d has two alerts", round, e.LeadID)
			}
			alerted[e.LeadID] = true
		}
		if len(outbox) != len(leads) {
			t.Fatalf("round %d: %d alerts for %d leads", round, len(outbox), len(leads))
		}
		// Counters were written in the same transactions as the records.
		sumMsgs, sumLeads := 0, 0
		for _, c := range chats {
			sumMsgs += c.Messages
			sumLeads += c.Leads
		}
		if sumMsgs != len(msgs) || sumLeads != len(leads) || days[0].Messages != len(msgs) {
			t.Fatalf("round %d: counters say %d messages, %d leads (day %+v); records %d, %d",
				round, sumMsgs, sumLeads, days[0], len(msgs), len(leads))
		}
		// A child killed while still replaying adds nothing; none loses.
		if len(msgs) < prevMsgs {
			t.Errorf("round %d: %d messages, %d before", round, len(msgs), prevMsgs)
		}
		if len(msgs) > prevMsgs {
			progress++
		}
		prevMsgs = len(msgs)
		t.Logf("round %d: %d acked; stored %d messages, %d leads, %d alerts", round, len(ack.ids), len(msgs), len(leads), len(outbox))
	}
	if progress < rounds/2 {
		t.Errorf("only %d of %d rounds stored new messages", progress, rounds)
	}
}
