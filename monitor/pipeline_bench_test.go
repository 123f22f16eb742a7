package monitor

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/leadgenrunner/leadgenrunner/store"
)

// ingestBench is one owner with 50 rules on a fresh bbolt file (fsync on
// every commit, as in production) and a stream of distinct messages from
// the generated corpus across 20 chats, one in 20 (5%) matching.
type ingestBench struct {
	s              *store.Store
	p              *Pipeline
	match, noMatch []string
	n              atomic.Int64
}

func newIngestBench(b *testing.B) *ingestBench {
	b.Helper()
	s := openStore(b, filepath.Join(b.TempDir(), "bench.db"), nil)
	b.Cleanup(func() { s.Close() })
	if _, _, _, err := s.AddRules(owner, store.Keyword, genRules(50, 2), 0); err != nil {
		b.Fatal(err)
	}
	if _, _, _, err := s.AddRules(owner, store.StopWord, genStops(), 0); err != nil {
		b.Fatal(err)
	}
	p, err := NewPipeline(PipelineConfig{Store: s})
	if err != nil {
		b.Fatal(err)
	}
	ib := &ingestBench{s: s, p: p}
	m, err := p.Matcher(owner)
	if err != nil {
		b.Fatal(err)
	}
	for _, text := range corpus(8192, 1) {
		if m.Match(text).Match {
			ib.match = append(ib.match, text)
		} else {
			ib.noMatch = append(ib.noMatch, text)
		}
	}
	if len(ib.match) == 0 || len(ib.noMatch) == 0 {
		b.Fatalf("corpus: %d matching, %d not; want both", len(ib.match), len(ib.noMatch))
	}
	return ib
}

func (ib *ingestBench) next() store.Message {
	n := ib.n.Add(1)
	m := store.Message{
		AccountID: 1, ChatID: -(n%20 + 1), MsgID: n, ChatTitle: "chat",
		SenderID: 1000 + n%500, SenderName: "S", Date: time.Now(),
		Text: ib.noMatch[int(n)%len(ib.noMatch)],
	}
	if n%20 == 0 {
		m.Text = ib.match[int(n/20)%len(ib.match)]
	}
	return m
}

// report adds msgs/s and the share of messages that became leads.
func (ib *ingestBench) report(b *testing.B) {
	_, total, err := ib.s.Leads(owner, "", 0, 0)
	if err != nil {
		b.Fatal(err)
	}
	n := ib.n.Load()
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(100*float64(total)/float64(max(n, 1)), "lead%")
}

// BenchmarkIngest compares the group-committing pipeline against the
// baseline of one transaction (one fsync) per message, doing the same work:
// match outside the transaction; store, count, dedupe, lead, alert inside.
// The baseline runs 16 producers per GOMAXPROCS (more cannot help it: bbolt
// has one writer); the pipeline runs 16, 32 and 64, because its batches, and
// so its advantage, grow with the number of producers waiting (one per
// account whose update handler is delivering).
func BenchmarkIngest(b *testing.B) {
	for _, par := range []int{16, 32, 64} {
		b.Run(fmt.Sprintf("grouped/p=%d", par), func(b *testing.B) {
			ib := newIngestBench(b)
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { ib.p.Run(ctx); close(done) }()
			defer func() { cancel(); <-done }()
			b.SetParallelism(par)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := ib.p.Ingest(context.Background(), owner, ib.next()); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.StopTimer()
			ib.report(b)
		})
	}
	b.Run("unbatched/p=16", func(b *testing.B) {
		ib := newIngestBench(b)
		b.SetParallelism(16)
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := ib.ingestOne(ib.next()); err != nil {
					b.Error(err)
					return
				}
			}
		})
		b.StopTimer()
		ib.report(b)
	})
}

// ingestOne is Ingest without the writer loop: match, then one
// store.Update for this message alone.
func (ib *ingestBench) ingestOne(m store.Message) error {
	cm, err := ib.p.matcher(owner)
	if err != nil {
		return err
	}
	req := &ingestReq{owner: owner, msg: m}
	doc := Analyze(m.Text)
	req.res = cm.m.MatchDoc(doc)
	if req.res.Match {
		req.key = dedupeKeyWords(m.SenderID, doc.Words())
	}
	now := time.Now()
	return ib.s.Update(func(tx *store.Tx) error {
		_, err := ib.p.apply(tx, req, now, map[int64]store.AlertSettings{})
		return err
	})
}
