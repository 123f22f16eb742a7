package store

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"go.etcd.io/bbolt"
)

// RuleKind selects keyword rules or stop words.
type RuleKind int

// Rule kinds.
const (
	Keyword RuleKind = iota
	StopWord
)

// String returns the kind's name.
func (k RuleKind) String() string {
	switch k {
	case Keyword:
		return "keyword"
	case StopWord:
		return "stop word"
	}
	return fmt.Sprintf("RuleKind(%d)", int(k))
}

// bucket returns the nested bucket holding rules of kind k.
func (k RuleKind) bucket() ([]byte, error) {
	switch k {
	case Keyword:
		return []byte("rules_kw"), nil
	case StopWord:
		return []byte("rules_stop"), nil
	}
	return nil, fmt.Errorf("unknown rule kind %d", int(k))
}

// Rule is one keyword rule or stop word. ID is unique per owner and kind and
// grows with insertion order.
type Rule struct {
	ID        uint64
	Text      string
	CreatedAt time.Time
}

// ruleRecord is the stored form of a Rule; the ID is the key.
type ruleRecord struct {
	Text      string    `json:"text"`
	CreatedAt time.Time `json:"created_at"`
}

// cleanRuleText trims surrounding space and replaces invalid UTF-8, which
// JSON would otherwise replace silently, so what AddRules returns is what
// Rules later reads.
func cleanRuleText(text string) string {
	return strings.ToValidUTF8(strings.TrimSpace(text), "\uFFFD")
}

// ruleFold is the form two rule texts are compared in.
func ruleFold(text string) string {
	return strings.ToLower(strings.TrimSpace(text))
}

// Rules returns the owner's rules of a kind in insertion order; an empty
// slice when there are none.
func (s *Store) Rules(uid int64, kind RuleKind) ([]Rule, error) {
	name, err := kind.bucket()
	if err != nil {
		return nil, fmt.Errorf("store: rules: %w", err)
	}
	rules := []Rule{}
	err = s.db.View(func(tx *bbolt.Tx) error {
		ub := userBucket(tx, uid)
		if ub == nil {
			return nil
		}
		b := ub.Bucket(name)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			r, err := decodeRule(k, v)
			if err != nil {
				return err
			}
			rules = append(rules, r)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("store: rules of user %d: %w", uid, err)
	}
	return rules, nil
}

func decodeRule(k, v []byte) (Rule, error) {
	if len(k) != 8 {
		return Rule{}, fmt.Errorf("bad rule key %x", k)
	}
	var rec ruleRecord
	if err := json.Unmarshal(v, &rec); err != nil {
		return Rule{}, fmt.Errorf("decode rule %d: %w", beUint64(k), err)
	}
	return Rule{ID: beUint64(k), Text: rec.Text, CreatedAt: rec.CreatedAt}, nil
}

// AddRules stores texts (trimmed of surrounding space, invalid UTF-8
// replaced by U+FFFD) as rules of a kind,
// in order and in one transaction. A text equal, ignoring case, to an
// existing rule of that kind or to an earlier text of the same call goes into
// dups; once the owner holds max rules of that kind the remaining texts go
// into over (max <= 0 means no limit); blank texts are ignored. added lists
// the stored rules.
func (s *Store) AddRules(uid int64, kind RuleKind, texts []string, max int) (added []Rule, dups []string, over []string, err error) {
	name, err := kind.bucket()
	if err != nil {
		return nil, nil, nil, fmt.Errorf("store: add rules: %w", err)
	}
	if err := checkUID(uid); err != nil {
		return nil, nil, nil, fmt.Errorf("store: add rules: %w", err)
	}
	err = s.db.Update(func(tx *bbolt.Tx) error {
		added, dups, over = nil, nil, nil // Update does not retry, but stay correct if it did
		ub, err := createUserBucket(tx, uid)
		if err != nil {
			return err
		}
		b, err := ub.CreateBucketIfNotExists(name)
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		count := 0
		err = b.ForEach(func(k, v []byte) error {
			r, err := decodeRule(k, v)
			if err != nil {
				return err
			}
			seen[ruleFold(r.Text)] = true
			count++
			return nil
		})
		if err != nil {
			return err
		}
		now := s.stamp()
		for _, text := range texts {
			text = cleanRuleText(text)
			if text == "" {
				continue
			}
			fold := ruleFold(text)
			switch {
			case seen[fold]:
				dups = append(dups, text)
				continue
			case max > 0 && count >= max:
				over = append(over, text)
				continue
			}
			id, err := b.NextSequence()
			if err != nil {
				return err
			}
			v, err := json.Marshal(ruleRecord{Text: text, CreatedAt: now})
			if err != nil {
				return fmt.Errorf("encode rule: %w", err)
			}
			if err := b.Put(u64key(id), v); err != nil {
				return err
			}
			seen[fold] = true
			count++
			added = append(added, Rule{ID: id, Text: text, CreatedAt: now})
		}
		if len(added) == 0 {
			return nil
		}
		return bumpRulesVersion(ub)
	})
	if err != nil {
		return nil, nil, nil, fmt.Errorf("store: add rules for user %d: %w", uid, err)
	}
	return added, dups, over, nil
}

// AddRule stores one rule. It returns ErrDuplicate when an equal rule exists
// and ErrLimit when the owner already holds max rules of that kind (max <= 0
// means no limit).
func (s *Store) AddRule(uid int64, kind RuleKind, text string, max int) (Rule, error) {
	added, dups, over, err := s.AddRules(uid, kind, []string{text}, max)
	switch {
	case err != nil:
		return Rule{}, err
	case len(dups) > 0:
		return Rule{}, fmt.Errorf("store: add rule: %w", ErrDuplicate)
	case len(over) > 0:
		return Rule{}, fmt.Errorf("store: add rule: %w", ErrLimit)
	case len(added) == 0:
		return Rule{}, fmt.Errorf("store: add rule: text is blank")
	}
	return added[0], nil
}

// DeleteRule deletes one of the owner's rules. It returns ErrNotFound when
// the owner has no rule of that kind with that id (including ids that belong
// to another owner).
func (s *Store) DeleteRule(uid int64, kind RuleKind, id uint64) error {
	name, err := kind.bucket()
	if err != nil {
		return fmt.Errorf("store: delete rule: %w", err)
	}
	err = s.db.Update(func(tx *bbolt.Tx) error {
		ub := userBucket(tx, uid)
		if ub == nil {
			return ErrNotFound
		}
		b := ub.Bucket(name)
		if b == nil || b.Get(u64key(id)) == nil {
			return ErrNotFound
		}
		if err := b.Delete(u64key(id)); err != nil {
			return err
		}
		return bumpRulesVersion(ub)
	})
	if err != nil {
		return fmt.Errorf("store: delete %s %d of user %d: %w", kind, id, uid, err)
	}
	return nil
}

// RulesVersion returns a counter that grows on every change to the owner's
// keyword rules or stop words; 0 when they never had any. Matchers cache
// compiled rules per version.
func (s *Store) RulesVersion(uid int64) (uint64, error) {
	var ver uint64
	err := s.db.View(func(tx *bbolt.Tx) error {
		ub := userBucket(tx, uid)
		if ub == nil {
			return nil
		}
		p := ub.Bucket(bucketProfile)
		if p == nil {
			return nil
		}
		var err error
		ver, err = readCounter(p.Get(keyRulesVersion))
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: rules version of user %d: %w", uid, err)
	}
	return ver, nil
}

// bumpRulesVersion gives the owner's rules a new version, taken from one
// sequence shared by all owners: a version never repeats, not even for an
// owner who deleted their data and started again, so a matcher cached under
// an old version can never be mistaken for the current rules.
func bumpRulesVersion(ub *bbolt.Bucket) error {
	p, err := ub.CreateBucketIfNotExists(bucketProfile)
	if err != nil {
		return err
	}
	meta := ub.Tx().Bucket(bucketMeta)
	if meta == nil {
		return fmt.Errorf("bucket %s missing", bucketMeta)
	}
	ver, err := meta.NextSequence()
	if err != nil {
		return err
	}
	return p.Put(keyRulesVersion, u64key(ver))
}

// readCounter decodes an 8-byte big-endian counter; nil reads as 0.
func readCounter(v []byte) (uint64, error) {
	if v == nil {
		return 0, nil
	}
	if len(v) != 8 {
		return 0, fmt.Errorf("counter has %d bytes; want 8", len(v))
	}
	return beUint64(v), nil
}
