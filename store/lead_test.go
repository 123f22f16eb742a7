package store_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/leadgenrunner/leadgenrunner/store"
)

// putLeads stores n leads for uid, the i-th with status statuses[i%len].
func putLeads(t *testing.T, s *store.Store, uid int64, n int, statuses ...store.LeadStatus) []store.Lead {
	t.Helper()
	var out []store.Lead
	err := s.Update(func(tx *store.Tx) error {
		for i := range n {
			l := store.Lead{
				Message:   msg(-100, int64(i+1), fixedNow, fmt.Sprintf("lead %d", i+1)),
				Keywords:  []string{"designer"},
				Relevance: -1,
			}
			if len(statuses) > 0 {
				l.Status = statuses[i%len(statuses)]
			}
			if err := tx.PutLead(uid, &l, fmt.Sprintf("key-%d", i+1)); err != nil {
				return err
			}
			if err := tx.CountLead(uid, l); err != nil {
				return err
			}
			out = append(out, l)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestPutLeadAssignsIDsAndReadsBack(t *testing.T) {
	s, _ := newStore(t)
	leads := putLeads(t, s, 1, 3)
	for i, l := range leads {
		if l.ID != uint64(i+1) {
			t.Errorf("lead %d: ID got %d; want %d", i, l.ID, i+1)
		}
		if l.Status != store.LeadNew || l.OwnerID != 1 || !l.CreatedAt.Equal(fixedNow) {
			t.Errorf("lead %d: got status %q owner %d created %v", i, l.Status, l.OwnerID, l.CreatedAt)
		}
	}
	got, err := s.Lead(1, 2)
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != "lead 2" || got.ChatID != -100 || got.Relevance != -1 || len(got.Keywords) != 1 {
		t.Errorf("Lead(2): got %+v", got)
	}
	if _, err := s.Lead(2, 2); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Lead of another owner: got %v; want ErrNotFound", err)
	}
	if _, err := s.Lead(1, 99); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing Lead: got %v; want ErrNotFound", err)
	}
}

func TestRecentLeadByKey(t *testing.T) {
	s, _ := newStore(t)
	putLeads(t, s, 1, 2)
	err := s.View(func(tx *store.Tx) error {
		for _, c := range []struct {
			name   string
			uid    int64
			key    string
			since  time.Time
			wantOK bool
			wantID uint64
		}{
			{name: "within window", uid: 1, key: "key-2", since: fixedNow.Add(-24 * time.Hour), wantOK: true, wantID: 2},
			{name: "exactly at since", uid: 1, key: "key-1", since: fixedNow, wantOK: true, wantID: 1},
			{name: "older than since", uid: 1, key: "key-1", since: fixedNow.Add(time.Nanosecond)},
			{name: "unknown key", uid: 1, key: "nope", since: time.Time{}},
			{name: "empty key", uid: 1, key: "", since: time.Time{}},
			{name: "other owner", uid: 2, key: "key-1", since: time.Time{}},
		} {
			l, ok := tx.RecentLeadByKey(c.uid, c.key, c.since)
			if ok != c.wantOK || (ok && l.ID != c.wantID) {
				t.Errorf("%s: got id %d, ok %v; want id %d, ok %v", c.name, l.ID, ok, c.wantID, c.wantOK)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestLeadsPagesAndFilters(t *testing.T) {
	s, _ := newStore(t)
	// ids 1..10; statuses new, contacted, not_lead repeating.
	putLeads(t, s, 1, 10, store.LeadNew, store.LeadContacted, store.LeadNotLead)
	ids := func(ls []store.Lead) []uint64 {
		out := []uint64{}
		for _, l := range ls {
			out = append(out, l.ID)
		}
		return out
	}
	for _, c := range []struct {
		name          string
		status        store.LeadStatus
		offset, limit int
		want          []uint64
		wantTotal     int
	}{
		{name: "all first page", offset: 0, limit: 3, want: []uint64{10, 9, 8}, wantTotal: 10},
		{name: "all last page", offset: 9, limit: 3, want: []uint64{1}, wantTotal: 10},
		{name: "past the end", offset: 20, limit: 3, want: []uint64{}, wantTotal: 10},
		{name: "new", status: store.LeadNew, limit: 10, want: []uint64{10, 7, 4, 1}, wantTotal: 4},
		{name: "contacted page 2", status: store.LeadContacted, offset: 1, limit: 2, want: []uint64{5, 2}, wantTotal: 3},
		{name: "not a lead", status: store.LeadNotLead, limit: 1, want: []uint64{9}, wantTotal: 3},
		{name: "total only", limit: 0, want: []uint64{}, wantTotal: 10},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, total, err := s.Leads(1, c.status, c.offset, c.limit)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(ids(got)) != fmt.Sprint(c.want) || total != c.wantTotal {
				t.Errorf("got %v total %d; want %v total %d", ids(got), total, c.want, c.wantTotal)
			}
		})
	}
	if got, total, err := s.Leads(2, "", 0, 10); err != nil || len(got) != 0 || total != 0 {
		t.Errorf("Leads of another owner: got %d, %d, %v", len(got), total, err)
	}
}

func TestSetLeadStatusMovesCounters(t *testing.T) {
	s, _ := newStore(t)
	putLeads(t, s, 1, 2)
	ruleStats := func() store.RuleStats {
		t.Helper()
		_, rules, _, err := s.Stats(1, 1, fixedNow)
		if err != nil {
			t.Fatal(err)
		}
		if len(rules) != 1 {
			t.Fatalf("rule stats: got %+v; want one rule", rules)
		}
		return rules[0]
	}
	steps := []struct {
		id            uint64
		st            store.LeadStatus
		notLead, cont int
	}{
		{1, store.LeadNotLead, 1, 0},
		{1, store.LeadNotLead, 1, 0}, // same status twice counts once
		{1, store.LeadContacted, 0, 1},
		{2, store.LeadContacted, 0, 2},
		{1, store.LeadNew, 0, 1},
		{2, store.LeadNotLead, 1, 0},
	}
	for i, st := range steps {
		l, err := s.SetLeadStatus(1, st.id, st.st)
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if l.Status != st.st {
			t.Errorf("step %d: returned status %q; want %q", i, l.Status, st.st)
		}
		r := ruleStats()
		if r.NotLead != st.notLead || r.Contacted != st.cont || r.Leads != 2 || r.Hits != 2 {
			t.Errorf("step %d: got %+v; want not_lead %d contacted %d leads 2 hits 2", i, r, st.notLead, st.cont)
		}
	}
	if got, _ := s.Lead(1, 2); got.Status != store.LeadNotLead {
		t.Errorf("stored status: got %q; want %q", got.Status, store.LeadNotLead)
	}
	if _, err := s.SetLeadStatus(1, 99, store.LeadContacted); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing lead: got %v; want ErrNotFound", err)
	}
	if _, err := s.SetLeadStatus(2, 1, store.LeadContacted); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("another owner's lead: got %v; want ErrNotFound", err)
	}
	if _, err := s.SetLeadStatus(1, 1, "bogus"); err == nil {
		t.Error("invalid status: got nil; want an error")
	}
}

func TestAddCrossPost(t *testing.T) {
	l := store.Lead{Message: store.Message{ChatID: -1, MsgID: 1}}
	for _, c := range []struct {
		chat int64
		want bool
	}{{-2, true}, {-2, false}, {-1, false}, {-3, true}} {
		if got := l.AddCrossPost(store.ChatRef{ChatID: c.chat, MsgID: 5}); got != c.want {
			t.Errorf("AddCrossPost(%d): got %v; want %v", c.chat, got, c.want)
		}
	}
	if len(l.AlsoIn) != 2 || l.AlsoIn[0].ChatID != -2 || l.AlsoIn[1].ChatID != -3 {
		t.Errorf("AlsoIn: got %+v", l.AlsoIn)
	}
}
