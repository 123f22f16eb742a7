package usertest

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"math/big"

	"github.com/gotd/td/telegram/auth"
	"github.com/gotd/td/tg"
)

// srpPrimeHex is the 2048-bit safe prime Telegram uses for SRP (g = 3).
const srpPrimeHex = "C71CAEB9C6B1C9048E6C522F70F13F73980D40238E3E21C14934D037563D930F" +
	"48198A0AA7C14058229493D22530F4DBFA336F6E0AC925139543AED44CCE7C37" +
	"20FD51F69458705AC68CD4FE6B6B13ABDC9746512969328454F18FAF8C595F64" +
	"2477FE96BB2A941D5BCD1D4AC8CC49880708FA9B378E3C4F3A9060BEE67CF9A4" +
	"A4A695811051907E162753B56B0F6B410DBA74D8A84B2A14B3144E0EF1284754" +
	"FD17ED950D5965B4B9DD46582DB1178D169C6BC465B0D6FF9CA3928FEF5B9AE4" +
	"E418FC15E83EBEA0F87FA9FF5EED70050DED2849F47BF959D956850CE929851F" +
	"0D8115F635B105EE2E4E15D04B2454BF6F4FADF034B10403119CD8E3B92FCC5B"

const srpG = 3

// srpVerifier is what the server keeps of a 2FA password: the KDF
// parameters and the verifier v = g^x mod p. The password itself is gone.
type srpVerifier struct {
	algo tg.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow
	v    *big.Int
}

// srpSession is one account.getPassword answer: the server's ephemeral
// secret b and public B = k*v + g^b mod p, valid for one checkPassword.
type srpSession struct {
	id      int64
	account int64
	b       *big.Int
	B       []byte
}

func srpPrime() *big.Int {
	p, _ := new(big.Int).SetString(srpPrimeHex, 16)
	return p
}

func pad256(x *big.Int) []byte {
	b := make([]byte, 256)
	x.FillBytes(b)
	return b
}

func sha(data ...[]byte) []byte {
	h := sha256.New()
	for _, d := range data {
		h.Write(d)
	}
	return h.Sum(nil)
}

func randBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return b
}

func newSRPVerifier(password string) (*srpVerifier, error) {
	algo := tg.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow{
		Salt1: randBytes(8),
		Salt2: randBytes(16),
		G:     srpG,
		P:     pad256(srpPrime()),
	}
	// NewPasswordHash appends 32 random bytes to Salt1, as clients do when
	// they set a password.
	v, err := auth.NewPasswordHash([]byte(password), &algo)
	if err != nil {
		return nil, fmt.Errorf("srp verifier: %w", err)
	}
	return &srpVerifier{algo: algo, v: new(big.Int).SetBytes(v)}, nil
}

// newSession starts an SRP exchange.
func (s *srpVerifier) newSession(id, account int64) *srpSession {
	p, g := srpPrime(), big.NewInt(srpG)
	k := new(big.Int).SetBytes(sha(pad256(p), pad256(g)))
	b := new(big.Int).SetBytes(randBytes(256))
	B := new(big.Int).Mul(k, s.v)
	B.Add(B, new(big.Int).Exp(g, b, p)).Mod(B, p)
	return &srpSession{id: id, account: account, b: b, B: pad256(B)}
}

// check reports whether the client's A and M1 prove knowledge of the
// password.
func (s *srpVerifier) check(sess *srpSession, A, M1 []byte) bool {
	p, g := srpPrime(), big.NewInt(srpG)
	a := new(big.Int).SetBytes(A)
	if a.Sign() <= 0 || a.Cmp(p) >= 0 {
		return false
	}
	u := new(big.Int).SetBytes(sha(pad256(a), sess.B))
	S := new(big.Int).Exp(s.v, u, p) // S = (A * v^u)^b mod p
	S.Mul(S, a).Mod(S, p)
	S.Exp(S, sess.b, p)
	K := sha(pad256(S))
	hp, hg := sha(pad256(p)), sha(pad256(g))
	x := make([]byte, len(hp))
	for i := range x {
		x[i] = hp[i] ^ hg[i]
	}
	want := sha(x, sha(s.algo.Salt1), sha(s.algo.Salt2), pad256(a), sess.B, K)
	return subtle.ConstantTimeCompare(want, M1) == 1
}

// accountPassword is the account.getPassword answer for sess.
func (s *srpVerifier) accountPassword(sess *srpSession) *tg.AccountPassword {
	algo := s.algo // copy: Encode writes nothing here, but keep answers independent
	pw := &tg.AccountPassword{
		HasPassword:   true,
		SRPB:          sess.B,
		SRPID:         sess.id,
		NewAlgo:       &tg.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow{Salt1: algo.Salt1[:8:8], Salt2: algo.Salt2, G: algo.G, P: algo.P},
		NewSecureAlgo: &tg.SecurePasswordKdfAlgoUnknown{},
		SecureRandom:  randBytes(32),
	}
	pw.SetCurrentAlgo(&algo)
	return pw
}

// noPassword is the account.getPassword answer for an account without 2FA.
func noPassword() *tg.AccountPassword {
	return &tg.AccountPassword{
		NewAlgo: &tg.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow{
			Salt1: randBytes(8), Salt2: randBytes(16), G: srpG, P: pad256(srpPrime()),
		},
		NewSecureAlgo: &tg.SecurePasswordKdfAlgoUnknown{},
		SecureRandom:  randBytes(32),
	}
}
