package userbot

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/gotd/td/tg"
)

// TestGotdLogsCarryNoMessageText logs the way gotd does on gap recovery (the
// pending updates as an object) and checks that no text reaches the log.
func TestGotdLogsCarryNoMessageText(t *testing.T) {
	var buf bytes.Buffer
	l := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h := slog.New(minLevel{Handler: l.Handler(), min: slog.LevelInfo})
	upd := &tg.UpdateNewMessage{Message: &tg.Message{ID: 1, Message: "SECRET TEXT from an unselected chat"}}
	h.With("update", upd).Warn("Pts validation failed", "pending", []any{upd}, "pts", 42, "err", errors.New("gap"))
	h.Debug("debug dump", "text", "SECRET TEXT")
	out := buf.String()
	if strings.Contains(out, "SECRET") {
		t.Fatalf("log carries message text:\n%s", out)
	}
	for _, want := range []string{"Pts validation failed", "pts=42", "err=gap"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}
