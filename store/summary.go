package store

import (
	"fmt"
	"strings"
	"time"

	"go.etcd.io/bbolt"
)

// Summary is what the Settings screen shows of an owner's stored data.
type Summary struct {
	Keywords, StopWords int
	HasBusiness         bool
	CreatedAt           time.Time
	Lang                string
	// HasAccount reports a connected Telegram account; Chats, Messages and
	// Leads count the selected chats, stored messages and leads.
	HasAccount             bool
	Chats, Messages, Leads int
}

// Summary describes the owner's stored data, or returns ErrNotFound when
// nothing is stored for them.
func (s *Store) Summary(uid int64) (Summary, error) {
	var sum Summary
	err := s.db.View(func(tx *bbolt.Tx) error {
		ub := userBucket(tx, uid)
		if ub == nil {
			return ErrNotFound
		}
		u, _, err := getUser(ub)
		if err != nil {
			return err
		}
		sum.HasBusiness = strings.TrimSpace(u.Business) != ""
		sum.CreatedAt = u.CreatedAt
		sum.Lang = u.Lang
		for _, c := range []struct {
			kind RuleKind
			n    *int
		}{{Keyword, &sum.Keywords}, {StopWord, &sum.StopWords}} {
			name, err := c.kind.bucket()
			if err != nil {
				return err
			}
			if b := ub.Bucket(name); b != nil {
				*c.n = b.Stats().KeyN
			}
		}
		_, sum.HasAccount, err = getAccount(tx, uid)
		if err != nil {
			return err
		}
		for _, c := range []struct {
			name []byte
			n    *int
		}{{bucketChats, &sum.Chats}, {bucketMessages, &sum.Messages}, {bucketLeads, &sum.Leads}} {
			if b := ub.Bucket(c.name); b != nil {
				*c.n = b.Stats().KeyN
			}
		}
		return nil
	})
	if err != nil {
		return Summary{}, fmt.Errorf("store: summary of user %d: %w", uid, err)
	}
	return sum, nil
}
