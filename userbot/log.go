package userbot

import (
	"context"
	"log/slog"

	gotdlog "github.com/gotd/log"
	"github.com/gotd/log/logslog"
)

// gotdLogger bridges gotd's logs to l at info level and above: gotd's debug
// logs dump whole updates, message texts included.
func gotdLogger(l *slog.Logger) gotdlog.Logger {
	return logslog.New(slog.New(minLevel{Handler: l.Handler(), min: slog.LevelInfo}).With("component", "gotd"))
}

// minLevel drops records below min.
type minLevel struct {
	slog.Handler
	min slog.Level
}

func (h minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

func (h minLevel) WithAttrs(attrs []slog.Attr) slog.Handler {
	return minLevel{Handler: h.Handler.WithAttrs(attrs), min: h.min}
}

func (h minLevel) WithGroup(name string) slog.Handler {
	return minLevel{Handler: h.Handler.WithGroup(name), min: h.min}
}
