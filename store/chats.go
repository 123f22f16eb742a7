package store

import (
	"encoding/json"
	"fmt"
	"time"

	"go.etcd.io/bbolt"
)

// bucketChats is users/<uid>/chats: Bot API chat id (8) -> chatRecord JSON.
// Keying by the Bot API id keeps basic groups and channels apart.
var bucketChats = []byte("chats")

// Chat types.
const (
	ChatGroup      = "group"
	ChatSupergroup = "supergroup"
	ChatChannel    = "channel"
)

// Chat is a group, supergroup or channel an owner selected for monitoring.
type Chat struct {
	// ID is the MTProto id: chat_id of a basic group, channel_id otherwise.
	ID         int64
	AccessHash int64 // 0 for basic groups
	Title      string
	Type       string // ChatGroup, ChatSupergroup or ChatChannel
	Username   string // without "@"; "" for private chats
	Members    int
	// LastSeenID is the highest message id of the chat already handed to
	// the pipeline; reconciliation fetches what is newer. 0 means nothing
	// yet (an empty chat); negative means unknown, and the next
	// reconciliation starts from the chat's newest message.
	LastSeenID int
	SelectedAt time.Time
}

type chatRecord struct {
	ID         int64     `json:"id"`
	AccessHash int64     `json:"access_hash,omitempty"`
	Title      string    `json:"title,omitempty"`
	Type       string    `json:"type"`
	Username   string    `json:"username,omitempty"`
	Members    int       `json:"members,omitempty"`
	LastSeenID int       `json:"last_seen_id,omitempty"`
	SelectedAt time.Time `json:"selected_at,omitzero"`
}

// BotAPIChatID returns the id the Bot API uses for a chat: -id for a basic
// group, -100<id> for supergroups and channels. store.Message.ChatID holds
// this form.
func BotAPIChatID(typ string, id int64) int64 {
	if typ == ChatGroup {
		return -id
	}
	return -1_000_000_000_000 - id
}

// ownerChats returns users/<uid>/chats, or nil when missing.
func ownerChats(tx *bbolt.Tx, uid int64) *bbolt.Bucket {
	ub := userBucket(tx, uid)
	if ub == nil {
		return nil
	}
	return ub.Bucket(bucketChats)
}

func validChatType(typ string) bool {
	return typ == ChatGroup || typ == ChatSupergroup || typ == ChatChannel
}

// SelectChat starts monitoring c for the owner, or updates its title,
// access hash, username and member count. LastSeenID and SelectedAt of an
// already selected chat are kept.
func (s *Store) SelectChat(uid int64, c Chat) error {
	if err := checkUID(uid); err != nil {
		return fmt.Errorf("store: select chat: %w", err)
	}
	if !validChatType(c.Type) || c.ID <= 0 {
		return fmt.Errorf("store: select chat: invalid chat %s %d", c.Type, c.ID)
	}
	err := s.db.Update(func(tx *bbolt.Tx) error {
		ub, err := createUserBucket(tx, uid)
		if err != nil {
			return err
		}
		b, err := ub.CreateBucketIfNotExists(bucketChats)
		if err != nil {
			return err
		}
		key := i64key(BotAPIChatID(c.Type, c.ID))
		if old := b.Get(key); old != nil {
			var r chatRecord
			if err := json.Unmarshal(old, &r); err == nil {
				c.LastSeenID = max(c.LastSeenID, r.LastSeenID)
				c.SelectedAt = r.SelectedAt
			}
		}
		if c.SelectedAt.IsZero() {
			c.SelectedAt = s.stamp()
		}
		c.SelectedAt = c.SelectedAt.UTC().Round(0)
		v, err := json.Marshal(chatRecord(c))
		if err != nil {
			return fmt.Errorf("encode chat: %w", err)
		}
		return b.Put(key, v)
	})
	if err != nil {
		return fmt.Errorf("store: select chat: %w", err)
	}
	return nil
}

// UnselectChat stops monitoring a chat. Unselecting a chat that is not
// selected is not an error.
func (s *Store) UnselectChat(uid int64, typ string, id int64) error {
	err := s.db.Update(func(tx *bbolt.Tx) error {
		b := ownerChats(tx, uid)
		if b == nil {
			return nil
		}
		return b.Delete(i64key(BotAPIChatID(typ, id)))
	})
	if err != nil {
		return fmt.Errorf("store: unselect chat: %w", err)
	}
	return nil
}

// SelectedChat returns one selected chat, or ErrNotFound when the owner
// does not monitor it.
func (s *Store) SelectedChat(uid int64, typ string, id int64) (Chat, error) {
	var c Chat
	err := s.db.View(func(tx *bbolt.Tx) error {
		b := ownerChats(tx, uid)
		if b == nil {
			return ErrNotFound
		}
		v := b.Get(i64key(BotAPIChatID(typ, id)))
		if v == nil {
			return ErrNotFound
		}
		var r chatRecord
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("decode chat: %w", err)
		}
		c = Chat(r)
		return nil
	})
	if err != nil {
		return Chat{}, fmt.Errorf("store: selected chat %s %d: %w", typ, id, err)
	}
	return c, nil
}

// SelectedChats returns the owner's selected chats, ordered by Bot API id.
func (s *Store) SelectedChats(uid int64) ([]Chat, error) {
	out := []Chat{}
	err := s.db.View(func(tx *bbolt.Tx) error {
		b := ownerChats(tx, uid)
		if b == nil {
			return nil
		}
		return b.ForEach(func(_, v []byte) error {
			var r chatRecord
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("decode chat: %w", err)
			}
			out = append(out, Chat(r))
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("store: selected chats: %w", err)
	}
	return out, nil
}

// SetLastSeen raises a selected chat's LastSeenID to msgID; it never lowers
// it. A chat that is not selected is left alone.
func (s *Store) SetLastSeen(uid int64, typ string, id int64, msgID int) error {
	err := s.db.Update(func(tx *bbolt.Tx) error {
		b := ownerChats(tx, uid)
		if b == nil {
			return nil
		}
		key := i64key(BotAPIChatID(typ, id))
		v := b.Get(key)
		if v == nil {
			return nil
		}
		var r chatRecord
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("decode chat: %w", err)
		}
		if msgID <= r.LastSeenID {
			return nil
		}
		r.LastSeenID = msgID
		nv, err := json.Marshal(r)
		if err != nil {
			return fmt.Errorf("encode chat: %w", err)
		}
		return b.Put(key, nv)
	})
	if err != nil {
		return fmt.Errorf("store: set last seen: %w", err)
	}
	return nil
}
