package app

import (
	"context"
	"time"
)

// retentionEvery is how often stored messages past retention are purged.
const retentionEvery = time.Hour

// runRetention deletes every owner's messages older than the retention
// period, at start and then every retentionEvery, until ctx ends. Leads keep
// their own copy of the message that made them.
func (a *App) runRetention(ctx context.Context) error {
	t := time.NewTicker(retentionEvery)
	defer t.Stop()
	for {
		a.purgeOnce(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

func (a *App) purgeOnce(ctx context.Context) {
	owners, err := a.store.Users()
	if err != nil {
		a.log.Error("retention: list owners", "err", err)
		return
	}
	cutoff := a.cfg.Now().Add(-time.Duration(a.cfg.RetentionDays) * 24 * time.Hour)
	total := 0
	for _, uid := range owners {
		if ctx.Err() != nil {
			return
		}
		n, err := a.store.PurgeMessages(uid, cutoff)
		if err != nil {
			a.log.Error("retention: purge", "user_id", uid, "err", err)
			continue
		}
		total += n
	}
	if total > 0 {
		a.log.Info("retention: purged old messages", "messages", total, "days", a.cfg.RetentionDays)
	}
}

// PurgeNow runs one retention pass at once (tests, admin tools).
func (a *App) PurgeNow() { a.purgeOnce(context.Background()) }
