package app_test

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/leadgenrunner/leadgenrunner/app"
	"github.com/leadgenrunner/leadgenrunner/bot/bottest"
	"github.com/leadgenrunner/leadgenrunner/store"
)

// BenchmarkAlertLatency measures the time from Pipeline.Ingest to the fake
// Bot API receiving the alert's sendMessage, with messages arriving at a
// steady rate over many owners and 5% of them matching. Each op is one
// message; run with a fixed count so the load lasts long enough, e.g.
//
//	go test ./app -run '^$' -bench AlertLatency -benchtime 5000x
//
// Matching messages go to owners round-robin, so no owner gets two alerts
// within Telegram's one-message-a-second-per-chat limit and the figure is
// the pipeline's and the sender's latency, not a queue for one chat.
//
// The baseline in the same run is the same load with the global limit
// lifted: at 1,000 messages/s, 5% is 50 alerts/s, more than Telegram's ~30
// messages/s per bot, so under the real limit alerts necessarily queue and
// latency grows with the length of the run. The 500 messages/s case (25
// alerts/s) fits under the limit.
func BenchmarkAlertLatency(b *testing.B) {
	for _, bc := range []struct {
		name  string
		rate  int     // messages per second
		limit float64 // alerts per second over all owners; 0: the bot's default (30)
	}{
		{"msgs=1000/s,limit=none", 1000, 1e6},
		{"msgs=500/s,limit=30/s", 500, 0},
		{"msgs=1000/s,limit=30/s", 1000, 0},
	} {
		b.Run(bc.name, func(b *testing.B) { benchAlertLatency(b, bc.rate, bc.limit) })
	}
}

var tokRE = regexp.MustCompile(`tok(\d+)x`)

func benchAlertLatency(b *testing.B, rate int, limit float64) {
	const owners = 400
	tg := bottest.New()
	defer tg.Close()
	a, err := app.New(app.Config{
		BotToken: tg.Token(), BotAPIURL: tg.URL(), TelegramAppID: 1, TelegramAppHash: "x",
		DataDir: b.TempDir(), HTTPAddr: "127.0.0.1:0", BotPollTimeout: time.Second,
		BotAlertRate: limit, Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	defer func() {
		cancel()
		<-done
	}()
	ids := make([]int64, owners)
	for i := range ids {
		ids[i] = int64(100000 + i)
		if _, err := a.Store().UpdateUser(ids[i], func(u *store.User) error {
			u.Lang, u.Stage = "en", "done"
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		if _, _, _, err := a.Store().AddRules(ids[i], store.Keyword, []string{"ремонт", "landing page"}, 50); err != nil {
			b.Fatal(err)
		}
	}

	n := b.N
	started := make([]time.Time, n)
	var wg sync.WaitGroup
	var errMu sync.Mutex
	var ingestErr error
	interval := time.Second / time.Duration(rate)
	matches := 0
	b.ResetTimer()
	t0 := time.Now()
	for i := range n {
		if d := time.Until(t0.Add(time.Duration(i) * interval)); d > 0 {
			time.Sleep(d)
		}
		owner := ids[rand.IntN(owners)]
		text := fmt.Sprintf("просто сообщение номер %d про погоду", i)
		if i%20 == 0 { // 5% match
			owner = ids[matches%owners]
			matches++
			text = fmt.Sprintf("Нужен ремонт квартиры, пишите tok%dx", i)
		}
		m := store.Message{AccountID: 1, ChatID: -1001000000001, ChatTitle: "Bench", ChatUsername: "bench_chat",
			MsgID: int64(i + 1), SenderID: int64(7000000 + i), SenderName: "Sender", Date: time.Now(), Text: text}
		wg.Add(1)
		started[i] = time.Now()
		go func() {
			defer wg.Done()
			if err := a.Pipeline().Ingest(ctx, owner, m); err != nil {
				errMu.Lock()
				ingestErr = err
				errMu.Unlock()
			}
		}()
	}
	wg.Wait()
	if ingestErr != nil {
		b.Fatal(ingestErr)
	}
	// Wait for every alert.
	var lat []time.Duration
	deadline := time.Now().Add(2*time.Minute + time.Duration(matches)*time.Second/25)
	for {
		lat = lat[:0]
		for _, c := range tg.Calls("sendMessage") {
			if c.Status != 200 {
				continue
			}
			if sm := tokRE.FindStringSubmatch(c.Params["text"]); sm != nil {
				i, _ := strconv.Atoi(sm[1])
				lat = append(lat, c.Time.Sub(started[i]))
			}
		}
		if len(lat) >= matches || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.StopTimer()
	if len(lat) != matches {
		b.Fatalf("%d alerts arrived; want %d", len(lat), matches)
	}
	slices.Sort(lat)
	q := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))]) / float64(time.Millisecond)
	}
	b.ReportMetric(q(0.50), "p50_ms")
	b.ReportMetric(q(0.99), "p99_ms")
	b.ReportMetric(q(1), "max_ms")
	b.ReportMetric(float64(matches), "alerts")
	b.ReportMetric(0, "ns/op")
}
