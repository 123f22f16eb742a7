package store

import (
	"fmt"

	"go.etcd.io/bbolt"
)

// Tx is one bbolt transaction seen through the store's schema. The lead
// pipeline uses it to store a batch of messages, their leads and their
// alerts atomically (one fsync for the whole batch). A Tx is valid only
// inside the function given to Update or View; it is not safe for
// concurrent use. Its write methods fail in a View.
type Tx struct {
	tx *bbolt.Tx
	s  *Store
	// counters, when set, collects analytics changes until fn returns
	// (see updateCounter); nil writes them through.
	counters *counterCache
}

// Update runs fn in one read-write transaction, committed when fn returns
// nil and rolled back otherwise. Update calls are serialized. fn holds the
// database's write lock: do slow work (matching, network) before calling
// Update. fn's error is returned wrapped.
//
// The analytics counters fn changes (CountMessage, CountHits, CountLead)
// are added up in memory and each written once when fn returns, so a
// batch costs one encoding per counter key rather than one per message.
func (s *Store) Update(fn func(tx *Tx) error) error {
	err := s.db.Update(func(btx *bbolt.Tx) error {
		tx := &Tx{tx: btx, s: s, counters: &counterCache{}}
		if err := fn(tx); err != nil {
			return err
		}
		return tx.flushCounters()
	})
	if err != nil {
		return fmt.Errorf("store: update: %w", err)
	}
	return nil
}

// View runs fn in one read-only transaction, which sees a consistent
// snapshot. fn's error is returned wrapped.
func (s *Store) View(fn func(tx *Tx) error) error {
	err := s.db.View(func(btx *bbolt.Tx) error {
		return fn(&Tx{tx: btx, s: s})
	})
	if err != nil {
		return fmt.Errorf("store: view: %w", err)
	}
	return nil
}

// ownerBucket returns users/<uid>/<name>, or nil when either is missing.
func (tx *Tx) ownerBucket(uid int64, name []byte) *bbolt.Bucket {
	ub := userBucket(tx.tx, uid)
	if ub == nil {
		return nil
	}
	return ub.Bucket(name)
}

// HasOwner reports whether anything is stored for the owner (onboarding,
// rules, an account). Writers of data that arrives on its own (messages)
// check it so a deleted owner is not brought back.
func (tx *Tx) HasOwner(uid int64) bool {
	return userBucket(tx.tx, uid) != nil
}

// createOwnerBucket returns users/<uid>/<name>, creating both when missing.
func (tx *Tx) createOwnerBucket(uid int64, name []byte) (*bbolt.Bucket, error) {
	if err := checkUID(uid); err != nil {
		return nil, err
	}
	ub, err := createUserBucket(tx.tx, uid)
	if err != nil {
		return nil, err
	}
	return ub.CreateBucketIfNotExists(name)
}
