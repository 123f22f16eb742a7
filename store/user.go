package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"go.etcd.io/bbolt"
)

// Per-owner bucket and key names under users/<uid>/.
var (
	bucketProfile = []byte("profile")

	keyUser         = []byte("user")          // profile: userRecord JSON
	keyRulesVersion = []byte("rules_version") // profile: 8-byte big-endian counter
)

// User is an owner's profile and conversation state.
type User struct {
	ID        int64
	Lang      string    // "en" | "ru" | "" (not chosen yet)
	Stage     string    // onboarding stage: "" (new), "lang", "consent", "business", "done"
	ConsentAt time.Time // zero until agreed
	Business  string    // free-text business description
	Awaiting  string    // what free text the bot waits for ("" = nothing), e.g. "business", "kw_add", "stop_add"
	MenuMsgID int       // message id of the owner's menu message (navigation edits it in place)
	Username  string
	FirstName string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// userRecord is the stored form of User.
type userRecord struct {
	ID        int64     `json:"id"`
	Lang      string    `json:"lang,omitempty"`
	Stage     string    `json:"stage,omitempty"`
	ConsentAt time.Time `json:"consent_at,omitzero"`
	Business  string    `json:"business,omitempty"`
	Awaiting  string    `json:"awaiting,omitempty"`
	MenuMsgID int       `json:"menu_msg_id,omitempty"`
	Username  string    `json:"username,omitempty"`
	FirstName string    `json:"first_name,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func (r userRecord) user() User { return User(r) }

func recordOf(u User) userRecord { return userRecord(u) }

// checkUID rejects ids no Telegram user has, which usually mean a missing sender.
func checkUID(uid int64) error {
	if uid <= 0 {
		return fmt.Errorf("invalid user id %d", uid)
	}
	return nil
}

// userBucket returns users/<uid>, or nil when the owner has no data.
func userBucket(tx *bbolt.Tx, uid int64) *bbolt.Bucket {
	return tx.Bucket(bucketUsers).Bucket(i64key(uid))
}

// createUserBucket returns users/<uid>, creating it when missing.
func createUserBucket(tx *bbolt.Tx, uid int64) (*bbolt.Bucket, error) {
	return tx.Bucket(bucketUsers).CreateBucketIfNotExists(i64key(uid))
}

// getUser decodes the profile under ub; ok is false when there is none.
func getUser(ub *bbolt.Bucket) (u User, ok bool, err error) {
	if ub == nil {
		return User{}, false, nil
	}
	p := ub.Bucket(bucketProfile)
	if p == nil {
		return User{}, false, nil
	}
	v := p.Get(keyUser)
	if v == nil {
		return User{}, false, nil
	}
	var r userRecord
	if err := json.Unmarshal(v, &r); err != nil {
		return User{}, false, fmt.Errorf("decode user: %w", err)
	}
	return r.user(), true, nil
}

// User returns an owner's profile, or ErrNotFound.
func (s *Store) User(id int64) (User, error) {
	var u User
	err := s.db.View(func(tx *bbolt.Tx) error {
		got, ok, err := getUser(userBucket(tx, id))
		if err != nil {
			return err
		}
		if !ok {
			return ErrNotFound
		}
		u = got
		return nil
	})
	if err != nil {
		return User{}, fmt.Errorf("store: user %d: %w", id, err)
	}
	return u, nil
}

// UpdateUser loads the owner's profile (or starts a new one with ID and
// CreatedAt set), calls fn on it and saves the result, all in one write
// transaction, and returns what was saved. When fn returns an error nothing
// is saved and that error is returned wrapped. fn runs while holding the
// database's write lock: keep it short and do not call the Store from it.
// ID is kept and UpdatedAt is stamped whatever fn does to them.
func (s *Store) UpdateUser(id int64, fn func(u *User) error) (User, error) {
	if err := checkUID(id); err != nil {
		return User{}, fmt.Errorf("store: update user: %w", err)
	}
	var saved User
	err := s.db.Update(func(tx *bbolt.Tx) error {
		ub, err := createUserBucket(tx, id)
		if err != nil {
			return err
		}
		u, ok, err := getUser(ub)
		if err != nil {
			return err
		}
		now := s.stamp()
		if !ok {
			u = User{ID: id, CreatedAt: now}
		}
		if err := fn(&u); err != nil {
			return err
		}
		u.ID = id
		u.UpdatedAt = now
		v, err := json.Marshal(recordOf(u))
		if err != nil {
			return fmt.Errorf("encode user: %w", err)
		}
		p, err := ub.CreateBucketIfNotExists(bucketProfile)
		if err != nil {
			return err
		}
		if err := p.Put(keyUser, v); err != nil {
			return err
		}
		saved = u
		return nil
	})
	if err != nil {
		return User{}, fmt.Errorf("store: update user %d: %w", id, err)
	}
	return saved, nil
}

// Users returns the id of every owner with stored data, ascending.
func (s *Store) Users() ([]int64, error) {
	ids := []int64{}
	err := s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketUsers).ForEachBucket(func(k []byte) error {
			if len(k) != 8 {
				return fmt.Errorf("bad user key %x", k)
			}
			ids = append(ids, int64(beUint64(k)))
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("store: users: %w", err)
	}
	slices.Sort(ids) // keys sort as unsigned; keep the promise for any id
	return ids, nil
}

// DeleteUser removes everything stored under users/<id> and the owner's
// pending alerts in the outbox. Deleting an owner with no data is not an
// error.
func (s *Store) DeleteUser(id int64) error {
	err := s.db.Update(func(tx *bbolt.Tx) error {
		if err := deleteOwnerOutbox(tx, id); err != nil {
			return err
		}
		users := tx.Bucket(bucketUsers)
		if users.Bucket(i64key(id)) == nil {
			return nil
		}
		return users.DeleteBucket(i64key(id))
	})
	if err != nil {
		return fmt.Errorf("store: delete user %d: %w", id, err)
	}
	return nil
}
