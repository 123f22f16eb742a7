package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"github.com/leadgenrunner/leadgenrunner/bot"
	"github.com/leadgenrunner/leadgenrunner/monitor"
	"github.com/leadgenrunner/leadgenrunner/store"
	"github.com/leadgenrunner/leadgenrunner/userbot"
	"github.com/leadgenrunner/leadgenrunner/web"
)

// Config is everything LeadGenRunner needs to run. cmd/leadgenrunner fills it
// from LGR_ environment variables; each field names its variable and says what
// its zero value does.
type Config struct {
	// BotToken (LGR_BOT_TOKEN) is the Bot API token from @BotFather. Required.
	BotToken string
	// TelegramAppID and TelegramAppHash (LGR_TELEGRAM_APP_ID,
	// LGR_TELEGRAM_APP_HASH) identify the MTProto application from
	// my.telegram.org, used by owners' userbots. Required.
	TelegramAppID   int
	TelegramAppHash string
	// TelegramDCAddr (LGR_TELEGRAM_DC_ADDR) is a host:port used for every
	// MTProto DC, with TelegramPublicKeyFile (LGR_TELEGRAM_PUBLIC_KEY_FILE),
	// the PEM of that server's RSA key; TelegramTestDC (LGR_TELEGRAM_TEST_DC)
	// uses Telegram's test DCs. Zero: Telegram's production DCs.
	TelegramDCAddr        string
	TelegramPublicKeyFile string
	TelegramTestDC        bool
	// BotAPIURL (LGR_BOT_API_URL) is the Bot API base URL. Zero:
	// https://api.telegram.org.
	BotAPIURL string
	// DataDir (LGR_DATA_DIR) holds the database and the master key file.
	// Zero: ./data.
	DataDir string
	// MasterKey (LGR_MASTER_KEY) is the base64 or hex 32-byte key that seals
	// secrets. Zero: read from, or created once in, DataDir/master.key.
	MasterKey string
	// HTTPAddr (LGR_HTTP_ADDR) is the HTTP listen address. Zero: :8080. Use
	// 127.0.0.1:0 in tests; Addr reports the bound address.
	HTTPAddr string
	// PublicURL (LGR_PUBLIC_URL) is the public base URL of the HTTP server,
	// used in links the bot sends. Zero: links name the path only.
	PublicURL string
	// OperatorName and ContactEmail (LGR_OPERATOR_NAME, LGR_CONTACT_EMAIL)
	// appear on the privacy page and in Help. Zero: generic wording.
	OperatorName string
	ContactEmail string
	// AdminIDs (LGR_ADMIN_IDS) are Telegram user IDs of operators. Zero: none.
	AdminIDs []int64
	// MaxRules (LGR_MAX_RULES) caps keyword rules and stop words per owner
	// until plans set limits. Zero: 50.
	MaxRules int
	// MaxChats (LGR_MAX_CHATS) caps the chats an owner monitors until plans
	// set limits. Zero: 10.
	MaxChats int
	// RetentionDays (LGR_RETENTION_DAYS) is how long stored messages are
	// kept before they are purged (leads keep their own copy). Zero: 90.
	RetentionDays int
	// UserbotReconcileInterval is how often each account fetches the history
	// of its selected chats to fill gaps. Zero: 5 minutes.
	UserbotReconcileInterval time.Duration
	// BotPollTimeout is the Bot API long-poll timeout. Zero: 25s.
	BotPollTimeout time.Duration
	// BotRateBurst and BotRateEvery set the per-owner rate limit: a burst of
	// BotRateBurst updates refilled with one every BotRateEvery. Zero: the
	// bot's defaults (12 and 400ms).
	BotRateBurst int
	BotRateEvery time.Duration
	// BotAlertRate caps lead alerts per second over all owners. Zero: 30,
	// about what Telegram allows a bot.
	BotAlertRate float64
	// BotAlertRetryBase is the first wait after a failed alert send; it
	// doubles per attempt. Zero: 2s.
	BotAlertRetryBase time.Duration
	// ShutdownTimeout bounds graceful shutdown. Zero: 4s.
	ShutdownTimeout time.Duration
	// Logger receives structured logs. Nil discards.
	Logger *slog.Logger
	// Now is the clock. Nil: time.Now.
	Now func() time.Time
}

func (c *Config) setDefaults() {
	if c.DataDir == "" {
		c.DataDir = "./data"
	}
	if c.HTTPAddr == "" {
		c.HTTPAddr = ":8080"
	}
	if c.RetentionDays <= 0 {
		c.RetentionDays = 90
	}
	if c.ShutdownTimeout <= 0 {
		c.ShutdownTimeout = 4 * time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// MissingError names a required setting that is not set.
type MissingError struct {
	Var   string // environment variable
	Where string // where the operator gets the value
}

func (e *MissingError) Error() string {
	return fmt.Sprintf("%s is not set: %s", e.Var, e.Where)
}

// Validate reports the first missing required setting as a *MissingError.
func (c *Config) Validate() error {
	switch {
	case c.BotToken == "":
		return &MissingError{"LGR_BOT_TOKEN", "create a bot with @BotFather in Telegram and copy its token"}
	case c.TelegramAppID == 0:
		return &MissingError{"LGR_TELEGRAM_APP_ID", "create an application at https://my.telegram.org (API development tools) and copy its api_id"}
	case c.TelegramAppHash == "":
		return &MissingError{"LGR_TELEGRAM_APP_HASH", "create an application at https://my.telegram.org (API development tools) and copy its api_hash"}
	}
	return nil
}

// App is a running LeadGenRunner.
type App struct {
	cfg   Config
	log   *slog.Logger
	store *store.Store
	bot   *bot.Bot
	pipe  *monitor.Pipeline
	users *userbot.Manager
	web   *web.Server
	ln    net.Listener
	once  sync.Once
}

// New opens the store, connects the bot to the Bot API and binds the HTTP
// listener. Call Run to serve; Run closes everything when it returns. If New
// fails, everything it opened is closed.
func New(cfg Config) (a *App, err error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	// The bot token is in every Bot API URL, so network errors carry it.
	cfg.Logger = slog.New(newRedactor(cfg.Logger.Handler(), cfg.BotToken))
	a = &App{cfg: cfg, log: cfg.Logger}
	defer func() {
		if err != nil {
			a.close()
		}
	}()

	key, err := store.LoadMasterKey(cfg.DataDir, cfg.MasterKey)
	if err != nil {
		return nil, err
	}
	a.store, err = store.Open(store.Config{
		Path:      filepath.Join(cfg.DataDir, "leadgenrunner.db"),
		MasterKey: key,
		Logger:    cfg.Logger.With("component", "store"),
		Now:       cfg.Now,
	})
	if err != nil {
		return nil, err
	}
	a.pipe, err = monitor.NewPipeline(monitor.PipelineConfig{
		Store:  a.store,
		Logger: cfg.Logger.With("component", "monitor"),
		Now:    cfg.Now,
		// Set before Run starts the pipeline, so a.bot is never nil here.
		OnAlert: func() { a.bot.WakeSender() },
	})
	if err != nil {
		return nil, err
	}
	a.users, err = userbot.New(userbot.Config{
		AppID:             cfg.TelegramAppID,
		AppHash:           cfg.TelegramAppHash,
		DCAddr:            cfg.TelegramDCAddr,
		PublicKeyFile:     cfg.TelegramPublicKeyFile,
		TestDC:            cfg.TelegramTestDC,
		Store:             a.store,
		Sink:              a.pipe,
		Logger:            cfg.Logger.With("component", "userbot"),
		Now:               cfg.Now,
		ReconcileInterval: cfg.UserbotReconcileInterval,
		// Must not block: the notice goes out from its own goroutine.
		OnAccountState: func(ownerID int64, state string) { go a.bot.NotifyAccountState(ownerID, state) },
	})
	if err != nil {
		return nil, err
	}
	a.bot, err = bot.New(bot.Config{
		Token:         cfg.BotToken,
		APIURL:        cfg.BotAPIURL,
		Store:         a.store,
		PublicURL:     cfg.PublicURL,
		ContactEmail:  cfg.ContactEmail,
		MaxRules:      cfg.MaxRules,
		MaxChats:      cfg.MaxChats,
		RetentionDays: cfg.RetentionDays,
		// a.web is built right after the bot (it needs the bot's name).
		PrivacyPage:    func(lang string) ([]byte, error) { return a.web.PrivacyHTML(lang) },
		Userbot:        userbotAdapter{a.users},
		PollTimeout:    cfg.BotPollTimeout,
		RateBurst:      cfg.BotRateBurst,
		RateEvery:      cfg.BotRateEvery,
		Logger:         cfg.Logger.With("component", "bot"),
		Now:            cfg.Now,
		Pipeline:       a.pipe,
		AlertRate:      cfg.BotAlertRate,
		AlertRetryBase: cfg.BotAlertRetryBase,
	})
	if err != nil {
		return nil, err
	}
	a.web, err = web.New(web.Config{
		Store:         a.store,
		OperatorName:  cfg.OperatorName,
		ContactEmail:  cfg.ContactEmail,
		BotUsername:   a.bot.Username(),
		RetentionDays: cfg.RetentionDays,
		Logger:        cfg.Logger.With("component", "http"),
		Now:           cfg.Now,
	})
	if err != nil {
		return nil, err
	}
	a.ln, err = net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return nil, fmt.Errorf("http: listen on %s: %w", cfg.HTTPAddr, err)
	}
	return a, nil
}

// Addr is the HTTP server's bound address.
func (a *App) Addr() string { return a.ln.Addr().String() }

// Store is the app's store, for tests and admin subcommands.
func (a *App) Store() *store.Store { return a.store }

// Pipeline is the lead pipeline; the userbot feeds it, tests too.
func (a *App) Pipeline() *monitor.Pipeline { return a.pipe }

// Userbot is the manager of owners' MTProto clients, for tests.
func (a *App) Userbot() *userbot.Manager { return a.users }

// Bot is the Bot API side, for tests (WakeSender after moving a fake clock).
func (a *App) Bot() *bot.Bot { return a.bot }

// Run serves the bot and HTTP until ctx is done or one of them fails, then
// shuts everything down within Config.ShutdownTimeout and closes the store.
func (a *App) Run(parent context.Context) error {
	defer a.close()
	// The bot and the pipeline outlive parent until the userbots have
	// stopped, so no update handler is left waiting on a stopped pipeline.
	ctx, cancel := context.WithCancel(context.WithoutCancel(parent))
	defer cancel()

	srv := &http.Server{
		Handler:           a.web.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		ErrorLog:          slog.NewLogLogger(a.log.Handler(), slog.LevelWarn),
	}
	// Userbots stop first, so that no update handler is waiting on the
	// pipeline when it stops.
	usersCtx, usersCancel := context.WithCancel(parent)
	defer usersCancel()
	usersDone := make(chan error, 1)
	go func() { usersDone <- a.users.Run(usersCtx) }()

	errc := make(chan error, 4)
	go func() {
		if err := srv.Serve(a.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			errc <- fmt.Errorf("http: %w", err)
			return
		}
		errc <- nil
	}()
	go func() { errc <- a.bot.Run(ctx) }()
	go func() { errc <- a.pipe.Run(ctx) }()
	go func() { errc <- a.runRetention(ctx) }()
	a.log.Info("leadgenrunner running", "http_addr", a.Addr(), "data_dir", a.cfg.DataDir)

	var first error
	pending := 4
	usersRunning := true
	select {
	case <-parent.Done():
	case first = <-errc:
		pending--
	case first = <-usersDone:
		usersRunning = false
	}
	shutCtx, shutCancel := context.WithTimeout(context.Background(), a.cfg.ShutdownTimeout)
	defer shutCancel()
	usersCancel()
	if usersRunning {
		select {
		case err := <-usersDone:
			if first == nil {
				first = err
			}
		case <-shutCtx.Done():
			a.log.Warn("userbots did not stop in time")
		}
	}
	cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		a.log.Warn("http shutdown", "err", err)
	}
	// Wait for the other components (they stop when ctx is cancelled).
	for ; pending > 0; pending-- {
		select {
		case err := <-errc:
			if first == nil {
				first = err
			}
		case <-shutCtx.Done():
			a.log.Warn("shutdown timed out")
			return first
		}
	}
	a.log.Info("leadgenrunner stopped")
	return first
}

func (a *App) close() {
	a.once.Do(func() {
		if a.ln != nil {
			a.ln.Close()
		}
		if a.store != nil {
			if err := a.store.Close(); err != nil {
				a.log.Warn("close store", "err", err)
			}
		}
	})
}
