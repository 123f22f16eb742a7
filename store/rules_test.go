package store_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/leadgenrunner/leadgenrunner/store"
)

func ruleTexts(rules []store.Rule) []string {
	out := []string{}
	for _, r := range rules {
		out = append(out, r.Text)
	}
	return out
}

func TestAddRules(t *testing.T) {
	s, _ := newStore(t)
	const uid = 10
	// Steps run in order against the same owner.
	for _, c := range []struct {
		name      string
		kind      store.RuleKind
		texts     []string
		max       int
		wantAdded []string
		wantDups  []string
		wantOver  []string
		wantAll   []string // every rule of kind afterwards
	}{
		{
			name: "several", kind: store.Keyword, texts: []string{"need a website", " logo ", "SEO"},
			wantAdded: []string{"need a website", "logo", "SEO"},
			wantAll:   []string{"need a website", "logo", "SEO"},
		},
		{
			name: "dups of stored and within the call", kind: store.Keyword,
			texts:     []string{"Logo", "seo ", "landing", "LANDING", "", "   "},
			wantAdded: []string{"landing"}, wantDups: []string{"Logo", "seo", "LANDING"},
			wantAll: []string{"need a website", "logo", "SEO", "landing"},
		},
		{
			name: "cyrillic case", kind: store.Keyword, texts: []string{"Сайт", "САЙТ"},
			wantAdded: []string{"Сайт"}, wantDups: []string{"САЙТ"},
			wantAll: []string{"need a website", "logo", "SEO", "landing", "Сайт"},
		},
		{
			name: "limit", kind: store.Keyword, texts: []string{"a", "b", "logo", "c"}, max: 6,
			wantAdded: []string{"a"}, wantDups: []string{"logo"}, wantOver: []string{"b", "c"},
			wantAll: []string{"need a website", "logo", "SEO", "landing", "Сайт", "a"},
		},
		{
			name: "already over limit", kind: store.Keyword, texts: []string{"z"}, max: 2,
			wantOver: []string{"z"},
			wantAll:  []string{"need a website", "logo", "SEO", "landing", "Сайт", "a"},
		},
		{
			name: "stop words are separate", kind: store.StopWord, texts: []string{"logo", "free", "Free"}, max: 5,
			wantAdded: []string{"logo", "free"}, wantDups: []string{"Free"},
			wantAll: []string{"logo", "free"},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			added, dups, over, err := s.AddRules(uid, c.kind, c.texts, c.max)
			if err != nil {
				t.Fatal(err)
			}
			for _, cmp := range []struct {
				what      string
				got, want []string
			}{
				{"added", ruleTexts(added), c.wantAdded},
				{"dups", dups, c.wantDups},
				{"over", over, c.wantOver},
			} {
				if !slices.Equal(cmp.got, cmp.want) {
					t.Errorf("%s: got %q; want %q", cmp.what, cmp.got, cmp.want)
				}
			}
			all, err := s.Rules(uid, c.kind)
			if err != nil {
				t.Fatal(err)
			}
			if got := ruleTexts(all); !slices.Equal(got, c.wantAll) {
				t.Errorf("Rules: got %q; want %q", got, c.wantAll)
			}
			for i := 1; i < len(all); i++ {
				if all[i].ID <= all[i-1].ID {
					t.Errorf("rule ids not increasing: %d after %d", all[i].ID, all[i-1].ID)
				}
			}
			for _, r := range added {
				if !r.CreatedAt.Equal(fixedNow) || r.ID == 0 {
					t.Errorf("added rule %+v: want nonzero ID and CreatedAt %v", r, fixedNow)
				}
			}
		})
	}
}

func TestRulesEmpty(t *testing.T) {
	s, _ := newStore(t)
	got, err := s.Rules(99, store.StopWord)
	if err != nil {
		t.Fatal(err)
	}
	if got == nil || len(got) != 0 {
		t.Errorf("Rules of owner without rules: got %#v; want empty non-nil slice", got)
	}
	if _, err := s.Rules(99, store.RuleKind(7)); err == nil {
		t.Error("Rules of unknown kind: got nil error; want one")
	}
}

func TestAddRule(t *testing.T) {
	s, _ := newStore(t)
	for _, c := range []struct {
		name    string
		text    string
		max     int
		wantErr error
	}{
		{name: "first", text: "design", max: 2},
		{name: "duplicate", text: "DESIGN", max: 2, wantErr: store.ErrDuplicate},
		{name: "second", text: "print", max: 2},
		{name: "over limit", text: "web", max: 2, wantErr: store.ErrLimit},
		{name: "no limit", text: "web", max: 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := s.AddRule(1, store.Keyword, c.text, c.max)
			if !errors.Is(err, c.wantErr) {
				t.Fatalf("AddRule(%q): got %v; want %v", c.text, err, c.wantErr)
			}
			if err == nil && r.Text != c.text {
				t.Errorf("AddRule: got text %q; want %q", r.Text, c.text)
			}
		})
	}
	if _, err := s.AddRule(1, store.Keyword, "  ", 0); err == nil {
		t.Error("AddRule of blank text: got nil error; want one")
	}
}

func TestDeleteRule(t *testing.T) {
	s, _ := newStore(t)
	const alice, bob = 1, 2
	aRules, _, _, err := s.AddRules(alice, store.Keyword, []string{"one", "two"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := s.AddRules(bob, store.StopWord, []string{"bob stop"}, 0); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		uid     int64
		kind    store.RuleKind
		id      uint64
		wantErr error
	}{
		{name: "bob cannot delete alice's rule", uid: bob, kind: store.Keyword, id: aRules[0].ID, wantErr: store.ErrNotFound},
		{name: "wrong kind", uid: alice, kind: store.StopWord, id: aRules[0].ID, wantErr: store.ErrNotFound},
		{name: "unknown owner", uid: 77, kind: store.Keyword, id: aRules[0].ID, wantErr: store.ErrNotFound},
		{name: "unknown id", uid: alice, kind: store.Keyword, id: 999, wantErr: store.ErrNotFound},
		{name: "alice deletes her rule", uid: alice, kind: store.Keyword, id: aRules[0].ID},
		{name: "deleted twice", uid: alice, kind: store.Keyword, id: aRules[0].ID, wantErr: store.ErrNotFound},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := s.DeleteRule(c.uid, c.kind, c.id); !errors.Is(err, c.wantErr) {
				t.Errorf("DeleteRule(%d, %v, %d): got %v; want %v", c.uid, c.kind, c.id, err, c.wantErr)
			}
		})
	}
	got, err := s.Rules(alice, store.Keyword)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"two"}; !slices.Equal(ruleTexts(got), want) {
		t.Errorf("alice's rules: got %q; want %q", ruleTexts(got), want)
	}
	// A new rule never reuses a deleted id.
	r, err := s.AddRule(alice, store.Keyword, "one", 0)
	if err != nil {
		t.Fatal(err)
	}
	if r.ID <= aRules[1].ID {
		t.Errorf("re-added rule id: got %d; want > %d", r.ID, aRules[1].ID)
	}
}

func TestRulesVersion(t *testing.T) {
	s, _ := newStore(t)
	const uid = 4
	var last uint64
	for _, c := range []struct {
		name   string
		change func() error
		bumps  bool
	}{
		{name: "add keyword", bumps: true, change: func() error {
			_, _, _, err := s.AddRules(uid, store.Keyword, []string{"k"}, 0)
			return err
		}},
		{name: "add stop word", bumps: true, change: func() error {
			_, _, _, err := s.AddRules(uid, store.StopWord, []string{"s"}, 0)
			return err
		}},
		{name: "only a duplicate", bumps: false, change: func() error {
			_, _, _, err := s.AddRules(uid, store.Keyword, []string{"K"}, 0)
			return err
		}},
		{name: "profile edit", bumps: false, change: func() error {
			_, err := s.UpdateUser(uid, func(u *store.User) error { u.Lang = "en"; return nil })
			return err
		}},
		{name: "delete", bumps: true, change: func() error {
			rules, err := s.Rules(uid, store.StopWord)
			if err != nil {
				return err
			}
			return s.DeleteRule(uid, store.StopWord, rules[0].ID)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := c.change(); err != nil {
				t.Fatal(err)
			}
			v, err := s.RulesVersion(uid)
			if err != nil {
				t.Fatal(err)
			}
			if bumped := v > last; bumped != c.bumps {
				t.Errorf("version went %d -> %d; want bump %v", last, v, c.bumps)
			}
			last = v
		})
	}
	if v, err := s.RulesVersion(12345); err != nil || v != 0 {
		t.Errorf("RulesVersion of unknown owner: got %d, %v; want 0, nil", v, err)
	}
	// An owner who deletes everything and adds one rule again gets a
	// version never seen before, so no cached matcher of the old rules is
	// reused.
	if err := s.DeleteUser(uid); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := s.AddRules(uid, store.Keyword, []string{"new"}, 0); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.RulesVersion(uid); v <= last {
		t.Errorf("version after delete and re-add: %d; want above %d", v, last)
	}
}

func FuzzAddRules(f *testing.F) {
	f.Add("need a website\nLOGO\nlogo\n  ")
	f.Add("Сайт\nсайт\x00\n\t")
	f.Add(strings.Repeat("ab\n", 20))
	s, err := store.Open(store.Config{Path: f.TempDir() + "/fuzz.db", MasterKey: testKey})
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	var uid int64
	f.Fuzz(func(t *testing.T, input string) {
		uid++
		texts := strings.Split(input, "\n")
		added, dups, over, err := s.AddRules(uid, store.Keyword, texts, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(over) != 0 {
			t.Errorf("over without a limit: %q", over)
		}
		stored, err := s.Rules(uid, store.Keyword)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ruleTexts(stored), ruleTexts(added)) {
			t.Errorf("stored %q; want added %q", ruleTexts(stored), ruleTexts(added))
		}
		blank := 0
		for _, text := range texts {
			if strings.TrimSpace(text) == "" {
				blank++
			}
		}
		if got, want := len(added)+len(dups)+blank, len(texts); got != want {
			t.Errorf("added+dups+blank = %d; want %d texts", got, want)
		}
		seen := map[string]bool{}
		for _, r := range stored {
			k := strings.ToLower(r.Text)
			if seen[k] || r.Text != strings.TrimSpace(r.Text) || r.Text == "" {
				t.Errorf("stored rule %q is a duplicate, untrimmed or blank", r.Text)
			}
			seen[k] = true
		}
	})
}
