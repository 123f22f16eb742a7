package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	tele "gopkg.in/telebot.v3"

	"github.com/leadgenrunner/leadgenrunner/store"
)

// Config configures the bot. The zero value of each optional field is
// documented beside it.
type Config struct {
	// Token is the Bot API token from @BotFather. Required.
	Token string
	// APIURL is the Bot API base URL. Zero: https://api.telegram.org.
	APIURL string
	// Store holds every owner's data. Required.
	Store *store.Store
	// PublicURL is the service's public base URL, used to link the privacy
	// page. Zero: the bot names the /privacy path without a link.
	PublicURL string
	// ContactEmail is shown in Help. Zero: Help says to write to the operator.
	ContactEmail string
	// MaxRules caps keyword rules and, separately, stop words per owner until
	// plans set the limit. Zero: 50.
	MaxRules int
	// MaxChats caps the chats an owner monitors until plans set the limit.
	// Zero: 10.
	MaxChats int
	// PrivacyPage renders the privacy page (HTML) in a language, sent as a
	// document on /privacy. Nil: /privacy sends the link only.
	PrivacyPage func(lang string) ([]byte, error)
	// RetentionDays is how long stored messages are kept, as Settings shows
	// it (the app purges them). Zero: 90.
	RetentionDays int
	// Userbot connects owners' Telegram accounts. Nil: the Account and Chats
	// screens say connecting is not enabled on this instance.
	Userbot Userbot
	// PollTimeout is the long-poll timeout of getUpdates. Zero: 25s.
	PollTimeout time.Duration
	// RateBurst and RateEvery configure the per-owner rate limit: a bucket of
	// RateBurst updates refilled with one every RateEvery. Zero: 12 and 400ms.
	RateBurst int
	RateEvery time.Duration
	// Logger receives structured logs. Nil discards.
	Logger *slog.Logger
	// Now returns the current time. Nil: time.Now.
	Now func() time.Time
	// HTTPClient talks to the Bot API. Nil: a client with a timeout a little
	// longer than PollTimeout.
	HTTPClient *http.Client
	// Pipeline runs "Test my keywords". Nil: the test says it is unavailable.
	Pipeline Pipeline
	// AlertRate caps lead alerts per second over all owners (Telegram allows
	// about 30), and AlertBurst is how many may go at once. Zero: 30 and 5.
	AlertRate  float64
	AlertBurst int
	// AlertChatEvery is the least time between two alerts to one owner
	// (Telegram allows about one message a second per chat). Zero: 1s.
	AlertChatEvery time.Duration
	// AlertWorkers is how many alerts may be in flight at once. Zero: 16.
	AlertWorkers int
	// AlertRetryBase is the first wait after a failed alert send (5xx,
	// network); it doubles per attempt up to 10 minutes. Zero: 2s.
	AlertRetryBase time.Duration
}

func (c *Config) setDefaults() {
	if c.APIURL == "" {
		c.APIURL = "https://api.telegram.org"
	}
	if c.MaxRules <= 0 {
		c.MaxRules = 50
	}
	if c.MaxChats <= 0 {
		c.MaxChats = 10
	}
	if c.RetentionDays <= 0 {
		c.RetentionDays = 90
	}
	if c.PollTimeout <= 0 {
		c.PollTimeout = 25 * time.Second
	}
	if c.RateBurst <= 0 {
		c.RateBurst = 12
	}
	if c.RateEvery <= 0 {
		c.RateEvery = 400 * time.Millisecond
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: c.PollTimeout + 15*time.Second}
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	if c.AlertRate <= 0 {
		c.AlertRate = 30
	}
	if c.AlertBurst <= 0 {
		c.AlertBurst = 5
	}
	if c.AlertChatEvery <= 0 {
		c.AlertChatEvery = time.Second
	}
	if c.AlertWorkers <= 0 {
		c.AlertWorkers = 16
	}
	if c.AlertRetryBase <= 0 {
		c.AlertRetryBase = 2 * time.Second
	}
}

// Bot is the Bot API side of LeadGenRunner: onboarding, menus, keyword
// editing, settings. It is safe for concurrent use.
type Bot struct {
	cfg    Config
	tb     *tele.Bot
	log    *slog.Logger
	store  *store.Store
	limit  *rateLimiter
	locks  keyedMutex
	routes map[string]cbHandler
	now    func() time.Time
	wake   chan struct{}  // WakeSender -> runSender
	global *globalLimiter // all alert sends

	logins  logins      // pending Telegram logins, in memory only
	dialogs dialogCache // owners' chat lists while they pick chats

	ctxMu sync.Mutex
	ctx   context.Context // Run's context; background work stops with it
}

// runCtx is the context of Run, for work that outlives one update (a QR
// login). Before Run it is a background context.
func (b *Bot) runCtx() context.Context {
	b.ctxMu.Lock()
	defer b.ctxMu.Unlock()
	if b.ctx == nil {
		return context.Background()
	}
	return b.ctx
}

// cbHandler handles one decoded callback for the presser's own user record.
type cbHandler func(c tele.Context, u store.User, d cb) error

// New connects to the Bot API (getMe) and registers every handler. It does
// not start polling; Run does.
func New(cfg Config) (*Bot, error) {
	cfg.setDefaults()
	if cfg.Token == "" {
		return nil, errors.New("bot: token is required")
	}
	if cfg.Store == nil {
		return nil, errors.New("bot: store is required")
	}
	b := &Bot{
		cfg:    cfg,
		log:    cfg.Logger,
		store:  cfg.Store,
		limit:  newRateLimiter(cfg.RateBurst, cfg.RateEvery, cfg.Now),
		now:    cfg.Now,
		wake:   make(chan struct{}, 1),
		global: newGlobalLimiter(cfg.AlertRate, cfg.AlertBurst),
	}
	tb, err := tele.NewBot(tele.Settings{
		URL:       cfg.APIURL,
		Token:     cfg.Token,
		Poller:    &poller{timeout: cfg.PollTimeout, log: cfg.Logger},
		Client:    cfg.HTTPClient,
		ParseMode: tele.ModeHTML,
		OnError:   b.onError,
	})
	if err != nil {
		return nil, fmt.Errorf("bot: connect to Bot API: %w", err)
	}
	b.tb = tb
	b.routesInit()
	return b, nil
}

// Username is the bot's @username as reported by getMe.
func (b *Bot) Username() string { return b.tb.Me.Username }

// Run polls for updates until ctx is done, then stops and returns nil.
func (b *Bot) Run(ctx context.Context) error {
	b.ctxMu.Lock()
	b.ctx = ctx
	b.ctxMu.Unlock()
	b.setCommands()
	done := make(chan struct{})
	go func() {
		b.tb.Start()
		close(done)
	}()
	senderCtx, stopSender := context.WithCancel(context.Background())
	senderDone := make(chan struct{})
	go func() {
		b.runSender(senderCtx)
		close(senderDone)
	}()
	b.log.Info("bot started", "username", b.tb.Me.Username)
	<-ctx.Done()
	// Stop the sender first: stopping telebot cancels its requests, and an
	// alert cut off mid-request might be delivered and then sent again.
	stopSender()
	<-senderDone
	b.tb.Stop()
	<-done
	b.log.Info("bot stopped")
	return nil
}

// setCommands registers the command menu per language, and in English for
// every other Telegram language ("" is the default list).
func (b *Bot) setCommands() {
	for _, lang := range append([]string{""}, languages...) {
		t := tr(lang)
		cmds := []tele.Command{
			{Text: "start", Description: strings.TrimSpace(strings.TrimLeft(t.BtnMainMenu, "🏠"))},
			{Text: "help", Description: strings.TrimSpace(strings.TrimLeft(t.BtnHelp, "❓"))},
			{Text: "privacy", Description: strings.TrimSpace(strings.TrimLeft(t.BtnPrivacy, "🔒"))},
		}
		args := []any{cmds}
		if lang != "" {
			args = append(args, lang)
		}
		if err := b.tb.SetCommands(args...); err != nil {
			b.log.Warn("set bot commands", "lang", lang, "err", err)
		}
	}
}

// routesInit registers every handler and the middleware chain in one place.
func (b *Bot) routesInit() {
	b.tb.Use(b.recoverMW, b.privateOnlyMW, b.rateLimitMW, b.serializeMW, b.answerCallbackMW)

	b.tb.Handle("/start", b.onStart)
	b.tb.Handle("/help", b.withUser(b.onHelpCmd))
	b.tb.Handle("/menu", b.withUser(b.onMenuCmd))
	b.tb.Handle("/cancel", b.withUser(b.onMenuCmd))
	b.tb.Handle("/privacy", b.withUser(b.onPrivacyCmd))
	b.tb.Handle(tele.OnText, b.withUser(b.onText))
	b.tb.Handle(tele.OnMedia, b.withUser(b.onMedia))
	b.tb.Handle(tele.OnContact, b.withUser(b.onContact))
	b.tb.Handle(tele.OnLocation, b.withUser(b.onMedia))
	for _, end := range []string{tele.OnDice, tele.OnPoll, tele.OnVenue, tele.OnGame} {
		b.tb.Handle(end, b.withUser(b.onMedia))
	}
	b.tb.Handle(tele.OnCallback, b.onCallback)

	b.routes = map[string]cbHandler{
		// Onboarding: allowed before onboarding is done.
		actLang:    b.cbLang,
		actAgree:   b.cbAgree,
		actDecline: b.cbDecline,
		actSkipBiz: b.cbSkipBusiness,
		// Main menu and sections.
		actMenu:   b.cbMenu,
		actCancel: b.cbCancel,
		actSoon:   b.cbSoon,
		actHelp:   b.cbHelp,
		// Keywords.
		actRules:      b.cbRules,
		actRuleAdd:    b.cbRuleAdd,
		actRuleDelete: b.cbRuleDelete,
		// Account and chats.
		actAccount:       b.cbAccount,
		actConnectPhone:  b.cbConnectPhone,
		actConnectQR:     b.cbConnectQR,
		actKeypad:        b.cbKeypad,
		actLoginCancel:   b.cbLoginCancel,
		actDisconnect:    b.cbDisconnect,
		actDisconnectYes: b.cbDisconnectYes,
		actChats:         b.cbChats,
		actChatToggle:    b.cbChatToggle,
		actChatSearch:    b.cbChatSearch,
		actChatClear:     b.cbChatClear,
		actChatReload:    b.cbChatReload,
		// Settings.
		actSettings:   b.cbSettings,
		actSwitchLang: b.cbSwitchLang,
		actMyData:     b.cbMyData,
		actEditBiz:    b.cbEditBusiness,
		actExport:     b.cbExport,
		actDelete:     b.cbDelete,
		actDeleteYes:  b.cbDeleteYes,
		// Leads, alerts, alert settings, analytics, keyword test.
		actLeads:      b.cbLeads,
		actLead:       b.cbLead,
		actLeadStatus: b.cbLeadStatus,
		actDraft:      b.cbDraft,
		actMute:       b.cbMute,
		actAlerts:     b.cbAlerts,
		actAlertSet:   b.cbAlertSet,
		actTZ:         b.cbTZ,
		actUnmute:     b.cbUnmute,
		actStats:      b.cbStats,
		actChart:      b.cbChart,
		actTestRules:  b.cbTestRules,
	}
}

// onboardingActs may run before the owner finished onboarding.
var onboardingActs = map[string]bool{actLang: true, actAgree: true, actDecline: true, actSkipBiz: true}

func (b *Bot) onCallback(c tele.Context) error {
	id := c.Sender().ID
	d, err := decodeCB(strings.TrimPrefix(c.Callback().Data, "\f"))
	h, known := b.routes[d.Act]
	u, uerr := b.store.User(id)
	if errors.Is(uerr, store.ErrNotFound) {
		if err == nil && d.Act == actLang {
			// A returning owner picks a language: an explicit new start.
			s := c.Sender()
			nu, err := b.store.UpdateUser(id, func(u *store.User) error {
				u.Username, u.FirstName, u.Stage = s.Username, s.FirstName, stageLang
				return nil
			})
			if err != nil {
				return fmt.Errorf("start: %w", err)
			}
			return b.cbLang(c, nu, d)
		}
		// A button from before the owner deleted their data, or a forged
		// one: offer a fresh start and write nothing.
		return b.show(c, chooseLangText, langKeyboard())
	}
	if uerr != nil {
		return fmt.Errorf("load user: %w", uerr)
	}
	log := b.log.With("user_id", id, "act", d.Act)
	if err != nil || !known {
		log.Info("stale or malformed callback")
		setToast(c, tr(u.Lang).Outdated)
		return b.resume(c, u)
	}
	if u.Stage != stageDone && !onboardingActs[d.Act] {
		return b.resume(c, u)
	}
	if u.Stage == stageDone && u.Awaiting != "" && !awaitingActs[d.Act] {
		// The owner navigated away from a step that waited for text: stop
		// waiting, so later text is not taken as a keyword or a password.
		if u, err = b.leaveAwaiting(c, u); err != nil {
			return err
		}
	}
	return h(c, u, d)
}

// awaitingActs belong to a step that waits for text (the keypad and the
// cancel of a login) and keep the conversation state.
var awaitingActs = map[string]bool{actKeypad: true, actLoginCancel: true}

// leaveAwaiting clears the conversation state; leaving the phone step also
// removes its reply keyboard, which only a message can do.
func (b *Bot) leaveAwaiting(c tele.Context, u store.User) (store.User, error) {
	was := u.Awaiting
	u, err := b.clearAwaiting(u)
	if err != nil {
		return u, err
	}
	switch was {
	case awaitPhone:
		if err := c.Send(tr(u.Lang).Cancelled, &tele.ReplyMarkup{RemoveKeyboard: true}); err != nil {
			b.log.Warn("remove phone keyboard", "user_id", u.ID, "err", err)
		}
		fallthrough
	case awaitCode, awaitPassword:
		b.logins.drop(u.ID)
		if b.cfg.Userbot != nil {
			b.cfg.Userbot.CancelLogin(u.ID)
		}
	}
	return u, nil
}

// withUser loads the sender's record before a message handler.
func (b *Bot) withUser(h func(tele.Context, store.User) error) tele.HandlerFunc {
	return func(c tele.Context) error {
		u, err := b.store.User(c.Sender().ID)
		if errors.Is(err, store.ErrNotFound) {
			// Nothing is stored until the owner sends /start or picks a
			// language.
			return b.show(c, chooseLangText, langKeyboard())
		}
		if err != nil {
			return fmt.Errorf("load user: %w", err)
		}
		return h(c, u)
	}
}

// show renders a screen: a callback edits the message it came from, anything
// else sends a new message.
func (b *Bot) show(c tele.Context, text string, kb *tele.ReplyMarkup) error {
	opts := []any{tele.ModeHTML, tele.NoPreview}
	if kb != nil {
		opts = append(opts, kb)
	}
	if cbk := c.Callback(); cbk != nil && cbk.Message != nil && cbk.Message.Photo == nil && cbk.Message.Document == nil {
		err := c.Edit(text, opts...)
		if err == nil || isNotModified(err) {
			return nil
		}
		// Any other refusal (message gone, too old, not editable): the
		// screen comes as a new message instead.
		b.log.Debug("edit failed, sending instead", "user_id", c.Sender().ID, "err", err)
	}
	return c.Send(text, opts...)
}

func isNotModified(err error) bool {
	return errors.Is(err, tele.ErrSameMessageContent) || errors.Is(err, tele.ErrMessageNotModified) ||
		strings.Contains(err.Error(), "message is not modified")
}

func (b *Bot) onError(err error, c tele.Context) {
	log := b.log
	if c != nil && c.Sender() != nil {
		log = log.With("user_id", c.Sender().ID)
	}
	log.Error("handler failed", "err", err)
	if c == nil || c.Sender() == nil {
		return
	}
	lang := b.langOf(c)
	if c.Callback() != nil {
		setToast(c, tr(lang).SomethingWrong)
	}
	if err := c.Send(tr(lang).SomethingWrong); err != nil {
		log.Warn("send error notice", "err", err)
	}
}

// langOf returns the sender's chosen language, or a guess from Telegram.
func (b *Bot) langOf(c tele.Context) string {
	if c.Sender() == nil {
		return "en"
	}
	if u, err := b.store.User(c.Sender().ID); err == nil && validLang(u.Lang) {
		return u.Lang
	}
	return langFromTelegram(c.Sender().LanguageCode)
}

// Middleware.

func (b *Bot) recoverMW(next tele.HandlerFunc) tele.HandlerFunc {
	return func(c tele.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				b.log.Error("panic in handler", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				err = errors.New("panic recovered")
			}
		}()
		return next(c)
	}
}

// privateOnlyMW drops updates from groups and channels: the bot talks to
// owners one to one.
func (b *Bot) privateOnlyMW(next tele.HandlerFunc) tele.HandlerFunc {
	return func(c tele.Context) error {
		if c.Sender() == nil || c.Chat() == nil || c.Chat().Type != tele.ChatPrivate {
			if c.Callback() != nil {
				return c.Respond()
			}
			return nil
		}
		return next(c)
	}
}

func (b *Bot) rateLimitMW(next tele.HandlerFunc) tele.HandlerFunc {
	return func(c tele.Context) error {
		ok, warn := b.limit.allow(c.Sender().ID)
		if ok {
			return next(c)
		}
		b.log.Info("rate limited", "user_id", c.Sender().ID)
		if c.Message() != nil && c.Callback() == nil {
			// A 2FA password must not stay in the chat, even unread.
			if u, err := b.store.User(c.Sender().ID); err == nil && u.Awaiting == awaitPassword {
				if err := c.Delete(); err != nil {
					b.log.Warn("delete password message", "user_id", u.ID, "err", err)
				}
			}
		}
		text := tr(b.langOf(c)).SlowDown
		if c.Callback() != nil {
			return c.Respond(&tele.CallbackResponse{Text: text})
		}
		if warn {
			return c.Send(text)
		}
		return nil
	}
}

// serializeMW runs one owner's updates one at a time, so a fast double tap
// cannot interleave two read-modify-write cycles.
func (b *Bot) serializeMW(next tele.HandlerFunc) tele.HandlerFunc {
	return func(c tele.Context) error {
		unlock := b.locks.lock(c.Sender().ID)
		defer unlock()
		return next(c)
	}
}

const (
	toastKey      = "toast"
	toastAlertKey = "toast_alert" // true: show the toast as a dialog
)

func setToast(c tele.Context, text string) { c.Set(toastKey, text) }

// answerCallbackMW answers every callback exactly once, after its handler, so
// Telegram stops the button's spinner (and shows a toast when one was set).
func (b *Bot) answerCallbackMW(next tele.HandlerFunc) tele.HandlerFunc {
	return func(c tele.Context) error {
		if c.Callback() == nil {
			return next(c)
		}
		err := next(c)
		resp := &tele.CallbackResponse{}
		if s, ok := c.Get(toastKey).(string); ok {
			resp.Text = s
		}
		resp.ShowAlert, _ = c.Get(toastAlertKey).(bool)
		if rerr := c.Respond(resp); rerr != nil {
			b.log.Warn("answer callback", "user_id", c.Sender().ID, "err", rerr)
		}
		return err
	}
}

// keyedMutex hands out one mutex per owner, dropping it when unused.
type keyedMutex struct {
	mu sync.Mutex
	m  map[int64]*keyedEntry
}

type keyedEntry struct {
	mu   sync.Mutex
	refs int
}

func (k *keyedMutex) lock(id int64) (unlock func()) {
	k.mu.Lock()
	if k.m == nil {
		k.m = make(map[int64]*keyedEntry)
	}
	e := k.m[id]
	if e == nil {
		e = &keyedEntry{}
		k.m[id] = e
	}
	e.refs++
	k.mu.Unlock()
	e.mu.Lock()
	return func() {
		e.mu.Unlock()
		k.mu.Lock()
		e.refs--
		if e.refs == 0 {
			delete(k.m, id)
		}
		k.mu.Unlock()
	}
}
