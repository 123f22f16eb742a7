package monitor

import (
	"testing"
	"time"

	"github.com/leadgenrunner/leadgenrunner/store"
)

func TestAlertDue(t *testing.T) {
	utc := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v.UTC()
	}
	const h = 60 // minutes per hour
	instant := func(from, to int, tz string) store.AlertSettings {
		return store.AlertSettings{Mode: store.AlertInstant, QuietFrom: from, QuietTo: to, TZ: tz}
	}
	digest := func(every, from, to int, tz string) store.AlertSettings {
		return store.AlertSettings{Mode: store.AlertDigest, DigestEvery: every, QuietFrom: from, QuietTo: to, TZ: tz}
	}
	for _, c := range []struct {
		name       string
		now        string
		set        store.AlertSettings
		want       string
		wantDigest bool
	}{
		{name: "instant no quiet", now: "2025-03-01T12:34:56Z", set: instant(0, 0, "UTC"), want: "2025-03-01T12:34:56Z"},
		{name: "instant zero settings", now: "2025-03-01T12:34:56Z", set: store.AlertSettings{}, want: "2025-03-01T12:34:56Z"},
		{name: "instant before quiet", now: "2025-03-01T21:59:59Z", set: instant(22*h, 8*h, "UTC"), want: "2025-03-01T21:59:59Z"},
		{name: "instant quiet before midnight", now: "2025-03-01T23:30:00Z", set: instant(22*h, 8*h, "UTC"), want: "2025-03-02T08:00:00Z"},
		{name: "instant quiet after midnight", now: "2025-03-02T03:00:00Z", set: instant(22*h, 8*h, "UTC"), want: "2025-03-02T08:00:00Z"},
		{name: "instant quiet start is quiet", now: "2025-03-01T22:00:00Z", set: instant(22*h, 8*h, "UTC"), want: "2025-03-02T08:00:00Z"},
		{name: "instant quiet end is not quiet", now: "2025-03-02T08:00:00Z", set: instant(22*h, 8*h, "UTC"), want: "2025-03-02T08:00:00Z"},
		{name: "instant daytime quiet", now: "2025-03-01T13:30:00Z", set: instant(13*h, 14*h, "UTC"), want: "2025-03-01T14:00:00Z"},
		{name: "instant outside daytime quiet", now: "2025-03-01T23:30:00Z", set: instant(13*h, 14*h, "UTC"), want: "2025-03-01T23:30:00Z"},
		{name: "instant quiet in owner zone", now: "2025-03-01T20:00:00Z", set: instant(22*h, 8*h, "Europe/Moscow"), want: "2025-03-02T05:00:00Z"},
		{name: "instant not quiet in owner zone", now: "2025-03-01T18:59:00Z", set: instant(22*h, 8*h, "Europe/Moscow"), want: "2025-03-01T18:59:00Z"},
		{name: "invalid zone is UTC", now: "2025-03-01T23:00:00Z", set: instant(22*h, 8*h, "Nowhere/Special"), want: "2025-03-02T08:00:00Z"},
		{name: "quiet across spring forward", now: "2025-03-09T04:00:00Z", set: instant(22*h, 8*h, "America/New_York"), want: "2025-03-09T12:00:00Z"},
		{name: "quiet across fall back", now: "2025-11-02T03:00:00Z", set: instant(22*h, 8*h, "America/New_York"), want: "2025-11-02T13:00:00Z"},
		{name: "digest 15", now: "2025-03-01T12:07:30Z", set: digest(15, 0, 0, "UTC"), want: "2025-03-01T12:15:00Z", wantDigest: true},
		{name: "digest on boundary", now: "2025-03-01T12:00:00Z", set: digest(60, 0, 0, "UTC"), want: "2025-03-01T12:00:00Z", wantDigest: true},
		{name: "digest just after boundary", now: "2025-03-01T12:00:00.001Z", set: digest(60, 0, 0, "UTC"), want: "2025-03-01T13:00:00Z", wantDigest: true},
		{name: "digest default period", now: "2025-03-01T12:10:00Z", set: digest(0, 0, 0, "UTC"), want: "2025-03-01T13:00:00Z", wantDigest: true},
		{name: "digest over midnight", now: "2025-03-01T23:40:00Z", set: digest(60, 0, 0, "UTC"), want: "2025-03-02T00:00:00Z", wantDigest: true},
		{name: "digest half-hour zone", now: "2025-03-01T12:10:00Z", set: digest(60, 0, 0, "Asia/Kolkata"), want: "2025-03-01T12:30:00Z", wantDigest: true},
		{name: "digest pushed out of quiet", now: "2025-03-01T21:30:00Z", set: digest(60, 22*h, 8*h, "UTC"), want: "2025-03-02T08:00:00Z", wantDigest: true},
		{name: "digest in quiet", now: "2025-03-02T02:10:00Z", set: digest(15, 22*h, 8*h, "UTC"), want: "2025-03-02T08:00:00Z", wantDigest: true},
		{name: "digest in skipped hour", now: "2025-03-09T06:30:00Z", set: digest(60, 0, 0, "America/New_York"), want: "2025-03-09T07:00:00Z", wantDigest: true},
		{name: "digest in repeated hour", now: "2025-11-02T05:30:00Z", set: digest(60, 0, 0, "America/New_York"), want: "2025-11-02T06:00:00Z", wantDigest: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			now := utc(c.now)
			due, dig := AlertDue(now, c.set)
			if want := utc(c.want); !due.Equal(want) || dig != c.wantDigest {
				t.Errorf("got %v, digest %v; want %v, digest %v", due.UTC(), dig, want, c.wantDigest)
			}
			if due.Before(now) {
				t.Errorf("due %v is before now %v", due, now)
			}
		})
	}
}

// TestAlertDueNeverInQuietHours walks a year of instants in a DST zone and
// checks the invariants: due is not before now, never inside quiet hours,
// and for digests on a boundary.
func TestAlertDueNeverInQuietHours(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	for _, set := range []store.AlertSettings{
		{Mode: store.AlertInstant, QuietFrom: 23 * 60, QuietTo: 7*60 + 30, TZ: "Europe/Berlin"},
		{Mode: store.AlertDigest, DigestEvery: 15, QuietFrom: 1 * 60, QuietTo: 3 * 60, TZ: "Europe/Berlin"},
		{Mode: store.AlertDigest, DigestEvery: 60, QuietFrom: 2*60 + 30, QuietTo: 2*60 + 15, TZ: "Europe/Berlin"},
	} {
		start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		for now := start; now.Before(start.AddDate(1, 0, 0)); now = now.Add(17*time.Minute + 13*time.Second) {
			due, _ := AlertDue(now, set)
			l := due.In(loc)
			mins := l.Hour()*60 + l.Minute()
			if due.Before(now) {
				t.Fatalf("%+v at %v: due %v before now", set, now, due)
			}
			if _, quiet := quietEnd(l, set.QuietFrom, set.QuietTo); quiet {
				t.Fatalf("%+v at %v: due %v is in quiet hours", set, now, l)
			}
			if set.Mode == store.AlertDigest && due.After(now) && l.Second() == 0 && mins%set.DigestEvery != 0 && mins != set.QuietTo {
				t.Fatalf("%+v at %v: due %v is neither a boundary nor the end of quiet hours", set, now, l)
			}
		}
	}
}
