package monitor

import (
	"time"

	"github.com/leadgenrunner/leadgenrunner/store"
)

// AlertDue says when an alert for a lead found at now is due under the
// owner's settings, and whether it goes into a digest.
//
// Instant mode: now, unless now falls in quiet hours, then the end of the
// quiet period. Digest mode: the next boundary of DigestEvery minutes
// counted from local midnight (15: :00, :15, :30, :45), or now when now is
// exactly on one, pushed out of quiet hours the same way. Quiet hours and
// boundaries are wall-clock times in the owner's TZ (DST included); an
// unknown TZ is read as UTC.
func AlertDue(now time.Time, s store.AlertSettings) (due time.Time, digest bool) {
	loc, err := time.LoadLocation(s.TZ)
	if err != nil || s.TZ == "" {
		loc = time.UTC
	}
	return alertDue(now, s, loc)
}

func alertDue(now time.Time, s store.AlertSettings, loc *time.Location) (time.Time, bool) {
	digest := s.Mode == store.AlertDigest
	due := now
	if digest {
		due = nextBoundary(now.In(loc), s.DigestEvery)
	}
	if end, ok := quietEnd(due.In(loc), s.QuietFrom, s.QuietTo); ok {
		due = end
	}
	return due.In(now.Location()), digest
}

// nextBoundary returns the first time at or after t whose wall clock in
// t's location reads a whole minute that is a multiple of every minutes
// after midnight. It walks absolute minutes, so around a DST change it
// finds what the clock shows (01:00 twice in autumn, no 02:00 in spring);
// every zone in use is offset from UTC by whole minutes.
func nextBoundary(t time.Time, every int) time.Time {
	if every <= 0 {
		every = store.DefaultDigestEvery
	}
	u := t.Truncate(time.Minute)
	if u.Before(t) {
		u = u.Add(time.Minute)
	}
	for range 2 * 24 * 60 {
		l := u.In(t.Location())
		if (l.Hour()*60+l.Minute())%every == 0 {
			return u
		}
		u = u.Add(time.Minute)
	}
	return u
}

// quietEnd reports whether t falls in the quiet hours [from, to) (minutes
// after local midnight in t's location; from > to spans midnight; from ==
// to means none) and if so returns when they end: the next time the wall
// clock reads to.
func quietEnd(t time.Time, from, to int) (time.Time, bool) {
	from, to = ((from%1440)+1440)%1440, ((to%1440)+1440)%1440
	if !inQuiet(t, from, to) {
		return time.Time{}, false
	}
	y, mo, d := t.Date()
	day := d
	if from > to && t.Hour()*60+t.Minute() >= from {
		day++ // the period ends tomorrow
	}
	end := time.Date(y, mo, day, 0, to, 0, 0, t.Location())
	if end.After(t) && !inQuiet(end, from, to) {
		return end, true
	}
	// The clock skipped "to" (a DST jump): walk it to the first minute
	// outside the quiet hours.
	u := t.Truncate(time.Minute).Add(time.Minute)
	for range 2 * 24 * 60 {
		if !inQuiet(u.In(t.Location()), from, to) {
			return u, true
		}
		u = u.Add(time.Minute)
	}
	return u, true
}

// inQuiet reports whether t's wall clock is in [from, to) minutes after
// midnight (from > to spans midnight; from == to is never quiet).
func inQuiet(t time.Time, from, to int) bool {
	sec := t.Hour()*3600 + t.Minute()*60 + t.Second()
	fromSec, toSec := from*60, to*60
	switch {
	case from < to:
		return sec >= fromSec && sec < toSec
	case from > to:
		return sec >= fromSec || sec < toSec
	}
	return false
}
