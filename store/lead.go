package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"go.etcd.io/bbolt"
)

// Per-owner lead buckets under users/<uid>/.
var (
	// bucketLeads: lead id (8) -> leadRecord JSON; ids grow with creation.
	bucketLeads = []byte("leads")
	// bucketLeadKeys: dedupe key -> lead id (8) | lead CreatedAt unix
	// nanoseconds (8); the cross-post index RecentLeadByKey reads.
	bucketLeadKeys = []byte("lead_keys")
)

// LeadStatus is where the owner put a lead.
type LeadStatus string

// Lead statuses.
const (
	LeadNew       LeadStatus = "new"
	LeadContacted LeadStatus = "contacted"
	LeadNotLead   LeadStatus = "not_lead"
)

// Valid reports whether st is one of the statuses above.
func (st LeadStatus) Valid() bool {
	switch st {
	case LeadNew, LeadContacted, LeadNotLead:
		return true
	}
	return false
}

// ChatRef is another chat a lead's text was posted in.
type ChatRef struct {
	ChatID                  int64
	ChatTitle, ChatUsername string
	MsgID                   int64
}

// Lead is a message that matched the owner's keyword rules.
type Lead struct {
	ID      uint64
	OwnerID int64
	Message // the first occurrence
	// Keywords are the keyword rules that fired, as written.
	Keywords []string
	// AlsoIn lists cross-posts of the same text by the same sender within
	// 24 h, in the order they arrived.
	AlsoIn    []ChatRef
	Status    LeadStatus
	Relevance int // 0..100; -1 = not rated
	CreatedAt time.Time
	UpdatedAt time.Time
	// AlertedAt is when the alert was accepted by Telegram (see
	// MarkAlertSent); zero while it is pending.
	AlertedAt time.Time
}

// leadRecord is the stored form of a Lead; the ID is the key.
type leadRecord struct {
	OwnerID   int64           `json:"owner_id"`
	Message   messageRecord   `json:"message"`
	Keywords  []string        `json:"keywords,omitempty"`
	AlsoIn    []chatRefRecord `json:"also_in,omitempty"`
	Status    LeadStatus      `json:"status"`
	Relevance int             `json:"relevance"`
	CreatedAt time.Time       `json:"created_at"`
	UpdatedAt time.Time       `json:"updated_at"`
	AlertedAt time.Time       `json:"alerted_at,omitzero"`
}

type chatRefRecord struct {
	ChatID       int64  `json:"chat_id"`
	ChatTitle    string `json:"chat_title,omitempty"`
	ChatUsername string `json:"chat_username,omitempty"`
	MsgID        int64  `json:"msg_id"`
}

func (r leadRecord) lead(id uint64) Lead {
	l := Lead{
		ID:        id,
		OwnerID:   r.OwnerID,
		Message:   r.Message.message(),
		Keywords:  r.Keywords,
		Status:    r.Status,
		Relevance: r.Relevance,
		CreatedAt: r.CreatedAt,
		UpdatedAt: r.UpdatedAt,
		AlertedAt: r.AlertedAt,
	}
	if l.Keywords == nil {
		l.Keywords = []string{}
	}
	for _, c := range r.AlsoIn {
		l.AlsoIn = append(l.AlsoIn, ChatRef(c))
	}
	return l
}

func leadRecordOf(l Lead) leadRecord {
	r := leadRecord{
		OwnerID:   l.OwnerID,
		Message:   messageRecordOf(l.Message),
		Keywords:  l.Keywords,
		Status:    l.Status,
		Relevance: l.Relevance,
		CreatedAt: l.CreatedAt,
		UpdatedAt: l.UpdatedAt,
		AlertedAt: l.AlertedAt,
	}
	for _, c := range l.AlsoIn {
		r.AlsoIn = append(r.AlsoIn, chatRefRecord(c))
	}
	return r
}

func decodeLead(k, v []byte) (Lead, error) {
	if len(k) != 8 {
		return Lead{}, fmt.Errorf("bad lead key %x", k)
	}
	var r leadRecord
	if err := json.Unmarshal(v, &r); err != nil {
		return Lead{}, fmt.Errorf("decode lead %d: %w", beUint64(k), err)
	}
	return r.lead(beUint64(k)), nil
}

// getLead reads lead id of the owner; ok is false when there is none.
func (tx *Tx) getLead(uid int64, id uint64) (Lead, bool, error) {
	b := tx.ownerBucket(uid, bucketLeads)
	if b == nil {
		return Lead{}, false, nil
	}
	k := u64key(id)
	v := b.Get(k)
	if v == nil {
		return Lead{}, false, nil
	}
	l, err := decodeLead(k, v)
	return l, err == nil, err
}

// Lead returns one of the owner's leads within a transaction; ok is false
// when there is none.
func (tx *Tx) Lead(uid int64, id uint64) (Lead, bool) {
	l, ok, err := tx.getLead(uid, id)
	if err != nil {
		tx.s.log.Warn("store: unreadable lead", "user_id", uid, "lead_id", id, "err", err)
	}
	return l, ok
}

// RecentLeadByKey returns the owner's lead stored under dedupeKey whose
// CreatedAt is not before since; ok is false when there is none.
func (tx *Tx) RecentLeadByKey(uid int64, key string, since time.Time) (Lead, bool) {
	if key == "" {
		return Lead{}, false
	}
	b := tx.ownerBucket(uid, bucketLeadKeys)
	if b == nil {
		return Lead{}, false
	}
	v := b.Get([]byte(key))
	if len(v) != 16 {
		return Lead{}, false
	}
	if at := int64(binary.BigEndian.Uint64(v[8:])); at < since.UnixNano() {
		return Lead{}, false
	}
	return tx.Lead(uid, beUint64(v[:8]))
}

// PutLead stores a lead of the owner. A zero ID gets the next id, a zero
// CreatedAt and UpdatedAt the store's clock, an empty Status LeadNew; the
// assigned values are written back into *l. A non-empty dedupeKey is
// pointed at the lead (with its CreatedAt) for RecentLeadByKey. PutLead
// does not touch counters: see CountLead and SetLeadStatus.
func (tx *Tx) PutLead(uid int64, l *Lead, dedupeKey string) error {
	b, err := tx.createOwnerBucket(uid, bucketLeads)
	if err != nil {
		return fmt.Errorf("store: put lead: %w", err)
	}
	if l.ID == 0 {
		if l.ID, err = b.NextSequence(); err != nil {
			return fmt.Errorf("store: put lead: %w", err)
		}
	}
	now := tx.s.stamp()
	l.OwnerID = uid
	l.Message = cleanMessage(l.Message, tx.s.stamp)
	if l.CreatedAt.IsZero() {
		l.CreatedAt = now
	}
	l.CreatedAt = l.CreatedAt.UTC().Round(0)
	if l.UpdatedAt.IsZero() {
		l.UpdatedAt = now
	}
	l.UpdatedAt = l.UpdatedAt.UTC().Round(0)
	if l.Status == "" {
		l.Status = LeadNew
	}
	if !l.Status.Valid() {
		return fmt.Errorf("store: put lead: invalid status %q", l.Status)
	}
	if l.Keywords == nil {
		l.Keywords = []string{}
	}
	v, err := json.Marshal(leadRecordOf(*l))
	if err != nil {
		return fmt.Errorf("store: put lead: encode: %w", err)
	}
	if err := b.Put(u64key(l.ID), v); err != nil {
		return fmt.Errorf("store: put lead: %w", err)
	}
	if dedupeKey == "" {
		return nil
	}
	kb, err := tx.createOwnerBucket(uid, bucketLeadKeys)
	if err != nil {
		return fmt.Errorf("store: put lead: %w", err)
	}
	kv := make([]byte, 16)
	binary.BigEndian.PutUint64(kv, l.ID)
	binary.BigEndian.PutUint64(kv[8:], uint64(l.CreatedAt.UnixNano()))
	if err := kb.Put([]byte(dedupeKey), kv); err != nil {
		return fmt.Errorf("store: put lead: %w", err)
	}
	return nil
}

// Lead returns one of the owner's leads, or ErrNotFound (also for an id
// that belongs to another owner).
func (s *Store) Lead(uid int64, id uint64) (Lead, error) {
	var l Lead
	err := s.View(func(tx *Tx) error {
		got, ok, err := tx.getLead(uid, id)
		if err != nil {
			return err
		}
		if !ok {
			return ErrNotFound
		}
		l = got
		return nil
	})
	if err != nil {
		return Lead{}, fmt.Errorf("store: lead %d of user %d: %w", id, uid, err)
	}
	return l, nil
}

// Leads returns a page of the owner's leads with status st ("" = any),
// newest first: limit leads after skipping offset, and the total number
// with that status. limit <= 0 returns no leads, only the total.
func (s *Store) Leads(uid int64, st LeadStatus, offset, limit int) (leads []Lead, total int, err error) {
	leads = []Lead{}
	offset = max(offset, 0)
	err = s.View(func(tx *Tx) error {
		b := tx.ownerBucket(uid, bucketLeads)
		if b == nil {
			return nil
		}
		if st == "" { // the bucket knows its size: decode only the page
			total = b.Stats().KeyN
		}
		c := b.Cursor()
		seen := 0
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			if st == "" {
				if seen >= offset+limit {
					break
				}
				if seen >= offset {
					l, err := decodeLead(k, v)
					if err != nil {
						return err
					}
					leads = append(leads, l)
				}
				seen++
				continue
			}
			l, err := decodeLead(k, v)
			if err != nil {
				return err
			}
			if l.Status != st {
				continue
			}
			if seen >= offset && seen < offset+limit {
				leads = append(leads, l)
			}
			seen++
		}
		if st != "" {
			total = seen
		}
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("store: leads of user %d: %w", uid, err)
	}
	return leads, total, nil
}

// SetLeadStatus changes the status of one of the owner's leads and moves
// the per-rule "contacted" and "not a lead" counters with it (the old
// status is undone), so changing a status back and forth counts once.
// Setting the status a lead already has changes nothing. ErrNotFound when
// the owner has no such lead.
func (s *Store) SetLeadStatus(uid int64, id uint64, st LeadStatus) (Lead, error) {
	if !st.Valid() {
		return Lead{}, fmt.Errorf("store: set lead status: invalid status %q", st)
	}
	var l Lead
	err := s.Update(func(tx *Tx) error {
		got, ok, err := tx.getLead(uid, id)
		if err != nil {
			return err
		}
		if !ok {
			return ErrNotFound
		}
		l = got
		if l.Status == st {
			return nil
		}
		if err := tx.moveStatusCounters(uid, l.Keywords, l.Status, st); err != nil {
			return err
		}
		l.Status = st
		l.UpdatedAt = s.stamp()
		return tx.PutLead(uid, &l, "")
	})
	if err != nil {
		return Lead{}, fmt.Errorf("store: set status of lead %d of user %d: %w", id, uid, err)
	}
	return l, nil
}

// containsChat reports whether the lead was seen in chatID, first or as a
// cross-post.
func (l Lead) containsChat(chatID int64) bool {
	return l.ChatID == chatID || slices.ContainsFunc(l.AlsoIn, func(c ChatRef) bool { return c.ChatID == chatID })
}

// AddCrossPost records that the lead's text was also posted in chat c: it
// appends c to AlsoIn unless the lead already lists that chat, and reports
// whether it did.
func (l *Lead) AddCrossPost(c ChatRef) bool {
	if l.containsChat(c.ChatID) {
		return false
	}
	l.AlsoIn = append(l.AlsoIn, c)
	return true
}

// deleteLeadKeysBefore drops dedupe keys whose lead is older than cutoff.
func deleteLeadKeysBefore(b *bbolt.Bucket, cutoff time.Time) error {
	var stale [][]byte
	err := b.ForEach(func(k, v []byte) error {
		if len(v) != 16 || int64(binary.BigEndian.Uint64(v[8:])) < cutoff.UnixNano() {
			stale = append(stale, append([]byte(nil), k...))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range stale {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}
