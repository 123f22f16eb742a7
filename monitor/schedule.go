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

// nextBoundary returns the first wall-clock time at or after t whose
// minutes since local midnight are a multiple of every.
func nextBoundary(t time.Time, every int) time.Time {
	if every <= 0 {
		every = store.DefaultDigestEvery
	}
	y, mo, d := t.Date()
	mins := t.Hour()*60 + t.Minute()
	k := mins / every
	if t.Second() != 0 || t.Nanosecond() != 0 || mins%every != 0 {
		k++
	}
	// Wall-clock arithmetic can land before t around a DST change (an
	// ambiguous or skipped hour): step on until it does not.
	for ; ; k++ {
		b := time.Date(y, mo, d, 0, k*every, 0, 0, t.Location())
		if !b.Before(t) {
			return b
		}
	}
}

// quietEnd reports whether t falls in the quiet hours [from, to) (minutes
// after local midnight; from > to spans midnight; from == to means none)
// and if so returns when they end.
func quietEnd(t time.Time, from, to int) (time.Time, bool) {
	from, to = ((from%1440)+1440)%1440, ((to%1440)+1440)%1440
	if from == to {
		return time.Time{}, false
	}
	sec := t.Hour()*3600 + t.Minute()*60 + t.Second()
	fromSec, toSec := from*60, to*60
	y, mo, d := t.Date()
	endOn := func(dayOffset int) (time.Time, bool) {
		end := time.Date(y, mo, d+dayOffset, 0, to, 0, 0, t.Location())
		if !end.After(t) { // a DST jump moved the wall clock past it
			return t, true
		}
		return end, true
	}
	switch {
	case from < to && sec >= fromSec && sec < toSec:
		return endOn(0)
	case from > to && sec >= fromSec:
		return endOn(1)
	case from > to && sec < toSec:
		return endOn(0)
	}
	return time.Time{}, false
}
