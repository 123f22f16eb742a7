package userbot_test

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leadgenrunner/leadgenrunner/userbot/usertest"
)

// BenchmarkIdleAccounts connects many idle accounts to the fake cluster and
// reports what each costs: Go heap, process RSS and goroutines, as the
// difference against the same process before the accounts connected (the
// baseline: cluster, store and an idle Manager). The fake server runs in
// this process, so its per-connection share is included. Run it once:
//
//	go test -run NONE -bench IdleAccounts -benchtime 1x ./userbot/
func BenchmarkIdleAccounts(b *testing.B) {
	n := 200
	if testing.Short() {
		n = 20
	}
	for range b.N {
		c := usertest.New(b)
		accs := make([]*usertest.Account, n)
		for i := range accs {
			accs[i] = c.AddAccount(fmt.Sprintf("+1555%07d", i), usertest.AccountOptions{})
		}
		e := startEnv(b, c, "")
		heap0, rss0, g0 := memory(b)

		start := time.Now()
		for i, a := range accs {
			e.connect(int64(owner+i), a, "")
		}
		connect := time.Since(start)
		time.Sleep(time.Second) // let every client settle into idle

		heap1, rss1, g1 := memory(b)
		b.ReportMetric(float64(heap1-heap0)/float64(n), "heap-B/account")
		b.ReportMetric(float64(rss1-rss0)/float64(n), "rss-B/account")
		b.ReportMetric(float64(g1-g0)/float64(n), "goroutines/account")
		b.ReportMetric(float64(connect.Milliseconds())/float64(n), "ms/login")
		e.stop()
	}
}

// memory returns the live heap after a GC, the process RSS and the number
// of goroutines.
func memory(b *testing.B) (heap, rss uint64, goroutines int) {
	b.Helper()
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc, rssBytes(b), runtime.NumGoroutine()
}

// rssBytes reads VmRSS from /proc/self/status (Linux); 0 elsewhere.
func rssBytes(b *testing.B) uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				b.Fatalf("parse VmRSS %q: %v", rest, err)
			}
			return kb * 1024
		}
	}
	return 0
}
