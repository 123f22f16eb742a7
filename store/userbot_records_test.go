package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/leadgenrunner/leadgenrunner/store"
)

func TestAccountRoundTrip(t *testing.T) {
	s, _ := newStore(t)
	if _, err := s.Account(1); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing account: got %v; want ErrNotFound", err)
	}
	want := store.Account{ID: 777, Phone: "15550001", Username: "ann", FirstName: "Ann", State: store.AccountConnected}
	if err := s.PutAccount(1, want); err != nil {
		t.Fatal(err)
	}
	got, err := s.Account(1)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != 777 || got.Phone != "15550001" || got.State != store.AccountConnected || !got.ConnectedAt.Equal(fixedNow) {
		t.Fatalf("got %+v", got)
	}
	seen := fixedNow.Add(time.Minute)
	if _, err := s.UpdateAccount(1, func(a *store.Account) error {
		a.State, a.LastMessageAt = store.AccountBanned, seen
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	all, err := s.Accounts()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 || all[0].OwnerID != 1 || all[0].State != store.AccountBanned || !all[0].LastMessageAt.Equal(seen) {
		t.Fatalf("accounts: got %+v", all)
	}
	if err := s.DeleteAccount(1); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Account(1); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("deleted account: got %v; want ErrNotFound", err)
	}
}

func TestSelectedChats(t *testing.T) {
	s, _ := newStore(t)
	group := store.Chat{ID: 42, Type: store.ChatGroup, Title: "G"}
	channel := store.Chat{ID: 42, AccessHash: 9, Type: store.ChatSupergroup, Title: "S", Username: "s"}
	for _, c := range []store.Chat{group, channel} {
		if err := s.SelectChat(1, c); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetLastSeen(1, store.ChatSupergroup, 42, 10); err != nil {
		t.Fatal(err)
	}
	if err := s.SetLastSeen(1, store.ChatSupergroup, 42, 5); err != nil {
		t.Fatal(err)
	}
	channel.Title = "S renamed"
	if err := s.SelectChat(1, channel); err != nil {
		t.Fatal(err)
	}
	got, err := s.SelectedChat(1, store.ChatSupergroup, 42)
	if err != nil {
		t.Fatal(err)
	}
	if got.LastSeenID != 10 || got.Title != "S renamed" || got.AccessHash != 9 {
		t.Fatalf("selected chat: got %+v; want last seen 10 kept", got)
	}
	all, err := s.SelectedChats(1)
	if err != nil || len(all) != 2 {
		t.Fatalf("selected chats: got %+v, %v; want 2 (same id, different types)", all, err)
	}
	if err := s.UnselectChat(1, store.ChatGroup, 42); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SelectedChat(1, store.ChatGroup, 42); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unselected: got %v; want ErrNotFound", err)
	}
	if got := store.BotAPIChatID(store.ChatChannel, 123); got != -1000000000123 {
		t.Fatalf("BotAPIChatID: got %d", got)
	}
}

func TestUpdatesStateKeepsChannels(t *testing.T) {
	s, _ := newStore(t)
	if err := s.UpdateUpdatesState(5, func(st *store.UpdatesState) { st.Pts = 1 }); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("update before set: got %v; want ErrNotFound", err)
	}
	if err := s.SetUpdatesState(5, store.UpdatesState{Pts: 10, Date: 100}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetChannelPts(5, 77, 3); err != nil {
		t.Fatal(err)
	}
	if err := s.SetChannelAccessHash(5, 77, -99); err != nil {
		t.Fatal(err)
	}
	if err := s.SetUpdatesState(5, store.UpdatesState{Pts: 20, Date: 200}); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateUpdatesState(5, func(st *store.UpdatesState) { st.Seq = 4 }); err != nil {
		t.Fatal(err)
	}
	st, ok, err := s.UpdatesState(5)
	if err != nil || !ok || st != (store.UpdatesState{Pts: 20, Date: 200, Seq: 4}) {
		t.Fatalf("state: got %+v %v %v", st, ok, err)
	}
	if pts, ok, _ := s.ChannelPts(5, 77); !ok || pts != 3 {
		t.Fatalf("channel pts after SetUpdatesState: got %d %v; want 3", pts, ok)
	}
	if h, ok, _ := s.ChannelAccessHash(5, 77); !ok || h != -99 {
		t.Fatalf("access hash: got %d %v; want -99", h, ok)
	}
	if all, _ := s.ChannelsPts(5); len(all) != 1 || all[77] != 3 {
		t.Fatalf("channels pts: got %v", all)
	}
	if err := s.DeleteUpdatesState(5); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.UpdatesState(5); ok {
		t.Fatal("state survived delete")
	}
}
