package app

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
)

// redactor removes secrets from every log record before it is written. The
// Bot API token is part of every request URL, so any network error from the
// bot (a *url.Error) carries it; redacting at the handler catches them all.
type redactor struct {
	slog.Handler
	secrets []string
}

func newRedactor(h slog.Handler, secrets ...string) slog.Handler {
	var keep []string
	for _, s := range secrets {
		if len(s) >= 8 { // shorter values would redact ordinary words
			keep = append(keep, s)
		}
	}
	if len(keep) == 0 {
		return h
	}
	return redactor{Handler: h, secrets: keep}
}

func (r redactor) clean(s string) string {
	for _, sec := range r.secrets {
		s = strings.ReplaceAll(s, sec, "[redacted]")
	}
	return s
}

func (r redactor) attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, r.clean(v.String()))
	case slog.KindAny:
		if err, ok := v.Any().(error); ok {
			return slog.String(a.Key, r.clean(err.Error()))
		}
		return slog.String(a.Key, r.clean(fmt.Sprint(v.Any())))
	case slog.KindGroup:
		g := v.Group()
		out := make([]any, len(g))
		for i, ga := range g {
			out[i] = r.attr(ga)
		}
		return slog.Group(a.Key, out...)
	}
	return slog.Attr{Key: a.Key, Value: v}
}

func (r redactor) Handle(ctx context.Context, rec slog.Record) error {
	nr := slog.NewRecord(rec.Time, rec.Level, r.clean(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		nr.AddAttrs(r.attr(a))
		return true
	})
	return r.Handler.Handle(ctx, nr)
}

func (r redactor) WithAttrs(attrs []slog.Attr) slog.Handler {
	out := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		out[i] = r.attr(a)
	}
	return redactor{Handler: r.Handler.WithAttrs(out), secrets: r.secrets}
}

func (r redactor) WithGroup(name string) slog.Handler {
	return redactor{Handler: r.Handler.WithGroup(name), secrets: r.secrets}
}
