package web

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/mail"
	"strings"
	"time"
)

// Pinger reports whether the store can serve reads and writes.
type Pinger interface {
	Ping() error
}

// Config configures a Server. Each field documents what its zero value does.
type Config struct {
	// Store is required: /healthz answers 200 "ok" when Store.Ping returns
	// nil, else 503.
	Store Pinger

	// OperatorName is shown on the privacy page as the data controller.
	// Zero: the page says "the operator of this LeadGenRunner instance"
	// (in Russian, «оператор этого экземпляра LeadGenRunner»).
	OperatorName string

	// ContactEmail is shown on the privacy page as the contact address. It
	// must be a bare address such as "privacy@example.com". Zero: the page
	// tells the owner to use the bot's Help menu.
	ContactEmail string

	// BotUsername is the bot's Telegram username, with or without the
	// leading "@" (e.g. "LeadGenRunnerBot"), used for links to
	// https://t.me/<bot>. Zero: the pages name the bot without a link.
	BotUsername string

	// RetentionDays is how long stored messages are kept, as the privacy
	// page states it. Zero: 90.
	RetentionDays int

	// Logger receives one line per request. Nil discards.
	Logger *slog.Logger

	// Now is the clock used to time requests. Nil: time.Now.
	Now func() time.Time
}

func (c *Config) setDefaults() {
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.RetentionDays <= 0 {
		c.RetentionDays = 90
	}
	c.OperatorName = strings.TrimSpace(c.OperatorName)
	c.ContactEmail = strings.TrimSpace(c.ContactEmail)
	c.BotUsername = strings.TrimPrefix(strings.TrimSpace(c.BotUsername), "@")
}

func (c *Config) validate() error {
	if c.Store == nil {
		return errors.New("web: Config.Store is required")
	}
	if c.ContactEmail != "" {
		a, err := mail.ParseAddress(c.ContactEmail)
		if err != nil || a.Address != c.ContactEmail {
			return fmt.Errorf("web: ContactEmail %q is not a bare e-mail address", c.ContactEmail)
		}
	}
	if c.BotUsername != "" && !validBotUsername(c.BotUsername) {
		return fmt.Errorf("web: BotUsername %q is not a Telegram username (5-32 letters, digits or _)", c.BotUsername)
	}
	return nil
}

// validBotUsername reports whether s is a syntactically valid Telegram
// username, so it can be put into a t.me link unescaped.
func validBotUsername(s string) bool {
	if len(s) < 5 || len(s) > 32 {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_':
		default:
			return false
		}
	}
	return true
}

// Server serves LeadGenRunner's HTTP surface. Create it with New; it is safe
// for concurrent use.
type Server struct {
	cfg   Config
	log   *slog.Logger
	now   func() time.Time
	pages map[lang]*template.Template
	css   template.CSS
	csp   string
}

// New checks cfg, fills in defaults and parses the embedded templates.
func New(cfg Config) (*Server, error) {
	cfg.setDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	pages, err := parsePages()
	if err != nil {
		return nil, fmt.Errorf("web: parse templates: %w", err)
	}
	css, err := assets.ReadFile("templates/style.css")
	if err != nil {
		return nil, fmt.Errorf("web: read style: %w", err)
	}
	sum := sha256.Sum256(css)
	return &Server{
		cfg:   cfg,
		log:   cfg.Logger,
		now:   cfg.Now,
		pages: pages,
		css:   template.CSS(css),
		// The only inline content is the one <style> element, allowed by
		// its hash; no scripts, images, frames, forms or base changes.
		csp: "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) +
			"'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
	}, nil
}
