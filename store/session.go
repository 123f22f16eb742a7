package store

import (
	"fmt"
	"strconv"

	"go.etcd.io/bbolt"
)

// sessionAD binds a sealed session to its account record.
func sessionAD(accountID int64) []byte {
	return []byte("session:" + strconv.FormatInt(accountID, 10))
}

// PutSession seals and stores the MTProto session of an account, replacing
// any previous one.
func (s *Store) PutSession(accountID int64, data []byte) error {
	blob, err := s.sealer.Seal(data, sessionAD(accountID))
	if err != nil {
		return fmt.Errorf("store: put session: %w", err)
	}
	err = s.db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketSessions).Put(i64key(accountID), blob)
	})
	if err != nil {
		return fmt.Errorf("store: put session: %w", err)
	}
	return nil
}

// Session returns the unsealed MTProto session of an account, or ErrNotFound.
func (s *Store) Session(accountID int64) ([]byte, error) {
	var blob []byte
	err := s.db.View(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bucketSessions).Get(i64key(accountID))
		if v == nil {
			return ErrNotFound
		}
		blob = append([]byte(nil), v...)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: session %d: %w", accountID, err)
	}
	data, err := s.sealer.Open(blob, sessionAD(accountID))
	if err != nil {
		return nil, fmt.Errorf("store: session %d: %w", accountID, err)
	}
	return data, nil
}

// DeleteSession removes the session of an account. Deleting a missing
// session is not an error.
func (s *Store) DeleteSession(accountID int64) error {
	err := s.db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketSessions).Delete(i64key(accountID))
	})
	if err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}
