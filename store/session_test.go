package store_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"path/filepath"
	"testing"

	"github.com/leadgenrunner/leadgenrunner/store"
	"go.etcd.io/bbolt"
)

func TestSessionRoundTrip(t *testing.T) {
	s, _ := newStore(t)
	if _, err := s.Session(1); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Session of unknown account: got %v; want ErrNotFound", err)
	}
	for _, c := range []struct {
		name string
		data []byte
	}{
		{name: "first", data: []byte("auth key v1")},
		{name: "replaced", data: []byte("auth key v2, longer")},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := s.PutSession(1, c.data); err != nil {
				t.Fatal(err)
			}
			got, err := s.Session(1)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, c.data) {
				t.Errorf("Session: got %q; want %q", got, c.data)
			}
		})
	}
	if err := s.DeleteSession(1); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session(1); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Session after delete: got %v; want ErrNotFound", err)
	}
	if err := s.DeleteSession(1); err != nil {
		t.Errorf("second DeleteSession: got %v; want nil", err)
	}
}

// TestSessionStoredSealed checks on disk that the session is not in clear,
// that a blob copied to another account's record fails to open, and that a
// store opened with another master key reports ErrWrongKey.
func TestSessionStoredSealed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "app.db")
	s, err := store.Open(store.Config{Path: path, MasterKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	secret := []byte("mtproto auth key of account 100")
	if err := s.PutSession(100, secret); err != nil {
		t.Fatal(err)
	}
	if err := s.PutSession(200, []byte("account 200")); err != nil {
		t.Fatal(err)
	}
	s.Close()

	key := func(id int64) []byte { return binary.BigEndian.AppendUint64(nil, uint64(id)) }
	rawUpdate(t, path, func(tx *bbolt.Tx) error {
		b := tx.Bucket([]byte("sessions"))
		blob := b.Get(key(100))
		if blob == nil {
			t.Fatal("no blob at sessions/100")
		}
		if bytes.Contains(blob, secret) {
			t.Error("session stored in clear")
		}
		return b.Put(key(200), bytes.Clone(blob)) // move A's blob into B's record
	})

	s = openAt(t, path)
	if got, err := s.Session(200); err == nil {
		t.Errorf("Session(200) holding account 100's blob: got %q, nil error; want an error", got)
	}
	got, err := s.Session(100)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, secret) {
		t.Errorf("Session(100): got %q; want %q", got, secret)
	}
	s.Close()

	other, err := store.Open(store.Config{Path: path, MasterKey: bytes.Repeat([]byte{9}, 32)})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.Session(100); !errors.Is(err, store.ErrWrongKey) {
		t.Errorf("Session with another master key: got %v; want ErrWrongKey", err)
	}
}
