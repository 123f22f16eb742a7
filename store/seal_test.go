package store_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/leadgenrunner/leadgenrunner/store"
)

func newSealer(t *testing.T, key []byte) *store.Sealer {
	t.Helper()
	s, err := store.NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSealRoundTrip(t *testing.T) {
	s := newSealer(t, testKey)
	for _, c := range []struct {
		name      string
		plaintext []byte
		ad        []byte
	}{
		{name: "empty", plaintext: nil, ad: []byte("session:1")},
		{name: "short", plaintext: []byte("hi"), ad: []byte("session:1")},
		{name: "text", plaintext: []byte("a long enough session"), ad: []byte("session:1")},
		{name: "binary", plaintext: bytes.Repeat([]byte{0, 255, 1}, 1000), ad: []byte("session:123456789")},
		{name: "no ad", plaintext: []byte("x"), ad: nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			blob, err := s.Seal(c.plaintext, c.ad)
			if err != nil {
				t.Fatal(err)
			}
			// Only long plaintexts: a byte or two can occur in random output.
			if len(c.plaintext) >= 8 && bytes.Contains(blob, c.plaintext) {
				t.Errorf("blob contains the plaintext")
			}
			got, err := s.Open(blob, c.ad)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, c.plaintext) {
				t.Errorf("Open: got %q; want %q", got, c.plaintext)
			}
		})
	}
}

func TestSealNoncesDiffer(t *testing.T) {
	s := newSealer(t, testKey)
	a, _ := s.Seal([]byte("same"), []byte("ad"))
	b, _ := s.Seal([]byte("same"), []byte("ad"))
	if bytes.Equal(a, b) {
		t.Errorf("two seals of the same plaintext are equal: %x", a)
	}
}

func TestSealWrongKey(t *testing.T) {
	other := bytes.Repeat([]byte{8}, 32)
	blob, err := newSealer(t, testKey).Seal([]byte("secret"), []byte("session:1"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = newSealer(t, other).Open(blob, []byte("session:1"))
	if !errors.Is(err, store.ErrWrongKey) {
		t.Errorf("Open with another key: got %v; want ErrWrongKey", err)
	}
}

func TestSealRejectsTamperingAndWrongAD(t *testing.T) {
	s := newSealer(t, testKey)
	ad := []byte("session:1")
	blob, err := s.Seal([]byte("secret session"), ad)
	if err != nil {
		t.Fatal(err)
	}
	flip := func(i int) []byte {
		b := bytes.Clone(blob)
		b[i] ^= 0x01
		return b
	}
	for _, c := range []struct {
		name string
		blob []byte
		ad   []byte
	}{
		{name: "version byte", blob: flip(0), ad: ad},
		{name: "key id", blob: flip(1), ad: ad},
		{name: "nonce", blob: flip(10), ad: ad},
		{name: "ciphertext", blob: flip(1 + 4 + 24 + 2), ad: ad},
		{name: "tag", blob: flip(len(blob) - 1), ad: ad},
		{name: "truncated", blob: blob[:len(blob)-1], ad: ad},
		{name: "too short", blob: blob[:20], ad: ad},
		{name: "empty", blob: nil, ad: ad},
		{name: "other record", blob: blob, ad: []byte("session:2")},
		{name: "no ad", blob: blob, ad: nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := s.Open(c.blob, c.ad)
			if err == nil {
				t.Errorf("Open: got %q, nil error; want an error", got)
			}
		})
	}
	// The untouched blob still opens, so the failures above are the edits'.
	if _, err := s.Open(blob, ad); err != nil {
		t.Errorf("Open of the original blob: %v", err)
	}
}

func TestNewSealerKeyLength(t *testing.T) {
	for _, n := range []int{0, 16, 31, 33, 64} {
		if _, err := store.NewSealer(make([]byte, n)); err == nil {
			t.Errorf("NewSealer with %d-byte key: got nil error; want one", n)
		}
	}
}
