package store

import (
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"

	"golang.org/x/crypto/chacha20poly1305"
)

// ErrWrongKey reports a blob sealed under a different master key.
var ErrWrongKey = errors.New("store: sealed with a different key")

// Envelope layout: version (1) | key ID (4) | nonce (24) | ciphertext+tag.
const (
	sealVersion   = 1
	keyIDSize     = 4
	sealHeaderLen = 1 + keyIDSize
	sealOverhead  = sealHeaderLen + chacha20poly1305.NonceSizeX + chacha20poly1305.Overhead
)

// Sealer encrypts and authenticates secrets with XChaCha20-Poly1305. Each
// envelope carries a key ID so a blob sealed under another key is reported
// as ErrWrongKey rather than as tampering. It is safe for concurrent use.
type Sealer struct {
	aead  cipher.AEAD
	keyID [keyIDSize]byte
}

// NewSealer returns a Sealer for a 32-byte key.
func NewSealer(key []byte) (*Sealer, error) {
	if len(key) != chacha20poly1305.KeySize {
		return nil, fmt.Errorf("store: new sealer: key has %d bytes; want %d", len(key), chacha20poly1305.KeySize)
	}
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, fmt.Errorf("store: new sealer: %w", err)
	}
	s := &Sealer{aead: aead}
	// A domain-separated hash, so the ID is not a plain hash of the key.
	sum := sha256.Sum256(append([]byte("leadgenrunner key id\x00"), key...))
	copy(s.keyID[:], sum[:keyIDSize])
	return s, nil
}

// Seal encrypts plaintext bound to ad (the identity of the record that will
// hold the blob) under a fresh random nonce.
func (s *Sealer) Seal(plaintext, ad []byte) ([]byte, error) {
	out := make([]byte, sealHeaderLen+chacha20poly1305.NonceSizeX, sealOverhead+len(plaintext))
	out[0] = sealVersion
	copy(out[1:sealHeaderLen], s.keyID[:])
	nonce := out[sealHeaderLen:]
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("store: seal: nonce: %w", err)
	}
	return s.aead.Seal(out, nonce, plaintext, sealAD(out[:sealHeaderLen], ad)), nil
}

// Open authenticates and decrypts a blob from Seal. It returns ErrWrongKey
// when the blob names another key, and an error when the blob was altered or
// ad differs from the one it was sealed with.
func (s *Sealer) Open(blob, ad []byte) ([]byte, error) {
	if len(blob) < sealOverhead {
		return nil, fmt.Errorf("store: open sealed: blob has %d bytes; want at least %d", len(blob), sealOverhead)
	}
	if blob[0] != sealVersion {
		return nil, fmt.Errorf("store: open sealed: unknown envelope version %d", blob[0])
	}
	if subtle.ConstantTimeCompare(blob[1:sealHeaderLen], s.keyID[:]) != 1 {
		return nil, fmt.Errorf("store: open sealed: key id %x, have %x: %w", blob[1:sealHeaderLen], s.keyID[:], ErrWrongKey)
	}
	nonce := blob[sealHeaderLen : sealHeaderLen+chacha20poly1305.NonceSizeX]
	ct := blob[sealHeaderLen+chacha20poly1305.NonceSizeX:]
	pt, err := s.aead.Open(nil, nonce, ct, sealAD(blob[:sealHeaderLen], ad))
	if err != nil {
		return nil, errors.New("store: open sealed: authentication failed (blob altered or bound to another record)")
	}
	return pt, nil
}

// sealAD authenticates the envelope header together with the caller's ad.
func sealAD(header, ad []byte) []byte {
	out := make([]byte, 0, len(header)+len(ad))
	return append(append(out, header...), ad...)
}
