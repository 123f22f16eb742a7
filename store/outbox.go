package store

import (
	"encoding/json"
	"fmt"
	"time"

	"go.etcd.io/bbolt"
)

// The alert outbox is two global buckets: outbox (entry id (8) ->
// outboxRecord JSON) and outbox_due (due unix nanoseconds (8) | entry id
// (8) -> empty), the order the sender drains it in. An entry lives from the
// transaction that creates its lead until Telegram has accepted the alert.
var bucketOutboxDue = []byte("outbox_due")

// OutboxEntry is one pending lead alert.
type OutboxEntry struct {
	ID       uint64
	OwnerID  int64
	LeadID   uint64
	Due      time.Time // not to be sent before
	Digest   bool      // goes out in the owner's next digest message
	Attempts int       // failed delivery attempts so far
}

type outboxRecord struct {
	OwnerID  int64     `json:"owner_id"`
	LeadID   uint64    `json:"lead_id"`
	Due      time.Time `json:"due"`
	Digest   bool      `json:"digest,omitempty"`
	Attempts int       `json:"attempts,omitempty"`
}

func decodeOutbox(k, v []byte) (OutboxEntry, error) {
	if len(k) != 8 {
		return OutboxEntry{}, fmt.Errorf("bad outbox key %x", k)
	}
	var r outboxRecord
	if err := json.Unmarshal(v, &r); err != nil {
		return OutboxEntry{}, fmt.Errorf("decode outbox entry %d: %w", beUint64(k), err)
	}
	return OutboxEntry{
		ID: beUint64(k), OwnerID: r.OwnerID, LeadID: r.LeadID,
		Due: r.Due, Digest: r.Digest, Attempts: r.Attempts,
	}, nil
}

// dueKey is the outbox_due key of an entry.
func dueKey(due time.Time, id uint64) []byte {
	k := make([]byte, 16)
	copy(k, u64key(timeNano(due)))
	copy(k[8:], u64key(id))
	return k
}

// putOutbox writes e and its due index entry.
func putOutbox(btx *bbolt.Tx, e OutboxEntry) error {
	v, err := json.Marshal(outboxRecord{
		OwnerID: e.OwnerID, LeadID: e.LeadID, Due: e.Due, Digest: e.Digest, Attempts: e.Attempts,
	})
	if err != nil {
		return fmt.Errorf("encode outbox entry: %w", err)
	}
	if err := btx.Bucket(bucketOutbox).Put(u64key(e.ID), v); err != nil {
		return err
	}
	return btx.Bucket(bucketOutboxDue).Put(dueKey(e.Due, e.ID), nil)
}

// deleteOutbox removes entry e and its due index entry.
func deleteOutbox(btx *bbolt.Tx, e OutboxEntry) error {
	if err := btx.Bucket(bucketOutbox).Delete(u64key(e.ID)); err != nil {
		return err
	}
	return btx.Bucket(bucketOutboxDue).Delete(dueKey(e.Due, e.ID))
}

// getOutbox reads entry id; ok is false when there is none.
func getOutbox(btx *bbolt.Tx, id uint64) (OutboxEntry, bool, error) {
	k := u64key(id)
	v := btx.Bucket(bucketOutbox).Get(k)
	if v == nil {
		return OutboxEntry{}, false, nil
	}
	e, err := decodeOutbox(k, v)
	return e, err == nil, err
}

// Enqueue adds an alert to the outbox and writes its new ID into e. A zero
// Due means now (the store's clock). Enqueue it in the transaction that
// stores the lead, so that a lead exists exactly when its alert does.
func (tx *Tx) Enqueue(e *OutboxEntry) error {
	if err := checkUID(e.OwnerID); err != nil {
		return fmt.Errorf("store: enqueue alert: %w", err)
	}
	if e.LeadID == 0 {
		return fmt.Errorf("store: enqueue alert: lead id is 0")
	}
	id, err := tx.tx.Bucket(bucketOutbox).NextSequence()
	if err != nil {
		return fmt.Errorf("store: enqueue alert: %w", err)
	}
	e.ID = id
	if e.Due.IsZero() {
		e.Due = tx.s.stamp()
	}
	e.Due = e.Due.UTC().Round(0)
	if err := putOutbox(tx.tx, *e); err != nil {
		return fmt.Errorf("store: enqueue alert: %w", err)
	}
	return nil
}

// DueAlerts returns up to limit outbox entries due at or before now,
// ordered by Due and then ID (limit <= 0: all of them).
func (s *Store) DueAlerts(now time.Time, limit int) ([]OutboxEntry, error) {
	entries := []OutboxEntry{}
	end := timeNano(now)
	err := s.db.View(func(btx *bbolt.Tx) error {
		c := btx.Bucket(bucketOutboxDue).Cursor()
		for k, _ := c.First(); k != nil && (limit <= 0 || len(entries) < limit); k, _ = c.Next() {
			if len(k) != 16 {
				return fmt.Errorf("bad outbox index key %x", k)
			}
			if beUint64(k[:8]) > end {
				break
			}
			e, ok, err := getOutbox(btx, beUint64(k[8:]))
			if err != nil {
				return err
			}
			if ok {
				entries = append(entries, e)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: due alerts: %w", err)
	}
	return entries, nil
}

// NextAlertDue returns the earliest Due in the outbox; ok is false when the
// outbox is empty.
func (s *Store) NextAlertDue() (due time.Time, ok bool, err error) {
	err = s.db.View(func(btx *bbolt.Tx) error {
		k, _ := btx.Bucket(bucketOutboxDue).Cursor().First()
		if k == nil {
			return nil
		}
		if len(k) != 16 {
			return fmt.Errorf("bad outbox index key %x", k)
		}
		e, found, err := getOutbox(btx, beUint64(k[8:]))
		if err != nil || !found {
			return err
		}
		due, ok = e.Due, true
		return nil
	})
	if err != nil {
		return time.Time{}, false, fmt.Errorf("store: next alert due: %w", err)
	}
	return due, ok, nil
}

// MarkAlertSent removes delivered entries from the outbox and records at
// as the AlertedAt of their leads, in one transaction. Ids no longer in
// the outbox are skipped, so marking twice is harmless.
func (s *Store) MarkAlertSent(entryIDs []uint64, at time.Time) error {
	at = at.UTC().Round(0)
	err := s.Update(func(tx *Tx) error {
		for _, id := range entryIDs {
			e, ok, err := getOutbox(tx.tx, id)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			if err := deleteOutbox(tx.tx, e); err != nil {
				return err
			}
			l, ok, err := tx.getLead(e.OwnerID, e.LeadID)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			l.AlertedAt = at
			if err := tx.PutLead(e.OwnerID, &l, ""); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: mark alerts sent: %w", err)
	}
	return nil
}

// DeferAlert reschedules an entry after a failed delivery: Attempts grows
// by one and Due becomes until. ErrNotFound when the entry is gone (sent,
// or its owner deleted their data).
func (s *Store) DeferAlert(id uint64, until time.Time) error {
	err := s.db.Update(func(btx *bbolt.Tx) error {
		e, ok, err := getOutbox(btx, id)
		if err != nil {
			return err
		}
		if !ok {
			return ErrNotFound
		}
		if err := deleteOutbox(btx, e); err != nil {
			return err
		}
		e.Attempts++
		e.Due = until.UTC().Round(0)
		return putOutbox(btx, e)
	})
	if err != nil {
		return fmt.Errorf("store: defer alert %d: %w", id, err)
	}
	return nil
}

// deleteOwnerOutbox removes every outbox entry of the owner.
func deleteOwnerOutbox(btx *bbolt.Tx, uid int64) error {
	var doomed []OutboxEntry
	err := btx.Bucket(bucketOutbox).ForEach(func(k, v []byte) error {
		e, err := decodeOutbox(k, v)
		if err != nil {
			return err
		}
		if e.OwnerID == uid {
			doomed = append(doomed, e)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, e := range doomed {
		if err := deleteOutbox(btx, e); err != nil {
			return err
		}
	}
	return nil
}
