package usertest

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"
)

// AccountOptions describe a new account. The zero value is an account
// without 2FA, named after its id, without a username.
type AccountOptions struct {
	// Password enables 2FA with this password when not empty.
	Password string
	// FirstName defaults to "User <id>".
	FirstName string
	// Username is the public @username without "@"; empty means none.
	Username string
}

// Account is a registered Telegram user.
type Account struct {
	c          *Cluster
	id         int64
	accessHash int64
	phone      string // normalized digits
	firstName  string
	username   string
	srp        *srpVerifier // nil without 2FA

	// Guarded by c.mu.
	pts       int
	events    []ptsEvent // the account's common pts sequence, pts ascending
	dms       map[int64][]*tg.Message
	sent      []SentMessage
	randomIDs map[int64]bool
	failures  []*failure
	banned    bool
}

// SentMessage is a message an account sent with messages.sendMessage.
type SentMessage struct {
	// Peer is where it was sent: *tg.PeerChat, *tg.PeerChannel or *tg.PeerUser.
	Peer tg.PeerClass
	// ID is the message id the server gave it.
	ID int
	// ReplyTo is the id of the message it replies to, 0 if none.
	ReplyTo int
	// Text is the message text.
	Text string
	// Date is when the server received it.
	Date time.Time
}

// AddAccount registers a user with the given phone number. It panics on a
// malformed or already registered number.
func (c *Cluster) AddAccount(phone string, opts AccountOptions) *Account {
	norm, ok := normalizePhone(phone)
	if !ok {
		panic(fmt.Sprintf("usertest: invalid phone %q", phone))
	}
	var srp *srpVerifier
	if opts.Password != "" {
		var err error
		if srp, err = newSRPVerifier(opts.Password); err != nil {
			panic(fmt.Sprintf("usertest: password: %v", err))
		}
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byPhone[norm] != nil {
		panic(fmt.Sprintf("usertest: phone %q already registered", phone))
	}
	c.nextUser++
	a := &Account{
		c:          c,
		id:         c.nextUser,
		accessHash: accessHash(c.nextUser),
		phone:      norm,
		firstName:  opts.FirstName,
		username:   opts.Username,
		srp:        srp,
		dms:        map[int64][]*tg.Message{},
		randomIDs:  map[int64]bool{},
	}
	if a.firstName == "" {
		a.firstName = fmt.Sprintf("User %d", a.id)
	}
	c.accounts[a.id] = a
	c.byPhone[norm] = a
	return a
}

// accessHash derives a stable, non-zero access hash from an id.
func accessHash(id int64) int64 {
	h := uint64(id)*0x9E3779B97F4A7C15 ^ 0x5DEECE66D
	return int64(h>>1) | 1
}

// normalizePhone strips formatting and reports whether the rest is a
// plausible international number.
func normalizePhone(phone string) (string, bool) {
	var b strings.Builder
	for i, r := range phone {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0, r == ' ', r == '-', r == '(', r == ')':
		default:
			return "", false
		}
	}
	n := b.String()
	return n, len(n) >= 7 && len(n) <= 15
}

// ID returns the account's user id.
func (a *Account) ID() int64 { return a.id }

// AccessHash returns the account's user access hash.
func (a *Account) AccessHash() int64 { return a.accessHash }

// Phone returns the account's phone number as digits without "+".
func (a *Account) Phone() string { return a.phone }

// Username returns the account's username, empty if none.
func (a *Account) Username() string { return a.username }

// Code returns the last login code sent to the account, "" if none.
func (a *Account) Code() string { return a.c.CodeFor(a.phone) }

// ExpireCode makes the last login code sent to the account expire, as
// Telegram does when the code is shared in a chat.
func (a *Account) ExpireCode() {
	a.c.mu.Lock()
	defer a.c.mu.Unlock()
	if lc := a.c.lastCode[a.phone]; lc != nil {
		lc.expired = true
	}
}

// AcceptQR accepts a QR login token from this account, as scanning the
// code in an official app does. loginURL is the tg://login?token=… URL.
// Errors are *tgerr.Error: AUTH_TOKEN_INVALID, AUTH_TOKEN_EXPIRED,
// AUTH_TOKEN_ALREADY_ACCEPTED.
func (a *Account) AcceptQR(loginURL string) error {
	u, err := url.Parse(loginURL)
	if err != nil || u.Scheme != "tg" || u.Host != "login" {
		return tgerr.New(400, "AUTH_TOKEN_INVALID")
	}
	token, err := base64.URLEncoding.DecodeString(u.Query().Get("token"))
	if err != nil || len(token) == 0 {
		return tgerr.New(400, "AUTH_TOKEN_INVALID")
	}
	a.c.mu.Lock()
	defer a.c.mu.Unlock()
	if err := a.c.acceptToken(a, token); err != nil {
		return err
	}
	return nil
}

// Sent returns the messages the account sent, oldest first.
func (a *Account) Sent() []SentMessage {
	a.c.mu.Lock()
	defer a.c.mu.Unlock()
	return append([]SentMessage(nil), a.sent...)
}

// FailNext makes the next n calls of method (a TL name such as
// "messages.getHistory"; empty for any method) from a client signed in as
// this account fail with err. Calls made before sign-in are matched by
// Cluster.FailNext only.
func (a *Account) FailNext(method string, err *tgerr.Error, n int) {
	a.c.mu.Lock()
	defer a.c.mu.Unlock()
	a.failures = append(a.failures, newFailure(method, err, n))
}

// Revoke terminates every session of the account, as "Terminate all other
// sessions" does: their next call fails with 401 SESSION_REVOKED.
func (a *Account) Revoke() {
	a.c.mu.Lock()
	defer a.c.mu.Unlock()
	for _, k := range a.c.keys {
		if k.userID == a.id {
			k.userID, k.revoked = 0, true
		}
	}
}

// Ban deactivates the account: every call of its sessions fails with 401
// USER_DEACTIVATED_BAN and it can no longer request login codes.
func (a *Account) Ban() {
	a.c.mu.Lock()
	defer a.c.mu.Unlock()
	a.banned = true
}

// Sessions returns how many auth keys are signed in as the account.
func (a *Account) Sessions() int {
	a.c.mu.Lock()
	defer a.c.mu.Unlock()
	n := 0
	for _, k := range a.c.keys {
		if k.userID == a.id {
			n++
		}
	}
	return n
}

// JoinedChannels returns how many supergroups and channels the account is a
// member of (Telegram caps this at 500).
func (a *Account) JoinedChannels() int {
	a.c.mu.Lock()
	defer a.c.mu.Unlock()
	return a.joinedChannels()
}

// joinedChannels is JoinedChannels with c.mu held.
func (a *Account) joinedChannels() int {
	n := 0
	for _, ch := range a.c.chats {
		if ch.kind != KindGroup && ch.members[a.id] {
			n++
		}
	}
	return n
}

// tgUser returns the account as seen by viewer. c.mu must be held.
func (a *Account) tgUser(viewer int64) *tg.User {
	u := &tg.User{
		ID:         a.id,
		AccessHash: a.accessHash,
		FirstName:  a.firstName,
		Username:   a.username,
		Self:       a.id == viewer,
		Deleted:    a.banned,
	}
	if u.Self {
		u.Phone = a.phone
	}
	return u
}

// users returns the accounts with the given ids as seen by viewer, skipping
// unknown ids and duplicates. c.mu must be held.
func (c *Cluster) users(viewer int64, ids ...int64) []tg.UserClass {
	seen := map[int64]bool{}
	var out []tg.UserClass
	for _, id := range ids {
		a := c.accounts[id]
		if a == nil || seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, a.tgUser(viewer))
	}
	return out
}
