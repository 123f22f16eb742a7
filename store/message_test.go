package store_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/leadgenrunner/leadgenrunner/store"
)

func msg(chat, id int64, at time.Time, text string) store.Message {
	return store.Message{
		AccountID: 5, ChatID: chat, MsgID: id, ChatTitle: fmt.Sprintf("chat %d", chat),
		SenderID: 77, SenderName: "Ann", Date: at, Text: text,
	}
}

func TestPutMessageAndRecent(t *testing.T) {
	s, _ := newStore(t)
	base := fixedNow.Add(-time.Hour)
	err := s.Update(func(tx *store.Tx) error {
		for i := range 5 {
			m := msg(-1001, int64(i+1), base.Add(time.Duration(i)*time.Minute), fmt.Sprintf("text %d", i+1))
			if tx.HasMessage(1, m.ChatID, m.MsgID) {
				t.Errorf("HasMessage before put of %d: got true", m.MsgID)
			}
			if err := tx.PutMessage(1, m); err != nil {
				return err
			}
			if !tx.HasMessage(1, m.ChatID, m.MsgID) {
				t.Errorf("HasMessage after put of %d in the same tx: got false", m.MsgID)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.RecentMessages(1, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("RecentMessages(3): got %d messages; want 3", len(got))
	}
	for i, want := range []int64{5, 4, 3} {
		if got[i].MsgID != want {
			t.Errorf("RecentMessages[%d].MsgID: got %d; want %d", i, got[i].MsgID, want)
		}
	}
	if got[0].Text != "text 5" || got[0].SenderName != "Ann" || !got[0].Date.Equal(base.Add(4*time.Minute)) {
		t.Errorf("RecentMessages[0]: got %+v", got[0])
	}
	if other, err := s.RecentMessages(2, 10); err != nil || len(other) != 0 {
		t.Errorf("RecentMessages of another owner: got %d, %v; want 0, nil", len(other), err)
	}
	if err := s.View(func(tx *store.Tx) error {
		if tx.HasMessage(2, -1001, 1) {
			t.Error("HasMessage for another owner: got true; want false")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	m, err := s.Message(1, -1001, 2)
	if err != nil || m.Text != "text 2" {
		t.Errorf("Message: got %+v, %v", m, err)
	}
	if _, err := s.Message(2, -1001, 2); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Message of another owner: got %v; want ErrNotFound", err)
	}
}

func TestPurgeMessages(t *testing.T) {
	s, _ := newStore(t)
	err := s.Update(func(tx *store.Tx) error {
		for i := range 10 {
			if err := tx.PutMessage(1, msg(-1, int64(i+1), fixedNow.AddDate(0, 0, -i), "x")); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.PurgeMessages(1, fixedNow.AddDate(0, 0, -7).Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Errorf("PurgeMessages: got %d deleted; want 3", n)
	}
	left, err := s.RecentMessages(1, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 7 || left[len(left)-1].MsgID != 7 {
		t.Errorf("after purge: got %d messages, oldest %+v; want 7, oldest id 7", len(left), left[len(left)-1])
	}
	if _, err := s.Message(1, -1, 9); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("purged message: got %v; want ErrNotFound", err)
	}
}

func TestUpdateRollsBackOnError(t *testing.T) {
	s, _ := newStore(t)
	boom := fmt.Errorf("boom")
	err := s.Update(func(tx *store.Tx) error {
		if err := tx.PutMessage(1, msg(-1, 1, fixedNow, "x")); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update: got %v; want boom", err)
	}
	if got, _ := s.RecentMessages(1, 10); len(got) != 0 {
		t.Errorf("after rollback: got %d messages; want 0", len(got))
	}
	err = s.View(func(tx *store.Tx) error { return tx.PutMessage(1, msg(-1, 1, fixedNow, "x")) })
	if err == nil {
		t.Error("PutMessage in View: got nil; want an error")
	}
}

func TestAddMessageKeepsTheFirst(t *testing.T) {
	s, _ := newStore(t)
	first := msg(-1, 1, fixedNow.Add(-time.Hour), "first")
	again := msg(-1, 1, fixedNow, "again")
	for i, m := range []store.Message{first, again} {
		err := s.Update(func(tx *store.Tx) error {
			added, err := tx.AddMessage(1, m)
			if want := i == 0; added != want {
				t.Errorf("AddMessage %q: got added %v; want %v", m.Text, added, want)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Message(1, -1, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != "first" {
		t.Errorf("stored text: got %q; want %q", got.Text, "first")
	}
	recent, err := s.RecentMessages(1, 10)
	if err != nil || len(recent) != 1 {
		t.Errorf("RecentMessages: got %d messages, %v; want 1 (one index entry)", len(recent), err)
	}
}
