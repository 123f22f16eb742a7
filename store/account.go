package store

import (
	"encoding/json"
	"fmt"
	"time"

	"go.etcd.io/bbolt"
)

// Per-owner bucket holding the connected Telegram account.
var (
	// bucketAccount: keyAccount -> accountRecord JSON.
	bucketAccount = []byte("account")
	keyAccount    = []byte("current")
)

// Account states, as the owner sees them.
const (
	// AccountConnected: the account's client runs and is signed in.
	AccountConnected = "connected"
	// AccountReconnecting: the client is signed in but has no connection.
	AccountReconnecting = "reconnecting"
	// AccountNeedsLogin: Telegram ended the session (logged out elsewhere,
	// revoked); the owner must connect again.
	AccountNeedsLogin = "needs_login"
	// AccountBanned: Telegram deactivated or banned the account.
	AccountBanned = "banned"
)

// Account is the Telegram account an owner connected. Its MTProto session
// is stored apart, sealed (see PutSession), under ID.
type Account struct {
	ID        int64  // Telegram user id of the account
	Phone     string // full number, digits; show it masked, never log it
	Username  string // without "@"
	FirstName string
	State     string // one of the Account* states
	// ChannelsJoined is how many supergroups and channels the account is in
	// (Telegram caps it at 500).
	ChannelsJoined int
	// LastMessageAt is when the last message from a monitored chat arrived.
	LastMessageAt time.Time
	ConnectedAt   time.Time
	UpdatedAt     time.Time
}

type accountRecord struct {
	ID             int64     `json:"id"`
	Phone          string    `json:"phone,omitempty"`
	Username       string    `json:"username,omitempty"`
	FirstName      string    `json:"first_name,omitempty"`
	State          string    `json:"state,omitempty"`
	ChannelsJoined int       `json:"channels_joined,omitempty"`
	LastMessageAt  time.Time `json:"last_message_at,omitzero"`
	ConnectedAt    time.Time `json:"connected_at,omitzero"`
	UpdatedAt      time.Time `json:"updated_at,omitzero"`
}

func getAccount(tx *bbolt.Tx, uid int64) (Account, bool, error) {
	ub := userBucket(tx, uid)
	if ub == nil {
		return Account{}, false, nil
	}
	b := ub.Bucket(bucketAccount)
	if b == nil {
		return Account{}, false, nil
	}
	v := b.Get(keyAccount)
	if v == nil {
		return Account{}, false, nil
	}
	var r accountRecord
	if err := json.Unmarshal(v, &r); err != nil {
		return Account{}, false, fmt.Errorf("decode account: %w", err)
	}
	return Account(r), true, nil
}

// Account returns the owner's connected account, or ErrNotFound.
func (s *Store) Account(uid int64) (Account, error) {
	var a Account
	err := s.db.View(func(tx *bbolt.Tx) error {
		got, ok, err := getAccount(tx, uid)
		if err != nil {
			return err
		}
		if !ok {
			return ErrNotFound
		}
		a = got
		return nil
	})
	if err != nil {
		return Account{}, fmt.Errorf("store: account of %d: %w", uid, err)
	}
	return a, nil
}

// PutAccount stores the owner's connected account, replacing any previous
// one, and stamps UpdatedAt (and ConnectedAt when zero).
func (s *Store) PutAccount(uid int64, a Account) error {
	_, err := s.UpdateAccount(uid, func(cur *Account) error {
		connected := cur.ConnectedAt
		*cur = a
		if cur.ConnectedAt.IsZero() {
			cur.ConnectedAt = connected
		}
		return nil
	})
	return err
}

// UpdateAccount loads the owner's account (a zero Account when none), calls
// fn on it and saves the result in one write transaction. fn holds the write
// lock: keep it short and do not call the Store from it.
func (s *Store) UpdateAccount(uid int64, fn func(a *Account) error) (Account, error) {
	if err := checkUID(uid); err != nil {
		return Account{}, fmt.Errorf("store: update account: %w", err)
	}
	var saved Account
	err := s.db.Update(func(tx *bbolt.Tx) error {
		a, _, err := getAccount(tx, uid)
		if err != nil {
			return err
		}
		if err := fn(&a); err != nil {
			return err
		}
		now := s.stamp()
		if a.ConnectedAt.IsZero() {
			a.ConnectedAt = now
		}
		a.UpdatedAt = now
		a.LastMessageAt = a.LastMessageAt.UTC().Round(0)
		ub, err := createUserBucket(tx, uid)
		if err != nil {
			return err
		}
		b, err := ub.CreateBucketIfNotExists(bucketAccount)
		if err != nil {
			return err
		}
		v, err := json.Marshal(accountRecord(a))
		if err != nil {
			return fmt.Errorf("encode account: %w", err)
		}
		saved = a
		return b.Put(keyAccount, v)
	})
	if err != nil {
		return Account{}, fmt.Errorf("store: update account of %d: %w", uid, err)
	}
	return saved, nil
}

// DeleteAccount removes the owner's account record. The sealed session and
// updates state are deleted apart (DeleteSession, DeleteUpdatesState).
// Deleting a missing account is not an error.
func (s *Store) DeleteAccount(uid int64) error {
	err := s.db.Update(func(tx *bbolt.Tx) error {
		ub := userBucket(tx, uid)
		if ub == nil || ub.Bucket(bucketAccount) == nil {
			return nil
		}
		return ub.DeleteBucket(bucketAccount)
	})
	if err != nil {
		return fmt.Errorf("store: delete account of %d: %w", uid, err)
	}
	return nil
}

// OwnerAccount is an account together with the owner who connected it.
type OwnerAccount struct {
	OwnerID int64
	Account
}

// Accounts returns every owner's connected account, by owner id ascending.
func (s *Store) Accounts() ([]OwnerAccount, error) {
	var out []OwnerAccount
	err := s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketUsers).ForEachBucket(func(k []byte) error {
			if len(k) != 8 {
				return fmt.Errorf("bad user key %x", k)
			}
			uid := int64(beUint64(k))
			a, ok, err := getAccount(tx, uid)
			if err != nil || !ok {
				return err
			}
			out = append(out, OwnerAccount{OwnerID: uid, Account: a})
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("store: accounts: %w", err)
	}
	return out, nil
}
