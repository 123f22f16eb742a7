package userbot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/gotd/td/crypto"
	"github.com/gotd/td/telegram"
	"github.com/gotd/td/telegram/dcs"
	"github.com/gotd/td/tg"

	"github.com/leadgenrunner/leadgenrunner/store"
)

// Message is a message from a monitored chat, in the store's form.
type Message = store.Message

// Sink receives the messages of the chats owners selected. Ingest must
// store m durably before it returns nil, and return nil for a message it
// already has (same owner, chat and message id); userbot retries on error.
// monitor.Pipeline implements it.
type Sink interface {
	Ingest(ctx context.Context, ownerID int64, m Message) error
}

// Account states (see Status).
const (
	StateNone         = ""
	StateConnected    = store.AccountConnected
	StateReconnecting = store.AccountReconnecting
	StateNeedsLogin   = store.AccountNeedsLogin
	StateBanned       = store.AccountBanned
)

// Config configures a Manager. AppID, AppHash, Store and Sink are required.
type Config struct {
	// AppID and AppHash identify the application (my.telegram.org).
	AppID   int
	AppHash string

	// Where Telegram is. The first that is set wins: PublicKeys with
	// Resolver and DCList (what usertest.Cluster.ClientOptions returns);
	// DCAddr, a host:port used for every DC, with PublicKeyFile, the PEM of
	// the server's RSA key; TestDC, Telegram's test DCs. None: Telegram's
	// production DCs with gotd's built-in keys.
	PublicKeys    []telegram.PublicKey
	Resolver      dcs.Resolver
	DCList        dcs.List
	DCAddr        string
	PublicKeyFile string
	TestDC        bool

	// Store keeps sessions (sealed), accounts, selected chats and updates
	// state.
	Store *store.Store
	// Sink receives the messages of selected chats.
	Sink Sink
	// Logger receives userbot's logs and gotd's at info level and above;
	// nil discards them.
	Logger *slog.Logger
	// Now is the clock for login timeouts and status times; nil means
	// time.Now. MTProto itself always runs on the wall clock.
	Now func() time.Time

	// LoginTimeout ends a pending login (and its client) this long after it
	// started. Zero means 10 minutes.
	LoginTimeout time.Duration
	// FloodWaitCap is the longest FLOOD_WAIT waited out before a call fails
	// with *FloodWaitError. Zero means 60 seconds; negative never waits.
	FloodWaitCap time.Duration
	// ReconcileInterval is how often each account fetches the history of its
	// selected chats above the last seen message. Zero means 5 minutes.
	ReconcileInterval time.Duration
	// SendBudget, JoinBudget and SearchBudget cap active calls per account.
	// Zero: DefaultSendBudget, DefaultJoinBudget, DefaultSearchBudget.
	SendBudget, JoinBudget, SearchBudget Budget
	// OnAccountState, when set, is called after an account's state changes
	// (connected, reconnecting, needs_login, banned). It must not block.
	OnAccountState func(ownerID int64, state string)
}

func (c *Config) setDefaults() error {
	switch {
	case c.AppID == 0 || c.AppHash == "":
		return errors.New("userbot: Config.AppID and Config.AppHash are required")
	case c.Store == nil:
		return errors.New("userbot: Config.Store is required")
	case c.Sink == nil:
		return errors.New("userbot: Config.Sink is required")
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.LoginTimeout == 0 {
		c.LoginTimeout = 10 * time.Minute
	}
	if c.FloodWaitCap == 0 {
		c.FloodWaitCap = 60 * time.Second
	}
	if c.ReconcileInterval == 0 {
		c.ReconcileInterval = 5 * time.Minute
	}
	if c.SendBudget == (Budget{}) {
		c.SendBudget = DefaultSendBudget
	}
	if c.JoinBudget == (Budget{}) {
		c.JoinBudget = DefaultJoinBudget
	}
	if c.SearchBudget == (Budget{}) {
		c.SearchBudget = DefaultSearchBudget
	}
	if c.OnAccountState == nil {
		c.OnAccountState = func(int64, string) {}
	}
	switch {
	case len(c.PublicKeys) > 0 || c.Resolver != nil || !c.DCList.Zero():
	case c.DCAddr != "":
		if err := c.dcFromAddr(); err != nil {
			return err
		}
	case c.TestDC:
		c.DCList = dcs.Test()
	}
	return nil
}

// dcFromAddr points every DC at DCAddr and loads PublicKeyFile.
func (c *Config) dcFromAddr() error {
	host, portStr, err := net.SplitHostPort(c.DCAddr)
	if err != nil {
		return fmt.Errorf("userbot: Config.DCAddr %q: %w", c.DCAddr, err)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil {
		return fmt.Errorf("userbot: Config.DCAddr %q: bad port", c.DCAddr)
	}
	if c.PublicKeyFile == "" {
		return errors.New("userbot: Config.DCAddr needs Config.PublicKeyFile")
	}
	pemData, err := os.ReadFile(c.PublicKeyFile)
	if err != nil {
		return fmt.Errorf("userbot: public key file: %w", err)
	}
	keys, err := crypto.ParseRSAPublicKeys(pemData)
	if err != nil || len(keys) == 0 {
		return fmt.Errorf("userbot: public key file %s: no RSA public key (%v)", c.PublicKeyFile, err)
	}
	for _, k := range keys {
		c.PublicKeys = append(c.PublicKeys, telegram.PublicKey{RSA: k})
	}
	for id := 1; id <= 5; id++ {
		c.DCList.Options = append(c.DCList.Options, tg.DCOption{ID: id, IPAddress: host, Port: port, Static: true})
	}
	return nil
}

// Manager runs the userbots of all owners. Its methods are safe for
// concurrent use.
type Manager struct {
	cfg Config
	log *slog.Logger

	// life bounds every client; it ends when Run returns. Logins work
	// before Run is called.
	life    context.Context
	endLife context.CancelFunc

	mu       sync.Mutex
	started  bool               // Run was called
	accounts map[int64]*account // by owner id
	logins   map[int64]*pendingLogin
	wg       sync.WaitGroup // account and login goroutines
	budgets  *budgets
}

// New checks cfg and returns a Manager; call Run to start it.
func New(cfg Config) (*Manager, error) {
	if err := cfg.setDefaults(); err != nil {
		return nil, err
	}
	life, endLife := context.WithCancel(context.Background())
	return &Manager{
		life:     life,
		endLife:  endLife,
		cfg:      cfg,
		log:      cfg.Logger,
		accounts: map[int64]*account{},
		logins:   map[int64]*pendingLogin{},
		budgets:  newBudgets(cfg.SendBudget, cfg.JoinBudget, cfg.SearchBudget),
	}, nil
}

// Run starts the client of every stored account that is not marked
// needs_login or banned, expires pending logins, and blocks until ctx ends;
// then it stops every client, waits for them and returns nil. Logins may
// start before Run; nothing runs after it. Run may be called once.
func (m *Manager) Run(ctx context.Context) error {
	m.mu.Lock()
	if m.started {
		m.mu.Unlock()
		return errors.New("userbot: Run called twice")
	}
	m.started = true
	m.mu.Unlock()
	defer m.stopAll()

	owners, err := m.cfg.Store.Accounts()
	if err != nil {
		return fmt.Errorf("userbot: load accounts: %w", err)
	}
	started := 0
	for _, oa := range owners {
		if oa.State == StateNeedsLogin || oa.State == StateBanned {
			continue
		}
		m.mu.Lock()
		running := m.accounts[oa.OwnerID] != nil
		m.mu.Unlock()
		if !running {
			m.startAccount(oa.OwnerID, oa.Account)
			started++
		}
	}
	m.log.Info("userbot: started", "accounts", started)

	sweep := time.NewTicker(min(time.Minute, m.cfg.LoginTimeout/2+time.Millisecond))
	defer sweep.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-sweep.C:
			m.expireLogins()
		}
	}
}

// stopAll stops every client and waits for them.
func (m *Manager) stopAll() {
	m.mu.Lock()
	m.endLife()
	m.mu.Unlock()
	m.wg.Wait()
}

// context returns the context clients run under, or ErrNotRunning once Run
// has returned.
func (m *Manager) context() (context.Context, error) {
	if m.life.Err() != nil {
		return nil, ErrNotRunning
	}
	return m.life, nil
}

// Status is an owner's connected account as the bot shows it.
type Status struct {
	// State is StateNone when the owner has no account.
	State     string
	AccountID int64
	// Phone is the full number in digits: mask it before showing or
	// logging it (see MaskPhone).
	Phone          string
	Username, Name string
	ChatsMonitored int
	ChannelsJoined int
	LastMessage    time.Time
}

// Status reports the owner's connected account.
func (m *Manager) Status(ownerID int64) Status {
	acc, err := m.cfg.Store.Account(ownerID)
	if err != nil {
		return Status{}
	}
	st := Status{
		State:          acc.State,
		AccountID:      acc.ID,
		Phone:          acc.Phone,
		Username:       acc.Username,
		Name:           acc.FirstName,
		ChannelsJoined: acc.ChannelsJoined,
		LastMessage:    acc.LastMessageAt,
	}
	m.mu.Lock()
	a := m.accounts[ownerID]
	m.mu.Unlock()
	if a != nil {
		st.State = a.currentState()
		if t := a.lastMessage(); t.After(st.LastMessage) {
			st.LastMessage = t
		}
	}
	if chats, err := m.cfg.Store.SelectedChats(ownerID); err == nil {
		st.ChatsMonitored = len(chats)
	}
	return st
}

// MaskPhone keeps the country code's first digits and the last two digits
// of a phone number: "+15550000001" -> "+155•••••••01".
func MaskPhone(phone string) string {
	digits := make([]byte, 0, len(phone))
	for i := 0; i < len(phone); i++ {
		if c := phone[i]; c >= '0' && c <= '9' {
			digits = append(digits, c)
		}
	}
	if len(digits) < 6 {
		return "+•••"
	}
	out := []byte("+")
	out = append(out, digits[:3]...)
	for range digits[3 : len(digits)-2] {
		out = append(out, "•"...)
	}
	return string(append(out, digits[len(digits)-2:]...))
}

// errNoAccount stops updateAccount from creating a record.
var errNoAccount = errors.New("no account")

// updateAccount changes the owner's stored account with fn; it does nothing
// when the owner has none (Disconnect may have just removed it).
func (m *Manager) updateAccount(ownerID int64, fn func(a *store.Account)) error {
	_, err := m.cfg.Store.UpdateAccount(ownerID, func(a *store.Account) error {
		if a.ID == 0 {
			return errNoAccount
		}
		fn(a)
		return nil
	})
	if errors.Is(err, errNoAccount) {
		return nil
	}
	return err
}
