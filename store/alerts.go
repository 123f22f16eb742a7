package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// keyAlertSettings holds the owner's alertSettingsRecord JSON in the
// profile bucket.
var keyAlertSettings = []byte("alert_settings")

// Alert modes.
const (
	AlertInstant = "instant"
	AlertDigest  = "digest"
)

// DefaultDigestEvery is the digest period, in minutes, when none is set.
const DefaultDigestEvery = 60

// AlertSettings say how and when an owner gets lead alerts. The zero value
// read back through the store means the defaults noted on each field.
type AlertSettings struct {
	Mode        string // AlertInstant (default) or AlertDigest
	DigestEvery int    // minutes between digests: 15 or 60 (default 60)
	// QuietFrom and QuietTo are minutes after local midnight, 0..1439; an
	// alert due in [QuietFrom, QuietTo) waits until QuietTo. QuietFrom >
	// QuietTo spans midnight; equal values mean no quiet hours (default).
	QuietFrom, QuietTo int
	TZ                 string // IANA zone name (default "UTC")
	MinRelevance       int    // 0..100 (default 0); used once leads are rated
	MutedChats         []int64
}

// Muted reports whether alerts from chatID are muted.
func (a AlertSettings) Muted(chatID int64) bool {
	return slices.Contains(a.MutedChats, chatID)
}

// HasQuietHours reports whether quiet hours are set.
func (a AlertSettings) HasQuietHours() bool { return a.QuietFrom != a.QuietTo }

type alertSettingsRecord struct {
	Mode         string  `json:"mode,omitempty"`
	DigestEvery  int     `json:"digest_every,omitempty"`
	QuietFrom    int     `json:"quiet_from,omitempty"`
	QuietTo      int     `json:"quiet_to,omitempty"`
	TZ           string  `json:"tz,omitempty"`
	MinRelevance int     `json:"min_relevance,omitempty"`
	MutedChats   []int64 `json:"muted_chats,omitempty"`
}

// normalized fills defaults and clamps values into range. It never fails:
// validation of what the owner typed happens in UpdateAlertSettings.
func (a AlertSettings) normalized() AlertSettings {
	if a.Mode != AlertDigest {
		a.Mode = AlertInstant
	}
	if a.DigestEvery <= 0 {
		a.DigestEvery = DefaultDigestEvery
	}
	a.DigestEvery = min(a.DigestEvery, 24*60)
	a.QuietFrom = ((a.QuietFrom % 1440) + 1440) % 1440
	a.QuietTo = ((a.QuietTo % 1440) + 1440) % 1440
	if a.TZ == "" {
		a.TZ = "UTC"
	}
	a.MinRelevance = min(max(a.MinRelevance, 0), 100)
	if len(a.MutedChats) == 0 {
		a.MutedChats = nil
	} else {
		a.MutedChats = slices.Compact(slices.Sorted(slices.Values(a.MutedChats)))
	}
	return a
}

// AlertSettings returns the owner's alert settings within a transaction,
// defaults filled in; the defaults when none are stored or they are
// unreadable (logged).
func (tx *Tx) AlertSettings(uid int64) AlertSettings {
	p := tx.ownerBucket(uid, bucketProfile)
	if p == nil {
		return AlertSettings{}.normalized()
	}
	a, err := decodeAlertSettings(p.Get(keyAlertSettings))
	if err != nil {
		tx.s.log.Warn("store: unreadable alert settings; using defaults", "user_id", uid, "err", err)
	}
	return a
}

func decodeAlertSettings(v []byte) (AlertSettings, error) {
	if v == nil {
		return AlertSettings{}.normalized(), nil
	}
	var r alertSettingsRecord
	if err := json.Unmarshal(v, &r); err != nil {
		return AlertSettings{}.normalized(), fmt.Errorf("decode alert settings: %w", err)
	}
	return AlertSettings(r).normalized(), nil
}

// AlertSettings returns the owner's alert settings with defaults filled in
// (the defaults when none are stored).
func (s *Store) AlertSettings(uid int64) (AlertSettings, error) {
	var a AlertSettings
	err := s.View(func(tx *Tx) error {
		p := tx.ownerBucket(uid, bucketProfile)
		var v []byte
		if p != nil {
			v = p.Get(keyAlertSettings)
		}
		var err error
		a, err = decodeAlertSettings(v)
		return err
	})
	if err != nil {
		return AlertSettings{}, fmt.Errorf("store: alert settings of user %d: %w", uid, err)
	}
	return a, nil
}

// UpdateAlertSettings loads the owner's alert settings (defaults filled),
// calls fn on them and saves the result, in one write transaction, and
// returns what was saved. The result is normalized (mode, digest period,
// quiet minutes and relevance clamped; muted chats sorted, deduplicated);
// a TZ that time.LoadLocation does not know fails the update. When fn
// returns an error nothing is saved and that error is returned wrapped.
func (s *Store) UpdateAlertSettings(uid int64, fn func(*AlertSettings) error) (AlertSettings, error) {
	if err := checkUID(uid); err != nil {
		return AlertSettings{}, fmt.Errorf("store: update alert settings: %w", err)
	}
	var saved AlertSettings
	err := s.Update(func(tx *Tx) error {
		p, err := tx.createOwnerBucket(uid, bucketProfile)
		if err != nil {
			return err
		}
		a, err := decodeAlertSettings(p.Get(keyAlertSettings))
		if err != nil {
			s.log.Warn("store: unreadable alert settings; starting from defaults", "user_id", uid, "err", err)
		}
		if err := fn(&a); err != nil {
			return err
		}
		a = a.normalized()
		if _, err := time.LoadLocation(a.TZ); err != nil {
			return fmt.Errorf("time zone %q: %w", a.TZ, err)
		}
		v, err := json.Marshal(alertSettingsRecord(a))
		if err != nil {
			return fmt.Errorf("encode alert settings: %w", err)
		}
		if err := p.Put(keyAlertSettings, v); err != nil {
			return err
		}
		saved = a
		return nil
	})
	if err != nil {
		return AlertSettings{}, fmt.Errorf("store: update alert settings of user %d: %w", uid, err)
	}
	return saved, nil
}
