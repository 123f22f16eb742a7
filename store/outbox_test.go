package store_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/leadgenrunner/leadgenrunner/store"
)

// enqueue stores one lead per due time for uid and an outbox entry for it.
func enqueue(t *testing.T, s *store.Store, uid int64, dues ...time.Time) []store.OutboxEntry {
	t.Helper()
	var out []store.OutboxEntry
	err := s.Update(func(tx *store.Tx) error {
		for _, due := range dues {
			l := store.Lead{Message: msg(-1, int64(len(out)+1), fixedNow, "x"), Relevance: -1}
			if err := tx.PutLead(uid, &l, ""); err != nil {
				return err
			}
			e := store.OutboxEntry{OwnerID: uid, LeadID: l.ID, Due: due}
			if err := tx.Enqueue(&e); err != nil {
				return err
			}
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func entryIDs(es []store.OutboxEntry) string {
	ids := []uint64{}
	for _, e := range es {
		ids = append(ids, e.ID)
	}
	return fmt.Sprint(ids)
}

func TestOutboxOrderDeferAndSend(t *testing.T) {
	s, _ := newStore(t)
	if _, ok, err := s.NextAlertDue(); ok || err != nil {
		t.Fatalf("NextAlertDue on empty outbox: got ok %v, %v; want false, nil", ok, err)
	}
	t0 := fixedNow
	// ids 1..4 due at +2m, now, +1m, now: order by due then id = 2,4,3,1.
	es := enqueue(t, s, 1, t0.Add(2*time.Minute), t0, t0.Add(time.Minute), t0)
	if due, ok, err := s.NextAlertDue(); !ok || err != nil || !due.Equal(t0) {
		t.Errorf("NextAlertDue: got %v, %v, %v; want %v", due, ok, err, t0)
	}
	for _, c := range []struct {
		name  string
		now   time.Time
		limit int
		want  string
	}{
		{name: "due now", now: t0, want: "[2 4]"},
		{name: "before anything", now: t0.Add(-time.Second), want: "[]"},
		{name: "all", now: t0.Add(time.Hour), want: "[2 4 3 1]"},
		{name: "limited", now: t0.Add(time.Hour), limit: 3, want: "[2 4 3]"},
	} {
		got, err := s.DueAlerts(c.now, c.limit)
		if err != nil {
			t.Fatal(err)
		}
		if entryIDs(got) != c.want {
			t.Errorf("%s: DueAlerts got %s; want %s", c.name, entryIDs(got), c.want)
		}
	}

	// 429 on entry 2: it moves behind entry 3.
	if err := s.DeferAlert(es[1].ID, t0.Add(90*time.Second)); err != nil {
		t.Fatal(err)
	}
	got, err := s.DueAlerts(t0.Add(time.Hour), 0)
	if err != nil {
		t.Fatal(err)
	}
	if entryIDs(got) != "[4 3 2 1]" || got[2].Attempts != 1 || !got[2].Due.Equal(t0.Add(90*time.Second)) {
		t.Errorf("after defer: got %s %+v; want [4 3 2 1] with entry 2 at attempt 1", entryIDs(got), got)
	}
	if err := s.DeferAlert(99, t0); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("DeferAlert of a missing entry: got %v; want ErrNotFound", err)
	}

	sentAt := t0.Add(3 * time.Minute)
	if err := s.MarkAlertSent([]uint64{es[3].ID, es[1].ID, 99}, sentAt); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkAlertSent([]uint64{es[3].ID}, sentAt); err != nil { // twice is harmless
		t.Fatal(err)
	}
	got, err = s.DueAlerts(t0.Add(time.Hour), 0)
	if err != nil {
		t.Fatal(err)
	}
	if entryIDs(got) != "[3 1]" {
		t.Errorf("after sending 4 and 2: got %s; want [3 1]", entryIDs(got))
	}
	l, err := s.Lead(1, es[3].LeadID)
	if err != nil {
		t.Fatal(err)
	}
	if !l.AlertedAt.Equal(sentAt) {
		t.Errorf("AlertedAt of sent lead: got %v; want %v", l.AlertedAt, sentAt)
	}
	if l, _ := s.Lead(1, es[0].LeadID); !l.AlertedAt.IsZero() {
		t.Errorf("AlertedAt of pending lead: got %v; want zero", l.AlertedAt)
	}
	if due, ok, _ := s.NextAlertDue(); !ok || !due.Equal(t0.Add(time.Minute)) {
		t.Errorf("NextAlertDue after sending: got %v, %v; want %v", due, ok, t0.Add(time.Minute))
	}
}

func TestEnqueueValidates(t *testing.T) {
	s, _ := newStore(t)
	for _, e := range []store.OutboxEntry{{OwnerID: 0, LeadID: 1}, {OwnerID: 1, LeadID: 0}} {
		err := s.Update(func(tx *store.Tx) error { return tx.Enqueue(&e) })
		if err == nil {
			t.Errorf("Enqueue(%+v): got nil; want an error", e)
		}
	}
	// A zero Due is now.
	var e store.OutboxEntry
	err := s.Update(func(tx *store.Tx) error {
		e = store.OutboxEntry{OwnerID: 1, LeadID: 1}
		return tx.Enqueue(&e)
	})
	if err != nil || e.ID == 0 || !e.Due.Equal(fixedNow) {
		t.Errorf("Enqueue with zero Due: got %+v, %v; want an id and Due %v", e, err, fixedNow)
	}
}

func TestDeleteUserDropsOutboxEntries(t *testing.T) {
	s, _ := newStore(t)
	enqueue(t, s, 1, fixedNow, fixedNow.Add(time.Minute))
	kept := enqueue(t, s, 2, fixedNow)
	enqueue(t, s, 1, fixedNow.Add(-time.Minute))
	if err := s.DeleteUser(1); err != nil {
		t.Fatal(err)
	}
	got, err := s.DueAlerts(fixedNow.Add(time.Hour), 0)
	if err != nil {
		t.Fatal(err)
	}
	if entryIDs(got) != entryIDs(kept) {
		t.Errorf("outbox after DeleteUser(1): got %s; want only %s", entryIDs(got), entryIDs(kept))
	}
	if due, ok, _ := s.NextAlertDue(); !ok || !due.Equal(fixedNow) {
		t.Errorf("NextAlertDue after delete: got %v %v; want %v", due, ok, fixedNow)
	}
	if _, total, _ := s.Leads(1, "", 0, 10); total != 0 {
		t.Errorf("leads of deleted owner: got %d; want 0", total)
	}
	if err := s.Check(); err != nil {
		t.Error(err)
	}
}
