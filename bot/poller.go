package bot

import (
	"encoding/json"
	"errors"
	"log/slog"
	"time"

	tele "gopkg.in/telebot.v3"
)

// poller long-polls getUpdates. Unlike telebot's LongPoller it backs off on
// errors (telebot's retries in a tight loop while the Bot API is unreachable),
// honours retry_after, and never blocks on delivery once asked to stop.
type poller struct {
	timeout time.Duration
	log     *slog.Logger
	lastID  int
}

var allowedUpdates = []string{"message", "callback_query"}

func (p *poller) Poll(b *tele.Bot, dest chan tele.Update, stop chan struct{}) {
	backoff := time.Duration(0)
	for {
		select {
		case <-stop:
			return
		default:
		}
		params := map[string]any{
			"offset":          p.lastID + 1,
			"timeout":         int(p.timeout / time.Second),
			"allowed_updates": allowedUpdates,
		}
		data, err := b.Raw("getUpdates", params)
		var resp struct {
			Result []tele.Update `json:"result"`
		}
		if err == nil {
			err = json.Unmarshal(data, &resp)
		}
		if err != nil {
			select {
			case <-stop:
				return // the request was cancelled because we are stopping
			default:
			}
			wait := nextBackoff(backoff)
			var flood tele.FloodError
			if errors.As(err, &flood) {
				wait = time.Duration(flood.RetryAfter) * time.Second
			}
			backoff = wait
			p.log.Warn("getUpdates failed", "err", err, "retry_in", wait.String())
			select {
			case <-stop:
				return
			case <-time.After(wait):
			}
			continue
		}
		backoff = 0
		for _, u := range resp.Result {
			p.lastID = u.ID
			select {
			case dest <- u:
			case <-stop:
				return
			}
		}
	}
}

func nextBackoff(d time.Duration) time.Duration {
	switch {
	case d <= 0:
		return 250 * time.Millisecond
	case d >= 30*time.Second:
		return 30 * time.Second
	default:
		return d * 2
	}
}
