package store

import (
	"encoding/json"
	"fmt"

	"go.etcd.io/bbolt"
)

// Layout of the global updates_state bucket, one sub-bucket per account:
//
//	updates_state/<account id>/state            -> updatesStateRecord JSON
//	updates_state/<account id>/channels/<id>    -> channel pts (8 bytes)
//	updates_state/<account id>/hashes/<id>      -> channel access hash (8 bytes)
//
// It backs the MTProto updates manager (gotd's updates.StateStorage and
// ChannelAccessHasher, adapted in package userbot), so a restarted client
// catches up with getDifference and getChannelDifference.
var (
	keyUpdatesState     = []byte("state")
	bucketChannelPts    = []byte("channels")
	bucketChannelHashes = []byte("hashes")
)

// UpdatesState is an account's common update sequence position.
type UpdatesState struct {
	Pts, Qts, Date, Seq int
}

type updatesStateRecord struct {
	Pts  int `json:"pts"`
	Qts  int `json:"qts"`
	Date int `json:"date"`
	Seq  int `json:"seq"`
}

func accountStateBucket(tx *bbolt.Tx, accountID int64) *bbolt.Bucket {
	return tx.Bucket(bucketUpdatesState).Bucket(i64key(accountID))
}

func createAccountStateBucket(tx *bbolt.Tx, accountID int64) (*bbolt.Bucket, error) {
	return tx.Bucket(bucketUpdatesState).CreateBucketIfNotExists(i64key(accountID))
}

func getUpdatesState(b *bbolt.Bucket) (UpdatesState, bool, error) {
	if b == nil {
		return UpdatesState{}, false, nil
	}
	v := b.Get(keyUpdatesState)
	if v == nil {
		return UpdatesState{}, false, nil
	}
	var r updatesStateRecord
	if err := json.Unmarshal(v, &r); err != nil {
		return UpdatesState{}, false, fmt.Errorf("decode updates state: %w", err)
	}
	return UpdatesState(r), true, nil
}

// UpdatesState returns an account's state; found is false when none is
// stored.
func (s *Store) UpdatesState(accountID int64) (st UpdatesState, found bool, err error) {
	err = s.db.View(func(tx *bbolt.Tx) error {
		st, found, err = getUpdatesState(accountStateBucket(tx, accountID))
		return err
	})
	if err != nil {
		return UpdatesState{}, false, fmt.Errorf("store: updates state of %d: %w", accountID, err)
	}
	return st, found, nil
}

// SetUpdatesState stores an account's state. Channel pts and access hashes
// are kept.
func (s *Store) SetUpdatesState(accountID int64, st UpdatesState) error {
	err := s.db.Update(func(tx *bbolt.Tx) error {
		b, err := createAccountStateBucket(tx, accountID)
		if err != nil {
			return err
		}
		return putUpdatesState(b, st)
	})
	if err != nil {
		return fmt.Errorf("store: set updates state of %d: %w", accountID, err)
	}
	return nil
}

func putUpdatesState(b *bbolt.Bucket, st UpdatesState) error {
	v, err := json.Marshal(updatesStateRecord(st))
	if err != nil {
		return fmt.Errorf("encode updates state: %w", err)
	}
	return b.Put(keyUpdatesState, v)
}

// UpdateUpdatesState changes an account's stored state with fn in one write
// transaction. It returns ErrNotFound when no state is stored, as gotd's
// StateStorage requires of SetPts and friends.
func (s *Store) UpdateUpdatesState(accountID int64, fn func(st *UpdatesState)) error {
	err := s.db.Update(func(tx *bbolt.Tx) error {
		b := accountStateBucket(tx, accountID)
		st, ok, err := getUpdatesState(b)
		if err != nil {
			return err
		}
		if !ok {
			return ErrNotFound
		}
		fn(&st)
		return putUpdatesState(b, st)
	})
	if err != nil {
		return fmt.Errorf("store: update updates state of %d: %w", accountID, err)
	}
	return nil
}

// getInt reads an 8-byte value from sub-bucket name of the account.
func (s *Store) getInt(accountID int64, name []byte, id int64) (int64, bool, error) {
	var (
		n  int64
		ok bool
	)
	err := s.db.View(func(tx *bbolt.Tx) error {
		ab := accountStateBucket(tx, accountID)
		if ab == nil {
			return nil
		}
		b := ab.Bucket(name)
		if b == nil {
			return nil
		}
		v := b.Get(i64key(id))
		if v == nil {
			return nil
		}
		if len(v) != 8 {
			return fmt.Errorf("bad %s value for %d", name, id)
		}
		n, ok = int64(beUint64(v)), true
		return nil
	})
	return n, ok, err
}

// putInt writes an 8-byte value to sub-bucket name of the account.
func (s *Store) putInt(accountID int64, name []byte, id, n int64) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		ab, err := createAccountStateBucket(tx, accountID)
		if err != nil {
			return err
		}
		b, err := ab.CreateBucketIfNotExists(name)
		if err != nil {
			return err
		}
		return b.Put(i64key(id), i64key(n))
	})
}

// ChannelPts returns an account's pts in a channel; found is false when
// none is stored.
func (s *Store) ChannelPts(accountID, channelID int64) (pts int, found bool, err error) {
	n, found, err := s.getInt(accountID, bucketChannelPts, channelID)
	if err != nil {
		return 0, false, fmt.Errorf("store: channel pts: %w", err)
	}
	return int(n), found, nil
}

// SetChannelPts stores an account's pts in a channel.
func (s *Store) SetChannelPts(accountID, channelID int64, pts int) error {
	if err := s.putInt(accountID, bucketChannelPts, channelID, int64(pts)); err != nil {
		return fmt.Errorf("store: set channel pts: %w", err)
	}
	return nil
}

// ChannelsPts returns every channel pts stored for an account.
func (s *Store) ChannelsPts(accountID int64) (map[int64]int, error) {
	out := map[int64]int{}
	err := s.db.View(func(tx *bbolt.Tx) error {
		ab := accountStateBucket(tx, accountID)
		if ab == nil {
			return nil
		}
		b := ab.Bucket(bucketChannelPts)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			if len(k) != 8 || len(v) != 8 {
				return fmt.Errorf("bad channel pts entry %x", k)
			}
			out[int64(beUint64(k))] = int(int64(beUint64(v)))
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("store: channels pts: %w", err)
	}
	return out, nil
}

// ChannelAccessHash returns the access hash an account knows for a channel.
func (s *Store) ChannelAccessHash(accountID, channelID int64) (hash int64, found bool, err error) {
	hash, found, err = s.getInt(accountID, bucketChannelHashes, channelID)
	if err != nil {
		return 0, false, fmt.Errorf("store: channel access hash: %w", err)
	}
	return hash, found, nil
}

// SetChannelAccessHash stores the access hash an account knows for a
// channel.
func (s *Store) SetChannelAccessHash(accountID, channelID, hash int64) error {
	if err := s.putInt(accountID, bucketChannelHashes, channelID, hash); err != nil {
		return fmt.Errorf("store: set channel access hash: %w", err)
	}
	return nil
}

// DeleteUpdatesState removes everything stored for an account's updates.
// Deleting a missing state is not an error.
func (s *Store) DeleteUpdatesState(accountID int64) error {
	err := s.db.Update(func(tx *bbolt.Tx) error {
		root := tx.Bucket(bucketUpdatesState)
		if root.Bucket(i64key(accountID)) == nil {
			return nil
		}
		return root.DeleteBucket(i64key(accountID))
	})
	if err != nil {
		return fmt.Errorf("store: delete updates state of %d: %w", accountID, err)
	}
	return nil
}
