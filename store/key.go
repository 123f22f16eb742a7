package store

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// MasterKeyFile is the name of the key file LoadMasterKey keeps in the data dir.
const MasterKeyFile = "master.key"

// masterKeySize is the master key length in bytes.
const masterKeySize = 32

// LoadMasterKey returns the 32-byte master key. When envValue is not empty
// it is decoded as base64 (standard alphabet, padding optional) or hex, and
// must hold exactly 32 bytes. Otherwise the key is read from
// <dataDir>/master.key, which is created once (0600, 32 random bytes in
// base64; dataDir created 0700 if missing) and must not be accessible to
// group or others. Errors never contain key material.
func LoadMasterKey(dataDir, envValue string) ([]byte, error) {
	if envValue != "" {
		key, err := decodeKey(envValue)
		if err != nil {
			return nil, fmt.Errorf("store: master key from environment: %w", err)
		}
		return key, nil
	}
	if dataDir == "" {
		return nil, errors.New("store: master key: data dir is empty")
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("store: master key: create data dir: %w", err)
	}
	path := filepath.Join(dataDir, MasterKeyFile)
	key, err := readKeyFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if err := createKeyFile(path); err != nil {
			return nil, err
		}
		key, err = readKeyFile(path)
	}
	if err != nil {
		return nil, err
	}
	return key, nil
}

// decodeKey accepts hex (64 digits) or base64 of exactly 32 bytes.
func decodeKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if len(s) == 2*masterKeySize {
		if key, err := hex.DecodeString(s); err == nil {
			return key, nil
		}
	}
	key, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		key, err = base64.RawStdEncoding.DecodeString(s)
	}
	if err != nil {
		return nil, fmt.Errorf("not valid base64 or hex; want %d random bytes, e.g. from `openssl rand -base64 32`", masterKeySize)
	}
	if len(key) != masterKeySize {
		return nil, fmt.Errorf("decodes to %d bytes; want %d", len(key), masterKeySize)
	}
	return key, nil
}

func readKeyFile(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("store: master key file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("store: master key file %s is not a regular file", path)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("store: master key file %s has mode %#o; want 0600 (run: chmod 600 %s)", path, perm, path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("store: master key file: %w", err)
	}
	key, err := decodeKey(string(data))
	if err != nil {
		return nil, fmt.Errorf("store: master key file %s: %w", path, err)
	}
	return key, nil
}

// createKeyFile writes a new random key to a temporary file and hard-links it
// into place, so the key file appears whole or not at all, and of two
// processes racing only one key ever wins.
func createKeyFile(path string) error {
	key := make([]byte, masterKeySize)
	if _, err := rand.Read(key); err != nil {
		return fmt.Errorf("store: master key: generate: %w", err)
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, MasterKeyFile+".tmp-*")
	if err != nil {
		return fmt.Errorf("store: master key: create: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("store: master key: chmod: %w", err)
	}
	if _, err := tmp.WriteString(base64.StdEncoding.EncodeToString(key) + "\n"); err != nil {
		tmp.Close()
		return fmt.Errorf("store: master key: write: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("store: master key: sync: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("store: master key: close: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("store: master key: install: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // best effort: persist the new directory entry
		d.Close()
	}
	return nil
}
