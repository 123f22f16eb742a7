package main

import (
	"context"

	"io"
	"log/slog"
	"strings"

	"github.com/leadgenrunner/leadgenrunner/app"
)

func runServe(ctx context.Context, args []string, getenv func(string) string, io stdio) error {
	fs := newFlagSet("serve", "[serve] [--env-file FILE]\n\nSettings come from LGR_ environment variables; see README.md for the list and defaults.", io.out)
	envFile := fs.String("env-file", ".env", "read KEY=VALUE settings from this file if it exists (the environment wins)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("serve: unexpected argument %q", fs.Arg(0))
	}
	env := envLookup(getenv)
	if err := env.loadDotEnv(*envFile); err != nil {
		return err
	}
	cfg, err := configFromEnv(env, io.err)
	if err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return &usageError{err}
	}
	a, err := app.New(cfg)
	if err != nil {
		return err
	}
	return a.Run(ctx)
}

// configFromEnv builds app.Config from LGR_ variables. Every variable is
// listed in README.md with its default.
func configFromEnv(env env, logOut io.Writer) (app.Config, error) {
	log, err := newLogger(env.get("LGR_LOG_LEVEL", "info"), env.get("LGR_LOG_FORMAT", "text"), logOut)
	if err != nil {
		return app.Config{}, err
	}
	appID, err := env.int("LGR_TELEGRAM_APP_ID", 0)
	if err != nil {
		return app.Config{}, err
	}
	maxRules, err := env.int("LGR_MAX_RULES", 50)
	if err != nil {
		return app.Config{}, err
	}
	maxChats, err := env.int("LGR_MAX_CHATS", 10)
	if err != nil {
		return app.Config{}, err
	}
	retention, err := env.int("LGR_RETENTION_DAYS", 90)
	if err != nil {
		return app.Config{}, err
	}
	testDC, err := env.bool("LGR_TELEGRAM_TEST_DC")
	if err != nil {
		return app.Config{}, err
	}
	admins, err := env.int64s("LGR_ADMIN_IDS")
	if err != nil {
		return app.Config{}, err
	}
	return app.Config{
		BotToken:              env.get("LGR_BOT_TOKEN", ""),
		TelegramAppID:         appID,
		TelegramAppHash:       env.get("LGR_TELEGRAM_APP_HASH", ""),
		TelegramDCAddr:        env.get("LGR_TELEGRAM_DC_ADDR", ""),
		TelegramPublicKeyFile: env.get("LGR_TELEGRAM_PUBLIC_KEY_FILE", ""),
		TelegramTestDC:        testDC,
		BotAPIURL:             env.get("LGR_BOT_API_URL", "https://api.telegram.org"),
		DataDir:               env.get("LGR_DATA_DIR", "./data"),
		MasterKey:             env.get("LGR_MASTER_KEY", ""),
		HTTPAddr:              env.get("LGR_HTTP_ADDR", ":8080"),
		PublicURL:             env.get("LGR_PUBLIC_URL", ""),
		OperatorName:          env.get("LGR_OPERATOR_NAME", ""),
		ContactEmail:          env.get("LGR_CONTACT_EMAIL", ""),
		AdminIDs:              admins,
		MaxRules:              maxRules,
		MaxChats:              maxChats,
		RetentionDays:         retention,
		Logger:                log,
	}, nil
}

func newLogger(level, format string, w io.Writer) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, usagef("LGR_LOG_LEVEL must be debug, info, warn or error, got %q", level)
	}
	opts := &slog.HandlerOptions{Level: l}
	switch strings.ToLower(format) {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, usagef("LGR_LOG_FORMAT must be text or json, got %q", format)
}
