package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.etcd.io/bbolt"
)

// Per-owner analytics buckets under users/<uid>/.
var (
	// bucketStatsChats: chat id (8) -> chatStatsRecord JSON.
	bucketStatsChats = []byte("stats_chats")
	// bucketStatsRules: rule text as written -> ruleStatsRecord JSON.
	bucketStatsRules = []byte("stats_rules")
	// bucketStatsDays: "YYYY-MM-DD" (UTC) -> dayStatsRecord JSON.
	bucketStatsDays = []byte("stats_days")
)

// dayLayout names a UTC day in stats_days and DayStats.
const dayLayout = "2006-01-02"

// ChatStats are the analytics of one monitored chat.
type ChatStats struct {
	ChatID      int64
	Title       string // as of the latest message
	Messages    int    // messages seen
	Leads       int    // leads created from this chat (cross-posts not counted)
	LastMessage time.Time
}

// RuleStats are the analytics of one keyword rule (by its text as written;
// a deleted rule keeps its figures).
type RuleStats struct {
	Rule string
	// Hits counts stored messages the rule matched without a stop word,
	// including cross-posts and muted chats, which create no lead.
	Hits int
	// Leads counts leads the rule fired on; NotLead and Contacted count
	// those leads now in that status.
	Leads, NotLead, Contacted int
}

// DayStats are one UTC day's figures.
type DayStats struct {
	Day      string // YYYY-MM-DD in UTC
	Messages int    // messages dated that day
	Leads    int    // leads whose message is dated that day
}

type chatStatsRecord struct {
	Title       string    `json:"title,omitempty"`
	Messages    int       `json:"messages"`
	Leads       int       `json:"leads"`
	LastMessage time.Time `json:"last_message,omitzero"`
}

type ruleStatsRecord struct {
	Hits      int `json:"hits"`
	Leads     int `json:"leads"`
	NotLead   int `json:"not_lead,omitempty"`
	Contacted int `json:"contacted,omitempty"`
}

type dayStatsRecord struct {
	Messages int `json:"messages"`
	Leads    int `json:"leads"`
}

// updateJSON decodes the record under key in b (zero when missing), calls
// fn on it and stores it back.
func updateJSON[T any](b *bbolt.Bucket, key []byte, fn func(*T)) error {
	var rec T
	if err := getJSON(b, key, &rec); err != nil {
		return err
	}
	fn(&rec)
	return putJSON(b, key, rec)
}

func getJSON[T any](b *bbolt.Bucket, key []byte, rec *T) error {
	if v := b.Get(key); v != nil {
		if err := json.Unmarshal(v, rec); err != nil {
			return fmt.Errorf("decode record %q: %w", key, err)
		}
	}
	return nil
}

func putJSON[T any](b *bbolt.Bucket, key []byte, rec T) error {
	v, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("encode record %q: %w", key, err)
	}
	return b.Put(key, v)
}

// counterCache holds the analytics records a transaction has changed,
// each decoded on first use and encoded once when the transaction's
// function returns (flushCounters), so a batch of messages adds up its
// counters in memory instead of reading and rewriting every counter key
// once per message. The result is the same as writing through: each
// record sees every change made to it before, in order.
type counterCache struct {
	recs  map[counterKey]counterRec
	order []counterKey // first use first, so flushes are deterministic
}

// counterKey names one record: the owner, its stats bucket and its key.
type counterKey struct {
	uid    int64
	bucket string
	key    string
}

// counterRec is a decoded record waiting to be written back to b.
type counterRec struct {
	b     *bbolt.Bucket
	rec   any // *chatStatsRecord, *ruleStatsRecord or *dayStatsRecord
	flush func() error
}

// updateCounter applies fn to the owner's record under key in the stats
// bucket named name: in the transaction's counter cache when it has one
// (Store.Update), else written through at once.
func updateCounter[T any](tx *Tx, uid int64, name, key []byte, fn func(*T)) error {
	b, err := tx.createOwnerBucket(uid, name)
	if err != nil {
		return err
	}
	if tx.counters == nil {
		return updateJSON(b, key, fn)
	}
	c := tx.counters
	ck := counterKey{uid: uid, bucket: string(name), key: string(key)}
	cr, ok := c.recs[ck]
	if !ok {
		rec := new(T)
		if err := getJSON(b, key, rec); err != nil {
			return err
		}
		key := slices.Clone(key)
		cr = counterRec{b: b, rec: rec, flush: func() error { return putJSON(b, key, *rec) }}
		if c.recs == nil {
			c.recs = map[counterKey]counterRec{}
		}
		c.recs[ck] = cr
		c.order = append(c.order, ck)
	}
	fn(cr.rec.(*T))
	return nil
}

// flushCounters writes back every cached counter record, once each.
func (tx *Tx) flushCounters() error {
	c := tx.counters
	if c == nil {
		return nil
	}
	for _, ck := range c.order {
		if err := c.recs[ck].flush(); err != nil {
			return fmt.Errorf("store: write counters: %w", err)
		}
	}
	c.recs, c.order = nil, nil
	return nil
}

// dayKey is the stats_days key of t's UTC day.
func dayKey(t time.Time) []byte { return []byte(t.UTC().Format(dayLayout)) }

// CountMessage adds a stored message to the owner's analytics: the chat's
// messages seen, title and last message time, and the messages of the
// message's UTC day. Call it once per newly stored message.
func (tx *Tx) CountMessage(uid int64, m Message) error {
	date, title := storedDate(m.Date, tx.s.stamp), validUTF8(m.ChatTitle)
	err := updateCounter(tx, uid, bucketStatsChats, i64key(m.ChatID), func(r *chatStatsRecord) {
		r.Messages++
		if !date.Before(r.LastMessage) {
			r.LastMessage = date
			if title != "" {
				r.Title = title
			}
		}
		if r.Title == "" {
			r.Title = title
		}
	})
	if err != nil {
		return fmt.Errorf("store: count message: %w", err)
	}
	if err := updateCounter(tx, uid, bucketStatsDays, dayKey(date), func(r *dayStatsRecord) { r.Messages++ }); err != nil {
		return fmt.Errorf("store: count message: %w", err)
	}
	return nil
}

// CountHits adds one hit to each keyword rule for a stored message that
// matched but created no lead (a cross-post, a muted chat). CountLead
// counts the hit of a message that did create one.
func (tx *Tx) CountHits(uid int64, keywords []string) error {
	return tx.countRules(uid, keywords, func(r *ruleStatsRecord) { r.Hits++ })
}

// CountLead adds a new lead to the owner's analytics: its chat's leads, a
// hit and a lead for each of its keyword rules, and the leads of its
// message's UTC day. Call it once per lead, when it is created; status
// changes go through SetLeadStatus.
func (tx *Tx) CountLead(uid int64, l Lead) error {
	date, title := storedDate(l.Date, tx.s.stamp), validUTF8(l.ChatTitle)
	err := updateCounter(tx, uid, bucketStatsChats, i64key(l.ChatID), func(r *chatStatsRecord) {
		r.Leads++
		if r.Title == "" {
			r.Title = title
		}
	})
	if err != nil {
		return fmt.Errorf("store: count lead: %w", err)
	}
	if err := updateCounter(tx, uid, bucketStatsDays, dayKey(date), func(r *dayStatsRecord) { r.Leads++ }); err != nil {
		return fmt.Errorf("store: count lead: %w", err)
	}
	err = tx.countRules(uid, l.Keywords, func(r *ruleStatsRecord) {
		r.Hits++
		r.Leads++
		switch l.Status {
		case LeadContacted:
			r.Contacted++
		case LeadNotLead:
			r.NotLead++
		}
	})
	if err != nil {
		return fmt.Errorf("store: count lead: %w", err)
	}
	return nil
}

// countRules applies fn to the stats of each distinct rule in keywords.
func (tx *Tx) countRules(uid int64, keywords []string, fn func(*ruleStatsRecord)) error {
	if len(keywords) == 0 {
		return nil
	}
	seen := make(map[string]bool, len(keywords))
	for _, kw := range keywords {
		kw = validUTF8(kw)
		if kw == "" || seen[kw] {
			continue
		}
		seen[kw] = true
		if err := updateCounter(tx, uid, bucketStatsRules, []byte(kw), fn); err != nil {
			return err
		}
	}
	return nil
}

// moveStatusCounters undoes the old status in the per-rule counters and
// applies the new one.
func (tx *Tx) moveStatusCounters(uid int64, keywords []string, from, to LeadStatus) error {
	return tx.countRules(uid, keywords, func(r *ruleStatsRecord) {
		switch from {
		case LeadContacted:
			r.Contacted = max(r.Contacted-1, 0)
		case LeadNotLead:
			r.NotLead = max(r.NotLead-1, 0)
		}
		switch to {
		case LeadContacted:
			r.Contacted++
		case LeadNotLead:
			r.NotLead++
		}
	})
}

// Stats returns the owner's analytics: every chat that had a message (most
// leads first, then most messages), every keyword rule that ever hit (most
// leads first, then most hits), and exactly days entries of per-day figures,
// oldest first and ending with now's UTC day, days without data as zeros.
func (s *Store) Stats(uid int64, days int, now time.Time) (chats []ChatStats, rules []RuleStats, perDay []DayStats, err error) {
	chats, rules, perDay = []ChatStats{}, []RuleStats{}, []DayStats{}
	today := now.UTC()
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	for i := days - 1; i >= 0; i-- {
		perDay = append(perDay, DayStats{Day: today.AddDate(0, 0, -i).Format(dayLayout)})
	}
	err = s.View(func(tx *Tx) error {
		if b := tx.ownerBucket(uid, bucketStatsChats); b != nil {
			err := b.ForEach(func(k, v []byte) error {
				var r chatStatsRecord
				if len(k) != 8 {
					return fmt.Errorf("bad chat stats key %x", k)
				}
				if err := json.Unmarshal(v, &r); err != nil {
					return fmt.Errorf("decode chat stats: %w", err)
				}
				chats = append(chats, ChatStats{
					ChatID: int64(beUint64(k)), Title: r.Title,
					Messages: r.Messages, Leads: r.Leads, LastMessage: r.LastMessage,
				})
				return nil
			})
			if err != nil {
				return err
			}
		}
		if b := tx.ownerBucket(uid, bucketStatsRules); b != nil {
			err := b.ForEach(func(k, v []byte) error {
				var r ruleStatsRecord
				if err := json.Unmarshal(v, &r); err != nil {
					return fmt.Errorf("decode rule stats: %w", err)
				}
				rules = append(rules, RuleStats{
					Rule: string(k), Hits: r.Hits, Leads: r.Leads,
					NotLead: r.NotLead, Contacted: r.Contacted,
				})
				return nil
			})
			if err != nil {
				return err
			}
		}
		if b := tx.ownerBucket(uid, bucketStatsDays); b != nil {
			for i := range perDay {
				v := b.Get([]byte(perDay[i].Day))
				if v == nil {
					continue
				}
				var r dayStatsRecord
				if err := json.Unmarshal(v, &r); err != nil {
					return fmt.Errorf("decode day stats: %w", err)
				}
				perDay[i].Messages, perDay[i].Leads = r.Messages, r.Leads
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, nil, fmt.Errorf("store: stats of user %d: %w", uid, err)
	}
	slices.SortStableFunc(chats, func(a, b ChatStats) int {
		if a.Leads != b.Leads {
			return b.Leads - a.Leads
		}
		if a.Messages != b.Messages {
			return b.Messages - a.Messages
		}
		return strings.Compare(a.Title, b.Title)
	})
	slices.SortStableFunc(rules, func(a, b RuleStats) int {
		if a.Leads != b.Leads {
			return b.Leads - a.Leads
		}
		if a.Hits != b.Hits {
			return b.Hits - a.Hits
		}
		return strings.Compare(a.Rule, b.Rule)
	})
	return chats, rules, perDay, nil
}
