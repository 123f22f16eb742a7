package store_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/leadgenrunner/leadgenrunner/store"
)

func TestAlertSettingsDefaults(t *testing.T) {
	s, _ := newStore(t)
	want := store.AlertSettings{Mode: "instant", DigestEvery: 60, TZ: "UTC"}
	got, err := s.AlertSettings(1)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("defaults: got %+v; want %+v", got, want)
	}
	err = s.View(func(tx *store.Tx) error {
		if got := tx.AlertSettings(1); !reflect.DeepEqual(got, want) {
			t.Errorf("Tx defaults: got %+v; want %+v", got, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestUpdateAlertSettings(t *testing.T) {
	for _, c := range []struct {
		name    string
		set     func(*store.AlertSettings)
		want    store.AlertSettings
		wantErr bool
	}{
		{
			name: "digest with quiet hours",
			set: func(a *store.AlertSettings) {
				a.Mode, a.DigestEvery, a.QuietFrom, a.QuietTo, a.TZ = "digest", 15, 22*60, 8*60, "Europe/Moscow"
			},
			want: store.AlertSettings{Mode: "digest", DigestEvery: 15, QuietFrom: 1320, QuietTo: 480, TZ: "Europe/Moscow"},
		},
		{
			name: "normalized",
			set: func(a *store.AlertSettings) {
				a.Mode, a.DigestEvery, a.QuietFrom, a.MinRelevance = "weird", -5, 1500, 150
				a.MutedChats = []int64{-3, -1, -3, -2}
			},
			want: store.AlertSettings{Mode: "instant", DigestEvery: 60, QuietFrom: 60, TZ: "UTC", MinRelevance: 100, MutedChats: []int64{-3, -2, -1}},
		},
		{
			name:    "unknown zone",
			set:     func(a *store.AlertSettings) { a.TZ = "Mars/Olympus" },
			wantErr: true,
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, _ := newStore(t)
			got, err := s.UpdateAlertSettings(1, func(a *store.AlertSettings) error { c.set(a); return nil })
			if c.wantErr {
				if err == nil {
					t.Fatalf("got %+v; want an error", got)
				}
				if back, _ := s.AlertSettings(1); back.TZ != "UTC" {
					t.Errorf("after failed update: TZ %q; want UTC", back.TZ)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("saved: got %+v; want %+v", got, c.want)
			}
			back, err := s.AlertSettings(1)
			if err != nil || !reflect.DeepEqual(back, c.want) {
				t.Errorf("read back: got %+v, %v; want %+v", back, err, c.want)
			}
		})
	}
}

func TestUpdateAlertSettingsFnError(t *testing.T) {
	s, _ := newStore(t)
	boom := errors.New("boom")
	_, err := s.UpdateAlertSettings(1, func(a *store.AlertSettings) error { a.Mode = "digest"; return boom })
	if !errors.Is(err, boom) {
		t.Fatalf("got %v; want boom", err)
	}
	if got, _ := s.AlertSettings(1); got.Mode != "instant" {
		t.Errorf("Mode after failed update: got %q; want instant", got.Mode)
	}
	if _, err := s.UpdateAlertSettings(0, func(*store.AlertSettings) error { return nil }); err == nil {
		t.Error("owner 0: got nil; want an error")
	}
}

func TestMuted(t *testing.T) {
	a := store.AlertSettings{MutedChats: []int64{-5, 7}}
	for _, c := range []struct {
		chat int64
		want bool
	}{{-5, true}, {7, true}, {5, false}} {
		if got := a.Muted(c.chat); got != c.want {
			t.Errorf("Muted(%d): got %v; want %v", c.chat, got, c.want)
		}
	}
}
