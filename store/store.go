package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// Sentinel errors callers branch on.
var (
	// ErrNotFound reports a missing record.
	ErrNotFound = errors.New("store: not found")
	// ErrLimit reports that a plan limit stopped a write (see AddRule).
	ErrLimit = errors.New("store: limit reached")
	// ErrDuplicate reports that an equal record already exists (see AddRule).
	ErrDuplicate = errors.New("store: already exists")
)

// Config configures Open.
type Config struct {
	// Path is the bbolt file path; required. A new file is created with mode
	// 0600 and a missing parent directory with mode 0700. An existing file
	// readable by group or others is tightened to 0600 (with a warning).
	Path string
	// MasterKey is the 32-byte key sealing secrets; required (see LoadMasterKey).
	MasterKey []byte
	// Logger receives migration and maintenance messages; nil discards them.
	Logger *slog.Logger
	// Now is the clock for CreatedAt/UpdatedAt stamps; nil means time.Now.
	Now func() time.Time
}

func (c *Config) setDefaults() {
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// Store is the bbolt-backed store. It is safe for concurrent use.
type Store struct {
	db     *bbolt.DB
	sealer *Sealer
	log    *slog.Logger
	now    func() time.Time
}

// Open opens (creating if needed) the database at cfg.Path, applies pending
// migrations and records the schema version. It fails when another process
// holds the file for more than a second, and when the file was written by a
// newer binary (see ErrSchemaTooNew).
func Open(cfg Config) (*Store, error) {
	cfg.setDefaults()
	if cfg.Path == "" {
		return nil, errors.New("store: open: Config.Path is empty")
	}
	sealer, err := NewSealer(cfg.MasterKey)
	if err != nil {
		return nil, fmt.Errorf("store: open: master key: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(cfg.Path), 0o700); err != nil {
		return nil, fmt.Errorf("store: open: create data dir: %w", err)
	}
	db, err := bbolt.Open(cfg.Path, 0o600, &bbolt.Options{Timeout: time.Second})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("store: open %s: file is locked by another process (is another instance running?): %w", cfg.Path, err)
	}
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", cfg.Path, err)
	}
	s := &Store{db: db, sealer: sealer, log: cfg.Logger, now: cfg.Now}
	if err := s.tightenMode(cfg.Path); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.migrate(); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// tightenMode makes sure the database file is not readable by group or others.
func (s *Store) tightenMode(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("store: open: stat: %w", err)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		s.log.Warn("store: database file mode too open; setting 0600", "path", path, "mode", fmt.Sprintf("%#o", perm))
		if err := os.Chmod(path, 0o600); err != nil {
			return fmt.Errorf("store: open: chmod 0600: %w", err)
		}
	}
	return nil
}

// Close closes the database. Later calls on the Store fail.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}

// Ping returns nil when the database is open and readable.
func (s *Store) Ping() error {
	err := s.db.View(func(tx *bbolt.Tx) error {
		if tx.Bucket(bucketMeta) == nil {
			return errors.New("meta bucket missing")
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}

// Check walks the whole database and reports the first inconsistency bbolt
// finds (nil when clean). It reads every page: meant for operators and
// tests, not for request paths.
func (s *Store) Check() error {
	err := s.db.View(func(tx *bbolt.Tx) error {
		var first error
		for e := range tx.Check() {
			if first == nil {
				first = e
			}
		}
		return first
	})
	if err != nil {
		return fmt.Errorf("store: check: %w", err)
	}
	return nil
}

// Backup writes a consistent copy of the whole database to w while other
// reads and writes continue, and returns the number of bytes written. The
// copy is itself a bbolt file; sealed secrets stay sealed.
func (s *Store) Backup(w io.Writer) (int64, error) {
	var n int64
	err := s.db.View(func(tx *bbolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("store: backup: %w", err)
	}
	return n, nil
}

// stamp is the current time for records: UTC, without monotonic reading.
func (s *Store) stamp() time.Time {
	return s.now().UTC().Round(0)
}

// u64key encodes n as an 8-byte big-endian key.
func u64key(n uint64) []byte {
	k := make([]byte, 8)
	binary.BigEndian.PutUint64(k, n)
	return k
}

// i64key encodes an id as an 8-byte big-endian key (two's complement).
func i64key(id int64) []byte {
	return u64key(uint64(id))
}

// beUint64 decodes an 8-byte big-endian key.
func beUint64(k []byte) uint64 {
	return binary.BigEndian.Uint64(k)
}
