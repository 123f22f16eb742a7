package userbot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/gotd/td/session"
	"github.com/gotd/td/telegram"
	"github.com/gotd/td/telegram/auth"
	"github.com/gotd/td/telegram/auth/qrlogin"
	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"

	"github.com/leadgenrunner/leadgenrunner/store"
)

// LoginInfo describes a login code Telegram sent.
type LoginInfo struct {
	// CodeLength is the number of digits, 0 when unknown.
	CodeLength int
	// Via is "app" (another Telegram app), "sms", "call", "flash_call",
	// "email" or "" when unknown.
	Via string
}

// pendingLogin is one login in progress, with its own client: Telegram ties
// the phone code hash to the auth key that asked for the code.
type pendingLogin struct {
	ownerID  int64
	client   *telegram.Client
	sess     *session.StorageMemory
	loggedIn qrlogin.LoggedIn
	started  time.Time
	ctx      context.Context // ends when the login ends
	cancel   context.CancelFunc
	done     chan struct{}

	mu           sync.Mutex // one step at a time
	phone        string     // digits with "+"
	hash         string
	needPassword bool
}

// stop ends the login's client without waiting.
func (p *pendingLogin) stop() { p.cancel() }

// normalizePhone returns "+digits", or false when phone cannot be one.
func normalizePhone(phone string) (string, bool) {
	var b strings.Builder
	b.WriteByte('+')
	for i, r := range strings.TrimSpace(phone) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0, r == ' ', r == '-', r == '(', r == ')':
		default:
			return "", false
		}
	}
	n := b.Len() - 1
	return b.String(), n >= 7 && n <= 15
}

// newLogin starts a pending login for owner with a fresh client, replacing
// any other one.
func (m *Manager) newLogin(ctx context.Context, ownerID int64) (*pendingLogin, error) {
	runCtx, err := m.context()
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	if a := m.accounts[ownerID]; a != nil && !a.isEnded() {
		m.mu.Unlock()
		return nil, ErrAlreadyConnected
	}
	if old := m.logins[ownerID]; old != nil {
		old.stop()
		delete(m.logins, ownerID)
	}
	m.mu.Unlock()

	pctx, cancel := context.WithCancel(runCtx)
	p := &pendingLogin{
		ownerID: ownerID,
		sess:    &session.StorageMemory{},
		started: m.cfg.Now(),
		ctx:     pctx,
		cancel:  cancel,
		done:    make(chan struct{}),
	}
	d := tg.NewUpdateDispatcher()
	p.loggedIn = qrlogin.OnLoginToken(d)
	p.client = m.newClient(p.sess, d, nil)

	ready := make(chan struct{})
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		defer close(p.done)
		err := p.client.Run(pctx, func(ctx context.Context) error {
			close(ready)
			<-ctx.Done()
			return nil
		})
		if err != nil && pctx.Err() == nil {
			m.log.Warn("userbot: login client stopped", "owner_id", ownerID, "error", err)
		}
	}()
	select {
	case <-ready:
	case <-p.done:
		cancel()
		return nil, errors.New("userbot: login: cannot reach Telegram")
	case <-ctx.Done():
		cancel()
		return nil, fmt.Errorf("userbot: login: %w", ctx.Err())
	}
	// gotd signals readiness just before it saves the new session; the
	// session is what finish stores, so wait for it.
	for {
		if _, err := p.sess.Bytes(nil); err == nil {
			break
		}
		select {
		case <-p.done:
			cancel()
			return nil, errors.New("userbot: login: cannot reach Telegram")
		case <-ctx.Done():
			cancel()
			return nil, fmt.Errorf("userbot: login: %w", ctx.Err())
		case <-time.After(10 * time.Millisecond):
		}
	}
	m.mu.Lock()
	m.logins[ownerID] = p
	m.mu.Unlock()
	return p, nil
}

// login returns the owner's pending login.
func (m *Manager) login(ownerID int64) (*pendingLogin, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p := m.logins[ownerID]
	if p == nil || p.ctx.Err() != nil || m.cfg.Now().Sub(p.started) > m.cfg.LoginTimeout {
		return nil, ErrNoPendingLogin
	}
	return p, nil
}

// dropLogin ends p if it is still the owner's pending login.
func (m *Manager) dropLogin(p *pendingLogin) {
	m.mu.Lock()
	if m.logins[p.ownerID] == p {
		delete(m.logins, p.ownerID)
	}
	m.mu.Unlock()
	p.stop()
}

// expireLogins ends pending logins older than LoginTimeout.
func (m *Manager) expireLogins() {
	now := m.cfg.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	for id, p := range m.logins {
		if now.Sub(p.started) > m.cfg.LoginTimeout || p.ctx.Err() != nil {
			p.stop()
			delete(m.logins, id)
		}
	}
}

// CancelLogin drops the owner's pending login, if any, and stops its
// client.
func (m *Manager) CancelLogin(ownerID int64) {
	m.mu.Lock()
	p := m.logins[ownerID]
	delete(m.logins, ownerID)
	m.mu.Unlock()
	if p != nil {
		p.stop()
	}
}

func sentCodeInfo(sc *tg.AuthSentCode) LoginInfo {
	switch t := sc.Type.(type) {
	case *tg.AuthSentCodeTypeApp:
		return LoginInfo{CodeLength: t.Length, Via: "app"}
	case *tg.AuthSentCodeTypeSMS:
		return LoginInfo{CodeLength: t.Length, Via: "sms"}
	case *tg.AuthSentCodeTypeCall:
		return LoginInfo{CodeLength: t.Length, Via: "call"}
	case *tg.AuthSentCodeTypeFlashCall:
		return LoginInfo{Via: "flash_call"}
	case *tg.AuthSentCodeTypeEmailCode:
		return LoginInfo{CodeLength: t.Length, Via: "email"}
	}
	return LoginInfo{}
}

// StartLogin asks Telegram to send a login code to phone and keeps the
// client that asked until the login ends.
func (m *Manager) StartLogin(ctx context.Context, ownerID int64, phone string) (LoginInfo, error) {
	norm, ok := normalizePhone(phone)
	if !ok {
		return LoginInfo{}, ErrPhoneInvalid
	}
	p, err := m.newLogin(ctx, ownerID)
	if err != nil {
		return LoginInfo{}, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	info, err := p.sendCode(ctx, norm)
	if err != nil {
		m.dropLogin(p)
		return LoginInfo{}, err
	}
	m.log.Info("userbot: login code sent", "owner_id", ownerID, "phone", MaskPhone(norm), "via", info.Via)
	return info, nil
}

// sendCode requests a code for phone. p.mu must be held.
func (p *pendingLogin) sendCode(ctx context.Context, phone string) (LoginInfo, error) {
	sent, err := p.client.Auth().SendCode(ctx, phone, auth.SendCodeOptions{})
	if err != nil {
		return LoginInfo{}, loginError("send code", err)
	}
	sc, ok := sent.(*tg.AuthSentCode)
	if !ok {
		return LoginInfo{}, fmt.Errorf("userbot: send code: unexpected %T", sent)
	}
	p.phone, p.hash, p.needPassword = phone, sc.PhoneCodeHash, false
	return sentCodeInfo(sc), nil
}

// ResendCode asks Telegram to send the code again, by SMS or call when it
// offers one. The previous code stops working.
func (m *Manager) ResendCode(ctx context.Context, ownerID int64) (LoginInfo, error) {
	p, err := m.login(ownerID)
	if err != nil {
		return LoginInfo{}, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.hash == "" {
		return LoginInfo{}, ErrNoPendingLogin
	}
	sent, err := p.client.Auth().ResendCode(ctx, p.phone, p.hash)
	if tgerr.Is(err, "PHONE_CODE_EXPIRED", "SEND_CODE_UNAVAILABLE") {
		return p.sendCode(ctx, p.phone)
	}
	if err != nil {
		return LoginInfo{}, loginError("resend code", err)
	}
	sc, ok := sent.(*tg.AuthSentCode)
	if !ok {
		return LoginInfo{}, fmt.Errorf("userbot: resend code: unexpected %T", sent)
	}
	p.hash = sc.PhoneCodeHash
	return sentCodeInfo(sc), nil
}

// SubmitCode signs in with the login code. needPassword reports a 2FA
// account: call SubmitPassword. On ErrCodeExpired a new code was sent.
func (m *Manager) SubmitCode(ctx context.Context, ownerID int64, code string) (needPassword bool, err error) {
	p, err := m.login(ownerID)
	if err != nil {
		return false, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.hash == "" {
		return false, ErrNoPendingLogin
	}
	res, err := p.client.Auth().SignIn(ctx, p.phone, strings.TrimSpace(code), p.hash)
	var signUp *auth.SignUpRequired
	switch {
	case errors.Is(err, auth.ErrPasswordAuthNeeded):
		p.needPassword = true
		return true, nil
	case errors.As(err, &signUp):
		m.dropLogin(p)
		return false, ErrNotRegistered
	case tgerr.Is(err, "PHONE_CODE_EXPIRED"):
		if _, err := p.sendCode(ctx, p.phone); err != nil {
			return false, err
		}
		return false, ErrCodeExpired
	case err != nil:
		return false, loginError("sign in", err)
	}
	return false, m.finish(ctx, p, res.User)
}

// SubmitPassword finishes a 2FA login. The password is neither stored nor
// logged.
func (m *Manager) SubmitPassword(ctx context.Context, ownerID int64, password string) error {
	p, err := m.login(ownerID)
	if err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.needPassword {
		return ErrNoPendingLogin
	}
	res, err := p.client.Auth().Password(ctx, password)
	if errors.Is(err, auth.ErrPasswordInvalid) {
		return ErrPasswordInvalid
	}
	if err != nil {
		return loginError("check password", err)
	}
	return m.finish(ctx, p, res.User)
}

// QRLogin runs a QR login: show is called with each token's tg://login URL
// and expiry, again on every refresh, until the owner scans one with a
// signed-in Telegram app, ctx ends or the login is cancelled. needPassword
// reports a 2FA account: call SubmitPassword.
func (m *Manager) QRLogin(ctx context.Context, ownerID int64, show func(url string, expires time.Time) error) (needPassword bool, err error) {
	p, err := m.newLogin(ctx, ownerID)
	if err != nil {
		return false, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	qctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(p.ctx, cancel)()

	res, err := p.client.QR().Auth(qctx, p.loggedIn, func(_ context.Context, t qrlogin.Token) error {
		return show(t.URL(), t.Expires())
	})
	switch {
	case tgerr.Is(err, "SESSION_PASSWORD_NEEDED"):
		p.needPassword = true
		return true, nil
	case err != nil && p.ctx.Err() != nil:
		return false, ErrNoPendingLogin
	case err != nil:
		m.dropLogin(p)
		if ctx.Err() != nil {
			return false, fmt.Errorf("userbot: QR login: %w", ctx.Err())
		}
		return false, loginError("QR login", err)
	}
	return false, m.finish(ctx, p, res.User)
}

// finish turns a signed-in pending login into a connected account: it
// seals the session into the store, records the account and starts its
// client. p.mu must be held.
func (m *Manager) finish(ctx context.Context, p *pendingLogin, uc tg.UserClass) error {
	defer m.dropLogin(p)
	user, ok := uc.(*tg.User)
	if !ok {
		return fmt.Errorf("userbot: login: unexpected user %T", uc)
	}
	st := m.cfg.Store
	others, err := st.Accounts()
	if err != nil {
		return fmt.Errorf("userbot: login: %w", err)
	}
	for _, oa := range others {
		if oa.OwnerID != p.ownerID && oa.ID == user.ID && oa.State != StateNeedsLogin && oa.State != StateBanned {
			// Logging this key out would not free the other owner's one;
			// just leave it unused.
			return ErrAlreadyInUse
		}
	}
	data, err := p.sess.Bytes(nil)
	if err != nil {
		return fmt.Errorf("userbot: login: session: %w", err)
	}
	if prev, err := st.Account(p.ownerID); err == nil && prev.ID != user.ID {
		m.forget(p.ownerID, prev.ID)
	}
	// The new account starts from the server's current state, not from what
	// an earlier session of it left.
	if err := st.DeleteUpdatesState(user.ID); err != nil {
		return fmt.Errorf("userbot: login: %w", err)
	}
	if err := st.PutSession(user.ID, data); err != nil {
		return fmt.Errorf("userbot: login: %w", err)
	}
	phone := p.phone
	if user.Phone != "" {
		phone = "+" + strings.TrimPrefix(user.Phone, "+")
	}
	acc := store.Account{
		ID:        user.ID,
		Phone:     phone,
		Username:  user.Username,
		FirstName: strings.TrimSpace(user.FirstName + " " + user.LastName),
		State:     StateConnected,
	}
	if err := st.PutAccount(p.ownerID, acc); err != nil {
		return fmt.Errorf("userbot: login: %w", err)
	}
	m.log.Info("userbot: account connected", "owner_id", p.ownerID, "account_id", user.ID, "phone", MaskPhone(phone))
	// Two clients may share an auth key, but there is no need: stop the
	// login's before the account's starts.
	p.stop()
	select {
	case <-p.done:
	case <-ctx.Done():
	}
	m.startAccount(p.ownerID, acc)
	m.cfg.OnAccountState(p.ownerID, StateConnected)
	return nil
}

// forget deletes what the store keeps of an owner's account: session,
// updates state, account record and selected chats. Session and updates
// state are keyed by the Telegram account: when another owner has since
// connected the same account (this owner's copy had ended), they are that
// owner's now and stay.
func (m *Manager) forget(ownerID, accountID int64) {
	st := m.cfg.Store
	var errs []error
	shared := false
	if others, err := st.Accounts(); err == nil {
		for _, oa := range others {
			shared = shared || (oa.OwnerID != ownerID && oa.ID == accountID)
		}
	} else {
		errs = append(errs, err)
	}
	if !shared {
		errs = append(errs, st.DeleteSession(accountID), st.DeleteUpdatesState(accountID))
	}
	errs = append(errs, st.DeleteAccount(ownerID))
	if chats, err := st.SelectedChats(ownerID); err == nil {
		for _, c := range chats {
			errs = append(errs, st.UnselectChat(ownerID, c.Type, c.ID))
		}
	} else {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		m.log.Error("userbot: forget account", "owner_id", ownerID, "error", err)
	}
}
