package bot

import (
	"testing"
	"time"
)

func TestRateLimiter(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	r := newRateLimiter(3, time.Second, func() time.Time { return now })
	for i := 0; i < 3; i++ {
		if ok, _ := r.allow(1); !ok {
			t.Fatalf("update %d refused within the burst", i+1)
		}
	}
	if ok, warn := r.allow(1); ok || !warn {
		t.Fatalf("4th update: ok=%v warn=%v; want refused with a warning", ok, warn)
	}
	if ok, warn := r.allow(1); ok || warn {
		t.Fatalf("5th update: ok=%v warn=%v; want refused silently", ok, warn)
	}
	if ok, _ := r.allow(2); !ok {
		t.Fatal("another owner was limited by the first one's burst")
	}
	now = now.Add(time.Second)
	if ok, _ := r.allow(1); !ok {
		t.Fatal("not refilled after one interval")
	}
}
