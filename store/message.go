package store

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"go.etcd.io/bbolt"
)

// Per-owner message buckets under users/<uid>/.
var (
	// bucketMessages: chat id (8) | message id (8) -> messageRecord JSON.
	bucketMessages = []byte("messages")
	// bucketMessageTime: date unix nanoseconds (8) | chat id (8) |
	// message id (8) -> empty; the time-ordered index for retention purges
	// and for RecentMessages.
	bucketMessageTime = []byte("messages_by_time")
)

// Message is one message seen in a monitored chat.
type Message struct {
	AccountID    int64 // the owner's connected account that saw it
	ChatID       int64 // Bot API style id (-100… for channels and supergroups)
	MsgID        int64
	ChatTitle    string
	ChatUsername string // "" for private groups (links use t.me/c/<internal id>/<id>)
	SenderID     int64
	// SenderUsername is without "@"; "" when the sender has none.
	SenderUsername string
	SenderName     string
	Date           time.Time
	Text           string
}

// messageRecord is the stored form of a Message; chat and message ids are
// also the key.
type messageRecord struct {
	AccountID      int64     `json:"account_id,omitempty"`
	ChatID         int64     `json:"chat_id"`
	MsgID          int64     `json:"msg_id"`
	ChatTitle      string    `json:"chat_title,omitempty"`
	ChatUsername   string    `json:"chat_username,omitempty"`
	SenderID       int64     `json:"sender_id,omitempty"`
	SenderUsername string    `json:"sender_username,omitempty"`
	SenderName     string    `json:"sender_name,omitempty"`
	Date           time.Time `json:"date"`
	Text           string    `json:"text"`
}

func (r messageRecord) message() Message { return Message(r) }

func messageRecordOf(m Message) messageRecord { return messageRecord(m) }

// messageKey is chat id | message id.
func messageKey(chatID, msgID int64) []byte {
	k := make([]byte, 16)
	copy(k, i64key(chatID))
	copy(k[8:], i64key(msgID))
	return k
}

// timeKey is the index key of a message dated at.
func timeKey(at time.Time, chatID, msgID int64) []byte {
	k := make([]byte, 24)
	copy(k, u64key(timeNano(at)))
	copy(k[8:], messageKey(chatID, msgID))
	return k
}

// timeNano is at in unix nanoseconds, clamped to the range a key holds.
func timeNano(at time.Time) uint64 {
	if at.Before(time.Unix(0, 0)) {
		return 0
	}
	return uint64(at.UnixNano())
}

// HasMessage reports whether the owner already stored the message with
// this chat and message id (the ingest dedupe key).
func (tx *Tx) HasMessage(uid, chatID, msgID int64) bool {
	b := tx.ownerBucket(uid, bucketMessages)
	return b != nil && b.Get(messageKey(chatID, msgID)) != nil
}

// PutMessage stores a message under the owner, replacing one with the same
// chat and message id, and indexes it by date. A zero Date is stamped with
// the store's clock. Text that is not valid UTF-8 is repaired (U+FFFD).
func (tx *Tx) PutMessage(uid int64, m Message) error {
	_, err := tx.putMessage(uid, m, true)
	return err
}

// AddMessage stores a message like PutMessage unless the owner already has
// one with the same chat and message id (the ingest dedupe key), which it
// leaves as it is. It reports whether it stored m: HasMessage and
// PutMessage in one lookup.
func (tx *Tx) AddMessage(uid int64, m Message) (bool, error) {
	return tx.putMessage(uid, m, false)
}

func (tx *Tx) putMessage(uid int64, m Message, replace bool) (bool, error) {
	b, err := tx.createOwnerBucket(uid, bucketMessages)
	if err != nil {
		return false, fmt.Errorf("store: put message: %w", err)
	}
	idx, err := tx.createOwnerBucket(uid, bucketMessageTime)
	if err != nil {
		return false, fmt.Errorf("store: put message: %w", err)
	}
	key := messageKey(m.ChatID, m.MsgID)
	if old := b.Get(key); old != nil {
		if !replace {
			return false, nil
		}
		// Replacing: drop the old index entry.
		var r messageRecord
		if err := json.Unmarshal(old, &r); err == nil {
			if err := idx.Delete(timeKey(r.Date, r.ChatID, r.MsgID)); err != nil {
				return false, fmt.Errorf("store: put message: %w", err)
			}
		}
	}
	m = cleanMessage(m, tx.s.stamp)
	v, err := json.Marshal(messageRecordOf(m))
	if err != nil {
		return false, fmt.Errorf("store: put message: encode: %w", err)
	}
	if err := b.Put(key, v); err != nil {
		return false, fmt.Errorf("store: put message: %w", err)
	}
	if err := idx.Put(timeKey(m.Date, m.ChatID, m.MsgID), nil); err != nil {
		return false, fmt.Errorf("store: put message: %w", err)
	}
	return true, nil
}

// cleanMessage makes m storable as it will read back: UTC date without
// monotonic reading (stamped when zero) and valid UTF-8 strings.
func cleanMessage(m Message, stamp func() time.Time) Message {
	m.Date = storedDate(m.Date, stamp)
	m.Text = validUTF8(m.Text)
	m.ChatTitle = validUTF8(m.ChatTitle)
	m.ChatUsername = validUTF8(m.ChatUsername)
	m.SenderUsername = validUTF8(m.SenderUsername)
	m.SenderName = validUTF8(m.SenderName)
	return m
}

// storedDate is a message date as cleanMessage stores it.
func storedDate(d time.Time, stamp func() time.Time) time.Time {
	if d.IsZero() {
		d = stamp()
	}
	return d.UTC().Round(0)
}

// Message returns one of the owner's stored messages, or ErrNotFound.
func (s *Store) Message(uid, chatID, msgID int64) (Message, error) {
	var m Message
	err := s.db.View(func(btx *bbolt.Tx) error {
		tx := &Tx{tx: btx, s: s}
		b := tx.ownerBucket(uid, bucketMessages)
		if b == nil {
			return ErrNotFound
		}
		v := b.Get(messageKey(chatID, msgID))
		if v == nil {
			return ErrNotFound
		}
		var err error
		m, err = decodeMessage(v)
		return err
	})
	if err != nil {
		return Message{}, fmt.Errorf("store: message %d/%d of user %d: %w", chatID, msgID, uid, err)
	}
	return m, nil
}

func decodeMessage(v []byte) (Message, error) {
	var r messageRecord
	if err := json.Unmarshal(v, &r); err != nil {
		return Message{}, fmt.Errorf("decode message: %w", err)
	}
	return r.message(), nil
}

// RecentMessages returns up to n of the owner's stored messages, newest
// (by Date) first; an empty slice when there are none or n <= 0.
func (s *Store) RecentMessages(uid int64, n int) ([]Message, error) {
	msgs := []Message{}
	if n <= 0 {
		return msgs, nil
	}
	err := s.db.View(func(btx *bbolt.Tx) error {
		tx := &Tx{tx: btx, s: s}
		idx := tx.ownerBucket(uid, bucketMessageTime)
		b := tx.ownerBucket(uid, bucketMessages)
		if idx == nil || b == nil {
			return nil
		}
		c := idx.Cursor()
		for k, _ := c.Last(); k != nil && len(msgs) < n; k, _ = c.Prev() {
			if len(k) != 24 {
				return fmt.Errorf("bad message index key %x", k)
			}
			v := b.Get(k[8:])
			if v == nil {
				continue // index entry without message: skip
			}
			m, err := decodeMessage(v)
			if err != nil {
				return err
			}
			msgs = append(msgs, m)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: recent messages of user %d: %w", uid, err)
	}
	return msgs, nil
}

// PurgeMessages deletes the owner's messages dated before the cutoff (the
// plan's retention) and returns how many it deleted, and drops cross-post
// dedupe keys older than both the cutoff and 24 h. Leads keep their own
// copy of the message; analytics counters are not changed.
func (s *Store) PurgeMessages(uid int64, before time.Time) (int, error) {
	n := 0
	err := s.db.Update(func(btx *bbolt.Tx) error {
		tx := &Tx{tx: btx, s: s}
		idx := tx.ownerBucket(uid, bucketMessageTime)
		b := tx.ownerBucket(uid, bucketMessages)
		if idx == nil || b == nil {
			return nil
		}
		limit := u64key(timeNano(before))
		c := idx.Cursor()
		for k, _ := c.First(); k != nil && string(k[:8]) < string(limit); k, _ = c.First() {
			if len(k) != 24 {
				return fmt.Errorf("bad message index key %x", k)
			}
			if err := b.Delete(k[8:]); err != nil {
				return err
			}
			if err := c.Delete(); err != nil {
				return err
			}
			n++
		}
		// Dedupe keys older than the cross-post window are dead weight.
		if kb := tx.ownerBucket(uid, bucketLeadKeys); kb != nil {
			cutoff := s.stamp().Add(-24 * time.Hour)
			if before.Before(cutoff) {
				cutoff = before
			}
			return deleteLeadKeysBefore(kb, cutoff)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: purge messages of user %d: %w", uid, err)
	}
	return n, nil
}

// validUTF8 replaces invalid UTF-8, which JSON would replace silently, so
// what is stored is what reads back.
func validUTF8(s string) string {
	if utf8.ValidString(s) { // the common case, without a copy
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}
