package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"strings"
	"sync"
	"time"
	"unicode"

	tele "gopkg.in/telebot.v3"
	"rsc.io/qr"

	"github.com/leadgenrunner/leadgenrunner/store"
)

// Callback actions of the Account screen and the login flow.
const (
	actAccount       = "acc"
	actConnectPhone  = "accph"
	actConnectQR     = "accqr"
	actKeypad        = "kp"
	actLoginCancel   = "logcncl"
	actDisconnect    = "accdis"
	actDisconnectYes = "accdisy"
)

// Keypad keys beyond the digits 0-9.
const (
	keyErase  = 10
	keySubmit = 11
	keyResend = 12
)

// More conversation states (see start.go).
const (
	awaitPhone      = "phone"
	awaitCode       = "code"
	awaitPassword   = "password"
	awaitChatSearch = "chat_search"
)

const (
	maxCodeLen     = 8
	loginStepLimit = 60 * time.Second // one call to Telegram during login
	qrLoginLimit   = 3 * time.Minute
	pendingTTL     = 15 * time.Minute
)

// pendingLogin is the bot's side of a login in progress. It lives in memory
// only: the digits of a login code are never written anywhere, and the
// userbot's pending client does not survive a restart either.
type pendingLogin struct {
	digits   []byte
	codeLen  int
	via      string
	keypadID int // message with the keypad
	started  time.Time
	qrCancel context.CancelFunc
}

type logins struct {
	mu sync.Mutex
	m  map[int64]*pendingLogin
}

func (l *logins) get(id int64) (*pendingLogin, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	p, ok := l.m[id]
	if ok && time.Since(p.started) > pendingTTL {
		delete(l.m, id)
		return nil, false
	}
	return p, ok
}

func (l *logins) put(id int64, p *pendingLogin) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.m == nil {
		l.m = make(map[int64]*pendingLogin)
	}
	if old := l.m[id]; old != nil && old.qrCancel != nil {
		old.qrCancel()
	}
	l.m[id] = p
}

func (l *logins) drop(id int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if p := l.m[id]; p != nil && p.qrCancel != nil {
		p.qrCancel()
	}
	delete(l.m, id)
}

func (b *Bot) cbAccount(c tele.Context, u store.User, _ cb) error {
	u, err := b.clearAwaiting(u)
	if err != nil {
		return err
	}
	return b.showAccount(c, u)
}

func (b *Bot) showAccount(c tele.Context, u store.User) error {
	t, at := tr(u.Lang), atr(u.Lang)
	kb := &tele.ReplyMarkup{}
	if b.cfg.Userbot == nil {
		return b.show(c, at.NotAvailable, backToMenu(t))
	}
	acc, ok := b.cfg.Userbot.Account(u.ID)
	if !ok {
		kb.Inline(
			kb.Row(kb.Data(at.BtnConnectPhone, encodeCB(actConnectPhone))),
			kb.Row(kb.Data(at.BtnConnectQR, encodeCB(actConnectQR))),
			kb.Row(kb.Data(t.BtnMainMenu, encodeCB(actMenu))),
		)
		return b.show(c, at.NoAccount, kb)
	}
	who := maskPhone(acc.Phone)
	if acc.Username != "" {
		who += " · @" + html.EscapeString(acc.Username)
	}
	last := at.Never
	if !acc.LastMessage.IsZero() {
		last = b.formatTime(u, acc.LastMessage)
	}
	state, ok := at.StateNames[acc.State]
	if !ok {
		state = html.EscapeString(acc.State)
	}
	text := fmt.Sprintf(at.AccountF, who, state, acc.ChatsMonitored, acc.ChannelsJoined, last)
	var rows []tele.Row
	if acc.State == StateNeedsLogin {
		rows = append(rows, kb.Row(kb.Data(at.BtnReconnect, encodeCB(actConnectPhone))))
	}
	rows = append(rows,
		kb.Row(kb.Data(at.BtnPickChats, encodeCB(actChats, 0))),
		kb.Row(kb.Data(at.BtnDisconnect, encodeCB(actDisconnect))),
		kb.Row(kb.Data(t.BtnMainMenu, encodeCB(actMenu))),
	)
	kb.Inline(rows...)
	return b.show(c, text, kb)
}

// formatTime shows ts in the owner's time zone (Settings → Alerts).
func (b *Bot) formatTime(u store.User, ts time.Time) string {
	tz := ""
	if s, err := b.store.AlertSettings(u.ID); err == nil {
		tz = s.TZ
	}
	return formatStamp(ts.In(location(tz)))
}

// maskPhone keeps the first and the last two digits: +4•••••••23.
func maskPhone(p string) string {
	var digits []rune
	for _, r := range p {
		if unicode.IsDigit(r) {
			digits = append(digits, r)
		}
	}
	if len(digits) < 4 {
		return "+•••"
	}
	return "+" + string(digits[0]) + strings.Repeat("•", len(digits)-3) + string(digits[len(digits)-2:])
}

// normalizePhone returns +<digits> for a plausible international number.
func normalizePhone(s string) (string, bool) {
	var b strings.Builder
	for i, r := range strings.TrimSpace(s) {
		switch {
		case r == '+' && i == 0:
		case unicode.IsDigit(r) && r < 128:
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '(' || r == ')' || r == '.':
		default:
			return "", false
		}
	}
	d := b.String()
	if len(d) < 8 || len(d) > 15 || d[0] == '0' {
		return "", false
	}
	return "+" + d, true
}

func (b *Bot) cbConnectPhone(c tele.Context, u store.User, _ cb) error {
	if b.cfg.Userbot == nil {
		return b.showAccount(c, u)
	}
	at := atr(u.Lang)
	b.cfg.Userbot.CancelLogin(u.ID)
	b.logins.drop(u.ID)
	if _, err := b.setAwaiting(u, awaitPhone); err != nil {
		return err
	}
	kb := &tele.ReplyMarkup{ResizeKeyboard: true, OneTimeKeyboard: true}
	kb.Reply(kb.Row(kb.Contact(at.BtnSharePhone)), kb.Row(kb.Text(at.BtnCancelReply)))
	return c.Send(at.AskPhone, kb)
}

func (b *Bot) setAwaiting(u store.User, what string) (store.User, error) {
	u, err := b.store.UpdateUser(u.ID, func(u *store.User) error {
		u.Awaiting = what
		return nil
	})
	if err != nil {
		return u, fmt.Errorf("set conversation state: %w", err)
	}
	return u, nil
}

// onContact handles a shared contact: the phone step of the login.
func (b *Bot) onContact(c tele.Context, u store.User) error {
	if u.Awaiting != awaitPhone {
		return b.onMedia(c, u)
	}
	ct := c.Message().Contact
	if ct == nil || ct.UserID != c.Sender().ID {
		return c.Send(atr(u.Lang).NotOwnContact)
	}
	phone, ok := normalizePhone(ct.PhoneNumber)
	if !ok {
		return c.Send(atr(u.Lang).BadPhone)
	}
	return b.startLogin(c, u, phone)
}

func isCancelText(s string) bool {
	s = strings.TrimSpace(s)
	return s == enAccount.BtnCancelReply || s == ruAccount.BtnCancelReply || strings.EqualFold(s, "/cancel")
}

func (b *Bot) onPhoneText(c tele.Context, u store.User) error {
	at := atr(u.Lang)
	if isCancelText(c.Text()) {
		u, err := b.clearAwaiting(u)
		if err != nil {
			return err
		}
		if err := c.Send(tr(u.Lang).Cancelled, &tele.ReplyMarkup{RemoveKeyboard: true}); err != nil {
			return err
		}
		return b.showAccount(c, u)
	}
	phone, ok := normalizePhone(c.Text())
	if !ok {
		return c.Send(at.BadPhone)
	}
	return b.startLogin(c, u, phone)
}

// startLogin asks Telegram for a code and turns the progress message into
// the keypad.
func (b *Bot) startLogin(c tele.Context, u store.User, phone string) error {
	at := atr(u.Lang)
	// This message removes the phone keyboard. Telegram never lets a bot
	// edit a message sent with a reply keyboard (or its removal), so the
	// keypad comes as a new message and this one is deleted.
	progress, err := b.tb.Send(c.Recipient(), fmt.Sprintf(at.SendingCodeF, maskPhone(phone)), &tele.ReplyMarkup{RemoveKeyboard: true})
	if err != nil {
		return fmt.Errorf("send progress: %w", err)
	}
	defer func() {
		if err := b.tb.Delete(progress); err != nil {
			b.log.Warn("delete login progress", "user_id", u.ID, "err", err)
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), loginStepLimit)
	defer cancel()
	code, err := b.cfg.Userbot.StartLogin(ctx, u.ID, phone)
	if err != nil {
		u, _ = b.clearAwaiting(u)
		return b.loginFailed(nil, u, err)
	}
	if _, err := b.setAwaiting(u, awaitCode); err != nil {
		return err
	}
	p := &pendingLogin{codeLen: code.Length, via: code.Via, started: time.Now()}
	b.logins.put(u.ID, p)
	return b.editKeypad(nil, u, p, "")
}

func (b *Bot) keypadMarkup(u store.User) *tele.ReplyMarkup {
	at := atr(u.Lang)
	kb := &tele.ReplyMarkup{}
	key := func(label string, k int64) tele.Btn { return kb.Data(label, encodeCB(actKeypad, k)) }
	kb.Inline(
		kb.Row(key("1", 1), key("2", 2), key("3", 3)),
		kb.Row(key("4", 4), key("5", 5), key("6", 6)),
		kb.Row(key("7", 7), key("8", 8), key("9", 9)),
		kb.Row(key("⌫", keyErase), key("0", 0), key(at.BtnSubmit, keySubmit)),
		kb.Row(key(at.BtnResend, keyResend)),
		kb.Row(kb.Data(tr(u.Lang).BtnCancel, encodeCB(actLoginCancel))),
	)
	return kb
}

// editKeypad shows the keypad with one dot per digit entered: the code itself
// never appears in any message. A nil msg sends the keypad as a new message.
func (b *Bot) editKeypad(msg tele.Editable, u store.User, p *pendingLogin, note string) error {
	at := atr(u.Lang)
	dots := strings.Repeat("•", len(p.digits))
	if p.codeLen > 0 && len(p.digits) < p.codeLen {
		dots += strings.Repeat("◦", p.codeLen-len(p.digits))
	}
	if dots == "" {
		dots = "◦◦◦◦◦"
	}
	text := fmt.Sprintf(at.KeypadF, at.CodeVia[p.via], dots)
	if note != "" {
		text = note + "\n\n" + text
	}
	var m *tele.Message
	var err error
	if msg == nil {
		m, err = b.tb.Send(tele.ChatID(u.ID), text, b.keypadMarkup(u), tele.ModeHTML)
	} else {
		m, err = b.tb.Edit(msg, text, b.keypadMarkup(u), tele.ModeHTML)
	}
	if err != nil && !isNotModified(err) {
		return fmt.Errorf("show keypad: %w", err)
	}
	if m != nil {
		p.keypadID = m.ID
	}
	return nil
}

func (b *Bot) cbKeypad(c tele.Context, u store.User, d cb) error {
	at := atr(u.Lang)
	p, ok := b.logins.get(u.ID)
	if !ok || b.cfg.Userbot == nil || u.Awaiting != awaitCode {
		if acc, connected := b.accountOf(u); connected && acc.State == StateConnected {
			// A late tap (a double ✅) after the login succeeded.
			setToast(c, fmt.Sprintf(at.ConnectedF, accountName(acc)))
			return nil
		}
		if u.Awaiting == awaitPassword {
			setToast(c, at.AskPassword) // the keypad is done; the password is awaited
			return nil
		}
		if u.Awaiting == awaitCode {
			if _, err := b.clearAwaiting(u); err != nil {
				return err
			}
		}
		return b.show(c, at.LoginGone, backToAccount(u))
	}
	msg := c.Callback().Message
	switch k := d.arg(0); {
	case k >= 0 && k <= 9:
		if len(p.digits) < maxCodeLen && (p.codeLen == 0 || len(p.digits) < p.codeLen) {
			p.digits = append(p.digits, byte('0'+k))
		}
		return b.editKeypad(msg, u, p, "")
	case k == keyErase:
		if len(p.digits) > 0 {
			p.digits = p.digits[:len(p.digits)-1]
		}
		return b.editKeypad(msg, u, p, "")
	case k == keyResend:
		ctx, cancel := context.WithTimeout(context.Background(), loginStepLimit)
		defer cancel()
		code, err := b.cfg.Userbot.ResendCode(ctx, u.ID)
		if err != nil {
			return b.loginFailed(msg, u, err)
		}
		p.digits, p.codeLen, p.via = nil, code.Length, code.Via
		setToast(c, at.CodeResent)
		return b.editKeypad(msg, u, p, at.CodeResent)
	case k == keySubmit:
		if len(p.digits) == 0 || (p.codeLen > 0 && len(p.digits) < p.codeLen) {
			setToast(c, at.CodeIncomplete)
			return nil
		}
		code := string(p.digits)
		p.digits = nil
		if _, err := b.tb.Edit(msg, at.Checking); err != nil && !isNotModified(err) {
			b.log.Warn("show checking", "user_id", u.ID, "err", err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), loginStepLimit)
		defer cancel()
		needPassword, err := b.cfg.Userbot.SubmitCode(ctx, u.ID, code)
		switch {
		case errors.Is(err, ErrCodeInvalid):
			return b.editKeypad(msg, u, p, at.CodeInvalid)
		case errors.Is(err, ErrCodeExpired):
			return b.editKeypad(msg, u, p, at.CodeExpired)
		case err != nil:
			return b.loginFailed(msg, u, err)
		case needPassword:
			return b.askPassword(msg, u)
		}
		return b.loginDone(msg, u)
	}
	setToast(c, tr(u.Lang).Outdated)
	return nil
}

func (b *Bot) askPassword(msg tele.Editable, u store.User) error {
	if _, err := b.setAwaiting(u, awaitPassword); err != nil {
		return err
	}
	kb := &tele.ReplyMarkup{}
	kb.Inline(kb.Row(kb.Data(tr(u.Lang).BtnCancel, encodeCB(actLoginCancel))))
	_, err := b.tb.Edit(msg, atr(u.Lang).AskPassword, kb)
	if err != nil && !isNotModified(err) {
		_, err = b.tb.Send(tele.ChatID(u.ID), atr(u.Lang).AskPassword, kb)
	}
	return err
}

// onPasswordText reads the 2FA password, deletes the owner's message at once
// and never keeps the password anywhere.
func (b *Bot) onPasswordText(c tele.Context, u store.User) error {
	at := atr(u.Lang)
	password := c.Text()
	if err := c.Delete(); err != nil {
		b.log.Warn("delete password message", "user_id", u.ID, "err", err)
	}
	if isCancelText(password) {
		return b.cancelLogin(c, u)
	}
	msg, err := b.tb.Send(c.Recipient(), at.Checking)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), loginStepLimit)
	defer cancel()
	err = b.cfg.Userbot.SubmitPassword(ctx, u.ID, password)
	password = ""
	switch {
	case errors.Is(err, ErrPasswordInvalid):
		kb := &tele.ReplyMarkup{}
		kb.Inline(kb.Row(kb.Data(tr(u.Lang).BtnCancel, encodeCB(actLoginCancel))))
		_, err := b.tb.Edit(msg, at.PasswordInvalid, kb)
		return err
	case err != nil:
		return b.loginFailed(msg, u, err)
	}
	return b.loginDone(msg, u)
}

func (b *Bot) loginDone(msg tele.Editable, u store.User) error {
	at := atr(u.Lang)
	b.logins.drop(u.ID)
	u, err := b.clearAwaiting(u)
	if err != nil {
		return err
	}
	who := "✓"
	if acc, ok := b.accountOf(u); ok {
		who = accountName(acc)
	}
	b.log.Info("account connected", "user_id", u.ID)
	kb := &tele.ReplyMarkup{}
	kb.Inline(
		kb.Row(kb.Data(at.BtnPickChats, encodeCB(actChats, 0))),
		kb.Row(kb.Data(tr(u.Lang).BtnMainMenu, encodeCB(actMenu))),
	)
	text := fmt.Sprintf(at.ConnectedF, who)
	if _, err := b.tb.Edit(msg, text, kb); err != nil {
		_, err = b.tb.Send(tele.ChatID(u.ID), text, kb)
		return err
	}
	return nil
}

// loginFailed explains a login error and offers the way on.
func (b *Bot) loginFailed(msg tele.Editable, u store.User, err error) error {
	at := atr(u.Lang)
	var text string
	var flood *FloodWaitError
	switch {
	case errors.As(err, &flood):
		text = fmt.Sprintf(at.FloodWaitF, b.humanDuration(u.Lang, flood.Wait))
	case errors.Is(err, ErrPhoneInvalid):
		text = at.PhoneInvalid
	case errors.Is(err, ErrNotRegistered):
		text = at.NotRegistered
	case errors.Is(err, ErrBanned):
		text = at.Banned
	case errors.Is(err, ErrAlreadyConnected):
		text = at.AlreadyConnected
	case errors.Is(err, ErrAccountInUse):
		text = at.AccountInUse
	case errors.Is(err, ErrNoLogin):
		text = at.LoginGone
	case errors.Is(err, ErrQRExpired), errors.Is(err, context.DeadlineExceeded):
		text = at.QRExpired
	default:
		b.log.Warn("login failed", "user_id", u.ID, "err", err)
		text = at.LoginFailed
	}
	b.logins.drop(u.ID)
	b.cfg.Userbot.CancelLogin(u.ID)
	if _, cerr := b.clearAwaiting(u); cerr != nil {
		return cerr
	}
	if msg != nil {
		if _, eerr := b.tb.Edit(msg, text, backToAccount(u)); eerr == nil || isNotModified(eerr) {
			return nil
		}
	}
	_, serr := b.tb.Send(tele.ChatID(u.ID), text, backToAccount(u))
	return serr
}

func (b *Bot) humanDuration(lang string, d time.Duration) string {
	at := atr(lang)
	if d < time.Minute {
		return at.Seconds.N(lang, max(1, int(d.Seconds())))
	}
	return at.Minutes.N(lang, int((d+time.Minute-1)/time.Minute))
}

func (b *Bot) accountOf(u store.User) (Account, bool) {
	if b.cfg.Userbot == nil {
		return Account{}, false
	}
	return b.cfg.Userbot.Account(u.ID)
}

// accountName is @username, or the masked phone when there is none.
func accountName(acc Account) string {
	if acc.Username != "" {
		return "@" + html.EscapeString(acc.Username)
	}
	return maskPhone(acc.Phone)
}

func backToAccount(u store.User) *tele.ReplyMarkup {
	kb := &tele.ReplyMarkup{}
	kb.Inline(
		kb.Row(kb.Data(tr(u.Lang).BtnAccount, encodeCB(actAccount))),
		kb.Row(kb.Data(tr(u.Lang).BtnMainMenu, encodeCB(actMenu))),
	)
	return kb
}

func (b *Bot) cbLoginCancel(c tele.Context, u store.User, _ cb) error {
	return b.cancelLogin(c, u)
}

func (b *Bot) cancelLogin(c tele.Context, u store.User) error {
	b.logins.drop(u.ID)
	if b.cfg.Userbot != nil {
		b.cfg.Userbot.CancelLogin(u.ID)
	}
	u, err := b.clearAwaiting(u)
	if err != nil {
		return err
	}
	setToast(c, tr(u.Lang).Cancelled)
	return b.showAccount(c, u)
}

// cbConnectQR starts a QR login in the background: the handler returns at
// once, and the QR message is refreshed until the owner scans it.
func (b *Bot) cbConnectQR(c tele.Context, u store.User, _ cb) error {
	if b.cfg.Userbot == nil {
		return b.showAccount(c, u)
	}
	at := atr(u.Lang)
	b.cfg.Userbot.CancelLogin(u.ID)
	u, err := b.clearAwaiting(u)
	if err != nil {
		return err
	}
	if err := b.show(c, at.QRWorking, nil); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(b.runCtx(), qrLoginLimit)
	p := &pendingLogin{started: time.Now(), qrCancel: cancel}
	b.logins.put(u.ID, p)
	var working tele.Editable
	if cbk := c.Callback(); cbk != nil && cbk.Message != nil {
		working = cbk.Message
	}
	go b.runQRLogin(ctx, cancel, u, p, working)
	return nil
}

// runQRLogin runs one QR login. p is its entry in b.logins: once the owner
// cancels or starts another login, p is no longer there, and this goroutine
// leaves quietly instead of reporting on a login that is not theirs anymore.
//
// working is the "preparing a QR code" message, removed once the code shows.
func (b *Bot) runQRLogin(ctx context.Context, cancel context.CancelFunc, u store.User, p *pendingLogin, working tele.Editable) {
	defer cancel()
	at := atr(u.Lang)
	to := tele.ChatID(u.ID)
	var shown *tele.Message
	show := func(url string, _ time.Time) error {
		code, err := qr.Encode(url, qr.M)
		if err != nil {
			return fmt.Errorf("encode QR: %w", err)
		}
		kb := &tele.ReplyMarkup{}
		kb.Inline(kb.Row(kb.Data(tr(u.Lang).BtnCancel, encodeCB(actLoginCancel))))
		photo := &tele.Photo{File: tele.FromReader(bytes.NewReader(code.PNG())), Caption: at.QRCaption}
		m, err := b.tb.Send(to, photo, kb)
		if err != nil {
			return fmt.Errorf("send QR: %w", err)
		}
		if shown != nil {
			if err := b.tb.Delete(shown); err != nil {
				b.log.Warn("delete old QR", "user_id", u.ID, "err", err)
			}
		} else if working != nil {
			if err := b.tb.Delete(working); err != nil {
				b.log.Warn("delete QR progress", "user_id", u.ID, "err", err)
			}
		}
		shown = m
		return nil
	}
	needPassword, err := b.cfg.Userbot.QRLogin(ctx, u.ID, show)
	if shown != nil {
		if derr := b.tb.Delete(shown); derr != nil {
			b.log.Warn("delete QR", "user_id", u.ID, "err", derr)
		}
	}
	unlock := b.locks.lock(u.ID)
	defer unlock()
	if cur, ok := b.logins.get(u.ID); !ok || cur != p || b.runCtx().Err() != nil {
		return // cancelled, superseded by another login, or shutting down
	}
	if cur, uerr := b.store.User(u.ID); uerr == nil {
		u = cur
	}
	switch {
	case err != nil:
		if ctx.Err() == context.DeadlineExceeded {
			err = ErrQRExpired
		}
		var progress tele.Editable
		if shown == nil {
			progress = working // no code was shown: turn "preparing…" into the answer
		}
		if ferr := b.loginFailed(progress, u, err); ferr != nil {
			b.log.Warn("report QR failure", "user_id", u.ID, "err", ferr)
		}
	case needPassword:
		if _, serr := b.setAwaiting(u, awaitPassword); serr != nil {
			b.log.Warn("await password", "user_id", u.ID, "err", serr)
			return
		}
		kb := &tele.ReplyMarkup{}
		kb.Inline(kb.Row(kb.Data(tr(u.Lang).BtnCancel, encodeCB(actLoginCancel))))
		if _, serr := b.tb.Send(to, at.AskPassword, kb); serr != nil {
			b.log.Warn("ask password", "user_id", u.ID, "err", serr)
		}
	default:
		msg, serr := b.tb.Send(to, at.Checking)
		if serr != nil {
			b.log.Warn("send connected", "user_id", u.ID, "err", serr)
			return
		}
		if lerr := b.loginDone(msg, u); lerr != nil {
			b.log.Warn("send connected", "user_id", u.ID, "err", lerr)
		}
	}
}

func (b *Bot) cbDisconnect(c tele.Context, u store.User, _ cb) error {
	at := atr(u.Lang)
	kb := &tele.ReplyMarkup{}
	kb.Inline(
		kb.Row(kb.Data(at.BtnDisconnectYes, encodeCB(actDisconnectYes))),
		kb.Row(kb.Data(tr(u.Lang).BtnCancel, encodeCB(actAccount))),
	)
	return b.show(c, at.DisconnectAsk, kb)
}

func (b *Bot) cbDisconnectYes(c tele.Context, u store.User, _ cb) error {
	if b.cfg.Userbot == nil {
		return b.showAccount(c, u)
	}
	at := atr(u.Lang)
	if err := b.show(c, at.Disconnecting, nil); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), loginStepLimit)
	defer cancel()
	if err := b.cfg.Userbot.Disconnect(ctx, u.ID); err != nil && !errors.Is(err, ErrNotConnected) {
		b.log.Error("disconnect", "user_id", u.ID, "err", err)
		return b.show(c, at.DisconnectFailed, backToAccount(u))
	}
	b.dialogs.drop(u.ID)
	b.log.Info("account disconnected", "user_id", u.ID)
	return b.show(c, at.Disconnected, backToAccount(u))
}

// NotifyAccountState tells an owner that their account stopped for good
// (session revoked elsewhere, banned). Reconnects after network trouble are
// shown on the Account screen only: a notice per blip would be noise.
func (b *Bot) NotifyAccountState(ownerID int64, state string) {
	u, err := b.store.User(ownerID)
	if err != nil {
		return
	}
	text, ok := atr(u.Lang).StateNoticeF[state]
	if !ok {
		return
	}
	if _, err := b.tb.Send(tele.ChatID(ownerID), text, backToAccount(u)); err != nil {
		b.log.Warn("notify account state", "user_id", ownerID, "state", state, "err", err)
	}
}
