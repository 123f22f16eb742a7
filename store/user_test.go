package store_test

import (
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/leadgenrunner/leadgenrunner/store"
)

func TestUserCreateAndUpdate(t *testing.T) {
	now := fixedNow
	path := t.TempDir() + "/app.db"
	s, err := store.Open(store.Config{Path: path, MasterKey: testKey, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	if _, err := s.User(7); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("User of unknown id: got %v; want ErrNotFound", err)
	}
	u, err := s.UpdateUser(7, func(u *store.User) error {
		if u.ID != 7 || !u.CreatedAt.Equal(fixedNow) {
			t.Errorf("new user passed to fn: got ID %d CreatedAt %v; want 7, %v", u.ID, u.CreatedAt, fixedNow)
		}
		u.Lang, u.Stage, u.Username, u.FirstName = "ru", "lang", "anna", "Анна"
		u.ID = 999 // ignored
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if u.ID != 7 {
		t.Errorf("saved ID: got %d; want 7", u.ID)
	}

	now = fixedNow.Add(time.Hour)
	consent := fixedNow.Add(30 * time.Minute)
	if _, err := s.UpdateUser(7, func(u *store.User) error {
		u.Stage, u.ConsentAt, u.Business, u.Awaiting, u.MenuMsgID = "done", consent, "dentist", "kw_add", 55
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	fnErr := errors.New("changed my mind")
	if _, err := s.UpdateUser(7, func(u *store.User) error { u.Lang = "en"; return fnErr }); !errors.Is(err, fnErr) {
		t.Errorf("UpdateUser with failing fn: got %v; want %v", err, fnErr)
	}

	got, err := s.User(7)
	if err != nil {
		t.Fatal(err)
	}
	want := store.User{
		ID: 7, Lang: "ru", Stage: "done", ConsentAt: consent, Business: "dentist", Awaiting: "kw_add",
		MenuMsgID: 55, Username: "anna", FirstName: "Анна", CreatedAt: fixedNow, UpdatedAt: now,
	}
	if got != want {
		t.Errorf("User:\ngot  %+v\nwant %+v", got, want)
	}
}

func TestUpdateUserConcurrent(t *testing.T) {
	s, _ := newStore(t)
	const workers, each = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for range workers {
		wg.Go(func() {
			for range each {
				if _, err := s.UpdateUser(1, func(u *store.User) error { u.MenuMsgID++; return nil }); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	u, err := s.User(1)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := u.MenuMsgID, workers*each; got != want {
		t.Errorf("MenuMsgID after concurrent increments: got %d; want %d", got, want)
	}
}

func TestUpdateUserRejectsBadID(t *testing.T) {
	s, _ := newStore(t)
	for _, id := range []int64{0, -5} {
		if _, err := s.UpdateUser(id, func(*store.User) error { return nil }); err == nil {
			t.Errorf("UpdateUser(%d): got nil error; want one", id)
		}
	}
}

func TestUsersAndDelete(t *testing.T) {
	s, _ := newStore(t)
	for _, id := range []int64{300, 2, 1 << 40, 17} {
		if _, err := s.UpdateUser(id, func(*store.User) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.PutSession(17, []byte("s")); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := s.AddRules(17, store.Keyword, []string{"a"}, 0); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		delete int64
		want   []int64
	}{
		{name: "all", delete: 0, want: []int64{2, 17, 300, 1 << 40}},
		{name: "after deleting 17", delete: 17, want: []int64{2, 300, 1 << 40}},
		{name: "deleting a missing owner", delete: 12345, want: []int64{2, 300, 1 << 40}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.delete != 0 {
				if err := s.DeleteUser(c.delete); err != nil {
					t.Fatal(err)
				}
			}
			got, err := s.Users()
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("Users: got %v; want %v", got, c.want)
			}
		})
	}
	if _, err := s.User(17); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("User after delete: got %v; want ErrNotFound", err)
	}
	if rules, err := s.Rules(17, store.Keyword); err != nil || len(rules) != 0 {
		t.Errorf("Rules after delete: got %v, %v; want none", rules, err)
	}
	if _, err := s.Summary(17); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Summary after delete: got %v; want ErrNotFound", err)
	}
}

func TestSummary(t *testing.T) {
	s, _ := newStore(t)
	if _, err := s.Summary(3); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Summary of unknown owner: got %v; want ErrNotFound", err)
	}
	if _, err := s.UpdateUser(3, func(u *store.User) error { u.Lang = "en"; u.Business = "  "; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := s.AddRules(3, store.Keyword, []string{"a", "b", "c"}, 0); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := s.AddRules(3, store.StopWord, []string{"x"}, 0); err != nil {
		t.Fatal(err)
	}
	got, err := s.Summary(3)
	if err != nil {
		t.Fatal(err)
	}
	want := store.Summary{Keywords: 3, StopWords: 1, HasBusiness: false, CreatedAt: fixedNow, Lang: "en"}
	if got != want {
		t.Errorf("Summary: got %+v; want %+v", got, want)
	}
	if _, err := s.UpdateUser(3, func(u *store.User) error { u.Business = "plumber"; return nil }); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Summary(3); !got.HasBusiness {
		t.Errorf("HasBusiness after setting a business: got false; want true")
	}

	// Account, chats, messages and leads are counted too.
	if err := s.PutAccount(3, store.Account{ID: 900, Phone: "15550000001", State: store.AccountConnected}); err != nil {
		t.Fatal(err)
	}
	if err := s.SelectChat(3, store.Chat{ID: 5, AccessHash: 7, Title: "Jobs", Type: store.ChatSupergroup}); err != nil {
		t.Fatal(err)
	}
	err = s.Update(func(tx *store.Tx) error {
		for id := int64(1); id <= 2; id++ {
			m := store.Message{AccountID: 900, ChatID: -1000000000005, MsgID: id, Date: fixedNow, Text: "need a plumber"}
			if err := tx.PutMessage(3, m); err != nil {
				return err
			}
		}
		l := &store.Lead{Message: store.Message{ChatID: -1000000000005, MsgID: 1, Date: fixedNow, Text: "need a plumber"}, Status: store.LeadNew}
		return tx.PutLead(3, l, "key")
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err = s.Summary(3)
	if err != nil {
		t.Fatal(err)
	}
	if !got.HasAccount || got.Chats != 1 || got.Messages != 2 || got.Leads != 1 {
		t.Errorf("Summary with data: got %+v; want an account, 1 chat, 2 messages, 1 lead", got)
	}
}
