package store_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/leadgenrunner/leadgenrunner/store"
	"go.etcd.io/bbolt"
)

// testKey is a fixed 32-byte master key for tests.
var testKey = bytes.Repeat([]byte{7}, 32)

// fixedNow is the clock tests use so times compare exactly.
var fixedNow = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// openAt opens a store at path with the test key and clock, closed at cleanup.
func openAt(t *testing.T, path string) *store.Store {
	t.Helper()
	s, err := store.Open(store.Config{Path: path, MasterKey: testKey, Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// newStore opens a fresh store in a temporary directory.
func newStore(t *testing.T) (*store.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "data", "app.db")
	return openAt(t, path), path
}

func TestOpenCreatesPrivateFiles(t *testing.T) {
	s, path := newStore(t)
	if err := s.Ping(); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	for _, c := range []struct {
		name string
		path string
		want os.FileMode
	}{
		{name: "db file", path: path, want: 0o600},
		{name: "parent dir", path: filepath.Dir(path), want: 0o700},
	} {
		t.Run(c.name, func(t *testing.T) {
			fi, err := os.Stat(c.path)
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Mode().Perm(); got != c.want {
				t.Errorf("mode of %s: got %#o; want %#o", c.path, got, c.want)
			}
		})
	}
}

func TestOpenTightensLooseMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "loose.db")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil { // whatever the umask
		t.Fatal(err)
	}
	openAt(t, path)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o600 {
		t.Errorf("mode after Open: got %#o; want %#o", got, 0o600)
	}
}

func TestOpenRejectsBadConfig(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name string
		cfg  store.Config
	}{
		{name: "no path", cfg: store.Config{MasterKey: testKey}},
		{name: "no key", cfg: store.Config{Path: filepath.Join(dir, "a.db")}},
		{name: "short key", cfg: store.Config{Path: filepath.Join(dir, "b.db"), MasterKey: testKey[:16]}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := store.Open(c.cfg)
			if err == nil {
				s.Close()
				t.Fatalf("Open(%+v): got nil error; want one", c.cfg.Path)
			}
		})
	}
}

func TestOpenLockedFileFails(t *testing.T) {
	_, path := newStore(t)
	start := time.Now()
	s, err := store.Open(store.Config{Path: path, MasterKey: testKey})
	if err == nil {
		s.Close()
		t.Fatal("second Open of a locked file: got nil error; want one")
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("second Open took %v; want it to give up after about a second", d)
	}
}

func TestSchemaVersionRecorded(t *testing.T) {
	s, _ := newStore(t)
	got, err := s.SchemaVersion()
	if err != nil {
		t.Fatal(err)
	}
	if want := 2; got != want { // v1 global buckets, v2 outbox_due
		t.Errorf("SchemaVersion: got %d; want %d", got, want)
	}
}

func TestReopenKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "app.db")
	s, err := store.Open(store.Config{Path: path, MasterKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateUser(42, func(u *store.User) error { u.Business = "bakery"; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := s.AddRules(42, store.Keyword, []string{"cake"}, 0); err != nil {
		t.Fatal(err)
	}
	if err := s.PutSession(9, []byte("secret")); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Ping(); err == nil {
		t.Error("Ping after Close: got nil; want an error")
	}

	s = openAt(t, path)
	u, err := s.User(42)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := u.Business, "bakery"; got != want {
		t.Errorf("Business after reopen: got %q; want %q", got, want)
	}
	rules, err := s.Rules(42, store.Keyword)
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) != 1 || rules[0].Text != "cake" {
		t.Errorf("rules after reopen: got %+v; want one rule %q", rules, "cake")
	}
	sess, err := s.Session(9)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(sess), "secret"; got != want {
		t.Errorf("session after reopen: got %q; want %q", got, want)
	}
	if v, err := s.SchemaVersion(); err != nil || v != 2 {
		t.Errorf("SchemaVersion after reopen: got %d, %v; want 2, nil", v, err)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "app.db")
	s, err := store.Open(store.Config{Path: path, MasterKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	rawUpdate(t, path, func(tx *bbolt.Tx) error {
		return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), []byte{0, 0, 0, 0, 0, 0, 0, 99})
	})
	s, err = store.Open(store.Config{Path: path, MasterKey: testKey})
	if err == nil {
		s.Close()
		t.Fatal("Open of a version 99 file: got nil error; want ErrSchemaTooNew")
	}
	if !errors.Is(err, store.ErrSchemaTooNew) {
		t.Errorf("Open of a version 99 file: got %v; want ErrSchemaTooNew", err)
	}
}

func TestBackupIsOpenableCopy(t *testing.T) {
	s, _ := newStore(t)
	if _, err := s.UpdateUser(5, func(u *store.User) error { u.Lang = "ru"; return nil }); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	n, err := s.Backup(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(buf.Len()) || n == 0 {
		t.Fatalf("Backup: reported %d bytes, wrote %d", n, buf.Len())
	}
	copyPath := filepath.Join(t.TempDir(), "backup.db")
	if err := os.WriteFile(copyPath, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	c := openAt(t, copyPath)
	if err := c.Check(); err != nil {
		t.Errorf("Check of backup: %v", err)
	}
	u, err := c.User(5)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := u.Lang, "ru"; got != want {
		t.Errorf("Lang in backup: got %q; want %q", got, want)
	}
}

// rawUpdate edits a closed store file directly with bbolt, the way a bug,
// an attacker with file access or a newer binary could.
func rawUpdate(t *testing.T, path string, fn func(tx *bbolt.Tx) error) {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(fn); err != nil {
		t.Fatal(err)
	}
}
