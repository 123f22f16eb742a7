package app

import (
	"bytes"
	"errors"
	"log/slog"
	"net/url"
	"strings"
	"testing"
)

func TestRedactorHidesTheBotToken(t *testing.T) {
	const token = "123456:SECRET-TOKEN-abcdef"
	var buf bytes.Buffer
	log := slog.New(newRedactor(slog.NewTextHandler(&buf, nil), token))
	uerr := &url.Error{Op: "Post", URL: "https://api.telegram.org/bot" + token + "/getUpdates", Err: errors.New("connection refused")}
	log.With("url", "https://x/bot"+token).Warn("getUpdates failed: "+token, "err", uerr, slog.Group("g", "s", token), "n", 3)
	out := buf.String()
	if strings.Contains(out, "SECRET-TOKEN") {
		t.Fatalf("log carries the token:\n%s", out)
	}
	if !strings.Contains(out, "connection refused") || !strings.Contains(out, "n=3") {
		t.Errorf("redaction lost the useful parts:\n%s", out)
	}
}
