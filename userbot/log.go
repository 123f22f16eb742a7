package userbot

import (
	"context"
	"log/slog"

	gotdlog "github.com/gotd/log"
	"github.com/gotd/log/logslog"
)

// gotdLogger bridges gotd's logs to l at info level and above: gotd's debug
// logs dump whole updates, message texts included. Even above debug, gotd
// logs pending updates as objects (gap recovery warnings): minLevel keeps
// only scalar attributes and errors, so no message text, from any chat,
// reaches the log.
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

func (h minLevel) Handle(ctx context.Context, r slog.Record) error {
	nr := slog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	r.Attrs(func(a slog.Attr) bool {
		if a, ok := scalar(a); ok {
			nr.AddAttrs(a)
		}
		return true
	})
	return h.Handler.Handle(ctx, nr)
}

func (h minLevel) WithAttrs(attrs []slog.Attr) slog.Handler {
	var kept []slog.Attr
	for _, a := range attrs {
		if a, ok := scalar(a); ok {
			kept = append(kept, a)
		}
	}
	return minLevel{Handler: h.Handler.WithAttrs(kept), min: h.min}
}

// scalar keeps strings, numbers, booleans, times and durations, turns an
// error into its text, and drops everything else (updates, messages,
// entities), which may carry message texts and names.
func scalar(a slog.Attr) (slog.Attr, bool) {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindAny:
		if err, ok := v.Any().(error); ok {
			return slog.String(a.Key, err.Error()), true
		}
		return slog.Attr{}, false
	case slog.KindGroup, slog.KindLogValuer:
		return slog.Attr{}, false
	}
	return slog.Attr{Key: a.Key, Value: v}, true
}

func (h minLevel) WithGroup(name string) slog.Handler {
	return minLevel{Handler: h.Handler.WithGroup(name), min: h.min}
}
