package usertest

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/gotd/td/telegram/auth/qrlogin"
	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"
)

// loginCode is one code sent by auth.sendCode or auth.resendCode.
type loginCode struct {
	phone   string
	hash    string
	code    string
	key     [8]byte // the auth key that asked; the hash is only good there
	sent    time.Time
	expired bool
}

// qrToken is one auth.exportLoginToken token.
type qrToken struct {
	token    []byte
	key      *authKey
	expires  time.Time
	accepted bool
}

// CodeFor returns the last login code sent to phone, registered or not, ""
// if none.
func (c *Cluster) CodeFor(phone string) string {
	norm, _ := normalizePhone(phone)
	c.mu.Lock()
	defer c.mu.Unlock()
	if lc := c.lastCode[norm]; lc != nil {
		return lc.code
	}
	return ""
}

// issueCode sends a fresh code to phone for key k. c.mu must be held. Codes
// are deterministic per phone and attempt, and never repeat the previous one.
func (c *Cluster) issueCode(phone string, k *authKey) *loginCode {
	var code string
	for {
		c.codeSeq[phone]++
		sum := sha256.Sum256([]byte(phone + ":" + strconv.Itoa(c.codeSeq[phone])))
		n := binary.BigEndian.Uint64(sum[:8])
		code = strconv.FormatUint(n, 10)
		code = code[len(code)-c.opts.codeLen:]
		if prev := c.lastCode[phone]; prev == nil || prev.code != code {
			break
		}
	}
	lc := &loginCode{
		phone: phone,
		hash:  hex.EncodeToString(randBytes(8)),
		code:  code,
		key:   k.id,
		sent:  time.Now(),
	}
	c.codes[lc.hash] = lc
	c.lastCode[phone] = lc
	return lc
}

// expireCodesIn expires every live code that appears in text: Telegram
// invalidates a login code that is shared in any chat. c.mu must be held.
func (c *Cluster) expireCodesIn(text string) {
	for _, lc := range c.lastCode {
		if !lc.expired && strings.Contains(text, lc.code) {
			lc.expired = true
		}
	}
}

func (c *Cluster) authSendCode(ctx context.Context, req *tg.AuthSendCodeRequest) (tg.AuthSentCodeClass, error) {
	if req.APIID == 0 || req.APIHash == "" {
		return nil, tgerr.New(400, "API_ID_INVALID")
	}
	phone, ok := normalizePhone(req.PhoneNumber)
	if !ok {
		return nil, tgerr.New(400, "PHONE_NUMBER_INVALID")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	a := c.byPhone[phone]
	if a != nil && a.banned {
		return nil, tgerr.New(400, "PHONE_NUMBER_BANNED")
	}
	lc := c.issueCode(phone, keyFrom(ctx))
	sent := &tg.AuthSentCode{PhoneCodeHash: lc.hash, Timeout: 60}
	if a != nil {
		// Registered users get the code in their other Telegram apps.
		sent.Type = &tg.AuthSentCodeTypeApp{Length: len(lc.code)}
	} else {
		sent.Type = &tg.AuthSentCodeTypeSMS{Length: len(lc.code)}
	}
	sent.SetNextType(&tg.AuthCodeTypeSMS{})
	return sent, nil
}

// liveCode finds the code for a hash and checks it belongs to phone and k.
// c.mu must be held.
func (c *Cluster) liveCode(k *authKey, phone, hash string) (*loginCode, error) {
	if hash == "" {
		return nil, tgerr.New(400, "PHONE_CODE_HASH_EMPTY")
	}
	lc := c.codes[hash]
	if lc == nil || lc.phone != phone || lc.key != k.id {
		// A hash from another auth key is as good as none.
		return nil, tgerr.New(400, "PHONE_CODE_EXPIRED")
	}
	if lc.expired || time.Since(lc.sent) > c.opts.codeTTL {
		return nil, tgerr.New(400, "PHONE_CODE_EXPIRED")
	}
	return lc, nil
}

func (c *Cluster) authResendCode(ctx context.Context, req *tg.AuthResendCodeRequest) (tg.AuthSentCodeClass, error) {
	phone, ok := normalizePhone(req.PhoneNumber)
	if !ok {
		return nil, tgerr.New(400, "PHONE_NUMBER_INVALID")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	k := keyFrom(ctx)
	old, err := c.liveCode(k, phone, req.PhoneCodeHash)
	if err != nil {
		return nil, err
	}
	old.expired = true
	lc := c.issueCode(phone, k)
	sent := &tg.AuthSentCode{
		Type:          &tg.AuthSentCodeTypeSMS{Length: len(lc.code)},
		PhoneCodeHash: lc.hash,
		Timeout:       60,
	}
	sent.SetNextType(&tg.AuthCodeTypeCall{})
	return sent, nil
}

func (c *Cluster) authSignIn(ctx context.Context, req *tg.AuthSignInRequest) (tg.AuthAuthorizationClass, error) {
	phone, ok := normalizePhone(req.PhoneNumber)
	if !ok {
		return nil, tgerr.New(400, "PHONE_NUMBER_INVALID")
	}
	if req.PhoneCode == "" {
		return nil, tgerr.New(400, "PHONE_CODE_EMPTY")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	k := keyFrom(ctx)
	lc, err := c.liveCode(k, phone, req.PhoneCodeHash)
	if err != nil {
		return nil, err
	}
	if req.PhoneCode != lc.code {
		return nil, tgerr.New(400, "PHONE_CODE_INVALID")
	}
	a := c.byPhone[phone]
	if a == nil {
		// The code stays valid for auth.signUp, which this fake does not
		// implement.
		return &tg.AuthAuthorizationSignUpRequired{}, nil
	}
	lc.expired = true
	if a.banned {
		return nil, tgerr.New(400, "PHONE_NUMBER_BANNED")
	}
	return c.signedIn(k, a)
}

// signedIn finishes a login of k as a: with 2FA it asks for the password,
// otherwise it authorizes the key. c.mu must be held.
func (c *Cluster) signedIn(k *authKey, a *Account) (*tg.AuthAuthorization, error) {
	if a.srp != nil {
		k.passwordFor = a.id
		return nil, tgerr.New(401, "SESSION_PASSWORD_NEEDED")
	}
	c.authorize(k, a)
	return &tg.AuthAuthorization{User: a.tgUser(a.id)}, nil
}

func (c *Cluster) authorize(k *authKey, a *Account) {
	k.userID, k.revoked, k.passwordFor, k.srp = a.id, false, 0, nil
}

func (c *Cluster) authLogOut(ctx context.Context) (*tg.AuthLoggedOut, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k, _, err := c.requireAuth(ctx)
	if err != nil {
		return nil, err
	}
	k.userID = 0
	return &tg.AuthLoggedOut{}, nil
}

func (c *Cluster) accountGetPassword(ctx context.Context) (*tg.AccountPassword, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := keyFrom(ctx)
	id := k.passwordFor
	if id == 0 {
		_, a, err := c.requireAuth(ctx)
		if err != nil {
			return nil, err
		}
		id = a.id
	}
	a := c.accounts[id]
	if a.srp == nil {
		return noPassword(), nil
	}
	c.nextSRPID++
	k.srp = a.srp.newSession(c.nextSRPID, a.id)
	return a.srp.accountPassword(k.srp), nil
}

func (c *Cluster) authCheckPassword(ctx context.Context, p tg.InputCheckPasswordSRPClass) (tg.AuthAuthorizationClass, error) {
	in, ok := p.(*tg.InputCheckPasswordSRP)
	if !ok {
		return nil, tgerr.New(400, "PASSWORD_HASH_INVALID")
	}
	c.mu.Lock()
	k := keyFrom(ctx)
	sess := k.srp
	if k.passwordFor == 0 || sess == nil || sess.id != in.SRPID || sess.account != k.passwordFor {
		c.mu.Unlock()
		return nil, tgerr.New(400, "SRP_ID_INVALID")
	}
	k.srp = nil // one attempt per account.getPassword, as in Telegram
	a := c.accounts[sess.account]
	c.mu.Unlock()

	// The modular exponentiations take a few milliseconds; keep them out of
	// the lock.
	if !a.srp.check(sess, in.A, in.M1) {
		return nil, tgerr.New(400, "PASSWORD_HASH_INVALID")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.authorize(k, a)
	return &tg.AuthAuthorization{User: a.tgUser(a.id)}, nil
}

func (c *Cluster) usersGetUsers(ctx context.Context, ids []tg.InputUserClass) ([]tg.UserClass, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, self, err := c.requireAuth(ctx)
	if err != nil {
		return nil, err
	}
	var out []tg.UserClass
	for _, id := range ids {
		switch id := id.(type) {
		case *tg.InputUserSelf:
			out = append(out, self.tgUser(self.id))
		case *tg.InputUser:
			if a := c.accounts[id.UserID]; a != nil && a.accessHash == id.AccessHash {
				out = append(out, a.tgUser(self.id))
			}
		}
	}
	return out, nil
}

// QR login (https://core.telegram.org/api/qr-login).

func (c *Cluster) authExportLoginToken(ctx context.Context, req *tg.AuthExportLoginTokenRequest) (tg.AuthLoginTokenClass, error) {
	if req.APIID == 0 || req.APIHash == "" {
		return nil, tgerr.New(400, "API_ID_INVALID")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	k := keyFrom(ctx)
	if id := k.qrAccepted; id != 0 {
		k.qrAccepted = 0
		auth, err := c.signedIn(k, c.accounts[id])
		if err != nil {
			return nil, err
		}
		return &tg.AuthLoginTokenSuccess{Authorization: auth}, nil
	}
	if a := c.accounts[k.userID]; a != nil && !k.revoked {
		return &tg.AuthLoginTokenSuccess{Authorization: &tg.AuthAuthorization{User: a.tgUser(a.id)}}, nil
	}
	if k.qr != nil {
		delete(c.tokens, string(k.qr.token))
	}
	k.qr = &qrToken{token: randBytes(24), key: k, expires: time.Now().Add(c.opts.qrTTL)}
	c.tokens[string(k.qr.token)] = k.qr
	return &tg.AuthLoginToken{Expires: int(k.qr.expires.Unix()), Token: k.qr.token}, nil
}

func (c *Cluster) authImportLoginToken(ctx context.Context, token []byte) (tg.AuthLoginTokenClass, error) {
	c.mu.Lock()
	k := keyFrom(ctx)
	t := c.tokens[string(token)]
	ok := t != nil && t.key == k && t.accepted
	c.mu.Unlock()
	if !ok {
		return nil, tgerr.New(400, "AUTH_TOKEN_INVALID")
	}
	return c.authExportLoginToken(ctx, &tg.AuthExportLoginTokenRequest{APIID: 1, APIHash: "-"})
}

func (c *Cluster) authAcceptLoginToken(ctx context.Context, token []byte) (*tg.Authorization, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, a, err := c.requireAuth(ctx)
	if err != nil {
		return nil, err
	}
	if err := c.acceptToken(a, token); err != nil {
		return nil, err
	}
	return &tg.Authorization{
		Hash:          int64(binary.LittleEndian.Uint64(randBytes(8))),
		DeviceModel:   "usertest",
		Platform:      "go",
		SystemVersion: "1",
		APIID:         1,
		AppName:       "usertest",
		AppVersion:    "1",
		DateCreated:   now(),
		DateActive:    now(),
		IP:            "127.0.0.1",
		Country:       "Nowhere",
		Region:        "Nowhere",
	}, nil
}

// acceptToken lets account a accept a QR token and tells the exporting
// session with updateLoginToken. c.mu must be held.
func (c *Cluster) acceptToken(a *Account, token []byte) *tgerr.Error {
	t := c.tokens[string(token)]
	switch {
	case t == nil:
		return tgerr.New(400, "AUTH_TOKEN_INVALID")
	case time.Now().After(t.expires):
		return tgerr.New(400, "AUTH_TOKEN_EXPIRED")
	case t.accepted:
		return tgerr.New(400, "AUTH_TOKEN_ALREADY_ACCEPTED")
	}
	t.accepted = true
	t.key.qrAccepted = a.id
	c.push(t.key, &tg.UpdateShort{Update: &tg.UpdateLoginToken{}, Date: now()})
	return nil
}

// QRTokenURLs returns the tg://login URLs of the QR tokens that are live now
// (exported, not expired, not accepted): what a QR code on screen encodes. A
// test that cannot decode the bot's QR image accepts one of these instead.
func (c *Cluster) QRTokenURLs() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, t := range c.tokens {
		if !t.accepted && time.Now().Before(t.expires) {
			out = append(out, qrlogin.NewToken(t.token, int(t.expires.Unix())).URL())
		}
	}
	return out
}
