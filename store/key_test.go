package store_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leadgenrunner/leadgenrunner/store"
)

func TestLoadMasterKeyFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	first, err := store.LoadMasterKey(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 32 {
		t.Fatalf("key length: got %d; want 32", len(first))
	}
	for _, c := range []struct {
		name string
		path string
		want os.FileMode
	}{
		{name: "key file", path: filepath.Join(dir, store.MasterKeyFile), want: 0o600},
		{name: "data dir", path: dir, want: 0o700},
	} {
		fi, err := os.Stat(c.path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != c.want {
			t.Errorf("%s mode: got %#o; want %#o", c.name, got, c.want)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("data dir holds %d entries; want only the key file", len(entries))
	}

	second, err := store.LoadMasterKey(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, second) {
		t.Errorf("second call: got key %x; want the same key %x", second, first)
	}
}

func TestLoadMasterKeyFileRejected(t *testing.T) {
	good := base64.StdEncoding.EncodeToString(testKey) + "\n"
	for _, c := range []struct {
		name    string
		content string
		mode    os.FileMode
		wantErr string
	}{
		{name: "group readable", content: good, mode: 0o640, wantErr: "chmod 600"},
		{name: "world readable", content: good, mode: 0o644, wantErr: "chmod 600"},
		{name: "short key", content: base64.StdEncoding.EncodeToString(testKey[:31]), mode: 0o600, wantErr: "31 bytes"},
		{name: "garbage", content: "not a key!", mode: 0o600, wantErr: "base64 or hex"},
		{name: "empty", content: "", mode: 0o600, wantErr: "want 32"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, store.MasterKeyFile)
			if err := os.WriteFile(path, []byte(c.content), c.mode); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, c.mode); err != nil {
				t.Fatal(err)
			}
			key, err := store.LoadMasterKey(dir, "")
			if err == nil {
				t.Fatalf("LoadMasterKey: got key %x, nil error; want an error", key)
			}
			if !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("error: got %q; want it to mention %q", err, c.wantErr)
			}
			got, _ := os.ReadFile(path)
			if string(got) != c.content {
				t.Errorf("key file changed: got %q; want %q", got, c.content)
			}
		})
	}
}

func TestLoadMasterKeyEnv(t *testing.T) {
	for _, c := range []struct {
		name    string
		env     string
		want    []byte
		wantErr bool
	}{
		{name: "base64", env: base64.StdEncoding.EncodeToString(testKey), want: testKey},
		{name: "base64 unpadded", env: base64.RawStdEncoding.EncodeToString(testKey), want: testKey},
		{name: "hex", env: hex.EncodeToString(testKey), want: testKey},
		{name: "hex upper with newline", env: strings.ToUpper(hex.EncodeToString(testKey)) + "\n", want: testKey},
		{name: "base64 of 16 bytes", env: base64.StdEncoding.EncodeToString(testKey[:16]), wantErr: true},
		{name: "base64 of 48 bytes", env: base64.StdEncoding.EncodeToString(bytes.Repeat(testKey, 2)[:48]), wantErr: true},
		{name: "hex of 31 bytes", env: hex.EncodeToString(testKey[:31]), wantErr: true},
		{name: "garbage", env: "hunter2!", wantErr: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			got, err := store.LoadMasterKey(dir, c.env)
			if c.wantErr {
				if err == nil {
					t.Fatalf("LoadMasterKey(%q): got %x, nil error; want an error", c.env, got)
				}
				if strings.Contains(err.Error(), strings.TrimSpace(c.env)) {
					t.Errorf("error %q repeats the key value", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, c.want) {
				t.Errorf("key: got %x; want %x", got, c.want)
			}
			if _, err := os.Stat(filepath.Join(dir, store.MasterKeyFile)); !os.IsNotExist(err) {
				t.Errorf("key file created although the env value was used (stat: %v)", err)
			}
		})
	}
}
