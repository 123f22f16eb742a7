package store

import (
	"encoding/binary"
	"errors"
	"fmt"

	"go.etcd.io/bbolt"
)

// Global bucket names.
var (
	bucketMeta         = []byte("meta")
	bucketUsers        = []byte("users")
	bucketSessions     = []byte("sessions")
	bucketOutbox       = []byte("outbox")
	bucketUpdatesState = []byte("updates_state")
	bucketStripeEvents = []byte("stripe_events")
	bucketPayments     = []byte("payments")

	keySchemaVersion = []byte("schema_version")
)

// ErrSchemaTooNew reports a database written by a newer binary than this one.
var ErrSchemaTooNew = errors.New("store: database schema is newer than this binary supports")

// migrations[i] upgrades the schema from version i to version i+1. Append
// only: never edit or reorder an entry that has shipped.
var migrations = []func(tx *bbolt.Tx) error{
	migrateV1,
	migrateV2,
}

// latestVersion is the schema version this binary writes.
func latestVersion() int { return len(migrations) }

// migrateV1 creates the global buckets.
func migrateV1(tx *bbolt.Tx) error {
	for _, name := range [][]byte{
		bucketMeta, bucketUsers, bucketSessions,
		bucketOutbox, bucketUpdatesState, bucketStripeEvents, bucketPayments,
	} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

// migrateV2 creates outbox_due, the index that orders the alert outbox by
// due time.
func migrateV2(tx *bbolt.Tx) error {
	if _, err := tx.CreateBucketIfNotExists(bucketOutboxDue); err != nil {
		return fmt.Errorf("create bucket %s: %w", bucketOutboxDue, err)
	}
	return nil
}

// readVersion returns the recorded schema version; 0 for a fresh file.
func readVersion(tx *bbolt.Tx) (int, error) {
	b := tx.Bucket(bucketMeta)
	if b == nil {
		return 0, nil
	}
	v := b.Get(keySchemaVersion)
	if v == nil {
		return 0, nil
	}
	if len(v) != 8 {
		return 0, fmt.Errorf("schema_version has %d bytes; want 8", len(v))
	}
	return int(binary.BigEndian.Uint64(v)), nil
}

// migrate applies every migration above the recorded version, each in its
// own transaction together with the new version number, so a crash leaves
// the file at some whole version.
func (s *Store) migrate() error {
	var current int
	err := s.db.View(func(tx *bbolt.Tx) error {
		var err error
		current, err = readVersion(tx)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: read schema version: %w", err)
	}
	if current > latestVersion() {
		return fmt.Errorf("%w: file has version %d, this binary knows up to %d; run the newer binary or restore a backup",
			ErrSchemaTooNew, current, latestVersion())
	}
	for v := current; v < latestVersion(); v++ {
		err := s.db.Update(func(tx *bbolt.Tx) error {
			if err := migrations[v](tx); err != nil {
				return err
			}
			meta, err := tx.CreateBucketIfNotExists(bucketMeta)
			if err != nil {
				return err
			}
			return meta.Put(keySchemaVersion, u64key(uint64(v+1)))
		})
		if err != nil {
			return fmt.Errorf("store: migrate to version %d: %w", v+1, err)
		}
		s.log.Info("store: schema migrated", "version", v+1)
	}
	return nil
}

// SchemaVersion returns the schema version recorded in the database.
func (s *Store) SchemaVersion() (int, error) {
	var v int
	err := s.db.View(func(tx *bbolt.Tx) error {
		var err error
		v, err = readVersion(tx)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: schema version: %w", err)
	}
	return v, nil
}
