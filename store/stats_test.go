package store_test

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/leadgenrunner/leadgenrunner/store"
)

func TestStats(t *testing.T) {
	s, _ := newStore(t)
	today := fixedNow
	yesterday := fixedNow.AddDate(0, 0, -1)
	err := s.Update(func(tx *store.Tx) error {
		msgs := []store.Message{
			msg(-1, 1, yesterday, "a"),
			msg(-1, 2, today, "b"),
			msg(-2, 1, today.Add(-time.Hour), "c"),
			msg(-1, 3, today.AddDate(0, 0, -10), "old"), // outside a 3-day window
		}
		msgs[1].ChatTitle = "renamed"
		for _, m := range msgs {
			if err := tx.CountMessage(1, m); err != nil {
				return err
			}
		}
		l := store.Lead{Message: msgs[1], Keywords: []string{"design", "logo"}}
		if err := tx.CountLead(1, l); err != nil {
			return err
		}
		return tx.CountHits(1, []string{"logo", "logo"}) // a cross-post: counted once per rule
	})
	if err != nil {
		t.Fatal(err)
	}
	chats, rules, days, err := s.Stats(1, 3, fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	wantChats := []store.ChatStats{
		{ChatID: -1, Title: "renamed", Messages: 3, Leads: 1, LastMessage: today},
		{ChatID: -2, Title: "chat -2", Messages: 1, Leads: 0, LastMessage: today.Add(-time.Hour)},
	}
	if !reflect.DeepEqual(chats, wantChats) {
		t.Errorf("chats: got %+v; want %+v", chats, wantChats)
	}
	wantRules := []store.RuleStats{
		{Rule: "logo", Hits: 2, Leads: 1},
		{Rule: "design", Hits: 1, Leads: 1},
	}
	if !reflect.DeepEqual(rules, wantRules) {
		t.Errorf("rules: got %+v; want %+v", rules, wantRules)
	}
	wantDays := []store.DayStats{
		{Day: "2025-02-27"},
		{Day: "2025-02-28", Messages: 1},
		{Day: "2025-03-01", Messages: 2, Leads: 1},
	}
	if !reflect.DeepEqual(days, wantDays) {
		t.Errorf("days: got %+v; want %+v", days, wantDays)
	}
	_, _, days30, err := s.Stats(1, 30, fixedNow)
	if err != nil || len(days30) != 30 || days30[29].Day != "2025-03-01" || days30[0].Day != "2025-01-31" {
		t.Errorf("30 days: got %d entries from %v; want 30 ending 2025-03-01", len(days30), days30)
	}
	chats, rules, days, err = s.Stats(2, 2, fixedNow)
	if err != nil || len(chats) != 0 || len(rules) != 0 || len(days) != 2 {
		t.Errorf("another owner: got %v %v %v %v", chats, rules, days, err)
	}
}

// TestStatsSameInOneUpdateOrMany checks that counters added up within one
// transaction (as a pipeline batch does) equal counting message by message.
func TestStatsSameInOneUpdateOrMany(t *testing.T) {
	var msgs []store.Message
	for i := range 60 {
		m := msg(-int64(i%4+1), int64(i+1), fixedNow.Add(-time.Duration(i%7)*time.Hour*5), "x")
		if i%5 == 0 {
			m.ChatTitle = fmt.Sprintf("title %d", i) // renames land in date order, not arrival order
		}
		if i%9 == 0 {
			m.ChatTitle = ""
		}
		msgs = append(msgs, m)
	}
	count := func(tx *store.Tx, i int, m store.Message) error {
		if err := tx.CountMessage(1, m); err != nil {
			return err
		}
		switch i % 3 {
		case 0:
			return tx.CountLead(1, store.Lead{Message: m, Keywords: []string{"a", "b", "a"}, Status: store.LeadContacted})
		case 1:
			return tx.CountHits(1, []string{"b", "c"})
		}
		return nil
	}
	one, _ := newStore(t)
	err := one.Update(func(tx *store.Tx) error {
		for i, m := range msgs {
			if err := count(tx, i, m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	many, _ := newStore(t)
	for i, m := range msgs {
		if err := many.Update(func(tx *store.Tx) error { return count(tx, i, m) }); err != nil {
			t.Fatal(err)
		}
	}
	c1, r1, d1, err1 := one.Stats(1, 3, fixedNow)
	c2, r2, d2, err2 := many.Stats(1, 3, fixedNow)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if !reflect.DeepEqual(c1, c2) || !reflect.DeepEqual(r1, r2) || !reflect.DeepEqual(d1, d2) {
		t.Errorf("one update: %+v %+v %+v\nmany updates: %+v %+v %+v", c1, r1, d1, c2, r2, d2)
	}
	if r1[0].Rule != "b" || r1[0].Hits != 40 || c1[0].Messages+c1[1].Messages+c1[2].Messages+c1[3].Messages != 60 {
		t.Errorf("totals: got rules %+v, chats %+v; want 40 hits of b and 60 messages", r1, c1)
	}
}
